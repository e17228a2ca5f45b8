#!/usr/bin/env bash
# Installs the Debian packages Ferry's integration tests run for real. Needs root (or sudo).
# Idempotent: packages already present are not fetched again.
set -euo pipefail

packages=(
  postgresql
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo -n); else
  echo "error: the tests need these Debian packages: ${missing[*]}; run this script as root or install them." >&2
  exit 1
fi
echo "installing test prerequisites: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
