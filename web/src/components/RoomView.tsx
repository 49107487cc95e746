import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ChatMessage, Room, User } from '../events';
import type { ChatState } from '../hooks/useChat';

export function typingText(names: string[]): string | null {
  if (names.length === 0) return null;
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}

function time(ts: number) {
  return new Date(ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function Receipt({ m, me, names }: { m: ChatMessage; me: User; names: ChatState['names'] }) {
  if (m.sender.id !== me.id) return null;
  const readers = m.readBy.filter((id) => id !== me.id).map((id) => names[id] ?? `user ${id}`);
  return <span className="receipt">{readers.length ? `Read by ${readers.join(', ')}` : 'Sent'}</span>;
}

export function RoomView(props: {
  room: Room;
  me: User;
  state: ChatState;
  onSend: (text: string, replyToId?: number) => void;
  onTyping: (composing: boolean) => void;
  onRetry: (key: string) => void;
  onDiscard: (key: string) => void;
  onBack: () => void;
}) {
  const { room, me, state } = props;
  const messages = state.messages[room.id] ?? [];
  const pending = state.outbox.filter((o) => o.roomId === room.id);
  const typers = Object.values(state.typing[room.id] ?? {});
  const [text, setText] = useState('');
  const [replyTo, setReplyTo] = useState<ChatMessage | null>(null);
  const logRef = useRef<HTMLOListElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    const el = logRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [messages.length, pending.length]);

  useEffect(() => {
    setReplyTo(null);
  }, [room.id]);

  function send() {
    if (!text.trim()) return;
    props.onSend(text, replyTo?.id);
    setText('');
    setReplyTo(null);
  }

  function onKey(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      send();
    } else if (e.key === 'Escape' && replyTo) {
      setReplyTo(null);
    }
  }

  const byId = new Map(messages.map((m) => [m.id, m]));
  const typing = typingText(typers);

  return (
    <section className="room" aria-labelledby="room-title">
      <header className="room-header">
        <button type="button" className="back" onClick={props.onBack} aria-label="Back to rooms">‹</button>
        <h2 id="room-title"># {room.name}</h2>
        {room.isPrivate && <span className="tag">private</span>}
      </header>
      <ol className="messages" ref={logRef} role="log" aria-label={`Messages in ${room.name}`} aria-live="polite">
        {messages.length === 0 && pending.length === 0 && <li className="empty">No messages yet. Say hello!</li>}
        {messages.map((m) => {
          const original = m.replyTo ? byId.get(m.replyTo.id) : undefined;
          const mine = m.sender.id === me.id;
          return (
            <li key={m.id} className={mine ? 'message mine' : 'message'} data-message-id={m.id}>
              <div className="meta">
                <strong>{mine ? 'You' : m.sender.name}</strong> <time dateTime={new Date(m.timestamp).toISOString()}>{time(m.timestamp)}</time>
              </div>
              {m.replyTo && (
                <blockquote className="quote">
                  <span>{original?.sender.name ?? state.names[m.replyTo.senderId] ?? 'someone'}: </span>{m.replyTo.text}
                </blockquote>
              )}
              <p className="text">{m.text}</p>
              <div className="actions">
                <Receipt m={m} me={me} names={state.names} />
                <button type="button" className="link" aria-label={`Reply to ${m.sender.name}: ${m.text.slice(0, 40)}`}
                  onClick={() => { setReplyTo(m); inputRef.current?.focus(); }}>Reply</button>
              </div>
            </li>
          );
        })}
        {pending.map((o) => (
          <li key={o.key} className="message mine pending" data-outbox={o.state}>
            <div className="meta"><strong>You</strong></div>
            <p className="text">{o.text}</p>
            <div className="actions">
              {o.state === 'failed' ? (
                <>
                  <span className="error">Not sent: {o.error}</span>
                  <button type="button" className="link" onClick={() => props.onRetry(o.key)}>Retry</button>
                  <button type="button" className="link" onClick={() => props.onDiscard(o.key)}>Discard</button>
                </>
              ) : <span className="receipt">{o.state === 'sending' ? 'Sending…' : 'Waiting for connection…'}</span>}
            </div>
          </li>
        ))}
      </ol>
      <p className="typing" aria-live="polite">{typing ?? '\u00a0'}</p>
      <form className="composer" onSubmit={(e) => { e.preventDefault(); send(); }}>
        {replyTo && (
          <div className="replying">
            <span>Replying to <strong>{replyTo.sender.name}</strong>: {replyTo.text.slice(0, 80)}</span>
            <button type="button" className="link" onClick={() => setReplyTo(null)}>Cancel reply</button>
          </div>
        )}
        <label htmlFor="composer" className="sr-only">Message</label>
        <textarea id="composer" ref={inputRef} rows={1} maxLength={2000} placeholder={`Message #${room.name}`}
          value={text} onKeyDown={onKey}
          onChange={(e) => { setText(e.target.value); props.onTyping(e.target.value.trim().length > 0); }}
          onBlur={() => props.onTyping(false)} />
        <button type="submit" className="primary" disabled={!text.trim()}>Send</button>
      </form>
    </section>
  );
}
