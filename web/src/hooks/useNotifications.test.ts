import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatSocket } from '../socketManager';
import { FakeSocket } from '../test/fakeSocket';
import { describe as describeNotification, useNotifications } from './useNotifications';

describe('useNotifications', () => {
  let fake: FakeSocket;
  beforeEach(() => {
    vi.useFakeTimers();
    fake = new FakeSocket();
  });
  afterEach(() => vi.useRealTimers());

  const item = (id: number, read = false) => ({ id, event: 'notification', payload: { type: 'PRICE_DROP', productId: 'p', oldPrice: 10, newPrice: 8, changePercent: '20.0' }, createdAt: id, read });

  it('takes the inbox on connect, adds live notifications with a toast that goes away', () => {
    const h = renderHook(() => useNotifications(fake as unknown as ChatSocket, 1000));
    act(() => fake.fire('notifications:unread', { unread: 2, notifications: [item(2), item(1)] }));
    expect(h.result.current.unread).toBe(2);
    act(() => fake.fire('job:progress', { jobId: 'j1', progress: 100, status: 'completed', timestamp: 5, notificationId: 3 }));
    expect(h.result.current.unread).toBe(3);
    expect(h.result.current.items.map((i) => i.id)).toEqual([3, 2, 1]);
    expect(h.result.current.toasts).toMatchObject([{ title: 'Job j1 completed', body: 'Done 100%' }]);
    act(() => { vi.advanceTimersByTime(1000); });
    expect(h.result.current.toasts).toEqual([]);
    act(() => fake.fire('notification', { type: 'STOCK_UPDATE', productId: 'sku', stock: 3, isLowStock: true }));
    expect(h.result.current.toasts).toMatchObject([{ title: 'Low stock', body: 'sku: 3 left' }]);
    act(() => h.result.current.dismiss(h.result.current.toasts[0].key));
    expect(h.result.current.toasts).toEqual([]);
  });

  it('marks read through the socket and keeps a newer count over a slower inbox fetch', async () => {
    fake.responders['notifications:read'] = () => ({ success: true, updated: 2, unread: 0 });
    const h = renderHook(() => useNotifications(fake as unknown as ChatSocket));
    act(() => fake.fire('notifications:unread', { unread: 2, notifications: [item(2), item(1)] }));
    let answer!: (v: { unread: number; notifications: ReturnType<typeof item>[] }) => void;
    let loading!: Promise<void>;
    act(() => { loading = h.result.current.reload(() => new Promise((r) => { answer = r; })); });
    act(() => h.result.current.markRead('all'));
    await act(async () => { await Promise.resolve(); });
    expect(fake.sent('notifications:read')).toEqual([[{ all: true }]]);
    expect(h.result.current.unread).toBe(0);
    await act(async () => { answer({ unread: 2, notifications: [item(2), item(1), item(0, true)] }); await loading; });
    expect(h.result.current.unread).toBe(0);
    expect(h.result.current.items.map((i) => [i.id, i.read])).toEqual([[2, true], [1, true], [0, true]]);
  });

  it('describes each kind', () => {
    expect(describeNotification('notification', { type: 'PRICE_DROP', productId: 'p', oldPrice: 10, newPrice: 8, changePercent: '20.0' }))
      .toEqual({ title: 'Price drop', body: 'p: 10 → 8 (−20.0%)' });
    expect(describeNotification('notification', { type: 'STOCK_SOLD_OUT', productId: 'p', message: 'gone' }).title).toBe('Sold out');
  });
});
