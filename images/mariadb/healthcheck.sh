#!/bin/bash
# healthcheck.sh with the interface of the official mariadb image's script (compatible subset):
#   healthcheck.sh [--su-mysql] [--no-defaults] [--defaults-file=F] [--defaults-extra-file=F] [--datadir=D] TEST...
# Tests run left to right; the first failing one makes the script exit non-zero:
#   --connect                     the server accepts TCP connections on localhost (so not the init-time
#                                 temporary server, which runs with --skip-networking); an authentication
#                                 error still counts as connected, as in the official script
#   --innodb_initialized          InnoDB is initialised (SELECT on information_schema.ENGINES)
#   --innodb_buffer_pool_loaded   the InnoDB buffer pool load at startup has completed (or there was no dump
#                                 to load, on the first start)
# SQL tests log in with $DATADIR/.my-healthcheck.cnf (user `healthcheck`, created at initialisation).
set -eo pipefail

datadir=/var/lib/mysql
nodefaults=
defaults_file=
defaults_extra_file=

_sql() {
	local extra="${defaults_extra_file}"
	if [ -z "$extra" ] && [ -z "$nodefaults" ] && [ -z "$defaults_file" ] && [ -r "$datadir/.my-healthcheck.cnf" ]; then
		extra="$datadir/.my-healthcheck.cnf"
	fi
	mariadb ${nodefaults:+--no-defaults} ${defaults_file:+--defaults-file=$defaults_file} \
		${extra:+--defaults-extra-file=$extra} --skip-ssl --skip-column-names --batch "$@"
}

connect() {
	local out
	set +e
	out="$(_sql -h localhost --protocol tcp -e 'select 1' 2>&1)"
	set -e
	case "$out" in
		*"Can't connect"*) return 1 ;;
		*) return 0 ;;
	esac
}

innodb_initialized() {
	[ "$(_sql -e "select 1 from information_schema.ENGINES WHERE engine='innodb' AND support in ('YES', 'DEFAULT', 'ENABLED')")" = 1 ]
}

innodb_buffer_pool_loaded() {
	local s
	s="$(_sql -e "select VARIABLE_VALUE from information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME='Innodb_buffer_pool_load_status'")"
	# first start: there is no ib_buffer_pool dump to load yet, which counts as loaded
	[[ "$s" == "Buffer pool(s) load completed at"* ]] || [[ "$s" == "Cannot open '"*"' for reading: No such file or directory" ]]
}

if [ $# -eq 0 ]; then
	echo "usage: healthcheck.sh [--datadir=D] [--defaults-file=F] --connect|--innodb_initialized|--innodb_buffer_pool_loaded ..." >&2
	exit 1
fi

# options first (they may follow tests, as in the official script)
for arg in "$@"; do
	case "$arg" in
		--datadir=*) datadir="${arg#*=}" ;;
		--no-defaults) nodefaults=1 ;;
		--defaults-file=*) defaults_file="${arg#*=}" ;;
		--defaults-extra-file=*) defaults_extra_file="${arg#*=}" ;;
	esac
done

for arg in "$@"; do
	case "$arg" in
		--datadir=*|--no-defaults|--defaults-file=*|--defaults-extra-file=*|--su-mysql|--su=*|--verbose) ;;
		--connect) connect || { echo "healthcheck connect failed" >&2; exit 1; } ;;
		--innodb_initialized) innodb_initialized || { echo "healthcheck innodb_initialized failed" >&2; exit 1; } ;;
		--innodb_buffer_pool_loaded) innodb_buffer_pool_loaded || { echo "healthcheck innodb_buffer_pool_loaded failed" >&2; exit 1; } ;;
		*) echo "healthcheck.sh: unknown option or test: $arg" >&2; exit 1 ;;
	esac
done
exit 0
