import { act, renderHook } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ChatMessage, Room, User } from '../events';
import type { ChatSocket, ConnectionState } from '../socketManager';
import { FakeSocket } from '../test/fakeSocket';
import { mergeMessages, useChat } from './useChat';

const me: User = { id: 1, username: 'alice', role: 'user' };
const rooms: Room[] = [{ id: 'general', name: 'general', isPrivate: false }, { id: 'r2', name: 'random', isPrivate: false }];
const conn = (session: number, status: ConnectionState['status'] = 'connected'): ConnectionState =>
  ({ status, session, attempt: 0, nextRetryAt: null, lastError: null });
const msg = (id: number, senderId: number, text: string, readBy: number[] = [senderId], roomId = 'general'): ChatMessage =>
  ({ id, roomId, sender: { id: senderId, name: senderId === 1 ? 'alice' : 'bob' }, text, timestamp: id, readBy });
const flush = () => act(async () => { await Promise.resolve(); await Promise.resolve(); });

describe('useChat', () => {
  let fake: FakeSocket;
  beforeEach(() => {
    localStorage.clear();
    fake = new FakeSocket();
    fake.responders['room:join'] = (roomId: string) => ({ success: true, roomId });
    fake.responders['chat:send'] = () => ({ success: true, messageId: 99 });
  });

  function render(active: string | null = 'general', session = 1) {
    return renderHook(({ c, a }) => useChat(fake as unknown as ChatSocket, c, me, rooms, a),
      { initialProps: { c: conn(session), a: active } });
  }

  it('joins every room once per connection session and again after a reconnect', async () => {
    const h = render();
    await flush();
    expect(fake.sent('room:join')).toEqual([['general'], ['r2']]);
    h.rerender({ c: conn(1), a: 'general' });
    expect(fake.sent('room:join')).toHaveLength(2);
    h.rerender({ c: conn(1, 'reconnecting'), a: 'general' });
    h.rerender({ c: conn(2), a: 'general' });
    await flush();
    expect(fake.sent('room:join')).toHaveLength(4);
  });

  it('merges history and live messages by id: a resync after a reconnect adds what was missed, never duplicates', async () => {
    const h = render(null);
    await flush();
    act(() => fake.fire('room:history', { roomId: 'general', messages: [msg(1, 2, 'a'), msg(2, 1, 'b')] }));
    act(() => fake.fire('chat:message', msg(3, 2, 'c')));
    act(() => fake.fire('chat:message', msg(3, 2, 'c')));
    expect(h.result.current.state.messages.general.map((m) => m.text)).toEqual(['a', 'b', 'c']);
    // After a reconnect the join answers the last 50 again, including what arrived meanwhile.
    act(() => fake.fire('room:history', { roomId: 'general', messages: [msg(2, 1, 'b', [1, 2]), msg(3, 2, 'c'), msg(4, 2, 'd')] }));
    const list = h.result.current.state.messages.general;
    expect(list.map((m) => m.id)).toEqual([1, 2, 3, 4]);
    expect(list[1].readBy).toEqual([1, 2]);
    expect(mergeMessages([msg(5, 1, 'x')], [msg(5, 1, 'x'), msg(4, 1, 'y')]).map((m) => m.id)).toEqual([4, 5]);
  });

  it('counts unread messages of the rooms not open, and marks the open room read', async () => {
    const h = render('general');
    await flush();
    act(() => fake.fire('room:history', { roomId: 'r2', messages: [msg(10, 2, 'x', [1, 2], 'r2'), msg(11, 2, 'y', [2], 'r2')] }));
    act(() => fake.fire('chat:message', msg(12, 2, 'z', [2], 'r2')));
    expect(h.result.current.unread.r2).toBe(2);
    act(() => fake.fire('chat:message', msg(13, 2, 'hello', [2])));
    await flush();
    expect(fake.sent('chat:read')).toContainEqual([{ roomId: 'general', lastReadMessageId: 13 }]);
    expect(h.result.current.unread.general).toBe(0);
    h.rerender({ c: conn(1), a: 'r2' });
    await flush();
    expect(fake.sent('chat:read')).toContainEqual([{ roomId: 'r2', lastReadMessageId: 12 }]);
    expect(h.result.current.unread.r2).toBe(0);
  });

  it('applies read receipts and typing with names', async () => {
    const h = render(null);
    await flush();
    act(() => fake.fire('room:history', { roomId: 'general', messages: [msg(1, 1, 'mine'), msg(2, 1, 'mine too')] }));
    act(() => fake.fire('chat:read-receipt', { userId: 2, username: 'bob', roomId: 'general', lastReadMessageId: 1, timestamp: 0 }));
    const list = h.result.current.state.messages.general;
    expect(list[0].readBy).toEqual([1, 2]);
    expect(list[1].readBy).toEqual([1]);
    act(() => fake.fire('chat:user-typing', { userId: 2, username: 'bob', roomId: 'general' }));
    expect(h.result.current.state.typing.general).toEqual({ 2: 'bob' });
    act(() => fake.fire('chat:message', msg(3, 2, 'done typing')));
    expect(h.result.current.state.typing.general).toEqual({});
    act(() => fake.fire('chat:user-typing', { userId: 2, username: 'bob', roomId: 'general' }));
    act(() => fake.fire('chat:user-stopped-typing', { userId: 2, roomId: 'general' }));
    expect(h.result.current.state.typing.general).toEqual({});
  });

  it('sends through the outbox only once the room is joined, with replies, and throttles typing', async () => {
    const h = renderHook(({ c }) => useChat(fake as unknown as ChatSocket, c, me, rooms, 'general'), { initialProps: { c: conn(1, 'reconnecting') } });
    act(() => h.result.current.send('general', '  while offline  ', 7));
    expect(h.result.current.state.outbox).toMatchObject([{ text: 'while offline', state: 'queued', replyToId: 7 }]);
    expect(fake.sent('chat:send')).toHaveLength(0);
    h.rerender({ c: conn(1) });
    await flush();
    await flush();
    expect(fake.sent('chat:send')).toEqual([[{ roomId: 'general', text: 'while offline', replyToId: 7, clientMsgId: expect.any(String) }]]);
    expect(h.result.current.state.outbox).toEqual([]);

    act(() => h.result.current.typing('general', true));
    act(() => h.result.current.typing('general', true));
    expect(fake.sent('chat:typing-start')).toHaveLength(1);
    act(() => h.result.current.typing('general', false));
    expect(fake.sent('chat:typing-stop')).toHaveLength(1);
  });

  it('retries a message with the same idempotency key, and gives each message its own', async () => {
    let calls = 0;
    fake.responders['chat:send'] = () => (++calls === 1
      ? { success: false, error: 'try again', code: 'INTERNAL' }
      : { success: true, messageId: 100 + calls });
    const h = render();
    await flush();
    act(() => h.result.current.send('general', 'first'));
    await flush();
    await flush();
    const failed = h.result.current.state.outbox[0];
    expect(failed).toMatchObject({ state: 'failed', text: 'first' });
    act(() => h.result.current.retrySend(failed.key));
    await flush();
    await flush();
    act(() => h.result.current.send('general', 'second'));
    await flush();
    await flush();
    const keys = fake.sent('chat:send').map((args) => (args[0] as { clientMsgId: string }).clientMsgId);
    expect(keys).toHaveLength(3);
    expect(keys[1]).toEqual(keys[0]); // the retry
    expect(keys[2]).not.toEqual(keys[0]); // another message
    expect(h.result.current.state.outbox).toEqual([]);
  });

  it('keeps a refused message as failed, and records direct messages both ways', async () => {
    fake.responders['chat:send'] = () => ({ success: false, error: 'text too long', code: 'INVALID_PAYLOAD' });
    fake.responders['user:direct-message'] = () => ({ success: true });
    const h = render();
    await flush();
    act(() => h.result.current.send('general', 'x'));
    await flush();
    await flush();
    expect(h.result.current.state.outbox).toMatchObject([{ state: 'failed', error: 'text too long' }]);
    act(() => fake.fire('chat:direct', { fromUserId: 2, fromUsername: 'bob', message: 'psst', timestamp: 1 }));
    let err: string | null = 'unset';
    await act(async () => { err = await h.result.current.sendDirect(2, 'bob', 'hi bob'); });
    expect(err).toBeNull();
    expect(h.result.current.state.dms.map((d) => [d.mine, d.text])).toEqual([[false, 'psst'], [true, 'hi bob']]);
    expect(JSON.parse(localStorage.getItem('parley.dms.1')!)).toHaveLength(2);
  });
});
