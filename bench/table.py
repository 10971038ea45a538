#!/usr/bin/env python3
"""Turns bench/run.sh's measurements into the Markdown table with ratios."""
import sys
from collections import defaultdict

rows = defaultdict(dict)
lines = {}
for line in open(sys.argv[1]):
    parts = line.split()
    if parts[0] == "lines":
        lines[int(parts[1])] = int(parts[2])
        continue
    name, size, tmin, tmed, rss = parts[0], int(parts[1]), float(parts[2]), float(parts[3]), parts[4]
    rows[size][name] = (tmin, tmed, int(rss) if rss.isdigit() else 0)

tools = ["planc-validate", "planc-build", "planc-summary", "floor-parse", "floor-cat",
         "hledger", "bean-check", "check-jsonschema"]
print("| plans | budget lines | tool | min (s) | median (s) | peak RSS (MB) | µs per line |")
print("| ---: | ---: | --- | ---: | ---: | ---: | ---: |")
for size in sorted(rows):
    for tool in tools:
        if tool not in rows[size]:
            continue
        tmin, tmed, rss = rows[size][tool]
        per = tmed / lines[size] * 1e6
        print(f"| {size} | {lines[size]} | {tool} | {tmin:.3f} | {tmed:.3f} | {rss} | {per:.1f} |")
print()
print("| plans | validate / floor-parse | hledger / validate | bean-check / validate | check-jsonschema / validate | validate RSS / hledger RSS |")
print("| ---: | ---: | ---: | ---: | ---: | ---: |")
for size in sorted(rows):
    r = rows[size]
    v = r["planc-validate"][1]
    def ratio(a, b):
        return f"{a / b:.1f}×" if b else "–"
    print(f"| {size} | {ratio(v, r['floor-parse'][1])} | {ratio(r['hledger'][1], v)} | "
          f"{ratio(r['bean-check'][1], v)} | {ratio(r['check-jsonschema'][1], v)} | "
          f"{r['planc-validate'][2] / max(r['hledger'][2], 1):.2f} |")
