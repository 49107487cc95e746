// Shared helpers of the Node client suite. Not a test file (the runner only picks *.test.mjs).
import { describe, afterEach } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { io } from "socket.io-client";

/** Where the fixture (parley-app/src/test/java/io/parley/app/fixture/FixtureServer.java) listens. */
export const URL = (process.env.PARLEY_URL ?? "http://127.0.0.1:3000").replace(/\/$/, "");

/** Extra Engine.IO endpoints of the fixture: kill-transport works there; /fast/ pings every 200 ms. */
export const TRACKED_PATH = "/tracked/";
export const FAST_PATH = "/fast/";

/** Bound of one test; a test waiting for something that never comes fails here. */
export const TEST_TIMEOUT = 15_000;
/** Bound of one wait for an event, inside a test (so the failure names what was missing). */
export const WAIT_TIMEOUT = 5_000;

/** The three ways the official client can reach the server. */
export const MODES = [
  { name: "websocket", opts: { transports: ["websocket"] }, upgrade: false },
  { name: "polling", opts: { transports: ["polling"], upgrade: false }, upgrade: false },
  { name: "polling+upgrade", opts: {}, upgrade: true },
];

/** Runs `fn(mode)` inside one describe block per transport mode; clients are closed after each test. */
export function forEachMode(fn) {
  for (const mode of MODES) {
    describe(mode.name, () => {
      afterEach(closeAll);
      fn(mode);
    });
  }
}

/** A short unique token, to keep rooms and payloads of concurrent tests apart. */
export function uid(prefix = "t") {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

const open = new Set();

/** Closes every client created since the last call (run after each test). */
export function closeAll() {
  for (const socket of open) {
    socket.disconnect();
    socket.io.engine?.close();
  }
  open.clear();
}

/**
 * A new client (its own Manager: forceNew) for `nsp` in `mode`; connection starts at once.
 * Reconnection delays are short so that reconnect tests stay fast.
 */
export function client(mode, nsp = "/", opts = {}) {
  const socket = io(URL + nsp, {
    forceNew: true,
    reconnectionDelay: 100,
    reconnectionDelayMax: 200,
    ...mode.opts,
    ...opts,
  });
  socket.mode = mode;
  open.add(socket);
  return socket;
}

/**
 * Resolves with "websocket" once `engine` runs on websocket: at once if it already does, else when
 * its `upgrade` event comes; rejects on upgradeError or timeout.
 */
export function upgradeOf(engine, ms = WAIT_TIMEOUT) {
  if (engine.transport?.name === "websocket") {
    return Promise.resolve("websocket");
  }
  return withTimeout(new Promise((resolve, reject) => {
    engine.once("upgrade", (transport) => resolve(transport.name));
    engine.once("upgradeError", (err) => reject(new Error(`upgrade failed: ${err?.message ?? err}`)));
  }), ms, "engine upgrade");
}

/**
 * Waits for `connect` (rejecting with the error on `connect_error`); in the upgrade mode also for
 * the upgrade to websocket, unless `waitUpgrade` is false.
 */
export async function connected(socket, { waitUpgrade = true } = {}) {
  if (!socket.connected) {
    await withTimeout(new Promise((resolve, reject) => {
      const onConnect = () => {
        socket.off("connect_error", onError);
        resolve();
      };
      const onError = (err) => {
        socket.off("connect", onConnect);
        reject(err);
      };
      socket.once("connect", onConnect);
      socket.once("connect_error", onError);
    }), WAIT_TIMEOUT, `connect of ${socket.nsp}`);
  }
  if (socket.mode?.upgrade && waitUpgrade) {
    assert.equal(await upgradeOf(socket.io.engine), "websocket");
    assert.equal(socket.io.engine.transport.name, "websocket", "transport after the upgrade event");
  }
  return socket;
}

/**
 * A socket for another namespace on the Manager (so the Engine.IO connection) of `socket`. It
 * connects by itself (autoConnect): calling connect() on it again would send a second CONNECT.
 */
export function sibling(socket, nsp, opts = {}) {
  const s = socket.io.socket(nsp, opts);
  s.mode = socket.mode;
  open.add(s);
  return s;
}

/** `client` + `connected`. */
export async function connect(mode, nsp = "/", opts = {}, waitOpts = {}) {
  return connected(client(mode, nsp, opts), waitOpts);
}

/** Asserts the transport the mode promises is the one in use now. */
export function assertTransport(mode, socket) {
  const expected = mode.opts.transports?.length === 1 ? mode.opts.transports[0] : "websocket";
  assert.equal(socket.io.engine.transport.name, expected);
}

/** Resolves with the arguments of the next `event` on `emitter` whose args satisfy `accept`. */
export function next(emitter, event, accept = () => true, ms = WAIT_TIMEOUT) {
  let listener;
  return withTimeout(new Promise((resolve) => {
    listener = (...args) => {
      if (accept(...args)) {
        emitter.off(event, listener);
        resolve(args);
      }
    };
    emitter.on(event, listener);
  }), ms, `event "${event}"`, () => emitter.off(event, listener));
}

/** Records every `event` received by `emitter` (arrays of args) in the returned array. */
export function record(emitter, event) {
  const got = [];
  emitter.on(event, (...args) => got.push(args));
  return got;
}

/**
 * A barrier: a round trip on `socket`. The fixture writes to one connection in order, so once it
 * returns, whatever the server sent to this socket before handling it has been received.
 */
export async function sync(socket) {
  assert.equal(await socket.timeout(WAIT_TIMEOUT).emitWithAck("echo-ack", "sync"), "sync");
}

/** Rejects with "<what> timed out" after `ms`. */
export function withTimeout(promise, ms, what, onTimeout = () => {}) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new Error(`${what} did not happen within ${ms} ms`));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A connection to the fixture's `/observer` namespace (websocket, whatever the mode), which hears
 * `seen-connect` / `seen-disconnect` {id, nsp, reason} for every socket of the other namespaces.
 */
export async function observer() {
  const socket = await connect(MODES[0], "/observer");
  const connects = record(socket, "seen-connect");
  const disconnects = record(socket, "seen-disconnect");
  const find = (list, id) => list.find(([s]) => s.id === id)?.[0];
  return {
    socket,
    /** The server-side disconnect reason of socket `id` (waits for it if not seen yet). */
    async disconnectReason(id) {
      const seen = find(disconnects, id) ?? (await next(socket, "seen-disconnect", (s) => s.id === id))[0];
      return seen.reason;
    },
    /** Waits until the server reports socket `id` connected (to nsp). */
    async connectedId(id) {
      return find(connects, id) ?? (await next(socket, "seen-connect", (s) => s.id === id))[0];
    },
    /** Whether the server reported a disconnect of `id` so far. */
    sawDisconnect(id) {
      return find(disconnects, id) !== undefined;
    },
  };
}

/** `Buffer` → plain byte array, to compare binary payloads with deepEqual. */
export function bytes(b) {
  assert.ok(Buffer.isBuffer(b), `expected a Buffer, got ${Object.prototype.toString.call(b)}`);
  return [...b];
}
