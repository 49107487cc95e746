import { act, renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ChatSocket } from '../socketManager';
import { FakeSocket } from '../test/fakeSocket';
import { useSocket } from './useSocket';

describe('useSocket', () => {
  it('connects for a token, reports status changes, returns to login on TOKEN_EXPIRED, closes on log out', () => {
    const fake = new FakeSocket();
    const auth: string[] = [];
    const h = renderHook(({ token }) => useSocket(token, (c) => auth.push(c), () => fake as unknown as ChatSocket),
      { initialProps: { token: 'tok' as string | null } });
    expect(fake.connectCalls).toBe(1);
    expect(h.result.current.socket).toBe(fake);
    expect(h.result.current.connection.status).toBe('connecting');
    act(() => fake.fire('connect'));
    expect(h.result.current.connection).toMatchObject({ status: 'connected', session: 1 });
    act(() => fake.fire('disconnect', 'transport close'));
    expect(h.result.current.connection.status).toBe('reconnecting');
    act(() => h.result.current.retry());
    expect(fake.connectCalls).toBe(2);
    act(() => fake.fire('connect_error', Object.assign(new Error('jwt expired'), { data: { code: 'TOKEN_EXPIRED' } })));
    expect(auth).toEqual(['TOKEN_EXPIRED']);
    h.rerender({ token: null });
    expect(fake.disconnectCalls).toBe(1);
    expect(h.result.current.socket).toBeNull();
  });
});
