// Connecting: socket ids, the handshake as the server sees it (auth, query, headers), reconnecting by hand.
import { it } from "node:test";
import assert from "node:assert/strict";
import { forEachMode, client, connect, connected, next, assertTransport, TEST_TIMEOUT } from "./helpers.mjs";

const opts = { timeout: TEST_TIMEOUT };

forEachMode((mode) => {
  it("connects, gets a socket id distinct from the engine id, and the server's first event", opts, async () => {
    const socket = client(mode);
    const welcome = next(socket, "welcome");
    await connected(socket);
    assertTransport(mode, socket);
    assert.equal(typeof socket.id, "string");
    assert.equal(socket.id.length, 20);
    assert.notEqual(socket.id, socket.io.engine.id);
    const [w] = await welcome;
    assert.deepEqual(w, { id: socket.id, nsp: "/" });

    const me = await socket.emitWithAck("whoami");
    assert.equal(me.id, socket.id);
    assert.equal(me.nsp, "/");
    assert.equal(me.engineId, socket.io.engine.id);
    assert.equal(me.transport, socket.io.engine.transport.name);
    assert.deepEqual(me.rooms, [socket.id]);
  });

  it("passes the auth payload to socket.handshake().auth()", opts, async () => {
    const auth = { token: "abc", nested: { n: 1, list: [1, "two", null, true], s: "ünï ✓" } };
    const socket = await connect(mode, "/", { auth });
    const me = await socket.emitWithAck("whoami");
    assert.deepEqual(me.auth, auth);
  });

  it("gives {} as auth when the client sends none", opts, async () => {
    const socket = await connect(mode);
    assert.deepEqual((await socket.emitWithAck("whoami")).auth, {});
  });

  it("accepts auth given as a function", opts, async () => {
    const socket = await connect(mode, "/", { auth: (cb) => cb({ token: "from-fn" }) });
    assert.deepEqual((await socket.emitWithAck("whoami")).auth, { token: "from-fn" });
  });

  it("exposes the query string and extra headers in the handshake", opts, async () => {
    const socket = await connect(mode, "/", { query: { foo: "bar", n: 42 }, extraHeaders: { "x-test": "hello" } });
    const me = await socket.emitWithAck("whoami");
    assert.equal(me.query.foo, "bar");
    assert.equal(me.query.n, "42");
    assert.equal(me.query.EIO, "4");
    assert.equal(me.xTest, "hello");
  });

  it("reconnects by hand after disconnect() with a new socket id", opts, async () => {
    const socket = await connect(mode);
    const first = socket.id;
    socket.disconnect();
    assert.equal(socket.connected, false);
    socket.connect();
    await connected(socket);
    assert.notEqual(socket.id, first);
    assert.equal((await socket.emitWithAck("whoami")).id, socket.id);
  });

  it("serves several clients connecting at once", opts, async () => {
    const sockets = await Promise.all(Array.from({ length: 5 }, () => connect(mode)));
    const ids = new Set(sockets.map((s) => s.id));
    assert.equal(ids.size, 5);
    const seen = await Promise.all(sockets.map((s) => s.emitWithAck("whoami")));
    assert.deepEqual(seen.map((m) => m.id), sockets.map((s) => s.id));
  });
});
