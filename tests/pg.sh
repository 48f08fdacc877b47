# shellcheck shell=bash
# shellcheck disable=SC2016 # sh -c '...' scripts expand $0 and $@ in the inner shell
#
# tests/pg.sh: a throwaway PostgreSQL 15 cluster for the tests. Source it, then:
#
#   dir=$(mktemp -d)                 # or let pg_start make one: pg_start ""
#   trap 'pg_stop "$dir"' EXIT
#   pg_start "$dir" || exit 1        # exports MOTCUA_PG_URL and MOTCUA_PG_DIR
#   pg_reset_db                      # an empty motcua_test database
#   ...
#   pg_stop "$dir"                   # stops the server and removes $dir; safe twice
#
# The cluster lives in DIR: DIR/data (PGDATA), the Unix socket DIR/.s.PGSQL.5432 (no TCP) and
# DIR/server.log. Authentication is trust for the role motcua, the only superuser.
#
# PostgreSQL refuses to run as root, so when the caller is root the server runs as the
# `postgres` system user that Debian's postgresql package creates (scripts/deps.sh installs
# it); DIR is then owned by that user and every directory above it must be searchable by it
# (mktemp -d under /tmp is). A non-root caller runs the server as itself.
#
# Quiet on success; on failure the functions print what went wrong and the server log to
# stderr and return non-zero. They never exit, so they work with and without `set -e`.

: "${MOTCUA_PG_BIN:=/usr/lib/postgresql/15/bin}"
MOTCUA_PG_PORT=5432
MOTCUA_PG_DB=motcua_test

_pg_err() {
	echo "pg.sh: $*" >&2
}

# _pg_as_owner CMD...: run CMD as the cluster's owner, from / so that the caller's working
# directory (perhaps under /root) does not matter.
_pg_as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		(cd / && runuser -u postgres -- "$@")
	else
		(cd / && "$@")
	fi
}

# _pg_urlencode STRING: percent-encode everything but unreserved characters and '/'.
_pg_urlencode() {
	local s=$1 out='' c i
	local LC_ALL=C
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		case $c in
		[A-Za-z0-9._~/-]) out+=$c ;;
		*) out+=$(printf '%%%02X' "'$c") ;;
		esac
	done
	printf '%s' "$out"
}

# _pg_dump_log DIR [FILE]: print the server log (or FILE) of the cluster in DIR to stderr.
_pg_dump_log() {
	local f=${2:-$1/server.log}
	if [ -s "$f" ]; then
		echo "----- $f -----" >&2
		tail -n 200 "$f" >&2
	fi
}

# pg_start DIR: create and start a cluster in DIR (created if missing, must be empty; an
# empty DIR argument makes one with mktemp), create the database motcua_test and export
# MOTCUA_PG_URL (a libpq URI over the socket) and MOTCUA_PG_DIR.
pg_start() {
	local dir=${1:-} bin=$MOTCUA_PG_BIN sock i locale_ok=0

	if [ ! -x "$bin/initdb" ]; then
		_pg_err "no PostgreSQL 15 server in $bin: run scripts/deps.sh (installs postgresql-15)"
		return 1
	fi
	if [ "$(id -u)" -eq 0 ] && ! id -u postgres >/dev/null 2>&1; then
		_pg_err "running as root needs the 'postgres' system user to own the server;" \
			"it is created by the postgresql-15 package: run scripts/deps.sh"
		return 1
	fi
	if [ -z "$dir" ]; then
		dir=$(mktemp -d "${TMPDIR:-/tmp}/motcua-pg.XXXXXX") || return 1
	fi
	mkdir -p "$dir" || return 1
	dir=$(cd "$dir" && pwd -P) || return 1
	if [ -n "$(ls -A "$dir")" ]; then
		_pg_err "$dir is not empty; refusing to put a cluster there"
		return 1
	fi
	# The socket path must fit in sun_path (107 bytes).
	sock="$dir/.s.PGSQL.$MOTCUA_PG_PORT"
	if [ ${#sock} -gt 100 ]; then
		_pg_err "$dir is too long a path for a Unix socket; use a shorter one (mktemp -d)"
		return 1
	fi
	: >"$dir/.motcua-pg" || return 1 # marks DIR as ours, for pg_stop's rm -rf
	chmod 755 "$dir" || return 1
	if [ "$(id -u)" -eq 0 ]; then
		chown -R postgres: "$dir" || return 1
		if ! _pg_as_owner test -w "$dir"; then
			_pg_err "user postgres cannot reach $dir: every directory above it must be" \
				"searchable by others (use mktemp -d under /tmp)"
			return 1
		fi
	fi

	# initdb writes its log into DIR, as the owner.
	if _pg_as_owner sh -c 'exec "$@" >"$0" 2>&1' "$dir/initdb.log" \
		"$bin/initdb" -D "$dir/data" -A trust -U motcua -E UTF8 --locale=C.UTF-8; then
		locale_ok=1
	else
		_pg_as_owner rm -rf "$dir/data"
		if ! _pg_as_owner sh -c 'exec "$@" >>"$0" 2>&1' "$dir/initdb.log" \
			"$bin/initdb" -D "$dir/data" -A trust -U motcua -E UTF8 --no-locale; then
			_pg_err "initdb failed in $dir/data"
			_pg_dump_log "$dir" "$dir/initdb.log"
			return 1
		fi
	fi
	[ "$locale_ok" -eq 1 ] || _pg_err "note: locale C.UTF-8 unavailable, cluster uses --no-locale"

	# Settings go into the configuration file rather than on pg_ctl's command line, which a
	# shell would re-split. fsync and synchronous_commit keep their (safe) defaults.
	if ! _pg_as_owner sh -c 'cat >>"$0"' "$dir/data/postgresql.conf" <<EOF
# motcua test cluster
listen_addresses = ''
port = $MOTCUA_PG_PORT
unix_socket_directories = '${dir//\'/\'\'}'
max_connections = 50
EOF
	then
		_pg_err "cannot write $dir/data/postgresql.conf"
		return 1
	fi

	if ! _pg_as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
		start >/dev/null 2>&1; then
		_pg_err "the server in $dir did not start"
		_pg_dump_log "$dir"
		return 1
	fi
	for ((i = 0; i < 300; i++)); do
		"$bin/pg_isready" -q -h "$dir" -p "$MOTCUA_PG_PORT" -t 1 && break
		sleep 0.1
	done
	if [ "$i" -ge 300 ]; then
		_pg_err "the server in $dir is not ready after 30 s"
		_pg_dump_log "$dir"
		return 1
	fi

	MOTCUA_PG_DIR=$dir
	MOTCUA_PG_URL="postgresql://motcua@/$MOTCUA_PG_DB?host=$(_pg_urlencode "$dir")&port=$MOTCUA_PG_PORT"
	export MOTCUA_PG_DIR MOTCUA_PG_URL
	if ! "$bin/createdb" -h "$dir" -p "$MOTCUA_PG_PORT" -U motcua "$MOTCUA_PG_DB" 2>"$dir/client.log"; then
		_pg_err "createdb $MOTCUA_PG_DB failed"
		cat "$dir/client.log" >&2
		_pg_dump_log "$dir"
		return 1
	fi
	return 0
}

# pg_stop DIR: stop the cluster in DIR (fast shutdown) and remove DIR. Safe to call twice,
# safe when pg_start never ran or failed half-way; a DIR that pg_start did not mark is left
# alone unless it is empty.
pg_stop() {
	local dir=${1:-${MOTCUA_PG_DIR:-}} bin=$MOTCUA_PG_BIN pid

	[ -n "$dir" ] && [ -d "$dir" ] || return 0
	if [ -f "$dir/data/postmaster.pid" ]; then
		if ! _pg_as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop \
			>/dev/null 2>&1; then
			_pg_as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 10 stop \
				>/dev/null 2>&1
			# Last resort: the postmaster's pid is the first line of postmaster.pid.
			if [ -f "$dir/data/postmaster.pid" ]; then
				pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null)
				case $pid in
				'' | *[!0-9]*) ;;
				*) kill -KILL "$pid" 2>/dev/null ;;
				esac
			fi
		fi
	fi
	if [ -e "$dir/.motcua-pg" ]; then
		rm -rf -- "$dir"
	else
		rmdir -- "$dir" 2>/dev/null
	fi
	if [ "${MOTCUA_PG_DIR:-}" = "$dir" ]; then
		unset MOTCUA_PG_DIR MOTCUA_PG_URL
	fi
	return 0
}

# pg_reset_db: drop and recreate motcua_test in the running cluster (ending any sessions
# still connected to it), so a test run starts from an empty database.
pg_reset_db() {
	local dir=${MOTCUA_PG_DIR:-} bin=$MOTCUA_PG_BIN

	if [ -z "$dir" ]; then
		_pg_err "pg_reset_db: no cluster (call pg_start first)"
		return 1
	fi
	if ! "$bin/dropdb" -h "$dir" -p "$MOTCUA_PG_PORT" -U motcua --if-exists --force \
		"$MOTCUA_PG_DB" 2>"$dir/client.log" ||
		! "$bin/createdb" -h "$dir" -p "$MOTCUA_PG_PORT" -U motcua "$MOTCUA_PG_DB" \
			2>>"$dir/client.log"; then
		_pg_err "could not recreate $MOTCUA_PG_DB"
		cat "$dir/client.log" >&2
		_pg_dump_log "$dir"
		return 1
	fi
	return 0
}
