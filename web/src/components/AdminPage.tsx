import { useEffect, useState, type FormEvent } from 'react';
import type { Socket } from 'socket.io-client';
import { api } from '../api';
import type { AdminClientToServerEvents, AdminServerToClientEvents, Announcement, NotificationPayload } from '../events';
import type { ChatSocket } from '../socketManager';

type AdminSocket = Socket<AdminServerToClientEvents, AdminClientToServerEvents>;

/**
 * Role admin only: the `/admin` namespace (multiplexed on the main connection) for stock alerts
 * and announcements (`broadcast:all` → `admin:announcement`), and the live connection count
 * polled from GET /health every 5 s.
 */
export function AdminPage({ socket, token }: { socket: ChatSocket; token: string }) {
  const [alerts, setAlerts] = useState<NotificationPayload[]>([]);
  const [announcements, setAnnouncements] = useState<Announcement[]>([]);
  const [connections, setConnections] = useState<number | null>(null);
  const [adminConnected, setAdminConnected] = useState(false);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [admin, setAdmin] = useState<AdminSocket | null>(null);

  useEffect(() => {
    const s = socket.io.socket('/admin', { auth: { token } }) as AdminSocket;
    const onAlert = (p: NotificationPayload) => setAlerts((a) => [p, ...a].slice(0, 50));
    const onAnn = (p: Announcement) => setAnnouncements((a) => [p, ...a].slice(0, 50));
    const onConnect = () => { setAdminConnected(true); setError(null); };
    const onDisconnect = () => setAdminConnected(false);
    const onError = (e: Error) => setError(e.message);
    s.on('admin:stock-alert', onAlert);
    s.on('admin:announcement', onAnn);
    s.on('connect', onConnect);
    s.on('disconnect', onDisconnect);
    s.on('connect_error', onError);
    s.connect();
    setAdmin(s);
    return () => {
      s.off('admin:stock-alert', onAlert);
      s.off('admin:announcement', onAnn);
      s.off('connect', onConnect);
      s.off('disconnect', onDisconnect);
      s.off('connect_error', onError);
      s.disconnect();
    };
  }, [socket, token]);

  useEffect(() => {
    let live = true;
    const poll = () => api.health().then((h) => live && setConnections(h.connections), () => live && setConnections(null));
    poll();
    const t = setInterval(poll, 5000);
    return () => { live = false; clearInterval(t); };
  }, []);

  function announce(e: FormEvent) {
    e.preventDefault();
    if (!admin || !text.trim()) return;
    admin.timeout(5000).emit('broadcast:all', { message: text.trim() }, (err: Error | null, ack) => {
      if (err) setError('no answer from the server');
      else if (!ack.success) setError(ack.error);
      else { setText(''); setError(null); }
    });
  }

  return (
    <section className="admin" aria-labelledby="admin-title">
      <h2 id="admin-title">Admin</h2>
      <div className="cards">
        <div className="card">
          <h3>Live connections</h3>
          <p className="big" aria-live="polite" data-testid="connections">{connections ?? '–'}</p>
          <p className="hint">Engine.IO connections on this node (GET /health), every 5 s. Admin channel: {adminConnected ? 'connected' : 'not connected'}.</p>
        </div>
        <div className="card">
          <h3>Announcements</h3>
          <form onSubmit={announce}>
            <label htmlFor="announcement">Announcement</label>
            <textarea id="announcement" rows={2} maxLength={2000} value={text} onChange={(e) => setText(e.target.value)} />
            <button type="submit" className="primary" disabled={!text.trim() || !adminConnected}>Send to all admins</button>
          </form>
          {error && <p className="error" role="alert">{error}</p>}
          <ul className="list">
            {announcements.map((a, i) => <li key={i}><strong>{a.from.name}</strong>: {a.message}</li>)}
          </ul>
        </div>
      </div>
      <div className="card">
        <h3>Stock alerts</h3>
        <table>
          <thead><tr><th scope="col">Product</th><th scope="col">Stock</th><th scope="col">Time</th></tr></thead>
          <tbody>
            {alerts.length === 0 && <tr><td colSpan={3}>No stock changes since this page opened.</td></tr>}
            {alerts.map((a, i) => (
              <tr key={i} className={a.isLowStock ? 'low' : ''}>
                <td>{a.productId}</td><td>{a.stock}{a.isLowStock ? ' (low)' : ''}</td>
                <td>{a.timestamp ? new Date(a.timestamp).toLocaleTimeString() : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
