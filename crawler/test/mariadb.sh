#!/usr/bin/env bash
# Throwaway MariaDB server for the crawler's tests and benchmark, from Debian's `mariadb-server` package.
#
#   test/mariadb.sh start DIR   installs the package if missing, starts a server on a free loopback port with its
#                               datadir under DIR, and prints KEY=VALUE lines (MARIADB_PORT, MARIADB_USER, ...)
#   test/mariadb.sh stop DIR    stops that server (the datadir is left for the caller to remove)
#
# The server is configured as the platform's is (binary log in ROW format, as Debezium needs it), so the tests
# exercise the same write path as production. It listens on 127.0.0.1 only.
set -euo pipefail

cmd="${1:-}"
dir="${2:-}"
if [[ -z "$cmd" || -z "$dir" ]]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi

db_user="crawler"
db_password="crawler-test"
db_name="testdb"

find_server() {
  command -v mariadbd || command -v mysqld || { [[ -x /usr/sbin/mariadbd ]] && echo /usr/sbin/mariadbd; } || true
}

install_server() {
  echo "mariadb.sh: installing Debian's mariadb-server" >&2
  # Debian's maintainer scripts would start a system-wide server on port 3306; a policy-rc.d that denies
  # service starts keeps the install inert. Only add it if none exists, and remove only our own.
  local added_policy=""
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    added_policy=1
  fi
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mariadb-server mariadb-client >&2
  if [[ -n "$added_policy" ]]; then rm -f /usr/sbin/policy-rc.d; fi
}

free_port() {
  # Ask the kernel for a free loopback port; the tiny race until mariadbd binds it is acceptable for tests.
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

start() {
  local server
  server="$(find_server)"
  if [[ -z "$server" ]]; then
    install_server
    server="$(find_server)"
  fi
  local install_db
  install_db="$(command -v mariadb-install-db || command -v mysql_install_db)"
  local client
  client="$(command -v mariadb || command -v mysql)"

  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  local data="$dir/data" sock="$dir/mysqld.sock" port
  port="$(free_port)"
  # Running as root is fine for a throwaway server; as any other user, run as that user.
  local run_user
  run_user="$(id -un)"

  "$install_db" --no-defaults --datadir="$data" --user="$run_user" --auth-root-authentication-method=socket \
    --skip-test-db >"$dir/install.log" 2>&1

  "$server" --no-defaults --datadir="$data" --user="$run_user" --socket="$sock" --port="$port" \
    --bind-address=127.0.0.1 --skip-name-resolve --pid-file="$dir/mysqld.pid" \
    --log-error="$dir/error.log" --log-bin="$dir/binlog" --binlog-format=ROW --binlog-row-image=FULL --server-id=1 \
    --innodb-buffer-pool-size=256M --innodb-log-file-size=256M --innodb-flush-log-at-trx-commit=1 \
    --max-connections=200 --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    >/dev/null 2>&1 &
  echo "$!" >"$dir/server.pid"

  for _ in $(seq 1 100); do
    if "$client" --no-defaults --socket="$sock" -uroot -e 'SELECT 1' >/dev/null 2>&1; then break; fi
    if ! kill -0 "$(cat "$dir/server.pid")" 2>/dev/null; then
      echo "mariadb.sh: server exited; see $dir/error.log" >&2
      tail -20 "$dir/error.log" >&2 || true
      exit 1
    fi
    sleep 0.2
  done
  "$client" --no-defaults --socket="$sock" -uroot <<SQL
CREATE DATABASE IF NOT EXISTS \`$db_name\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$db_user'@'127.0.0.1' IDENTIFIED BY '$db_password';
GRANT ALL PRIVILEGES ON \`$db_name\`.* TO '$db_user'@'127.0.0.1';
SQL

  echo "MARIADB_HOST=127.0.0.1"
  echo "MARIADB_PORT=$port"
  echo "MARIADB_USER=$db_user"
  echo "MARIADB_PASSWORD=$db_password"
  echo "MARIADB_DATABASE=$db_name"
  echo "MARIADB_SOCKET=$sock"
}

stop() {
  local pidfile="$dir/server.pid"
  [[ -f "$pidfile" ]] || exit 0
  local pid
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$pidfile"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
