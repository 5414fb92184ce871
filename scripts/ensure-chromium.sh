#!/usr/bin/env bash
# Makes sure a headless-capable Chromium is installed (the client's page test drives it),
# from the distribution's packages when missing. Idempotent: prints one line when it is there.
# CHROMIUM may name a binary to use instead.
set -eu
find_chromium() {
  if [ -n "${CHROMIUM:-}" ] && [ -x "$CHROMIUM" ]; then echo "$CHROMIUM"; return 0; fi
  for name in chromium chromium-browser google-chrome; do
    command -v "$name" 2>/dev/null && return 0
  done
  return 1
}
if path=$(find_chromium); then
  echo "chromium: $path ($("$path" --version 2>/dev/null | head -n 1))"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "warning: chromium is not installed and this system has no apt-get;" >&2
  echo "  the client's browser test will be skipped. Install chromium (or set CHROMIUM) to run it." >&2
  exit 0
fi
sudo=
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo=sudo; else
    echo "warning: chromium is missing and installing it needs root ('apt-get install chromium');" >&2
    echo "  the client's browser test will be skipped." >&2
    exit 0
  fi
fi
echo "Installing chromium from the distribution's packages (apt-get) ..."
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
path=$(find_chromium) || { echo "error: apt-get installed chromium but it is not on PATH." >&2; exit 1; }
echo "chromium: $path ($("$path" --version 2>/dev/null | head -n 1))"
