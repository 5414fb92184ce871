#!/usr/bin/env bash
# `make run-all`: start NATS (unless one answers at NATS_URL), the gateway, the client and the
# sender's page; send a first 1 000 measurements; print the URLs; on Ctrl-C stop everything we started.
set -uo pipefail
cd "$(dirname "$0")/.."

JDK=$(scripts/find-jdk.sh) || exit 1
JAVA="$JDK/bin/java"
NATS_URL=${NATS_URL:-nats://127.0.0.1:4222}
GATEWAY_PORT=${GATEWAY_PORT:-8081}
CLIENT_PORT=${CLIENT_PORT:-8085}
SENDER_PORT=${SENDER_PORT:-8082}
FIRST_LOAD=${FIRST_LOAD:-1000}
DATA=.data
LOGS=$DATA/logs
mkdir -p "$LOGS"

pids=()
stop_all() {
  trap - INT TERM EXIT
  if [ ${#pids[@]} -gt 0 ]; then
    echo
    echo "Stopping ${#pids[@]} processes ..."
    # reverse order: sender, client, gateway, then NATS last so the apps can close cleanly
    for (( i=${#pids[@]}-1; i>=0; i-- )); do kill -TERM "${pids[$i]}" 2>/dev/null; done
    for pid in "${pids[@]}"; do
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null
    done
    wait 2>/dev/null
  fi
  echo "Stopped. Logs are in $LOGS/."
}
trap stop_all INT TERM EXIT

# host and port of a nats:// URL (first server of a list); empty when it is not a plain URL
nats_hostport() {
  local u=${1%%,*}; u=${u#*://}; u=${u#*@}; u=${u%%/*}
  case "$u" in *:*) echo "$u" ;; *) echo "$u:4222" ;; esac
}
answers_nats() { # reads the INFO line a NATS server sends first
  local hp host port line
  hp=$(nats_hostport "$1"); host=${hp%:*}; port=${hp##*:}
  { exec 3<>"/dev/tcp/$host/$port"; } 2>/dev/null || return 1
  IFS= read -r -t 2 line <&3; exec 3<&- 3>&-
  [[ $line == INFO* ]]
}
probe() { # 0 when GET url answers 2xx; curl when there is one, else a tiny Java probe
  if command -v curl >/dev/null 2>&1; then curl -fsS -o /dev/null --max-time 2 "$1"
  else "$JAVA" scripts/HttpProbe.java "$1" >/dev/null 2>&1; fi
}
wait_http() { # url, name, pid: waits up to 60 s for a 2xx
  local url=$1 name=$2 pid=$3 deadline=$((SECONDS + 60))
  while [ $SECONDS -lt $deadline ]; do
    kill -0 "$pid" 2>/dev/null || { echo "error: $name exited; the end of its log:"; tail -n 20 "$LOGS/$name.log"; return 1; }
    probe "$url" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "error: $name did not answer $url within 60 s; see $LOGS/$name.log"; return 1
}

if answers_nats "$NATS_URL"; then
  echo "NATS: using the server that answers at $NATS_URL"
else
  hp=$(nats_hostport "$NATS_URL")
  case "${hp%:*}" in
    127.0.0.1|localhost) ;;
    *) echo "error: nothing answers at $NATS_URL, and it is not local, so I won't start one."; exit 1 ;;
  esac
  NATS_BIN=$(command -v nats-server || echo /usr/sbin/nats-server)
  mkdir -p "$DATA/jetstream"
  "$NATS_BIN" -js -a 127.0.0.1 -p "${hp##*:}" -sd "$DATA/jetstream" >"$LOGS/nats.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do answers_nats "$NATS_URL" && break; sleep 0.1; done
  answers_nats "$NATS_URL" || { echo "error: nats-server did not start; see $LOGS/nats.log"; exit 1; }
  echo "NATS: started nats-server -js on ${hp} (store $DATA/jetstream, log $LOGS/nats.log)"
fi

start_app() { # name, health url, args...
  local name=$1 url=$2; shift 2
  "$JAVA" -jar "modules/$name/target/$name.jar" "$@" >"$LOGS/$name.log" 2>&1 &
  local pid=$!
  pids+=($pid)
  wait_http "$url" "$name" "$pid" || exit 1
  echo "$name: $(grep -m1 -i 'listen' "$LOGS/$name.log" || echo started) (log $LOGS/$name.log)"
}

start_app gateway "http://127.0.0.1:$GATEWAY_PORT/health" --nats "$NATS_URL" --port "$GATEWAY_PORT"
start_app client "http://127.0.0.1:$CLIENT_PORT/health" --nats "$NATS_URL" --port "$CLIENT_PORT"
start_app sender "http://127.0.0.1:$SENDER_PORT/" --serve --port "$SENDER_PORT" --gateway "http://127.0.0.1:$GATEWAY_PORT"

echo "Sending a first $FIRST_LOAD measurements ..."
"$JAVA" -jar modules/sender/target/sender.jar --gateway "http://127.0.0.1:$GATEWAY_PORT" --count "$FIRST_LOAD" \
  || echo "warning: the first load was not fully acknowledged (see above)"

cat <<MSG

anomalyflow is running:
  anomalies (web page):  http://127.0.0.1:$CLIENT_PORT/
  sender (web page):     http://127.0.0.1:$SENDER_PORT/
  gateway (POST here):   http://127.0.0.1:$GATEWAY_PORT/measurements
  live stream:           curl -N http://127.0.0.1:$CLIENT_PORT/anomalies/stream
Press Ctrl-C to stop everything started here.
MSG
wait
