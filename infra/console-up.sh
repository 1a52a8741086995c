#!/usr/bin/env bash
# The console's local infrastructure, run by infra/up.sh after Kafka and Redis: installs Debian's chromium
# when missing (the browser tests drive it; as root, like libxml2-utils), and starts the local OpenID
# Connect provider (infra/oidc.ts: test users of gemeenten 9999 and 9998) in the background on
# 127.0.0.1:$OIDC_PORT unless something already answers there. infra/console-down.sh stops it.
#
# Env: OIDC_PORT (8082), CONSOLE_BASE_URL (http://localhost:8081, for the redirect URI),
#      CONSOLE_SKIP_CHROMIUM=1 (do not install chromium).
# State in .run/: oidc.pid, oidc.log.
set -euo pipefail

# shellcheck source=infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
OIDC_PORT="${OIDC_PORT:-8082}"
OIDC_PIDFILE="$RUN/oidc.pid"

log() { printf '[infra:console] %s\n' "$*"; }
die() {
  printf '[infra:console] ERROR: %s\n' "$*" >&2
  exit 1
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

mkdir -p "$RUN"

# --- chromium (the browser tests: npm run test:e2e) ------------------------------------------------------
if [ "${CONSOLE_SKIP_CHROMIUM:-0}" != 1 ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "apt-get install -y chromium (for the browser tests)"
    apt-get -o DPkg::Lock::Timeout=300 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends \
      chromium >/dev/null
    log "chromium installed: $(command -v chromium)"
  else
    log "WARNING: chromium is missing and cannot be installed here (not root or no apt-get): npm run test:e2e needs it"
  fi
fi

# --- the local OpenID Connect provider -------------------------------------------------------------------
pid="$(read_pid "$OIDC_PIDFILE")"
if proc_matches "$pid" infra/oidc.ts; then
  log "OIDC provider: ours is already running on http://localhost:$OIDC_PORT (pid $pid)"
  exit 0
fi
if port_open "$OIDC_PORT"; then
  log "OIDC provider: something already answers on port $OIDC_PORT (not ours: left alone)"
  exit 0
fi
[ -x "$ROOT/node_modules/.bin/tsx" ] || die "node_modules is missing: run npm ci first"
(
  cd "$ROOT"
  OIDC_PORT="$OIDC_PORT" nohup node --import tsx infra/oidc.ts >"$RUN/oidc.log" 2>&1 &
  echo $! >"$OIDC_PIDFILE"
)
for _ in $(seq 1 100); do
  if port_open "$OIDC_PORT"; then
    log "OIDC provider: started on http://localhost:$OIDC_PORT (pid $(read_pid "$OIDC_PIDFILE")), log in .run/oidc.log"
    exit 0
  fi
  sleep 0.2
done
cat "$RUN/oidc.log" >&2 || true
die "the OIDC provider did not answer on port $OIDC_PORT within 20s"
