#!/usr/bin/env bash
# Where the EGRU's 25% gap to the LSTM comes from (issue 15): the EGRU recipe of run.sh with one thing changed,
# each stopped after its step-500 validation (350,000 tokens, still in the constant-rate phase, so the trajectory is
# what a full run's first 500 steps would be), beside the full runs' step-500 figures (run.sh egru, lstm, gru).
#
#   examples/brown-models/screen.sh [NAME...]    default: every variant below, one after the other (~15 min each idle)
#
# Logs: results/screen-NAME.train.log. A stopped variant leaves out/screen-NAME.egru.ckpt; the script restarts it.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=examples/brown-models/out
RES=examples/brown-models/results
mkdir -p "$OUT" "$RES"

# name: the flags that differ from run.sh's EGRU (the same flag given twice would not be last-wins in yargs, so the
# variant's values replace the recipe's in egru_flags).
declare -A VARIANT=(
  [gamma1]="surrogate-gamma=1"                                   # a 3.3× taller surrogate
  [support1]="surrogate-support=1"                               # a 5× wider surrogate window (|c − ϑ| < 1)
  [width640]="layers=640,256"                                    # the LSTM's recurrent weight count (2.41M vs 2.36M)
  [lr5e-3]="lr=5e-3"                                             # a hotter rate
  [dense-ish]="threshold-init=0.001 threshold-lr-scale=0 activity-penalty=0"  # thresholds pinned at ~0: fires whenever c > 0
)

egru_flags() { # variant settings → the full flag list
  declare -A v=(
    [layers]=512,256 [threshold-init]=0.05 [surrogate-gamma]=0.3 [surrogate-support]=5 [lr]=3e-3
    [activity-penalty]=0.3 [threshold-lr-scale]=1
  )
  for kv in "$@"; do v[${kv%%=*}]=${kv#*=}; done
  echo --cell egru --emb 256 --layers "${v[layers]}" --tied \
    --threshold-init "${v[threshold-init]}" --embedding-init 0.1 --decoder-bias-init unigram \
    --surrogate-gamma "${v[surrogate-gamma]}" --surrogate-support "${v[surrogate-support]}" \
    --train-tokens 3000000 --batch 20 --bptt 35 --lr "${v[lr]}" --min-lr 1e-4 --constant-fraction 0.3 \
    --weight-decay 0.1 --activity-penalty "${v[activity-penalty]}" --clip 0.25 --dropout-emb 0.1 --dropout-hidden 0.1 \
    --dropout-out 0.2 --threshold-lr-scale "${v[threshold-lr-scale]}" --valid-tokens 20000 --eval-every 500 --seed 1 \
    --threads 2 --final-eval-tokens 0
}

names=("$@")
[ ${#names[@]} -gt 0 ] || names=(gamma1 support1 width640 lr5e-3 dense-ish)
for name in "${names[@]}"; do
  [ -n "${VARIANT[$name]:-}" ] || { echo "screen.sh: no variant '$name' (known: ${!VARIANT[*]})" >&2; exit 2; }
  log=$RES/screen-$name.train.log
  if grep -q 'step 500, ' "$log" 2>/dev/null; then grep 'step 500, ' "$log"; continue; fi
  # shellcheck disable=SC2046 # the flag list is meant to split into words
  node bin/neuromap.js train $(egru_flags ${VARIANT[$name]}) --out "$OUT/screen-$name.egru" >> "$log" 2>&1 &
  pid=$!
  # Ctrl-C once: the trainer writes its checkpoint and stops.
  until grep -q 'step 500, ' "$log" 2>/dev/null || ! kill -0 $pid 2>/dev/null; do sleep 10; done
  kill -INT $pid 2>/dev/null || true
  wait $pid || true
  rm -f "$OUT/screen-$name.egru.ckpt"
  echo "$name: $(grep 'step 500, ' "$log")"
done
