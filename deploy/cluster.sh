#!/usr/bin/env bash
# A local Parley cluster on loopback: N nodes joined through Redis, behind nginx.
#
#   deploy/cluster.sh start [N] [--port P] [--app bench-server|serve] [--redis URL] [--sharded]
#                           [--db JDBC-URL] [--db-user U] [--db-password P] [-- NODE-ARGS...]
#   deploy/cluster.sh status
#   deploy/cluster.sh stop
#   deploy/cluster.sh config [N] [--port P]      print the nginx configuration for these ports
#                                                (listening on every address, as deployed)
#
# start: N nodes (default 3) on 127.0.0.1 ports P+1..P+N, nginx on 127.0.0.1:P (default 8080)
#   with deploy/nginx/parley.conf.template rendered for those ports. Everything runs as the
#   current user from the run directory (default .cluster/ at the root of the checkout, git-ignored;
#   PARLEY_CLUSTER_DIR to change it): nginx's configuration, pid file and logs in nginx/, each
#   node's pid file and log in node-<i>/. nginx runs as `nginx -p DIR -c DIR/nginx.conf -e
#   DIR/error.log`, so it needs no root and touches nothing under /etc or /var.
#   --app bench-server (default): ./parley bench-server, no database.
#   --app serve: the application (./parley serve). Its nodes must share one database, so --db
#     is required and must be PostgreSQL (e.g. jdbc:postgresql://127.0.0.1:5432/parley): each
#     node's default embedded H2 would be a database of its own. The nodes also share one JWT
#     secret (generated once into the run directory unless PARLEY_JWT_SECRET is set) so a token
#     issued by one node is accepted by all.
#   NODE-ARGS after `--` are passed to every node (e.g. -- --webhook-secret s3cret).
#   Every node gets --trusted-proxy 127.0.0.1 (nginx's address towards them): the nodes take the
#   client address from the X-Forwarded-For nginx sends.
#   NGINX=/path/to/nginx to use another nginx binary.
# stop: stops what start started (by the pid files), nginx first. Logs stay in the run directory.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TEMPLATE="$ROOT/deploy/nginx/parley.conf.template"
MAIN_CONF="$ROOT/deploy/nginx/nginx.local.conf"
RUN="${PARLEY_CLUSTER_DIR:-$ROOT/.cluster}"
NODE_WAIT=90   # seconds for the nodes to answer (JVM start; the first start also builds the jar)
NGINX_WAIT=15  # seconds for nginx to answer
STOP_WAIT=15   # seconds for a process to exit after SIGTERM before SIGKILL

die() { echo "cluster: $*" >&2; exit 1; }
STARTING=""  # set while start is bringing processes up: any failure then stops them again
on_exit() {
  local rc=$?
  if [ "$rc" -ne 0 ] && [ -n "$STARTING" ]; then
    echo "cluster: start failed; stopping what was started" >&2
    STARTING=""
    cmd_stop >&2 || true
  fi
}
trap on_exit EXIT
say() { echo "cluster: $*"; }

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; }

# --- nginx configuration ---------------------------------------------------------------------

# render LISTEN NODE_PORT...: the template with @LISTEN@ replaced by LISTEN (a port, or
# address:port) and the @UPSTREAM_SERVERS@ line by one `server 127.0.0.1:<port>;` line per node
# (at the placeholder's indentation). The tests render it the same way (NginxStickinessTest).
render() {
  local listen="$1"; shift
  local line indent p
  while IFS= read -r line || [ -n "$line" ]; do
    if [[ "$line" =~ ^([[:space:]]*)@UPSTREAM_SERVERS@[[:space:]]*$ ]]; then
      indent="${BASH_REMATCH[1]}"
      for p in "$@"; do printf '%sserver 127.0.0.1:%s;\n' "$indent" "$p"; done
    else
      printf '%s\n' "${line//@LISTEN@/$listen}"
    fi
  done < "$TEMPLATE"
}

find_nginx() { # $NGINX, else nginx on the PATH, else Debian's /usr/sbin/nginx
  if [ -n "${NGINX:-}" ]; then [ -x "$NGINX" ] && echo "$NGINX"
  elif command -v nginx >/dev/null 2>&1; then command -v nginx
  elif [ -x /usr/sbin/nginx ]; then echo /usr/sbin/nginx
  else return 1
  fi
}

# --- processes -------------------------------------------------------------------------------

# alive PIDFILE WORD: the pid in PIDFILE runs and its command line contains WORD (no pid reuse).
alive() {
  local pid
  [ -f "$1" ] || return 1
  pid="$(cat "$1")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$2"
}

# stop_pid PIDFILE WORD NAME: SIGTERM, a bounded wait, then SIGKILL.
stop_pid() {
  local file="$1" word="$2" name="$3" pid i
  if ! alive "$file" "$word"; then rm -f "$file"; return 0; fi
  pid="$(cat "$file")"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < STOP_WAIT * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "$name (pid $pid) did not stop within ${STOP_WAIT}s: killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
  say "stopped $name (pid $pid)"
}

# answers PORT: an Engine.IO handshake on 127.0.0.1:PORT gets an open packet.
answers() {
  local body
  body="$(curl -s --max-time 2 "http://127.0.0.1:$1/socket.io/?EIO=4&transport=polling" 2>/dev/null)" || return 1
  [[ "$body" == 0\{* ]]
}

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

node_ports() { # from the recorded state
  local i
  for ((i = 1; i <= NODES; i++)); do echo $((PORT + i)); done
}

load_state() {
  [ -f "$RUN/cluster.env" ] || return 1
  # shellcheck disable=SC1091
  . "$RUN/cluster.env"
}

# --- commands --------------------------------------------------------------------------------

cmd_stop() {
  local d
  [ -d "$RUN" ] || { say "nothing to stop (no $RUN)"; return 0; }
  stop_pid "$RUN/nginx/nginx.pid" nginx nginx
  for d in "$RUN"/node-*; do
    if [ -d "$d" ]; then stop_pid "$d/pid" parley "$(basename "$d")"; fi
  done
  return 0
}

cmd_status() {
  local i d port state rc=0
  if ! load_state; then say "not started (no $RUN/cluster.env)"; return 3; fi
  for ((i = 1; i <= NODES; i++)); do
    d="$RUN/node-$i"; port=$((PORT + i))
    if alive "$d/pid" parley; then
      state="running, pid $(cat "$d/pid")"; answers "$port" && state="$state, answers" || { state="$state, NOT answering"; rc=1; }
    else state="stopped"; rc=1; fi
    printf 'node-%d  %-12s http://127.0.0.1:%d  %s  (log %s)\n' "$i" "$APP" "$port" "$state" "$d/node.log"
  done
  if alive "$RUN/nginx/nginx.pid" nginx; then
    state="running, pid $(cat "$RUN/nginx/nginx.pid")"; answers "$PORT" && state="$state, answers" || { state="$state, NOT answering"; rc=1; }
  else state="stopped"; rc=1; fi
  printf 'nginx   %-12s http://127.0.0.1:%d  %s  (logs %s)\n' "" "$PORT" "$state" "$RUN/nginx/"
  return $rc
}

cmd_config() {
  local n=3 port=8080
  while [ $# -gt 0 ]; do
    case "$1" in
      --port) port="${2:?--port needs a value}"; shift 2 ;;
      [0-9]*) n="$1"; shift ;;
      *) die "config: unknown argument '$1'" ;;
    esac
  done
  local ports=() i
  for ((i = 1; i <= n; i++)); do ports+=($((port + i))); done
  render "$port" "${ports[@]}"
}

cmd_start() {
  local n=3 port=8080 app=bench-server redis="redis://127.0.0.1:6379" sharded="" db="" node_args=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --port) port="${2:?--port needs a value}"; shift 2 ;;
      --app) app="${2:?--app needs a value}"; shift 2 ;;
      --redis) redis="${2:?--redis needs a value}"; shift 2 ;;
      --sharded) sharded=1; shift ;;
      --db) db="${2:?--db needs a value}"; node_args+=(--db "$2"); shift 2 ;;
      --db-user|--db-password) node_args+=("$1" "${2:?$1 needs a value}"); shift 2 ;;
      --) shift; node_args+=("$@"); break ;;
      -h|--help) usage; return 0 ;;
      [0-9]*) n="$1"; shift ;;
      *) die "start: unknown argument '$1' (see deploy/cluster.sh --help)" ;;
    esac
  done
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "N must be a positive number, not '$n'"
  [[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ $((port + n)) -le 65535 ] || die "bad --port '$port'"
  case "$app" in
    bench-server) [ -z "$db" ] || die "--db is for --app serve (bench-server has no database)" ;;
    serve)
      [ -n "$db" ] || [ -n "${PARLEY_DB:-}" ] || die "--app serve needs --db: the nodes of a cluster must share one database, \
and it must be PostgreSQL (e.g. --db jdbc:postgresql://127.0.0.1:5432/parley --db-user parley --db-password ...); \
each node's default embedded H2 would be a separate database"
      case "${db:-$PARLEY_DB}" in jdbc:postgresql:*) ;; *) die "--db must be a PostgreSQL JDBC URL (jdbc:postgresql://...) for a cluster" ;; esac
      ;;
    *) die "--app must be bench-server or serve, not '$app'" ;;
  esac

  # Preconditions, each with its remedy.
  local nginx
  [ -z "${NGINX:-}" ] || [ -x "$NGINX" ] || die "NGINX=$NGINX is not an executable file"
  nginx="$(find_nginx)" || die "nginx is not installed: install Debian's with 'apt-get install -y nginx-light'"
  command -v curl >/dev/null 2>&1 || die "curl is needed to check that the nodes answer: apt-get install -y curl"
  local d
  for d in "$RUN/nginx/nginx.pid:nginx" "$RUN"/node-*/pid; do
    if alive "${d%%:*}" "$(case "$d" in *:nginx) echo nginx ;; *) echo parley ;; esac)"; then
      die "a cluster is already running from $RUN: 'deploy/cluster.sh stop' first"
    fi
  done
  local hostport host rport
  hostport="$(sed -E 's#^rediss?://([^@/]*@)?##; s#/.*$##' <<< "$redis")"
  host="${hostport%:*}"; rport="${hostport##*:}"
  [ "$host" != "$hostport" ] || rport=6379
  (timeout 3 bash -c "exec 3<>/dev/tcp/$host/$rport") 2>/dev/null \
    || die "Redis is not reachable at $redis (start one: redis-server --port $rport, or pass --redis URL)"
  local i p ports=()
  for ((i = 0; i <= n; i++)); do
    p=$((port + i))
    ! port_taken "$p" || die "port $p on 127.0.0.1 is already in use (choose another --port)"
    [ "$i" -eq 0 ] || ports+=("$p")
  done

  # Build once here, so the nodes do not race to build the jar.
  "$ROOT/parley" --version >/dev/null || die "building Parley failed"

  STARTING=1
  rm -rf "$RUN/nginx" "$RUN"/node-*
  mkdir -p "$RUN/nginx"
  cat > "$RUN/cluster.env" <<EOF
NODES=$n
PORT=$port
APP=$app
REDIS='$redis'
EOF
  local env_secret=()
  if [ "$app" = serve ] && [ -z "${PARLEY_JWT_SECRET:-}" ]; then
    [ -s "$RUN/jwt-secret" ] || (umask 077; head -c 48 /dev/urandom | base64 | tr -d '\n=' > "$RUN/jwt-secret")
    env_secret=(env "PARLEY_JWT_SECRET=$(cat "$RUN/jwt-secret")")
  fi

  start_node() { # i port
    # nginx reaches the nodes from 127.0.0.1: trust its X-Forwarded-For for the client address.
    local d="$RUN/node-$1" args=("$app" --host 127.0.0.1 --port "$2" --redis "$redis" --trusted-proxy 127.0.0.1)
    [ -z "$sharded" ] || args+=(--sharded)
    [ "$app" != serve ] || args+=(--data-dir "$d/data")
    mkdir -p "$d"
    nohup "${env_secret[@]}" "$ROOT/parley" "${args[@]}" "${node_args[@]}" > "$d/node.log" 2>&1 < /dev/null &
    echo $! > "$d/pid"
  }
  await_node() { # i port deadline
    local d="$RUN/node-$1"
    until answers "$2"; do
      alive "$d/pid" parley || { tail -n 30 "$d/node.log" >&2; die "node-$1 exited; its log: $d/node.log"; }
      [ "$SECONDS" -lt "$3" ] || { tail -n 30 "$d/node.log" >&2; die "node-$1 did not answer on port $2 within ${NODE_WAIT}s"; }
      sleep 0.2
    done
    say "node-$1 answers on http://127.0.0.1:$2 (pid $(cat "$d/pid"))"
  }
  # The first node alone (with serve, it creates or migrates the schema), then the others together.
  local deadline=$((SECONDS + NODE_WAIT))
  start_node 1 "${ports[0]}"
  await_node 1 "${ports[0]}" "$deadline"
  for ((i = 2; i <= n; i++)); do start_node "$i" "${ports[i - 1]}"; done
  deadline=$((SECONDS + NODE_WAIT))
  for ((i = 2; i <= n; i++)); do await_node "$i" "${ports[i - 1]}" "$deadline"; done

  local ng="$RUN/nginx"
  cp "$MAIN_CONF" "$ng/nginx.conf"
  render "127.0.0.1:$port" "${ports[@]}" > "$ng/parley.conf"  # loopback only
  "$nginx" -q -t -p "$ng/" -c "$ng/nginx.conf" -e "$ng/error.log" || die "nginx rejected $ng/nginx.conf (see above)"
  "$nginx" -p "$ng/" -c "$ng/nginx.conf" -e "$ng/error.log" || die "nginx did not start; its log: $ng/error.log"
  deadline=$((SECONDS + NGINX_WAIT))
  until answers "$port"; do
    [ "$SECONDS" -lt "$deadline" ] || { tail -n 20 "$ng/error.log" >&2; die "nginx did not answer on port $port within ${NGINX_WAIT}s"; }
    sleep 0.2
  done
  STARTING=""

  echo
  say "$n $app node(s) joined through $redis${sharded:+ (sharded)}, behind nginx (pid $(cat "$ng/nginx.pid")):"
  echo "  http://127.0.0.1:$port/                 nginx (Socket.IO at /socket.io/, sticky by client address)"
  for ((i = 1; i <= n; i++)); do echo "  http://127.0.0.1:${ports[i - 1]}/                 node-$i (log $RUN/node-$i/node.log)"; done
  echo "  nginx configuration $ng/parley.conf, access log $ng/access.log"
  echo "  deploy/cluster.sh status | deploy/cluster.sh stop"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop ;;
  status) shift; cmd_status ;;
  config) shift; cmd_config "$@" ;;
  -h|--help|help|"") usage ;;
  *) usage >&2; exit 2 ;;
esac
