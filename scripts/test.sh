#!/usr/bin/env bash
# Runs Ferry's whole test suite: unit tests (*Test) and integration tests (*IT) against real
# sshd, nginx, php-fpm, MariaDB and PostgreSQL, which scripts/install-test-deps.sh installs.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/jdk.sh
scripts/install-test-deps.sh
exec ./mvnw -B -ntp verify "$@"
