// Traffic and checks for deploy/chaos.sh (run by it; not on its own).
//
// CHAOS_USERS users register and log in over HTTP, connect through nginx with socket.io-client
// (a third WebSocket only, a third polling only, a third polling then upgrading), each from its own
// 127.0.0.x so that nginx's hash spreads them over the nodes, join `general` and send numbered
// `chat:send` messages with acks for CHAOS_SEND_SECONDS. A message whose ack did not come (or said
// failure) is retried, up to 3 attempts. chaos.sh sends SIGUSR1 when it has killed a node and
// SIGUSR2 when it has restarted Redis; after SIGUSR2 user 0 sends probe messages until one reaches
// every connected user (cross-node broadcast through Redis works again).
//
// Then it reads the messages table with psql and checks that every message whose ack said success
// is stored exactly under the id the ack gave. Exit 0: nothing acknowledged was lost; 1: an
// acknowledged message is missing; 2: clients did not all reconnect; 3: the run itself failed.
// Duplicates (a retry of a message whose ack was lost) are counted and reported, not failed on.
import http from "node:http";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { io } from "socket.io-client";

const env = (name, dflt) => process.env[name] ?? dflt;
const BASE = env("CHAOS_URL", "http://127.0.0.1:18480");
const USERS = Number(env("CHAOS_USERS", "30"));
const RUN = env("CHAOS_RUN", "local");
const DB = env("CHAOS_DB", "");
const SEND_MS = Number(env("CHAOS_SEND_SECONDS", "45")) * 1000;
const INTERVAL_MS = Number(env("CHAOS_INTERVAL_MS", "400"));
const READY_FILE = env("CHAOS_READY_FILE", "");
const RESULT_FILE = env("CHAOS_RESULT", "");
const ACK_TIMEOUT_MS = 5000;
const MAX_ATTEMPTS = 3;
const DRAIN_MS = 15000; // after sending stops: retries and the last acks
const PREFIX = `chaos ${RUN} `;

const t0 = Date.now();
const since = (t) => ((t - t0) / 1000).toFixed(1);
const log = (...a) => console.log(`[traffic +${since(Date.now())}s]`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- HTTP (each user from its own loopback address) ----

function request(method, path, body, { token, localAddress } = {}) {
  return new Promise((resolve, reject) => {
    const url = new URL(path, BASE);
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(
      {
        method,
        hostname: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        localAddress,
        timeout: 10000,
        headers: {
          ...(data ? { "content-type": "application/json", "content-length": data.length } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (text += c));
        res.on("end", () => {
          let json = null;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {
            json = { raw: text };
          }
          resolve({ status: res.statusCode, body: json });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${method} ${path}: timeout`)));
    req.on("error", reject);
    if (data) req.write(data);
    req.end();
  });
}

async function retrying(what, fn, attempts = 5) {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= attempts) throw new Error(`${what}: ${e.message}`);
      await sleep(300 * i);
    }
  }
}

// ---- users ----

const stats = {
  sent: 0, // distinct messages sent at least once
  attempts: 0,
  acked: 0,
  rejected: 0, // ack said success: false
  ackTimeouts: 0,
  unacked: 0, // never acknowledged after every attempt
  retries: 0,
  reconnections: 0,
  connectErrors: 0,
  disconnectsAfterKill: 0,
  received: 0, // chat:message events received, all users
};
const acked = []; // {text, messageId, user}
const unackedTexts = [];
let killAt = null;
let redisAt = null;
let stopSending = false;

class User {
  constructor(i) {
    this.i = i;
    this.name = `c${RUN}_${i}`.slice(0, 32);
    this.localAddress = `127.0.0.${10 + i}`;
    this.agent = new http.Agent({ keepAlive: true, localAddress: this.localAddress });
    this.transports = [["websocket"], ["polling"], ["polling", "websocket"]][i % 3];
    this.connects = 0;
    this.joined = false;
    this.seq = 0;
    this.retry = []; // messages to send again: {text, attempts}
    this.inFlight = false;
    this.disconnectedAt = null;
    this.recoveries = []; // ms from the kill (or the disconnect) to the next join
    this.probes = new Set();
  }

  async login() {
    const creds = { username: this.name, password: "chaos-password-1" };
    const reg = await retrying(`register ${this.name}`, () =>
      request("POST", "/api/register", creds, { localAddress: this.localAddress }));
    if (reg.status !== 201 && reg.status !== 409) throw new Error(`register ${this.name}: ${reg.status} ${JSON.stringify(reg.body)}`);
    const res = await retrying(`login ${this.name}`, () =>
      request("POST", "/api/login", creds, { localAddress: this.localAddress }));
    if (res.status !== 200) throw new Error(`login ${this.name}: ${res.status} ${JSON.stringify(res.body)}`);
    this.token = res.body.token;
  }

  connect() {
    this.socket = io(BASE, {
      auth: { token: this.token },
      transports: this.transports,
      agent: this.agent,
      reconnectionDelay: 250,
      reconnectionDelayMax: 2000,
      randomizationFactor: 0.3,
      timeout: 5000,
    });
    this.socket.on("connect", () => {
      this.connects++;
      if (this.connects > 1) stats.reconnections++;
      this.join(0);
    });
    this.socket.on("connect_error", () => stats.connectErrors++);
    this.socket.on("disconnect", (reason) => {
      this.joined = false;
      this.disconnectedAt = Date.now();
      this.lastReason = reason;
      if (killAt !== null && Date.now() - killAt < 15000) stats.disconnectsAfterKill++;
    });
    this.socket.on("chat:message", (m) => {
      stats.received++;
      if (typeof m?.text === "string" && m.text.startsWith(PREFIX + "probe")) this.probes.add(m.text);
    });
  }

  join(attempt) {
    if (!this.socket.connected || attempt > 20) return;
    this.socket.timeout(ACK_TIMEOUT_MS).emit("room:join", { roomId: "general" }, (err, res) => {
      if (!err && res?.success) {
        this.joined = true;
        if (this.disconnectedAt !== null) {
          const from = killAt !== null && killAt <= this.disconnectedAt + 50 && this.disconnectedAt - killAt < 15000 ? killAt : this.disconnectedAt;
          this.recoveries.push({ ms: Date.now() - from, afterKill: from === killAt, reason: this.lastReason });
          this.disconnectedAt = null;
        }
      } else {
        setTimeout(() => this.join(attempt + 1), 300);
      }
    });
  }

  tick() {
    if (!this.joined || this.inFlight) return;
    let msg;
    if (this.retry.length > 0) {
      msg = this.retry.shift();
      stats.retries++;
    } else if (!stopSending) {
      msg = { text: `${PREFIX}u${this.i} #${++this.seq}`, attempts: 0 };
      stats.sent++;
    } else {
      return;
    }
    msg.attempts++;
    stats.attempts++;
    this.inFlight = true;
    this.socket.timeout(ACK_TIMEOUT_MS).emit("chat:send", { roomId: "general", text: msg.text }, (err, res) => {
      this.inFlight = false;
      if (!err && res?.success === true) {
        stats.acked++;
        acked.push({ text: msg.text, messageId: res.messageId, user: this.i });
        return;
      }
      if (err) stats.ackTimeouts++;
      else stats.rejected++;
      if (msg.attempts < MAX_ATTEMPTS) this.retry.push(msg);
      else {
        stats.unacked++;
        unackedTexts.push(msg.text);
      }
    });
  }
}

// ---- the run ----

async function main() {
  const users = Array.from({ length: USERS }, (_, i) => new User(i));
  log(`${USERS} users register and log in through ${BASE}`);
  for (let k = 0; k < users.length; k += 5) {
    await Promise.all(users.slice(k, k + 5).map((u) => u.login()));
  }
  log("connecting (websocket / polling / polling+upgrade)");
  users.forEach((u) => u.connect());
  const joinDeadline = Date.now() + 30000;
  while (users.some((u) => !u.joined)) {
    if (Date.now() > joinDeadline) throw new Error(`${users.filter((u) => !u.joined).length} users did not join general within 30 s`);
    await sleep(100);
  }
  log(`all ${USERS} users joined general; sending for ${SEND_MS / 1000} s`);
  if (READY_FILE) writeFileSync(READY_FILE, String(Date.now()));

  process.on("SIGUSR1", () => {
    killAt = Date.now();
    log("chaos: a node was killed (SIGKILL)");
  });
  let probe = null;
  process.on("SIGUSR2", () => {
    redisAt = Date.now();
    log("chaos: Redis was restarted");
    probe = probeBroadcast(users);
  });

  const sendUntil = Date.now() + SEND_MS;
  const ticker = setInterval(() => users.forEach((u) => u.tick()), INTERVAL_MS);
  const fast = setInterval(() => users.forEach((u) => u.retry.length && u.tick()), 100);
  while (Date.now() < sendUntil) await sleep(200);
  stopSending = true;
  log("sending stopped; draining retries and acks");
  const drainUntil = Date.now() + DRAIN_MS;
  while (Date.now() < drainUntil && users.some((u) => u.inFlight || u.retry.length > 0)) await sleep(100);
  clearInterval(ticker);
  clearInterval(fast);
  for (const u of users) {
    for (const m of u.retry) {
      stats.unacked++;
      unackedTexts.push(m.text);
    }
    u.retry = [];
  }
  const probeResult = probe ? await probe : null;
  const connectedAtEnd = users.filter((u) => u.socket.connected).length;
  users.forEach((u) => u.socket.close());
  return { users, probeResult, connectedAtEnd };
}

/** After the Redis restart: probes from user 0 until one reaches every joined user (bounded 40 s). */
async function probeBroadcast(users) {
  const sender = users[0];
  const deadline = Date.now() + 40000;
  for (let k = 1; Date.now() < deadline; k++) {
    const text = `${PREFIX}probe #${k}`;
    const sentAt = Date.now();
    if (sender.joined) {
      sender.socket.timeout(ACK_TIMEOUT_MS).emit("chat:send", { roomId: "general", text }, () => {});
      const until = Date.now() + 2000;
      while (Date.now() < until) {
        const waiting = users.filter((u) => u.joined && !u.probes.has(text));
        if (waiting.length === 0) {
          return { probe: k, sentAfterRestartMs: sentAt - redisAt, deliveredAfterRestartMs: Date.now() - redisAt };
        }
        await sleep(50);
      }
    } else {
      await sleep(500);
    }
  }
  return { probe: null, error: "no probe reached every user within 40 s of the Redis restart" };
}

function stored() {
  const out = execFileSync(
    "psql",
    ["-d", DB, "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c",
      `SELECT id, text FROM messages WHERE text LIKE '${PREFIX.replace(/'/g, "''")}%' ORDER BY id`],
    { encoding: "utf8", timeout: 30000, maxBuffer: 64 * 1024 * 1024 },
  );
  return out.split("\n").filter(Boolean).map((line) => {
    const tab = line.indexOf("\t");
    return { id: Number(line.slice(0, tab)), text: line.slice(tab + 1) };
  });
}

function median(xs) {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

let exitCode = 0;
try {
  const { users, probeResult, connectedAtEnd } = await main();
  const rows = stored().filter((r) => !r.text.startsWith(PREFIX + "probe"));
  const byId = new Map(rows.map((r) => [r.id, r.text]));
  const countByText = new Map();
  for (const r of rows) countByText.set(r.text, (countByText.get(r.text) ?? 0) + 1);
  const ackedTexts = new Set(acked.map((a) => a.text));
  const lost = acked.filter((a) => byId.get(a.messageId) !== a.text);
  const duplicates = [...countByText.values()].reduce((n, c) => n + (c > 1 ? c - 1 : 0), 0);
  const storedWithoutAck = [...countByText.keys()].filter((t) => !ackedTexts.has(t)).length;
  const recoveries = users.flatMap((u) => u.recoveries);
  const afterKill = recoveries.filter((r) => r.afterKill).map((r) => r.ms);
  const reasons = {};
  for (const r of recoveries) reasons[r.reason] = (reasons[r.reason] ?? 0) + 1;
  const result = {
    run: RUN,
    users: USERS,
    messages: {
      sent: stats.sent,
      attempts: stats.attempts,
      acked: stats.acked,
      persisted: rows.length,
      distinctPersisted: countByText.size,
      lost: lost.length,
      duplicates,
      persistedWithoutSuccessAck: storedWithoutAck,
      neverAcked: stats.unacked,
      ackTimeouts: stats.ackTimeouts,
      rejected: stats.rejected,
      retries: stats.retries,
    },
    clients: {
      reconnections: stats.reconnections,
      disconnectedByKill: stats.disconnectsAfterKill,
      connectErrors: stats.connectErrors,
      connectedAtEnd,
      disconnectReasons: reasons,
      recoveryAfterKillMs: { clients: afterKill.length, median: median(afterKill), max: afterKill.length ? Math.max(...afterKill) : null },
    },
    broadcast: { chatMessagesReceived: stats.received, afterRedisRestart: probeResult },
    lostExamples: lost.slice(0, 5),
    duplicateExamples: [...countByText.entries()].filter(([, c]) => c > 1).slice(0, 5)
      .map(([text]) => ({ text, ids: rows.filter((r) => r.text === text).map((r) => r.id) })),
  };
  console.log(JSON.stringify(result, null, 2));
  const m = result.messages;
  log(`messages: ${m.sent} sent, ${m.acked} acknowledged, ${m.persisted} persisted, ${m.lost} acknowledged but lost, ` +
    `${m.duplicates} duplicates, ${m.neverAcked} never acknowledged (${m.persistedWithoutSuccessAck} of those stored anyway)`);
  log(`clients: ${result.clients.reconnections} reconnections (${afterKill.length} after the node kill; recovery median ` +
    `${result.clients.recoveryAfterKillMs.median} ms, max ${result.clients.recoveryAfterKillMs.max} ms), ` +
    `${connectedAtEnd}/${USERS} connected at the end`);
  if (probeResult) log(`broadcast after the Redis restart: ${probeResult.probe ? `probe #${probeResult.probe} reached every user ${probeResult.deliveredAfterRestartMs} ms after the restart` : probeResult.error}`);
  if (RESULT_FILE) writeFileSync(RESULT_FILE, JSON.stringify(result, null, 2) + "\n");
  if (lost.length > 0) {
    log(`FAIL: ${lost.length} acknowledged message(s) are not in the database`);
    exitCode = 1;
  } else if (connectedAtEnd < USERS || (killAt !== null && afterKill.length === 0 && stats.disconnectsAfterKill > 0)) {
    log(`FAIL: clients did not all reconnect (${connectedAtEnd}/${USERS} connected at the end)`);
    exitCode = 2;
  } else {
    log("OK: every acknowledged message is stored exactly where its ack said");
  }
} catch (e) {
  log(`FAIL: the run itself failed: ${e.stack ?? e}`);
  exitCode = 3;
}
process.exit(exitCode);
