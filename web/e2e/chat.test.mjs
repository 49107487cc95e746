// End-to-end: the built web client in headless Chromium (Debian's package, driven by
// playwright-core) against a real Parley server. Screenshots go to docs/screenshots when
// PARLEY_SCREENSHOTS=1.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, watchConsole } from './browser.mjs';
import { startServer } from './server.mjs';

const SHOTS = process.env.PARLEY_SCREENSHOTS === '1' ? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'screenshots') : null;
const PASSWORD = 'correct horse battery';
const suffix = Math.random().toString(36).slice(2, 7);
const ALICE = `alice_${suffix}`;
const BOB = `bob_${suffix}`;

let server, browser;
const errors = [];
const allowed = []; // [from, to] windows in which network errors are expected (the offline test)

async function shot(page, name) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

async function newContext(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 720 }, baseURL: server.url, ...options });
  context.setDefaultTimeout(10_000);
  watchConsole(context, errors);
  return context;
}

async function newUser(name, viewport = { width: 1100, height: 720 }) {
  const context = await newContext({ viewport });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByRole('button', { name: 'Create account' }).first().click();
  await page.getByLabel('Username').fill(name);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.locator('form').getByRole('button', { name: 'Create account' }).click();
  await connected(page);
  return { context, page };
}

async function login(context, name, password) {
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Username').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Password').press('Enter');
  await connected(page);
  return page;
}

const connected = (page) => page.locator('.banner[data-status="connected"]').waitFor({ timeout: 15_000 });
const openRoom = async (page, name) => {
  await page.getByRole('link', { name: new RegExp(`^${name}`) }).click();
  await page.getByRole('heading', { name: `# ${name}` }).waitFor();
};
const messages = (page) => page.locator('ol.messages li.message:not(.pending) p.text').allTextContents();
const userId = (page) => page.evaluate(() => JSON.parse(localStorage.getItem('parley.session')).user.id);

async function webhook(path, body) {
  const res = await fetch(`${server.url}/internal/notify/${path}`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.webhookSecret}` }, body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, await res.text());
}

describe('Parley web client', { timeout: 170_000 }, () => {
  let alice, bob;

  before(async () => {
    server = await startServer();
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the login screen is labelled and the client routes load index.html', async () => {
    const context = await newContext();
    const page = await context.newPage();
    const res = await page.goto('/rooms/general');
    assert.equal(res.status(), 200);
    assert.equal(res.headers()['cache-control'], 'no-cache');
    await page.getByLabel('Username').waitFor();
    await page.getByLabel('Password').waitFor();
    await page.getByRole('button', { name: 'Log in' }).first().waitFor();
    await shot(page, 'login');
    await context.close();
  });

  test('two users chat in a room: typing, live messages, replies, read receipts', async () => {
    alice = await newUser(ALICE);
    bob = await newUser(BOB);
    await openRoom(alice.page, 'general');
    await openRoom(bob.page, 'general');

    const aliceBox = alice.page.getByLabel('Message', { exact: true });
    await aliceBox.pressSequentially('Hello Bob', { delay: 10 });
    await bob.page.getByText(`${ALICE} is typing…`).waitFor();
    await aliceBox.press('Enter');
    await bob.page.locator('li.message', { hasText: 'Hello Bob' }).waitFor();
    await alice.page.locator('li.message.mine', { hasText: 'Hello Bob' }).getByText(`Read by ${BOB}`).waitFor();
    assert.equal(await aliceBox.inputValue(), '', 'Enter sent and cleared the composer');

    await bob.page.getByRole('button', { name: new RegExp(`^Reply to ${ALICE}`) }).click();
    await bob.page.getByLabel('Message', { exact: true }).fill('Hi Alice, welcome!');
    await bob.page.getByLabel('Message', { exact: true }).press('Enter');
    const reply = alice.page.locator('li.message', { hasText: 'Hi Alice, welcome!' });
    await reply.locator('blockquote', { hasText: 'Hello Bob' }).waitFor();
    await bob.page.locator('li.message.mine', { hasText: 'Hi Alice' }).getByText(`Read by ${ALICE}`).waitFor();

    await bob.page.getByLabel('Message', { exact: true }).pressSequentially('one more thing', { delay: 10 });
    await alice.page.getByText(`${BOB} is typing…`).waitFor();
    await shot(alice.page, 'room');
    await bob.page.getByLabel('Message', { exact: true }).fill('');
    await bob.page.getByLabel('Message', { exact: true }).blur();
    await alice.page.getByText(`${BOB} is typing…`).waitFor({ state: 'detached' });
  });

  test('a reload keeps the session and the history', async () => {
    await alice.page.reload();
    await connected(alice.page);
    await alice.page.getByRole('heading', { name: '# general' }).waitFor();
    await alice.page.locator('li.message', { hasText: 'Hi Alice, welcome!' }).waitFor();
    const texts = await messages(alice.page);
    assert.deepEqual(texts.filter((t) => t === 'Hello Bob' || t === 'Hi Alice, welcome!'), ['Hello Bob', 'Hi Alice, welcome!']);
  });

  test('a user who loses the connection comes back without losing or duplicating a message', async () => {
    const window = [Date.now(), Infinity];
    allowed.push(window);
    await bob.context.setOffline(true);
    await bob.page.evaluate(() => window.__parleySocket.io.engine.close());
    await bob.page.locator('.banner[data-status="offline"], .banner[data-status="reconnecting"]').waitFor();
    await bob.page.getByRole('button', { name: 'Retry now' }).waitFor();

    for (const t of ['missed one', 'missed two']) {
      await alice.page.getByLabel('Message', { exact: true }).fill(t);
      await alice.page.getByLabel('Message', { exact: true }).press('Enter');
      await alice.page.locator('li.message:not(.pending)', { hasText: t }).waitFor();
    }
    await bob.page.getByLabel('Message', { exact: true }).fill('written while offline');
    await bob.page.getByLabel('Message', { exact: true }).press('Enter');
    await bob.page.getByText('Waiting for connection…').waitFor();
    await shot(bob.page, 'offline');

    await bob.context.setOffline(false);
    await connected(bob.page);
    window[1] = Date.now() + 2000;
    await bob.page.locator('li.message:not(.pending)', { hasText: 'missed two' }).waitFor();
    await alice.page.locator('li.message', { hasText: 'written while offline' }).waitFor();
    await bob.page.locator('li.message.pending').waitFor({ state: 'detached' });
    const texts = await messages(bob.page);
    for (const t of ['Hello Bob', 'Hi Alice, welcome!', 'missed one', 'missed two', 'written while offline']) {
      assert.equal(texts.filter((x) => x === t).length, 1, `"${t}" exactly once in ${JSON.stringify(texts)}`);
    }
    assert.deepEqual(texts.slice(-3), ['missed one', 'missed two', 'written while offline']);
  });

  test('a webhook notification arrives as a toast and in the inbox', async () => {
    const id = await userId(alice.page);
    await webhook('progress', { userId: id, jobId: 'export-42', progress: 100, status: 'completed' });
    const toast = alice.page.locator('.toast', { hasText: 'Job export-42 completed' });
    await toast.waitFor();
    await alice.page.getByRole('link', { name: 'Notifications (1)' }).waitFor();
    await shot(alice.page, 'toast');
    await alice.page.getByRole('link', { name: /^Notifications/ }).click();
    await alice.page.locator('.inbox li.unread', { hasText: 'export-42' }).waitFor();
    await shot(alice.page, 'notifications');
    await alice.page.getByRole('button', { name: 'Mark all read' }).click();
    await alice.page.locator('.badge-text', { hasText: '0 unread' }).waitFor();
  });

  test('direct messages', async () => {
    await alice.page.getByRole('link', { name: 'Messages' }).click();
    await alice.page.getByLabel('New conversation with').selectOption({ label: BOB });
    await alice.page.getByRole('button', { name: 'Open' }).click();
    await alice.page.getByLabel('Message', { exact: true }).fill('a private word');
    await alice.page.getByLabel('Message', { exact: true }).press('Enter');
    await alice.page.locator('li.message.mine', { hasText: 'a private word' }).waitFor();
    await bob.page.getByRole('link', { name: 'Messages' }).click();
    await bob.page.getByRole('button', { name: ALICE }).click();
    await bob.page.locator('li.message', { hasText: 'a private word' }).waitFor();
  });

  test('the admin page: live connections, announcements, stock alerts', async () => {
    const context = await newContext();
    const page = await login(context, 'admin', server.adminPassword);
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByText('Admin channel: connected').waitFor();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="connections"]')?.textContent) >= 3);
    await page.getByLabel('Announcement').fill('Maintenance at 18:00');
    await page.getByRole('button', { name: 'Send to all admins' }).click();
    await page.locator('.card li', { hasText: 'Maintenance at 18:00' }).waitFor();
    await webhook('stock', { productId: 'sku-123', stock: 3 });
    await page.locator('tr.low', { hasText: 'sku-123' }).waitFor();
    await shot(page, 'admin');
    await context.close();
  });

  test('a phone-sized viewport shows the rooms list, then the room', async () => {
    const context = await newContext({ viewport: { width: 390, height: 800 }, isMobile: true, hasTouch: true });
    const page = await login(context, BOB, PASSWORD);
    await page.getByRole('link', { name: /^general/ }).waitFor();
    await page.getByRole('link', { name: /^general/ }).click();
    await page.locator('li.message', { hasText: 'written while offline' }).waitFor();
    const box = await page.getByLabel('Message', { exact: true }).boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390, 'the composer fits the viewport');
    await shot(page, 'phone');
    await page.getByRole('button', { name: 'Back to rooms' }).click();
    await page.getByRole('heading', { name: 'Rooms' }).waitFor();
    await context.close();
  });

  test('a token the server refuses returns to the login screen', async () => {
    // A well-formed, unexpired token with a wrong signature: the server answers TOKEN_INVALID.
    const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const head = b64({ alg: 'HS256', typ: 'JWT' });
    const body = b64({ sub: '1', userId: 1, username: 'mallory', exp: Math.floor(Date.now() / 1000) + 3600 });
    const token = `${head}.${body}.${createHmac('sha256', 'not-the-secret').update(`${head}.${body}`).digest('base64url')}`;
    const context = await newContext();
    await context.addInitScript((t) => {
      if (location.protocol === 'http:' && !sessionStorage.getItem('seeded')) {
        sessionStorage.setItem('seeded', '1');
        localStorage.setItem('parley.session', JSON.stringify({ token: t, user: { id: 1, username: 'mallory', role: 'user' } }));
      }
    }, token);
    const page = await context.newPage();
    await page.goto('/');
    await page.getByText('Your session is no longer valid. Please log in again.').waitFor();
    await page.getByLabel('Username').waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem('parley.session')), null);
    await context.close();
  });

  test('no console errors (network errors only while deliberately offline)', () => {
    const unexpected = errors.filter((e) => !(allowed.some(([from, to]) => e.at >= from && e.at <= to)
      && /ERR_INTERNET_DISCONNECTED|WebSocket connection to .* failed|net::ERR_/.test(e.text)));
    assert.deepEqual(unexpected, []);
  });
});
