#!/usr/bin/env bash
# The workbench reaches the X11 system clipboard. Under Xvfb, on a fresh sample study in a 1600×1000 window:
#   1. a double-click selects a word of the transcript and Ctrl+C copies it;
#   2. Codes ▸ "Municipal leadership anchoring", Excerpts ▸ Copy quote copies the passage with its citation;
#   3. Analysis ▸ Code × case matrix ▸ Copy table copies the matrix as tab-separated rows;
# and after each step `xclip -o -selection clipboard` must read the text back.
#
# Not part of CI: it needs an X server, takes about a minute and clicks at positions of the default layout
# (the app is resized to 1600×1000; after a change to the panels or menus, check the positions below with the
# screenshot it leaves on failure). Run it by hand after touching the clipboard or that layout:
#   apt-get install -y xvfb xdotool xclip x11-utils imagemagick libgl1-mesa-dri
#   cargo build && bash tests/x11_clipboard.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${MARGINALIA_BIN:-target/debug/marginalia}
SCREEN=${X11_CLIPBOARD_DISPLAY:-:131}
for tool in Xvfb xdotool xclip xdpyinfo; do
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
export DISPLAY=$SCREEN
# The app must not start before the X server accepts connections.
for _ in $(seq 100); do
    xdpyinfo >/dev/null 2>&1 && break
    sleep 0.1
done
xdpyinfo >/dev/null 2>&1 || { echo "x11_clipboard: Xvfb did not start on $SCREEN"; cat "$tmp/xvfb.log"; exit 1; }
export HOME=$tmp/home XDG_DATA_HOME=$tmp/data XDG_CONFIG_HOME=$tmp/config
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
# No window manager runs under Xvfb: size the window and give it the keyboard focus ourselves (keys sent with
# XTEST go to the focused window; events sent to a window directly are ignored by winit).
xdotool windowmove --sync "$win" 0 0 windowsize --sync "$win" 1600 1000 windowfocus --sync "$win"
sleep 2

fail() {
    local shot=${TMPDIR:-/tmp}/x11_clipboard_failed.png
    command -v import >/dev/null && import -window root "$shot" && echo "x11_clipboard: screen saved to $shot"
    echo "x11_clipboard: FAILED, $1"
    exit 1
}
clipboard() { xclip -o -selection clipboard 2>/dev/null || true; }
click() { xdotool mousemove "$1" "$2" click 1; sleep "${3:-1}"; }

# 1. Ctrl+C of a selection in the transcript: a word of the first answer.
xdotool mousemove 830 295 click --repeat 2 --delay 90 1
sleep 1
xdotool key ctrl+c
sleep 1
word=$(clipboard)
if [ -z "$word" ] || [[ "$word" =~ [[:space:]] ]]; then
    fail "Ctrl+C: the clipboard holds '$word' (expected one word of the transcript)"
fi
echo "x11_clipboard: ok, Ctrl+C put '$word' on the X11 clipboard"

# 2. Copy quote: select a code, open Excerpts, copy the first quote.
click 150 492  # Codes ▸ Municipal leadership anchoring
click 1314 44  # the Excerpts tab
click 1253 331 # the first excerpt's Copy quote
quote=$(clipboard)
if [[ "$quote" != “*”\ \(*\) ]]; then
    fail "Copy quote: the clipboard holds '$quote' (expected “passage” (citation))"
fi
echo "x11_clipboard: ok, Copy quote put '$quote' on the X11 clipboard"

# 3. Copy table: Analysis ▸ Code × case matrix ▸ Copy table.
click 268 13   # the Analysis menu
click 310 42 3 # Code × case matrix
click 338 166  # Copy table
table=$(clipboard)
header=$(printf '%s\n' "$table" | head -n 1)
rows=$(printf '%s\n' "$table" | grep -c $'\t' || true)
if [[ "$header" != Code$'\t'* ]] || [ "$rows" -lt 10 ] || ! grep -q $'^Leadership/Municipal leadership anchoring\t' <<<"$table"; then
    fail "Copy table: the clipboard holds '${table:0:200}' (expected tab-separated matrix rows)"
fi
echo "x11_clipboard: ok, Copy table put $rows tab-separated rows on the X11 clipboard"
