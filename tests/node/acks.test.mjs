// Acknowledgements both ways: client -> server acks (callbacks, emitWithAck, timeouts), server ->
// client acks (socket.timeout(d).emitWithAck, answered or timing out) and broadcast acks.
import { it } from "node:test";
import assert from "node:assert/strict";
import { forEachMode, connect, next, sync, bytes, uid, TEST_TIMEOUT } from "./helpers.mjs";

const opts = { timeout: TEST_TIMEOUT };

forEachMode((mode) => {
  it("calls the ack callback with every argument the server acked with", opts, async () => {
    const socket = await connect(mode);
    const reply = await new Promise((resolve) => socket.emit("echo-ack", 1, { a: 2 }, "x", null, (...args) => resolve(args)));
    assert.deepEqual(reply, [1, { a: 2 }, "x", null]);
  });

  it("resolves emitWithAck with the first ack argument", opts, async () => {
    const socket = await connect(mode);
    assert.deepEqual(await socket.emitWithAck("echo-ack", { hello: "world" }, "ignored"), { hello: "world" });
  });

  it("acks with no arguments", opts, async () => {
    const socket = await connect(mode);
    const reply = await new Promise((resolve) => socket.emit("echo-ack", (...args) => resolve(args)));
    assert.deepEqual(reply, []);
  });

  it("passes err=null to a timeout() callback when the ack comes in time", opts, async () => {
    const socket = await connect(mode);
    const [err, ...reply] = await new Promise((resolve) =>
      socket.timeout(5000).emit("echo-ack", "x", 2, (...args) => resolve(args)));
    assert.equal(err, null);
    assert.deepEqual(reply, ["x", 2]);
  });

  it("rejects timeout(ms).emitWithAck when the server never acks, and the socket stays usable", opts, async () => {
    const socket = await connect(mode);
    const started = Date.now();
    await assert.rejects(socket.timeout(300).emitWithAck("ignore", 1), { message: "operation has timed out" });
    assert.ok(Date.now() - started >= 290, "not before the timeout");
    assert.equal(socket.connected, true);
    await sync(socket);
  });

  it("applies the client's ackTimeout option to emitWithAck", opts, async () => {
    const socket = await connect(mode, "/", { ackTimeout: 300 });
    await assert.rejects(socket.emitWithAck("ignore"), { message: "operation has timed out" });
    assert.equal(await socket.emitWithAck("echo-ack", "still fine"), "still fine");
  });

  it("matches 50 concurrent acks to their own emits", opts, async () => {
    const socket = await connect(mode);
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => socket.emitWithAck("echo-ack", i, `n${i}`)));
    assert.deepEqual(replies, Array.from({ length: 50 }, (_, i) => i));
  });

  for (const ask of ["ask-client", "ask-client-async"]) {
    it(`${ask}: the server's emitWithAck gets the client's answer`, opts, async () => {
      const socket = await connect(mode);
      socket.on("question", (q, n, cb) => cb({ got: [q, n] }, "second"));
      const answer = next(socket, "answer");
      socket.emit(ask, { timeoutMs: 2000 }, "q1", 2);
      assert.deepEqual(await answer, [{ got: ["q1", 2] }, "second"]);
    });

    it(`${ask}: the client can answer with binary`, opts, async () => {
      const socket = await connect(mode);
      socket.on("question", (q, cb) => cb(Buffer.from([q, 8]), { b: Buffer.from([1]) }));
      const answer = next(socket, "answer");
      socket.emit(ask, { timeoutMs: 2000 }, 9);
      const [buf, obj] = await answer;
      assert.deepEqual(bytes(buf), [9, 8]);
      assert.deepEqual(bytes(obj.b), [1]);
    });

    it(`${ask}: the server's emitWithAck times out when the client never answers`, opts, async () => {
      const socket = await connect(mode);
      const asked = next(socket, "question");
      socket.on("question", () => {}); // no answer
      const outcome = next(socket, "answer-timeout");
      socket.emit(ask, { timeoutMs: 300 }, "q");
      await asked;
      assert.deepEqual(await outcome, ["operation has timed out"]);
      await sync(socket);
    });
  }

  it("collects one ack per recipient of a broadcast emitWithAck, the sender included", opts, async () => {
    const room = uid("ack");
    const a = await connect(mode);
    const b = await connect(mode);
    const c = await connect(mode);
    await a.emitWithAck("join", room);
    await b.emitWithAck("join", room);
    a.on("poll", (x, cb) => cb(`a:${x}`));
    b.on("poll", (x, cb) => cb(`b:${x}`));
    c.on("poll", (x, cb) => cb(`c:${x}`)); // not in the room: never asked
    const res = await a.emitWithAck("emit-op-with-ack", { to: [room], event: "poll", args: ["?"], timeoutMs: 3000 });
    assert.equal(res.ok, true, JSON.stringify(res));
    assert.deepEqual(res.replies.map((r) => r[0]).sort(), ["a:?", "b:?"]);
  });

  it("fails a broadcast emitWithAck after its timeout with the acks that came", opts, async () => {
    const room = uid("ack");
    const a = await connect(mode);
    const b = await connect(mode);
    await a.emitWithAck("join", room);
    await b.emitWithAck("join", room);
    b.on("poll", (x, cb) => cb(`b:${x}`));
    a.on("poll", () => {}); // never answers
    const res = await a.emitWithAck("emit-op-with-ack", { from: "io", to: [room], event: "poll", args: ["?"], timeoutMs: 400 });
    assert.equal(res.ok, false);
    assert.equal(res.error, "operation has timed out");
    assert.deepEqual(res.replies, [["b:?"]]);
  });
});
