#!/usr/bin/env bash
# Copy throughput: Ferry's copy command (the script of the copy Job, as `ferry render` writes it to
# copy/copy.sh) against a plain `rsync -a` over OpenSSH between the same endpoints, for a tree of FILES files
# and SIZE_MB megabytes; then the delta copy after 1% of the files changed, against the full copy.
#
#   sudo bench/copy/run.sh [FILES] [SIZE_MB]     # defaults: 20000 files, 2048 MB
#
# Needs root: it runs in its own network and mount namespaces; the generated tree is mounted over
# /var/www/html (the root of this machine's default nginx site) so that the real inventory and plan of this
# machine copy it. The copy runs with VERIFY=0: the Job's checksum dry run afterwards reads everything again and
# is no part of the transfer being compared. Targets (issue 5): throughput at least 95% of plain rsync; the delta copy at most 5% of the
# full copy's time.
set -euo pipefail
FILES=${1:-20000}
SIZE_MB=${2:-2048}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

. "$here/../lib/namespaces.sh"
bench_namespaces "$0" "$FILES" "$SIZE_MB"

work=$(mktemp -d /var/tmp/ferry-bench-copy.XXXXXX)
trap 'kill $(cat "$work/sshd.pid" 2>/dev/null) 2>/dev/null || true; [ -n "${FERRY_BENCH_KEEP:-}" ] || rm -rf "$work"' EXIT

echo "generating $FILES files, $SIZE_MB MB in all"
mkdir -p "$work/src"
per_file=$(( SIZE_MB * 1024 * 1024 / FILES ))
python3 - "$work/src" "$FILES" "$per_file" <<'PY'
import os, sys
root, files, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
block = os.urandom(1 << 20)
for i in range(files):
    d = os.path.join(root, "d%03d" % (i % 200))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%05d.bin" % i), "wb") as f:
        off = (i * 7919) % (len(block) - 1)
        left = size
        while left > 0:
            chunk = block[off:off + left] or block[:left]
            f.write(chunk)
            left -= len(chunk)
PY
mount --bind "$work/src" /var/www/html

port=2298
ssh-keygen -q -t ed25519 -N '' -f "$work/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$work/client_key"
cp "$work/client_key.pub" "$work/authorized_keys"
cat > "$work/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $work/host_key
PidFile $work/sshd.pid
AuthorizedKeysFile $work/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
LogLevel ERROR
CONF
mkdir -p /run/sshd
/usr/sbin/sshd -f "$work/sshd_config" -E "$work/sshd.log"
for _ in $(seq 50); do [ -s "$work/sshd.pid" ] && break; sleep 0.1; done
mkdir -p "$work/ssh"
cp "$work/client_key" "$work/ssh/id"
echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$work/host_key.pub")" > "$work/ssh/known_hosts"

ferry() { "$JAVA_HOME/bin/java" -jar "$repo/daemon/target/ferry.jar" "$@"; }
ferry inventory -i "$work/client_key" --known-hosts "$work/ssh/known_hosts" "root@127.0.0.1:$port" > "$work/inventory.json"
ferry render "$work/inventory.json" --out "$work/plan" --copy-port "$port" > /dev/null 2>&1 || true
test -s "$work/plan/copy/copy.sh" || { echo "ferry render wrote no copy script" >&2; exit 1; }

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc -l; }
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true

t0=$(now)
rsync -a -e "ssh -i $work/client_key -p $port -o UserKnownHostsFile=$work/ssh/known_hosts" \
  root@127.0.0.1:/var/www/html/ "$work/plain/"
t1=$(now)
plain_s=$(elapsed "$t0" "$t1")
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true

mkdir -p "$work/web"
t0=$(now)
WEB="$work/web" SSH_DIR="$work/ssh" VERIFY=0 TERMINATION_LOG="$work/full.result" sh "$work/plan/copy/copy.sh" > "$work/full.log"
t1=$(now)
full_s=$(elapsed "$t0" "$t1")
copied=$(du -sb "$work/web" | cut -f1)

# 1% of the files change: each gets new bytes at its start.
changed=$(( FILES / 100 ))
find "$work/src" -type f | sort | awk -v n="$changed" 'NR <= n' | while read -r f; do
  head -c 4096 /dev/urandom | dd of="$f" conv=notrunc status=none
done
t0=$(now)
WEB="$work/web" SSH_DIR="$work/ssh" VERIFY=0 TERMINATION_LOG="$work/delta.result" sh "$work/plan/copy/copy.sh" > "$work/delta.log"
t1=$(now)
delta_s=$(elapsed "$t0" "$t1")
delta_files=$(awk -F': ' '/Number of regular files transferred/ { s += $2 } END { print s }' "$work/delta.log")

mb=$(echo "$copied / 1048576" | bc -l)
printf '%-36s %9s %10s\n' run seconds "MB/s"
printf '%-36s %9.2f %10.1f\n' "plain rsync -a over OpenSSH" "$plain_s" "$(echo "$mb / $plain_s" | bc -l)"
printf '%-36s %9.2f %10.1f\n' "ferry copy (full)" "$full_s" "$(echo "$mb / $full_s" | bc -l)"
printf '%-36s %9.2f %10s\n' "ferry copy (delta, $delta_files files)" "$delta_s" "-"
printf 'throughput ferry / plain: %.1f%% (target >= 95%%)\n' "$(echo "100 * $plain_s / $full_s" | bc -l)"
printf 'delta / full: %.1f%% (target <= 5%%)\n' "$(echo "100 * $delta_s / $full_s" | bc -l)"
