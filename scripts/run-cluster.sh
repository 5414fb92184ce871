#!/usr/bin/env bash
# `make run-cluster`: the scaled-out shape on loopback. A 3-node NATS cluster (JetStream, each node
# its own store under .data/cluster/), the streams at 3 replicas, two gateways, two detectors of one
# group, two clients reading the anomalies stream, and the sender's page; sends a first 1 000
# measurements, half through each gateway; prints the URLs; on Ctrl-C stops everything it started.
set -uo pipefail
cd "$(dirname "$0")/.."

JDK=$(scripts/find-jdk.sh) || exit 1
JAVA="$JDK/bin/java"
read -r -a NATS_PORTS <<<"${NATS_PORTS:-4222 4223 4224}"        # client ports of the three nodes
read -r -a ROUTE_PORTS <<<"${ROUTE_PORTS:-6222 6223 6224}"      # cluster routes between them
read -r -a MONITOR_PORTS <<<"${MONITOR_PORTS:-8222 8223 8224}"  # their HTTP monitoring (/healthz, /jsz)
read -r -a GATEWAY_PORTS <<<"${GATEWAY_PORTS:-8081 8091}"
read -r -a DETECTOR_PORTS <<<"${DETECTOR_PORTS:-8086 8096}"
read -r -a CLIENT_PORTS <<<"${CLIENT_PORTS:-8085 8095}"
SENDER_PORT=${SENDER_PORT:-8082}
CLIENT_SOURCE=${CLIENT_SOURCE-anomalies}  # empty: the clients judge the measurements themselves
FIRST_LOAD=${FIRST_LOAD:-1000}
CLUSTER=anomalyflow
DATA=.data/cluster
LOGS=$DATA/logs
mkdir -p "$LOGS"

. scripts/run-lib.sh
trap stop_all INT TERM EXIT

# This script owns its cluster: it starts every node itself and uses nothing that already listens.
for port in "${NATS_PORTS[@]}" "${ROUTE_PORTS[@]}" "${MONITOR_PORTS[@]}" "${GATEWAY_PORTS[@]}" \
            "${DETECTOR_PORTS[@]}" "${CLIENT_PORTS[@]}" "$SENDER_PORT"; do
  if listening "$port"; then
    echo "error: port $port on 127.0.0.1 is taken (a make run-all still running?); stop it, or choose other ports"
    echo "       (NATS_PORTS, ROUTE_PORTS, MONITOR_PORTS, GATEWAY_PORTS, DETECTOR_PORTS, CLIENT_PORTS, SENDER_PORT)"
    exit 1
  fi
done

NATS_BIN=$(command -v nats-server || echo /usr/sbin/nats-server)
NATS_URL=
for i in 0 1 2; do
  node="$CLUSTER-$((i + 1))"
  routes=()
  for j in 0 1 2; do [ "$j" != "$i" ] && routes+=("nats://127.0.0.1:${ROUTE_PORTS[$j]}"); done
  mkdir -p "$DATA/$node"
  "$NATS_BIN" -js -a 127.0.0.1 -p "${NATS_PORTS[$i]}" -m "${MONITOR_PORTS[$i]}" -sd "$DATA/$node" \
    --server_name "$node" --cluster_name "$CLUSTER" --cluster "nats://127.0.0.1:${ROUTE_PORTS[$i]}" \
    --routes "$(IFS=,; echo "${routes[*]}")" >"$LOGS/$node.log" 2>&1 &
  nats_pids+=($!)
  NATS_URL+="${NATS_URL:+,}nats://127.0.0.1:${NATS_PORTS[$i]}"
done
# /healthz answers 200 once the node's JetStream is in contact with an elected meta leader: only
# then can the gateway create a replicated stream.
for i in 0 1 2; do
  wait_http "http://127.0.0.1:${MONITOR_PORTS[$i]}/healthz" "$CLUSTER-$((i + 1))" "${nats_pids[$i]}" || exit 1
done
echo "NATS: a 3-node JetStream cluster \"$CLUSTER\" at $NATS_URL (stores and logs under $DATA/)"

for i in 0 1; do
  start_named "gateway-$((i + 1))" gateway "http://127.0.0.1:${GATEWAY_PORTS[$i]}/health" \
    --nats "$NATS_URL" --port "${GATEWAY_PORTS[$i]}" --replicas 3
done
for i in 0 1; do
  start_named "detector-$((i + 1))" detector "http://127.0.0.1:${DETECTOR_PORTS[$i]}/health" \
    --nats "$NATS_URL" --port "${DETECTOR_PORTS[$i]}" --replicas 3
done
for i in 0 1; do
  start_named "client-$((i + 1))" client "http://127.0.0.1:${CLIENT_PORTS[$i]}/health" \
    --nats "$NATS_URL" --port "${CLIENT_PORTS[$i]}" ${CLIENT_SOURCE:+--source "$CLIENT_SOURCE"}
done
start_named sender sender "http://127.0.0.1:$SENDER_PORT/" \
  --serve --port "$SENDER_PORT" --gateway "http://127.0.0.1:${GATEWAY_PORTS[0]}"

echo "Sending a first $FIRST_LOAD measurements, half through each gateway ..."
loads=()
for i in 0 1; do
  count=$(( FIRST_LOAD / 2 + (i == 0 ? FIRST_LOAD % 2 : 0) ))
  "$JAVA" -jar modules/sender/target/sender.jar --gateway "http://127.0.0.1:${GATEWAY_PORTS[$i]}" --count "$count" \
    --progress none >"$LOGS/first-load-$((i + 1)).log" 2>&1 &
  loads+=($!)
  pids+=($!)
done
for i in 0 1; do
  if wait "${loads[$i]}"; then echo "gateway-$((i + 1)): $(grep -m1 -E '^ *acknowledged' "$LOGS/first-load-$((i + 1)).log" | tr -s ' ')"
  else echo "warning: the first load through gateway-$((i + 1)) was not fully acknowledged (see $LOGS/first-load-$((i + 1)).log)"; fi
done

cat <<MSG

anomalyflow (scaled out) is running:
  anomalies (web pages):   http://127.0.0.1:${CLIENT_PORTS[0]}/   http://127.0.0.1:${CLIENT_PORTS[1]}/
  sender (web page):       http://127.0.0.1:$SENDER_PORT/   (sends through gateway-1)
  gateways (POST here):    http://127.0.0.1:${GATEWAY_PORTS[0]}/measurements   http://127.0.0.1:${GATEWAY_PORTS[1]}/measurements
  detectors (group "detectors"):  http://127.0.0.1:${DETECTOR_PORTS[0]}/metrics   http://127.0.0.1:${DETECTOR_PORTS[1]}/metrics
  live stream:             curl -N http://127.0.0.1:${CLIENT_PORTS[0]}/anomalies/stream
  NATS (clients):          $NATS_URL
  NATS (monitoring):       http://127.0.0.1:${MONITOR_PORTS[0]}/jsz?streams=true   (ports ${MONITOR_PORTS[*]})
Press Ctrl-C to stop everything started here.
MSG
wait
