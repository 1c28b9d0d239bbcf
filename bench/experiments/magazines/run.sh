#!/usr/bin/env bash
# What a build's spare magazines cost (docs/results-log.md, "2026-12-03, after the seal mode"): the
# committed build of a profile against hand-made variants of it, each a patch in WORKLOAD/ to its
# generated cache class, and the floor, on the profile's own workload through HakHeap. One JMH run per
# build per round, the builds interleaved, medians of the rounds in ns per op.
#
#   bench/experiments/magazines/run.sh WORKLOAD [ROUNDS] [VARIANT ...]   # default: 4 rounds, every variant
#
# WORKLOAD is c2c3-heavy (FixedBenchmark -p sizes=16/32: the profile's own mix, 16 or 32 B at random),
# fixed-16 (c2c3-heavy's build and patches on FixedBenchmark -p sizes=16, one class) or random-mixed
# (RandomMixedBenchmark). Before 2026-12-03's last session c2c3-heavy ran "-p sizes=16,32", which JMH
# splits into two trials, 16 B then 32 B, and only the first was read: those figures were fixed-16's.
# A variant is a patch, WORKLOAD/NAME.patch, or WORKLOAD/NAME.variant, two lines: "patch=OTHER" (a patch
# of the same folder, or "committed") and "jvm=ARGS" (added to the forked JVM's arguments). Besides
# committed and the variants, "floor" runs the bench's floor, "generic" the generic runtime configured
# as the profile (what the main job compares with), and "peer:NAME" a peer build (peer:tcmalloc), through
# -p api=allocator, the only one a peer has (a native malloc keeps its own thread caches).
# The variants are measurements, not allocators: they keep the guard's checks but not the bookkeeping
# the runtime needs (flush, invariants, statistics), so they are never shipped and no test covers them.
# The patches were made against the committed builds of 2026-12-03; once the generator changes a build
# they may stop applying (git apply names the hunk), and the figures in the results log are of that day.
# Since 2026-12-08 the committed builds' tiny classes have no spare magazines in state mode (the list
# variants' lead, shipped): the c2c3-heavy patches apply to the builds of commit 7bda83f, not to today's.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
usage="usage: $0 WORKLOAD [ROUNDS] [VARIANT ...]: WORKLOAD is c2c3-heavy, fixed-16 or random-mixed, ROUNDS a whole number, at least 1"

workload=${1:-}
case "$workload" in
  c2c3-heavy) pkg=c2c3heavy; prefix=C2c3Heavy; set=c2c3-heavy; bench=(FixedBenchmark -p sizes=16/32) ;;
  fixed-16) pkg=c2c3heavy; prefix=C2c3Heavy; set=c2c3-heavy; bench=(FixedBenchmark -p sizes=16) ;;
  random-mixed) pkg=randommixed; prefix=RandomMixed; set=random-mixed; bench=(RandomMixedBenchmark) ;;
  *) echo "$usage (got workload '$workload')" >&2; exit 2 ;;
esac
shift
rounds=${1:-4}
shift || true
if ! [[ "$rounds" =~ ^[1-9][0-9]*$ ]]; then
  echo "$usage (got rounds '$rounds')" >&2
  exit 2
fi
patches="$here/$set"
if [ $# -gt 0 ]; then
  variants=("$@")
else
  variants=(committed)
  for p in "$patches"/*.patch "$patches"/*.variant; do [ -e "$p" ] && variants+=("$(basename "${p%.*}")"); done
  variants+=(floor)
fi
# The JMH build of variant $1: the bench's own for floor, generic and peer:NAME, else out:$1, compiled below.
build_of() {
  case "$1" in
    floor) echo floor ;;
    generic) echo "generic:$set" ;;
    peer:*) echo "${1#peer:}" ;;
    *) echo "out:$1" ;;
  esac
}
for v in "${variants[@]}"; do
  [[ $(build_of "$v") == out:* ]] || continue
  if [ "$v" != committed ] && [ ! -f "$patches/$v.patch" ] && [ ! -f "$patches/$v.variant" ]; then
    echo "no variant '$v' for $workload: the variants are committed, floor, generic, peer:NAME and the patches and .variant files in $patches" >&2
    exit 2
  fi
done

# A peer is checked here, not at its first JMH run, which may come minutes in: the names of Builds.PEERS.
for v in "${variants[@]}"; do
  case "$v" in
    peer:malloc | peer:mimalloc | peer:jemalloc | peer:tcmalloc | peer:netty-pooled | peer:netty-adaptive | peer:arena) ;;
    peer:*) echo "no peer '${v#peer:}': the peers are malloc, mimalloc, jemalloc, tcmalloc, netty-pooled, netty-adaptive and arena" >&2
      exit 2 ;;
  esac
done

# The patch of variant $1 ("committed" for none) and its extra JVM arguments.
patch_of() {
  if [ -f "$patches/$1.variant" ]; then
    sed -n 's/^patch=//p' "$patches/$1.variant"
  else
    echo "$1"
  fi
}
jvm_of() {
  if [ -f "$patches/$1.variant" ]; then
    sed -n 's/^jvm=//p' "$patches/$1.variant"
  fi
}
for v in "${variants[@]}"; do
  [[ $(build_of "$v") == out:* ]] || continue
  p=$(patch_of "$v")
  if [ "$p" != committed ] && [ ! -f "$patches/$p.patch" ]; then
    echo "variant '$v' names patch '$p', which is not in $patches" >&2
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
  [[ $(build_of "$v") == out:* ]] || continue
  mkdir -p "$work/$v/src" "$work/$v/classes"
  cp "$root/generated/src/main/java/org/hakgen/generated/$pkg"/*.java "$work/$v/src/"
  p=$(patch_of "$v")
  if [ "$p" != committed ]; then
    (cd "$work/$v/src" && git apply -p1 "$patches/$p.patch")
  fi
  "$JAVA_HOME/bin/javac" -nowarn -d "$work/$v/classes" -cp "$jar" "$work/$v/src"/*.java
  printf 'class=org.hakgen.generated.%s.%sAllocator\npackage=org.hakgen.generated.%s\n' "$pkg" "$prefix" "$pkg" \
    > "$work/$v/build.properties"
done

declare -A scores
for ((r = 1; r <= rounds; r++)); do
  for v in "${variants[@]}"; do
    build=$(build_of "$v")
    api=heap
    [[ "$v" == peer:* ]] && api=allocator
    "$JAVA_HOME/bin/java" -jar "$jar" "${bench[@]}" -p build="$build" -p api=$api \
      -f 1 -wi 3 -i 4 -w 1 -r 1 -jvmArgsPrepend "-Dhakgen.out=$work $(jvm_of "$v")" -rf csv -rff "$work/result.csv" \
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
