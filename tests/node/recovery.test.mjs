// Connection state recovery with the official client, against the fixture's second Socket.IO
// server mounted at /recovery/ (recovery on, 1500 ms window; the main server keeps it off).
import { it } from "node:test";
import assert from "node:assert/strict";
import { client, connected, forEachMode, next, uid, withTimeout, WAIT_TIMEOUT } from "./helpers.mjs";

const PATH = "/recovery/";
const WINDOW_MS = 1500;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves at the next "connect" of `socket` (a reconnection). */
function reconnected(socket, ms = WAIT_TIMEOUT) {
  return withTimeout(new Promise((resolve) => socket.once("connect", resolve)), ms, "reconnection");
}

/**
 * Cuts the connection one of three ways: the client closes its transport, the TCP connection drops
 * (websocket only), or the server closes the Engine.IO connection.
 */
function cut(socket, how) {
  const engine = socket.io.engine;
  if (how === "terminate" && engine.transport?.ws?.terminate) {
    engine.transport.ws.terminate();
  } else if (how === "server") {
    socket.emit("kill-transport");
  } else {
    engine.close();
  }
}

async function recoveryClient(mode, opts = {}) {
  const socket = client(mode, "/", { path: PATH, ...opts });
  await connected(socket);
  return socket;
}

forEachMode((mode) => {
  it("cut at random moments while messages stream: every message once, in order, always recovered", { timeout: 60_000 }, async () => {
    const socket = await recoveryClient(mode);
    const room = uid("stream");
    await socket.emitWithAck("join", room);
    await socket.emitWithAck("set-data", { user: "ada" });
    const firstId = socket.id;
    const got = [];
    socket.on("tick", (n) => got.push(n));
    const COUNT = 1200;
    const done = next(socket, "stream-done", () => true, 45_000);
    await socket.emitWithAck("stream", { room, count: COUNT, everyMs: 3 });
    const ways = ["close", "server", "terminate"];
    const reconnections = [];
    for (let cycle = 0; cycle < 8; cycle++) {
      await sleep(40 + Math.floor(Math.random() * 200));
      if (got.length === 0) continue; // no offset yet: nothing a socket.io server could recover
      const how = ways[Math.floor(Math.random() * ways.length)];
      const back = reconnected(socket);
      cut(socket, how);
      await back;
      reconnections.push({ how, recovered: socket.recovered, id: socket.id, at: got.length });
    }
    await done;
    assert.ok(reconnections.length >= 6, `cut ${reconnections.length} times`);
    for (const r of reconnections) {
      assert.equal(r.recovered, true, `recovered after ${JSON.stringify(r)}`);
      assert.equal(r.id, firstId, "the same socket id");
    }
    assert.equal(got.length, COUNT, "as many ticks as sent");
    assert.deepEqual(got, [...Array(COUNT).keys()], "each tick once, in order");
    const me = await socket.emitWithAck("whoami");
    assert.equal(me.recovered, true);
    assert.deepEqual(me.rooms, [firstId, room].sort(), "rooms restored");
    assert.deepEqual(me.data, { user: "ada" }, "data restored");
  });

  it("back within the window: recovered, with what was sent meanwhile", { timeout: 20_000 }, async () => {
    const socket = await recoveryClient(mode, { reconnectionDelay: 300, reconnectionDelayMax: 300, randomizationFactor: 0 });
    const room = uid("quiet");
    await socket.emitWithAck("join", room);
    const got = [];
    socket.on("tick", (n) => got.push(n));
    const streamed = next(socket, "stream-done"); // listening first: it may come with the ack
    await socket.emitWithAck("stream", { room, count: 1, everyMs: 1 });
    await streamed;
    const id = socket.id;
    const back = reconnected(socket);
    cut(socket, "close");
    await back;
    assert.equal(socket.recovered, true);
    assert.equal(socket.id, id);
  });

  it("back after the window: a new session, not recovered", { timeout: 20_000 }, async () => {
    const delay = WINDOW_MS + 700;
    const socket = await recoveryClient(mode, { reconnectionDelay: delay, reconnectionDelayMax: delay, randomizationFactor: 0 });
    const room = uid("late");
    await socket.emitWithAck("join", room);
    const streamed = next(socket, "stream-done"); // listening first: it may come with the ack
    await socket.emitWithAck("stream", { room, count: 1, everyMs: 1 });
    await streamed;
    const id = socket.id;
    const back = reconnected(socket, delay + WAIT_TIMEOUT);
    cut(socket, "close");
    await back;
    assert.equal(socket.recovered, false);
    assert.notEqual(socket.id, id);
    const me = await socket.emitWithAck("whoami");
    assert.deepEqual(me.rooms, [socket.id], "no rooms of the old session");
  });

  it("a deliberate disconnect is not recovered", { timeout: 20_000 }, async () => {
    const socket = await recoveryClient(mode);
    const room = uid("bye");
    await socket.emitWithAck("join", room);
    const streamed = next(socket, "stream-done"); // listening first: it may come with the ack
    await socket.emitWithAck("stream", { room, count: 1, everyMs: 1 });
    await streamed;
    const id = socket.id;
    socket.disconnect();
    socket.connect();
    await connected(socket);
    assert.equal(socket.recovered, false);
    assert.notEqual(socket.id, id);
  });
});
