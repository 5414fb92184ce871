# Helpers shared by scripts/run-all.sh and scripts/run-cluster.sh (sourced, never run).
# The caller sets JAVA and LOGS first, adds the pid of every process it starts to pids (apps) or
# nats_pids, and traps stop_all on INT, TERM and EXIT.

pids=()       # the apps, stopped first
nats_pids=()  # the NATS servers, stopped once the apps are gone, so the apps can close cleanly
stop_pids() { # SIGTERM to each (the last started first), then SIGKILL after 10 s
  local i pid
  for (( i=$#; i>=1; i-- )); do kill -TERM "${!i}" 2>/dev/null; done
  for pid in "$@"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
  done
}
stop_all() {
  # a second Ctrl-C must not cut the cleanup short and leave processes behind
  trap '' INT TERM
  trap - EXIT
  local n=$(( ${#pids[@]} + ${#nats_pids[@]} ))
  if [ "$n" -gt 0 ]; then
    echo
    echo "Stopping $n processes ..."
    [ ${#pids[@]} -gt 0 ] && stop_pids "${pids[@]}"
    [ ${#nats_pids[@]} -gt 0 ] && stop_pids "${nats_pids[@]}"
    wait 2>/dev/null
  fi
  echo "Stopped. Logs are in $LOGS/."
}

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
listening() { # 0 when something accepts connections on 127.0.0.1:port
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  exec 3<&- 3>&-
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

start_named() { # log name, app, health url, args...: java -jar modules/<app>/target/<app>.jar args
  local name=$1 app=$2 url=$3; shift 3
  start_java "$name" "$url" -jar "modules/$app/target/$app.jar" "$@"
}
start_java() { # log name, health url, java args...: any java command line, waited for as an app
  local name=$1 url=$2; shift 2
  "$JAVA" "$@" >"$LOGS/$name.log" 2>&1 &
  local pid=$!
  pids+=($pid)
  wait_http "$url" "$name" "$pid" || exit 1
  echo "$name: $(grep -m1 -i 'listen' "$LOGS/$name.log" || echo started) (log $LOGS/$name.log)"
}
start_app() { # app, health url, args...: one instance, logging to <app>.log
  start_named "$1" "$@"
}
