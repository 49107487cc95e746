import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiError, api, loadSession, saveSession, tokenExpiry, type Session } from './api';
import { AdminPage } from './components/AdminPage';
import { ConnectionBanner } from './components/Banner';
import { DirectMessages } from './components/DirectMessages';
import { Login } from './components/Login';
import { NotificationsPanel } from './components/NotificationsPanel';
import { RoomView } from './components/RoomView';
import { Toasts } from './components/Toasts';
import type { AuthErrorCode, Room } from './events';
import { useChat } from './hooks/useChat';
import { useNotifications } from './hooks/useNotifications';
import { useSocket } from './hooks/useSocket';
import { parseRoute, usePath } from './router';

const AUTH_NOTICES: Record<string, string> = {
  TOKEN_EXPIRED: 'Your session has expired. Please log in again.',
  TOKEN_INVALID: 'Your session is no longer valid. Please log in again.',
  ACCOUNT_DISABLED: 'This account has been disabled.',
  AUTH_REQUIRED: 'Please log in.',
};

export function App() {
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const [notice, setNotice] = useState<string | null>(null);
  const [path, navigate] = usePath();

  const logout = useCallback((why: string | null) => {
    saveSession(null);
    setSession(null);
    setNotice(why);
  }, []);

  // Token refused on (re)connect: there is no refresh endpoint, so back to the login screen.
  const onAuthError = useCallback((code: AuthErrorCode) => logout(AUTH_NOTICES[code] ?? 'Please log in again.'), [logout]);

  const onLogin = useCallback((s: Session) => {
    saveSession(s);
    setNotice(null);
    setSession(s);
    if (parseRoute(window.location.pathname).name === 'login') navigate('/');
  }, [navigate]);

  if (!session) return <Login onLogin={onLogin} notice={notice} />;
  return <Shell key={session.token} session={session} path={path} navigate={navigate} onAuthError={onAuthError} logout={logout} />;
}

function Shell({ session, path, navigate, onAuthError, logout }: {
  session: Session;
  path: string;
  navigate: (to: string) => void;
  onAuthError: (code: AuthErrorCode) => void;
  logout: (why: string | null) => void;
}) {
  const { token, user: me } = session;
  const route = parseRoute(path);
  const { socket, connection, retry } = useSocket(token, onAuthError);
  const [rooms, setRooms] = useState<Room[]>([]);
  const [newRoom, setNewRoom] = useState('');
  const activeRoomId = route.name === 'room' ? route.roomId : null;
  const chat = useChat(socket, connection, me, rooms, activeRoomId);
  const notes = useNotifications(socket);

  const onApiError = useCallback((e: unknown) => {
    if (e instanceof ApiError && e.status === 401) logout(AUTH_NOTICES[e.code] ?? 'Please log in again.');
  }, [logout]);

  // The rooms list, refreshed after each reconnect (private rooms may have been added meanwhile).
  useEffect(() => {
    if (connection.status !== 'connected') return;
    api.rooms(token).then((r) => setRooms((cur) => (JSON.stringify(cur) === JSON.stringify(r.rooms) ? cur : r.rooms)), onApiError);
  }, [token, connection.session, connection.status, onApiError]);

  // Client-side check: a token that expires while the page is open logs out at that moment.
  useEffect(() => {
    const exp = (tokenExpiry(token) ?? 0) * 1000;
    const t = setTimeout(() => onAuthError('TOKEN_EXPIRED'), Math.max(0, Math.min(exp - Date.now(), 2 ** 31 - 1)));
    return () => clearTimeout(t);
  }, [token, onAuthError]);

  async function createRoom(e: FormEvent) {
    e.preventDefault();
    try {
      const { roomId } = await api.createRoom(token, newRoom.trim());
      setNewRoom('');
      const r = await api.rooms(token);
      setRooms(r.rooms);
      navigate(`/rooms/${encodeURIComponent(roomId)}`);
    } catch (err) {
      onApiError(err);
    }
  }

  const room = activeRoomId ? rooms.find((r) => r.id === activeRoomId) : undefined;
  const totalUnread = Object.values(chat.unread).reduce((a, b) => a + b, 0);
  const link = (to: string, label: string, extra?: string) => (
    <a href={to} aria-current={path === to || (to !== '/' && path.startsWith(to)) ? 'page' : undefined}
      onClick={(e) => { e.preventDefault(); navigate(to); }}>{label}{extra}</a>
  );

  let main;
  if (route.name === 'room' && room) {
    main = <RoomView room={room} me={me} state={chat.state} onBack={() => navigate('/')}
      onSend={(t, r) => chat.send(room.id, t, r)} onTyping={(c) => chat.typing(room.id, c)}
      onRetry={chat.retrySend} onDiscard={chat.discard} />;
  } else if (route.name === 'room') {
    main = <p className="empty">{rooms.length ? 'No such room, or you are not a member.' : 'Loading…'}</p>;
  } else if (route.name === 'dm') {
    main = <DirectMessages me={me} dms={chat.state.dms} names={chat.state.names} withUserId={route.userId}
      onOpen={(id) => navigate(`/messages/${id}`)} onSend={chat.sendDirect} />;
  } else if (route.name === 'notifications') {
    main = <NotificationsPanel token={token} items={notes.items} unread={notes.unread} onMarkRead={notes.markRead}
      onReload={notes.reload} onApiError={onApiError} />;
  } else if (route.name === 'admin' && me.role === 'admin' && socket) {
    main = <AdminPage socket={socket} token={token} />;
  } else if (route.name === 'admin') {
    main = <p className="empty">The admin page is for administrators.</p>;
  } else {
    main = <p className="empty welcome">Pick a room to start chatting.</p>;
  }

  return (
    <div className={`app ${route.name === 'home' ? 'at-home' : 'at-detail'}`}>
      <header className="topbar">
        <h1><a href="/" onClick={(e) => { e.preventDefault(); navigate('/'); }}>Parley</a></h1>
        <nav aria-label="Main">
          {link('/', 'Rooms', totalUnread ? ` (${totalUnread})` : '')}
          {link('/messages', 'Messages')}
          {link('/notifications', 'Notifications', notes.unread ? ` (${notes.unread})` : '')}
          {me.role === 'admin' && link('/admin', 'Admin')}
        </nav>
        <span className="me">{me.username}</span>
        <button type="button" onClick={() => logout(null)}>Log out</button>
      </header>
      <ConnectionBanner connection={connection} onRetry={retry} />
      {chat.state.lastError && (
        <p className="error bar" role="alert">{chat.state.lastError}
          <button type="button" className="link" onClick={chat.clearError}>Dismiss</button></p>
      )}
      <div className="layout">
        <aside className="sidebar" aria-label="Rooms">
          <h2>Rooms</h2>
          <ul className="list">
            {rooms.map((r) => {
              const n = chat.unread[r.id] ?? 0;
              return (
                <li key={r.id}>
                  <a href={`/rooms/${encodeURIComponent(r.id)}`} className={r.id === activeRoomId ? 'item active' : 'item'}
                    aria-current={r.id === activeRoomId ? 'page' : undefined}
                    aria-label={n ? `${r.name}, ${n} unread` : r.name}
                    onClick={(e) => { e.preventDefault(); navigate(`/rooms/${encodeURIComponent(r.id)}`); }}>
                    <span># {r.name}</span>{n > 0 && <span className="badge" aria-hidden="true">{n}</span>}
                  </a>
                </li>
              );
            })}
          </ul>
          <form className="new-room" onSubmit={createRoom}>
            <label htmlFor="new-room">New room</label>
            <input id="new-room" value={newRoom} maxLength={100} onChange={(e) => setNewRoom(e.target.value)} />
            <button type="submit" disabled={!newRoom.trim()}>Create</button>
          </form>
        </aside>
        <main className="content">{main}</main>
      </div>
      <Toasts toasts={notes.toasts} onDismiss={notes.dismiss} />
    </div>
  );
}
