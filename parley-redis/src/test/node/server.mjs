// A reference Node.js server (socket.io + @socket.io/redis-adapter) for the JUnit interop tests.
//
//   node server.mjs <key> <classic|sharded|streams>
//
// "streams": @socket.io/redis-streams-adapter (stream <key>, channel prefix <key>, session keys
// <key>:session:) with connection state recovery on (60 s).
//
// It listens on a free loopback port and prints {"ready": port}. The test drives it with one JSON
// command per line on stdin ({"id", "cmd", ...}) and reads one JSON line per answer ({"id",
// "result"} or {"id", "error"}) or event ({"event", ...}) on stdout. It exits when stdin closes.
// Arguments written {"$bin": [1, 2, 3]} become Buffers.
import { createServer } from "node:http";
import { createInterface } from "node:readline";
import { Server } from "socket.io";
import { createAdapter, createShardedAdapter } from "@socket.io/redis-adapter";
import { createAdapter as createStreamsAdapter } from "@socket.io/redis-streams-adapter";
import { Emitter } from "@socket.io/redis-emitter";
import { createClient } from "redis";

const [key, mode] = process.argv.slice(2);
const pub = createClient({ url: "redis://127.0.0.1:6379" });
const sub = pub.duplicate();
await Promise.all([pub.connect(), sub.connect()]);

const io = new Server(createServer(), mode === "streams"
  ? {
      adapter: createStreamsAdapter(pub, { streamName: key, channelPrefix: key, sessionKeyPrefix: key + ":session:" }),
      connectionStateRecovery: { maxDisconnectionDuration: 60_000 },
    }
  : {
      adapter: mode === "sharded"
        ? createShardedAdapter(pub, sub, { channelPrefix: key })
        : createAdapter(pub, sub, { key, requestsTimeout: 3000 }),
    });
const emitter = new Emitter(pub, { key });
const print = (message) => process.stdout.write(JSON.stringify(message) + "\n");
const decode = (args = []) => args.map((a) => (a && a.$bin ? Buffer.from(a.$bin) : a));
const sockets = (list) => list.map((s) => ({ id: s.id, rooms: [...s.rooms], data: s.data }));

io.on("connection", (socket) => {
  const room = socket.handshake.query.room;
  if (room && !socket.recovered) socket.join(room.split(","));
  if (mode === "streams") print({ event: "connection", sid: socket.id, recovered: socket.recovered, auth: socket.handshake.auth });
  socket.data.node = "node";
});
io.on("hello-servers", (arg, ack) => {
  print({ event: "hello-servers", arg });
  if (typeof ack === "function") ack("node-says-hi");
});

let producer = null;
const commands = {
  // emits `event` (src, n) to `rooms` every `everyMs` until stopProducing, which returns how many
  produce: ({ rooms = [], event, src, everyMs = 3 }) => {
    let n = 0;
    producer = { timer: setInterval(() => io.to(rooms).emit(event, src, n++), everyMs), count: () => n };
  },
  stopProducing: () => {
    clearInterval(producer.timer);
    return producer.count();
  },
  emit: ({ rooms = [], except = [], event, args }) => io.to(rooms).except(except).emit(event, ...decode(args)),
  emitWithAck: ({ rooms = [], event, timeout }) => io.to(rooms).timeout(timeout).emitWithAck(event),
  fetchSockets: async ({ rooms = [] }) => sockets(await io.in(rooms).fetchSockets()),
  socketsJoin: ({ rooms = [], join }) => io.in(rooms).socketsJoin(join),
  disconnectSockets: ({ rooms = [] }) => io.in(rooms).disconnectSockets(),
  serverSideEmit: ({ event, args }) => io.serverSideEmit(event, ...decode(args)),
  serverSideEmitWithAck: ({ event, args }) => io.serverSideEmitWithAck(event, ...decode(args)),
  serverCount: () => io.of("/").adapter.serverCount(),
  allRooms: async () => [...(await io.of("/").adapter.allRooms())],
  emitterEmit: ({ rooms = [], event, args }) => emitter.to(rooms).emit(event, ...decode(args)),
  emitterSocketsJoin: ({ rooms = [], join }) => emitter.in(rooms).socketsJoin(join),
  emitterDisconnectSockets: ({ rooms = [] }) => emitter.in(rooms).disconnectSockets(),
  emitterServerSideEmit: ({ event, args }) => emitter.serverSideEmit(event, ...decode(args)),
};

createInterface({ input: process.stdin })
  .on("line", async (line) => {
    const { id, cmd, ...params } = JSON.parse(line);
    try {
      print({ id, result: (await commands[cmd](params)) ?? null });
    } catch (e) {
      print({ id, error: String(e?.message ?? e) });
    }
  })
  .on("close", () => process.exit(0));

io.httpServer.listen(0, "127.0.0.1", () => print({ ready: io.httpServer.address().port }));
