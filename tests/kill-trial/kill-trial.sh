#!/usr/bin/env bash
# Kill trial of the samples job's commit protocol: run `sparktf samples` N times and SIGKILL each run at a random
# moment (spread over the join, the write and the commit), then rerun to completion, and check after every kill that
#   - the output folder is either absent or complete (_SUCCESS, and the very bytes of an uninterrupted run),
# and at the end that
#   - the rerun restores the same bytes as the uninterrupted run,
#   - no spill folder (sparktf-spill-*) of the killed runs survives the next run, and no hidden work or set-aside
#     folder remains beside the output.
# Exit 0 when every check holds, 1 on the first that does not (with what and where), 2 on bad arguments.
#
# Usage: tests/kill-trial/kill-trial.sh [--kills N] [--impressions-per-day N] [--seed N] [--keep]
#   SPARKTF  the command that runs sparktf (default: dotnet exec on the Debug build of jobs/SparkTfrecord.Jobs); a
#            wrapper script must exec sparktf, so that the kill reaches sparktf's own process
set -euo pipefail

kills=20
impressions=150000
seed=42
keep=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --kills) kills="$2"; shift 2 ;;
        --impressions-per-day) impressions="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --keep) keep=1; shift ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) echo "kill-trial: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
[[ "$kills" =~ ^[1-9][0-9]*$ && "$impressions" =~ ^[1-9][0-9]*$ && "$seed" =~ ^[0-9]+$ ]] \
    || { echo "kill-trial: --kills and --impressions-per-day must be positive whole numbers, --seed a whole number" >&2; exit 2; }

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [[ -z "${SPARKTF:-}" ]]; then
    dll="$repo/jobs/SparkTfrecord.Jobs/bin/Debug/net10.0/sparktf.dll"
    [[ -f "$dll" ]] || { echo "kill-trial: $dll is missing: run 'dotnet build jobs/SparkTfrecord.Jobs' first, or set SPARKTF" >&2; exit 2; }
    SPARKTF="dotnet exec $dll"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/sparktf-kill-trial-XXXXXX")"
cleanup() { if [[ $keep -eq 0 ]]; then rm -rf "$work"; else echo "kill-trial: kept $work" >&2; fi; }
trap cleanup EXIT
# The runs' own temporary folder, so that every spill folder they make is visible here.
export TMPDIR="$work/tmp"
mkdir -p "$TMPDIR"

fail() { echo "kill-trial: FAILED: $*" >&2; exit 1; }
now_ms() { date +%s%3N; }
# The bytes of an output, as one line per file: hash and name (hidden files and folders are not data).
fingerprint() { (cd "$1" && find . -maxdepth 1 -type f ! -name '.*' -printf '%f\n' | LC_ALL=C sort | xargs sha256sum); }
spills() { find "$TMPDIR" -maxdepth 1 -name 'sparktf-spill-*' | wc -l; }

date=2024-01-15
logs="$work/logs"
out="$work/out/dt=$date"
samples=(samples --conf "$repo/conf/din.yaml" --date "$date" --input "$logs" --output "$out" --shards 4 --threads 2)

$SPARKTF gen-logs --output "$logs" --date "$date" --impressions-per-day "$impressions" --users 20000 --items 10000 \
    --seed 3 --impression-days 1 > /dev/null 2> "$work/gen-logs.err" || fail "gen-logs: $(tail -3 "$work/gen-logs.err")"

# The uninterrupted run: its bytes are what every complete output must hold, its time spreads the kills.
start=$(now_ms)
$SPARKTF "${samples[@]}" > /dev/null 2> "$work/reference.err" || fail "the uninterrupted run failed: $(tail -3 "$work/reference.err")"
duration=$(( $(now_ms) - start ))
reference="$(fingerprint "$out")"
[[ -n "$reference" ]] || fail "the uninterrupted run wrote no files"
rm -rf "$out"

declare -A phases=()
left_spills=0
RANDOM=$seed
for ((i = 1; i <= kills; i++)); do
    # Half the kills find no earlier output, half find a complete one (so the swap of an old output is tried too).
    if (( i == kills / 2 + 1 )); then
        $SPARKTF "${samples[@]}" > /dev/null 2> "$work/complete.err" || fail "run before kill $i failed: $(tail -3 "$work/complete.err")"
    fi

    # A moment from 5% to 105% of the uninterrupted run's time (process start-up included).
    delay_ms=$(( duration * 5 / 100 + (RANDOM * 32768 + RANDOM) % (duration + 1) ))
    $SPARKTF "${samples[@]}" > /dev/null 2> "$work/kill-$i.err" &
    pid=$!
    sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
    # The dotnet host is the process itself (exec); SIGKILL gives it no chance to clean up, as a crash would.
    kill -KILL "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true

    # Where the kill landed: the last stage the run had started (none: still starting up).
    phase="$(grep -oE "$date (join|write|commit): (started|done)" "$work/kill-$i.err" | tail -1 || true)"
    case "$phase" in
        "") phase="start-up" ;;
        *"commit: done") phase="after commit" ;;
        *) phase="${phase#"$date "}"; phase="${phase%%:*}" ;;
    esac
    phases[$phase]=$(( ${phases[$phase]:-0} + 1 ))
    left_spills=$(( left_spills + $(find "$TMPDIR" -maxdepth 1 -name "sparktf-spill-$pid-*" | wc -l) ))

    if [[ -d "$out" ]]; then
        [[ -f "$out/_SUCCESS" ]] || fail "kill $i ($phase, after ${delay_ms} ms): $out exists without _SUCCESS"
        [[ "$(fingerprint "$out")" == "$reference" ]] || fail "kill $i ($phase, after ${delay_ms} ms): $out has _SUCCESS but not the uninterrupted run's bytes"
    elif (( i > kills / 2 )); then
        fail "kill $i ($phase, after ${delay_ms} ms): the complete output written before it is gone"
    fi
done

# The rerun: the same bytes, and nothing left by the killed runs.
$SPARKTF "${samples[@]}" > /dev/null 2> "$work/rerun.err" || fail "the rerun failed: $(tail -3 "$work/rerun.err")"
[[ "$(fingerprint "$out")" == "$reference" ]] || fail "the rerun's output differs from the uninterrupted run's"
remaining="$(find "$TMPDIR" -maxdepth 1 -name 'sparktf-spill-*')"
[[ -z "$remaining" ]] || fail "spill folders survived the rerun: $remaining"
# (The lock file .dt=DATE.lock stays by design: it is empty and only ever locked.)
hidden="$(find "$(dirname "$out")" -mindepth 1 -maxdepth 1 -name '.*' \( -name '*.tmp-*' -o -name '*.old-*' \))"
[[ -z "$hidden" ]] || fail "hidden work or set-aside folders remain beside the output: $hidden"

summary=""
for p in start-up join write commit "after commit"; do
    [[ -n "${phases[$p]:-}" ]] && summary+="${summary:+, }$p ${phases[$p]}"
done
echo "kill-trial: $kills kills ($summary; uninterrupted run $duration ms); $left_spills spill folders left by killed runs, all removed by the next runs; no partial output; the rerun wrote the same bytes: PASSED"
