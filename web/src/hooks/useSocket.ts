import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { AuthErrorCode } from '../events';
import { SocketManager, type ChatSocket, type ConnectionState, type SocketManagerOptions } from '../socketManager';

const IDLE: ConnectionState = { status: 'connecting', attempt: 0, nextRetryAt: null, lastError: null, session: 0 };
const noopSubscribe = () => () => {};

export interface UseSocket {
  socket: ChatSocket | null;
  connection: ConnectionState;
  retry: () => void;
}

/**
 * One Socket.IO connection for the signed-in user: created when a token appears, closed when it
 * goes (log out). `connection.status` is connecting / connected / reconnecting / offline, and
 * `connection.session` increments on every (re)connect so other hooks can re-join and resync.
 */
export function useSocket(
  token: string | null,
  onAuthError: (code: AuthErrorCode, message: string) => void,
  create?: SocketManagerOptions<ChatSocket>['create'],
): UseSocket {
  const [manager, setManager] = useState<SocketManager<ChatSocket> | null>(null);

  useEffect(() => {
    if (!token) return;
    const m = new SocketManager<ChatSocket>({ token, onAuthError: (c, msg) => onAuthError(c, msg), create });
    setManager(m);
    m.start();
    if (typeof window !== 'undefined') (window as any).__parleySocket = m.socket; // e2e hook: lets tests cut the connection
    return () => {
      m.stop();
      setManager(null);
    };
    // onAuthError and create are read once per token on purpose
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token]);

  const connection = useSyncExternalStore(manager?.subscribe ?? noopSubscribe, manager?.getState ?? (() => IDLE));
  const retry = useCallback(() => manager?.retryNow(), [manager]);
  return { socket: manager?.socket ?? null, connection, retry };
}
