# Sourced by Ferry's scripts: exports JAVA_HOME pointing at a JDK 21 or newer, or exits with a message.
# Looks at JAVA_HOME first, then the usual install locations, then the java on PATH.

ferry_java_major() {
  # Prints the feature version of the JDK at $1 (e.g. 21), or nothing when it is not a JDK.
  local home=$1 line
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
  line=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | grep -m1 'java.specification.version')
  line=${line##*= }
  line=${line#1.}
  printf '%s' "${line%%.*}"
}

ferry_find_jdk() {
  local candidates=() c major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for c in /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/jdk* "$HOME"/.sdkman/candidates/java/*; do
    [ -d "$c" ] && candidates+=("$c")
  done
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for c in "${candidates[@]}"; do
    major=$(ferry_java_major "$c")
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then
      printf '%s' "$c"
      return 0
    fi
  done
  return 1
}

if ! FERRY_JDK=$(ferry_find_jdk); then
  {
    echo "error: Ferry needs a JDK 21 or newer, and none was found."
    echo "  looked at: \$JAVA_HOME (${JAVA_HOME:-unset}), /usr/lib/jvm/*, /opt/java/*, /opt/jdk*, ~/.sdkman, and javac on PATH."
    echo "  on Debian: apt-get install openjdk-21-jdk-headless (or any JDK 21+), or set JAVA_HOME to one."
  } >&2
  exit 1
fi
export JAVA_HOME=$FERRY_JDK
export PATH="$JAVA_HOME/bin:$PATH"
