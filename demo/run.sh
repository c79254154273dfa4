#!/bin/sh
# `make run`: foibot's daemon and its web page on the demo config (config.toml).
# The web page needs a password; for the demo one is made up on first run and kept in
# state/web-password.txt, its hash in state/web-password.hash (which config.toml names
# as [web] password_hash_file). Ctrl-C stops both.
set -eu
BIN=${BIN:-.venv/bin}
CONFIG=${CONFIG:-config.toml}
"$BIN/foibot" --config "$CONFIG" init
if [ "$CONFIG" = config.toml ] && [ ! -s state/web-password.hash ]; then
  umask 077
  "$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(12))' > state/web-password.txt
  "$BIN/foibot" web hash-password --stdin < state/web-password.txt > state/web-password.hash
fi
"$BIN/foibot" --config "$CONFIG" web &
web=$!
trap 'kill "$web" 2>/dev/null || true; wait "$web" 2>/dev/null || true' EXIT INT TERM
if [ "$CONFIG" = config.toml ]; then
  echo "web page: http://127.0.0.1:8080/  password: $(cat state/web-password.txt)"
fi
"$BIN/foibot" --config "$CONFIG" run
