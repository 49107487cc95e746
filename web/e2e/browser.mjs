import { chromium } from 'playwright-core';

// Debian's chromium package, never a downloaded browser.
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/** Collects console errors and page errors of every page of a context. `allow` filters expected ones. */
export function watchConsole(context, sink) {
  context.on('page', (page) => track(page, sink));
  for (const p of context.pages()) track(p, sink);
}

function track(page, sink) {
  page.on('console', (m) => { if (m.type() === 'error') sink.push({ text: m.text(), at: Date.now(), page: page.url() }); });
  page.on('pageerror', (e) => sink.push({ text: 'pageerror: ' + e.message, at: Date.now(), page: page.url() }));
}
