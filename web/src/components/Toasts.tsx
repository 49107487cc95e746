import type { Toast } from '../hooks/useNotifications';

export function Toasts({ toasts, onDismiss }: { toasts: Toast[]; onDismiss: (key: number) => void }) {
  return (
    <div className="toasts" role="region" aria-label="Notifications" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.key} className="toast" role="status">
          <strong>{t.title}</strong>
          <span>{t.body}</span>
          <button type="button" aria-label={`Dismiss ${t.title}`} onClick={() => onDismiss(t.key)}>×</button>
        </div>
      ))}
    </div>
  );
}
