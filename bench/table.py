#!/usr/bin/env python3
"""Turns bench/run.sh's measurements into the Markdown tables: every tool
per size (time, memory, per budget line, per byte read), the ratios, and
the issue's targets with what was measured."""
import sys
from collections import defaultdict

rows = defaultdict(dict)
lines = {}
sizes_read = {}
recheck = {}
for line in open(sys.argv[1]):
    parts = line.split()
    if parts[0] == "lines":
        lines[int(parts[1])] = int(parts[2])
        continue
    if parts[0] == "bytes":
        sizes_read[int(parts[1])] = tuple(int(p) for p in parts[2:5])
        continue
    if parts[0] == "recheck":
        recheck[int(parts[1])] = float(parts[2]) if len(parts) > 2 and parts[2] else None
        continue
    name, size, tmin, tmed, rss = parts[0], int(parts[1]), float(parts[2]), float(parts[3]), parts[4]
    rows[size][name] = (tmin, tmed, int(rss) if rss.isdigit() else 0)

tools = ["planc-validate", "planc-build", "planc-summary", "floor-parse", "floor-cat",
         "hledger", "bean-check", "check-jsonschema"]


def bytes_read(size, tool):
    plans, hledger, beancount = sizes_read.get(size, (0, 0, 0))
    return {"hledger": hledger, "bean-check": beancount}.get(tool, plans)


print("| plans | budget lines | tool | bytes read per line | min (s) | median (s) | peak RSS (MB) | µs per line | MB/s |")
print("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for size in sorted(rows):
    for tool in tools:
        if tool not in rows[size]:
            continue
        tmin, tmed, rss = rows[size][tool]
        per = tmed / lines[size] * 1e6
        read = bytes_read(size, tool)
        print(f"| {size} | {lines[size]} | {tool} | {read / lines[size]:.0f} | {tmin:.3f} | {tmed:.3f} | "
              f"{rss} | {per:.1f} | {read / tmed / 1e6:.1f} |")
print()
print("| plans | validate / floor-parse | hledger / validate | bean-check / validate | check-jsonschema / validate | validate RSS / hledger RSS |")
print("| ---: | ---: | ---: | ---: | ---: | ---: |")
for size in sorted(rows):
    r = rows[size]
    v = r["planc-validate"][1]

    def ratio(a, b):
        return f"{a / b:.2f}×" if b else "–"
    print(f"| {size} | {ratio(v, r['floor-parse'][1])} | {ratio(r['hledger'][1], v)} | "
          f"{ratio(r['bean-check'][1], v)} | {ratio(r['check-jsonschema'][1], v)} | "
          f"{r['planc-validate'][2] / max(r['hledger'][2], 1):.2f} |")

big = max(rows) if rows else None
if big is not None:
    r = rows[big]
    v = r["planc-validate"]
    b = r.get("planc-build", (0, 0, 0))
    small = rows.get(12, {}).get("planc-validate")
    print()
    print(f"| measure ({big} plans unless said) | target | measured |")
    print("| --- | --- | --- |")
    print(f"| validate | ≤ 2.0 s, ≤ 400 MB | {v[1]:.2f} s, {v[2]} MB |")
    print(f"| build | ≤ 5 s, ≤ 600 MB | {b[1]:.2f} s, {b[2]} MB |")
    print(f"| validate vs one-thread serde-saphyr parse | ≤ 0.45× | {v[1] / r['floor-parse'][1]:.2f}× |")
    if small:
        print(f"| 12 plans validate, process start included | ≤ 25 ms | {small[1] * 1000:.0f} ms |")
    if recheck.get(big) is not None:
        print(f"| one edited plan re-checked (serve / --watch session) | ≤ 100 ms | {recheck[big]:.0f} ms |")
    for peer in ["hledger", "bean-check"]:
        worst = min(rows[s][peer][1] / rows[s]["planc-validate"][1] for s in rows)
        print(f"| per budget line vs {peer}, same information, worst size | ≥ 3× | {worst:.2f}× |")
