# The secured side of the local stack, sourced by infra/up.sh and infra/down.sh (not run by itself).
#
# Kafka (on the broker infra/up.sh starts), beside its PLAINTEXT listener:
#   SASL_SSL  127.0.0.1:$KAFKA_SASL_PORT (9094)  TLS + SCRAM-SHA-512; the users are made by the broker's own
#             `kafka-storage format --add-scram` (kafka.tools.StorageTool) with the passwords of .run/tls/
#   SSL       127.0.0.1:$KAFKA_SSL_PORT (9095)   mutual TLS: a client certificate of the local CA is required;
#             its CN is the principal (CN=processor -> User:processor)
#   the StandardAuthorizer with allow.everyone.if.no.acl.found=false: a principal may do only what an ACL
#   allows. Super users: User:admin (SCRAM or certificate) and User:ANONYMOUS, the principal of the
#   PLAINTEXT listener on 127.0.0.1 that the test suite and the development tools use.
# Redis with TLS on 127.0.0.1:$REDIS_TLS_PORT (6380): client certificates required, the default user off,
#   one ACL user `samenloop` with the password of .run/tls/redis.password.
# Certificates and passwords: infra/tls.sh, into .run/tls/. What a client needs to find them: .run/secure.env.
# shellcheck shell=bash

KAFKA_SASL_PORT="${KAFKA_SASL_PORT:-9094}"
KAFKA_SSL_PORT="${KAFKA_SSL_PORT:-9095}"
REDIS_TLS_PORT="${REDIS_TLS_PORT:-6380}"
TLS_DIR="$RUN/tls"
SECURE_ENV="$RUN/secure.env"
REDIS_TLS_PIDFILE="$RUN/redis-tls.pid"
SCRAM_USERS=(admin processor console gemeente-a gemeente-b)

# Certificates and passwords (kept when they exist).
secure_prepare() {
  command -v openssl >/dev/null 2>&1 || apt_install openssl
  bash "$ROOT/infra/tls.sh"
}

# The broker properties of the secured listeners and the authorizer; appended to the broker's file, where
# `listeners` and its companions replace the plaintext-only lines above them (the last one counts).
secure_kafka_config() {
  cat <<EOF

# --- secured listeners and ACLs (infra/secure.sh); these lines replace the listener lines above ---
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT,SASL_SSL://127.0.0.1:$KAFKA_SASL_PORT,SSL://127.0.0.1:$KAFKA_SSL_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,SASL_SSL://127.0.0.1:$KAFKA_SASL_PORT,SSL://127.0.0.1:$KAFKA_SSL_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL,SSL:SSL
sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
ssl.keystore.type=PEM
ssl.keystore.location=$TLS_DIR/server-keystore.pem
ssl.truststore.type=PEM
ssl.truststore.location=$TLS_DIR/ca.crt
ssl.client.auth=none
listener.name.ssl.ssl.client.auth=required
ssl.principal.mapping.rules=RULE:^CN=([^,]+)\$/\$1/,DEFAULT
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:ANONYMOUS;User:admin
EOF
}

# Arguments for `kafka-storage format`: the SCRAM-SHA-512 users, each with its password file's password.
secure_format_args() {
  local u
  SECURE_FORMAT_ARGS=()
  for u in "${SCRAM_USERS[@]}"; do
    SECURE_FORMAT_ARGS+=(--add-scram "SCRAM-SHA-512=[name=$u,password=$(cat "$TLS_DIR/$u.password")]")
  done
}

# Where the secured endpoints are, for the tests and for people (no secrets: those stay in .run/tls/).
write_secure_env() {
  cat >"$SECURE_ENV" <<EOF
# Written by infra/up.sh: the secured endpoints of the local stack (infra/secure.sh).
KAFKA_SASL_BROKERS=127.0.0.1:$KAFKA_SASL_PORT
KAFKA_SSL_BROKERS=127.0.0.1:$KAFKA_SSL_PORT
KAFKA_PLAINTEXT_BROKERS=127.0.0.1:$KAFKA_PORT
REDIS_TLS_URL=rediss://127.0.0.1:$REDIS_TLS_PORT
TLS_DIR=$TLS_DIR
EOF
}

redis_tls_answers() {
  [ "$(timeout 5 redis-cli --tls --cacert "$TLS_DIR/ca.crt" --cert "$TLS_DIR/redis-client.crt" \
    --key "$TLS_DIR/redis-client.key" -h 127.0.0.1 -p "$REDIS_TLS_PORT" --user samenloop \
    --pass "$(cat "$TLS_DIR/redis.password")" --no-auth-warning ping 2>/dev/null)" = PONG ]
}

start_redis_tls() {
  local pid conf="$RUN/redis-tls.conf" t0
  pid="$(read_pid "$REDIS_TLS_PIDFILE")"
  if proc_matches "$pid" redis-server && redis_tls_answers; then
    log "Redis TLS: ours is already running on 127.0.0.1:$REDIS_TLS_PORT (pid $pid)"
    return
  fi
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  port_open "$REDIS_TLS_PORT" && die "port 127.0.0.1:$REDIS_TLS_PORT (REDIS_TLS_PORT) is in use by something else"
  t0="$(now)"
  (
    umask 077
    cat >"$conf" <<EOF
# Written by infra/up.sh (infra/secure.sh): Redis with TLS only, client certificates and one ACL user.
bind 127.0.0.1
port 0
tls-port $REDIS_TLS_PORT
tls-cert-file $TLS_DIR/server.crt
tls-key-file $TLS_DIR/server.key
tls-ca-cert-file $TLS_DIR/ca.crt
tls-auth-clients yes
save ""
appendonly no
daemonize yes
pidfile $REDIS_TLS_PIDFILE
logfile $RUN/redis-tls.log
dir $RUN
user default off
user samenloop on >$(cat "$TLS_DIR/redis.password") ~* &* +@all -@admin -@dangerous +info
EOF
  )
  rm -f "$REDIS_TLS_PIDFILE"
  redis-server "$conf" </dev/null >"$RUN/redis-tls-start.log" 2>&1 || {
    cat "$RUN/redis-tls-start.log" >&2
    die "redis-server with TLS did not start (does this redis-server have TLS? redis-server --help)"
  }
  for _ in $(seq 1 100); do
    if redis_tls_answers; then
      log "Redis TLS: started on 127.0.0.1:$REDIS_TLS_PORT (pid $(read_pid "$REDIS_TLS_PIDFILE")) in $(since "$t0")s"
      return
    fi
    sleep 0.1
  done
  tail -n 20 "$RUN/redis-tls.log" >&2 || true
  die "Redis TLS did not answer on 127.0.0.1:$REDIS_TLS_PORT within 10s"
}
