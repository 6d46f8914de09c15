#!/usr/bin/env bash
# CSV import throughput (DESIGN §9: ≥ 100,000 rows/s, validated, deduplicated on match keys,
# audited per batch). Runs the release binary's `rapport import` on generated contacts.
#   bench/import.sh [ROWS...]            SQLite in a temporary directory
#   RAPPORT_BENCH_PG_URL=postgres://rapport@127.0.0.1:5432/postgres bench/import.sh [ROWS...]
# Prints the machine, then rows, seconds and rows/s per run, on an empty workspace each time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${RAPPORT_BIN:-$here/../target/release/rapport}
sizes=("${@:-100000 1000000}")
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for n in ${sizes[@]}; do
  csv="$work/contacts-$n.csv"
  python3 "$here/gen_contacts.py" "$n" "$csv"
  for mode in all-or-nothing skip-bad-rows; do
    if [[ -n "${RAPPORT_BENCH_PG_URL:-}" ]]; then
      db="rapport_bench_$$_$n"
      psql "$RAPPORT_BENCH_PG_URL" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
      url="${RAPPORT_BENCH_PG_URL%/*}/$db"
      backend=postgres
    else
      rm -f "$work/bench.db"*
      url="sqlite://$work/bench.db"
      backend=sqlite
    fi
    export RAPPORT_DATABASE_URL="$url" RAPPORT_LOG=warn
    "$bin" migrate >/dev/null
    printf '%s\n' "a calm river at dawn" | "$bin" workspace create --name Bench --admin-email boss@bench.example >/dev/null
    flag=(); [[ $mode == skip-bad-rows ]] && flag=(--skip-bad-rows)
    start=$(date +%s.%N)
    "$bin" import "$csv" --object contacts --as boss@bench.example "${flag[@]}" 2>/dev/null | tail -1
    end=$(date +%s.%N)
    awk -v n="$n" -v s="$start" -v e="$end" -v b="$backend" -v m="$mode" \
      'BEGIN { t = e - s; printf "%s %s: %d rows in %.2f s = %.0f rows/s (wall, whole command)\n", b, m, n, t, n / t }'
    if [[ -n "${RAPPORT_BENCH_PG_URL:-}" ]]; then
      psql "$RAPPORT_BENCH_PG_URL" -qc "DROP DATABASE IF EXISTS $db" >/dev/null
    fi
  done
done
