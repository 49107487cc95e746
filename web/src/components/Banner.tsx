import { useEffect, useState } from 'react';
import type { ConnectionState } from '../socketManager';

/** The connection status banner: silent while connected, with Retry while reconnecting or offline. */
export function ConnectionBanner({ connection, onRetry }: { connection: ConnectionState; onRetry: () => void }) {
  const [, tick] = useState(0);
  useEffect(() => {
    if (!connection.nextRetryAt) return;
    const t = setInterval(() => tick((n) => n + 1), 500);
    return () => clearInterval(t);
  }, [connection.nextRetryAt]);

  const { status } = connection;
  const secs = connection.nextRetryAt ? Math.max(0, Math.ceil((connection.nextRetryAt - Date.now()) / 1000)) : null;
  let text: string;
  if (status === 'connected') text = 'Connected';
  else if (status === 'connecting') text = 'Connecting…';
  else if (status === 'reconnecting') text = `Connection lost. Reconnecting${secs !== null ? ` in ${secs} s` : '…'}`;
  else text = `You are offline.${secs !== null ? ` Next try in ${secs} s.` : ''}`;
  return (
    <div className={`banner banner-${status}`} role="status" aria-live="polite" data-status={status}>
      <span className="dot" aria-hidden="true" />
      <span>{text}</span>
      {(status === 'reconnecting' || status === 'offline') && (
        <button type="button" onClick={onRetry}>Retry now</button>
      )}
    </div>
  );
}
