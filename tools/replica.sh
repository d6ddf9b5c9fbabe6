#!/usr/bin/env bash
# A real MariaDB primary and replica on this machine, for the read-replica tests (README "Read
# replica"): `tools/replica.sh start` (make replica), `tools/replica.sh stop` (make replica-stop),
# `tools/replica.sh status`, `tools/replica.sh env` (the variables that point RETA at the pair),
# `tools/replica.sh remove` (stop and delete its data).
#
# The machine's own server (3306) has no binary log and log_bin cannot be switched on without a
# restart, which would break whatever else uses it; so the pair is two servers of its own, each
# with its own data folder (in /dev/shm, else under .replica/, gitignored), on two more loopback ports:
#   primary 127.0.0.1:3316  server-id 1, binary log (row format), GTIDs
#   replica 127.0.0.1:3317  server-id 2, read_only, replicating from the primary by GTID
# Users (created on each server without writing them to the binary log):
#   root@127.0.0.1, no password            the tests' primary connection (creates the test database)
#   reta_repl   REPLICATION SLAVE          the replica's connection to the primary
#   reta_reader SELECT, SLAVE MONITOR      RETA's connection to the replica (read_only holds for it;
#                                          SHOW SLAVE STATUS tells RETA the replica's lag)
# Idempotent: `start` on a pair that runs and replicates says so and stops there; on a stopped pair
# it starts both servers again with their data (the replica resumes where it stopped).
set -euo pipefail
cd "$(dirname "$0")/.."

# The data folders: in memory (/dev/shm) where there is one, a folder per checkout; else .replica/.
# In memory, the test database's migrations (mostly DDL: a file created and synced per table) take
# half the time they take on disk (measured: 64 s instead of 123 s on the shared 2-core machine).
if [ -z "${RETA_REPLICA_DIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
  RETA_REPLICA_DIR="/dev/shm/reta-replica-$(printf %s "$PWD" | md5sum | head -c 10)"
fi
DIR="${RETA_REPLICA_DIR:-$PWD/.replica}"
HOST=127.0.0.1
PRIMARY_PORT="${RETA_REPLICA_PRIMARY_PORT:-3316}"
REPLICA_PORT="${RETA_REPLICA_PORT:-3317}"
REPL_USER=reta_repl
REPL_PASSWORD="${RETA_REPLICA_REPL_PASSWORD:-reta-repl-local-only}"
READER=reta_reader
READER_PASSWORD="${RETA_REPLICA_READER_PASSWORD:-reta-reader-local-only}"

tcp() { local port=$1; shift; mariadb --protocol=tcp -h"$HOST" -P"$port" -uroot -N -B -e "$*"; }
sock() { local name=$1; shift; mariadb --protocol=socket -S"$DIR/$name.sock" -uroot -N -B -e "$*"; }
alive() { mysqladmin --protocol=tcp -h"$HOST" -P"$1" -uroot --connect-timeout=2 ping >/dev/null 2>&1; }
sock_alive() { mysqladmin --protocol=socket -S"$DIR/$1.sock" -uroot --connect-timeout=2 ping >/dev/null 2>&1; }

# "Yes Yes" when the replica's I/O and SQL threads both run.
threads() {
  mariadb --protocol=tcp -h"$HOST" -P"$REPLICA_PORT" -uroot -e "SHOW SLAVE STATUS\G" 2>/dev/null |
    awk -F': ' '/Slave_IO_Running:/{io=$2} /Slave_SQL_Running:/{sql=$2} END{print io" "sql}'
}

start_server() {  # name port server-id [mariadbd options...]
  local name=$1 port=$2 id=$3; shift 3
  local data="$DIR/$name"
  if sock_alive "$name"; then return; fi
  if alive "$port"; then
    echo "Port $port answers but is not the $name of $DIR: stop that server or set RETA_REPLICA_*_PORT." >&2
    exit 1
  fi
  if [ ! -x /usr/sbin/mariadbd ] || ! command -v mariadb-install-db >/dev/null; then
    echo "The replica pair needs MariaDB's server programs: apt-get install mariadb-server" >&2
    exit 1
  fi
  if [ ! -d "$data/mysql" ]; then
    mkdir -p "$data"
    mariadb-install-db --no-defaults --user=root --datadir="$data" --auth-root-authentication-method=socket \
      --skip-test-db >"$DIR/$name-install.log" 2>&1
  fi
  # --no-defaults: nothing of /etc/mysql (the machine's server) applies. Durability is relaxed: a
  # test pair, thrown away with its folder (no fsync at all: the test database's migrations are
  # mostly DDL, each a file created and synced).
  setsid /usr/sbin/mariadbd --no-defaults --user=root --datadir="$data" --port="$port" --bind-address="$HOST" \
    --socket="$DIR/$name.sock" --pid-file="$DIR/$name.pid" --log-error="$DIR/$name.err" \
    --server-id="$id" --skip-name-resolve --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --innodb-buffer-pool-size=128M --innodb-flush-log-at-trx-commit=2 --sync-binlog=0 \
    --innodb-flush-method=nosync --innodb-doublewrite=0 \
    --max-connections=100 "$@" </dev/null >/dev/null 2>&1 &
  for _ in $(seq 1 60); do
    sock_alive "$name" && return
    sleep 0.5
  done
  echo "The $name did not start; see $DIR/$name.err" >&2
  tail -n 20 "$DIR/$name.err" >&2 || true
  exit 1
}

users() {  # name: the local users, kept out of the binary log
  sock "$1" "SET sql_log_bin = 0;
    CREATE USER IF NOT EXISTS 'root'@'127.0.0.1';
    GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
    CREATE USER IF NOT EXISTS '$REPL_USER'@'127.0.0.1' IDENTIFIED BY '$REPL_PASSWORD';
    GRANT REPLICATION SLAVE ON *.* TO '$REPL_USER'@'127.0.0.1';
    CREATE USER IF NOT EXISTS '$READER'@'127.0.0.1' IDENTIFIED BY '$READER_PASSWORD';
    GRANT SELECT, SLAVE MONITOR ON *.* TO '$READER'@'127.0.0.1';"
}

start() {
  if alive "$PRIMARY_PORT" && alive "$REPLICA_PORT" && [ "$(threads)" = "Yes Yes" ]; then
    echo "Replica pair already running: primary $HOST:$PRIMARY_PORT, replica $HOST:$REPLICA_PORT (replicating)."
    return
  fi
  mkdir -p "$DIR"
  start_server primary "$PRIMARY_PORT" 1 --log-bin="$DIR/primary/binlog" --binlog-format=ROW
  users primary
  start_server replica "$REPLICA_PORT" 2 --read-only --relay-log="$DIR/replica/relay" --log-slave-updates=0
  users replica
  if [ "$(threads)" != "Yes Yes" ]; then
    if [ -z "$(tcp "$REPLICA_PORT" "SHOW SLAVE STATUS")" ]; then
      tcp "$REPLICA_PORT" "CHANGE MASTER TO MASTER_HOST='$HOST', MASTER_PORT=$PRIMARY_PORT,
        MASTER_USER='$REPL_USER', MASTER_PASSWORD='$REPL_PASSWORD', MASTER_USE_GTID=slave_pos,
        MASTER_CONNECT_RETRY=1"
    fi
    tcp "$REPLICA_PORT" "START SLAVE"
  fi
  for _ in $(seq 1 60); do
    if [ "$(threads)" = "Yes Yes" ]; then
      echo "Replica pair running: primary $HOST:$PRIMARY_PORT (binary log, GTID), replica $HOST:$REPLICA_PORT (read_only, replicating); data in $DIR."
      return
    fi
    sleep 0.5
  done
  echo "The replica does not replicate:" >&2
  mariadb --protocol=tcp -h"$HOST" -P"$REPLICA_PORT" -uroot -e "SHOW SLAVE STATUS\G" >&2 || true
  exit 1
}

stop_server() {  # name
  local name=$1
  if sock_alive "$name"; then
    mysqladmin --protocol=socket -S"$DIR/$name.sock" -uroot shutdown
    echo "Stopped the $name."
  fi
}

stop() {
  stop_server replica
  stop_server primary
}

# Stopped, and its data folders removed (the next start builds a new pair).
remove() {
  stop
  rm -rf "$DIR"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  remove) remove ;;
  status)
    alive "$PRIMARY_PORT" && echo "primary $HOST:$PRIMARY_PORT up" || echo "primary $HOST:$PRIMARY_PORT down"
    alive "$REPLICA_PORT" && echo "replica $HOST:$REPLICA_PORT up, I/O and SQL threads: $(threads)" ||
      echo "replica $HOST:$REPLICA_PORT down"
    ;;
  env)
    echo "export RETA_REPLICA_TEST=1"
    echo "export DATABASE_URL=mysql://root@$HOST:$PRIMARY_PORT/reta"
    echo "export DATABASE_REPLICA_URL=mysql://$READER:$READER_PASSWORD@$HOST:$REPLICA_PORT/reta"
    echo "export RETA_REPLICA_ADMIN_URL=mysql://root@$HOST:$REPLICA_PORT/reta"
    ;;
  *) echo "usage: $0 start|stop|remove|status|env" >&2; exit 2 ;;
esac
