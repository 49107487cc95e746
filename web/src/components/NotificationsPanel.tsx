import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api';
import type { InboxItem } from '../events';
import { describe } from '../hooks/useNotifications';

export function NotificationsPanel(props: {
  token: string;
  items: InboxItem[];
  unread: number;
  onMarkRead: (ids: number[] | 'all') => void;
  onReload: (fetchInbox: () => Promise<{ unread: number; notifications: InboxItem[] }>) => Promise<void>;
  onApiError: (e: unknown) => void;
}) {
  const [product, setProduct] = useState('');
  const [watchMsg, setWatchMsg] = useState<string | null>(null);
  const { token, onReload, onApiError } = props;

  useEffect(() => {
    onReload(() => api.notifications(token)).catch(onApiError);
  }, [token, onReload, onApiError]);

  async function watch(e: FormEvent) {
    e.preventDefault();
    try {
      const r = await api.watch(token, product.trim());
      setWatchMsg(`Watching ${r.productId}: you will hear about its stock and price drops.`);
      setProduct('');
    } catch (err) {
      onApiError(err);
      setWatchMsg(err instanceof Error ? err.message : 'failed');
    }
  }

  return (
    <section className="notifications" aria-labelledby="notif-title">
      <header className="row">
        <h2 id="notif-title">Notifications</h2>
        <span className="badge-text">{props.unread} unread</span>
        <button type="button" onClick={() => props.onMarkRead('all')} disabled={props.unread === 0}>Mark all read</button>
      </header>
      <ul className="inbox">
        {props.items.length === 0 && <li className="empty">Nothing yet.</li>}
        {props.items.map((n) => {
          const d = describe(n.event, n.payload);
          return (
            <li key={n.id} className={n.read ? 'read' : 'unread'}>
              <div><strong>{d.title}</strong> <span>{d.body}</span></div>
              <time dateTime={new Date(n.createdAt).toISOString()}>{new Date(n.createdAt).toLocaleString()}</time>
              {!n.read && <button type="button" className="link" onClick={() => props.onMarkRead([n.id])}
                aria-label={`Mark “${d.title}” read`}>Mark read</button>}
            </li>
          );
        })}
      </ul>
      <form className="row" onSubmit={watch}>
        <label htmlFor="watch-product">Product id</label>
        <input id="watch-product" value={product} maxLength={200} onChange={(e) => setProduct(e.target.value)} />
        <button type="submit" disabled={!product.trim()}>Watch product</button>
      </form>
      {watchMsg && <p role="status">{watchMsg}</p>}
    </section>
  );
}
