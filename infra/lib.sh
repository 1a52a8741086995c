# Shared by infra/up.sh and infra/down.sh (sourced, not run). Sets ROOT (project root) and RUN (.run/).
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck disable=SC2034 # used by the scripts that source this file
RUN="$ROOT/.run"

# True when process $1 is alive and its command line contains $2.
proc_matches() {
  local cmd
  [ -n "$1" ] && cmd="$(tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline")" && [[ "$cmd" == *"$2"* ]]
}

# The pid in pidfile $1, or nothing.
read_pid() {
  if [ -f "$1" ]; then tr -dc '0-9' <"$1"; fi
}
