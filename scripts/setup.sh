#!/bin/sh
# setup.sh — installs the Debian packages backbench needs, only those missing.
# Used by `make setup`, by both README commands and by .ci/run, so a fresh
# Debian 12 machine needs nothing else. Safe to run again: it does nothing
# when everything is present. Set BB_SETUP_EXTRA=1 to add the test oracles
# (PostgreSQL server, Chromium, Node.js packages for ajv and friends).
set -eu
PKGS="build-essential pkg-config libcurl4-openssl-dev libjansson-dev libsqlite3-dev libpcre2-dev
libmicrohttpd-dev libcmocka-dev clang libclang-rt-14-dev json-schema-test-suite curl"
if [ "${BB_SETUP_EXTRA:-0}" = 1 ]; then
  PKGS="$PKGS postgresql chromium sqlite3 jq"
  # Node.js may come from elsewhere (e.g. NodeSource, whose nodejs bundles npm
  # and conflicts with Debian's npm): only ask Debian when npm is absent.
  command -v npm >/dev/null 2>&1 || PKGS="$PKGS nodejs npm"
fi
missing=""
for p in $PKGS; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "setup: installing:$missing"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
else
  echo "setup: all Debian packages present"
fi
