#!/usr/bin/env bash
# What a build's spare magazines cost (README, Results, "Latest (2026-12-03, after the seal mode)"): the
# committed build of a profile against hand-made variants of it, each a patch in WORKLOAD/ to its
# generated cache class, and the floor, on the profile's own workload through HakHeap. One JMH run per
# build per round, the builds interleaved, medians of the rounds in ns per op.
#
#   bench/experiments/magazines/run.sh WORKLOAD [ROUNDS] [VARIANT ...]   # default: 4 rounds, every variant
#
# WORKLOAD is c2c3-heavy (FixedBenchmark, 16/32 B at random) or random-mixed (RandomMixedBenchmark).
# The variants are measurements, not allocators: they keep the guard's checks but not the bookkeeping
# the runtime needs (flush, invariants, statistics), so they are never shipped and no test covers them.
# The patches were made against the committed builds of 2026-12-03; once the generator changes a build
# they may stop applying (git apply names the hunk), and the figures in the README are of that day.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
usage="usage: $0 WORKLOAD [ROUNDS] [VARIANT ...]: WORKLOAD is c2c3-heavy or random-mixed, ROUNDS a whole number, at least 1"

workload=${1:-}
case "$workload" in
  c2c3-heavy) pkg=c2c3heavy; prefix=C2c3Heavy; bench=(FixedBenchmark -p sizes=16,32) ;;
  random-mixed) pkg=randommixed; prefix=RandomMixed; bench=(RandomMixedBenchmark) ;;
  *) echo "$usage (got workload '$workload')" >&2; exit 2 ;;
esac
shift
rounds=${1:-4}
shift || true
if ! [[ "$rounds" =~ ^[1-9][0-9]*$ ]]; then
  echo "$usage (got rounds '$rounds')" >&2
  exit 2
fi
patches="$here/$workload"
if [ $# -gt 0 ]; then
  variants=("$@")
else
  variants=(committed)
  for p in "$patches"/*.patch; do variants+=("$(basename "$p" .patch)"); done
  variants+=(floor)
fi
for v in "${variants[@]}"; do
  if [ "$v" != committed ] && [ "$v" != floor ] && [ ! -f "$patches/$v.patch" ]; then
    echo "no variant '$v' for $workload: the variants are committed, floor and the patches in $patches" >&2
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
  cp "$root/generated/src/main/java/org/hakgen/generated/$pkg"/*.java "$work/$v/src/"
  if [ "$v" != committed ]; then
    (cd "$work/$v/src" && git apply -p1 "$patches/$v.patch")
  fi
  "$JAVA_HOME/bin/javac" -nowarn -d "$work/$v/classes" -cp "$jar" "$work/$v/src"/*.java
  printf 'class=org.hakgen.generated.%s.%sAllocator\npackage=org.hakgen.generated.%s\n' "$pkg" "$prefix" "$pkg" \
    > "$work/$v/build.properties"
done

declare -A scores
for ((r = 1; r <= rounds; r++)); do
  for v in "${variants[@]}"; do
    build="out:$v"
    [ "$v" = floor ] && build=floor
    "$JAVA_HOME/bin/java" -jar "$jar" "${bench[@]}" -p build="$build" -p api=heap \
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
