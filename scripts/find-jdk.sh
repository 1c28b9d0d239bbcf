# Sourced by ./hakgen and ./run-tests: finds a JDK 25 or newer and exports JAVA_HOME for it.
# Order: $JAVA_HOME if it is one, then `java` on the PATH, then the JDKs installed in the usual places.
# Stops with a message naming what to install when there is none.

hakgen_jdk_major() {  # prints the feature version of the JDK at $1, or nothing
  local home=$1 v
  [ -x "$home/bin/javac" ] || return 0
  if [ -f "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")
  fi
  if [ -z "$v" ]; then
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
  fi
  echo "$v"
}

hakgen_find_jdk() {
  local need=25 candidates=() home major best="" best_major=0
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for home in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -d "$home" ] && candidates+=("$home")
  done
  for home in "${candidates[@]}"; do
    major=$(hakgen_jdk_major "$home")
    [ -n "$major" ] || continue
    # $JAVA_HOME wins when it is new enough; otherwise take the newest JDK found.
    if [ "$home" = "${JAVA_HOME:-}" ] && [ "$major" -ge "$need" ]; then best=$home; break; fi
    if [ "$major" -ge "$need" ] && [ "$major" -gt "$best_major" ]; then best=$home; best_major=$major; fi
  done
  if [ -z "$best" ]; then
    echo "hakgen needs a JDK $need or newer (java.lang.foreign is final there) and found none." >&2
    echo "Looked at: JAVA_HOME=${JAVA_HOME:-<unset>}, the java on PATH, /usr/lib/jvm/*, /usr/java/*, /opt/java/*, ~/.sdkman, ~/.jdks." >&2
    echo "Install one, e.g. 'apt-get install temurin-25-jdk' (Adoptium's apt repository) or 'apt-get install openjdk-25-jdk'," >&2
    echo "then run this command again; no variable needs setting." >&2
    return 1
  fi
  export JAVA_HOME=$best
  export PATH="$JAVA_HOME/bin:$PATH"
}

hakgen_need_maven() {
  if ! command -v mvn >/dev/null 2>&1; then
    echo "hakgen builds with Apache Maven 3.8 or newer and 'mvn' is not on the PATH: install it ('apt-get install maven')." >&2
    return 1
  fi
  # Maven's own libraries call sun.misc.Unsafe; on JDK 25 that only prints warnings. Keep the output readable.
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
}
