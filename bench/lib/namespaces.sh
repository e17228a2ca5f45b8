# Sourced by the benchmarks: checks for root, prepares the build and the test prerequisites once, then
# re-executes the calling script inside its own network and mount namespaces (so its sshd listens on
# loopback addresses nobody else sees, and mounts stay private). Inside, it brings loopback up and gives root a
# plain login shell: the CI image's ~/.bashrc runs `pyenv init` on every SSH session (~0.1 s of CPU and a
# lock), which a legacy host's root does not have and which would swamp what the benchmarks measure.
#
#   bench_namespaces "$0" "$@"     # before anything else the script does
#   extra prerequisites: set BENCH_PREPARE to a command to run once, outside the namespaces
bench_namespaces() {
  local script=$1
  shift
  local repo
  repo=$(cd "$(dirname "$script")/../.." && pwd)
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: run as root (sudo $script $*): the benchmark needs its own namespaces" >&2
    exit 1
  fi
  if [ "${FERRY_BENCH_NETNS:-}" != 1 ]; then
    . "$repo/scripts/lib/jdk.sh"
    "$repo/scripts/install-test-deps.sh"
    if [ -n "${BENCH_PREPARE:-}" ]; then eval "$BENCH_PREPARE"; fi
    (cd "$repo" && ./mvnw -B -q -ntp -DskipTests package)
    exec env FERRY_BENCH_NETNS=1 JAVA_HOME="$JAVA_HOME" unshare --net --mount -- "$script" "$@"
  fi
  ip link set lo up
  if [ -f /root/.bashrc ] && grep -q pyenv /root/.bashrc; then
    local plain
    plain=$(mktemp /tmp/ferry-bench-bashrc.XXXXXX)
    mount --bind "$plain" /root/.bashrc
    rm -f "$plain"
  fi
}
