import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import type { ChatMessage, DirectMessage, MessageId, Room, RoomId, User, UserId } from '../events';
import type { ChatSocket, ConnectionState } from '../socketManager';

/** A random id for one outgoing message (unique across page loads and tabs). */
function newClientMsgId(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

export interface Outgoing {
  key: string;
  /** Idempotency key sent with every attempt: the server stores a retried message once. */
  clientMsgId: string;
  roomId: RoomId;
  text: string;
  replyToId?: MessageId;
  state: 'queued' | 'sending' | 'failed';
  error?: string;
}

export interface Dm {
  withUserId: UserId;
  withUsername: string;
  mine: boolean;
  text: string;
  timestamp: number;
}

export interface ChatState {
  messages: Record<RoomId, ChatMessage[]>;
  /** My last read message id per room. */
  lastRead: Record<RoomId, MessageId>;
  typing: Record<RoomId, Record<UserId, string>>;
  names: Record<UserId, string>;
  outbox: Outgoing[];
  /** The connection session in which each room was (re)joined. */
  joined: Record<RoomId, number>;
  dms: Dm[];
  lastError: string | null;
}

type Action =
  | { type: 'history'; me: UserId; roomId: RoomId; messages: ChatMessage[] }
  | { type: 'message'; me: UserId; message: ChatMessage }
  | { type: 'receipt'; roomId: RoomId; userId: UserId; username?: string; lastReadMessageId: MessageId }
  | { type: 'typing'; roomId: RoomId; userId: UserId; username?: string; on: boolean }
  | { type: 'joined'; roomId: RoomId; session: number }
  | { type: 'read'; roomId: RoomId; id: MessageId; me: UserId }
  | { type: 'enqueue'; item: Outgoing }
  | { type: 'outbox'; key: string; patch: Partial<Outgoing> | null }
  | { type: 'dm'; dm: Dm }
  | { type: 'error'; error: string | null };

export const initialChatState = (dms: Dm[] = []): ChatState => ({
  messages: {}, lastRead: {}, typing: {}, names: {}, outbox: [], joined: {}, dms, lastError: null,
});

/** Merges messages by id (later copies win: a history replaces what it covers), oldest first. */
export function mergeMessages(current: ChatMessage[], incoming: ChatMessage[]): ChatMessage[] {
  const byId = new Map<MessageId, ChatMessage>();
  for (const m of current) byId.set(m.id, m);
  for (const m of incoming) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

function withNames(names: Record<UserId, string>, messages: ChatMessage[]): Record<UserId, string> {
  let out = names;
  for (const m of messages) {
    if (out[m.sender.id] !== m.sender.name) out = { ...out, [m.sender.id]: m.sender.name };
  }
  return out;
}

function withoutTyping(typing: ChatState['typing'], roomId: RoomId, userId: UserId): ChatState['typing'] {
  if (!typing[roomId]?.[userId]) return typing;
  const room = { ...typing[roomId] };
  delete room[userId];
  return { ...typing, [roomId]: room };
}

export function chatReducer(s: ChatState, a: Action): ChatState {
  switch (a.type) {
    case 'history': {
      const merged = mergeMessages(s.messages[a.roomId] ?? [], a.messages);
      let lastRead = s.lastRead[a.roomId] ?? 0;
      for (const m of a.messages) if (m.readBy.includes(a.me) && m.id > lastRead) lastRead = m.id;
      return {
        ...s,
        messages: { ...s.messages, [a.roomId]: merged },
        lastRead: { ...s.lastRead, [a.roomId]: lastRead },
        names: withNames(s.names, a.messages),
      };
    }
    case 'message': {
      const m = a.message;
      const lastRead = m.sender.id === a.me ? Math.max(s.lastRead[m.roomId] ?? 0, m.id) : s.lastRead[m.roomId] ?? 0;
      return {
        ...s,
        messages: { ...s.messages, [m.roomId]: mergeMessages(s.messages[m.roomId] ?? [], [m]) },
        lastRead: { ...s.lastRead, [m.roomId]: lastRead },
        names: withNames(s.names, [m]),
        typing: withoutTyping(s.typing, m.roomId, m.sender.id),
      };
    }
    case 'receipt': {
      const list = s.messages[a.roomId] ?? [];
      const updated = list.map((m) =>
        m.id <= a.lastReadMessageId && !m.readBy.includes(a.userId) ? { ...m, readBy: [...m.readBy, a.userId] } : m);
      return {
        ...s,
        messages: { ...s.messages, [a.roomId]: updated },
        names: a.username ? { ...s.names, [a.userId]: a.username } : s.names,
      };
    }
    case 'typing': {
      const names = a.username ? { ...s.names, [a.userId]: a.username } : s.names;
      if (!a.on) return { ...s, names, typing: withoutTyping(s.typing, a.roomId, a.userId) };
      const label = a.username ?? s.names[a.userId] ?? `user ${a.userId}`;
      return { ...s, names, typing: { ...s.typing, [a.roomId]: { ...s.typing[a.roomId], [a.userId]: label } } };
    }
    case 'joined':
      return { ...s, joined: { ...s.joined, [a.roomId]: a.session } };
    case 'read': {
      if ((s.lastRead[a.roomId] ?? 0) >= a.id) return s;
      const list = (s.messages[a.roomId] ?? []).map((m) =>
        m.id <= a.id && !m.readBy.includes(a.me) ? { ...m, readBy: [...m.readBy, a.me] } : m);
      return { ...s, lastRead: { ...s.lastRead, [a.roomId]: a.id }, messages: { ...s.messages, [a.roomId]: list } };
    }
    case 'enqueue':
      return { ...s, outbox: [...s.outbox, a.item] };
    case 'outbox':
      return {
        ...s,
        outbox: a.patch === null ? s.outbox.filter((o) => o.key !== a.key)
          : s.outbox.map((o) => (o.key === a.key ? { ...o, ...a.patch } : o)),
      };
    case 'dm':
      return {
        ...s,
        dms: [...s.dms, a.dm].slice(-500),
        names: { ...s.names, [a.dm.withUserId]: a.dm.withUsername },
      };
    case 'error':
      return { ...s, lastError: a.error };
  }
}

export function unreadCount(s: ChatState, roomId: RoomId, me: UserId): number {
  const last = s.lastRead[roomId] ?? 0;
  return (s.messages[roomId] ?? []).filter((m) => m.sender.id !== me && m.id > last).length;
}

const TYPING_REPEAT_MS = 2000;
const SEND_TIMEOUT_MS = 8000;
let keySeq = 0;

function dmKey(me: UserId) {
  return `parley.dms.${me}`;
}

function loadDms(me: UserId | undefined): Dm[] {
  if (me === undefined || typeof localStorage === 'undefined') return [];
  try {
    return JSON.parse(localStorage.getItem(dmKey(me)) ?? '[]');
  } catch {
    return [];
  }
}

/**
 * Chat over one socket: joins every room in `rooms` on each (re)connect (the server answers each
 * join with the room's last 50 messages, which are merged by id into what is shown, so messages
 * missed while disconnected appear and none is duplicated), follows live messages, read receipts
 * and typing, sends through an outbox that waits for the room to be joined (messages typed while
 * offline go out after the reconnect), marks the open room read, and keeps direct messages.
 */
export function useChat(socket: ChatSocket | null, connection: ConnectionState, me: User | null, rooms: Room[],
  activeRoomId: RoomId | null) {
  const [state, dispatch] = useReducer(chatReducer, me?.id, (id) => initialChatState(loadDms(id)));
  const meId = me?.id ?? -1;
  const connected = connection.status === 'connected';
  const session = connection.session;
  const typingSent = useRef<Record<RoomId, number>>({});

  // Live events.
  useEffect(() => {
    if (!socket) return;
    const onHistory = (p: { roomId: RoomId; messages: ChatMessage[] }) =>
      dispatch({ type: 'history', me: meId, roomId: p.roomId, messages: p.messages });
    const onMessage = (m: ChatMessage) => dispatch({ type: 'message', me: meId, message: m });
    const onReceipt = (p: { userId: UserId; username?: string; roomId: RoomId; lastReadMessageId: MessageId }) =>
      dispatch({ type: 'receipt', ...p });
    const onTyping = (p: { userId: UserId; username?: string; roomId: RoomId }) => {
      if (p.userId !== meId) dispatch({ type: 'typing', ...p, on: true });
    };
    const onStopped = (p: { userId: UserId; username?: string; roomId: RoomId }) => dispatch({ type: 'typing', ...p, on: false });
    const onDirect = (p: DirectMessage) => dispatch({
      type: 'dm', dm: { withUserId: p.fromUserId, withUsername: p.fromUsername, mine: false, text: p.message, timestamp: p.timestamp },
    });
    const onError = (p: { event: string; error: string; code: string }) => dispatch({ type: 'error', error: `${p.event}: ${p.error}` });
    socket.on('room:history', onHistory);
    socket.on('chat:message', onMessage);
    socket.on('chat:read-receipt', onReceipt);
    socket.on('chat:user-typing', onTyping);
    socket.on('chat:user-stopped-typing', onStopped);
    socket.on('chat:direct', onDirect);
    socket.on('error', onError);
    return () => {
      socket.off('room:history', onHistory);
      socket.off('chat:message', onMessage);
      socket.off('chat:read-receipt', onReceipt);
      socket.off('chat:user-typing', onTyping);
      socket.off('chat:user-stopped-typing', onStopped);
      socket.off('chat:direct', onDirect);
      socket.off('error', onError);
    };
  }, [socket, meId]);

  // (Re)join every room once per connection session; typing state from before is stale.
  const joinedRef = useRef<Record<RoomId, number>>({});
  useEffect(() => {
    if (!socket || !connected) return;
    typingSent.current = {};
    for (const room of rooms) {
      if (joinedRef.current[room.id] === session) continue;
      joinedRef.current[room.id] = session;
      socket.timeout(SEND_TIMEOUT_MS).emit('room:join', room.id, (err: Error | null, ack) => {
        if (err) {
          delete joinedRef.current[room.id];
          return;
        }
        if (ack.success) dispatch({ type: 'joined', roomId: room.id, session });
        else dispatch({ type: 'error', error: `room ${room.name}: ${ack.error}` });
      });
    }
  }, [socket, connected, session, rooms]);

  // The outbox: send what is queued once its room is joined in the current session.
  useEffect(() => {
    if (!socket || !connected) return;
    for (const item of state.outbox) {
      if (item.state !== 'queued' || state.joined[item.roomId] !== session) continue;
      dispatch({ type: 'outbox', key: item.key, patch: { state: 'sending' } });
      const payload = item.replyToId
        ? { roomId: item.roomId, text: item.text, replyToId: item.replyToId, clientMsgId: item.clientMsgId }
        : { roomId: item.roomId, text: item.text, clientMsgId: item.clientMsgId };
      socket.timeout(SEND_TIMEOUT_MS).emit('chat:send', payload, (err: Error | null, ack) => {
        if (err) {
          // No answer: it goes again after the next (re)join, with the same clientMsgId, so a message
          // the server stored before the reply was lost is not stored twice.
          dispatch({ type: 'outbox', key: item.key, patch: { state: 'queued' } });
        } else if (ack.success) {
          dispatch({ type: 'outbox', key: item.key, patch: null });
        } else {
          dispatch({ type: 'outbox', key: item.key, patch: { state: 'failed', error: ack.error } });
        }
      });
    }
  }, [socket, connected, session, state.outbox, state.joined]);

  // Mark the open room read up to its newest message (while the page is visible).
  const activeMessages = activeRoomId ? state.messages[activeRoomId] : undefined;
  useEffect(() => {
    if (!socket || !connected || !activeRoomId || !activeMessages?.length) return;
    if (state.joined[activeRoomId] !== session) return;
    if (typeof document !== 'undefined' && document.visibilityState === 'hidden') return;
    const newest = activeMessages[activeMessages.length - 1].id;
    if (newest > (state.lastRead[activeRoomId] ?? 0)) {
      socket.emit('chat:read', { roomId: activeRoomId, lastReadMessageId: newest });
      dispatch({ type: 'read', roomId: activeRoomId, id: newest, me: meId });
    }
  }, [socket, connected, session, activeRoomId, activeMessages, state.joined, state.lastRead, meId]);

  // Keep direct messages across reloads (the server does not store them).
  useEffect(() => {
    if (me && typeof localStorage !== 'undefined') localStorage.setItem(dmKey(me.id), JSON.stringify(state.dms));
  }, [me, state.dms]);

  const send = useCallback((roomId: RoomId, text: string, replyToId?: MessageId) => {
    const t = text.trim();
    if (!t) return;
    dispatch({ type: 'enqueue', item: { key: `out-${++keySeq}`, clientMsgId: newClientMsgId(), roomId, text: t, replyToId, state: 'queued' } });
    if (socket && typingSent.current[roomId]) {
      delete typingSent.current[roomId];
      if (connected) socket.emit('chat:typing-stop', { roomId });
    }
  }, [socket, connected]);

  const retrySend = useCallback((key: string) => dispatch({ type: 'outbox', key, patch: { state: 'queued', error: undefined } }), []);
  const discard = useCallback((key: string) => dispatch({ type: 'outbox', key, patch: null }), []);

  /** Call on every keystroke in the composer: emits typing-start at most every 2 s, typing-stop when emptied. */
  const typing = useCallback((roomId: RoomId, composing: boolean) => {
    if (!socket || !connected) return;
    const now = Date.now();
    if (composing) {
      if (now - (typingSent.current[roomId] ?? 0) >= TYPING_REPEAT_MS) {
        typingSent.current[roomId] = now;
        socket.emit('chat:typing-start', { roomId });
      }
    } else if (typingSent.current[roomId]) {
      delete typingSent.current[roomId];
      socket.emit('chat:typing-stop', { roomId });
    }
  }, [socket, connected]);

  const sendDirect = useCallback((targetId: UserId, targetName: string, text: string): Promise<string | null> => {
    const t = text.trim();
    if (!socket || !connected || !t) return Promise.resolve(connected ? null : 'not connected');
    return new Promise((resolve) => {
      socket.timeout(SEND_TIMEOUT_MS).emit('user:direct-message', { targetId, message: t }, (err: Error | null, ack) => {
        if (err) return resolve('no answer from the server');
        if (!ack.success) return resolve(ack.error);
        dispatch({ type: 'dm', dm: { withUserId: targetId, withUsername: targetName, mine: true, text: t, timestamp: Date.now() } });
        resolve(null);
      });
    });
  }, [socket, connected]);

  const unread = useMemo(() => {
    const out: Record<RoomId, number> = {};
    for (const r of rooms) out[r.id] = unreadCount(state, r.id, meId);
    return out;
  }, [state, rooms, meId]);

  const clearError = useCallback(() => dispatch({ type: 'error', error: null }), []);

  return { state, unread, send, retrySend, discard, typing, sendDirect, clearError };
}
