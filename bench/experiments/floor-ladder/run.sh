#!/usr/bin/env bash
# What hakgen's guard costs, measured on the floor (docs/results-log.md, "2026-12-03, night"): the
# bench's floor with guard-ladder.patch applied, which adds, each behind a system property read into a
# static final flag, the steps from the bare floor towards what hakgen's free and malloc check:
#
#   floor    the bare floor: a block's class is its address's region (arithmetic)
#   tagged   the class read from a side table of one int per 64 KiB unit, as hakgen's SlabRange tag
#   guard    tagged, plus hakgen's guard in state mode: free tests the offset against a mask, the
#            tag's allocator bits and the block's state byte (allocated), and marks it free; malloc
#            marks it allocated
#   link     guard, plus the thread list's check of each link before it is followed (the next block's
#            tag and state), which hakgen pays on a list pop but not on a magazine hit
#
# and c2c3-heavy's committed build through HakHeap beside them, all from one jar in interleaved rounds
# (one JMH run per variant per size per round), medians in ns per op:
#
#   bench/experiments/floor-ladder/run.sh [ROUNDS] [SIZES ...]   # default: 5 rounds, 16/32 (the c2c3-heavy mix) and 16
#   bench/experiments/floor-ladder/run.sh --asm [SIZES ...]      # instructions per op instead of time
#
# --asm counts each variant's instructions per op in the benchmark's compiled loop, once, with
# bench/experiments/asm/loop.sh (see there for what it needs): a count does not move with the load.
#
# The patched floor is a measurement, not a build: it is never shipped, and it is built from HEAD's
# sources in a temporary folder, so the project's own jar and Maven repository are not touched.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
usage="usage: $0 [--asm | ROUNDS] [SIZES ...]: ROUNDS a whole number, at least 1; SIZES as FixedBenchmark's -p sizes (16, 16/32)"

asm=false
if [ "${1:-}" = --asm ]; then
  asm=true
  shift
  set -- 1 "$@"
fi
rounds=${1:-5}
shift || true
if ! [[ "$rounds" =~ ^[1-9][0-9]*$ ]]; then
  echo "$usage (got rounds '$rounds')" >&2
  exit 2
fi
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(16/32 16)
for s in "${sizes[@]}"; do
  if ! [[ "$s" =~ ^[1-9][0-9]*(/[1-9][0-9]*)*$ ]]; then
    echo "$usage (got sizes '$s')" >&2
    exit 2
  fi
done

. "$root/scripts/find-jdk.sh"
hakgen_find_jdk
hakgen_need_maven

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/src"
git -C "$root" archive HEAD | tar -x -C "$work/src"
(cd "$work/src" && git apply -p1 "$here/guard-ladder.patch")
echo "building the patched bench (a minute or two) ..." >&2
(cd "$work/src" && mvn -B -q -ntp -Dstyle.color=never -DskipTests -pl bench -am package) >&2
jar="$work/src/bench/target/benchmarks.jar"

variants=(floor tagged guard link c2c3-heavy)
# The JMH build and the forked JVM's extra argument of variant $1.
build_of() { [ "$1" = c2c3-heavy ] && echo c2c3-heavy || echo floor; }
flag_of() {
  case "$1" in
    tagged | guard | link) echo "-Dfloor.$1=true" ;;
    *) echo "" ;;
  esac
}

if $asm; then
  for s in "${sizes[@]}"; do
    for v in "${variants[@]}"; do
      flag=$(flag_of "$v")
      printf 'sizes %-8s %-12s ' "$s" "$v"
      "$here/../asm/loop.sh" --jar "$jar" FixedBenchmark -p sizes="$s" -p build="$(build_of "$v")" -p api=heap \
        ${flag:+-jvmArgsPrepend "$flag"}
    done
  done
  exit 0
fi

declare -A scores
for ((r = 1; r <= rounds; r++)); do
  for s in "${sizes[@]}"; do
    for v in "${variants[@]}"; do
      flag=$(flag_of "$v")
      "$JAVA_HOME/bin/java" -jar "$jar" FixedBenchmark -p sizes="$s" -p build="$(build_of "$v")" -p api=heap \
        -f 1 -wi 3 -i 4 -w 1 -r 1 ${flag:+-jvmArgsPrepend "$flag"} -rf csv -rff "$work/result.csv" \
        > "$work/jmh.log" 2>&1 || { echo "JMH failed for $v on $s:" >&2; tail -20 "$work/jmh.log" >&2; exit 4; }
      score=$(awk -F, 'NR == 2 { print $5 }' "$work/result.csv")
      scores["$s $v"]="${scores["$s $v"]:-} $score"
      printf 'round %d/%d  sizes %-8s %-12s %s ns/op\n' "$r" "$rounds" "$s" "$v" "$score"
    done
  done
done

echo
printf '%-8s %-12s %8s   %s\n' sizes variant median rounds
for s in "${sizes[@]}"; do
  for v in "${variants[@]}"; do
    median=$(printf '%s\n' ${scores["$s $v"]} | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
    printf '%-8s %-12s %8.3f  %s\n' "$s" "$v" "$median" "${scores["$s $v"]}"
  done
done
