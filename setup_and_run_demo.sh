#!/usr/bin/env bash
# The demo: install what is missing, build, generate the synthetic GTZAN dataset and extract
# the study's 309 features (`seed309`) for 30-s tracks and 3-s segments, then summarise.
set -euo pipefail
cd "$(dirname "$0")"
./install_packages.sh
./build.sh
data=${GTZAN_DEMO_DIR:-data}
./build/gtzan synth --out "$data/synth" --tracks-per-genre "${GTZAN_DEMO_TRACKS:-10}" --seconds 30 --seed 42
# Both tables in one pass over the audio: the 3-s segments' rows and the 30-s tracks' rows.
./build/gtzan features --input "$data/synth" --set seed309 --device auto --segments 10 \
  --out "$data/features_3s.csv" --track-out "$data/features_30s.csv"
echo
echo "Per-genre means of a few of the 309 columns (30-s table, $data/features_30s.csv):"
printf "%-10s %5s %14s %10s %12s %8s %13s\n" genre rows centroid_mean zcr_mean mfcc_1_mean tempo harmony_mean
awk -F, 'NR==1{for(i=1;i<=NF;i++) c[$i]=i; next}
  {n[$2]++; a[$2]+=$c["centroid_mean"]; z[$2]+=$c["zcr_mean"]; m[$2]+=$c["mfcc_1_mean"]; t[$2]+=$c["tempo"]; h[$2]+=$c["harmony_mean"]}
  END{for(g in n) printf "%-10s %5d %14.1f %10.4f %12.2f %8.1f %13.4f\n", g, n[g], a[g]/n[g], z[g]/n[g], m[g]/n[g], t[g]/n[g], h[g]/n[g]}' \
  "$data/features_30s.csv" | sort
echo
echo "Tables: $data/features_30s.csv ($(($(wc -l < "$data/features_30s.csv") - 1)) rows), $data/features_3s.csv ($(($(wc -l < "$data/features_3s.csv") - 1)) rows), 309 feature columns each"
echo
echo "The study's table, reduced (--quick: 5 synthetic tracks/genre, 6-s clips, few rounds, 2 epochs):"
./build/gtzan experiment experiments/seed_table.toml --out "$data/experiment_quick" --quick --quiet
sed -n '1,20p' "$data/experiment_quick/report.md"
echo "Full report: $data/experiment_quick/report.html"
