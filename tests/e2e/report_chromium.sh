#!/bin/bash
# report_chromium.sh — `backbench report` end to end: a realistic synthetic
# store (6 models, one imported, 4 projects, phases db and api, 3 trials) made
# by the report's unit-test program, the report written from it, then the
# page opened in headless Chromium: it must load without console errors,
# render its content, show a hostile model name as text, and be saved as a
# screenshot to build/report-screenshot.png. Prints TAP lines.
#
# Uses `$BB_BIN report` when the subcommand is registered, else the test
# program's BB_REPORT_CLI mode (the same entry point, cli_report_main).
# Chromium is required: when it is missing this test fails (CI installs it).
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
BUILD=${BB_BUILD:-$ROOT/build/asan}
BIN=${BB_BIN:-$BUILD/backbench}
PROG=$BUILD/tests/test_report
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
TMP=$(mktemp -d /tmp/bb-e2e-report-XXXXXX)
trap 'rm -rf "$TMP"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "#   $l"; done; }

report() { # store out
  if [ -x "$BIN" ] && "$BIN" report --help >/dev/null 2>&1; then
    "$BIN" report --store "$1" --out "$2"
  else
    BB_REPORT_CLI=1 "$PROG" report --store "$1" --out "$2"
  fi
}

chrome() { # args... (headless, isolated profile, no network services)
  local prof
  prof=$(mktemp -d "$TMP/profile-XXXXXX")
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --disable-extensions \
    --user-data-dir="$prof" --enable-logging=stderr --v=0 "$@"
}

if BB_REPORT_DEMO_STORE="$TMP/demo.db" "$PROG" >"$TMP/gen.log" 2>&1 && [ -s "$TMP/demo.db" ]; then
  ok "demo store written"
else
  notok "demo store written" "$(tail -5 "$TMP/gen.log")"
fi

if report "$TMP/demo.db" "$TMP/out" >"$TMP/report.log" 2>&1 && [ -s "$TMP/out/index.html" ] &&
   [ -s "$TMP/out/summary.json" ] && [ -s "$TMP/out/leaderboard.md" ] && [ -s "$TMP/out/leaderboard.csv" ]; then
  ok "report writes index.html, summary.json, leaderboard.md, leaderboard.csv"
else
  notok "report writes its four files" "$(tail -5 "$TMP/report.log")"
fi

if report "$TMP/demo.db" "$TMP/out2" >/dev/null 2>&1 && diff -r "$TMP/out" "$TMP/out2" >/dev/null; then
  ok "same store, byte-identical report"
else
  notok "same store, byte-identical report"
fi

ext=$(grep -oE '<(script|link|img|iframe|object)[ >]|(src|href)="[a-z]+:|url\(|@import' "$TMP/out/index.html" | head -3)
if [ -z "$ext" ]; then
  ok "index.html is self-contained (no script, no external reference)"
else
  notok "index.html is self-contained" "$ext"
fi

if [ -z "$CHROMIUM" ] || [ ! -x "$CHROMIUM" ]; then
  notok "chromium is installed" "install the Debian package chromium"
  exit 1
fi

chrome --dump-dom "file://$TMP/out/index.html" >"$TMP/dom.html" 2>"$TMP/chrome.log"
rc=$?
console=$(grep -iE 'CONSOLE|Uncaught|ERROR:.*(Refused|Failed to load)' "$TMP/chrome.log" | head -5)
if [ "$rc" -eq 0 ] && [ -z "$console" ] && grep -q 'Leaderboard' "$TMP/dom.html" &&
   grep -q 'qwen3.5-27b' "$TMP/dom.html" && grep -q '<svg' "$TMP/dom.html" && grep -q 'imported' "$TMP/dom.html"; then
  ok "chromium loads index.html without console errors and renders the leaderboard"
else
  notok "chromium loads index.html" "exit $rc" "$console" "$(grep -c . "$TMP/dom.html") DOM lines"
fi

mkdir -p "$ROOT/build"
rm -f "$ROOT/build/report-screenshot.png"
chrome --screenshot="$ROOT/build/report-screenshot.png" --window-size=1400,2400 --hide-scrollbars \
  "file://$TMP/out/index.html" >"$TMP/shot.log" 2>&1
if [ -s "$ROOT/build/report-screenshot.png" ]; then
  ok "screenshot saved to build/report-screenshot.png"
else
  notok "screenshot saved" "$(tail -3 "$TMP/shot.log")"
fi

# a model named <script>alert(1)</script> is shown as text, never run
if BB_REPORT_DEMO_STORE="$TMP/hostile.db" BB_REPORT_DEMO_HOSTILE=1 "$PROG" >/dev/null 2>&1 &&
   report "$TMP/hostile.db" "$TMP/hostile" >/dev/null 2>&1 &&
   chrome --dump-dom "file://$TMP/hostile/index.html" >"$TMP/hdom.html" 2>"$TMP/hchrome.log" &&
   ! grep -qi '<script' "$TMP/hdom.html" && grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$TMP/hdom.html"; then
  ok "a hostile model name is escaped: no script element in the DOM"
else
  notok "a hostile model name is escaped" "$(grep -io '<script[^>]*>' "$TMP/hdom.html" | head -2)"
fi
