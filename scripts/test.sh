#!/usr/bin/env bash
# Builds strata, starts a throwaway PostgreSQL and runs every test with ctest.
# STRATA_REQUIRE_PG=1 turns a missing PostgreSQL into a failure (CI sets it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/deps.sh --server
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="${STRATA_BUILD_TYPE:-RelWithDebInfo}" >/dev/null
cmake --build build -j "$jobs"

trap 'bash scripts/pg.sh stop' EXIT
STRATA_TEST_PG_URL="$(bash scripts/pg.sh start)"
export STRATA_TEST_PG_URL
echo "test.sh: PostgreSQL at $STRATA_TEST_PG_URL"
ctest --test-dir build --output-on-failure -j "$jobs" "$@"
