#!/usr/bin/env bash
# The machine code of one JMH benchmark's measured loop, as C2 compiled it, and its size: instructions
# per op, and how many of them touch the stack, branch or call. This machine has no performance
# counters (perf stat: "not supported") and its 2 cores move a time by 10-20% from run to run; a count
# of instructions does not move with the load (c2c3-heavy's build gave 183 in every run, the generic
# build 220 or 222), so it is how a layer's cost is read here (docs/results-log.md, "2026-12-03, the
# loop's instructions").
#
#   bench/experiments/asm/loop.sh [--print] [--jar JAR] BENCHMARK JMH-ARGS ...
#   bench/experiments/asm/loop.sh --print FixedBenchmark -p build=c2c3-heavy -p api=heap -p sizes=16/32
#
# BENCHMARK's method must be op(), as in every single-threaded loop of bench/. The script runs one
# short fork (-f 1 -wi 4 -i 1) with -XX:CompileCommand=print on the benchmark's JMH stub, takes the
# stub's last C2 compilation, and in it the smallest loop that holds a safepoint poll and no call: the
# measured loop, with every allocator call C2 inlined into it. What is counted is the path the loop
# jumps back from, which C2 lays out in one run; the slow paths it branches to (refills, overflows,
# errors) are not. C2 does not always compile alike: once in 14 runs it left a call on the loop path
# of c2c3-heavy's build through HakAllocator; the script then exits 5 (run it again).
#
# --print also prints the loop; --jar runs another benchmarks jar (default: the project's, built by
# ./hakgen when stale). Needs gcc and Debian's libhsdis0-fcml, HotSpot's disassembler plugin (installed
# here with apt-get when it is missing and the script runs as root); hsdis-shim.c adapts the plugin to
# JDK 25.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
usage="usage: $0 [--print] [--jar JAR] BENCHMARK JMH-ARGS ...: BENCHMARK a class of bench/ (FixedBenchmark, RandomMixedBenchmark, MidBenchmark)"

print=false
jar=""
while [ $# -gt 0 ]; do
  case "$1" in
    --print) print=true; shift ;;
    --jar) [ $# -ge 2 ] || { echo "$usage (--jar needs a file)" >&2; exit 2; }; jar="$2"; shift 2 ;;
    -*) echo "$usage (got option '$1')" >&2; exit 2 ;;
    *) break ;;
  esac
done
bench=${1:-}
if ! [[ "$bench" =~ ^[A-Z][A-Za-z0-9]*Benchmark$ ]]; then
  echo "$usage (got benchmark '$bench')" >&2
  exit 2
fi
shift

plugin=/usr/lib/x86_64-linux-gnu/libhsdis.so.0
if [ ! -e "$plugin" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing Debian's libhsdis0-fcml (HotSpot's disassembler plugin) ..." >&2
    apt-get install -y -q libhsdis0-fcml >/dev/null
  else
    echo "$0: $plugin is missing: install Debian's package libhsdis0-fcml (apt-get install libhsdis0-fcml)" >&2
    exit 3
  fi
fi

. "$root/scripts/find-jdk.sh"
hakgen_find_jdk
if [ -z "$jar" ]; then
  "$root/hakgen" --version >/dev/null   # builds bench/target/benchmarks.jar when it is missing or stale
  jar="$root/bench/target/benchmarks.jar"
fi
[ -f "$jar" ] || { echo "$0: no benchmarks jar at $jar" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
gcc -O2 -shared -fPIC -DHSDIS_FCML="\"$plugin\"" -o "$work/hsdis-amd64.so" "$here/hsdis-shim.c" -ldl

LD_LIBRARY_PATH="$work${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$JAVA_HOME/bin/java" -jar "$jar" "$bench" "$@" \
  -f 1 -wi 4 -i 1 -w 1 -r 1 \
  -jvmArgsAppend "-XX:+UnlockDiagnosticVMOptions -XX:CompileCommand=print,*${bench}_op_jmhTest::op_avgt_jmhStub" \
  > "$work/out.txt" 2>&1 || { echo "$0: JMH failed:" >&2; tail -20 "$work/out.txt" >&2; exit 4; }
if grep -q "Could not load hsdis" "$work/out.txt"; then
  echo "$0: the JVM could not load the disassembler plugin (see $plugin and hsdis-shim.c)" >&2
  exit 3
fi

# The last C2 compilation of the stub, one instruction a line: address, then the instruction.
awk '
  /^Compiled method \(c2\)/ && /_jmhStub/ { n = 0; on = 1; next }
  /^Compiled method/ { on = 0 }
  on && /^\[Stub Code\]/ { on = 0 }
  on && /^  0x[0-9a-f]+: +[a-z]/ {
    line = $0
    sub(/^  /, "", line)
    sub(/ +;.*$/, "", line)
    code[++n] = line
  }
  END { for (i = 1; i <= n; i++) print code[i] }
' "$work/out.txt" > "$work/code.txt"
[ -s "$work/code.txt" ] || { echo "$0: no C2 compilation of the benchmark stub in the output" >&2; exit 4; }

# The smallest span from a backward conditional jump to its target that holds a safepoint poll
# (mov 0x30(%r15),REG; test %eax,(REG)): the measured loop.
awk -v print_loop="$print" '
  # Addresses are compared as numbers (exact below 2^53) and looked up by their hex digits: awk would
  # print a large number as 1.4e+14 in an array key.
  function digits(s) { sub(/^0x/, "", s); sub(/^0+/, "", s); return s }
  function value(s,    i, v) {
    s = digits(s)
    v = 0
    for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
    return v
  }
  { a = substr($1, 1, length($1) - 1); addr[NR] = value(a); text[NR] = $0; at[digits(a)] = NR }
  END {
    best = 0
    for (i = 1; i <= NR; i++) {
      n = split(text[i], f, /[ \t]+/)
      if (f[2] ~ /^j/ && f[2] != "jmpq" && f[2] != "jmp" && (digits(f[n]) in at) && value(f[n]) < addr[i]) {
        from = at[digits(f[n])]
        poll = 0; call = 0
        for (j = from; j <= i; j++) {
          if (text[j] ~ /0x30\(%r15\)/) poll = 1
          if (text[j] ~ /:[ \t]+call/) call = 1
        }
        if (poll && !call && (best == 0 || i - from < best)) { best = i - from; lo = from; hi = i }
      }
    }
    if (best == 0) { print "no loop without calls holds a safepoint poll: C2 left a call on the loop path" > "/dev/stderr"; exit 5 }
    stack = 0; branches = 0; calls = 0
    for (j = lo; j <= hi; j++) {
      if (text[j] ~ /\(%rsp\)/) stack++
      if (text[j] ~ /:[ \t]+j/) branches++
      if (text[j] ~ /:[ \t]+call/) calls++
      if (print_loop == "true") print text[j]
    }
    printf "%d instructions per op: %d touch the stack, %d branch, %d call\n", hi - lo + 1, stack, branches, calls
  }
' "$work/code.txt"
