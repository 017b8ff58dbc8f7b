#!/bin/bash
# Entrypoint with the interface of the official mariadb image (a compatible subset of its docker-entrypoint.sh):
#   MARIADB_ROOT_PASSWORD | MARIADB_ALLOW_EMPTY_ROOT_PASSWORD | MARIADB_RANDOM_ROOT_PASSWORD (one is required),
#   MARIADB_ROOT_HOST (default %), MARIADB_DATABASE, MARIADB_USER, MARIADB_PASSWORD,
#   each also as *_FILE (read from a file) and with the legacy MYSQL_* names;
#   MARIADB_INITDB_SKIP_TZINFO.
# On first start (no /var/lib/mysql/mysql) it initialises the data directory, creates root/database/user and a
# `healthcheck` user for healthcheck.sh, then runs /docker-entrypoint-initdb.d/* (*.sh, *.sql, *.sql.gz,
# *.sql.xz, *.sql.zst) in name order. Arguments starting with '-' are passed to mariadbd. The server then runs in
# the foreground as PID 1 (exec), as user mysql, so SIGTERM shuts it down cleanly.
set -eo pipefail
shopt -s nullglob

mysql_log() {
	local type="$1"; shift
	printf '%s [%s] [Entrypoint]: %s\n' "$(date --rfc-3339=seconds)" "$type" "$*"
}
mysql_note() { mysql_log Note "$@"; }
mysql_warn() { mysql_log Warn "$@" >&2; }
mysql_error() { mysql_log ERROR "$@" >&2; exit 1; }

# file_env VAR [DEFAULT]: VAR or VAR_FILE (not both); MARIADB_* falls back to MYSQL_*.
file_env() {
	local var="$1" def="${2:-}"
	local mysqlvar="${var/#MARIADB/MYSQL}"
	local fileVar="${var}_FILE" mysqlFileVar="${mysqlvar}_FILE"
	if [ "${!var:-}" ] && [ "${!fileVar:-}" ]; then
		mysql_error "Both $var and $fileVar are set (but are exclusive)"
	fi
	local val="$def"
	if [ "${!var:-}" ]; then
		val="${!var}"
	elif [ "${!fileVar:-}" ]; then
		val="$(< "${!fileVar}")"
	elif [ "$mysqlvar" != "$var" ] && [ "${!mysqlvar:-}" ]; then
		val="${!mysqlvar}"
	elif [ "$mysqlvar" != "$var" ] && [ "${!mysqlFileVar:-}" ]; then
		val="$(< "${!mysqlFileVar}")"
	fi
	export "$var"="$val"
	unset "$fileVar" "$mysqlvar" "$mysqlFileVar"
}

# Value of a server option as the server would see it with these arguments.
mysql_get_config() {
	local conf="$1"; shift
	"$@" --verbose --help 2>/dev/null | awk -v conf="$conf" '$1 == conf && /^[^ \t]/ { sub(/^[^ \t]+[ \t]+/, ""); print; exit }'
}

docker_setup_env() {
	DATADIR="$(mysql_get_config 'datadir' "$@")"
	DATADIR="${DATADIR%/}"
	SOCKET="$(mysql_get_config 'socket' "$@")"
	PORT="$(mysql_get_config 'port' "$@")"
	file_env 'MARIADB_ROOT_HOST' '%'
	file_env 'MARIADB_DATABASE'
	file_env 'MARIADB_USER'
	file_env 'MARIADB_PASSWORD'
	file_env 'MARIADB_ROOT_PASSWORD'
	file_env 'MARIADB_ALLOW_EMPTY_ROOT_PASSWORD'
	file_env 'MARIADB_RANDOM_ROOT_PASSWORD'
	file_env 'MARIADB_INITDB_SKIP_TZINFO'
	DATABASE_ALREADY_EXISTS=
	if [ -d "$DATADIR/mysql" ]; then DATABASE_ALREADY_EXISTS=true; fi
}

docker_verify_minimum_env() {
	if [ -z "$MARIADB_ROOT_PASSWORD" ] && [ -z "$MARIADB_ALLOW_EMPTY_ROOT_PASSWORD" ] && [ -z "$MARIADB_RANDOM_ROOT_PASSWORD" ]; then
		mysql_error $'Database is uninitialized and password option is not specified\n\tYou need to specify one of MARIADB_ROOT_PASSWORD, MARIADB_ROOT_PASSWORD_FILE, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD and MARIADB_RANDOM_ROOT_PASSWORD'
	fi
	if [ -n "$MARIADB_USER" ] && [ -z "$MARIADB_PASSWORD" ]; then
		mysql_error "MARIADB_USER is set but MARIADB_PASSWORD is not: set both, or neither"
	fi
	if [ "$MARIADB_USER" = "root" ]; then
		mysql_error "MARIADB_USER=root is not allowed: use MARIADB_ROOT_PASSWORD for the root user"
	fi
}

# Run SQL against the temporary server (over its socket, as root before/after the password is set).
docker_process_sql() {
	if [ '--dont-use-mysql-root-password' = "${1:-}" ]; then
		shift
		MYSQL_PWD='' mariadb --no-defaults --skip-ssl --protocol=socket --socket="$SOCKET" -uroot -hlocalhost "$@"
	else
		MYSQL_PWD="$MARIADB_ROOT_PASSWORD" mariadb --no-defaults --skip-ssl --protocol=socket --socket="$SOCKET" -uroot -hlocalhost "$@"
	fi
}

docker_temp_server_start() {
	"$@" --skip-networking --default-time-zone=SYSTEM --socket="$SOCKET" --wsrep_on=OFF \
		--expire-logs-days=0 --skip-slave-start \
		--loose-innodb_buffer_pool_load_at_startup=0 --loose-innodb_buffer_pool_dump_at_shutdown=0 &
	MARIADB_PID=$!
	mysql_note "Waiting for server startup"
	local i
	for i in {60..0}; do
		if docker_process_sql --dont-use-mysql-root-password --database=mysql <<<'SELECT 1' &>/dev/null; then
			break
		fi
		if ! kill -0 "$MARIADB_PID" 2>/dev/null; then
			mysql_error "Unable to start server (it exited during initialisation)"
		fi
		sleep 1
	done
	if [ "$i" = 0 ]; then
		mysql_error "Unable to start server."
	fi
}

docker_temp_server_stop() {
	kill "$MARIADB_PID"
	wait "$MARIADB_PID" || true
}

docker_init_database_dir() {
	mysql_note "Initializing database files"
	# Server arguments (e.g. --log-bin) are passed on like the official image; binary logging is off for init.
	mariadb-install-db "${@:2}" --datadir="$DATADIR" --rpm --auth-root-authentication-method=normal \
		--skip-test-db --default-time-zone=SYSTEM --enforce-storage-engine= --skip-log-bin --expire-logs-days=0 \
		--loose-innodb_buffer_pool_load_at_startup=0 --loose-innodb_buffer_pool_dump_at_shutdown=0 >/dev/null
	mysql_note "Database files initialized"
}

# SQL string literal escaping (single quotes and backslashes).
docker_sql_escape_string_literal() {
	local escaped="${1//\\/\\\\}"
	echo "${escaped//\'/\\\'}"
}

docker_setup_db() {
	if [ -z "$MARIADB_INITDB_SKIP_TZINFO" ] && [ -d /usr/share/zoneinfo ] && command -v mariadb-tzinfo-to-sql >/dev/null; then
		# --skip-write-binlog: time zone tables are local data
		mariadb-tzinfo-to-sql --skip-write-binlog /usr/share/zoneinfo 2>/dev/null \
			| docker_process_sql --dont-use-mysql-root-password --database=mysql
	fi
	if [ -n "$MARIADB_RANDOM_ROOT_PASSWORD" ]; then
		MARIADB_ROOT_PASSWORD="$(tr -dc 'A-Za-z0-9' </dev/urandom | head -c 32 || true)"
		export MARIADB_ROOT_PASSWORD
		mysql_note "GENERATED ROOT PASSWORD: $MARIADB_ROOT_PASSWORD"
	fi
	local rootPasswordEscaped rootCreate=''
	rootPasswordEscaped="$(docker_sql_escape_string_literal "$MARIADB_ROOT_PASSWORD")"
	if [ -n "$MARIADB_ROOT_HOST" ] && [ "$MARIADB_ROOT_HOST" != 'localhost' ]; then
		rootCreate="CREATE USER 'root'@'${MARIADB_ROOT_HOST}' IDENTIFIED BY '${rootPasswordEscaped}';
			GRANT ALL ON *.* TO 'root'@'${MARIADB_ROOT_HOST}' WITH GRANT OPTION;
			GRANT PROXY ON ''@'%' TO 'root'@'${MARIADB_ROOT_HOST}' WITH GRANT OPTION;"
	fi

	# Healthcheck user, used by healthcheck.sh through $DATADIR/.my-healthcheck.cnf (as in the official image).
	local healthPass healthCreate
	healthPass="$(tr -dc 'A-Za-z0-9' </dev/urandom | head -c 32 || true)"
	healthCreate="CREATE USER 'healthcheck'@'127.0.0.1' IDENTIFIED BY '${healthPass}';
		CREATE USER 'healthcheck'@'::1' IDENTIFIED BY '${healthPass}';
		CREATE USER 'healthcheck'@'localhost' IDENTIFIED BY '${healthPass}';
		GRANT USAGE ON *.* TO 'healthcheck'@'127.0.0.1', 'healthcheck'@'::1', 'healthcheck'@'localhost';"
	(umask 077; printf '[mariadb-client]\nport=%s\nsocket=%s\nuser=healthcheck\npassword=%s\n' \
		"$PORT" "$SOCKET" "$healthPass" > "$DATADIR/.my-healthcheck.cnf")

	mysql_note "Securing system users (equivalent to running mysql_secure_installation)"
	docker_process_sql --dont-use-mysql-root-password --binary-mode --database=mysql <<-EOSQL
		SET @@SESSION.SQL_LOG_BIN=0;
		SET @@SESSION.SQL_MODE=REPLACE(@@SESSION.SQL_MODE, 'NO_BACKSLASH_ESCAPES', '');
		DROP USER IF EXISTS root@'127.0.0.1', root@'::1';
		DELETE FROM mysql.user WHERE user='' OR (user='root' AND host NOT IN ('localhost'));
		DELETE FROM mysql.proxies_priv WHERE host NOT IN ('localhost');
		SET PASSWORD FOR 'root'@'localhost'= PASSWORD('${rootPasswordEscaped}');
		${rootCreate}
		${healthCreate}
		DROP DATABASE IF EXISTS test;
		FLUSH PRIVILEGES;
	EOSQL

	if [ -n "$MARIADB_DATABASE" ]; then
		mysql_note "Creating database ${MARIADB_DATABASE}"
		docker_process_sql --database=mysql <<<"SET @@SESSION.SQL_LOG_BIN=0; CREATE DATABASE IF NOT EXISTS \`${MARIADB_DATABASE}\`;"
	fi
	if [ -n "$MARIADB_USER" ] && [ -n "$MARIADB_PASSWORD" ]; then
		mysql_note "Creating user ${MARIADB_USER}"
		local userPasswordEscaped
		userPasswordEscaped="$(docker_sql_escape_string_literal "$MARIADB_PASSWORD")"
		docker_process_sql --database=mysql --binary-mode <<-EOSQL
			SET @@SESSION.SQL_LOG_BIN=0;
			SET @@SESSION.SQL_MODE=REPLACE(@@SESSION.SQL_MODE, 'NO_BACKSLASH_ESCAPES', '');
			CREATE USER '${MARIADB_USER}'@'%' IDENTIFIED BY '${userPasswordEscaped}';
		EOSQL
		if [ -n "$MARIADB_DATABASE" ]; then
			mysql_note "Giving user ${MARIADB_USER} access to schema ${MARIADB_DATABASE}"
			docker_process_sql --database=mysql <<<"SET @@SESSION.SQL_LOG_BIN=0; GRANT ALL ON \`${MARIADB_DATABASE//_/\\_}\`.* TO '${MARIADB_USER}'@'%';"
		fi
	fi
}

# Init files run with the database selected (if any), as root.
docker_process_init_files() {
	local f
	echo
	for f; do
		case "$f" in
			*.sh)
				if [ -x "$f" ]; then
					mysql_note "$0: running $f"
					"$f"
				else
					mysql_note "$0: sourcing $f"
					# shellcheck disable=SC1090
					. "$f"
				fi
				;;
			*.sql)     mysql_note "$0: running $f"; docker_process_sql ${MARIADB_DATABASE:+--database="$MARIADB_DATABASE"} < "$f"; echo ;;
			*.sql.gz)  mysql_note "$0: running $f"; gunzip -c "$f" | docker_process_sql ${MARIADB_DATABASE:+--database="$MARIADB_DATABASE"}; echo ;;
			*.sql.xz)  mysql_note "$0: running $f"; xzcat "$f" | docker_process_sql ${MARIADB_DATABASE:+--database="$MARIADB_DATABASE"}; echo ;;
			*.sql.zst) mysql_note "$0: running $f"; zstd -dc "$f" | docker_process_sql ${MARIADB_DATABASE:+--database="$MARIADB_DATABASE"}; echo ;;
			*)         mysql_warn "$0: ignoring $f" ;;
		esac
		echo
	done
}

_main() {
	# `docker run image --log-bin=...`: options go to the server.
	if [ "${1:0:1}" = '-' ]; then
		set -- mariadbd "$@"
	fi

	if [ "$1" = 'mariadbd' ] || [ "$1" = 'mysqld' ]; then
		mysql_note "Entrypoint script for MariaDB Server $(mariadbd --version | awk '{print $3}') started."
		docker_setup_env "$@"

		if [ "$(id -u)" = "0" ]; then
			# Own the data and socket directories, then drop privileges and start over as mysql.
			mkdir -p "$DATADIR" /run/mysqld
			find "$DATADIR" \! -user mysql -exec chown mysql:mysql '{}' +
			chown mysql:mysql /run/mysqld
			mysql_note "Switching to dedicated user 'mysql'"
			exec setpriv --reuid=mysql --regid=mysql --init-groups "${BASH_SOURCE[0]}" "$@"
		fi

		if [ -z "$DATABASE_ALREADY_EXISTS" ]; then
			docker_verify_minimum_env
			# check the server arguments before touching the data directory
			"$@" --verbose --help >/dev/null 2>&1 || { "$@" --verbose --help >/dev/null; exit 1; }
			docker_init_database_dir "$@"
			mysql_note "Starting temporary server"
			docker_temp_server_start "$@"
			mysql_note "Temporary server started."
			docker_setup_db
			docker_process_init_files /docker-entrypoint-initdb.d/*
			mysql_note "Stopping temporary server"
			docker_temp_server_stop
			mysql_note "Temporary server stopped"
			echo
			mysql_note "MariaDB init process done. Ready for start up."
			echo
		fi
	fi
	exec "$@"
}

_main "$@"
