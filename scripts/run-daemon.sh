#!/usr/bin/env bash
# Builds ferry.jar and starts ferryd on its embedded default store (H2 under ./data).
# Arguments after the script name go to `ferry daemon` (for example --config ferry.yaml).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/jdk.sh
./mvnw -B -q -DskipTests package
exec "$JAVA_HOME/bin/java" -jar daemon/target/ferry.jar daemon "$@"
