#!/usr/bin/env bash
# `make run-all`: start NATS (unless one answers at NATS_URL), the gateway, the client and the
# sender's page; send a first 1 000 measurements; print the URLs; on Ctrl-C stop everything we started.
# With WORKSHOP_STEPS set (`make workshop-run`), the client is the workshop's, with the learner's parts
# of those steps plugged in (modules/workshop, io.anomalyflow.workshop.run).
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

. scripts/run-lib.sh
trap stop_all INT TERM EXIT

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
  nats_pids+=($!)
  for _ in $(seq 1 100); do answers_nats "$NATS_URL" && break; sleep 0.1; done
  answers_nats "$NATS_URL" || { echo "error: nats-server did not start; see $LOGS/nats.log"; exit 1; }
  echo "NATS: started nats-server -js on ${hp} (store $DATA/jetstream, log $LOGS/nats.log)"
fi

start_app gateway "http://127.0.0.1:$GATEWAY_PORT/health" --nats "$NATS_URL" --port "$GATEWAY_PORT"
if [ -n "${WORKSHOP_STEPS+set}" ]; then
  # make workshop-run: the client with the learner's parts of the passing steps (WORKSHOP_STEPS="06 07")
  start_java client "http://127.0.0.1:$CLIENT_PORT/health" \
    -cp modules/workshop/target/workshop.jar:modules/client/target/client.jar io.anomalyflow.workshop.run.WorkshopClientMain \
    --steps "${WORKSHOP_STEPS:-none}" --nats "$NATS_URL" --port "$CLIENT_PORT"
  sed -n '/^Workshop:/,/^workshop parts:/p' "$LOGS/client.log"
else
  start_app client "http://127.0.0.1:$CLIENT_PORT/health" --nats "$NATS_URL" --port "$CLIENT_PORT"
fi
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
[ -n "${WORKSHOP_STEPS+set}" ] && echo "Whose parts serve the page: curl http://127.0.0.1:$CLIENT_PORT/health (its workshopParts)"
wait
