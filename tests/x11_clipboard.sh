#!/usr/bin/env bash
# The workbench reaches the X11 system clipboard: under Xvfb the sample study opens, a double-click selects a
# word of the transcript, Ctrl+C copies it, and `xclip -o` reads it back. Not part of CI (it needs an X server
# and takes a minute); run it by hand after touching the clipboard:
#   apt-get install -y xvfb xdotool xclip libgl1-mesa-dri && cargo build && bash tests/x11_clipboard.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${MARGINALIA_BIN:-target/debug/marginalia}
SCREEN=${X11_CLIPBOARD_DISPLAY:-:97}
for tool in Xvfb xdotool xclip; do
    command -v "$tool" >/dev/null || { echo "x11_clipboard: needs $tool" >&2; exit 2; }
done
[ -x "$BIN" ] || { echo "x11_clipboard: build first ($BIN is missing)" >&2; exit 2; }

tmp=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT

Xvfb "$SCREEN" -screen 0 1600x1000x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
pids+=($!)
export DISPLAY=$SCREEN HOME=$tmp/home XDG_DATA_HOME=$tmp/data XDG_CONFIG_HOME=$tmp/config
export LIBGL_ALWAYS_SOFTWARE=1 WAYLAND_DISPLAY=
mkdir -p "$HOME"
"$BIN" >"$tmp/app.log" 2>&1 &
pids+=($!)

win=
for _ in $(seq 120); do
    win=$(xdotool search --name 'Marginalia' 2>/dev/null | head -n 1 || true)
    [ -n "$win" ] && break
    sleep 1
done
[ -n "$win" ] || { echo "x11_clipboard: no window"; cat "$tmp/app.log"; exit 1; }
sleep 8 # the sample study is built and opened on the first run

eval "$(xdotool getwindowgeometry --shell "$win")"
# The middle of the window is the transcript: a double-click there selects a word.
x=$((X + WIDTH / 2))
y=$((Y + HEIGHT / 2))
xdotool mousemove "$x" "$y" click --repeat 2 --delay 90 1
sleep 1
xdotool key --window "$win" ctrl+c
sleep 1
word=$(xclip -o -selection clipboard 2>/dev/null || true)
if [ -z "$word" ] || [[ "$word" =~ [[:space:]] ]]; then
    echo "x11_clipboard: FAILED, the clipboard holds '$word' (expected one word of the transcript)"
    exit 1
fi
echo "x11_clipboard: ok, Ctrl+C put '$word' on the X11 clipboard"
