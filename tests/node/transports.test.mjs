// The transports themselves: the server sees the transport the client uses, the polling ->
// websocket upgrade neither loses nor reorders packets sent while it happens, and the heartbeat
// keeps a quiet session alive (on the fixture's /fast/ endpoint: ping every 200 ms).
import { it } from "node:test";
import assert from "node:assert/strict";
import { NodeXHR, NodeWebSocket } from "engine.io-client";
import { forEachMode, client, connect, connected, next, record, sync, upgradeOf, assertTransport, withTimeout, FAST_PATH, TEST_TIMEOUT, WAIT_TIMEOUT } from "./helpers.mjs";

const opts = { timeout: TEST_TIMEOUT };

/** engine.io-client's websocket transport, opening only once `opts.probeGate` resolves. */
class GatedWebSocket extends NodeWebSocket {
  doOpen() {
    this.opts.probeGate.then(() => super.doOpen());
  }
}

forEachMode((mode) => {
  it("the server sees the transport the client uses", opts, async () => {
    const socket = await connect(mode);
    assertTransport(mode, socket);
    const me = await socket.emitWithAck("whoami");
    assert.equal(me.transport, socket.io.engine.transport.name);
    assert.equal(me.engineId, socket.io.engine.id);
  });

  it("loses and reorders nothing sent both ways while the transport upgrades", opts, async (t) => {
    // In the upgrade mode the websocket probe starts only when the test opens the gate, so that
    // events and acks are in flight both ways while the upgrade happens.
    let openGate;
    const probeGate = new Promise((resolve) => (openGate = resolve));
    const socket = client(mode, "/", mode.upgrade ? { transportImplementations: [NodeXHR, GatedWebSocket], probeGate } : {});
    const echoes = record(socket, "echo");
    await connected(socket, { waitUpgrade: false });
    let upgraded = !mode.upgrade;
    let atUpgrade;
    const acks = [];
    let sent = 0;
    let acked = 0;
    if (mode.upgrade) {
      assert.equal(socket.io.engine.transport.name, "polling");
      upgradeOf(socket.io.engine).then(() => {
        upgraded = true;
        atUpgrade = { sent, acked };
      }, () => {});
    }
    // Pump until the upgrade is done and 100 more were sent after it.
    let after = 0;
    while (after < 100 && sent < 5000) {
      const i = sent++;
      socket.emit("echo", i, Buffer.from([i & 0xff]));
      acks.push(socket.emitWithAck("echo-ack", i).then((v) => (acked++, v)));
      if (upgraded) after++;
      if (sent === 20) openGate();
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.ok(upgraded, "the upgrade happened");
    assert.deepEqual(await Promise.all(acks), Array.from({ length: sent }, (_, i) => i));
    if (mode.upgrade) {
      t.diagnostic(`upgrade done after ${atUpgrade.sent} emits, ${atUpgrade.acked} acks; ${sent} emits in all`);
      assert.ok(atUpgrade.sent >= 20, "traffic was flowing when the upgrade started");
    }
    await sync(socket);
    await withTimeout((async () => {
      while (echoes.length < sent) await next(socket, "echo");
    })(), WAIT_TIMEOUT, `${sent} echoes`);
    assert.deepEqual(echoes.map(([i]) => i), Array.from({ length: sent }, (_, i) => i));
    assert.ok(echoes.every(([i, b]) => Buffer.isBuffer(b) && b.length === 1 && b[0] === (i & 0xff)));
    assertTransport(mode, socket);
  });

  it("the heartbeat keeps an idle session alive", opts, async () => {
    const socket = await connect(mode, "/", { path: FAST_PATH });
    const engineId = socket.io.engine.id;
    const drops = record(socket, "disconnect");
    const pings = record(socket.io, "ping");
    await withTimeout((async () => {
      while (pings.length < 4) await next(socket.io, "ping");
    })(), WAIT_TIMEOUT, "4 pings");
    assert.deepEqual(drops, []);
    assert.equal(socket.connected, true);
    assert.equal(socket.io.engine.id, engineId);
    assert.equal((await socket.emitWithAck("whoami")).engineId, engineId);
  });
});
