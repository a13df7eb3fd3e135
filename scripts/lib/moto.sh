# shellcheck shell=bash
# Sourced, not run, by the scripts that need a local AWS-compatible server (scripts/demo,
# scripts/bench) from the repository root: the pinned moto server of scripts/setup-moto, on a
# free loopback port, stopped when the sourcing script exits.
#
#   . scripts/lib/moto.sh
#   moto_start    starts the server, waits until it answers, sets MOTO_URL (http://127.0.0.1:PORT);
#                 the server's own settings go before the call, as for any command:
#                 `MOTO_IAM_LOAD_MANAGED_POLICIES=true moto_start`
#
# Sets VENV to the venv's absolute path (DRIFTWATCH_VENV, else .venv), for the scripts' python.

VENV=${DRIFTWATCH_VENV:-.venv}
case $VENV in /*) ;; *) VENV="$PWD/$VENV" ;; esac

moto_start() {
  local port
  port=$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$VENV/bin/moto_server" -H 127.0.0.1 -p "$port" >/dev/null 2>&1 &
  MOTO_PID=$!
  trap 'kill "$MOTO_PID" 2>/dev/null; wait "$MOTO_PID" 2>/dev/null' EXIT
  MOTO_URL="http://127.0.0.1:$port"
  # Ready when its own API answers; it takes about half a second.
  for _ in $(seq 1 100); do
    "$VENV/bin/python" -c "import urllib.request; urllib.request.urlopen('$MOTO_URL/moto-api/')" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "error: the moto server did not answer on $MOTO_URL within 10 s" >&2
  return 1
}
