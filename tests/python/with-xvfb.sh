#!/usr/bin/env bash
# Runs a command under a private Xvfb. The server chooses a free display itself and writes its number once it
# accepts connections (-displayfd): no race on lock files with another server or a stale /tmp/.X99-lock, and no
# cookie to hand over. -noreset: by default the server resets when its last client disconnects, and pvpython
# connects once, disconnects and connects again; in that gap XOpenDisplay failed ("bad X server connection",
# SIGABRT) in about one run of three here, with xvfb-run as well. With it: 16 of 16.
set -u
dir=$(mktemp -d "${TMPDIR:-/tmp}/pbte-xvfb-XXXXXX")
Xvfb -displayfd 3 -screen 0 1280x1024x24 -nolisten tcp -noreset -ac 3>"$dir/display" 2>"$dir/log" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 300); do
    [ -s "$dir/display" ] && grep -q . "$dir/display" && break
    kill -0 "$server" 2>/dev/null || { echo "with-xvfb: Xvfb exited: $(cat "$dir/log")" >&2; exit 125; }
    sleep 0.1
done
[ -s "$dir/display" ] || { echo "with-xvfb: Xvfb did not start within 30 s: $(cat "$dir/log")" >&2; exit 125; }
DISPLAY=":$(tr -d '[:space:]' <"$dir/display")" "$@"
