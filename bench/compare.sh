#!/usr/bin/env bash
# Runs the same load scenarios against Parley and its peers (Node socket.io 4.8, netty-socketio and
# its fork socketio4j), and on request Parley's Servlet binding in embedded Tomcat (server parley-servlet),
# one server at a time on this machine, each freshly started, with the load generator beside it.
# Samples each server's CPU time and RSS from /proc and writes a Markdown table.
#
#   bench/compare.sh                  # all servers, all scenarios (about 20 minutes)
#   SERVERS="parley node" SCENARIOS="echo fanout" bench/compare.sh
#
# Knobs (environment): CONNECT_CLIENTS (19000), CONNECT_WARMUP (3 x CONNECT_CLIENTS),
# FANOUT_CLIENTS (1000), FANOUT_RATE (start rate, 20), ECHO_CLIENTS (50), ECHO_RATE (echo-paced: default half of Parley's closed-loop echo in this run),
# DURATION (10), WARMUP (3), IO_THREADS (event loops of both JVM servers, default: the cores),
# OUT (bench/results/latest.md).
# connect: every server is first warmed up with CONNECT_WARMUP connections (default: three rounds of
# CONNECT_CLIENTS, each opened at the same rate and then closed; JIT compilers and V8 alike are
# measured warm, having seen a whole round open and close; the server is idle before each round),
# then CONNECT_CLIENTS at 2,000/s; memory is read after the server collected garbage (jcmd GC.run
# for the JVMs, SIGUSR2 -> gc() for Node started with --expose-gc). CPU per connection is the last
# warm-up round's opening; the held round's, right after the forced collection, is reported beside it.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
# The same JVM options for both Java servers: a heap that gives memory back after a collection
# (the connect scenario collects before reading memory, in every server).
# Netty's sampling leak detector is off in both (it records a stack trace for 1 in 128 buffers).
# Compact object headers (JDK 25) for both, as ./parley runs Parley.
JOPTS=(--enable-native-access=ALL-UNNAMED -Xmx2g -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20
  -XX:+UseCompactObjectHeaders -Dio.netty.leakDetection.level=disabled)
SERVERS="${SERVERS:-parley node netty-socketio socketio4j}"
SCENARIOS="${SCENARIOS:-connect echo echo-paced fanout}"
CONNECT_CLIENTS="${CONNECT_CLIENTS:-19000}"
CONNECT_WARMUP="${CONNECT_WARMUP:-$((3 * CONNECT_CLIENTS))}"
FANOUT_CLIENTS="${FANOUT_CLIENTS:-1000}"
FANOUT_RATE="${FANOUT_RATE:-20}"
ECHO_CLIENTS="${ECHO_CLIENTS:-50}"
IO_THREADS="${IO_THREADS:-$(nproc)}"  # event loop threads of both JVM servers (Node has one)
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-3}"
PORT="${PORT:-3990}"
OUT="${OUT:-$ROOT/bench/results/latest.md}"
RAW="$(mktemp)"
mkdir -p "$(dirname "$OUT")"

./parley build >/dev/null
(cd bench/peers/node && [ -d node_modules ] || npm ci --no-audit --no-fund >/dev/null)
build_jvm_peer() { # dir: builds bench/peers/DIR/target/peer.jar unless it is newer than its sources
  (cd "bench/peers/$1" && { [ target/peer.jar -nt ../jvm/bench/PeerServer.java ] && [ target/peer.jar -nt pom.xml ]; } \
    || mvn -q -B package >/dev/null)
}
build_jvm_peer netty-socketio
# socketio4j's library (com.socketio4j:netty-socketio-core) may be missing from the Maven repository
# at hand: then it is left out of this run, and said so.
if [[ " $SERVERS " == *" socketio4j "* ]] && ! build_jvm_peer socketio4j; then
  echo "socketio4j left out: its library could not be resolved (see bench/peers/socketio4j/pom.xml)" >&2
  SERVERS="$(echo " $SERVERS " | sed 's/ socketio4j / /' | xargs)"
fi

start_server() { # name -> sets SERVER_PID
  case "$1" in
    parley) "$JAVA" "${JOPTS[@]}" -jar parley-app/target/parley.jar bench-server --host 127.0.0.1 --port "$PORT" \
      --io-threads "$IO_THREADS" >/tmp/compare-server.log 2>&1 & ;;
    parley-servlet) "$JAVA" "${JOPTS[@]}" -jar parley-app/target/parley.jar bench-server --binding servlet --host 127.0.0.1 \
      --port "$PORT" >/tmp/compare-server.log 2>&1 & ;;
    node) node --expose-gc bench/peers/node/server.mjs "$PORT" >/tmp/compare-server.log 2>&1 & ;;
    netty-socketio|socketio4j) IO_THREADS="$IO_THREADS" "$JAVA" "${JOPTS[@]}" -jar "bench/peers/$1/target/peer.jar" "$PORT" \
      >/tmp/compare-server.log 2>&1 & ;;
    *) echo "unknown server $1" >&2; exit 2 ;;
  esac
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/socket.io/?EIO=4&transport=polling" && return 0
    sleep 0.1
  done
  echo "server $1 did not start" >&2; cat /tmp/compare-server.log >&2; exit 1
}

stop_server() { # SIGTERM, then SIGKILL after 10 s: a JVM out of memory may never act on SIGTERM
  kill "$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
}

echo_rate() { # ECHO_RATE, or half of Parley's closed-loop echo maximum measured earlier in this run
  if [ -n "${ECHO_RATE:-}" ]; then echo "$ECHO_RATE"; return; fi
  local max
  max=$(grep '"scenario":"echo"' "$RAW" | grep '"server":"parley"' | sed 's/.*"acks_per_s":\([0-9]*\).*/\1/' | tail -1)
  echo $(( ${max:-80000} / 2 ))
}

gc_command() { # server -> the command that makes it collect garbage ({pid} is the server's pid)
  case "$1" in
    node) echo 'kill -USR2 {pid}' ;;
    *) echo "$JAVA_HOME/bin/jcmd {pid} GC.run" ;;
  esac
}

bench() { # server scenario args...
  local server=$1 scenario=$2; shift 2
  echo "== $server: $scenario $*" >&2
  ./parley bench "$scenario" --url "http://127.0.0.1:$PORT" --pid "$SERVER_PID" --label "$server" "$@" \
    | grep '^{"scenario"' | tail -1 >> "$RAW"
}

for server in $SERVERS; do
  for scenario in $SCENARIOS; do
    PORT=$((PORT + 1))  # a fresh port per run: sockets of the previous server may linger in TIME_WAIT
    start_server "$server"
    case "$scenario" in
      connect) bench "$server" connect --clients "$CONNECT_CLIENTS" --rate 2000 --hold 5 --warmup-clients "$CONNECT_WARMUP" --gc-command "$(gc_command "$server")" ;;
      echo) bench "$server" echo --clients "$ECHO_CLIENTS" --warmup "$WARMUP" --duration "$DURATION" ;;
      echo-paced) bench "$server" echo --clients "$ECHO_CLIENTS" --rate "$(echo_rate)" --warmup "$WARMUP" --duration "$DURATION" ;;
      fanout) bench "$server" fanout --clients "$FANOUT_CLIENTS" --rate "$FANOUT_RATE" --find-max --warmup 2 --duration 5 ;;
      rooms) bench "$server" rooms --clients 1000 --rooms 100 --senders 10 --rate 500 --warmup "$WARMUP" --duration "$DURATION" ;;
    esac
    stop_server
  done
done

node bench/table.mjs "$RAW" "$(date -u +%Y-%m-%dT%H:%MZ)" "bench/compare.sh (SERVERS=\"$SERVERS\" SCENARIOS=\"$SCENARIOS\")" > "$OUT"
cp "$RAW" "${OUT%.md}.jsonl"
rm -f "$RAW"
cat "$OUT"
