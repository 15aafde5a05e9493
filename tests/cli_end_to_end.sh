#!/usr/bin/env bash
# End to end through the `gtzan` CLI on a small synthetic dataset: a corrupt file is named in
# the summary and skipped (exit 0; 1 with --strict), every good file gets its rows, segment
# mode gives N rows per file, --track-out gives both tables in one pass, an interrupted job resumes from its checkpoint, .npy output.
set -euo pipefail
bin=${GTZAN_BIN:?GTZAN_BIN must point at the gtzan binary}
work=${1:-$(mktemp -d)}
rm -rf "$work"; mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$bin" synth --out "$work/ds" --tracks-per-genre 2 --seconds 3 --seed 5 2>/dev/null
n_files=$(find "$work/ds" -name '*.wav' | wc -l)
[ "$n_files" -eq 20 ] || fail "synth wrote $n_files files, expected 20"

# A corrupt file, as GTZAN's jazz.00054.wav: a text file with a .wav name.
echo "not audio" > "$work/ds/genres_original/jazz/jazz.00054.wav"

"$bin" features --input "$work/ds" --set core --length 3 --out "$work/core.csv" --quiet 2> "$work/log.txt" \
  || fail "features exited non-zero with one bad file"
grep -q "jazz.00054.wav" "$work/log.txt" || fail "summary does not name the bad file"
grep -q "20 of 21 files ok" "$work/log.txt" || fail "summary count wrong: $(cat "$work/log.txt")"
rows=$(($(wc -l < "$work/core.csv") - 1))
[ "$rows" -eq 20 ] || fail "expected 20 rows, got $rows"
head -1 "$work/core.csv" | grep -q "^filename,label,segment,chroma_stft_mean_0,chroma_stft_var_0" || fail "header"
cols=$(head -1 "$work/core.csv" | tr ',' '\n' | wc -l)
[ "$cols" -eq $((3 + 260)) ] || fail "expected 263 columns, got $cols"
grep -q "^blues.00000.wav,blues,," "$work/core.csv" || fail "track row of blues.00000.wav missing"
if grep -q ",nan" "$work/core.csv"; then fail "NaN in synthetic features"; fi

set +e
"$bin" features --input "$work/ds" --set core --length 3 --out "$work/strict.csv" --quiet --strict 2>/dev/null
status=$?
set -e
[ "$status" -eq 1 ] || fail "--strict should exit 1, got $status"

# Segment mode: 3 pieces of each 3-s track.
"$bin" features --input "$work/ds" --set spectral --length 3 --segments 3 --out "$work/seg.csv" --quiet 2>/dev/null
rows=$(($(wc -l < "$work/seg.csv") - 1))
[ "$rows" -eq 60 ] || fail "expected 60 segment rows, got $rows"
grep -q "^blues.00000.wav,blues,2," "$work/seg.csv" || fail "segment index missing"

# Track and segment rows from one pass (--track-out): the same two tables as two separate runs,
# byte for byte; the bad file is skipped in both tables.
"$bin" features --input "$work/ds" --set spectral --length 3 --out "$work/track.csv" --quiet 2>/dev/null
"$bin" features --input "$work/ds" --set spectral --length 3 --segments 3 --out "$work/seg_both.csv" \
  --track-out "$work/track_both.csv" --quiet 2> "$work/both_log.txt"
cmp -s "$work/seg.csv" "$work/seg_both.csv" || fail "--track-out: segment table differs from a segments-only run"
cmp -s "$work/track.csv" "$work/track_both.csv" || fail "--track-out: track table differs from a track-only run"
grep -q "20 track rows -> .*track_both.csv" "$work/both_log.txt" || fail "--track-out summary: $(cat "$work/both_log.txt")"
set +e
"$bin" features --input "$work/ds" --set spectral --out "$work/x.csv" --track-out "$work/y.csv" 2> "$work/err.txt"; status=$?
set -e
[ "$status" -eq 2 ] && grep -q "track-out needs --segments" "$work/err.txt" || fail "--track-out without segments not rejected"

# Resume: pretend a run stopped after the first 5 files; the rerun computes the rest only
# and writes the same table.
{
  head -1 "$work/seg.csv"
  find "$work/ds" -name '*.wav' | sort | head -5 | while read -r f; do
    b=$(basename "$f"); grep "^$b," "$work/seg.csv" | sed "s|^|$f\t|"
  done
} > "$work/resumed.csv.partial"
find "$work/ds" -name '*.wav' | sort | head -5 > "$work/resumed.csv.partial.done"
"$bin" features --input "$work/ds" --set spectral --length 3 --segments 3 --out "$work/resumed.csv" --quiet 2> "$work/resume_log.txt"
grep -q "(5 resumed)" "$work/resume_log.txt" || fail "resume not reported: $(cat "$work/resume_log.txt")"
cmp -s "$work/seg.csv" "$work/resumed.csv" || fail "resumed table differs from the uninterrupted one"
[ ! -e "$work/resumed.csv.partial" ] || fail "checkpoint left behind"

# Errors name the problem and exit 2.
set +e
"$bin" features --input "$work/nope" --set core --out "$work/x.csv" 2> "$work/err.txt"; status=$?
set -e
[ "$status" -eq 2 ] && grep -q "nope" "$work/err.txt" || fail "missing input: status $status, $(cat "$work/err.txt")"
set +e
"$bin" features --input "$work/ds" --set nosuchset --out "$work/x.csv" 2> "$work/err.txt"; status=$?
set -e
[ "$status" -eq 2 ] && grep -q "unknown feature set" "$work/err.txt" || fail "bad set not reported"

"$bin" frames --input "$work/ds/genres_original/rock/rock.00001.wav" --feature mfcc13 --out "$work/m.npy" 2>/dev/null
size=$(stat -c %s "$work/m.npy")
# 128-byte header + 13 x 130 float32 (3 s = 66150 samples -> 130 frames)
[ "$size" -eq $((128 + 13 * 130 * 4)) ] || fail "npy size $size"
sets=$("$bin" features --list-sets)  # captured first: grep -q would cut the pipe (SIGPIPE)
grep -q "^core (260 columns)" <<< "$sets" || fail "--list-sets: core"
grep -q "^seed309 (309 columns)" <<< "$sets" || fail "--list-sets: seed309"
# gtzan split = scikit-learn's train_test_split(np.arange(7), test_size=0.2, random_state=42)
[ "$("$bin" split --n 7 --test-size 0.2 --seed 42)" = '{"train":[5,2,4,3,6],"test":[0,1]}' ] || fail "split n=7"
printf 'b\na\nb\na\nb\na\n' > "$work/labels.txt"
set +e
"$bin" split --n 5 --test-size 0.5 --seed 1 --stratify "$work/labels.txt" 2> "$work/err.txt"; status=$?
set -e
[ "$status" -eq 2 ] && grep -q "6 labels for --n 5" "$work/err.txt" || fail "split label count not reported"
echo "cli_end_to_end: all checks passed"
