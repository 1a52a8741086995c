#!/usr/bin/env bash
# Stops the local OpenID Connect provider that infra/console-up.sh started (.run/oidc.pid), and nothing else.
set -euo pipefail

# shellcheck source=infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
pid="$(read_pid "$RUN/oidc.pid")"
if proc_matches "$pid" infra/oidc.ts; then
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  printf '[infra:down] OIDC provider (pid %s) stopped\n' "$pid"
fi
rm -f "$RUN/oidc.pid"
