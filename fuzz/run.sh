#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60), two at a time on
# this 2-core machine, with corpora seeded from plans/, examples/ and the
# test inputs. Crashes land in fuzz/artifacts/<target>/; copy each into
# fuzz/regressions/<target>/ once fixed, where `cargo test` replays it.
#
#   bash fuzz/run.sh [SECONDS]
#
# cargo-fuzz needs nightly features; with the one stable toolchain here,
# RUSTC_BOOTSTRAP=1 enables them.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1

targets=(yaml_loader yaml_fast_path toml_loader money pipeline report)
for t in "${targets[@]}"; do mkdir -p "corpus/$t" "artifacts/$t"; done
seed() { cp "$1" "corpus/$2/seed-$(sha1sum "$1" | cut -c1-16)" 2>/dev/null || true; }
while IFS= read -r f; do
  case "$f" in
    *.toml) seed "$f" toml_loader; { printf '\001'; cat "$f"; } > "corpus/pipeline/seed-toml-$(sha1sum "$f" | cut -c1-16)" ;;
    *) seed "$f" yaml_loader; seed "$f" yaml_fast_path; { printf '\000'; cat "$f"; } > "corpus/pipeline/seed-yaml-$(sha1sum "$f" | cut -c1-16)" ;;
  esac
done < <(find ../plans ../examples ../tests/cases ../tests/bad -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.toml' \) -size -1M 2>/dev/null)
for amount in 1020 "£62,150" "£7,,000" "£36'000" 15k "£6.3 million" "about 5000" -5 0.001 1e6 \
  99999999999999999999999999999 "Sept 2007" 2009/10 2009-02-30 "Autumn 2007" "1 September 2007"; do
  printf '%s' "$amount" > "corpus/money/seed-$(printf '%s' "$amount" | sha1sum | cut -c1-16)"
done
# Report seeds: a minified one-line plan past column 65,535, escapes.
python3 - <<'PY'
line = b"{plan: {id: p, name: " + b"x" * 70000 + b"}, cost: 15k}"
open("corpus/report/seed-wide", "wb").write(b"\x02" + b"\xff\xff\x03\x00" + b"\x00\x80\x05\x00" + line)
open("corpus/report/seed-escapes", "wb").write(b"\x01" + b"\x00\x40\x04\x00" + "a: \x1b[2J\u202eb\n\tc: £1\r\n".encode())
PY
for r in regressions/*/*; do [ -f "$r" ] && cp "$r" "corpus/$(basename "$(dirname "$r")")/" ; done

cargo fuzz build -O --sanitizer none 2>&1 | tail -1
run() {
  cargo fuzz run -O --sanitizer none "$1" "corpus/$1" -- \
    -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="artifacts/$1/" -print_final_stats=1 > "artifacts/$1.log" 2>&1
  echo "$1: $(grep -E '^stat::number_of_executed_units' "artifacts/$1.log" | awk '{print $2}') executions in ${seconds}s, $(ls "artifacts/$1" | wc -l) crash files"
}
run yaml_loader & run yaml_fast_path & wait
run toml_loader & wait
run money & run pipeline & wait
# The renderers, with inputs long enough for lines past column 65,535.
run_long() {
  cargo fuzz run -O --sanitizer none report "corpus/report" -- \
    -max_total_time="$seconds" -max_len=300000 -timeout=20 -rss_limit_mb=2048 \
    -artifact_prefix="artifacts/report/" -print_final_stats=1 > "artifacts/report.log" 2>&1
  echo "report: $(grep -E '^stat::number_of_executed_units' "artifacts/report.log" | awk '{print $2}') executions in ${seconds}s, $(ls "artifacts/report" | wc -l) crash files"
}
run_long
