// Starts a real Parley server for the e2e tests, or uses the one named by PARLEY_URL (the JUnit
// runner WebClientE2ETest starts one in-process and passes PARLEY_URL and the secrets).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export async function startServer() {
  if (process.env.PARLEY_URL) {
    return {
      url: process.env.PARLEY_URL.replace(/\/$/, ''),
      webhookSecret: process.env.PARLEY_WEBHOOK_SECRET,
      adminPassword: process.env.PARLEY_ADMIN_PASSWORD,
      jwtSecret: process.env.PARLEY_JWT_SECRET,
      stop: async () => {},
    };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-e2e-'));
  const secrets = {
    webhookSecret: 'e2e-webhook-' + Math.random().toString(36).slice(2),
    adminPassword: 'e2e-admin-' + Math.random().toString(36).slice(2),
    jwtSecret: 'e2e-jwt-' + Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2),
  };
  const proc = spawn(join(here, '..', '..', 'parley'), ['serve', '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir,
    '--webhook-secret', secrets.webhookSecret, '--admin-password', secrets.adminPassword, '--jwt-secret', secrets.jwtSecret,
    '--admin-ui'],
  { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not start in 120 s:\n' + log)), 120_000);
    const onData = (d) => {
      log += d;
      const m = /open (http:\/\/[^/\s]+)\//.exec(log);
      if (m) { clearTimeout(timer); resolve(m[1].replace('localhost', '127.0.0.1')); }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`the server exited (${code}):\n${log}`)); });
  });
  return {
    url, ...secrets,
    stop: async () => {
      proc.kill('SIGTERM');
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.on('exit', r)));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
