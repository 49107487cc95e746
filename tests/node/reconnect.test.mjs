// Automatic reconnection after the transport is lost: dropped by the server (the fixture's
// kill-transport closes the Engine.IO connection; only on its tracked endpoint), closed by the
// client, or dead per the server's heartbeat. Contrast with disconnect.test.mjs: after a
// server-side disconnect() the client must not reconnect.
import { it } from "node:test";
import assert from "node:assert/strict";
import { forEachMode, connect, connected, next, observer, TRACKED_PATH, FAST_PATH, TEST_TIMEOUT } from "./helpers.mjs";

const opts = { timeout: TEST_TIMEOUT };

/** Waits for the socket's next automatic reconnection and its `connect`, upgrade included. */
async function reconnected(socket) {
  const [attempts] = await next(socket.io, "reconnect");
  if (!socket.connected) await next(socket, "connect");
  await connected(socket);
  return attempts;
}

forEachMode((mode) => {
  it("reconnects by itself when the server drops the transport", opts, async () => {
    const obs = await observer();
    const socket = await connect(mode, "/", { path: TRACKED_PATH, auth: { token: "again" } });
    const [oldId, oldEngine] = [socket.id, socket.io.engine.id];
    const reason = next(socket, "disconnect");
    const back = reconnected(socket);
    socket.emit("kill-transport");
    assert.equal((await reason)[0], "transport close");
    assert.equal(socket.active, true, "still active: it will reconnect");
    assert.equal(await obs.disconnectReason(oldId), "forced close");
    assert.ok((await back) >= 1);
    assert.notEqual(socket.id, oldId);
    assert.notEqual(socket.io.engine.id, oldEngine);
    assert.notEqual(socket.recovered, true, "connection state recovery is off");
    const me = await socket.emitWithAck("whoami");
    assert.equal(me.id, socket.id);
    assert.deepEqual(me.auth, { token: "again" }, "the auth is sent again");
  });

  it("delivers the events emitted while the transport was down once reconnected", opts, async () => {
    const socket = await connect(mode, "/", { path: TRACKED_PATH });
    const down = next(socket, "disconnect");
    const back = reconnected(socket);
    socket.emit("kill-transport");
    await down;
    const echo = next(socket, "echo");
    socket.emit("echo", "sent while down");
    await back;
    assert.deepEqual(await echo, ["sent while down"]);
  });

  it("reconnects when the client closes its transport; the server sees \"transport close\"", opts, async () => {
    const obs = await observer();
    const socket = await connect(mode);
    const oldId = socket.id;
    const back = reconnected(socket);
    socket.io.engine.close();
    assert.equal(await obs.disconnectReason(oldId), "transport close");
    await back;
    assert.notEqual(socket.id, oldId);
    assert.equal((await socket.emitWithAck("whoami")).id, socket.id);
  });

  it("the server's heartbeat drops a client that stops answering pings, which then reconnects", opts, async () => {
    const obs = await observer();
    const socket = await connect(mode, "/", { path: FAST_PATH }); // ping every 200 ms, 400 ms to answer
    const oldId = socket.id;
    const engine = socket.io.engine;
    // Stop answering pings: a private hook of engine.io-client 6.6 (pinned in package-lock.json).
    const send = engine._sendPacket.bind(engine);
    engine._sendPacket = (type, ...rest) => (type === "pong" ? undefined : send(type, ...rest));
    const back = reconnected(socket);
    assert.equal(await obs.disconnectReason(oldId), "ping timeout");
    await back;
    assert.notEqual(socket.io.engine, engine);
    assert.equal((await socket.emitWithAck("whoami")).id, socket.id);
  });
});
