#!/usr/bin/env bash
# Side by side on one thread, same clips: gtzan's CPU backend vs librosa (when importable)
# for the `core` and `seed309` sets. Writes bench/results/cpu_core_vs_librosa.json (or $1).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/results/cpu_core_vs_librosa.json}
clips=${CLIPS:-10}
mkdir -p "$(dirname "$out")"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 NUMBA_NUM_THREADS=1 MKL_NUM_THREADS=1
./build/gtzan synth --out "$tmp/ds" --tracks-per-genre $(( (clips + 9) / 10 )) --seconds 30 --seed 42 2>/dev/null
./build/gtzan bench features --set core --clips "$clips" --threads 1 --repeats 2 --json "$tmp/ours.json" >/dev/null
./build/gtzan bench features --set seed309 --clips "$clips" --threads 1 --repeats 2 --json "$tmp/ours_seed309.json" >/dev/null
./build/gtzan bench features --set seed309 --clips "$clips" --threads 0 --repeats 2 --json "$tmp/ours_seed309_all.json" >/dev/null
./build/gtzan bench features --set spectral --clips "$clips" --threads 1 --repeats 2 --json "$tmp/ours_spectral.json" >/dev/null
if python3 -c "import librosa" 2>/dev/null; then
  # bench clip i = genre i % 10, index i / 10: the same synthetic tracks as the files.
  files=()
  for i in $(seq 0 $((clips - 1))); do
    g=$(sed -n "$((i % 10 + 1))p" <<< $'blues\nclassical\ncountry\ndisco\nhiphop\njazz\nmetal\npop\nreggae\nrock')
    files+=("$tmp/ds/genres_original/$g/$g.$(printf %05d $((i / 10))).wav")
  done
  python3 bench/librosa_core.py "${files[@]}" > "$tmp/librosa.json"
else
  echo '{"librosa": null, "note": "librosa not importable: no side-by-side figure"}' > "$tmp/librosa.json"
fi
python3 - "$tmp/ours.json" "$tmp/ours_spectral.json" "$tmp/ours_seed309.json" "$tmp/ours_seed309_all.json" "$tmp/librosa.json" "$out" <<'PY'
import json, sys
ours, spec, seed, seed_all, lib = (json.load(open(p)) for p in sys.argv[1:6])
res = {"benchmark": "cpu feature sets, 30-s synthetic clips, librosa on one thread",
       "gtzan_core": ours, "gtzan_spectral": spec, "gtzan_seed309": seed,
       "gtzan_seed309_all_threads": seed_all, "librosa": lib}
if lib.get("core_seconds_per_clip"):
    res["speedup_core_vs_librosa"] = lib["core_seconds_per_clip"] / ours["seconds_per_clip"]
    res["speedup_seed309_vs_librosa"] = lib["seed309_seconds_per_clip"] / seed["seconds_per_clip"]
json.dump(res, open(sys.argv[6], "w"), indent=2)
print(json.dumps({k: v for k, v in res.items() if k.startswith("speedup")} |
                 {"gtzan_core_s_per_clip": ours["seconds_per_clip"],
                  "gtzan_spectral_s_per_clip": spec["seconds_per_clip"],
                  "gtzan_seed309_s_per_clip": seed["seconds_per_clip"],
                  "gtzan_seed309_all_threads_s_per_clip": seed_all["seconds_per_clip"],
                  "librosa_core_s_per_clip": lib.get("core_seconds_per_clip"),
                  "librosa_seed309_s_per_clip": lib.get("seed309_seconds_per_clip")}, indent=2))
PY
