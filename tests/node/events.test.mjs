// Events with JSON payloads, both ways: the fixture's "echo" sends every argument back as an event.
import { it } from "node:test";
import assert from "node:assert/strict";
import { forEachMode, connect, next, record, sync, withTimeout, TEST_TIMEOUT, WAIT_TIMEOUT } from "./helpers.mjs";

const opts = { timeout: TEST_TIMEOUT };

/** Emits `echo` with `args` and resolves with the arguments of the echo that comes back. */
async function echo(socket, ...args) {
  const back = next(socket, "echo");
  socket.emit("echo", ...args);
  return back;
}

forEachMode((mode) => {
  it("round-trips JSON values of every kind", opts, async () => {
    const socket = await connect(mode);
    const args = [
      1,
      "two",
      { three: [true, false, null, 3.5, -0.25, 1e-7], nested: { deep: { deeper: ["x"] } } },
      [],
      {},
      Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER,
      "",
    ];
    assert.deepEqual(await echo(socket, ...args), args);
  });

  it("round-trips strings with non-ASCII, separators and control characters", opts, async () => {
    const socket = await connect(mode);
    const s = "héllo wörld ✓ 😀 中文 \u001e rs \n nl \t tab \" quote \\ backslash \u2028 \u0000 end";
    assert.deepEqual(await echo(socket, s, { [s]: s }), [s, { [s]: s }]);
  });

  it("sends an event with no arguments", opts, async () => {
    const socket = await connect(mode);
    assert.deepEqual(await echo(socket), []);
  });

  it("turns undefined into null as JSON does", opts, async () => {
    const socket = await connect(mode);
    assert.deepEqual(await echo(socket, undefined, { a: undefined, b: 1 }), [null, { b: 1 }]);
  });

  it("round-trips a 300 kB string", opts, async () => {
    const socket = await connect(mode);
    const big = "abcdefghij".repeat(30_000) + "ü";
    const [back] = await echo(socket, big);
    assert.equal(back.length, big.length);
    assert.equal(back, big);
  });

  it("keeps the order of a burst of 200 events, both ways", opts, async () => {
    const socket = await connect(mode);
    const got = record(socket, "echo");
    for (let i = 0; i < 200; i++) {
      socket.emit("echo", i, { i });
    }
    await sync(socket);
    await withTimeout((async () => {
      while (got.length < 200) {
        await next(socket, "echo");
      }
    })(), WAIT_TIMEOUT, "200 echoes");
    assert.deepEqual(got, Array.from({ length: 200 }, (_, i) => [i, { i }]));
  });
});
