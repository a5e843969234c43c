#!/usr/bin/env bash
# Quality check of the trainer (issue 2): an EGRU against a dense GRU of the same size (embedding 128, layers
# 128,128, vocabulary 10,000) on the same token budget of the PTB-style Brown corpus; the EGRU then pruned to
# 80% with fine-tuning; batch-1 evaluation with MAC accounting of all three on the first 20,000 test tokens.
# Writes into examples/quality/out/ (git-ignored); the README next to this script holds the figures measured.
#   examples/quality/run.sh [TOKENS]        (default 400000 training tokens per model)
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=examples/quality/out
TOKENS=${1:-400000}
mkdir -p "$OUT"
nm() { node bin/neuromap.js "$@"; }
COMMON="--emb 128 --layers 128,128 --max-tokens $TOKENS --seed 1 --valid-tokens 20000"
# Activity: weight decay 1.0 plus an L1 activity penalty of 1 on the graded events; embeddings and thresholds start where EGRU
# units have something to cross (see the README next to this script).
EGRU="--cell egru --weight-decay 1.0 --embedding-init 1 --threshold-init 0.2 --activity-penalty 1"
nm train --cell gru $COMMON --weight-decay 0.01 --out "$OUT/gru.egru" > "$OUT/gru.log" 2>&1 &
nm train $EGRU $COMMON --out "$OUT/egru.egru" > "$OUT/egru.log" 2>&1
wait
nm prune "$OUT/egru.egru" --sparsity 0.8 --steps 2 --finetune-tokens $((TOKENS / 4)) --out "$OUT/egru-p80.egru" > "$OUT/prune.log" 2>&1
for m in gru egru egru-p80; do
  nm eval "$OUT/$m.egru" --split test --max-tokens 20000 --json "$OUT/$m.eval.json" > "$OUT/$m.eval.txt" 2>/dev/null
done
grep -h "^wrote" "$OUT"/gru.log "$OUT"/egru.log
grep -h "sparsity" "$OUT"/prune.log
cat "$OUT"/*.eval.txt
