#!/usr/bin/env bash
# Makes sure nats-server is installed, from the distribution's packages when missing.
# Does nothing (and prints nothing but one line) when it is already there.
set -eu
find_nats() {
  if [ -n "${NATS_SERVER:-}" ] && [ -x "$NATS_SERVER" ]; then echo "$NATS_SERVER"; return 0; fi
  command -v nats-server 2>/dev/null && return 0
  for p in /usr/sbin/nats-server /usr/local/bin/nats-server /usr/bin/nats-server; do
    [ -x "$p" ] && { echo "$p"; return 0; }
  done
  return 1
}
if path=$(find_nats); then
  echo "nats-server: $path ($("$path" --version 2>/dev/null))"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: nats-server is not installed and this system has no apt-get." >&2
  echo "  Install nats-server 2.9 or newer with your package manager (or put its path in NATS_SERVER), then run make again." >&2
  exit 1
fi
sudo=
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo=sudo; else
    echo "error: nats-server is missing and installing it needs root: run 'apt-get install nats-server' as root." >&2
    exit 1
  fi
fi
echo "Installing nats-server from the distribution's packages (apt-get) ..."
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nats-server >/dev/null
# The Debian package may enable a system service on port 4222; we start our own servers.
path=$(find_nats) || { echo "error: apt-get installed nats-server but it is not on PATH or in /usr/sbin." >&2; exit 1; }
echo "nats-server: $path ($("$path" --version 2>/dev/null))"
