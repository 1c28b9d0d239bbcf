#!/usr/bin/env bash
# Builds timed in interleaved rounds (docs/results-log.md, "2026-12-03, late"): one short JMH run per
# build per round, the builds in turn, so a slow spell of the machine lands on every build of a round
# rather than on one build's forks. Prints each run as it ends, then per build the median of its rounds,
# and each build's ratio to the first one: the median, least and most of the rounds' ratios (the first
# build's ns/op over this build's, each round's pair taken together; above 1 is faster than the first).
#
#   bench/experiments/interleave/run.sh ROUNDS 'LABEL|JMH-ARGS' 'LABEL|JMH-ARGS' ...
#   bench/experiments/interleave/run.sh 6 'malloc|RandomMixedBenchmark -p build=malloc' \
#       'build|RandomMixedBenchmark -p build=random-mixed -p api=allocator'
#
# Each run is `java -jar bench/target/benchmarks.jar JMH-ARGS -f 1 -wi 3 -i 4 -w 1 -r 1` (about 10 s);
# JMH-ARGS must name one benchmark and one value of each parameter. The jar is built first if needed
# (./hakgen --version) and copied, so rebuilding it while this runs changes nothing.
#
# A third field, 'LABEL|JMH-ARGS|JAR', runs that build from another benchmarks jar, copied at the start
# too: two commits side by side (save the older one's bench/target/benchmarks.jar before checking out
# the newer).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
usage="usage: $0 ROUNDS 'LABEL|JMH-ARGS' 'LABEL|JMH-ARGS' ...: ROUNDS a whole number, at least 1; two builds or more"
rounds=${1:-}
if ! [[ "$rounds" =~ ^[1-9][0-9]*$ ]] || [ $# -lt 3 ]; then
  echo "$usage" >&2
  exit 2
fi
shift
for spec in "$@"; do
  if [[ "$spec" != ?*'|'?* ]]; then
    echo "$usage (got '$spec', which is not LABEL|JMH-ARGS)" >&2
    exit 2
  fi
  rest=${spec#*|}
  if [[ "$rest" == *'|'* ]] && [ ! -f "${rest#*|}" ]; then
    echo "$0: no benchmarks jar '${rest#*|}' (the third field of '${spec%%|*}')" >&2
    exit 2
  fi
done
. "$root/scripts/find-jdk.sh"
hakgen_find_jdk
"$root/hakgen" --version >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$root/bench/target/benchmarks.jar" "$work/benchmarks.jar"
n=0
for spec in "$@"; do   # each other jar, copied now as the bench's own is
  rest=${spec#*|}
  if [[ "$rest" == *'|'* ]]; then
    cp "${rest#*|}" "$work/other$n.jar"
  fi
  n=$((n + 1))
done
export GLIBC_TUNABLES="${GLIBC_TUNABLES:+$GLIBC_TUNABLES:}glibc.rtld.optional_static_tls=16384"   # jemalloc
for ((r = 1; r <= rounds; r++)); do
  i=0
  for spec in "$@"; do
    label=${spec%%|*}
    args=${spec#*|}
    jar="$work/benchmarks.jar"
    if [[ "$args" == *'|'* ]]; then
      jar="$work/other$i.jar"
      args=${args%%|*}
    fi
    # shellcheck disable=SC2086   # the JMH arguments are words
    if ! "$JAVA_HOME/bin/java" -jar "$jar" $args -f 1 -wi 3 -i 4 -w 1 -r 1 \
        -rf csv -rff "$work/run.csv" >"$work/run.log" 2>&1; then
      tail -20 "$work/run.log" >&2
      echo "$0: the run of '$label' failed (JMH's output above)" >&2
      exit 1
    fi
    if [ "$(awk 'END { print NR }' "$work/run.csv")" -ne 2 ]; then
      echo "$0: '$label' ran $(( $(awk 'END { print NR }' "$work/run.csv") - 1 )) trials; give one benchmark and one value of each parameter" >&2
      exit 2
    fi
    score=$(awk -F, 'NR == 2 { print $5 }' "$work/run.csv")
    echo "$i $score" >>"$work/round$r"
    printf 'round %d of %d  %-32s %8.3f ns/op\n' "$r" "$rounds" "$label" "$score"
    i=$((i + 1))
  done
done
echo
printf '%-32s %10s %s\n' build 'ns/op' '(median of the rounds; ratio to the first build: median of the rounds, least-most)'
i=0
for spec in "$@"; do
  label=${spec%%|*}
  cat "$work"/round* | awk -v i="$i" -v label="$label" '
    $1 == 0 { first[++n0] = $2 }
    $1 == i { mine[++n] = $2 }
    function median(a, k,    j, t, s) {
      for (j = 1; j <= k; j++) s[j] = a[j]
      for (j = 2; j <= k; j++) for (t = j; t > 1 && s[t - 1] > s[t]; t--) { x = s[t]; s[t] = s[t - 1]; s[t - 1] = x }
      return k % 2 ? s[(k + 1) / 2] : (s[k / 2] + s[k / 2 + 1]) / 2
    }
    END {
      for (j = 1; j <= n; j++) { ratio[j] = first[j] / mine[j]; lo = j == 1 || ratio[j] < lo ? ratio[j] : lo; hi = j == 1 || ratio[j] > hi ? ratio[j] : hi }
      printf "%-32s %10.3f  %.2f (%.2f-%.2f)\n", label, median(mine, n), median(ratio, n), lo, hi
    }'
  i=$((i + 1))
done
