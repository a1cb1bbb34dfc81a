#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ and runs each for a bounded time on a working copy of its seed corpus.
# Usage: fuzz/run-fuzz.sh SECONDS TARGET...   (make fuzz; docs/fuzzing.md)
# The committed seeds in fuzz/corpus/ are never written: libFuzzer grows .build-fuzz/corpus/<target>, crashes land
# in out/fuzz/<target>/ and each run's log in out/fuzz/<target>.log.
set -uo pipefail
seconds=${1:?seconds per target}; shift
targets=("$@")
root=$(cd "$(dirname "$0")/.." && pwd)
scratch=$root/.build-fuzz
out=$root/out/fuzz
cd "$root"

# SwiftPM does not notice a source file added to the root package (a path dependency here): dropping the build
# manifest makes it plan anew, which costs a second.
rm -f "$scratch/release.yaml"
# Coverage and ASan must instrument every module, not only the harnesses: hence -Xswiftc rather than --sanitize.
swift build --package-path fuzz -c release --scratch-path "$scratch" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library || exit 1
bin=$(swift build --package-path fuzz -c release --scratch-path "$scratch" --show-bin-path)

mkdir -p "$out"
# Swift's runtime keeps caches for the process lifetime, which LeakSanitizer would report at every exit; no
# allocation stacks speed up these allocation-heavy parsers by half (rerun a crash input for them).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:malloc_context_size=0}
# Swift's own crash reporter would hold a crashing input for half a minute before libFuzzer could report it.
export SWIFT_BACKTRACE=enable=no
failed=()
summary=()
for t in "${targets[@]}"; do
    work=$scratch/corpus/$t
    mkdir -p "$work" "$out/$t"
    cp fuzz/corpus/"$t"/* "$work"/
    echo "== fuzz-$t: ${seconds}s on $(ls "$work" | wc -l) inputs"
    dict=(); [ -f fuzz/dict/$t.dict ] && dict=(-dict=fuzz/dict/$t.dict)
    # -rss_limit_mb also caps single allocations: a header that makes a reader allocate > 2 GB is a finding.
    "$bin/fuzz-$t" "$work" "${dict[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$out/$t/" >"$out/$t.log" 2>&1
    rc=$?
    # The structure-aware targets keep their files in /dev/shm/pbte-fuzz-<target>-<pid>, removed at exit but not
    # after a crash: drop those whose process is gone.
    for d in /dev/shm/pbte-fuzz-"$t"-*; do
        [ -d "$d" ] && ! kill -0 "${d##*-}" 2>/dev/null && rm -rf "$d"
    done
    runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$out/$t.log" | grep -oE '[0-9]+$' || echo "?")
    rate=$(grep -oE 'stat::average_exec_per_sec: *[0-9]+' "$out/$t.log" | grep -oE '[0-9]+$' || echo "?")
    status=ok
    if [ $rc -ne 0 ]; then
        status="FAILED (exit $rc; see $out/$t.log and $out/$t/)"
        failed+=("$t")
        grep -E '^==[0-9]+==ERROR|Fatal error|SUMMARY|deadly signal|Test unit written' "$out/$t.log" | head -5
    fi
    summary+=("$(printf '%-16s %12s executions %8s/s  %s' "$t" "$runs" "$rate" "$status")")
done
echo "== executions per target (${seconds}s each)"
printf '%s\n' "${summary[@]}"
[ ${#failed[@]} -eq 0 ] || { echo "fuzz findings in: ${failed[*]}"; exit 1; }
