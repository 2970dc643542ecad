#!/bin/sh
# oracles.sh — installs the npm packages that tests and benchmarks compare
# backbench against (ajv 8 and friends), into tests/oracles/node_modules.
# The product never uses them. Does nothing when they are already installed
# at the locked versions.
set -eu
cd "$(dirname "$0")/../tests/oracles"
if [ -f node_modules/.package-lock.json ] && cmp -s package-lock.json node_modules/.bb-lock 2>/dev/null; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "oracles: npm missing; run BB_SETUP_EXTRA=1 scripts/setup.sh" >&2
  exit 1
fi
echo "oracles: npm ci in tests/oracles"
npm ci --no-audit --no-fund --loglevel=error
cp package-lock.json node_modules/.bb-lock
