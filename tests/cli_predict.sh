#!/usr/bin/env bash
# `gtzan train` + `gtzan predict` end to end on a small synthetic dataset (3-s clips):
#  - train writes what predict needs (preprocessing.json, model.toml) beside the weights;
#  - predict on the audio folder: probabilities sum to 1, accuracy above a threshold, a corrupt,
#    an empty and a missing file are named in the summary and skipped (exit 0; 1 with --strict);
#  - predict from audio equals predict from the training table's rows (same columns, scaler,
#    PCA), and on the test rows it reproduces train's own test_accuracy and test_loss;
#  - a segment model's file probability is the mean of its segments' probabilities;
#  - the LSTM (MFCC sequences from audio) trains and predicts; wrong input kinds and missing
#    model folders / records are clear errors (exit 2).
set -euo pipefail
bin=${GTZAN_BIN:?GTZAN_BIN must point at the gtzan binary}
src=${GTZAN_SOURCE_DIR:?GTZAN_SOURCE_DIR must point at the repository}
work=${1:-$(mktemp -d)}
rm -rf "$work"; mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
# Exit status of a command that is expected to fail (set -e would stop the script).
status_of() { set +e; "$@"; local s=$?; set -e; return_status=$s; }

"$bin" synth --out "$work/ds" --tracks-per-genre 3 --seconds 3 --seed 11 2>/dev/null
"$bin" features --input "$work/ds" --set spectral --length 3 --out "$work/t30.csv" --quiet --threads 2 2>/dev/null
"$bin" train --model "$src/tests/models/tiny_dense.toml" --features "$work/t30.csv" --length 3 \
  --threads 2 --out "$work/run30" --quiet > "$work/train30.txt"
for f in model.safetensors result.json preprocessing.json model.toml; do
  [ -s "$work/run30/$f" ] || fail "train did not write $f"
done
grep -q '"set": "spectral"' "$work/run30/preprocessing.json" || fail "feature set not recorded"
grep -q '"length_seconds": 3' "$work/run30/preprocessing.json" || fail "clip length not recorded"
cmp -s "$src/tests/models/tiny_dense.toml" "$work/run30/model.toml" || fail "model.toml is not a copy"

# Inputs: the dataset plus a corrupt and an empty file.
cp -r "$work/ds" "$work/in"
echo "not audio" > "$work/in/genres_original/jazz/jazz.00054.wav"
: > "$work/in/genres_original/rock/rock.00099.wav"
"$bin" predict --model "$work/run30" --input "$work/in" "$work/missing.wav" --threads 2 --quiet \
  --json "$work/p30.json" --csv "$work/p30.csv" > "$work/p30.txt" 2> "$work/p30.log" \
  || fail "predict exited non-zero with three bad files: $(cat "$work/p30.log")"
grep -q "30 of 33 files predicted" "$work/p30.log" || fail "summary count: $(cat "$work/p30.log")"
grep -q "missing.wav: " "$work/p30.log" || fail "missing input not named in the summary"
grep -q "jazz.00054.wav: " "$work/p30.log" || fail "corrupt file not named in the summary"
grep -q "rock.00099.wav: " "$work/p30.log" || fail "empty file not named in the summary"
grep -q '"reason"' "$work/p30.json" || fail "JSON lacks the failures"
[ "$(($(wc -l < "$work/p30.csv") - 1))" -eq 30 ] || fail "CSV should have 30 file lines"
[ "$(($(wc -l < "$work/p30.txt") - 1))" -eq 30 ] || fail "stdout table should have 30 file lines"
awk -F, 'NR > 1 { s = 0; for (i = 5; i <= NF; ++i) s += $i; if (s < 1 - 1e-5 || s > 1 + 1e-5) { print "sum " s " for " $1; bad = 1 } }
         END { exit bad }' "$work/p30.csv" || fail "probabilities do not sum to 1"
acc=$(awk -F, 'NR > 1 { n++; if ($2 == $4) k++ } END { printf "%.4f", k / n }' "$work/p30.csv")
echo "track model: accuracy on the 30 synthetic files $acc"
awk -v a="$acc" 'BEGIN { exit !(a >= 0.8) }' || fail "accuracy $acc below 0.8 on separable synthetic data"
status_of "$bin" predict --model "$work/run30" --input "$work/in" --threads 2 --quiet --strict > /dev/null 2>&1
[ "$return_status" -eq 1 ] || fail "--strict should exit 1 with bad files, got $return_status"

# The same model on the training table's rows: equal probabilities (audio -> features ->
# scaler -> PCA -> network equals table row -> scaler -> PCA -> network).
"$bin" predict --model "$work/run30" --features "$work/t30.csv" --threads 2 --quiet --csv "$work/q30.csv" \
  > /dev/null 2>&1
awk -F, 'FNR == 1 { next }
         NR == FNR { n = split($1, parts, "/"); key = parts[n]; for (i = 5; i <= NF; ++i) p[key, i] = $i; seen[key] = 1; next }
         { if (!($1 in seen)) { print "no audio prediction for " $1; bad = 1; next }
           for (i = 5; i <= NF; ++i) { d = $i - p[$1, i]; if (d < 0) d = -d; if (d > 1e-5) { print $1 " column " i " differs by " d; bad = 1 } }
           rows++ }
         END { if (rows != 30) { print rows " table rows compared"; bad = 1 } exit bad }' \
  "$work/p30.csv" "$work/q30.csv" || fail "predict from audio differs from predict on the training table"
# train's test rows: scikit-learn's split of the 30 rows (seed 42, test 0.2), in table order.
test_rows=$("$bin" split --n 30 --test-size 0.2 --seed 42 | sed 's/.*"test":\[\([0-9,]*\)\].*/\1/')
# Predictions of those rows (CSV lines in the same order) must score train's test_accuracy and
# test_loss (the mean of -log p[label], a continuous check of every probability).
check_test_accuracy() {  # predictions.csv run_dir what
  local ours theirs ours_loss theirs_loss
  read -r ours ours_loss < <(awk -F, -v rows="$test_rows" '
    BEGIN { n = split(rows, t, ","); for (i = 1; i <= n; ++i) test[t[i] + 2] = 1 }
    FNR == 1 { for (i = 5; i <= NF; ++i) col[$i] = i; next }
    FNR in test { m++; if ($2 == $4) k++; loss -= log($(col[$2])) }
    END { printf "%.6f %.6f\n", k / m, loss / m }' "$1")
  theirs=$(sed -n 's/.*"test_accuracy": \([0-9.e-]*\).*/\1/p' "$2/result.json")
  theirs_loss=$(sed -n 's/.*"test_loss": \([0-9.e-]*\).*/\1/p' "$2/result.json")
  awk -v a="$ours" -v b="$theirs" -v c="$ours_loss" -v d="$theirs_loss" \
    'BEGIN { x = a - b; y = c - d; exit !(x < 1e-6 && x > -1e-6 && y < 1e-4 && y > -1e-4) }' \
    || fail "$3: predict on the test rows gives accuracy $ours, loss $ours_loss; train's were $theirs, $theirs_loss"
  echo "$3: test rows through predict: accuracy $ours loss $ours_loss; train's result.json: $theirs $theirs_loss"
}
check_test_accuracy "$work/q30.csv" "$work/run30" "track model"

# A segment model (3 pieces per 3-s file): a file's probabilities are the mean of its pieces'.
"$bin" features --input "$work/ds" --set spectral --length 3 --segments 3 --out "$work/t3.csv" --quiet --threads 2 2>/dev/null
"$bin" train --model "$src/tests/models/tiny_dense.toml" --features "$work/t3.csv" --length 3 --split track \
  --epochs 20 --threads 2 --out "$work/run3" --quiet > /dev/null
grep -q '"segments": 3' "$work/run3/preprocessing.json" || fail "segments not recorded"
"$bin" predict --model "$work/run3" --input "$work/ds" --threads 2 --quiet --per-clip --csv "$work/p3.csv" > /dev/null 2>&1
awk -F, 'NR == 1 { next }
         $3 != "" { for (i = 5; i <= NF; ++i) s[i] += $i; clips++; next }
         { if (clips != 3) { print $1 ": " clips " clips"; bad = 1 }
           for (i = 5; i <= NF; ++i) { d = $i - s[i] / 3; if (d < 0) d = -d; if (d > 1e-9) { print $1 " not the mean"; bad = 1 } }
           delete s; clips = 0; files++ }
         END { if (files != 30) { print files " files"; bad = 1 } exit bad }' "$work/p3.csv" \
  || fail "segment model: file probabilities are not the mean of the segments'"
acc=$(awk -F, 'NR > 1 && $3 == "" { n++; if ($2 == $4) k++ } END { printf "%.4f", k / n }' "$work/p3.csv")
echo "segment model: accuracy on the 30 synthetic files (mean of 3 segments each) $acc"
awk -v a="$acc" 'BEGIN { exit !(a >= 0.8) }' || fail "segment model accuracy $acc below 0.8"
"$bin" predict --model "$work/run3" --features "$work/t3.csv" --threads 2 --quiet --per-clip --csv "$work/q3.csv" > /dev/null 2>&1
paste -d, <(cut -d, -f3- "$work/p3.csv") <(cut -d, -f3- "$work/q3.csv") | awk -F, 'NR == 1 { next }
  { h = NF / 2; for (i = 3; i <= h; ++i) { d = $i - $(i + h); if (d < 0) d = -d; if (d > 1e-5) bad = 1 } }
  END { exit bad }' || fail "segment model: audio and table probabilities differ"

# Errors: wrong input kinds, missing model folder, missing record.
status_of "$bin" train --model "$src/experiments/models/seed_lstm.toml" --features "$work/t30.csv" --out "$work/x" 2> "$work/err.txt"
[ "$return_status" -eq 2 ] && grep -q "takes MFCC-13 sequences" "$work/err.txt" || fail "LSTM with --features: $(cat "$work/err.txt")"
status_of "$bin" train --model "$src/experiments/models/seed_dense.toml" --audio "$work/ds" --out "$work/x" 2> "$work/err.txt"
[ "$return_status" -eq 2 ] && grep -q "takes feature rows" "$work/err.txt" || fail "dense with --audio: $(cat "$work/err.txt")"
status_of "$bin" predict --model "$work/nope" --input "$work/ds" 2> "$work/err.txt"
[ "$return_status" -eq 2 ] && grep -q "nope: no such model folder" "$work/err.txt" || fail "missing model dir: $(cat "$work/err.txt")"
cp -r "$work/run30" "$work/norecord"; rm "$work/norecord/preprocessing.json"
status_of "$bin" predict --model "$work/norecord" --input "$work/ds" 2> "$work/err.txt"
[ "$return_status" -eq 2 ] && grep -q "norecord/preprocessing.json: missing" "$work/err.txt" || fail "missing record: $(cat "$work/err.txt")"

# The LSTM from the command line: 1 epoch on the 3-s clips (130 MFCC frames each).
"$bin" train --model "$src/experiments/models/seed_lstm.toml" --audio "$work/ds" --length 3 --epochs 1 \
  --threads 2 --out "$work/lstm" --quiet > /dev/null
grep -q '"frames": 130' "$work/lstm/preprocessing.json" || fail "LSTM frames not recorded"
"$bin" predict --model "$work/lstm" --input "$work/in" --threads 2 --quiet --csv "$work/pl.csv" > /dev/null 2> "$work/pl.log" \
  || fail "LSTM predict failed: $(cat "$work/pl.log")"
grep -q "30 of 32 files predicted" "$work/pl.log" || fail "LSTM summary: $(cat "$work/pl.log")"
awk -F, 'NR > 1 { s = 0; for (i = 5; i <= NF; ++i) s += $i; if (s < 1 - 1e-5 || s > 1 + 1e-5) bad = 1 } END { exit bad }' \
  "$work/pl.csv" || fail "LSTM probabilities do not sum to 1"
"$bin" predict --model "$work/lstm" --input "$work/ds" --threads 2 --quiet --csv "$work/pl_ds.csv" > /dev/null 2>&1
check_test_accuracy "$work/pl_ds.csv" "$work/lstm" "LSTM"
status_of "$bin" predict --model "$work/lstm" --features "$work/t30.csv" 2> "$work/err.txt"
[ "$return_status" -eq 2 ] && grep -q "takes MFCC-13 sequences" "$work/err.txt" || fail "LSTM with --features: $(cat "$work/err.txt")"
echo "cli_predict: all checks passed"
