#!/usr/bin/env bash
# Fetches Kafka's tools jar (kafka-tools, with its dependencies) of the broker's pinned version from Maven
# Central into .cache/kafka/tools, once (marker .cache/kafka/tools/.kafka-tools-<version>), as infra/up.sh
# fetches the broker's jars. Used by the benchmark (bench/run.ts) for kafka.tools.ConsumerPerformance.
# Prints the directory of the jars.
set -euo pipefail

# shellcheck source=infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$ROOT/infra/kafka/pom.xml" | head -n 1)"
[ -n "$KAFKA_VERSION" ] || {
  echo "[kafka-tools] no <kafka.version> in infra/kafka/pom.xml" >&2
  exit 1
}
TOOLS="$ROOT/.cache/kafka/tools"
MARKER="$TOOLS/.kafka-tools-$KAFKA_VERSION"
if [ ! -f "$MARKER" ]; then
  command -v mvn >/dev/null 2>&1 || {
    echo "[kafka-tools] mvn (Maven) is needed to fetch the Kafka tools jar" >&2
    exit 1
  }
  mkdir -p "$RUN"
  rm -rf "$TOOLS"
  mkdir -p "$TOOLS"
  if ! mvn -q -B -Dstyle.color=never -f "$ROOT/infra/kafka/tools-pom.xml" dependency:copy-dependencies \
    -Dkafka.version="$KAFKA_VERSION" -Dkafka.tools.dir="$TOOLS" >"$RUN/kafka-tools-fetch.log" 2>&1; then
    cat "$RUN/kafka-tools-fetch.log" >&2
    echo "[kafka-tools] mvn could not fetch kafka-tools $KAFKA_VERSION (network to Maven Central?)" >&2
    exit 1
  fi
  [ -f "$TOOLS/kafka-tools-$KAFKA_VERSION.jar" ] || {
    echo "[kafka-tools] kafka-tools-$KAFKA_VERSION.jar missing after mvn" >&2
    exit 1
  }
  touch "$MARKER"
fi
printf '%s\n' "$TOOLS"
