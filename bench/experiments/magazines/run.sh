#!/usr/bin/env bash
# What c2c3-heavy's spare magazines cost (README, Results, "2026-12-03, afternoon"): the committed build
# against hand-made variants of it, each a patch in this folder to its generated C2c3HeavyCache.java,
# and the floor, on c2c3-heavy's own mix (fixed, 16/32 B at random) through HakHeap. One JMH run per
# build per round, the builds interleaved, medians of the rounds in ns per op.
#
#   bench/experiments/magazines/run.sh [ROUNDS] [VARIANT ...]     # default: 4 rounds, every variant
#
# The variants are measurements, not allocators: they keep the guard's checks but not the bookkeeping
# the runtime needs (flush, invariants, statistics), so they are never shipped and no test covers them.
# The patches were made against the committed build of 2026-12-03; once the generator changes that build
# they may stop applying (git apply names the hunk), and the figures in the README are of that day.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
rounds=${1:-4}
shift || true
if ! [[ "$rounds" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 [ROUNDS] [VARIANT ...]: ROUNDS is a whole number of rounds, at least 1 (got '$rounds')" >&2
  exit 2
fi
if [ $# -gt 0 ]; then
  variants=("$@")
else
  variants=(committed)
  for p in "$here"/*.patch; do variants+=("$(basename "$p" .patch)"); done
  variants+=(floor)
fi

for v in "${variants[@]}"; do
  if [ "$v" != committed ] && [ "$v" != floor ] && [ ! -f "$here/$v.patch" ]; then
    echo "no variant '$v': the variants are committed, floor and the patches in $here" >&2
    exit 2
  fi
done

. "$root/scripts/find-jdk.sh"
hakgen_find_jdk
"$root/hakgen" --version >/dev/null   # builds bench/target/benchmarks.jar when it is missing or stale
jar="$root/bench/target/benchmarks.jar"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for v in "${variants[@]}"; do
  [ "$v" = floor ] && continue
  mkdir -p "$work/$v/src" "$work/$v/classes"
  cp "$root"/generated/src/main/java/org/hakgen/generated/c2c3heavy/*.java "$work/$v/src/"
  if [ "$v" != committed ]; then
    (cd "$work/$v/src" && git apply -p1 "$here/$v.patch")
  fi
  "$JAVA_HOME/bin/javac" -nowarn -d "$work/$v/classes" -cp "$jar" "$work/$v/src"/*.java
  printf 'class=org.hakgen.generated.c2c3heavy.C2c3HeavyAllocator\npackage=org.hakgen.generated.c2c3heavy\n' \
    > "$work/$v/build.properties"
done

declare -A scores
for ((r = 1; r <= rounds; r++)); do
  for v in "${variants[@]}"; do
    build="out:$v"
    [ "$v" = floor ] && build=floor
    "$JAVA_HOME/bin/java" -jar "$jar" FixedBenchmark -p build="$build" -p api=heap -p sizes=16,32 \
      -f 1 -wi 3 -i 4 -w 1 -r 1 -jvmArgsPrepend "-Dhakgen.out=$work" -rf csv -rff "$work/result.csv" \
      > "$work/jmh.log" 2>&1 || { echo "JMH failed for $v:" >&2; tail -20 "$work/jmh.log" >&2; exit 4; }
    s=$(awk -F, 'NR == 2 { print $5 }' "$work/result.csv")
    scores[$v]="${scores[$v]:-} $s"
    printf 'round %d/%d  %-32s %s ns/op\n' "$r" "$rounds" "$v" "$s"
  done
done

echo
printf '%-32s %8s   %s\n' variant median rounds
for v in "${variants[@]}"; do
  median=$(printf '%s\n' ${scores[$v]} | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
  printf '%-32s %8.3f  %s\n' "$v" "$median" "${scores[$v]}"
done
