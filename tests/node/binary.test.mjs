// Binary payloads both ways: the server receives attachments as binary and sends them back as
// binary (a Buffer on the Node client), in events, in acks and in broadcasts.
import { it } from "node:test";
import assert from "node:assert/strict";
import { forEachMode, connect, next, bytes, uid, TEST_TIMEOUT } from "./helpers.mjs";

const opts = { timeout: TEST_TIMEOUT };

async function echo(socket, ...args) {
  const back = next(socket, "echo");
  socket.emit("echo", ...args);
  return back;
}

forEachMode((mode) => {
  it("round-trips a Buffer", opts, async () => {
    const socket = await connect(mode);
    const [b] = await echo(socket, Buffer.from([1, 2, 3, 0, 255]));
    assert.deepEqual(bytes(b), [1, 2, 3, 0, 255]);
  });

  it("sends an ArrayBuffer and gets the same bytes back", opts, async () => {
    const socket = await connect(mode);
    const ab = new Uint8Array([10, 20, 30, 40]).buffer;
    const [b] = await echo(socket, ab);
    assert.deepEqual(bytes(b), [10, 20, 30, 40]);
  });

  it("sends only the viewed bytes of a typed array with an offset", opts, async () => {
    const socket = await connect(mode);
    const view = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7]).subarray(2, 5);
    const [b] = await echo(socket, view);
    assert.deepEqual(bytes(b), [2, 3, 4]);
  });

  it("round-trips an empty Buffer", opts, async () => {
    const socket = await connect(mode);
    const [b, after] = await echo(socket, Buffer.alloc(0), "after");
    assert.deepEqual(bytes(b), []);
    assert.equal(after, "after");
  });

  it("round-trips buffers nested in objects and arrays, mixed with JSON", opts, async () => {
    const socket = await connect(mode);
    const payload = {
      name: "file",
      parts: [Buffer.from("ab"), "x", { deep: Buffer.from([255, 0, 127]) }, [Buffer.from([7])]],
      n: 3,
    };
    const [first, obj, last] = await echo(socket, "head", payload, Buffer.from([9]));
    assert.equal(first, "head");
    assert.equal(obj.name, "file");
    assert.equal(obj.n, 3);
    assert.deepEqual(bytes(obj.parts[0]), [...Buffer.from("ab")]);
    assert.equal(obj.parts[1], "x");
    assert.deepEqual(bytes(obj.parts[2].deep), [255, 0, 127]);
    assert.deepEqual(bytes(obj.parts[3][0]), [7]);
    assert.deepEqual(bytes(last), [9]);
  });

  it("round-trips ten attachments in one packet", opts, async () => {
    const socket = await connect(mode);
    const buffers = Array.from({ length: 10 }, (_, i) => Buffer.from([i, i + 1]));
    const back = await echo(socket, ...buffers);
    assert.deepEqual(back.map(bytes), buffers.map((b) => [...b]));
  });

  it("round-trips a 512 kB Buffer", opts, async () => {
    const socket = await connect(mode);
    const big = Buffer.alloc(512 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
    const [b] = await echo(socket, big);
    assert.ok(Buffer.isBuffer(b));
    assert.equal(b.length, big.length);
    assert.ok(b.equals(big), "same bytes");
  });

  it("acks with binary arguments (BINARY_ACK)", opts, async () => {
    const socket = await connect(mode);
    const reply = await new Promise((resolve) =>
      socket.emit("echo-ack", Buffer.from([1, 2]), { b: Buffer.from([3]) }, (...args) => resolve(args)));
    assert.deepEqual(bytes(reply[0]), [1, 2]);
    assert.deepEqual(bytes(reply[1].b), [3]);
  });

  it("broadcasts binary to a room", opts, async () => {
    const room = uid("bin");
    const a = await connect(mode);
    const b = await connect(mode);
    await b.emitWithAck("join", room);
    const got = next(b, "bin-room");
    await a.emitWithAck("emit-op", { to: [room], event: "bin-room", args: [Buffer.from([4, 5, 6]), { x: Buffer.from([7]) }] });
    const [buf, obj] = await got;
    assert.deepEqual(bytes(buf), [4, 5, 6]);
    assert.deepEqual(bytes(obj.x), [7]);
  });
});
