// Turns the JSON lines of bench/compare.sh into Markdown tables, one per scenario.
import { readFileSync } from "node:fs";

const [file, when, command] = process.argv.slice(2);
const rows = readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
const columns = {
  connect: ["connected", "failed", "seconds_to_connect_all", "connect_p99_ms", "server_cpu_us_per_connection", "server_cpu_us_per_connection_after_gc", "server_rss_mb", "server_rss_kb_per_connection"],
  echo: ["clients", "acks_per_s", "rtt_p50_ms", "rtt_p99_ms", "rtt_p999_ms", "server_cpu_us_per_ack"],
  "echo-paced": ["clients", "target_rate", "acks_per_s", "rtt_p50_ms", "rtt_p99_ms", "rtt_p999_ms", "server_cpu_us_per_ack"],
  "fanout-max": ["clients", "rate_msgs_per_s", "deliveries_per_s", "delivery_ratio", "latency_p50_ms", "latency_p99_ms", "server_cpu_us_per_delivery"],
  fanout: ["clients", "rate_msgs_per_s", "deliveries_per_s", "delivery_ratio", "latency_p50_ms", "latency_p99_ms", "server_cpu_us_per_delivery"],
  rooms: ["clients", "rooms", "deliveries_per_s", "delivery_ratio", "latency_p50_ms", "latency_p99_ms", "server_cpu_us_per_delivery"],
};
let out = `Measured ${when} on this machine with \`${command}\`; the load generator ran beside each server.\n`;
for (const [scenario, cols] of Object.entries(columns)) {
  const rs = rows.filter((r) => r.scenario === scenario);
  if (!rs.length) continue;
  out += `\n**${scenario}**\n\n| server | ${cols.join(" | ")} |\n|---|${cols.map(() => "---").join("|")}|\n`;
  for (const r of rs) out += `| ${r.server} | ${cols.map((c) => r[c] ?? "").join(" | ")} |\n`;
  out += ratios(scenario, rs);
}

// Parley against the better peer on each figure the targets name: "×" is Parley's value divided by
// the peer's, so above 1 is better for throughput and below 1 is better for CPU and memory.
function ratios(scenario, rs) {
  const figures = {
    connect: [["server_cpu_us_per_connection", "CPU per connection", "low"], ["server_rss_kb_per_connection", "RSS per connection", "low"]],
    echo: [["acks_per_s", "acks/s", "high"], ["server_cpu_us_per_ack", "CPU per ack", "low"]],
    "echo-paced": [["rtt_p99_ms", "p99 round trip", "low"], ["server_cpu_us_per_ack", "CPU per ack", "low"]],
    "fanout-max": [["deliveries_per_s", "deliveries/s", "high"], ["server_cpu_us_per_delivery", "CPU per delivery", "low"]],
  }[scenario];
  const parley = rs.find((r) => r.server === "parley");
  const peers = rs.filter((r) => !r.server.startsWith("parley"));  // parley-servlet is Parley too, not a peer
  if (!figures || !parley || !peers.length) return "";
  const parts = [];
  for (const [key, label, better] of figures) {
    const vs = peers.filter((r) => typeof r[key] === "number" && r[key] > 0);
    if (typeof parley[key] !== "number" || !vs.length) continue;
    const best = vs.reduce((a, b) => (better === "high" ? (b[key] > a[key] ? b : a) : (b[key] < a[key] ? b : a)));
    parts.push(`${label} ${(parley[key] / best[key]).toFixed(2)}× ${best.server}'s`);
  }
  let out = parts.length ? `\nParley against the better peer: ${parts.join(", ")}.\n` : "";
  // Parley's Servlet binding (in embedded Tomcat) against its Netty binding, when both ran
  const servlet = rs.find((r) => r.server === "parley-servlet");
  if (servlet) {
    const rel = figures.filter(([key]) => typeof servlet[key] === "number" && typeof parley[key] === "number" && parley[key] > 0)
      .map(([key, label]) => `${label} ${(servlet[key] / parley[key]).toFixed(2)}×`);
    if (rel.length) out += `\nParley on Tomcat (parley-servlet) against Parley on Netty: ${rel.join(", ")}.\n`;
  }
  return out;
}
process.stdout.write(out);
