# Runs nats-server ("$@") as a child and kills it with SIGKILL as soon as our standard input
# reaches end-of-file, which happens when the JVM that started us exits for any reason,
# kill -9 included. So a test run can never leave a nats-server behind.
exec 3<&0
"$@" </dev/null &
child=$!
( while read -r _; do :; done; kill -KILL "$child" 2>/dev/null ) <&3 &
watchdog=$!
exec 3<&-
wait "$child"
rc=$?
kill "$watchdog" 2>/dev/null
exit "$rc"
