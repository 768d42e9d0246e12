#!/usr/bin/env bash
# Runs every Cierto test against real PostgreSQL, Redis, Chromium and nginx.
#
# On a machine without Docker it installs what is missing from the OS packages (Debian/Ubuntu),
# starts PostgreSQL and Redis on 127.0.0.1 and points the tests at them through
# CIERTO_TEST_POSTGRES / CIERTO_TEST_REDIS. Set those yourself to use other servers.
# Extra arguments go to `dotnet test` (e.g. ./test.sh --filter "FullyQualifiedName~Domain").
set -euo pipefail
cd "$(dirname "$0")"

# shellcheck source=scripts/servers.sh
. scripts/servers.sh

if [ -z "${CIERTO_TEST_POSTGRES:-}" ]; then start_postgres; fi
if [ -z "${CIERTO_TEST_REDIS:-}" ]; then start_redis; fi
if [ ! -x /usr/bin/chromium ] && [ -z "${CIERTO_TEST_CHROMIUM:-}" ]; then apt_install chromium; fi
# The Cluster tests start nginx in front of two instances (scripts/cluster.sh).
if ! command -v nginx >/dev/null; then apt_install nginx-light; fi
# Web/DeploymentSecurityTests validate docker-compose.yml with compose v1's `config` (no engine needed).
if ! command -v docker-compose >/dev/null; then apt_install docker-compose; fi

results="TestResults"
rm -rf "$results"
status=0
dotnet test Cierto.Blazor.sln --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" "$@" || status=$?

# One summary line from the real results (TRX counters), whatever happened above.
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -1)"
  get() { printf '%s' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
line="$passed passed, $failed failed"
if [ "$skipped" -gt 0 ]; then line="$line, $skipped skipped"; fi
echo "$line"
exit "$status"
