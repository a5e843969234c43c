#!/usr/bin/env bash
# Issue 15's "done when" for the shipped models, checked with the commands a user would run: each file in
# pretrained/ loads, evaluates on the whole Brown test split to its model card's figure, exports to safetensors and
# imports back to the same test perplexity, and compiles for every shipped target (loihi and loihi-sanafe with
# bit-plane events, at the most planes that fit, as the demo chooses them).
#
#   examples/brown-models/check-pretrained.sh [OUT_DIR]     (default /tmp/neuromap-pretrained-check; ~10 min on 2 idle cores)
#
# What it prints is kept in results/pretrained-check.txt.
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-/tmp/neuromap-pretrained-check}
mkdir -p "$OUT"
nm() { node bin/neuromap.js "$@"; }
ppl() { node -e "process.stdout.write(JSON.parse(require('fs').readFileSync('$1','utf8')).perplexity.toFixed(2))"; }

echo "neuromap $(nm --version) at $(git rev-parse --short HEAD), $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
for name in brown-egru brown-egru-p80 brown-egru-p90; do
  card=$(awk -v n="## $name" '$0==n{on=1;next} /^## /{on=0} on && /test perplexity/' pretrained/README.md | grep -o '\*\*[0-9.]*\*\*' | tr -d '*')
  nm eval "pretrained:$name" --split test --json "$OUT/$name.eval.json" > /dev/null 2> "$OUT/$name.eval.err" || { echo "$name: eval failed"; continue; }
  nm export "pretrained:$name" --out "$OUT/$name.safetensors" > /dev/null &&
    nm import "$OUT/$name.safetensors" --vocab "$OUT/$name.vocab.txt" --out "$OUT/$name-imported.egru" > /dev/null &&
    nm eval "$OUT/$name-imported.egru" --split test --json "$OUT/$name-imported.eval.json" > /dev/null 2>&1
  echo "$name: test perplexity $(ppl "$OUT/$name.eval.json") (card: $card); exported to safetensors and imported back: $(ppl "$OUT/$name-imported.eval.json" 2>/dev/null || echo failed)"
  for target in loihi2 spinnaker2 loihi loihi-sanafe; do
    case $target in loihi*[^2]|loihi) planes=(8 7 6 5 4 3 2 1); flags=(--binary-encoding);; *) planes=(0); flags=();; esac
    result="does not fit"
    for p in "${planes[@]}"; do
      extra=(); [ "$p" -gt 0 ] && extra=(--planes "$p")
      if msg=$(nm compile "pretrained:$name" --target "$target" "${flags[@]}" "${extra[@]}" --out "$OUT/$name-$target.nmap" 2>&1); then
        cores=$(nm inspect "$OUT/$name-$target.nmap" 2>/dev/null | grep -o 'on [0-9,]* of [0-9,]* cores[^:]*' | head -1 | sed 's/^on //')
        result="compiled${extra:+ at $p bit planes} ($cores)"; break
      fi
      last=$(echo "$msg" | tail -1 | cut -c1-120)
    done
    [ "$result" = "does not fit" ] && result="refused: $last"
    echo "  $target: $result"
  done
done
