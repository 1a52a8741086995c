#!/usr/bin/env bash
# Makes the certificates and secrets of the local secured stack (infra/up.sh: Kafka's SASL_SSL and SSL
# listeners, Redis' TLS port) into .run/tls/, with openssl. Idempotent: what exists is kept; TLS_FRESH=1
# makes everything again. Development and CI only: the keys are unencrypted, the CA lives beside them.
#
#   ca.crt / ca.key                    the local CA (trusted by the broker, Redis and the clients)
#   server.crt / server.key            the broker's and Redis' certificate: CN=localhost, SAN localhost, 127.0.0.1
#   server-keystore.pem                server.key + server.crt in one file (Kafka's PEM key store)
#   <name>.crt / <name>.key            client certificates, CN=<name> (the Kafka principal User:<name>):
#                                      admin, processor, console, gemeente-a, gemeente-b, redis-client
#   other-ca.crt / other-ca.key        a second CA nobody trusts (tests: an untrusted certificate)
#   stranger.crt / stranger.key        a client certificate of that other CA (tests: refused by mTLS)
#   <user>.password                    SCRAM-SHA-512 passwords of the Kafka users (admin, processor,
#                                      console, gemeente-a, gemeente-b); redis.password: the Redis ACL user
set -euo pipefail

# shellcheck source=infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
TLS="$RUN/tls"
DAYS=825
CLIENTS=(admin processor console gemeente-a gemeente-b redis-client)
SCRAM_USERS=(admin processor console gemeente-a gemeente-b)

log() { printf '[infra:tls] %s\n' "$*"; }
die() {
  printf '[infra:tls] ERROR: %s\n' "$*" >&2
  exit 1
}

command -v openssl >/dev/null 2>&1 || die "openssl is needed to make the local certificates (apt-get install -y openssl)"
if [ "${TLS_FRESH:-0}" = 1 ]; then rm -rf "$TLS"; fi
mkdir -p "$TLS"
chmod 700 "$TLS"
umask 077

ca() { # name subject
  [ -f "$TLS/$1.crt" ] && return
  openssl req -x509 -newkey rsa:2048 -nodes -days "$DAYS" -subj "$2" \
    -keyout "$TLS/$1.key" -out "$TLS/$1.crt" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
  log "made $1.crt ($2)"
}

leaf() { # name cn ca ext
  [ -f "$TLS/$1.crt" ] && return
  local ext="$TLS/$1.ext"
  printf '%s\n' "$4" >"$ext"
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$2" -keyout "$TLS/$1.key.tmp" -out "$TLS/$1.csr" 2>/dev/null
  # PKCS#8 (BEGIN PRIVATE KEY): what Kafka's PEM key store reads
  openssl pkcs8 -topk8 -nocrypt -in "$TLS/$1.key.tmp" -out "$TLS/$1.key"
  openssl x509 -req -in "$TLS/$1.csr" -CA "$TLS/$3.crt" -CAkey "$TLS/$3.key" -CAcreateserial \
    -days "$DAYS" -sha256 -extfile "$ext" -out "$TLS/$1.crt" 2>/dev/null
  rm -f "$TLS/$1.key.tmp" "$TLS/$1.csr" "$ext"
  log "made $1.crt (CN=$2, signed by $3)"
}

password() { # file
  [ -s "$TLS/$1" ] && return
  head -c 18 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$TLS/$1"
}

ca ca "/CN=samenloop local CA"
ca other-ca "/CN=an untrusted CA"
leaf server localhost ca "$(printf '%s\n' 'subjectAltName=DNS:localhost,IP:127.0.0.1' \
  'extendedKeyUsage=serverAuth,clientAuth' 'keyUsage=critical,digitalSignature,keyEncipherment')"
for c in "${CLIENTS[@]}"; do
  leaf "$c" "$c" ca "$(printf '%s\n' 'extendedKeyUsage=clientAuth' 'keyUsage=critical,digitalSignature,keyEncipherment')"
done
leaf stranger processor other-ca "$(printf '%s\n' 'extendedKeyUsage=clientAuth' 'keyUsage=critical,digitalSignature')"
cat "$TLS/server.key" "$TLS/server.crt" >"$TLS/server-keystore.pem"
for u in "${SCRAM_USERS[@]}"; do password "$u.password"; done
password redis.password
# readable by the user only; the certificates may be read by anyone
chmod 600 "$TLS"/*.key "$TLS"/*.password "$TLS/server-keystore.pem"
chmod 644 "$TLS"/*.crt
