#!/bin/bash
# demo.sh — the main job (make demo): the whole benchmark against the built-in
# simulator, then the report. A thin wrapper; everything happens in
# `backbench demo` (docs/running.md). Set BB_DEMO_OUT to write elsewhere.
set -eu
cd "$(dirname "$0")/.."
out=${BB_DEMO_OUT:-report}
./backbench demo --out "$out" "$@"
