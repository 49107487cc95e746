// Volatile events: sent when the transport can write at once, dropped otherwise, never reordered,
// never queued for later. Over websocket a small burst always fits; over polling only the packets
// that find a parked GET go out, so there the tests only assert what volatile guarantees.
import { it } from "node:test";
import assert from "node:assert/strict";
import { forEachMode, connect, connected, next, record, sync, uid, TEST_TIMEOUT } from "./helpers.mjs";

const opts = { timeout: TEST_TIMEOUT };

function isIncreasing(list) {
  return list.every((v, i) => i === 0 || v > list[i - 1]);
}

forEachMode((mode) => {
  const overWebSocket = mode.name !== "polling";

  it("socket.volatile emits from the server arrive in order, all of them over websocket", opts, async () => {
    const socket = await connect(mode);
    const got = record(socket, "volatile-msg");
    const done = next(socket, "volatile-done");
    assert.equal(await socket.emitWithAck("volatile-burst", 5), true);
    assert.deepEqual(await done, [5]);
    await sync(socket);
    const values = got.map(([i]) => i);
    assert.ok(isIncreasing(values), `in order: ${values}`);
    assert.ok(values.every((i) => i >= 0 && i < 5));
    if (overWebSocket) {
      assert.deepEqual(values, [0, 1, 2, 3, 4]);
    }
  });

  it("io.to(room).volatile reaches the members that can take it, and no one else", opts, async () => {
    const room = uid("vol");
    const a = await connect(mode);
    const b = await connect(mode);
    const c = await connect(mode);
    await a.emitWithAck("join", room);
    await b.emitWithAck("join", room);
    const got = [a, b, c].map((s) => record(s, "volatile-room-msg"));
    assert.equal(await c.emitWithAck("volatile-room", room, "v"), true);
    await Promise.all([a, b, c].map(sync));
    assert.deepEqual(got[2], [], "not in the room");
    for (const g of got.slice(0, 2)) {
      assert.ok(g.length <= 1, "at most once");
      if (overWebSocket) assert.deepEqual(g, [["v"]]);
    }
  });

  it("a client volatile emit while disconnected is dropped, a normal one is buffered", opts, async () => {
    const socket = await connect(mode);
    const echoes = record(socket, "echo");
    socket.disconnect();
    socket.volatile.emit("echo", "volatile");
    socket.emit("echo", "buffered");
    socket.connect();
    await connected(socket);
    if (!echoes.some(([v]) => v === "buffered")) {
      await next(socket, "echo", (v) => v === "buffered");
    }
    await sync(socket);
    assert.deepEqual(echoes, [["buffered"]]);
  });

  if (overWebSocket) {
    it("a client volatile emit over an open websocket is delivered", opts, async () => {
      const socket = await connect(mode);
      const back = next(socket, "echo");
      socket.volatile.emit("echo", "v1");
      assert.deepEqual(await back, ["v1"]);
    });
  }
});
