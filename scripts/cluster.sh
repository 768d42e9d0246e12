#!/usr/bin/env bash
# The production topology without Docker: Debian's nginx with deploy/nginx.conf.template (the file
# docker compose mounts; TLS on a self-signed certificate made at start) in front of two published
# Release instances of Cierto on loopback ports, PostgreSQL and Redis (the test servers, started
# like ./test.sh does when not given), mail to the pickup folder.
#
#   scripts/cluster.sh up      # prints the URL: https://localhost:8443 unless CIERTO_CLUSTER_PORT says otherwise
#   scripts/cluster.sh down    # stops nginx and both instances (and drops the database it created)
#
# Settings (all optional):
#   CIERTO_CLUSTER_PORT        HTTPS port of nginx (8443); CIERTO_CLUSTER_HTTP_PORT its plain-HTTP redirect (8080)
#   CIERTO_CLUSTER_APP_PORTS   the two instances' loopback ports ("5301 5302")
#   CIERTO_CLUSTER_DIR         state: pids, logs, certificate, nginx files, data folder (/tmp/cierto-cluster)
#   CIERTO_CLUSTER_PUBLISH     a `dotnet publish` folder to run instead of publishing Cierto.Web here
#   CIERTO_CLUSTER_POSTGRES    the app's connection string; otherwise a database "cierto_cluster" on the test server
#   CIERTO_CLUSTER_REDIS       the app's Redis; otherwise the test Redis
#   CIERTO_CLUSTER_ROOT_EMAIL / CIERTO_CLUSTER_ROOT_PASSWORD   the first Root account (Cierto:Bootstrap)
# The instances' pids are in $CIERTO_CLUSTER_DIR/web1.pid and web2.pid, nginx's access log (with the
# instance that answered each request) in $CIERTO_CLUSTER_DIR/nginx/access.log, mail in
# $CIERTO_CLUSTER_DIR/data/mail-pickup.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/servers.sh
. scripts/servers.sh

DIR="${CIERTO_CLUSTER_DIR:-/tmp/cierto-cluster}"
PORT="${CIERTO_CLUSTER_PORT:-8443}"
HTTP_PORT="${CIERTO_CLUSTER_HTTP_PORT:-8080}"
read -r -a APP_PORTS <<<"${CIERTO_CLUSTER_APP_PORTS:-5301 5302}"

# One key of an ADO.NET connection string ("Host=...;Port=...").
connection_part() {
  tr ';' '\n' <<<"$1" | awk -F= -v key="$2" 'tolower($1) == tolower(key) { print substr($0, index($0, "=") + 1) }'
}

test_server_psql() {
  PGPASSWORD="$(connection_part "$CIERTO_TEST_POSTGRES" Password)" psql -q -v ON_ERROR_STOP=1 \
    -h "$(connection_part "$CIERTO_TEST_POSTGRES" Host)" -p "$(connection_part "$CIERTO_TEST_POSTGRES" Port)" \
    -U "$(connection_part "$CIERTO_TEST_POSTGRES" Username)" -d postgres -c "$1"
}

wait_ready() {
  local url="$1" what="$2"
  for _ in $(seq 1 240); do
    if curl -ksf -o /dev/null "$url"; then return 0; fi
    sleep 0.5
  done
  log "$what did not become ready ($url)"
  return 1
}

stop_pid_file() {
  local file="$1"
  if [ -f "$file" ]; then
    kill "$(cat "$file")" 2>/dev/null || true
    rm -f "$file"
  fi
}

up() {
  command -v nginx >/dev/null || apt_install nginx-light
  command -v curl >/dev/null || apt_install curl
  command -v openssl >/dev/null || apt_install openssl
  mkdir -p "$DIR"/{tls,nginx/tmp,data}
  chmod 0777 "$DIR/nginx/tmp" # nginx's workers run as another user when started by root

  local postgres="${CIERTO_CLUSTER_POSTGRES:-}"
  if [ -z "$postgres" ]; then
    if [ -z "${CIERTO_TEST_POSTGRES:-}" ]; then start_postgres; fi
    test_server_psql 'DROP DATABASE IF EXISTS "cierto_cluster" WITH (FORCE)'
    test_server_psql 'CREATE DATABASE "cierto_cluster"'
    echo "$CIERTO_TEST_POSTGRES" >"$DIR/created-database"
    postgres="$(sed -E 's/(^|;)[Dd]atabase=[^;]*//' <<<"$CIERTO_TEST_POSTGRES");Database=cierto_cluster"
  fi
  local redis="${CIERTO_CLUSTER_REDIS:-}"
  if [ -z "$redis" ]; then
    if [ -z "${CIERTO_TEST_REDIS:-}" ]; then start_redis; fi
    redis="$CIERTO_TEST_REDIS"
  fi

  local publish="${CIERTO_CLUSTER_PUBLISH:-}"
  if [ -z "$publish" ]; then
    publish="$DIR/publish"
    log "publishing Cierto.Web (Release) to $publish"
    dotnet publish Cierto.Web -c Release -o "$publish" -v quiet -nologo >"$DIR/publish.log" 2>&1 || { cat "$DIR/publish.log" >&2; return 1; }
  fi

  log "making a self-signed certificate for localhost"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$DIR/tls/key.pem" -out "$DIR/tls/cert.pem" 2>/dev/null
  # Production refuses unencrypted Data Protection keys: both instances share one certificate for them.
  openssl pkcs12 -export -inkey "$DIR/tls/key.pem" -in "$DIR/tls/cert.pem" -out "$DIR/tls/keys.pfx" -passout pass:cierto-cluster

  # The instances: published Release builds in Production, as in docker-compose.yml's web1/web2.
  local i
  for i in 1 2; do
    local port="${APP_PORTS[$((i - 1))]}"
    log "starting instance $i on 127.0.0.1:$port"
    (
      cd "$publish"
      ASPNETCORE_ENVIRONMENT=Production \
      ASPNETCORE_URLS="http://127.0.0.1:$port" \
      ConnectionStrings__Postgres="$postgres" \
      ConnectionStrings__Redis="$redis" \
      Cierto__ForwardedHeaders=true \
      Cierto__Cookies__SecureOnly=true \
      Cierto__PublicBaseUrl="https://localhost:$PORT" \
      Cierto__DataDirectory="$DIR/data" \
      Cierto__DataProtection__CertificatePath="$DIR/tls/keys.pfx" \
      Cierto__DataProtection__CertificatePassword=cierto-cluster \
      Cierto__Bootstrap__RootEmail="${CIERTO_CLUSTER_ROOT_EMAIL:-}" \
      Cierto__Bootstrap__RootPassword="${CIERTO_CLUSTER_ROOT_PASSWORD:-}" \
      nohup dotnet Cierto.Web.dll >"$DIR/web$i.log" 2>&1 &
      echo $! >"$DIR/web$i.pid"
    )
    # One at a time: the first applies the migrations.
    wait_ready "http://127.0.0.1:$port/health/ready" "instance $i" || { tail -20 "$DIR/web$i.log" >&2; return 1; }
  done

  # deploy/nginx.conf.template with the variables compose's nginx image would fill in.
  sed -e "s|\${CIERTO_HTTPS_PORT}|$PORT|g" \
      -e "s|\${CIERTO_UPSTREAM_1}|127.0.0.1:${APP_PORTS[0]}|g" \
      -e "s|\${CIERTO_UPSTREAM_2}|127.0.0.1:${APP_PORTS[1]}|g" \
      -e "s|\${CIERTO_TLS_CERT_FILE}|$DIR/tls/cert.pem|g" \
      -e "s|\${CIERTO_TLS_KEY_FILE}|$DIR/tls/key.pem|g" \
      -e "s|listen 80;|listen $HTTP_PORT;|" \
      -e "s|listen 443 ssl|listen $PORT ssl|" \
      -e "s|/var/log/nginx/access.log|$DIR/nginx/access.log|g" \
      deploy/nginx.conf.template >"$DIR/nginx/site.conf"
  cat >"$DIR/nginx/nginx.conf" <<EOF
# Written by scripts/cluster.sh: a private nginx around deploy/nginx.conf.template (site.conf).
worker_processes 1;
pid $DIR/nginx/nginx.pid;
error_log $DIR/nginx/error.log warn;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    # The template's own log format (secrets masked, the instance and affinity key at the end), in this folder.
    access_log off;
    client_body_temp_path $DIR/nginx/tmp/body;
    proxy_temp_path $DIR/nginx/tmp/proxy;
    fastcgi_temp_path $DIR/nginx/tmp/fastcgi;
    uwsgi_temp_path $DIR/nginx/tmp/uwsgi;
    scgi_temp_path $DIR/nginx/tmp/scgi;
    include $DIR/nginx/site.conf;
}
EOF
  nginx -t -q -c "$DIR/nginx/nginx.conf" -e "$DIR/nginx/error.log"
  log "starting nginx on https://localhost:$PORT"
  nginx -c "$DIR/nginx/nginx.conf" -e "$DIR/nginx/error.log"
  wait_ready "https://localhost:$PORT/health/ready" "nginx"
  echo "https://localhost:$PORT"
}

down() {
  if [ -f "$DIR/nginx/nginx.pid" ]; then
    nginx -s quit -c "$DIR/nginx/nginx.conf" -e "$DIR/nginx/error.log" 2>/dev/null || stop_pid_file "$DIR/nginx/nginx.pid"
  fi
  stop_pid_file "$DIR/web1.pid"
  stop_pid_file "$DIR/web2.pid"
  if [ -f "$DIR/created-database" ]; then
    CIERTO_TEST_POSTGRES="$(cat "$DIR/created-database")"
    test_server_psql 'DROP DATABASE IF EXISTS "cierto_cluster" WITH (FORCE)' || true
    rm -f "$DIR/created-database"
  fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *) echo "usage: scripts/cluster.sh up|down" >&2; exit 2 ;;
esac
