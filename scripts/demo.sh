#!/usr/bin/env bash
# Builds strata and runs the example against embedded SQLite files: the first run
# creates the schema, the second finds the database matching the model.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="${STRATA_BUILD_TYPE:-RelWithDebInfo}" >/dev/null
cmake --build build -j "$jobs" --target strata_minimal strata_cli

demo=build/demo
rm -rf "$demo"
mkdir -p "$demo"
echo "== first start: an empty database is created from the model"
build/bin/minimal-demo "sqlite:$demo/minimal.db"
echo
echo "== second start: the database matches the model"
build/bin/minimal-demo "sqlite:$demo/minimal.db"
echo
echo "== strata inspect (the generic tool)"
build/bin/strata inspect "sqlite:$demo/minimal.db"
