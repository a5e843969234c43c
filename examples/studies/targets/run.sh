#!/usr/bin/env bash
# Study 2 (issue 5): the pruned EGRU of examples/quality on loihi2 (int8), spinnaker2 fp32 and spinnaker2 int8,
# decoder on chip and on host, plus the analytic dense CPU/GPU baselines; TOKENS Brown test tokens each
# (batch 1, zero state, sequential schedule). Outputs (maps, JSON) go to OUT (default
# examples/studies/out/targets/, git-ignored); the table, a small JSON digest and the report page go to RESULTS
# (default examples/studies/targets/results/). COMPARE (environment, space-separated models) are run on dense-cpu
# for their perplexity on the same tokens (default: the unpruned EGRU and the dense GRU of examples/quality).
#   examples/studies/targets/run.sh [MODEL] [OUT] [TOKENS] [RESULTS]
# The shipped 80% model (README, "on the shipped model"):
#   COMPARE=pretrained:brown-egru examples/studies/targets/run.sh pretrained:brown-egru-p80 examples/studies/out/targets-p80 300 examples/studies/targets/results/brown-egru-p80
set -euo pipefail
cd "$(dirname "$0")/../../.."
M=${1:-examples/quality/out/egru-p80.egru}
OUT=${2:-examples/studies/out/targets}
TOKENS=${3:-300}
NM="node bin/neuromap.js"
HERE=examples/studies/targets
RESULTS=${4:-$HERE/results}
COMPARE=${COMPARE:-examples/quality/out/egru.egru examples/quality/out/gru.egru}
mkdir -p "$OUT" "$RESULTS"
# The Brown test split as text, the same file for every run here and in study 3 (`simulate --split test` without
# --data now reads the embedded corpus too: commit 9b9c84c; when this study was first run it was refused).
[ -f "$OUT/test.txt" ] || node -r ts-node/register/transpile-only examples/studies/brown-text.ts "$OUT"

run() { # name target arith decoder
  local n=$1 t=$2 a=$3 d=$4
  if $NM compile "$M" --target "$t" --arith "$a" --decoder "$d" --out "$OUT/$n.nmap" --json "$OUT/$n.compile.json" > "$OUT/$n.compile.txt" 2>&1; then
    # --model: the fp32 source model, so an int8 map's simulation reports its perplexity next to the fp32 model's
    $NM simulate "$OUT/$n.nmap" --text "$OUT/test.txt" --sim-tokens "$TOKENS" --model "$M" --json "$OUT/$n.sim.json" > "$OUT/$n.sim.txt" 2>&1 \
      || echo "simulate $n failed: see $OUT/$n.sim.txt"
  else
    echo "compile $n failed (does not fit?): see $OUT/$n.compile.txt"
  fi
}
for d in chip host; do
  run loihi2-int8-$d loihi2 int8 $d
  run spinnaker2-fp32-$d spinnaker2 fp32 $d
  run spinnaker2-int8-$d spinnaker2 int8 $d
done
for b in dense-cpu dense-gpu; do
  $NM simulate "$M" --target $b --text "$OUT/test.txt" --sim-tokens "$TOKENS" --json "$OUT/$b.json" > "$OUT/$b.txt" 2>&1
done
# perplexity of the COMPARE models on the same tokens (same analytic energy when the shapes are the same)
for q in $COMPARE; do
  n=$(basename "${q#pretrained:}" .egru)
  $NM simulate "$q" --target dense-cpu --text "$OUT/test.txt" --sim-tokens "$TOKENS" --json "$OUT/$n-dense-cpu.json" > "$OUT/$n-dense-cpu.txt" 2>&1
done

# spinnaker2 again at the shortest tick no step of the 1 ms run overran (its longest step's work, rounded up to 10 µs):
# what the fixed tick costs (a step that overruns takes whole extra ticks, and static power runs for every tick)
for n in spinnaker2-fp32-chip spinnaker2-fp32-host spinnaker2-int8-chip spinnaker2-int8-host; do
  [ -f "$OUT/$n.sim.json" ] || continue
  tick=$(node -e 'const t = require(process.argv[1]).timestep; console.log((Math.ceil(t.longest_step_work_s * 1e5 - 1e-6) / 1e5).toPrecision(6))' "$PWD/$OUT/$n.sim.json")
  $NM simulate "$OUT/$n.nmap" --text "$OUT/test.txt" --sim-tokens "$TOKENS" --model "$M" --tick "$tick" --json "$OUT/$n.fit.sim.json" > "$OUT/$n.fit.sim.txt" 2>&1 \
    || echo "simulate $n --tick $tick failed: see $OUT/$n.fit.sim.txt"
done

node -r ts-node/register/transpile-only examples/studies/targets/summarize.ts "$OUT" | tee "$RESULTS/table.md"
cp "$OUT/summary.json" "$RESULTS/summary.json"
# The report page: the six runs at the targets' own ticks (not the *.fit.sim.json) and the two dense baselines
# (`neuromap report` reads them since commit e123d48).
$NM report "$OUT"/*-chip.sim.json "$OUT"/*-host.sim.json "$OUT/dense-cpu.json" "$OUT/dense-gpu.json" --out "$RESULTS/report.html"
