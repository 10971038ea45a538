#!/usr/bin/env bash
# Prints the rendered plans as a person would see them: builds plans/ into
# out/, prints each HTML page to PDF with headless Chromium, turns the PDFs
# into PNG pages, and loads the CSVs into LibreOffice (CSV -> xlsx -> CSV)
# to check that the totals survive. Installs what it needs from Debian.
#
#   bash scripts/print.sh [OUT]        (default OUT: print/)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-print}

need=()
command -v chromium >/dev/null || need+=(chromium)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
command -v soffice >/dev/null || need+=(libreoffice-calc-nogui)
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi

cargo run --release --quiet -- build plans/ --out out
mkdir -p "$out"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
for page in out/*.html; do
  name=$(basename "$page" .html)
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --no-pdf-header-footer \
    --print-to-pdf="$out/$name.pdf" "file://$PWD/$page" 2>/dev/null
  pdftoppm -r 60 -png "$out/$name.pdf" "$out/$name"
  echo "$out/$name.pdf: $(pdfinfo "$out/$name.pdf" | awk '/^Pages/ {print $2}') pages"
done

# CSV -> xlsx -> CSV through LibreOffice (UTF-8 import), then compare totals.
mkdir -p "$out/xlsx" "$out/back"
soffice --headless --infilter="CSV:44,34,76,1" --convert-to xlsx --outdir "$out/xlsx" out/*.csv >/dev/null
soffice --headless --convert-to "csv:Text - txt - csv (StarCalc):44,34,76" \
  --outdir "$out/back" "$out"/xlsx/*.xlsx >/dev/null
echo "Plan totals as LibreOffice reads funding.csv (plan, available, allocated, unallocated):"
awk -F, '$3 == "Total" { print "  " $1 ": " $4 ", " $5 ", " $6 }' "$out/back/funding.csv"
