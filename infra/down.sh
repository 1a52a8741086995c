#!/usr/bin/env bash
# Stops what infra/up.sh started, and nothing else: the Kafka broker of .run/kafka.pid (plus any stray
# broker JVM of this checkout, tagged -Dsamenloop.kafka=<project>/.run), and Redis only when up.sh started
# it (.run/redis.ours). TERM first, KILL after DOWN_TIMEOUT seconds (default 20). Idempotent.
set -euo pipefail

# shellcheck source=infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DOWN_TIMEOUT="${DOWN_TIMEOUT:-20}"

log() { printf '[infra:down] %s\n' "$*"; }

# Stops process $1 (described as $2): TERM, wait up to DOWN_TIMEOUT s, then KILL.
stop_pid() {
  local pid="$1" what="$2" i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < DOWN_TIMEOUT * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || {
      log "$what (pid $pid) stopped"
      return 0
    }
    sleep 0.1
  done
  log "$what (pid $pid) still running after ${DOWN_TIMEOUT}s: KILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  log "WARNING: $what (pid $pid) survived KILL"
}

bash "$ROOT/infra/console-down.sh" # the console's local OIDC provider

# --- Kafka ----------------------------------------------------------------------------------------------
pid="$(read_pid "$RUN/kafka.pid")"
if proc_matches "$pid" kafka.Kafka; then
  stop_pid "$pid" "Kafka broker"
elif [ -f "$RUN/kafka.pid" ]; then
  log "Kafka: stale pidfile (pid ${pid:-none} is not our broker), removed"
fi
rm -f "$RUN/kafka.pid" "$RUN/secure.env"
# Broker JVMs of this checkout that lost their pidfile (tag set by up.sh), e.g. after an interrupted up.
for dir in /proc/[0-9]*; do
  stray="${dir#/proc/}"
  [ "$stray" = "$$" ] && continue
  if proc_matches "$stray" "-Dsamenloop.kafka=$RUN "; then
    stop_pid "$stray" "stray Kafka JVM"
  fi
done

# --- Redis ----------------------------------------------------------------------------------------------
if [ -f "$RUN/redis.ours" ]; then
  pid="$(read_pid "$RUN/redis.pid")"
  if proc_matches "$pid" redis-server; then
    stop_pid "$pid" "Redis"
  else
    log "Redis: ours is not running any more"
  fi
  rm -f "$RUN/redis.ours" "$RUN/redis.pid"
else
  log "Redis: not started by infra/up.sh, left alone"
fi
# The Redis with TLS of infra/secure.sh: always ours.
pid="$(read_pid "$RUN/redis-tls.pid")"
if proc_matches "$pid" redis-server; then stop_pid "$pid" "Redis TLS"; fi
rm -f "$RUN/redis-tls.pid"
