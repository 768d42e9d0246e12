#!/usr/bin/env bash
# Mutation testing of Cierto.Domain with Stryker.NET (a local tool: dotnet tool restore).
#
#   scripts/mutation.sh                     every folder of the domain
#   scripts/mutation.sh Usage Accounts      only these folders
#   scripts/mutation.sh --since <commit>    only what changed since a commit (what CI would run)
#
# The report goes to TestResults/mutation/<date>/reports (mutation-report.html and .json); the
# score per folder is printed at the end. Tests need PostgreSQL and Redis like ./test.sh (the
# CIERTO_TEST_POSTGRES / CIERTO_TEST_REDIS variables, or scripts/servers.sh). The tests that
# judge the domain are Cierto.Tests.Domain (rules and services on PostgreSQL) and Cierto.Tests.Api
# (the same services through HTTP); page, browser, circuit, cluster and fault tests are left out:
# they run the whole app per class and make every mutant cost minutes. CIERTO_MUTATION_TESTS
# replaces the filter, CIERTO_MUTATION_CONCURRENCY (default 1) runs that many mutants at once.
# A folder of ~150 mutants takes 45-90 minutes on the 2-core build machine: too long for CI.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${CIERTO_TEST_POSTGRES:-}" || -z "${CIERTO_TEST_REDIS:-}" ]]; then
  . scripts/servers.sh
  start_postgres
  start_redis
fi

dotnet tool restore >/dev/null
# One test at a time (Cierto.Tests/Infrastructure/SerialTests.cs): per-test coverage is only right then.
export CIERTO_SERIAL_TESTS=1
filter="${CIERTO_MUTATION_TESTS:-FullyQualifiedName~Cierto.Tests.Domain|FullyQualifiedName~Cierto.Tests.Api}"
args=()
if [[ "${1:-}" == "--since" ]]; then
  args+=(--since:"${2:?a commit}")
  shift 2
fi
mutate=()
for folder in "$@"; do
  mutate+=(--mutate "**/Cierto.Domain/${folder}/**/*.cs")
done

out="$PWD/TestResults/mutation/$(date -u +%Y%m%d-%H%M%S)"
cd Cierto.Tests
dotnet tool run dotnet-stryker --project Cierto.Domain.csproj "${mutate[@]}" "${args[@]}" \
  --test-case-filter "$filter" --reporter html --reporter json --reporter progress --output "$out" \
  --concurrency "${CIERTO_MUTATION_CONCURRENCY:-1}"

python3 - "$out/reports/mutation-report.json" <<'PY'
import json, sys, collections
report = json.load(open(sys.argv[1]))
by = collections.defaultdict(collections.Counter)
for path, data in report["files"].items():
    folder = path.split("Cierto.Domain/")[-1].split("/")[0]
    for m in data["mutants"]:
        by[folder][m["status"]] += 1
print(f"{'folder':<12} {'killed':>7} {'survived':>8} {'no cover':>8} {'timeout':>7} {'score':>6}")
for folder, c in sorted(by.items()):
    detected = c["Killed"] + c["Timeout"]
    valid = detected + c["Survived"] + c["NoCoverage"]
    if valid:
        print(f"{folder:<12} {c['Killed']:>7} {c['Survived']:>8} {c['NoCoverage']:>8} {c['Timeout']:>7} {100 * detected / valid:>5.1f}%")
PY
echo "report: $out/reports/mutation-report.html"
