#!/usr/bin/env bash
# Benchmarks planc against the tools a team would otherwise use to keep
# budget files honest in git, on synthetic repositories of 1, 12, 150 and
# 1,800 plans (60 activities each). Installs its peers: hyperfine, hledger
# and GNU time from Debian; beancount, check-jsonschema and ruamel.yaml.clib
# from PyPI.
#
#   bash bench/run.sh [SIZES...]      (default: 1 12 150 1800)
#
# Prints a Markdown table; raw hyperfine JSON goes to bench/data/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-1 12 150 1800}")
read -r -a sizes <<< "${sizes[*]}"
runs=${RUNS:-5}

need=()
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v hledger >/dev/null || need+=(hledger)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
python3 -c 'import beancount' 2>/dev/null && command -v check-jsonschema >/dev/null ||
  pip install -q beancount check-jsonschema ruamel.yaml.clib 2>&1 | grep -v "WARNING: Running pip as" || true

cargo build --release --quiet --bin planc --example parse_floor --example recheck
planc=$PWD/target/release/planc
floor=$PWD/target/release/examples/parse_floor
recheck=$PWD/target/release/examples/recheck
data=$PWD/bench/data
mkdir -p "$data/results"

# min and median seconds of a hyperfine run, from its JSON
stats() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.4f %.4f" % (min(r["times"]), r["median"]))' "$1"; }
# peak RSS in MB of one run
rss() { /usr/bin/time -f %M "$@" >/dev/null 2>/tmp/planc-bench-rss || true; awk 'END { printf "%.0f", $1 / 1024 }' /tmp/planc-bench-rss; }
measure() { # name size "command line"
  local name=$1 size=$2 cmd=$3
  local json="$data/results/$name-$size.json"
  hyperfine --runs "$runs" --warmup 1 --export-json "$json" "$cmd" >/dev/null 2>&1 ||
    { echo "failed: $cmd (in $PWD)" >&2; exit 1; }
  echo "$name $size $(stats "$json") $(rss sh -c "$cmd")" >> "$data/results/table.txt"
}

: > "$data/results/table.txt"
for size in "${sizes[@]}"; do
  repo="$data/repo-$size"
  [ -d "$repo/plans" ] || python3 bench/generate.py "$size" "$repo" >/dev/null
  lines=$(grep -c '^2009' "$repo/journal.hledger")
  echo "lines $size $lines" >> "$data/results/table.txt"
  # What each tool reads: the plans, or a journal of the same budget lines.
  echo "bytes $size $(find "$repo/plans" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }') \
$(stat -c %s "$repo/journal.hledger") $(stat -c %s "$repo/journal.beancount")" >> "$data/results/table.txt"
  ( cd "$repo"
    measure planc-validate "$size" "$planc validate plans --as-of 2010-01-01"
    measure planc-build "$size" "$planc build plans --out ../out-$size --revision bench --as-of 2010-01-01"
    measure planc-summary "$size" "$planc summary plans --as-of 2010-01-01 > /dev/null"
    measure floor-parse "$size" "$floor plans"
    measure floor-cat "$size" "find plans -type f -exec cat {} + > /dev/null"
    measure hledger "$size" "hledger -f journal.hledger check"
    measure bean-check "$size" "bean-check journal.beancount"
    measure check-jsonschema "$size" "find plans -name '*.yaml' -print0 | xargs -0 check-jsonschema --schemafile ../../plan.schema.json > /dev/null"
    # One plan file saved again, the session recompiling (serve, --watch).
    echo "recheck $size $("$recheck" plans | sed -n 's/.*rechecked in \([0-9.]*\) ms.*/\1/p')" >> "$data/results/table.txt"
  )
done
python3 bench/table.py "$data/results/table.txt"
