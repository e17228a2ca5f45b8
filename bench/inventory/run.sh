#!/usr/bin/env bash
# Inventory fan-out: N legacy hosts on distinct loopback addresses (one sshd serves them all), inventoried
# by Ferry (`ferry inventory --parallel 50`), by OpenSSH's client fanned out with `xargs -P 50`, and by
# Ansible ad-hoc (`ansible -m shell`, 50 forks). The three gather the same commands (commands.sh mirrors
# Ferry's InventoryCommands) on this machine's own nginx, PHP and MariaDB installation.
#
#   sudo bench/inventory/run.sh [N]      # N defaults to 200
#
# FERRY_BENCH_KEEP=1 keeps the work directory (outputs of all three) for a look afterwards.
# Needs root: it runs in its own network namespace (so sshd can listen on every loopback address without
# being reachable from outside) and runs the inventory's privileged commands as root. It installs Ansible
# from Debian if it is missing. Target (issue 3): for N=200, Ferry no slower than the OpenSSH fan-out and at
# least 5x faster than Ansible.
set -euo pipefail
N=${1:-200}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

BENCH_PREPARE='command -v ansible >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ansible >/dev/null'
. "$here/../lib/namespaces.sh"
bench_namespaces "$0" "$N"

work=$(mktemp -d /tmp/ferry-bench-inventory.XXXXXX)
trap 'kill $(cat "$work/sshd.pid" 2>/dev/null) 2>/dev/null || true; [ -n "${FERRY_BENCH_KEEP:-}" ] || rm -rf "$work"' EXIT
port=2299
ssh-keygen -q -t ed25519 -N '' -f "$work/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$work/client_key"
cp "$work/client_key.pub" "$work/authorized_keys"
chmod 0600 "$work/authorized_keys"
# MaxStartups: 50 clients handshake at once; sshd's default (10:30:100) would drop most of them.
cat > "$work/sshd_config" <<CONF
Port $port
ListenAddress 0.0.0.0
HostKey $work/host_key
PidFile $work/sshd.pid
AuthorizedKeysFile $work/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
StrictModes no
KbdInteractiveAuthentication no
UsePAM no
MaxStartups 400:30:800
MaxSessions 100
Subsystem sftp /usr/lib/openssh/sftp-server
LogLevel ERROR
CONF
mkdir -p /run/sshd
/usr/sbin/sshd -f "$work/sshd_config" -E "$work/sshd.log"

hosts=()
: > "$work/known_hosts"
printf '[all]\n' > "$work/ansible-hosts"
hostkey=$(cut -d' ' -f1,2 "$work/host_key.pub")
for i in $(seq 1 "$N"); do
  addr="127.0.$(( (i - 1) / 250 + 1 )).$(( (i - 1) % 250 + 1 ))"
  hosts+=("$addr")
  echo "[$addr]:$port $hostkey" >> "$work/known_hosts"
  echo "h$i ansible_host=$addr" >> "$work/ansible-hosts"
done
for _ in $(seq 50); do [ -s "$work/sshd.pid" ] && break; sleep 0.1; done

ssh_opts=(-p "$port" -i "$work/client_key" -o BatchMode=yes -o StrictHostKeyChecking=yes
          -o UserKnownHostsFile="$work/known_hosts" -o ConnectTimeout=15)
cat > "$work/ssh-one" <<SH
#!/bin/sh
exec ssh ${ssh_opts[*]} root@"\$1" sh -s < "$here/commands.sh" > "$work/ssh-\$1.out" 2>/dev/null
SH
chmod +x "$work/ssh-one"
now() { date +%s.%N; }
# CPU seconds the whole machine spent (all "hosts" and the client share it), from /proc/stat.
busy() { awk '/^cpu / { printf "%.2f", ($2 + $3 + $4 + $7 + $8) / 100 }' /proc/stat; }
elapsed() { echo "$2 - $1" | bc -l; }

echo "inventory of $N hosts (one sshd on $N loopback addresses), 50 at once"

c0=$(busy)
t0=$(now)
/usr/bin/time -o "$work/ferry.cpu" -f "%U %S" "$JAVA_HOME/bin/java" -jar "$repo/daemon/target/ferry.jar" inventory --parallel 50 -i "$work/client_key" \
  --known-hosts "$work/known_hosts" $(printf "root@%s:$port " "${hosts[@]}") > "$work/ferry.out" 2> "$work/ferry.err" \
  || true
t1=$(now)
ferry_s=$(elapsed "$t0" "$t1")
ferry_cpu=$(elapsed "$c0" "$(busy)")
ferry_docs=$(wc -l < "$work/ferry.out")

c0=$(busy)
t0=$(now)
printf '%s\n' "${hosts[@]}" | xargs -P 50 -n 1 "$work/ssh-one"
t1=$(now)
ssh_s=$(elapsed "$t0" "$t1")
ssh_cpu=$(elapsed "$c0" "$(busy)")
ssh_docs=$(find "$work" -name 'ssh-*.out' -size +1k | wc -l)

cat > "$work/ansible.cfg" <<CFG
[defaults]
inventory = $work/ansible-hosts
host_key_checking = True
forks = 50
remote_user = root
private_key_file = $work/client_key
interpreter_python = /usr/bin/python3
[ssh_connection]
ssh_args = -o UserKnownHostsFile=$work/known_hosts -o ControlMaster=no
CFG
c0=$(busy)
t0=$(now)
# Every "host" is this machine, so the script is where each of them can run it; ansible's argument splitting
# would not take its quotes inline.
cp "$here/commands.sh" "$work/commands.sh"
ANSIBLE_CONFIG="$work/ansible.cfg" ANSIBLE_REMOTE_PORT=$port ansible all -m shell \
  -a "sh $work/commands.sh" -o > "$work/ansible.out" 2>&1 || true
t1=$(now)
ansible_s=$(elapsed "$t0" "$t1")
ansible_cpu=$(elapsed "$c0" "$(busy)")
ansible_ok=$(grep -c 'CHANGED\|SUCCESS' "$work/ansible.out" || true)

printf '%-28s %8s %12s %10s\n' tool seconds "CPU seconds" "hosts done"
printf '%-28s %8.2f %12.2f %10s\n' "ferry inventory" "$ferry_s" "$ferry_cpu" "$ferry_docs/$N"
printf '%-28s %8.2f %12.2f %10s\n' "openssh, xargs -P 50" "$ssh_s" "$ssh_cpu" "$ssh_docs/$N"
printf '%-28s %8.2f %12.2f %10s\n' "ansible -m shell, 50 forks" "$ansible_s" "$ansible_cpu" "$ansible_ok/$N"
printf 'ferry client CPU: %s s user, %s s system\n' $(cat "$work/ferry.cpu")
printf 'ferry / openssh: %.2f (target <= 1.00)\n' "$(echo "$ferry_s / $ssh_s" | bc -l)"
printf 'ansible / ferry: %.2f (target >= 5.00)\n' "$(echo "$ansible_s / $ferry_s" | bc -l)"
if [ "$ferry_docs" -ne "$N" ]; then
  echo "ferry inventoried only $ferry_docs of $N hosts; first errors:" >&2
  head -5 "$work/ferry.err" >&2
  exit 1
fi
