// The official socket.io-client, cut at random moments while two producers stream to it, moving
// between two servers of a cluster on each reconnection. Started by the JUnit recovery tests.
//
//   node recovery-client.mjs <urlA> <urlB> <websocket|polling> <cuts> <room> <seed>
//
// Prints one JSON line per step on stdout: {"connected": id} once connected, {"cutsDone": true}
// after the last reconnection, then {"result": {...}} once the "done" event and every message it
// announces arrived. The JUnit side runs the producers: "tick" ("a" | "b", n) events, then
// "done" {a, b} with how many of each it sent.
import { io } from "socket.io-client";

const [urlA, urlB, transport, cutsArg, room, seedArg] = process.argv.slice(2);
const urls = [urlA, urlB];
const cuts = Number(cutsArg);
let seed = Number(seedArg) || 1;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const print = (m) => process.stdout.write(JSON.stringify(m) + "\n");

const socket = io(urlA, {
  forceNew: true,
  transports: [transport],
  upgrade: false,
  reconnectionDelay: 50,
  reconnectionDelayMax: 100,
  query: { room },
});

const got = { a: [], b: [] };
const reconnections = []; // {recovered, id, url, how}
let done = null;
let cutCount = 0;
let target = 0;
let lastHow = null;
let firstId = null;

socket.on("tick", (src, n) => got[src].push(n));
socket.on("done", (counts) => {
  done = counts;
  finish();
  setTimeout(() => report({ incomplete: true }), 10_000);
});
const debug = (m) => process.env.RECOVERY_DEBUG && process.stderr.write(`[recovery-client] ${m}\n`);
socket.on("disconnect", (reason) => debug(`disconnect ${reason} a=${got.a.length} b=${got.b.length}`));
socket.on("connect_error", (e) => debug(`connect_error ${e.message}`));

socket.on("connect", () => {
  debug(`connect ${socket.id} recovered=${socket.recovered} via ${urls[target]}`);
  if (firstId === null) {
    firstId = socket.id;
    print({ connected: socket.id });
  } else {
    reconnections.push({ recovered: socket.recovered, id: socket.id, url: urls[target], how: lastHow, at: got.a.length });
  }
  if (cutCount < cuts) {
    setTimeout(cut, 30 + Math.floor(random() * 250));
  } else {
    setTimeout(() => {
      print({ cutsDone: true });
      setTimeout(() => report({ timedOut: "no done event" }), 20_000);
    }, 300);
  }
});

function cut() {
  if (got.a.length + got.b.length === 0) {
    // without a packet received there is no offset to recover from (as with any socket.io server)
    setTimeout(cut, 20);
    return;
  }
  cutCount++;
  target = 1 - target;
  socket.io.uri = urls[target]; // the next engine goes to the other server
  const engine = socket.io.engine;
  if (transport === "websocket" && random() < 0.5 && engine.transport?.ws?.terminate) {
    lastHow = "terminate";
    engine.transport.ws.terminate(); // the TCP connection drops
  } else {
    lastHow = "close";
    engine.close(); // the client closes its transport
  }
}

function report(extra = {}) {
  print({ result: { firstId, reconnections, a: got.a, b: got.b, done, connected: socket.connected, ...extra } });
  socket.disconnect();
  process.exit(0);
}

function finish() {
  if (done && got.a.length >= done.a && got.b.length >= done.b) {
    report();
  }
}
socket.on("tick", finish);

setTimeout(() => report({ timedOut: "overall" }), 90_000).unref?.();
