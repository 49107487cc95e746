// Connection middleware: the fixture's /secure namespace refuses unless auth.token === "good"
// (ConnectError "not authorized" with data {reason: "bad token"}); token "boom" makes it throw a
// plain exception; a passing middleware stores auth.user in socket.data.
import { it } from "node:test";
import assert from "node:assert/strict";
import { forEachMode, client, connect, connected, sync, sibling, TEST_TIMEOUT } from "./helpers.mjs";

const opts = { timeout: TEST_TIMEOUT };

/** Resolves with the connect_error the socket gets (fails if it connects instead). */
async function refusal(socket) {
  try {
    await connected(socket);
  } catch (err) {
    assert.ok(err instanceof Error, "connect_error carries an Error");
    return err;
  }
  assert.fail(`${socket.nsp} connected but should have been refused`);
}

forEachMode((mode) => {
  it("refuses a bad token with the middleware's message and data in connect_error", opts, async () => {
    const socket = client(mode, "/secure", { auth: { token: "bad" } });
    const err = await refusal(socket);
    assert.equal(err.message, "not authorized");
    assert.deepEqual(err.data, { reason: "bad token" });
    assert.equal(socket.connected, false);
    assert.equal(socket.active, false, "a middleware refusal is final: no automatic retry");
  });

  it("refuses a client that sends no auth at all", opts, async () => {
    const err = await refusal(client(mode, "/secure"));
    assert.equal(err.message, "not authorized");
    assert.deepEqual(err.data, { reason: "bad token" });
  });

  it("reports a plain exception thrown by a middleware with its message and no data", opts, async () => {
    const err = await refusal(client(mode, "/secure", { auth: { token: "boom" } }));
    assert.equal(err.message, "middleware exploded");
    assert.equal(err.data, undefined);
  });

  it("admits a good token; data set by the middleware is on the socket", opts, async () => {
    const socket = await connect(mode, "/secure", { auth: { token: "good", user: "ann" } });
    const me = await socket.emitWithAck("whoami");
    assert.equal(me.nsp, "/secure");
    assert.equal(me.id, socket.id);
    assert.deepEqual(me.data, { user: "ann" });
    assert.deepEqual(await socket.emitWithAck("echo-ack", 1, "x"), 1);
  });

  it("connects after a refusal once the client fixes its auth and calls connect()", opts, async () => {
    const socket = client(mode, "/secure", { auth: { token: "bad" } });
    await refusal(socket);
    socket.auth = { token: "good", user: "bob" };
    socket.connect();
    await connected(socket);
    assert.deepEqual((await socket.emitWithAck("whoami")).data, { user: "bob" });
  });

  it("a refused namespace leaves the other namespaces of the same connection alone", opts, async () => {
    const root = await connect(mode);
    const engineId = root.io.engine.id;
    const secure = sibling(root, "/secure", { auth: { token: "bad" } });
    const err = await refusal(secure);
    assert.equal(err.message, "not authorized");
    assert.equal(root.connected, true);
    assert.equal(root.io.engine.id, engineId, "same Engine.IO connection");
    await sync(root);
  });
});
