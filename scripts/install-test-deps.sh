#!/usr/bin/env bash
# Installs the Debian packages Ferry's integration tests run for real: the legacy LNMP host fixture
# (sshd, nginx with dynamic modules, php-fpm, MariaDB, run in namespaces with util-linux) and
# PostgreSQL. Needs root (or passwordless sudo).
# Idempotent and fast when everything is present: then it only queries dpkg.
# Packages must not leave services running on the machine: the tests start their own daemons on
# loopback addresses, so a temporary policy-rc.d forbids starting services during the install, and
# anything that started anyway is stopped.
set -euo pipefail

packages=(
  openssh-server openssh-client
  nginx libnginx-mod-http-brotli-filter libnginx-mod-http-ndk libnginx-mod-http-lua
  libnginx-mod-http-headers-more-filter
  php-fpm php-cli php-mysql php-gd php-xml php-mbstring php-curl php-intl php-zip
  mariadb-server mariadb-client
  postgresql
  rsync sudo openssl procps iproute2 util-linux curl
  systemd
)

# One dpkg query for all of them (it lists the known ones; unknown names go to stderr).
installed=" $(dpkg-query -W -f='${Package} ${Status}\n' "${packages[@]}" 2>/dev/null \
  | awk '/ install ok installed$/ { printf "%s ", $1 }') " || true
missing=()
for p in "${packages[@]}"; do
  [[ $installed == *" $p "* ]] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "error: the tests need these Debian packages: ${missing[*]}" >&2
  echo "  run this script as root (or as a user with passwordless sudo), or install them with apt-get." >&2
  exit 1
fi

policy=/usr/sbin/policy-rc.d
own_policy=false
restore_policy() {
  if $own_policy; then "${sudo[@]}" rm -f "$policy"; fi
}
trap restore_policy EXIT
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\n# Written by Ferry'"'"'s install-test-deps.sh while it installs packages.\nexit 101\n' \
    | "${sudo[@]}" tee "$policy" >/dev/null
  "${sudo[@]}" chmod 755 "$policy"
  own_policy=true
fi

# Daemons started by packages write their Debian pid files; the test fixtures never do (they run in
# namespaces with a /run of their own), and a service that ran before this script is left alone.
shopt -s nullglob
pid_files() { echo /run/sshd.pid /run/nginx.pid /run/php/php8.2-fpm.pid /run/mysqld/mysqld.pid /run/postgresql/*.pid; }
running_pid() {
  local pid
  [ -r "$1" ] && pid=$(head -n1 "$1" 2>/dev/null) && [[ $pid =~ ^[0-9]+$ ]] && [ -d "/proc/$pid" ] && echo "$pid"
}
declare -A before=()
for f in $(pid_files); do before[$f]=$(running_pid "$f" || true); done

echo "installing test prerequisites: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

# Some maintainer scripts start daemons without asking invoke-rc.d; stop what the install started.
for f in $(pid_files); do
  pid=$(running_pid "$f" || true)
  [ -n "$pid" ] && [ "$pid" != "${before[$f]:-}" ] || continue
  echo "stopping the daemon its package started (pid $pid from $f)"
  "${sudo[@]}" kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do [ -d "/proc/$pid" ] || continue 2; sleep 0.1; done
  "${sudo[@]}" kill -9 "$pid" 2>/dev/null || true
done
