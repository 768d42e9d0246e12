#!/usr/bin/env bash
# Shared by test.sh and bench/run.sh: installs PostgreSQL and Redis from the OS packages when
# missing (Debian/Ubuntu, no Docker needed), starts them on 127.0.0.1 and exports
# CIERTO_TEST_POSTGRES / CIERTO_TEST_REDIS. Source it; it defines functions only.

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

log() { printf '==> %s\n' "$*" >&2; }

apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then
    log "apt-get update"
    $SUDO apt-get update -qq >/dev/null
    apt_updated=1
  fi
  log "installing $*"
  $SUDO apt-get install -y -qq "$@" >/dev/null
}

start_postgres() {
  if ! command -v pg_ctlcluster >/dev/null || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    apt_install postgresql
  fi
  local version
  version="$(ls /usr/lib/postgresql | sort -V | tail -1)"
  if ! pg_lsclusters -h | grep -q "^$version main"; then
    $SUDO pg_createcluster "$version" main >/dev/null
  fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    # Concurrency tests open many connections at once; leave room above the default 100.
    $SUDO pg_conftool "$version" main set max_connections 300 >/dev/null 2>&1 || true
    log "starting PostgreSQL $version"
    $SUDO pg_ctlcluster "$version" main start
  fi
  for _ in $(seq 1 60); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
  pg_isready -h 127.0.0.1 -p 5432 >/dev/null
  $SUDO su postgres -c "psql -q -v ON_ERROR_STOP=1" <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cierto_test') THEN
    CREATE ROLE cierto_test LOGIN CREATEDB PASSWORD 'cierto_test';
  END IF;
END $$;
SQL
  export CIERTO_TEST_POSTGRES="Host=127.0.0.1;Port=5432;Username=cierto_test;Password=cierto_test;Database=postgres"
}

start_redis() {
  if ! command -v redis-server >/dev/null; then apt_install redis-server; fi
  if ! redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; then
    log "starting Redis"
    redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save '' --appendonly no \
      --pidfile /tmp/cierto-redis.pid --logfile /tmp/cierto-redis.log
  fi
  for _ in $(seq 1 40); do redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG && break; sleep 0.25; done
  redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG
  export CIERTO_TEST_REDIS="127.0.0.1:6379"
}

