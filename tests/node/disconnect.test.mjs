// Disconnection reasons on both sides (the server's are reported by the fixture to /observer) and
// whether the client reconnects by itself: never after a server-side disconnect.
import { it } from "node:test";
import assert from "node:assert/strict";
import { forEachMode, connect, connected, next, record, sync, sibling, observer, withTimeout, TEST_TIMEOUT, WAIT_TIMEOUT } from "./helpers.mjs";

const opts = { timeout: TEST_TIMEOUT };

/**
 * Asserts the Manager of `socket` makes no reconnection attempt. The client's reconnection delay
 * is 100-200 ms (helpers.client), so waiting 600 ms covers a few attempts; there is no event to
 * wait for when nothing must happen.
 */
async function assertNoReconnect(socket) {
  const attempts = record(socket.io, "reconnect_attempt");
  await new Promise((resolve) => setTimeout(resolve, 600));
  assert.deepEqual(attempts, [], "no reconnection attempt");
  assert.equal(socket.connected, false);
  assert.equal(socket.active, false);
}

/** Resolves when the Manager's Engine.IO connection of `socket` is closed. */
function engineClosed(socket) {
  const engine = socket.io.engine;
  if (engine.readyState === "closed") return Promise.resolve();
  return withTimeout(new Promise((resolve) => engine.once("close", () => resolve())), WAIT_TIMEOUT, "engine close");
}

forEachMode((mode) => {
  it("server disconnect(false): the client gets \"io server disconnect\" and does not reconnect", opts, async () => {
    const obs = await observer();
    const socket = await connect(mode);
    const id = socket.id;
    const reason = next(socket, "disconnect");
    socket.emit("server-disconnect");
    assert.equal((await reason)[0], "io server disconnect");
    assert.equal(await obs.disconnectReason(id), "server namespace disconnect");
    await assertNoReconnect(socket);
  });

  it("client disconnect(): the server sees \"client namespace disconnect\"", opts, async () => {
    const obs = await observer();
    const socket = await connect(mode);
    const id = socket.id;
    const reason = next(socket, "disconnect");
    socket.disconnect();
    assert.equal((await reason)[0], "io client disconnect");
    assert.equal(await obs.disconnectReason(id), "client namespace disconnect");
  });

  it("server disconnect(true) closes the connection: every namespace on it gets \"io server disconnect\", no reconnect", opts, async () => {
    const obs = await observer();
    const root = await connect(mode);
    const dyn = sibling(root, "/dyn-31");
    await connected(dyn);
    const [rootId, dynId] = [root.id, dyn.id];
    const rootReason = next(root, "disconnect");
    const dynReason = next(dyn, "disconnect");
    const closed = engineClosed(root);
    root.emit("server-close");
    assert.equal((await rootReason)[0], "io server disconnect");
    assert.equal((await dynReason)[0], "io server disconnect");
    await closed;
    assert.equal(await obs.disconnectReason(rootId), "server namespace disconnect");
    assert.equal(await obs.disconnectReason(dynId), "server namespace disconnect");
    await assertNoReconnect(root);
    assert.equal(dyn.active, false);
  });

  it("server disconnect(false) of one namespace keeps the others of the connection", opts, async () => {
    const root = await connect(mode);
    const drops = record(root, "disconnect");
    const dyn = sibling(root, "/dyn-32");
    await connected(dyn);
    const reason = next(dyn, "disconnect");
    dyn.emit("server-disconnect");
    assert.equal((await reason)[0], "io server disconnect");
    await sync(root);
    assert.deepEqual(drops, []);
    assert.equal(root.connected, true);
  });

  it("the server stops delivering to a socket once it disconnected it", opts, async () => {
    const root = await connect(mode);
    const other = await connect(mode);
    const id = root.id;
    const reason = next(root, "disconnect");
    root.emit("server-disconnect");
    await reason;
    // The fixture's emit-op to the old socket's room reaches nobody now.
    assert.equal(await other.emitWithAck("emit-op", { to: [id], event: "late", args: [] }), true);
    assert.deepEqual(await other.emitWithAck("fetch", id), []);
  });
});
