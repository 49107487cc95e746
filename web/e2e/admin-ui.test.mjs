// The @socket.io/admin-ui web UI served by `./parley serve --admin-ui` at /admin-ui/, in headless
// Chromium (Debian's, never a downloaded one): it loads under its content security policy without a
// script error, logs in through its connection form with the admin account and the namespace
// /socket.io-admin (advanced options), lists a chat socket that a Node client holds open, and
// disconnects it from the socket's page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io } from 'socket.io-client';
import { launch, watchConsole } from './browser.mjs';
import { startServer } from './server.mjs';

const SHOTS = process.env.PARLEY_SCREENSHOTS === '1' ? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'screenshots') : null;
let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function login(username, password) {
  const r = await fetch(`${server.url}/api/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }),
  });
  assert.equal(r.status, 200, `login ${username}`);
  return (await r.json()).token;
}

test('the admin UI connects to /socket.io-admin, lists a chat socket and disconnects it', { timeout: 60_000 }, async () => {
  const token = await login('admin', server.adminPassword);
  const chat = io(server.url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  await new Promise((resolve, reject) => { chat.once('connect', resolve); chat.once('connect_error', reject); });
  const chatId = chat.id;
  const disconnected = new Promise((resolve) => chat.once('disconnect', resolve));

  const context = await browser.newContext();
  const errors = [];
  watchConsole(context, errors);
  const cspViolations = [];
  const page = await context.newPage();
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text()); });
  const failedLocal = [];
  page.on('requestfailed', (r) => { if (r.url().startsWith(server.url)) failedLocal.push(r.url()); });
  try {
    const response = await page.goto(`${server.url}/admin-ui/`);
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-security-policy'], /script-src 'self';/);
    await page.getByLabel('Server URL').fill(server.url);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(server.adminPassword);
    await page.getByText('Advanced options').click();
    await page.getByLabel('Admin namespace').fill('/socket.io-admin');
    await page.getByRole('button', { name: 'Connect' }).click();
    // connected: the dialog closes and the sockets page lists the chat socket
    await page.getByLabel('Server URL').waitFor({ state: 'hidden', timeout: 10_000 });
    await page.goto(`${server.url}/admin-ui/#/sockets`);
    await page.getByText(chatId).first().waitFor({ timeout: 10_000 });
    if (SHOTS) {
      await page.setViewportSize({ width: 1280, height: 720 });
      await page.screenshot({ path: join(SHOTS, 'admin-ui.png') });
    }
    // the socket's page: disconnect it
    await page.getByText(chatId).first().click();
    await page.locator('button:has(.mdi-logout)').last().click(); // the socket's own disconnect (the first is its client's)
    const reason = await Promise.race([disconnected,
      new Promise((_, reject) => setTimeout(() => reject(new Error('the chat socket was not disconnected')), 10_000))]);
    assert.equal(reason, 'io server disconnect');
    assert.deepEqual(cspViolations, [], 'no content security policy violation');
    assert.deepEqual(failedLocal, [], 'every request to the server succeeded');
    // Google Fonts and jsDelivr (the UI's font and icons) may be unreachable here: network errors
    // about them are tolerated, nothing else.
    const real = errors.filter((e) => !/net::ERR_|Failed to load resource/.test(e.text));
    assert.deepEqual(real, [], 'no console error');
  } finally {
    chat.close();
    await context.close();
  }
});
