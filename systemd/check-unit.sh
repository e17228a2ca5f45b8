#!/usr/bin/env bash
# Checks ferryd.service offline: `systemd-analyze verify` finds no errors, and `systemd-analyze security`
# rates its exposure 4.0 or lower ("OK" or better). Works on a temporary root holding the unit and the
# files it names, so nothing is installed on this machine. Prints the exposure; exits non-zero on failure.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
max=${FERRY_MAX_EXPOSURE:-4.0}
command -v systemd-analyze >/dev/null || {
  echo "error: systemd-analyze is missing (Debian package systemd); run scripts/install-test-deps.sh" >&2; exit 1; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
install -D -m 0755 "$here/ferryd" "$root/opt/ferry/bin/ferryd"
install -D -m 0644 "$here/ferryd.service" "$root/etc/systemd/system/ferryd.service"
mkdir -p "$root/var/lib/ferry" "$root/etc/ferry" "$root/usr/lib/systemd"
# The stock units (sysinit.target, network-online.target, ...) the unit is ordered against.
cp -a /usr/lib/systemd/system "$root/usr/lib/systemd/"

verify=$(systemd-analyze verify --root="$root" --man=no /etc/systemd/system/ferryd.service 2>&1 || true)
# Complaints about the host's own units (this machine may not boot with systemd) are not ours.
ours=$(printf '%s\n' "$verify" | grep -i 'ferryd' || true)
if [ -n "$ours" ]; then
  echo "systemd-analyze verify found problems in ferryd.service:" >&2
  printf '%s\n' "$ours" >&2
  exit 1
fi

report=$(systemd-analyze security --offline=yes --root="$root" --no-pager /etc/systemd/system/ferryd.service 2>&1) || {
  printf '%s\n' "$report" >&2; exit 1; }
line=$(printf '%s\n' "$report" | grep -E 'Overall exposure level' | tail -n 1)
exposure=$(printf '%s\n' "$line" | grep -oE '[0-9]+\.[0-9]+' | head -n 1)
[ -n "$exposure" ] || { echo "error: no exposure level in the output:" >&2; printf '%s\n' "$report" >&2; exit 1; }
echo "ferryd.service exposure: $exposure (${line##*: }); allowed: $max"
awk -v e="$exposure" -v m="$max" 'BEGIN { exit !(e <= m) }' || {
  printf '%s\n' "$report" | grep -E '✗' | sed -n '1,40p' >&2
  echo "error: exposure $exposure is above $max" >&2
  exit 1
}
