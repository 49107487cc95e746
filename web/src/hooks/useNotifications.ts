import { useCallback, useEffect, useRef, useState } from 'react';
import type { InboxItem, NotificationPayload } from '../events';
import type { ChatSocket } from '../socketManager';

export interface Toast {
  key: number;
  title: string;
  body: string;
}

/** A one-line description of a notification for the inbox and the toasts. */
export function describe(event: string, p: NotificationPayload): { title: string; body: string } {
  if (event === 'job:progress') {
    const pct = typeof p.progress === 'number' ? `${Math.round(p.progress)}%` : '';
    return { title: `Job ${p.jobId ?? ''} ${p.status ?? ''}`.trim(), body: `${p.status === 'completed' ? 'Done' : 'Progress'} ${pct}`.trim() };
  }
  switch (p.type) {
    case 'STOCK_UPDATE':
      return { title: p.isLowStock ? 'Low stock' : 'Stock update', body: `${p.productId}: ${p.stock} left` };
    case 'STOCK_SOLD_OUT':
      return { title: 'Sold out', body: `${p.productId}: ${p.message ?? 'sold out'}` };
    case 'PRICE_DROP':
      return { title: 'Price drop', body: `${p.productId}: ${p.oldPrice} → ${p.newPrice} (−${p.changePercent}%)` };
    default:
      return { title: p.type ?? event, body: p.message ?? '' };
  }
}

const TOAST_MS = 6000;
const MAX_TOASTS = 4;
let toastSeq = 0;

/**
 * The notifications inbox and toasts: the server sends `notifications:unread` on every connect
 * (what arrived while offline), then `notification` / `job:progress` live, each stored first and
 * carrying its `notificationId`. Live ones also raise a toast that goes away after 6 s.
 */
export function useNotifications(socket: ChatSocket | null, toastMs = TOAST_MS) {
  const [items, setItems] = useState<InboxItem[]>([]);
  const [unread, setUnread] = useState(0);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());
  // Bumped on every local change of the unread count, so a slower inbox fetch cannot overwrite it.
  const version = useRef(0);

  const dismiss = useCallback((key: number) => setToasts((t) => t.filter((x) => x.key !== key)), []);

  useEffect(() => {
    if (!socket) return;
    const merge = (incoming: InboxItem[]) => setItems((cur) => {
      const byId = new Map(cur.map((i) => [i.id, i]));
      for (const i of incoming) byId.set(i.id, i);
      return [...byId.values()].sort((a, b) => b.id - a.id).slice(0, 100);
    });
    const onUnread = (p: { unread: number; notifications: InboxItem[] }) => {
      version.current++;
      merge(p.notifications);
      setUnread(p.unread);
    };
    const live = (event: string) => (p: NotificationPayload) => {
      if (typeof p.notificationId === 'number') {
        version.current++;
        merge([{ id: p.notificationId, event, payload: p, createdAt: p.timestamp ?? Date.now(), read: false }]);
        setUnread((u) => u + 1);
      }
      const key = ++toastSeq;
      setToasts((t) => [...t, { key, ...describe(event, p) }].slice(-MAX_TOASTS));
      const timer = setTimeout(() => {
        timers.current.delete(timer);
        setToasts((t) => t.filter((x) => x.key !== key));
      }, toastMs);
      timers.current.add(timer);
    };
    const onNotification = live('notification');
    const onProgress = live('job:progress');
    socket.on('notifications:unread', onUnread);
    socket.on('notification', onNotification);
    socket.on('job:progress', onProgress);
    return () => {
      socket.off('notifications:unread', onUnread);
      socket.off('notification', onNotification);
      socket.off('job:progress', onProgress);
    };
  }, [socket, toastMs]);

  useEffect(() => () => {
    for (const t of timers.current) clearTimeout(t);
  }, []);

  /** Marks some notifications (or all) read on the server; the answer carries the new unread count. */
  const markRead = useCallback((ids: number[] | 'all') => {
    if (!socket) return;
    const payload = ids === 'all' ? { all: true as const } : { ids };
    socket.timeout(5000).emit('notifications:read', payload, (err: Error | null, ack) => {
      if (err || !ack.success) return;
      version.current++;
      setUnread(ack.unread);
      setItems((cur) => cur.map((i) => (ids === 'all' || ids.includes(i.id) ? { ...i, read: true } : i)));
    });
  }, [socket]);

  /**
   * Loads the full inbox (read ones too), e.g. from GET /api/notifications. When something changed
   * locally while it was in flight (a live notification, a mark-read answer), the newer local state
   * wins: entries are merged and the unread count is kept.
   */
  const reload = useCallback(async (fetchInbox: () => Promise<{ unread: number; notifications: InboxItem[] }>) => {
    const v = version.current;
    const r = await fetchInbox();
    if (v === version.current) {
      setItems(r.notifications);
      setUnread(r.unread);
    } else {
      setItems((cur) => {
        const local = new Map(cur.map((i) => [i.id, i]));
        const byId = new Map(r.notifications.map((i) => [i.id, local.get(i.id)?.read ? { ...i, read: true } : i]));
        for (const i of cur) byId.set(i.id, i);
        return [...byId.values()].sort((a, b) => b.id - a.id).slice(0, 100);
      });
    }
  }, []);

  return { items, unread, toasts, dismiss, markRead, reload };
}
