#!/usr/bin/env bash
# Runs every fuzz target under libFuzzer (clang, ASan, UBSan) for SECONDS each
# (default 60), starting from the corpus in tests/fuzz/corpus/. A crash leaves
# its input in build-fuzz/crashes/ and makes the script fail; add that input to
# the target's corpus so that the ctest `fuzz` label replays it from then on.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds="${1:-60}"
case "$seconds" in
  ''|*[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS]  (seconds per target, default 60)" >&2; exit 2 ;;
esac

bash scripts/deps.sh --fuzz
jobs=$(nproc 2>/dev/null || echo 2)
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSTRATA_FUZZ=ON -DSTRATA_BUILD_TESTS=OFF -DSTRATA_BUILD_EXAMPLES=OFF \
  -DSTRATA_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build-fuzz -j "$jobs"

crashes="$PWD/build-fuzz/crashes"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$crashes"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

failed=()
for target in build-fuzz/fuzz/fuzz_*; do
  name=$(basename "$target")
  corpus="$work/${name#fuzz_}"
  cp -r "tests/fuzz/corpus/${name#fuzz_}" "$corpus"
  [ "$name" = fuzz_sqlite_schema ] && cp tests/data/foreign_sqlite.sql "$corpus/"  # as tests/fuzz/CMakeLists.txt
  echo "fuzz.sh: $name for ${seconds} s"
  if ! "$target" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 \
       -max_len=4096 -artifact_prefix="$crashes/$name-" -print_final_stats=1 \
       >"$work/$name.log" 2>&1; then
    tail -n 40 "$work/$name.log" >&2
    failed+=("$name")
  else
    grep -E "^(stat::number_of_executed_units|cov:|#[0-9]+ +DONE)" "$work/$name.log" | tail -n 2 || true
  fi
done

if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz.sh: crashes in ${failed[*]}; inputs in build-fuzz/crashes/" >&2
  exit 1
fi
echo "fuzz.sh: every target ran ${seconds} s without a crash"
