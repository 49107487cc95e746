// Rooms and broadcast operators: to, to(a).to(b) (once each), except, socket.to (not the sender),
// broadcast, leave, fetchSockets, socketsJoin/socketsLeave, and rooms emptied on disconnect.
// Negative checks use sync(): once a round trip on a socket returns, anything the server sent it
// before has arrived.
import { it } from "node:test";
import assert from "node:assert/strict";
import { forEachMode, connect, record, sync, uid, next, observer, TEST_TIMEOUT } from "./helpers.mjs";

const opts = { timeout: TEST_TIMEOUT };

/** n connected clients, each with `.got`: the payloads of event `ev` carrying this test's token. */
async function clients(mode, n, ev, token) {
  const list = await Promise.all(Array.from({ length: n }, () => connect(mode)));
  for (const c of list) {
    c.got = [];
    c.on(ev, (t, ...rest) => {
      if (t === token) c.got.push(rest);
    });
  }
  return list;
}

/** Emits through the fixture's operator handler and waits until every client has seen what was sent. */
async function op(sender, spec, everyone) {
  assert.equal(await sender.emitWithAck("emit-op", spec), true);
  await Promise.all(everyone.map(sync));
}

const join = (socket, ...rooms) => socket.emitWithAck("join", ...rooms);

forEachMode((mode) => {
  it("io.to(room) reaches the room's members, the sender included if it is one", opts, async () => {
    const t = uid();
    const room = uid("r");
    const [a, b, c] = await clients(mode, 3, "msg", t);
    assert.deepEqual(await join(a, room), [a.id, room].sort());
    await join(b, room);
    await op(a, { to: [room], event: "msg", args: [t, "hi"] }, [a, b, c]);
    assert.deepEqual(a.got, [["hi"]]);
    assert.deepEqual(b.got, [["hi"]]);
    assert.deepEqual(c.got, []);
  });

  it("to(a).to(b) reaches a socket in both rooms once", opts, async () => {
    const t = uid();
    const [r1, r2] = [uid("r"), uid("r")];
    const [a, b, c, d] = await clients(mode, 4, "msg", t);
    await join(a, r1, r2);
    await join(b, r2);
    await join(c, r1);
    await op(d, { to: [r1, r2], event: "msg", args: [t, 1] }, [a, b, c, d]);
    assert.deepEqual(a.got, [[1]]);
    assert.deepEqual(b.got, [[1]]);
    assert.deepEqual(c.got, [[1]]);
    assert.deepEqual(d.got, []);
  });

  it("except(room) leaves out the members of that room", opts, async () => {
    const t = uid();
    const [r1, r2] = [uid("r"), uid("r")];
    const [a, b, c] = await clients(mode, 3, "msg", t);
    await join(a, r1);
    await join(b, r1, r2);
    await join(c, r1);
    await op(a, { to: [r1], except: [r2], event: "msg", args: [t] }, [a, b, c]);
    assert.deepEqual(a.got, [[]]);
    assert.deepEqual(b.got, []);
    assert.deepEqual(c.got, [[]]);
  });

  it("except(socketId) leaves out that one socket", opts, async () => {
    const t = uid();
    const room = uid("r");
    const [a, b, c] = await clients(mode, 3, "msg", t);
    for (const s of [a, b, c]) await join(s, room);
    await op(a, { to: [room], except: [b.id], event: "msg", args: [t] }, [a, b, c]);
    assert.equal(a.got.length, 1);
    assert.equal(b.got.length, 0);
    assert.equal(c.got.length, 1);
  });

  it("socket.to(room) reaches the other members but not the sender", opts, async () => {
    const t = uid();
    const room = uid("r");
    const [a, b, c] = await clients(mode, 3, "msg", t);
    await join(a, room);
    await join(b, room);
    await op(a, { from: "socket", to: [room], event: "msg", args: [t, "x"] }, [a, b, c]);
    assert.deepEqual(a.got, []);
    assert.deepEqual(b.got, [["x"]]);
    assert.deepEqual(c.got, []);
  });

  it("emits to a socket's own room (its id)", opts, async () => {
    const t = uid();
    const [a, b] = await clients(mode, 2, "msg", t);
    await op(a, { to: [b.id], event: "msg", args: [t] }, [a, b]);
    assert.equal(a.got.length, 0);
    assert.equal(b.got.length, 1);
  });

  it("socket.broadcast reaches every other socket of the namespace", opts, async () => {
    const t = uid();
    const [a, b, c] = await clients(mode, 3, "msg", t);
    await op(a, { from: "socket", event: "msg", args: [t] }, [a, b, c]);
    assert.equal(a.got.length, 0);
    assert.equal(b.got.length, 1);
    assert.equal(c.got.length, 1);
  });

  it("socket.broadcast.except(room) leaves out the sender and the room", opts, async () => {
    const t = uid();
    const room = uid("r");
    const [a, b, c] = await clients(mode, 3, "msg", t);
    await join(c, room);
    await op(a, { from: "socket", except: [room], event: "msg", args: [t] }, [a, b, c]);
    assert.equal(a.got.length, 0);
    assert.equal(b.got.length, 1);
    assert.equal(c.got.length, 0);
  });

  it("io.emit reaches every socket of the namespace, the sender included", opts, async () => {
    const t = uid();
    const [a, b] = await clients(mode, 2, "msg", t);
    await op(a, { event: "msg", args: [t] }, [a, b]);
    assert.equal(a.got.length, 1);
    assert.equal(b.got.length, 1);
  });

  it("stops reaching a socket once it left the room", opts, async () => {
    const t = uid();
    const room = uid("r");
    const [a, b] = await clients(mode, 2, "msg", t);
    await join(a, room);
    await join(b, room);
    assert.deepEqual(await b.emitWithAck("leave", room), [b.id]);
    await op(a, { to: [room], event: "msg", args: [t] }, [a, b]);
    assert.equal(a.got.length, 1);
    assert.equal(b.got.length, 0);
  });

  it("fetchSockets lists the sockets in a room", opts, async () => {
    const room = uid("r");
    const [a, b, c] = await clients(mode, 3, "msg", "-");
    await join(a, room);
    await join(b, room);
    assert.deepEqual(await c.emitWithAck("fetch", room), [a.id, b.id].sort());
    assert.deepEqual(await c.emitWithAck("fetch", uid("empty")), []);
  });

  it("socketsJoin / socketsLeave move the sockets of a room into another", opts, async () => {
    const t = uid();
    const [src, dst] = [uid("src"), uid("dst")];
    const [a, b, c] = await clients(mode, 3, "msg", t);
    await join(a, src);
    await join(b, src);
    assert.equal(await c.emitWithAck("sockets-join", { in: src, rooms: [dst] }), true);
    assert.deepEqual(await c.emitWithAck("fetch", dst), [a.id, b.id].sort());
    assert.deepEqual((await a.emitWithAck("whoami")).rooms, [a.id, src, dst].sort());
    await op(c, { to: [dst], event: "msg", args: [t] }, [a, b, c]);
    assert.equal(a.got.length + b.got.length, 2);
    assert.equal(await c.emitWithAck("sockets-leave", { in: a.id, rooms: [dst] }), true);
    assert.deepEqual(await c.emitWithAck("fetch", dst), [b.id]);
  });

  it("a disconnected socket leaves its rooms", opts, async () => {
    const obs = await observer();
    const room = uid("r");
    const [a, b] = await clients(mode, 2, "msg", "-");
    await join(a, room);
    await join(b, room);
    const bId = b.id;
    b.disconnect();
    await obs.disconnectReason(bId);
    assert.deepEqual(await a.emitWithAck("fetch", room), [a.id]);
  });

  it("io.in(room).disconnectSockets() disconnects exactly the room's sockets", opts, async () => {
    const room = uid("r");
    const [a, b, c] = await clients(mode, 3, "msg", "-");
    await join(a, room);
    await join(b, room);
    const reasonA = next(a, "disconnect");
    const reasonB = next(b, "disconnect");
    const cDrops = record(c, "disconnect");
    assert.equal(await c.emitWithAck("disconnect-room", { in: room }), true);
    assert.equal((await reasonA)[0], "io server disconnect");
    assert.equal((await reasonB)[0], "io server disconnect");
    await sync(c);
    assert.deepEqual(cDrops, []);
    assert.deepEqual(await c.emitWithAck("fetch", room), []);
  });
});
