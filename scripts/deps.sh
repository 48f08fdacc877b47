#!/usr/bin/env bash
# Install the Debian packages motcua needs to build, run, test and benchmark.
# Idempotent and quiet when nothing is missing. Debian packages only.
set -euo pipefail

PKGS=(
	# build
	gcc make pkg-config clang libclang-rt-14-dev
	libmicrohttpd-dev libjansson-dev libutf8proc-dev libsqlite3-dev libpq-dev
	libsodium-dev libcurl4-openssl-dev libcmocka-dev
	libzip-dev libexpat1-dev # xlsx import (catalogue)
	libcairo2-dev libpango1.0-dev libqrencode-dev fonts-liberation2 zlib1g-dev # PDF forms
	libxlsxwriter-dev # xlsx exports
	# test: a throwaway PostgreSQL 15 cluster, the API test runner, the CLI tools tests use
	postgresql-15 postgresql-client-15 python3 sqlite3 curl
	poppler-utils zbar-tools # PDF form tests
	chromium nodejs # browser tests (tests/browser: playwright-core drives this Chromium)
	# bench
	wrk
)

# Debian's npm 9 goes with Debian's nodejs 18; a nodejs that brings its own npm needs none
command -v npm >/dev/null 2>&1 || PKGS+=(npm)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}" >&2
SUDO=
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
