import { useState, type FormEvent } from 'react';
import { ApiError, api, type Session } from '../api';

export function Login({ onLogin, notice }: { onLogin: (s: Session) => void; notice: string | null }) {
  const [mode, setMode] = useState<'login' | 'register'>('login');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      if (mode === 'register') await api.register(username, password);
      onLogin(await api.login(username, password));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Cannot reach the server');
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <h1>Parley</h1>
      {notice && <p className="notice" role="status">{notice}</p>}
      <div className="tabs" role="group" aria-label="Log in or create an account">
        <button type="button" aria-pressed={mode === 'login'} onClick={() => setMode('login')}>Log in</button>
        <button type="button" aria-pressed={mode === 'register'} onClick={() => setMode('register')}>Create account</button>
      </div>
      <form onSubmit={submit} aria-label={mode === 'login' ? 'Log in' : 'Create account'}>
        <label htmlFor="username">Username</label>
        <input id="username" name="username" autoComplete="username" required minLength={3} maxLength={32}
          value={username} onChange={(e) => setUsername(e.target.value)} />
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" required minLength={mode === 'register' ? 8 : 1}
          autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
          value={password} onChange={(e) => setPassword(e.target.value)} />
        {mode === 'register' && <p className="hint">3–32 letters, digits, “_”, “.” or “-”; a password of at least 8 characters.</p>}
        {error && <p className="error" role="alert">{error}</p>}
        <button type="submit" className="primary" disabled={busy}>{mode === 'login' ? 'Log in' : 'Create account'}</button>
      </form>
    </main>
  );
}
