#!/usr/bin/env bash
# Runs the Cierto benchmarks against a real PostgreSQL (installed and started like the tests do).
#   ./bench/run.sh                 # 100,000 items, 100 timed runs per scenario
#   ./bench/run.sh 20000 50        # fewer items / runs
#   ./bench/run.sh events          # live-event latency through Redis, 1 / 100 / 1,000 subscribers
#   ./bench/run.sh api [seconds]   # activate + end through the API vs pgbench, 4 / 16 / 64 clients
# Uses CIERTO_BENCH_POSTGRES when set (a server connection string whose role may create databases).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/servers.sh
. scripts/servers.sh
if [ "${1:-}" = "events" ]; then
  if [ -z "${CIERTO_BENCH_REDIS:-}" ] && [ -z "${CIERTO_TEST_REDIS:-}" ]; then start_redis; fi
elif [ -z "${CIERTO_BENCH_POSTGRES:-}" ] && [ -z "${CIERTO_TEST_POSTGRES:-}" ]; then
  start_postgres
fi
dotnet run -c Release --project bench/Cierto.Bench -- "$@"
