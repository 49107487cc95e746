#!/usr/bin/env bash
# Chaos run: three `parley serve` nodes behind nginx, joined through a Redis of their own and
# sharing a throwaway PostgreSQL database, under chat traffic; one node is killed with SIGKILL
# mid-traffic and Redis is restarted later. Checks that the clients reconnect to the surviving
# nodes and that every message whose ack said success is stored exactly once.
#
#   deploy/chaos.sh            (on demand; not part of CI)
#
# Needs: nginx (apt-get install nginx-light), redis-server, psql and a PostgreSQL on
# 127.0.0.1:5432 accepting user postgres without a password, node + npm, curl, a JDK 21+ and Maven.
# Settings (environment): CHAOS_USERS (30), CHAOS_SECONDS of sending (45), CHAOS_KILL_AT (10) and
# CHAOS_REDIS_AT (25) seconds into the sending, CHAOS_PORT (18480: nginx; nodes on the next three
# ports), CHAOS_REDIS_PORT (6390: a redis-server started for this run only, never the shared one),
# PGHOST/PGPORT/PGUSER (127.0.0.1/5432/postgres).
#
# Everything it starts (the nodes, nginx, the Redis, the database parley_chaos_<random>) is
# stopped or dropped on exit, whatever happens. Logs and the result (result.json) stay in
# .cluster/chaos-<run>/ (git-ignored). Exit status: 0 no acknowledged message lost; 1 an
# acknowledged message is missing from the database; 2 clients did not all reconnect; 3 the run
# failed (a service did not start, a wait ran out).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
USERS="${CHAOS_USERS:-30}"
SEND_SECONDS="${CHAOS_SECONDS:-45}"
KILL_AT="${CHAOS_KILL_AT:-10}"
REDIS_AT="${CHAOS_REDIS_AT:-25}"
PORT="${CHAOS_PORT:-18480}"
REDIS_PORT="${CHAOS_REDIS_PORT:-6390}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
RUN_ID="$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
DB="parley_chaos_$RUN_ID"
RUN_DIR="$ROOT/.cluster/chaos-$RUN_ID"
export PARLEY_CLUSTER_DIR="$RUN_DIR/cluster"
TRAFFIC_DIR="$ROOT/deploy/chaos"

say() { echo "chaos: $*"; }
die() { echo "chaos: $*" >&2; exit 3; }

REDIS_PID="" TRAFFIC_PID="" DB_CREATED="" CLUSTER_STARTED=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  if [ -n "$TRAFFIC_PID" ] && kill -0 "$TRAFFIC_PID" 2>/dev/null; then kill -TERM "$TRAFFIC_PID"; fi
  if [ -n "$CLUSTER_STARTED" ]; then "$ROOT/deploy/cluster.sh" stop >/dev/null 2>&1 || say "cluster.sh stop failed"; fi
  stop_redis
  if [ -n "$DB_CREATED" ]; then
    psql -d test -q -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 \
      && say "dropped database $DB" || say "could not drop database $DB: drop it by hand"
  fi
  say "logs in $RUN_DIR"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 3' INT TERM

redis_up() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }
start_redis() {
  mkdir -p "$RUN_DIR/redis"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --dir "$RUN_DIR/redis" \
    --logfile "$RUN_DIR/redis/redis.log" --daemonize no < /dev/null &
  REDIS_PID=$!
  local i
  for ((i = 0; i < 50; i++)); do redis_up && return 0; sleep 0.1; done
  die "redis-server did not answer on port $REDIS_PORT within 5 s (log: $RUN_DIR/redis/redis.log)"
}
stop_redis() { # SIGKILL: no chance to do anything graceful (it keeps no data anyway)
  if [ -n "$REDIS_PID" ] && kill -0 "$REDIS_PID" 2>/dev/null; then
    kill -KILL "$REDIS_PID" 2>/dev/null
    wait "$REDIS_PID" 2>/dev/null || true # reaped quietly (no "Killed" line from the shell)
  fi
  REDIS_PID=""
}
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# --- preconditions ------------------------------------------------------------------------------
for tool in node npm psql redis-server redis-cli curl; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is needed"
done
for p in "$REDIS_PORT" "$PORT" $((PORT + 1)) $((PORT + 2)) $((PORT + 3)); do
  ! port_taken "$p" || die "port $p on 127.0.0.1 is in use (set CHAOS_PORT / CHAOS_REDIS_PORT)"
done
psql -d test -q -c 'SELECT 1' >/dev/null 2>&1 || die "PostgreSQL is not reachable as $PGUSER@$PGHOST:$PGPORT (database test)"
if [ ! -d "$TRAFFIC_DIR/node_modules" ]; then
  say "installing the traffic client (npm ci in deploy/chaos)"
  (cd "$TRAFFIC_DIR" && timeout 300 npm ci --no-audit --no-fund >/dev/null) || die "npm ci failed in $TRAFFIC_DIR"
fi
say "building Parley if needed"
"$ROOT/parley" --version >/dev/null || die "building Parley failed"
mkdir -p "$RUN_DIR"
START=$SECONDS

# --- services -----------------------------------------------------------------------------------
say "run $RUN_ID: redis-server of its own on 127.0.0.1:$REDIS_PORT, database $DB"
start_redis
psql -d test -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $DB" >/dev/null || die "could not create database $DB"
DB_CREATED=1
CLUSTER_STARTED=1
"$ROOT/deploy/cluster.sh" start 3 --port "$PORT" --app serve --redis "redis://127.0.0.1:$REDIS_PORT" \
  --db "jdbc:postgresql://$PGHOST:$PGPORT/$DB" --db-user "$PGUSER" > "$RUN_DIR/cluster-start.log" 2>&1 \
  || { cat "$RUN_DIR/cluster-start.log" >&2; die "the cluster did not start"; }
say "3 nodes on 127.0.0.1:$((PORT + 1))-$((PORT + 3)) behind nginx on 127.0.0.1:$PORT ($((SECONDS - START)) s)"

# --- traffic and chaos --------------------------------------------------------------------------
READY="$RUN_DIR/traffic.ready"
CHAOS_URL="http://127.0.0.1:$PORT" CHAOS_USERS="$USERS" CHAOS_RUN="$RUN_ID" CHAOS_DB="$DB" \
  CHAOS_SEND_SECONDS="$SEND_SECONDS" CHAOS_READY_FILE="$READY" CHAOS_RESULT="$RUN_DIR/result.json" \
  node "$TRAFFIC_DIR/traffic.mjs" > >(tee "$RUN_DIR/traffic.log") 2>&1 &
TRAFFIC_PID=$!
for ((i = 0; i < 600; i++)); do
  [ -f "$READY" ] && break
  kill -0 "$TRAFFIC_PID" 2>/dev/null || { wait "$TRAFFIC_PID" || true; die "the traffic client ended before it was ready"; }
  sleep 0.1
done
[ -f "$READY" ] || die "the traffic client was not ready within 60 s"

sleep "$KILL_AT"
# The victim: the node holding the most client connections right now (nginx's established
# connections to each node: WebSockets and parked long-polls), so the kill hits as many as it can.
VICTIM=2 MOST=-1
for i in 1 2 3; do
  n="$(ss -Htn state established "( dport = :$((PORT + i)) )" 2>/dev/null | wc -l)"
  if [ "$n" -gt "$MOST" ]; then MOST=$n VICTIM=$i; fi
done
VICTIM_PID="$(cat "$PARLEY_CLUSTER_DIR/node-$VICTIM/pid")"
kill -KILL "$VICTIM_PID"
kill -USR1 "$TRAFFIC_PID" 2>/dev/null || true
say "+$KILL_AT s: killed node-$VICTIM (pid $VICTIM_PID) with SIGKILL; nginx had $MOST connection(s) open to it"

sleep $((REDIS_AT - KILL_AT))
stop_redis
sleep 1
start_redis
kill -USR2 "$TRAFFIC_PID" 2>/dev/null || true
say "+$REDIS_AT s: restarted Redis (SIGKILL, 1 s down, started again on the same port)"

# The traffic client ends by itself: sending, 15 s of draining, at most 40 s of probes, the check.
deadline=$((SECONDS + SEND_SECONDS - REDIS_AT + 90))
while kill -0 "$TRAFFIC_PID" 2>/dev/null; do
  [ "$SECONDS" -lt "$deadline" ] || { kill -TERM "$TRAFFIC_PID"; die "the traffic client did not finish in time"; }
  sleep 0.5
done
set +e
wait "$TRAFFIC_PID"
rc=$?
set -e
TRAFFIC_PID=""
say "done in $((SECONDS - START)) s (result: $RUN_DIR/result.json)"
exit "$rc"
