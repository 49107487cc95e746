import { useState, type FormEvent } from 'react';
import type { User, UserId } from '../events';
import type { Dm } from '../hooks/useChat';

export function DirectMessages(props: {
  me: User;
  dms: Dm[];
  names: Record<UserId, string>;
  withUserId: UserId | null;
  onOpen: (id: UserId) => void;
  onSend: (targetId: UserId, targetName: string, text: string) => Promise<string | null>;
}) {
  const { dms, names, withUserId } = props;
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pick, setPick] = useState('');
  const people = Object.entries(names).map(([id, name]) => ({ id: Number(id), name }))
    .filter((p) => p.id !== props.me.id);
  const talked = [...new Set(dms.map((d) => d.withUserId))];
  const thread = withUserId === null ? [] : dms.filter((d) => d.withUserId === withUserId);
  const withName = withUserId === null ? '' : names[withUserId] ?? `user ${withUserId}`;

  async function send(e: FormEvent) {
    e.preventDefault();
    if (withUserId === null || !text.trim()) return;
    const err = await props.onSend(withUserId, withName, text);
    setError(err);
    if (!err) setText('');
  }

  return (
    <section className="dms" aria-labelledby="dm-title">
      <h2 id="dm-title">Direct messages</h2>
      <div className="dm-layout">
        <nav aria-label="Conversations">
          <ul className="list">
            {talked.map((id) => (
              <li key={id}><button type="button" className={id === withUserId ? 'item active' : 'item'} aria-current={id === withUserId}
                onClick={() => props.onOpen(id)}>{names[id] ?? `user ${id}`}</button></li>
            ))}
          </ul>
          <form onSubmit={(e) => { e.preventDefault(); if (pick) props.onOpen(Number(pick)); }}>
            <label htmlFor="dm-pick">New conversation with</label>
            <select id="dm-pick" value={pick} onChange={(e) => setPick(e.target.value)}>
              <option value="">Choose someone from your rooms</option>
              {people.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
            </select>
            <button type="submit" disabled={!pick}>Open</button>
          </form>
        </nav>
        {withUserId !== null && (
          <div className="dm-thread">
            <h3>{withName}</h3>
            <ol className="messages" role="log" aria-label={`Conversation with ${withName}`} aria-live="polite">
              {thread.length === 0 && <li className="empty">No messages yet.</li>}
              {thread.map((d, i) => (
                <li key={i} className={d.mine ? 'message mine' : 'message'}>
                  <div className="meta"><strong>{d.mine ? 'You' : d.withUsername}</strong></div>
                  <p className="text">{d.text}</p>
                </li>
              ))}
            </ol>
            <form className="composer" onSubmit={send}>
              <label htmlFor="dm-text" className="sr-only">Message</label>
              <input id="dm-text" value={text} maxLength={2000} placeholder={`Message ${withName}`} onChange={(e) => setText(e.target.value)} />
              <button type="submit" className="primary" disabled={!text.trim()}>Send</button>
            </form>
            {error && <p className="error" role="alert">{error}</p>}
          </div>
        )}
      </div>
      <p className="hint">Direct messages are delivered live to every open tab of the other user; the server does not store them (this browser keeps a copy).</p>
    </section>
  );
}
