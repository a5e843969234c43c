#!/usr/bin/env bash
# Study 1 (issue 5): the paper reproduction. Activity sparsity x weight sparsity on the PTB-style Brown corpus:
# dense GRU and LSTM baselines and the EGRU at three weight decays, each unpruned and pruned to 50/70/85/90%
# with fine-tuning (examples/sweeps/paper.yaml); then the same trained models pruned to 85/90% per matrix
# (examples/sweeps/paper-matrix.yaml, same OUT so they are reused). About 1.5 hours on 2 cores; Ctrl-C and the
# same command resume.
# Sweep outputs (models, per-point folders) go to OUT (default sweep-out/paper, git-ignored); the table, the
# result lines and the report with the perplexity-against-MACs plot go to examples/studies/paper/results/.
#   examples/studies/paper/run.sh [OUT] [WORKERS]
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT=${1:-sweep-out/paper}
WORKERS=${2:-2}
HERE=examples/studies/paper
mkdir -p "$HERE/results"
node bin/neuromap.js sweep examples/sweeps/paper.yaml --out "$OUT" --workers "$WORKERS"
node bin/neuromap.js sweep examples/sweeps/paper-matrix.yaml --out "$OUT" --workers "$WORKERS"
cp "$OUT/results.jsonl" "$HERE/results/results.jsonl"
node -r ts-node/register/transpile-only "$HERE/summarize.ts" "$HERE/results/results.jsonl" | tee "$HERE/results/table.md"
node bin/neuromap.js report "$HERE/results/results.jsonl" --out "$HERE/results/report.html" --png "$HERE/results"
