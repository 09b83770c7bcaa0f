#!/usr/bin/env bash
# Installs what strata needs to build from Debian's archive (with --server, a
# PostgreSQL server for the tests; with --fuzz, clang and libFuzzer). Fast when
# everything is present.
set -euo pipefail

packages=(cmake g++ ninja-build pkg-config libsoci-dev libboost-dev libsqlite3-dev libpq-dev
          nlohmann-json3-dev libspdlog-dev libgtest-dev libgmock-dev
          sqlite3)  # sqlite3: the client strata-bench measures the binary against
for arg in "$@"; do
  case "$arg" in
    --server) packages+=(postgresql pgbouncer) ;;  # pgbouncer: the pooler tests
    --fuzz) packages+=(clang libclang-rt-14-dev) ;;
    *) echo "deps.sh: unknown option '$arg' (use --server or --fuzz)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps.sh: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "deps.sh: run as root or install sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
