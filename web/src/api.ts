import type { InboxItem, Room, User } from './events';

export interface Session {
  token: string;
  user: User;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

const SESSION_KEY = 'parley.session';

/** Seconds since the epoch at which a JWT expires, or null when it cannot be read. */
export function tokenExpiry(token: string): number | null {
  try {
    const part = token.split('.')[1];
    const json = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/')));
    return typeof json.exp === 'number' ? json.exp : null;
  } catch {
    return null;
  }
}

export function isExpired(token: string, nowMs = Date.now()): boolean {
  const exp = tokenExpiry(token);
  return exp === null || exp * 1000 <= nowMs;
}

export function loadSession(storage: Storage = localStorage): Session | null {
  try {
    const raw = storage.getItem(SESSION_KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    if (!s?.token || !s.user || isExpired(s.token)) {
      storage.removeItem(SESSION_KEY);
      return null;
    }
    return s;
  } catch {
    return null;
  }
}

export function saveSession(s: Session | null, storage: Storage = localStorage): void {
  if (s) storage.setItem(SESSION_KEY, JSON.stringify(s));
  else storage.removeItem(SESSION_KEY);
}

async function call<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  if (!res.ok) {
    throw new ApiError(res.status, json?.code ?? 'HTTP_' + res.status, json?.error ?? res.statusText);
  }
  return json as T;
}

export const api = {
  register: (username: string, password: string) =>
    call<{ userId: number; username: string }>('POST', '/api/register', { username, password }),
  login: (username: string, password: string) => call<Session>('POST', '/api/login', { username, password }),
  rooms: (token: string) => call<{ rooms: Room[] }>('GET', '/api/rooms', undefined, token),
  createRoom: (token: string, name: string, isPrivate = false) =>
    call<{ roomId: string }>('POST', '/api/rooms', { name, isPrivate }, token),
  notifications: (token: string) =>
    call<{ unread: number; notifications: InboxItem[] }>('GET', '/api/notifications?limit=50', undefined, token),
  watch: (token: string, productId: string) =>
    call<{ productId: string; watching: boolean }>('POST', `/api/products/${encodeURIComponent(productId)}/watch`, undefined, token),
  health: () => call<{ status: string; database: string; connections: number }>('GET', '/health'),
};
