// Turns the JSON lines of bench/compare.sh into Markdown tables, one per scenario.
import { readFileSync } from "node:fs";

const [file, when, command] = process.argv.slice(2);
const rows = readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
const columns = {
  connect: ["connected", "failed", "seconds_to_connect_all", "connect_p99_ms", "server_cpu_us_per_connection", "server_rss_mb", "server_rss_kb_per_connection"],
  echo: ["clients", "acks_per_s", "rtt_p50_ms", "rtt_p99_ms", "rtt_p999_ms", "server_cpu_us_per_ack"],
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
}
process.stdout.write(out);
