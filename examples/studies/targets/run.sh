#!/usr/bin/env bash
# Study 2 (issue 5): the pruned EGRU of examples/quality on loihi2 (int8), spinnaker2 fp32 and spinnaker2 int8,
# decoder on chip and on host, plus the analytic dense CPU/GPU baselines; TOKENS Brown test tokens each
# (batch 1, zero state, sequential schedule). Outputs (maps, JSON) go to OUT (default
# examples/studies/out/targets/, git-ignored); small JSON summaries are copied into examples/studies/targets/results/.
#   examples/studies/targets/run.sh [MODEL] [OUT] [TOKENS]
set -euo pipefail
cd "$(dirname "$0")/../../.."
M=${1:-examples/quality/out/egru-p80.egru}
OUT=${2:-examples/studies/out/targets}
TOKENS=${3:-300}
NM="node bin/neuromap.js"
HERE=examples/studies/targets
mkdir -p "$OUT" "$HERE/results"
# The Brown test split as text: `simulate M.nmap --split test` alone is refused (it needs --data DIR), so we pass --text.
[ -f "$OUT/test.txt" ] || node -r ts-node/register/transpile-only examples/studies/brown-text.ts "$OUT"

run() { # name target arith decoder
  local n=$1 t=$2 a=$3 d=$4
  if $NM compile "$M" --target "$t" --arith "$a" --decoder "$d" --out "$OUT/$n.nmap" --json "$OUT/$n.compile.json" > "$OUT/$n.compile.txt" 2>&1; then
    $NM simulate "$OUT/$n.nmap" --text "$OUT/test.txt" --max-tokens "$TOKENS" --json "$OUT/$n.sim.json" > "$OUT/$n.sim.txt" 2>&1 \
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
  $NM simulate "$M" --target $b --text "$OUT/test.txt" --max-tokens "$TOKENS" --json "$OUT/$b.json" > "$OUT/$b.txt" 2>&1
done
# perplexity of the unpruned EGRU and the dense GRU on the same tokens (same analytic energy: same shapes)
for q in egru gru; do
  $NM simulate "examples/quality/out/$q.egru" --target dense-cpu --text "$OUT/test.txt" --max-tokens "$TOKENS" --json "$OUT/$q-dense-cpu.json" > "$OUT/$q-dense-cpu.txt" 2>&1
done

node -r ts-node/register/transpile-only examples/studies/targets/summarize.ts "$OUT" | tee "$HERE/results/table.md"
cp "$OUT/summary.json" "$HERE/results/summary.json"
# `neuromap report` refuses the dense-*.json (analytic baselines); every *.sim.json already lists them.
$NM report "$OUT"/*.sim.json --out "$HERE/report.html"
