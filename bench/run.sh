#!/usr/bin/env bash
# Runs the Cierto benchmarks against a real PostgreSQL (installed and started like the tests do).
#   ./bench/run.sh                 # 100,000 items, 100 timed runs per scenario
#   ./bench/run.sh 20000 50        # fewer items / runs
# Uses CIERTO_BENCH_POSTGRES when set (a server connection string whose role may create databases).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/servers.sh
. scripts/servers.sh
if [ -z "${CIERTO_BENCH_POSTGRES:-}" ] && [ -z "${CIERTO_TEST_POSTGRES:-}" ]; then start_postgres; fi
dotnet run -c Release --project bench/Cierto.Bench -- "$@"
