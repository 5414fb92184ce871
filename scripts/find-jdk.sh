#!/usr/bin/env bash
# Prints the home of a JDK >= 21 (javac included): JAVA_HOME first, then /usr/lib/jvm/*, newest first.
# Exits 1 with a message on stderr when there is none.
set -u
min=21

major_of() { # $1 = JDK home; prints the major version of its javac, or nothing
  [ -x "$1/bin/javac" ] && [ -x "$1/bin/java" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

ok() { local v; v=$(major_of "$1"); [ -n "$v" ] && [ "$v" -ge "$min" ]; }

if [ -n "${JAVA_HOME:-}" ] && ok "$JAVA_HOME"; then
  echo "$JAVA_HOME"; exit 0
fi
best= bestv=0
for d in /usr/lib/jvm/*/; do
  d=${d%/}
  [ -L "$d" ] && continue
  v=$(major_of "$d")
  if [ -n "$v" ] && [ "$v" -ge "$min" ] && [ "$v" -gt "$bestv" ]; then best=$d bestv=$v; fi
done
if [ -n "$best" ]; then echo "$best"; exit 0; fi

{
  echo "error: anomalyflow needs a JDK >= $min (with javac) to build and run."
  [ -n "${JAVA_HOME:-}" ] && echo "  JAVA_HOME=$JAVA_HOME is not one (version: $(major_of "$JAVA_HOME"))."
  echo "  None found under /usr/lib/jvm either."
  echo "  Install one (Debian/Ubuntu: apt-get install openjdk-21-jdk, or a Temurin 21/25 package)"
  echo "  or set JAVA_HOME to its home, then run make again."
} >&2
exit 1
