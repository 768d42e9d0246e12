#!/usr/bin/env bash
# Runs the Cierto benchmarks against a real PostgreSQL (installed and started like the tests do).
#   ./bench/run.sh                 # 100,000 items, 100 timed runs per scenario
#   ./bench/run.sh 20000 50        # fewer items / runs
#   ./bench/run.sh history [workers days runs]   # dashboard snapshot + usage history over a year (500 workers)
#   ./bench/run.sh events          # live-event latency through Redis, 1 / 100 / 1,000 subscribers
#   ./bench/run.sh api [seconds]   # activate + end through the API vs pgbench, 4 / 16 / 64 clients
#   ./bench/run.sh circuits hold [1000 2000 5000 10000 15000]   # idle circuits: memory, CPU, probe latency per step
#   ./bench/run.sh circuits live [1,100,1000,5000] [rate] [s]   # open dashboards while workers activate through the API
#   ./bench/run.sh circuits churn [100000]                      # open and close circuits; working set afterwards
#   ./bench/run.sh circuits activate [16 20]                    # worker circuits type a code and submit /activate: p50/p99, app CPU per activation
#   ./bench/run.sh smoke                                        # every benchmark once, tiny and quick (CI runs it; figures mean nothing)
#   ./bench/run.sh all [file]      # every benchmark at its documented size (about 25 minutes), one Markdown table each,
#                                  # with date, machine and commit, in bench/results/<date>-<commit>.md (or file)
#   CIERTO_BENCH_GC=workstation|server|datas|conserve picks the server's GC mode for a side-by-side run.
# Uses CIERTO_BENCH_POSTGRES when set (a server connection string whose role may create databases).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/servers.sh
. scripts/servers.sh
case "${1:-}" in events|circuits|smoke|all)
  if [ -z "${CIERTO_BENCH_REDIS:-}" ] && [ -z "${CIERTO_TEST_REDIS:-}" ]; then start_redis; fi
esac
case "${1:-}" in circuits|smoke|all)
  # Thousands of WebSockets on both ends of loopback (one descriptor each, per process, up to the hard limit).
  ulimit -n "$(ulimit -Hn)" || true
  dotnet tool restore >/dev/null
esac
if [ "${1:-}" = "events" ]; then
  :
elif [ -z "${CIERTO_BENCH_POSTGRES:-}" ] && [ -z "${CIERTO_TEST_POSTGRES:-}" ]; then
  start_postgres
fi
# The commit the figures belong to ("+changes" when the working tree differs from it), for the results file.
CIERTO_BENCH_COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo +changes)"
export CIERTO_BENCH_COMMIT
dotnet run -c Release --project bench/Cierto.Bench -- "$@"
