#!/usr/bin/env bash
# Starts the local infrastructure of samenloop: Redis on 127.0.0.1:6379 and a single-node KRaft Kafka
# broker+controller on 127.0.0.1:9092 (controller 9093). Idempotent: what already answers is used, not
# started twice. Installs Debian's redis-server / libxml2-utils when missing (as root), fetches the pinned
# Kafka jars from Maven Central once (infra/kafka/pom.xml -> .cache/kafka/libs).
#
# Env: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), REDIS_PORT (6379), KAFKA_START_TIMEOUT (90 s),
#      KAFKA_HEAP_OPTS (-Xmx1G -Xms512m); the secured side (infra/secure.sh): KAFKA_SASL_PORT (9094),
#      KAFKA_SSL_PORT (9095), REDIS_TLS_PORT (6380).
# State in .run/ (git-ignored): kafka.pid, kafka.log, kafka-data/, redis.pid, redis.ours (we started Redis).
# infra/down.sh stops only what this script started.
set -euo pipefail

# shellcheck source=infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=infra/secure.sh
source "$ROOT/infra/secure.sh"
POM="$ROOT/infra/kafka/pom.xml"
LIBS="$ROOT/.cache/kafka/libs"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
REDIS_PORT="${REDIS_PORT:-6379}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx1G -Xms512m}"
KAFKA_PIDFILE="$RUN/kafka.pid"
KAFKA_LOG="$RUN/kafka.log"
KAFKA_DATA="$RUN/kafka-data"
KAFKA_PROPS="$RUN/kafka-server.properties"
REDIS_PIDFILE="$RUN/redis.pid"
REDIS_OURS="$RUN/redis.ours"

log() { printf '[infra:up] %s\n' "$*"; }
die() {
  printf '[infra:up] ERROR: %s\n' "$*" >&2
  exit 1
}
now() { printf '%s' "${EPOCHREALTIME/,/.}"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

redis_answers() {
  if command -v redis-cli >/dev/null 2>&1; then
    [ "$(timeout 5 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]
  else
    (
      exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT" || exit 1
      printf 'PING\r\n' >&3
      IFS= read -r -t 5 reply <&3 || exit 1
      [ "${reply%$'\r'}" = '+PONG' ]
    ) 2>/dev/null
  fi
}

# --- Debian packages -------------------------------------------------------------------------------------
APT_UPDATED=0
POLICY_RC_CREATED=0
cleanup() { if [ "$POLICY_RC_CREATED" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi; }
trap cleanup EXIT

apt_install() {
  if [ "$(id -u)" != 0 ]; then
    die "'$*' is missing and this is not root: install it first (apt-get install -y $*)"
  fi
  command -v apt-get >/dev/null 2>&1 || die "'$*' is missing and there is no apt-get to install it"
  # Keep the package's own init script from starting a system-wide service (we start what we need).
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    POLICY_RC_CREATED=1
  fi
  local t0
  t0="$(now)"
  if [ "$APT_UPDATED" = 0 ]; then
    log "apt-get update"
    apt-get -o DPkg::Lock::Timeout=300 update -qq
    APT_UPDATED=1
  fi
  log "apt-get install -y $*"
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "$@" \
    >/dev/null
  log "installed $* in $(since "$t0")s"
  cleanup
  POLICY_RC_CREATED=0
}

mkdir -p "$RUN"

# --- Redis ----------------------------------------------------------------------------------------------
start_redis() {
  local pid t0
  if redis_answers; then
    pid="$(read_pid "$REDIS_PIDFILE")"
    if [ -f "$REDIS_OURS" ] && proc_matches "$pid" redis-server; then
      log "Redis: ours is already running on 127.0.0.1:$REDIS_PORT (pid $pid)"
    else
      rm -f "$REDIS_OURS"
      log "Redis: using the one already answering on 127.0.0.1:$REDIS_PORT (not ours: infra/down.sh leaves it)"
    fi
    return
  fi
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  rm -f "$REDIS_OURS" "$REDIS_PIDFILE"
  t0="$(now)"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
    --pidfile "$REDIS_PIDFILE" --logfile "$RUN/redis.log" --dir "$RUN" </dev/null >"$RUN/redis-start.log" 2>&1 || {
    cat "$RUN/redis-start.log" >&2
    die "redis-server did not start"
  }
  echo "$REDIS_PORT" >"$REDIS_OURS"
  for _ in $(seq 1 100); do
    if redis_answers; then
      log "Redis: started ours on 127.0.0.1:$REDIS_PORT (pid $(read_pid "$REDIS_PIDFILE")) in $(since "$t0")s"
      return
    fi
    sleep 0.1
  done
  tail -n 20 "$RUN/redis.log" >&2 || true
  die "Redis did not answer on 127.0.0.1:$REDIS_PORT within 10s"
}

# --- xmllint (tests validate XML against the iStandaarden XSDs) ----------------------------------------
ensure_xmllint() {
  if command -v xmllint >/dev/null 2>&1; then return; fi
  apt_install libxml2-utils
}

# --- Kafka ----------------------------------------------------------------------------------------------
KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM" | head -n 1)"
[ -n "$KAFKA_VERSION" ] || die "no <kafka.version> in $POM"
LIBS_MARKER="$LIBS/.kafka-$KAFKA_VERSION"

fetch_kafka_jars() {
  if [ -f "$LIBS_MARKER" ]; then
    log "Kafka $KAFKA_VERSION: jars cached in .cache/kafka/libs (no download)"
    return
  fi
  command -v mvn >/dev/null 2>&1 || die "mvn (Maven) is needed to fetch the Kafka jars"
  local t0
  t0="$(now)"
  log "Kafka $KAFKA_VERSION: fetching the broker jars from Maven Central into .cache/kafka/libs"
  rm -rf "$LIBS"
  mkdir -p "$LIBS"
  if ! mvn -q -B -Dstyle.color=never -f "$POM" dependency:copy-dependencies -Dkafka.libs.dir="$LIBS" \
    >"$RUN/kafka-fetch.log" 2>&1; then
    cat "$RUN/kafka-fetch.log" >&2
    die "mvn could not fetch the Kafka jars (network to Maven Central?)"
  fi
  [ -f "$LIBS/kafka_2.13-$KAFKA_VERSION.jar" ] || die "kafka_2.13-$KAFKA_VERSION.jar missing after mvn"
  touch "$LIBS_MARKER"
  log "Kafka $KAFKA_VERSION: $(find "$LIBS" -name '*.jar' | wc -l) jars fetched in $(since "$t0")s"
}

write_kafka_config() {
  cat >"$KAFKA_PROPS" <<EOF
# Written by infra/up.sh on each fresh start; single-node KRaft broker+controller for dev and CI.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$KAFKA_DATA
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=false
delete.topic.enable=true
group.initial.rebalance.delay.ms=0
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
num.network.threads=2
num.io.threads=4
log.retention.hours=24
# kafkajs' consumers fetch through fetch sessions (infra/patches/kafkajs/many-topics.json); the test suites open
# hundreds of consumers, and a session is freed only when evicted: room for more than the default 1,000
max.incremental.fetch.session.cache.slots=10000
EOF
  secure_kafka_config >>"$KAFKA_PROPS"
}

# A random Kafka cluster id: 16 random bytes, url-safe base64 without padding (as Uuid.randomUuid()).
random_cluster_id() {
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    case "$id" in -*) ;; *) break ;; esac
  done
  printf '%s' "$id"
}

# Common JVM flags; the -D tag lets infra/down.sh find this project's broker (and only it).
KAFKA_TAG="-Dsamenloop.kafka=$RUN"
JAVA_BASE=(java -server -Djava.awt.headless=true "-Dlog4j2.configurationFile=$ROOT/infra/kafka/log4j2.xml"
  "$KAFKA_TAG" -cp "$LIBS/*")

start_kafka() {
  local pid t0 t1
  # Always: the tests that start a broker of their own (a restart, an outage) need the jars even when a
  # broker already answers here.
  fetch_kafka_jars
  pid="$(read_pid "$KAFKA_PIDFILE")"
  if proc_matches "$pid" kafka.Kafka; then
    log "Kafka: ours is already running (pid $pid)"
    wait_kafka "$pid" "$(now)"
    return
  fi
  rm -f "$KAFKA_PIDFILE"
  if port_open "$KAFKA_PORT"; then
    log "Kafka: something already listens on 127.0.0.1:$KAFKA_PORT (not ours: infra/down.sh leaves it)"
    wait_kafka "" "$(now)"
    return
  fi
  port_open "$KAFKA_CONTROLLER_PORT" && die "port 127.0.0.1:$KAFKA_CONTROLLER_PORT (KAFKA_CONTROLLER_PORT) is in use"
  command -v java >/dev/null 2>&1 || die "java (17+) is needed to run Kafka"

  t0="$(now)"
  rm -rf "$KAFKA_DATA"
  mkdir -p "$KAFKA_DATA"
  write_kafka_config
  secure_format_args
  if ! "${JAVA_BASE[@]}" -Xmx256m kafka.tools.StorageTool format -t "$(random_cluster_id)" -c "$KAFKA_PROPS" \
    "${SECURE_FORMAT_ARGS[@]}" >"$RUN/kafka-format.log" 2>&1; then
    cat "$RUN/kafka-format.log" >&2
    die "formatting the Kafka storage failed"
  fi
  log "Kafka: storage formatted in $(since "$t0")s"

  t1="$(now)"
  : >"$KAFKA_LOG"
  # setsid: own session, so the broker survives this shell and npm; bash writes its own pid, then execs java.
  # shellcheck disable=SC2086,SC2016
  nohup setsid bash -c 'echo $$ >"$0"; exec "$@"' "$KAFKA_PIDFILE" \
    "${JAVA_BASE[@]}" $KAFKA_HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent \
    kafka.Kafka "$KAFKA_PROPS" </dev/null >>"$KAFKA_LOG" 2>&1 &
  for _ in $(seq 1 50); do
    pid="$(read_pid "$KAFKA_PIDFILE")"
    [ -n "$pid" ] && break
    sleep 0.1
  done
  [ -n "$pid" ] || die "the Kafka broker did not start (no pid in $KAFKA_PIDFILE)"
  log "Kafka $KAFKA_VERSION: broker started (pid $pid), log in .run/kafka.log"
  wait_kafka "$pid" "$t1"
  write_secure_env
  log "Kafka: SASL_SSL (SCRAM-SHA-512) on 127.0.0.1:$KAFKA_SASL_PORT, SSL (mutual TLS) on 127.0.0.1:$KAFKA_SSL_PORT, ACLs on"
}

wait_kafka() {
  local pid="$1" t0="$2"
  local tsx="$ROOT/node_modules/.bin/tsx"
  [ -x "$tsx" ] || die "node_modules/.bin/tsx is missing: run npm ci first"
  if ! (cd "$ROOT" && KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT" KAFKA_PID="$pid" \
    KAFKA_START_TIMEOUT="$KAFKA_START_TIMEOUT" "$tsx" infra/wait-kafka.ts); then
    if [ -n "$pid" ]; then
      printf '[infra:up] last 40 lines of %s:\n' "$KAFKA_LOG" >&2
      tail -n 40 "$KAFKA_LOG" >&2 || true
      if ! kill -0 "$pid" 2>/dev/null; then
        rm -f "$KAFKA_PIDFILE"
        die "the Kafka broker (pid $pid) exited during start-up (log above)"
      fi
    fi
    die "Kafka on 127.0.0.1:$KAFKA_PORT did not become ready within ${KAFKA_START_TIMEOUT}s (KAFKA_START_TIMEOUT)"
  fi
  log "Kafka: ready on 127.0.0.1:$KAFKA_PORT, $(since "$t0")s after the broker was launched/found"
}

T_ALL="$(now)"
start_redis
ensure_xmllint
secure_prepare
start_redis_tls
start_kafka
bash "$ROOT/infra/console-up.sh" # chromium (browser tests) and the console's local OIDC provider
log "infrastructure up in $(since "$T_ALL")s (KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT REDIS_URL=redis://127.0.0.1:$REDIS_PORT)"
