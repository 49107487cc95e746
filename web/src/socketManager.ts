import { io, type Socket } from 'socket.io-client';
import { AUTH_ERROR_CODES, type AuthErrorCode, type ClientToServerEvents, type ServerToClientEvents } from './events';

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** connecting: first attempt; connected; reconnecting: a retry is scheduled; offline: the browser is offline or retries keep failing. */
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';

export interface ConnectionState {
  status: ConnectionStatus;
  /** Consecutive failed attempts since the last successful connect. */
  attempt: number;
  /** When the next automatic retry happens (epoch ms), if one is scheduled. */
  nextRetryAt: number | null;
  lastError: string | null;
  /** Increments on every successful connect: hooks re-join rooms and resync when it changes. */
  session: number;
}

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** After this many consecutive failures the status reads `offline` (retries continue). */
  offlineAfter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000, offlineAfter: 5 };

/**
 * Exponential backoff with "equal jitter": the ceiling doubles with each attempt (capped at
 * maxMs) and the delay is drawn uniformly from [ceiling/2, ceiling], so clients that lost the
 * server together do not come back together.
 */
export function backoffDelay(attempt: number, opts: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const ceiling = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** The parts of socket.io-client's Socket the manager uses (a fake one in unit tests). */
export interface ManagedSocket {
  connected: boolean;
  auth: unknown;
  connect(): unknown;
  disconnect(): unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  on(event: 'connect' | 'disconnect' | 'connect_error', fn: (...args: any[]) => void): unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  off(event: 'connect' | 'disconnect' | 'connect_error', fn?: (...args: any[]) => void): unknown;
}

export interface SocketManagerOptions<S extends ManagedSocket> {
  url?: string;
  token: string;
  /** Called once when the server refuses the token (expired, invalid, disabled account). */
  onAuthError: (code: AuthErrorCode, message: string) => void;
  backoff?: BackoffOptions;
  /** Creates the socket (tests pass a fake). It must not reconnect by itself. */
  create?: (url: string, token: string) => S;
  /** Window-like target for online/offline events, and navigator.onLine. */
  env?: { addEventListener: Window['addEventListener']; removeEventListener: Window['removeEventListener']; isOnline: () => boolean };
  random?: () => number;
}

function defaultCreate(url: string, token: string): ChatSocket {
  // socket.io-client's own reconnection is off: this manager schedules retries itself.
  return io(url, { auth: { token }, autoConnect: false, reconnection: false, transports: ['websocket', 'polling'] });
}

/**
 * Owns the Socket.IO connection: connects with the token, retries with backoff and jitter after
 * any loss (the server going away, the network dropping), retries at once when the browser comes
 * back online or the user presses Retry, and stops for good when the server refuses the token
 * (the app then returns to the login screen: there is no refresh token in this API).
 */
export class SocketManager<S extends ManagedSocket = ChatSocket> {
  readonly socket: S;
  private state: ConnectionState = { status: 'connecting', attempt: 0, nextRetryAt: null, lastError: null, session: 0 };
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private readonly backoff: BackoffOptions;
  private readonly random: () => number;
  private readonly env: NonNullable<SocketManagerOptions<S>['env']> | null;
  private readonly onAuthError: SocketManagerOptions<S>['onAuthError'];

  constructor(opts: SocketManagerOptions<S>) {
    const create = opts.create ?? (defaultCreate as unknown as (url: string, token: string) => S);
    this.socket = create(opts.url ?? '/', opts.token);
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.random = opts.random ?? Math.random;
    this.onAuthError = opts.onAuthError;
    this.env = opts.env ?? (typeof window !== 'undefined'
      ? { addEventListener: window.addEventListener.bind(window), removeEventListener: window.removeEventListener.bind(window), isOnline: () => navigator.onLine }
      : null);
    this.socket.on('connect', this.handleConnect);
    this.socket.on('disconnect', this.handleDisconnect);
    this.socket.on('connect_error', this.handleConnectError);
    this.env?.addEventListener('online', this.handleOnline);
    this.env?.addEventListener('offline', this.handleOffline);
  }

  start(): this {
    this.socket.connect();
    return this;
  }

  getState = (): ConnectionState => this.state;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  /** Retry now (the banner's Retry button, or the browser coming back online). */
  retryNow = (): void => {
    if (this.stopped || this.socket.connected) return;
    this.clearTimer();
    this.set({ status: this.state.attempt === 0 ? 'connecting' : 'reconnecting', nextRetryAt: null });
    this.socket.connect();
  };

  /** Closes the connection for good (log out). */
  stop(): void {
    this.stopped = true;
    this.clearTimer();
    this.socket.off('connect', this.handleConnect);
    this.socket.off('disconnect', this.handleDisconnect);
    this.socket.off('connect_error', this.handleConnectError);
    this.env?.removeEventListener('online', this.handleOnline);
    this.env?.removeEventListener('offline', this.handleOffline);
    this.socket.disconnect();
    this.listeners.clear();
  }

  private handleConnect = () => {
    this.clearTimer();
    this.set({ status: 'connected', attempt: 0, nextRetryAt: null, lastError: null, session: this.state.session + 1 });
  };

  private handleDisconnect = (reason: string) => {
    if (this.stopped || reason === 'io client disconnect') return;
    this.schedule(reason);
  };

  private handleConnectError = (err: Error & { data?: { code?: string } }) => {
    if (this.stopped) return;
    const code = err?.data?.code;
    if (code && (AUTH_ERROR_CODES as readonly string[]).includes(code)) {
      this.stopped = true;
      this.clearTimer();
      this.set({ status: 'offline', nextRetryAt: null, lastError: err.message });
      this.onAuthError(code as AuthErrorCode, err.message);
      return;
    }
    this.schedule(err?.message ?? 'connect error');
  };

  private handleOnline = () => this.retryNow();

  private handleOffline = () => {
    if (!this.socket.connected && !this.stopped) this.set({ status: 'offline' });
  };

  private schedule(error: string) {
    this.clearTimer();
    const attempt = this.state.attempt + 1;
    const delay = backoffDelay(attempt - 1, this.backoff, this.random);
    const offline = attempt >= this.backoff.offlineAfter || (this.env ? !this.env.isOnline() : false);
    this.set({ status: offline ? 'offline' : 'reconnecting', attempt, nextRetryAt: Date.now() + delay, lastError: error });
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.stopped && !this.socket.connected) this.socket.connect();
    }, delay);
  }

  private clearTimer() {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private set(patch: Partial<ConnectionState>) {
    this.state = { ...this.state, ...patch };
    for (const fn of [...this.listeners]) fn();
  }
}
