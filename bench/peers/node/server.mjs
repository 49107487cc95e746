// The bench-server contract on socket.io 4.8 (see parley-app BenchServer.java): same events, same replies.
import { createServer } from "node:http";
import { Server } from "socket.io";

const port = Number(process.env.PORT || process.argv[2] || 3000);
const httpServer = createServer();
const io = new Server(httpServer, { transports: ["polling", "websocket"] });

io.on("bench:server", (data) => io.local.emit("bench:from-server", data));
io.on("connection", (socket) => {
  socket.on("bench:echo", (data, ack) => ack(data));
  socket.on("bench:broadcast", (data) => io.emit("bench:msg", data));
  socket.on("bench:join", (room, ack) => { socket.join(room); ack(true); });
  socket.on("bench:to", (m) => io.to(m.room).emit("bench:msg", m.data));
  socket.on("bench:count", async (ack) => ack((await io.fetchSockets()).length));
  socket.on("bench:rooms-join", (m, ack) => { io.in(m.from).socketsJoin(m.to); ack(true); });
  socket.on("bench:server-emit", (data) => io.serverSideEmit("bench:server", data));
});
// compare.sh asks for a collection (node --expose-gc) before it reads memory, as it does of the JVMs.
process.on("SIGUSR2", () => globalThis.gc?.());
httpServer.listen(port, "127.0.0.1", () => console.log(`node socket.io bench server on port ${port}`));
