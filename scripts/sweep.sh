#!/usr/bin/env bash
# The robustness grid: generate → run → evaluate over generator settings and
# seeds, one row per setting, then the worst case. Thresholds and rules are
# chosen on the worst row of this grid, never on one seed (README,
# "Decisions").
#
#   scripts/sweep.sh [PERSONS] [EXTRA RUN FLAGS...]
#
# PERSONS defaults to 20000 (the grid then takes a few minutes on 2 cores).
# Grid: --variation-share 0.03 / 0.06 / 0.15; --missing-rate 0.05 (low) /
# 0.15 (high); --rows-per-person 3 / 6; seeds 7, 11, 13. Datasets and results
# go under ${SWEEP_DIR:-target/sweep} and are reused when present. LEAKMATCH_BIN
# names another binary to run (two builds compared side by side); without it
# the release build is made and run. SWEEP_GENERATE_FLAGS adds flags to every
# `generate` (e.g. "--dummy-email-share 0.02"; give such a grid its own
# SWEEP_DIR, since datasets are reused by name).
# Output: a Markdown table on stdout (affected precision, recall, F1, dedup F1,
# persons found vs true, and the evidence ceiling: the recall and the F1 at
# precision 1 that a linker joining on any one shared value could reach, from
# scripts/evidence_ceiling.py) and the worst F1 and recall, and the worst
# ratio of recall to its ceiling.
set -euo pipefail
cd "$(dirname "$0")/.."
persons="${1:-20000}"
shift || true
dir="${SWEEP_DIR:-target/sweep}"
mkdir -p "$dir"
if [ -z "${LEAKMATCH_BIN:-}" ]; then
  cargo build --release --quiet
fi
bin="${LEAKMATCH_BIN:-target/release/leakmatch}"
echo "| variation | missing | rows/person | seed | affected P | affected R | affected F1 | dedup F1 | persons (true $persons) | R ceiling | F1 ceiling |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
worst_f1=1; worst_recall=1; worst_row=""; worst_share=1
for variation in 0.03 0.06 0.15; do
  for missing in 0.05 0.15; do
    for rows in 3 6; do
      for seed in 7 11 13; do
        name="p${persons}-v${variation}-m${missing}-r${rows}-s${seed}"
        data="$dir/$name"
        if [ ! -f "$data/truth.csv" ]; then
          rm -rf "$data"
          # shellcheck disable=SC2086 # the flags are words
          "$bin" generate --persons "$persons" --seed "$seed" --variation-share "$variation" \
            --missing-rate "$missing" --rows-per-person "$rows" --out "$data" -q ${SWEEP_GENERATE_FLAGS:-}
        fi
        rm -rf "$dir/result-$name"
        "$bin" run --recovered "$data/recovered.csv" --bookings "$data/bookings" --out "$dir/result-$name" \
          --as-of 2016-06-14 -q "$@"
        "$bin" evaluate --truth "$data" --result "$dir/result-$name" --json "$dir/eval-$name.json" > /dev/null
        row=$(python3 - "$dir/eval-$name.json" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))
a, d = e["affected_records"], e["dedup_pairwise"]
print(f'{a["precision"]:.4f} {a["recall"]:.4f} {a["f1"]:.4f} {d["f1"]:.4f} {e["predicted_persons"]}')
PY
)
        read -r p r f df found <<<"$row"
        read -r _ ceiling _ _ <<<"$(python3 scripts/evidence_ceiling.py "$data" "$dir/result-$name" "$bin" --row)"
        read -r f1_ceiling share <<<"$(python3 -c "c, r = $ceiling, $r; print(f'{2 * c / (1 + c):.4f} {r / c:.4f}')")"
        echo "| $variation | $missing | $rows | $seed | $p | $r | $f | $df | $found | $ceiling | $f1_ceiling |"
        if python3 -c "import sys; sys.exit(0 if $share < $worst_share else 1)"; then worst_share=$share; fi
        if python3 -c "import sys; sys.exit(0 if $f < $worst_f1 else 1)"; then worst_f1=$f; worst_row="$name"; fi
        if python3 -c "import sys; sys.exit(0 if $r < $worst_recall else 1)"; then worst_recall=$r; fi
      done
    done
  done
done
echo
echo "worst affected F1 $worst_f1 ($worst_row); worst affected recall $worst_recall; worst recall / ceiling $worst_share"
