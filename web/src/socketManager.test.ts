import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF, SocketManager } from './socketManager';
import { FakeSocket } from './test/fakeSocket';

function env(online = true) {
  const target = new EventTarget();
  const e = {
    online,
    addEventListener: target.addEventListener.bind(target) as Window['addEventListener'],
    removeEventListener: target.removeEventListener.bind(target) as Window['removeEventListener'],
    isOnline: () => e.online,
    dispatch: (type: string) => target.dispatchEvent(new Event(type)),
  };
  return e;
}

describe('backoffDelay', () => {
  it('doubles the ceiling per attempt, draws within [ceiling/2, ceiling], caps at maxMs', () => {
    const o = { baseMs: 500, maxMs: 30_000, offlineAfter: 5 };
    expect(backoffDelay(0, o, () => 0)).toBe(250);
    expect(backoffDelay(0, o, () => 1)).toBe(500);
    expect(backoffDelay(3, o, () => 0)).toBe(2000);
    expect(backoffDelay(3, o, () => 1)).toBe(4000);
    expect(backoffDelay(20, o, () => 1)).toBe(30_000);
    expect(backoffDelay(20, o, () => 0)).toBe(15_000);
    const seen = new Set(Array.from({ length: 50 }, () => backoffDelay(4, DEFAULT_BACKOFF)));
    expect(seen.size).toBeGreaterThan(10); // jitter
  });
});

describe('SocketManager', () => {
  let fake: FakeSocket;
  let e: ReturnType<typeof env>;
  let authErrors: string[];
  let m: SocketManager<FakeSocket>;

  beforeEach(() => {
    vi.useFakeTimers();
    fake = new FakeSocket();
    e = env();
    authErrors = [];
    m = new SocketManager<FakeSocket>({
      token: 't', create: () => fake, env: e, random: () => 1,
      backoff: { baseMs: 100, maxMs: 1000, offlineAfter: 3 }, onAuthError: (code) => authErrors.push(code),
    }).start();
  });
  afterEach(() => vi.useRealTimers());

  it('connects, then retries a lost connection with growing delays and counts sessions', () => {
    expect(fake.connectCalls).toBe(1);
    expect(m.getState().status).toBe('connecting');
    fake.fire('connect');
    expect(m.getState()).toMatchObject({ status: 'connected', session: 1, attempt: 0 });

    fake.fire('disconnect', 'transport close');
    expect(m.getState()).toMatchObject({ status: 'reconnecting', attempt: 1 });
    vi.advanceTimersByTime(99);
    expect(fake.connectCalls).toBe(1);
    vi.advanceTimersByTime(1);
    expect(fake.connectCalls).toBe(2);
    fake.fire('connect_error', new Error('xhr poll error'));
    expect(m.getState().attempt).toBe(2);
    vi.advanceTimersByTime(199);
    expect(fake.connectCalls).toBe(2);
    vi.advanceTimersByTime(1);
    expect(fake.connectCalls).toBe(3);
    fake.fire('connect_error', new Error('xhr poll error'));
    expect(m.getState().status).toBe('offline'); // offlineAfter: 3
    fake.fire('connect');
    expect(m.getState()).toMatchObject({ status: 'connected', session: 2, attempt: 0, nextRetryAt: null });
  });

  it('retries at once on Retry and when the browser comes back online', () => {
    fake.fire('connect');
    e.online = false;
    fake.fire('disconnect', 'transport close');
    expect(m.getState().status).toBe('offline');
    m.retryNow();
    expect(fake.connectCalls).toBe(2);
    fake.fire('connect_error', new Error('offline'));
    e.online = true;
    e.dispatch('online');
    expect(fake.connectCalls).toBe(3);
  });

  it('stops and reports when the server refuses the token', () => {
    fake.fire('connect_error', Object.assign(new Error('token expired'), { data: { code: 'TOKEN_EXPIRED' } }));
    expect(authErrors).toEqual(['TOKEN_EXPIRED']);
    vi.advanceTimersByTime(60_000);
    expect(fake.connectCalls).toBe(1);
    m.retryNow();
    expect(fake.connectCalls).toBe(1);
  });

  it('does not reconnect after a deliberate disconnect (log out)', () => {
    fake.fire('connect');
    m.stop();
    expect(fake.disconnectCalls).toBe(1);
    fake.fire('disconnect', 'io client disconnect');
    vi.advanceTimersByTime(60_000);
    expect(fake.connectCalls).toBe(1);
  });
});
