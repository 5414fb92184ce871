#!/usr/bin/env bash
# ensure-tool.sh [--optional] VAR PACKAGE NAME [NAME|/abs/path ...]
# Makes sure a tool is installed: $VAR when it names an executable, else the first NAME on the
# PATH (or absolute path) that exists; when none does, installs PACKAGE from the distribution's
# packages (apt-get, through sudo when not root). Idempotent: prints one line when it is there.
# With --optional a tool that cannot be installed is a warning (exit 0), else an error (exit 1).
set -eu
optional=false
[ "${1:-}" = --optional ] && { optional=true; shift; }
var=$1 package=$2; shift 2
names=("$@")

find_tool() {
  local override=${!var:-}
  if [ -n "$override" ] && [ -x "$override" ]; then echo "$override"; return 0; fi
  for n in "${names[@]}"; do
    case "$n" in
      /*) [ -x "$n" ] && { echo "$n"; return 0; } ;;
      *) command -v "$n" 2>/dev/null && return 0 ;;
    esac
  done
  return 1
}
report() { echo "${names[0]}: $1 ($("$1" --version 2>/dev/null | head -n 1))"; }
fail() {
  if $optional; then echo "warning: $1; the tests that need ${names[0]} will be skipped." >&2; exit 0; fi
  echo "error: $1." >&2; exit 1
}

if path=$(find_tool); then report "$path"; exit 0; fi
command -v apt-get >/dev/null 2>&1 \
  || fail "${names[0]} is not installed and this system has no apt-get: install '$package' with your package manager, or set $var to its path"
sudo=
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || fail "${names[0]} is missing and installing it needs root: run 'apt-get install $package' as root"
  sudo=sudo
fi
echo "Installing $package from the distribution's packages (apt-get) ..."
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
path=$(find_tool) || fail "apt-get installed $package but ${names[0]} is not on the PATH"
report "$path"
