#!/usr/bin/env bash
# A benchmark anyone can rerun: generates (or reuses) a dataset of PERSONS
# persons with `leakmatch generate`, times `leakmatch run` on it with
# /usr/bin/time -v, times `leakmatch run --parse-only` (the faster of two
# passes) on the same files in
# the same minute (the floor), evaluates the result, and appends a row to
# BENCHMARKS.md.
#
#   scripts/bench.sh PERSONS [SEED]
#
# Datasets and results go under ${BENCH_DIR:-target/bench} and are reused.
set -euo pipefail
cd "$(dirname "$0")/.."
persons="${1:?usage: scripts/bench.sh PERSONS [SEED]}"
seed="${2:-1}"
dir="${BENCH_DIR:-target/bench}"
mkdir -p "$dir"
cargo build --release --quiet
bin=target/release/leakmatch
data="$dir/p$persons-s$seed"
if [ ! -f "$data/truth.csv" ]; then
  rm -rf "$data"
  "$bin" generate --persons "$persons" --seed "$seed" --out "$data" -q
fi
out="$dir/result-p$persons-s$seed"
rm -rf "$out"
args=(--recovered "$data/recovered.csv" --bookings "$data/bookings" --as-of 2016-06-14 -q)
# The floor is the faster of two parse-only passes: the first may read the
# files from disk (after another dataset evicted them from the page cache),
# while the run that follows reads them from memory; a cold floor made the
# run/parse ratio look three times better than it was.
parse=$(for _ in 1 2; do "$bin" run "${args[@]}" --out "$out" --parse-only | sed -E 's/.* in ([0-9.]+) s/\1/'; done |
  sort -n | head -1)
/usr/bin/time -v "$bin" run "${args[@]}" --out "$out" 2> "$dir/time.txt"
wall=$(sed -nE 's/.*Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (.*)/\1/p' "$dir/time.txt" |
  awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
rss_kb=$(sed -nE 's/.*Maximum resident set size \(kbytes\): ([0-9]+)/\1/p' "$dir/time.txt")
"$bin" evaluate --truth "$data" --result "$out" --json "$dir/eval.json" > /dev/null
read -r rows f1 <<<"$(python3 - "$out/counts.json" "$dir/eval.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1])); e = json.load(open(sys.argv[2]))
print(c["recovered_rows"] + c["booking_rows"], f'{e["affected_records"]["f1"]:.4f}')
PY
)"
commit=$(git rev-parse --short HEAD)
memory=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
row=$(python3 -c "
rows, wall, parse, rss = $rows, $wall, $parse, $rss_kb
print(f'| $commit | $(nproc) | $memory | {$persons:,} | {rows:,} | {wall:.1f} | {rows / wall:,.0f} | {rss / 1048576:.2f} GiB | {parse:.2f} | {wall / parse:.1f} | $f1 |')
")
if [ ! -f BENCHMARKS.md ]; then
  printf '# Benchmarks\n\nRows appended by `scripts/bench.sh PERSONS` (see the script).\n\n' > BENCHMARKS.md
  echo "| commit | nproc | memory | persons | rows (leak + bookings) | wall s | rows/s | peak RSS | parse-only s | run/parse | affected F1 |" >> BENCHMARKS.md
  echo "|---|---|---|---|---|---|---|---|---|---|---|" >> BENCHMARKS.md
fi
# The row goes after the table's last row, before any prose written under
# the table.
python3 - "$row" <<'PY'
import sys
row = sys.argv[1]
lines = open("BENCHMARKS.md", encoding="utf-8").read().split("\n")
last = max(i for i, line in enumerate(lines) if line.startswith("| "))
lines.insert(last + 1, row)
open("BENCHMARKS.md", "w", encoding="utf-8").write("\n".join(lines))
PY
echo "$row"
