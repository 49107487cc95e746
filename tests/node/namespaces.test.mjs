// Namespaces: unknown ones are refused, dynamic ones (/dyn-<digits>) are created on demand, several
// namespaces share one Engine.IO connection (multiplexing) and broadcasts stay in their namespace.
import { it } from "node:test";
import assert from "node:assert/strict";
import { forEachMode, client, connect, connected, next, record, sync, observer, uid, sibling, TEST_TIMEOUT } from "./helpers.mjs";

const opts = { timeout: TEST_TIMEOUT };

async function refusal(socket) {
  try {
    await connected(socket);
  } catch (err) {
    return err;
  }
  assert.fail(`${socket.nsp} connected but should have been refused`);
}

forEachMode((mode) => {
  it("refuses an unknown namespace with connect_error Invalid namespace", opts, async () => {
    const socket = client(mode, "/nope");
    const err = await refusal(socket);
    assert.equal(err.message, "Invalid namespace");
    assert.equal(socket.active, false);
  });

  it("an unknown namespace does not disturb the main one on the same connection", opts, async () => {
    const root = await connect(mode);
    const bad = sibling(root, "/nope");
    assert.equal((await refusal(bad)).message, "Invalid namespace");
    assert.equal(root.connected, true);
    await sync(root);
  });

  it("creates a dynamic namespace matching /dyn-\\\\d+ on connection", opts, async () => {
    const name = `/dyn-${Math.floor(Math.random() * 1e9)}`;
    const socket = client(mode, name);
    const welcome = next(socket, "welcome");
    await connected(socket);
    assert.deepEqual((await welcome)[0], { id: socket.id, nsp: name });
    const me = await socket.emitWithAck("whoami");
    assert.equal(me.nsp, name);
    assert.deepEqual(await socket.emitWithAck("echo-ack", "dyn"), "dyn");
  });

  it("refuses a name the dynamic pattern does not match", opts, async () => {
    assert.equal((await refusal(client(mode, "/dyn-abc"))).message, "Invalid namespace");
  });

  it("a broadcast from the dynamic parent reaches every child namespace", opts, async () => {
    const token = uid("dyn");
    const a = await connect(mode, "/dyn-1001");
    const b = await connect(mode, "/dyn-1002");
    const root = await connect(mode);
    const gotA = next(a, "dyn-hello", (t) => t === token);
    const gotB = next(b, "dyn-hello", (t) => t === token);
    assert.equal(await root.emitWithAck("dyn-broadcast", token), true);
    assert.deepEqual(await gotA, [token]);
    assert.deepEqual(await gotB, [token]);
  });

  it("multiplexes namespaces over one Engine.IO connection, each with its own socket id", opts, async () => {
    const root = await connect(mode);
    const dyn = sibling(root, "/dyn-7");
    const secure = sibling(root, "/secure", { auth: { token: "good", user: "mux" } });
    await connected(dyn);
    await connected(secure);
    const [r, d, s] = await Promise.all([root, dyn, secure].map((x) => x.emitWithAck("whoami")));
    assert.equal(new Set([r.engineId, d.engineId, s.engineId]).size, 1, "one Engine.IO session");
    assert.equal(r.engineId, root.io.engine.id);
    assert.equal(new Set([r.id, d.id, s.id]).size, 3, "one socket id per namespace");
    assert.deepEqual([r.nsp, d.nsp, s.nsp], ["/", "/dyn-7", "/secure"]);
    assert.deepEqual(s.auth, { token: "good", user: "mux" }, "each namespace gets its own auth");
  });

  it("disconnecting one namespace keeps the others of the connection", opts, async () => {
    const obs = await observer();
    const root = await connect(mode);
    const dyn = sibling(root, "/dyn-8");
    await connected(dyn);
    const dynId = dyn.id;
    dyn.disconnect();
    assert.equal(await obs.disconnectReason(dynId), "client namespace disconnect");
    assert.equal(root.connected, true);
    await sync(root);
    assert.equal((await root.emitWithAck("whoami")).engineId, root.io.engine.id);
  });

  it("a broadcast to the main namespace does not reach another namespace on the same connection", opts, async () => {
    const token = uid("iso");
    const root = await connect(mode);
    const dyn = sibling(root, "/dyn-9");
    await connected(dyn);
    const leaked = record(dyn, "iso");
    const got = next(root, "iso", (t) => t === token);
    await root.emitWithAck("emit-op", { to: [root.id], event: "iso", args: [token] });
    await root.emitWithAck("emit-op", { event: "iso", args: [token] });
    await got;
    await sync(dyn);
    await sync(root);
    assert.deepEqual(leaked, []);
  });

  it("a redundant connect() on a namespace being joined does not drop the connection", opts, async () => {
    const root = await connect(mode);
    const drops = record(root, "disconnect");
    const engineId = root.io.engine.id;
    const secure = sibling(root, "/secure", { auth: { token: "good" } });
    secure.connect(); // a second CONNECT packet while the first one is being handled
    const dyn = sibling(root, "/dyn-77");
    dyn.connect();
    await connected(secure);
    await connected(dyn);
    await Promise.all([root, secure, dyn].map(sync));
    assert.equal((await secure.emitWithAck("whoami")).id, secure.id);
    assert.equal((await dyn.emitWithAck("whoami")).id, dyn.id);
    assert.deepEqual(drops, []);
    assert.equal(root.io.engine.id, engineId, "same Engine.IO connection");
  });
});
