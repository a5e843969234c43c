#!/usr/bin/env bash
# Quality check of the trainer (issue 2): an EGRU against a dense GRU of the same size, on the same token
# budget, on the PTB-style Brown corpus; then the EGRU pruned to 80% and fine-tuned; batch-1 evaluation with
# MAC accounting of all three. Writes into examples/quality/out/ (git-ignored). Usage:
#   examples/quality/run.sh [TOKENS]        (default 200000 training tokens per model)
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=examples/quality/out
TOKENS=${1:-200000}
mkdir -p "$OUT"
nm() { node bin/neuromap.js "$@"; }
COMMON="--emb 128 --layers 128,128 --max-tokens $TOKENS --batch 32 --bptt 35 --seed 1 --valid-tokens 20000"
nm train --cell gru  $COMMON --weight-decay 0.01 --out "$OUT/gru.egru"  > "$OUT/gru.log" 2>&1 &
nm train --cell egru $COMMON --weight-decay 0.1 --threshold-init 0.02 --out "$OUT/egru.egru" > "$OUT/egru.log" 2>&1
wait
nm prune "$OUT/egru.egru" --sparsity 0.8 --steps 2 --finetune-tokens $((TOKENS / 4)) --out "$OUT/egru-p80.egru" > "$OUT/prune.log" 2>&1
for m in gru egru egru-p80; do
  nm eval "$OUT/$m.egru" --split test --max-tokens 20000 --json "$OUT/$m.eval.json" > "$OUT/$m.eval.txt" 2>/dev/null &
done
wait
cat "$OUT"/*.eval.txt
