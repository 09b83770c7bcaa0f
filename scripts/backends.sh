#!/usr/bin/env bash
# Builds strata with one backend at a time and runs that backend's tests: the
# core and the other backend must not be needed. Then checks that the core and
# the public headers name no engine outside comments and help text.
# Build directories: build-only-sqlite/, build-only-postgresql/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/deps.sh --server
jobs=$(nproc 2>/dev/null || echo 2)

engine_names=$(grep -rniE "sqlite|postgres" src/ include/strata/ | sed -E 's#//.*$##' |
    grep -iE "sqlite|postgres" | grep -v '^src/cli/help\.cpp:' || true)
if [[ -n "$engine_names" ]]; then
    echo "backends.sh: the core names an engine outside comments and help (move it into backends/):" >&2
    echo "$engine_names" >&2
    exit 1
fi

for backend in sqlite postgresql; do
    dir="build-only-$backend"
    with_sqlite=OFF with_postgresql=OFF
    [[ $backend == sqlite ]] && with_sqlite=ON
    [[ $backend == postgresql ]] && with_postgresql=ON
    cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="${STRATA_BUILD_TYPE:-RelWithDebInfo}" \
        -DSTRATA_WITH_SQLITE=$with_sqlite -DSTRATA_WITH_POSTGRESQL=$with_postgresql \
        -DSTRATA_BUILD_BENCHMARKS=OFF -DSTRATA_INSTALL=OFF >/dev/null
    cmake --build "$dir" -j "$jobs"
    if [[ $backend == postgresql ]]; then
        trap 'bash scripts/pg.sh stop' EXIT
        STRATA_TEST_PG_URL="$(bash scripts/pg.sh start)"
        export STRATA_TEST_PG_URL
    fi
    echo "backends.sh: only $backend"
    ctest --test-dir "$dir" --output-on-failure -j "$jobs" -L "unit|$backend"
done
