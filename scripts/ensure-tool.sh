#!/usr/bin/env bash
# ensure-tool.sh [--optional] [--no-install] VAR PACKAGE NAME [NAME|/abs/path ...]
# Makes sure a tool is installed: $VAR when it names an executable, else the first NAME on the
# PATH (or absolute path) that exists; when none does, installs PACKAGE from the distribution's
# packages (apt-get, through sudo when not root; sudo never prompts). Idempotent: prints one line
# when it is there.
# With --optional a tool that cannot be installed is a warning (exit 0) whatever went wrong (no
# apt-get, no root, apt-get failing), else an error (exit 1).
# With --no-install it only looks: silent when the tool is there, the warning or error when not
# (make test ends with it, so that skipped browser tests are said at the end, too).
set -eu
optional=false install=true
while [ $# -gt 0 ]; do
  case "$1" in
    --optional) optional=true; shift ;;
    --no-install) install=false; shift ;;
    *) break ;;
  esac
done
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
  local skipped="will be skipped"
  $install || skipped="were skipped (they count as Skipped in the test summary)"
  if $optional; then echo "warning: $1; the tests that need ${names[0]} $skipped." >&2; exit 0; fi
  echo "error: $1." >&2; exit 1
}

if path=$(find_tool); then
  $install && report "$path"
  exit 0
fi
$install || fail "${names[0]} is not installed (looked at \$$var and the PATH)"
command -v apt-get >/dev/null 2>&1 \
  || fail "${names[0]} is not installed and this system has no apt-get: install '$package' with your package manager, or set $var to its path"
sudo=
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || fail "${names[0]} is missing and installing it needs root: run 'apt-get install $package' as root"
  sudo="sudo -n" # a password prompt would hang an unattended make test
fi
echo "Installing $package from the distribution's packages (apt-get) ..."
# Tested, not left to set -e: a failed install of an optional tool must not abort the build.
if ! $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
   || ! $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null; then
  fail "${names[0]} is not installed and 'apt-get install $package' failed (see above)"
fi
path=$(find_tool) || fail "apt-get installed $package but ${names[0]} is not on the PATH"
report "$path"
