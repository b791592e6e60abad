#!/usr/bin/env bash
# scripts/test-servers.sh start|stop DIR — throwaway PostgreSQL 15 and MariaDB servers for
# the test suite, in DIR, listening only on unix sockets inside DIR (no TCP port), plus a hot
# standby of the PostgreSQL server (streaming replication) and PgBouncer in transaction
# pooling mode in front of it.
# `start` prints shell assignments of ATHANOR_TEST_POSTGRESQL_URL / ATHANOR_TEST_MYSQL_URL /
# ATHANOR_TEST_POSTGRESQL_REPLICA_URL / ATHANOR_TEST_PGBOUNCER_URL for each server that came
# up, and reports loudly on stderr each one that did not.
# restart-, stop- and start-postgresql / -mysql, stop-/start-replica DIR act on those servers in
# place (fault tests).
set -u
cmd=$1 dir=$2
as_owner() {  # run as the given system user when root (initdb and mariadbd refuse root)
  local user=$1; shift
  if [ "$(id -u)" = 0 ]; then runuser -u "$user" -- "$@"; else "$@"; fi
}

launch_postgresql() {  # BIN PG: start the server on PG's data dir with the suite's options and wait (≤ 60 s)
  as_owner postgres "$1/pg_ctl" -D "$2/data" -l "$2/server.log" -w -t 60 \
    -o "-c listen_addresses='' -k $2 -p 5432 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null 2>&1
}

start_postgresql() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$bin" ] || { echo "!! PostgreSQL: no server binaries (apt-get install postgresql)" >&2; return 1; }
  local pg=$dir/pg
  mkdir -p "$pg"
  [ "$(id -u)" = 0 ] && chown postgres: "$pg"
  as_owner postgres "$bin/initdb" -D "$pg/data" -A trust -U postgres -E UTF8 --no-sync >"$dir/pg-initdb.log" 2>&1 \
    || { echo "!! PostgreSQL: initdb failed, see $dir/pg-initdb.log" >&2; cat "$dir/pg-initdb.log" >&2; return 1; }
  launch_postgresql "$bin" "$pg" \
    || { echo "!! PostgreSQL: server did not start, see $pg/server.log" >&2; tail -20 "$pg/server.log" >&2; return 1; }
  echo "export ATHANOR_TEST_SERVERS_DIR='$dir'"
  echo "export ATHANOR_TEST_POSTGRESQL_URL='postgresql://postgres@/postgres?host=$pg&port=5432'"
  echo "export ATHANOR_TEST_PG_CTL='$bin/pg_ctl' ATHANOR_TEST_PG_DATA='$pg/data'"
  start_replica "$bin"
  start_pgbouncer
  return 0
}

# The hot standby: a copy of the primary taken with pg_basebackup -R (which writes
# standby.signal and primary_conninfo), on port 5433 in its own socket directory. A fresh
# cluster copies in about a second (-c fast: no wait for a spread checkpoint).
# Through a replication slot (-C -S): the primary keeps the WAL the standby has not replayed.
# Without it a burst of writes (the migration suites' index builds) then a restart of the
# primary (the fault suites) recycled WAL the standby still needed: it never caught up, and
# the replica suites after it failed waiting for rows.
start_replica() {
  local bin=$1 pg=$dir/pg rep=$dir/replica
  mkdir -p "$rep"
  [ "$(id -u)" = 0 ] && chown postgres: "$rep"
  as_owner postgres "$bin/pg_basebackup" -h "$pg" -p 5432 -U postgres -D "$rep/data" -R -X stream -c fast -C -S athanor_standby \
    >"$dir/replica-basebackup.log" 2>&1 \
    || { echo "!! PostgreSQL replica: pg_basebackup failed, see $dir/replica-basebackup.log" >&2
         cat "$dir/replica-basebackup.log" >&2; return 1; }
  launch_replica "$bin" "$rep" \
    || { echo "!! PostgreSQL replica: server did not start, see $rep/server.log" >&2; tail -20 "$rep/server.log" >&2; return 1; }
  echo "export ATHANOR_TEST_POSTGRESQL_REPLICA_URL='postgresql://postgres@/postgres?host=$rep&port=5433'"
}
launch_replica() {  # BIN REP: start the standby on REP's data dir and wait (≤ 60 s)
  as_owner postgres "$1/pg_ctl" -D "$2/data" -l "$2/server.log" -w -t 60 \
    -o "-c listen_addresses='' -k $2 -p 5433 -c fsync=off -c hot_standby=on -c max_connections=200" \
    start >/dev/null 2>&1
}

# PgBouncer 1.18 in transaction pooling mode in front of the primary: any database name is
# passed through (the `*` entry), two server connections per database and user, clients
# trusted (as the primary trusts them). Named prepared statements do not survive between
# transactions there: the URL carries prepared_statements=false.
start_pgbouncer() {
  local pg=$dir/pg pb=$dir/pgbouncer
  command -v pgbouncer >/dev/null || { echo "!! PgBouncer: not installed (apt-get install pgbouncer)" >&2; return 1; }
  mkdir -p "$pb"
  echo '"postgres" ""' >"$pb/users.txt"
  cat >"$pb/pgbouncer.ini" <<INI
[databases]
* = host=$pg port=5432 user=postgres

[pgbouncer]
listen_addr =
listen_port = 6432
unix_socket_dir = $pb
auth_type = trust
auth_file = $pb/users.txt
admin_users = postgres
pool_mode = transaction
default_pool_size = 2
reserve_pool_size = 0
max_client_conn = 1000
max_db_connections = 0
server_login_retry = 1
logfile = $pb/pgbouncer.log
pidfile = $pb/pgbouncer.pid
INI
  [ "$(id -u)" = 0 ] && chown -R postgres: "$pb"
  as_owner postgres pgbouncer -d "$pb/pgbouncer.ini" >"$pb/start.log" 2>&1
  for _ in $(seq 1 40); do
    [ -S "$pb/.s.PGSQL.6432" ] && break
    sleep 0.25
  done
  [ -S "$pb/.s.PGSQL.6432" ] \
    || { echo "!! PgBouncer: did not start, see $pb/pgbouncer.log" >&2; tail -20 "$pb/pgbouncer.log" "$pb/start.log" >&2; return 1; }
  echo "export ATHANOR_TEST_PGBOUNCER_URL='postgresql://postgres@/postgres?host=$pb&port=6432&prepared_statements=false'"
}

stop_pid_file() {  # FILE: stop the process whose pid is in FILE (SIGTERM, then SIGKILL after 10 s)
  local pid
  [ -f "$1" ] || return 0
  pid=$(cat "$1"); kill "$pid" 2>/dev/null
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -9 "$pid" 2>/dev/null
  return 0
}

launch_mysql() {  # MY USER: start mariadbd on MY's data dir and wait (≤ 60 s) until it answers
  local my=$1 user=$2 daemon
  daemon=$(command -v mariadbd || echo /usr/sbin/mariadbd)
  # In a session of its own: a caller killed with its process group (a test timing out
  # after restart-mysql) does not take the server down with it.
  $(command -v setsid) "$daemon" --no-defaults --datadir="$my/data" --socket="$my/mysql.sock" --pid-file="$my/mysqld.pid" \
    --skip-networking --user="$user" --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci --max-connections=300 \
    --log-error="$my/error.log" >/dev/null 2>&1 &
  for _ in $(seq 1 120); do
    [ -S "$my/mysql.sock" ] && mariadb --no-defaults -uroot --socket="$my/mysql.sock" -e 'SELECT 1' >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  return 1
}

stop_mysql() {  # MY: stop the server whose pid file is in MY (SIGTERM, then SIGKILL after 10 s); as `stop`
  local pid
  [ -f "$1/mysqld.pid" ] || return 0
  pid=$(cat "$1/mysqld.pid"); kill "$pid" 2>/dev/null
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -9 "$pid" 2>/dev/null
  return 0
}

start_mysql() {
  command -v mariadb-install-db >/dev/null || { echo "!! MariaDB: no server (apt-get install mariadb-server)" >&2; return 1; }
  local my=$dir/my
  mkdir -p "$my/data"
  [ "$(id -u)" = 0 ] && chown -R mysql: "$my"
  local user; user=$(id -un); [ "$(id -u)" = 0 ] && user=mysql
  mariadb-install-db --no-defaults --datadir="$my/data" --user="$user" --auth-root-authentication-method=normal \
    --skip-test-db >"$dir/my-install.log" 2>&1 \
    || { echo "!! MariaDB: mariadb-install-db failed, see $dir/my-install.log" >&2; tail -20 "$dir/my-install.log" >&2; return 1; }
  launch_mysql "$my" "$user"
  mariadb --no-defaults -uroot --socket="$my/mysql.sock" -e 'CREATE DATABASE IF NOT EXISTS athanor' >/dev/null 2>&1 \
    || { echo "!! MariaDB: server did not start, see $my/error.log" >&2; tail -20 "$my/error.log" >&2; return 1; }
  echo "export ATHANOR_TEST_MYSQL_URL='mysql://root@localhost/athanor?unix_socket=$my/mysql.sock'"
  echo "export ATHANOR_TEST_MYSQL_SOCKET='$my/mysql.sock' ATHANOR_TEST_MYSQL_PIDFILE='$my/mysqld.pid'"
}

case $cmd in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chmod 755 "$dir"
    start_postgresql
    start_mysql
    exit 0 ;;
  stop)
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    stop_pid_file "$dir/pgbouncer/pgbouncer.pid"
    [ -d "$dir/replica/data" ] && as_owner postgres "$bin/pg_ctl" -D "$dir/replica/data" -m immediate stop >/dev/null 2>&1
    [ -d "$dir/pg/data" ] && as_owner postgres "$bin/pg_ctl" -D "$dir/pg/data" -m immediate stop >/dev/null 2>&1
    if [ -f "$dir/my/mysqld.pid" ]; then
      pid=$(cat "$dir/my/mysqld.pid"); kill "$pid" 2>/dev/null
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -9 "$pid" 2>/dev/null
    fi
    rm -rf "$dir"
    exit 0 ;;
  restart-postgresql)  # in place, same data and options (tests of pools after a server restart)
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    [ -d "$dir/pg/data" ] || { echo "!! PostgreSQL: no server data in $dir/pg" >&2; exit 1; }
    # -m fast: sessions are terminated (57P01) as in a real restart; pg_ctl reuses postmaster.opts.
    as_owner postgres "$bin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -m fast -w -t 60 restart >/dev/null 2>&1 \
      || { echo "!! PostgreSQL: restart failed, see $dir/pg/server.log" >&2; tail -20 "$dir/pg/server.log" >&2; exit 1; }
    exit 0 ;;
  restart-mysql)  # the same server, same data and socket: clients see their links drop
    [ -d "$dir/my/data" ] || { echo "!! MariaDB: no server in $dir/my" >&2; exit 1; }
    stop_mysql "$dir/my"
    user=$(id -un); [ "$(id -u)" = 0 ] && user=mysql
    launch_mysql "$dir/my" "$user" \
      || { echo "!! MariaDB: server did not restart, see $dir/my/error.log" >&2; tail -20 "$dir/my/error.log" >&2; exit 1; }
    exit 0 ;;
  stop-postgresql)  # until start-postgresql: sessions are terminated (57P01), new connections refused
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    [ -d "$dir/pg/data" ] || { echo "!! PostgreSQL: no server data in $dir/pg" >&2; exit 1; }
    as_owner postgres "$bin/pg_ctl" -D "$dir/pg/data" -m fast -w -t 60 stop >/dev/null 2>&1 \
      || { echo "!! PostgreSQL: stop failed, see $dir/pg/server.log" >&2; tail -20 "$dir/pg/server.log" >&2; exit 1; }
    exit 0 ;;
  start-postgresql)  # after stop-postgresql: the same data, socket and options
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    [ -d "$dir/pg/data" ] || { echo "!! PostgreSQL: no server data in $dir/pg" >&2; exit 1; }
    launch_postgresql "$bin" "$dir/pg" \
      || { echo "!! PostgreSQL: server did not start, see $dir/pg/server.log" >&2; tail -20 "$dir/pg/server.log" >&2; exit 1; }
    exit 0 ;;
  stop-replica)  # until start-replica: the standby's sessions are terminated, new connections refused
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    [ -d "$dir/replica/data" ] || { echo "!! PostgreSQL replica: no data in $dir/replica" >&2; exit 1; }
    as_owner postgres "$bin/pg_ctl" -D "$dir/replica/data" -m fast -w -t 60 stop >/dev/null 2>&1 \
      || { echo "!! PostgreSQL replica: stop failed, see $dir/replica/server.log" >&2; exit 1; }
    exit 0 ;;
  start-replica)  # after stop-replica: the same data and socket; it catches up by streaming
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    [ -d "$dir/replica/data" ] || { echo "!! PostgreSQL replica: no data in $dir/replica" >&2; exit 1; }
    launch_replica "$bin" "$dir/replica" \
      || { echo "!! PostgreSQL replica: server did not start, see $dir/replica/server.log" >&2; tail -20 "$dir/replica/server.log" >&2; exit 1; }
    exit 0 ;;
  stop-mysql)  # until start-mysql: clients see their links drop, new connections refused
    [ -d "$dir/my/data" ] || { echo "!! MariaDB: no server in $dir/my" >&2; exit 1; }
    stop_mysql "$dir/my"
    exit 0 ;;
  start-mysql)  # after stop-mysql: the same data, socket and options
    [ -d "$dir/my/data" ] || { echo "!! MariaDB: no server in $dir/my" >&2; exit 1; }
    user=$(id -un); [ "$(id -u)" = 0 ] && user=mysql
    launch_mysql "$dir/my" "$user" \
      || { echo "!! MariaDB: server did not start, see $dir/my/error.log" >&2; tail -20 "$dir/my/error.log" >&2; exit 1; }
    exit 0 ;;
esac
echo "usage: $0 start|stop|restart-postgresql|restart-mysql|stop-postgresql|start-postgresql|stop-replica|start-replica|stop-mysql|start-mysql DIR" >&2; exit 2
