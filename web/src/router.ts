import { useCallback, useEffect, useState } from 'react';

/** A tiny History API router: the server falls back to index.html for these paths. */
export function usePath(): [string, (to: string) => void] {
  const [path, setPath] = useState(() => window.location.pathname);
  useEffect(() => {
    const onPop = () => setPath(window.location.pathname);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((to: string) => {
    if (to !== window.location.pathname) window.history.pushState(null, '', to);
    setPath(to);
  }, []);
  return [path, navigate];
}

export type Route =
  | { name: 'home' }
  | { name: 'room'; roomId: string }
  | { name: 'dm'; userId: number | null }
  | { name: 'notifications' }
  | { name: 'admin' }
  | { name: 'login' };

export function parseRoute(path: string): Route {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'rooms' && parts[1]) return { name: 'room', roomId: parts[1] };
  if (parts[0] === 'messages') return { name: 'dm', userId: parts[1] && /^\d+$/.test(parts[1]) ? Number(parts[1]) : null };
  if (parts[0] === 'notifications') return { name: 'notifications' };
  if (parts[0] === 'admin') return { name: 'admin' };
  if (parts[0] === 'login') return { name: 'login' };
  return { name: 'home' };
}
