#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests: scripts/pg.sh start | stop | url | status | restart | standby PORT
#   start    initdb + start on a free port with a private socket directory, fsync off;
#            prints the URL (postgresql://postgres@127.0.0.1:PORT/postgres)
#   stop     stops the server and deletes its directory
#   url      prints the URL of the running server
#   restart  restarts it the hard way (pg_ctl restart -m immediate: a crash and recovery)
#   standby PORT  a hot standby streaming from the server on PORT (pg_basebackup -R),
#            started on a free port; prints its URL
# STRATA_PG_STATE names the state directory, so tests can run servers of their own.
# STRATA_PG_CRASH_SAFE=1 keeps synchronous_commit on, so a commit survives `restart`.
# STRATA_PG_PORT=N starts it on that port (a test that waits for a server to come up).
# PostgreSQL refuses to run as root, so as root it runs as the postgres user.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state="${STRATA_PG_STATE:-$here/build/pg-state}"

bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && [ -x "$dir/pg_ctl" ] || { echo "pg.sh: PostgreSQL server binaries not found (run scripts/deps.sh --server)" >&2; exit 1; }
  echo "$dir"
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

url() {
  [ -f "$state/port" ] || { echo "pg.sh: no server started (scripts/pg.sh start)" >&2; exit 1; }
  echo "postgresql://postgres@127.0.0.1:$(cat "$state/port")/postgres"
}

new_dir() {
  local dir
  dir=$(mktemp -d /tmp/strata-pg.XXXXXX)
  chmod 755 "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  echo "$dir"
}

start() {
  if [ -f "$state/port" ] && as_owner "$(bindir)/pg_ctl" -D "$(cat "$state/dir")/data" status >/dev/null 2>&1; then
    url; return
  fi
  local bin dir
  bin=$(bindir)
  dir=$(new_dir)
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  # postgres needs no password; every other role does (so a wrong password can be tested).
  cat >"$dir/data/pg_hba.conf" <<'HBA'
local all all trust
host all postgres 127.0.0.1/32 trust
host all all 127.0.0.1/32 scram-sha-256
host all postgres ::1/128 trust
host all all ::1/128 scram-sha-256
host replication postgres 127.0.0.1/32 trust
HBA
  launch "$dir"
}

standby() {
  local primary_port=$1 dir
  dir=$(new_dir)
  as_owner "$(bindir)/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres -D "$dir/data" -R -X stream --no-sync \
    >"$dir/basebackup.log" 2>&1 || { cat "$dir/basebackup.log" >&2; exit 1; }
  launch "$dir"
}

# Starts the cluster in $1/data on a free port; records it in $state; prints the URL.
launch() {
  local dir=$1 bin port attempt commit=off
  bin=$(bindir)
  [ "${STRATA_PG_CRASH_SAFE:-0}" = 1 ] && commit=on
  for attempt in 1 2 3 4 5 6 7 8; do
    port=${STRATA_PG_PORT:-$(( (RANDOM * 32768 + RANDOM) % 30000 + 20000 ))}
    port_in_use "$port" && continue
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
         -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=$commit -c full_page_writes=off -c max_connections=200" \
         start >/dev/null; then
      mkdir -p "$state"
      echo "$dir" >"$state/dir"
      echo "$port" >"$state/port"
      url
      return
    fi
  done
  cat "$dir/server.log" >&2
  echo "pg.sh: could not start PostgreSQL" >&2
  exit 1
}

stop() {
  [ -f "$state/dir" ] || return 0
  local dir
  dir=$(cat "$state/dir")
  as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir" "$state"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) url ;;
  restart) as_owner "$(bindir)/pg_ctl" -D "$(cat "$state/dir")/data" -m immediate -w -t 60 restart >/dev/null ;;
  standby) [ -n "${2:-}" ] || { echo "usage: scripts/pg.sh standby PRIMARY_PORT" >&2; exit 2; }; standby "$2" ;;
  status) [ -f "$state/dir" ] && as_owner "$(bindir)/pg_ctl" -D "$(cat "$state/dir")/data" status ;;
  *) echo "usage: scripts/pg.sh start|stop|url|status|restart|standby PORT" >&2; exit 2 ;;
esac
