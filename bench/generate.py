#!/usr/bin/env python3
"""Generates a synthetic plan repository for benchmarks.

    python3 bench/generate.py PLANS OUT [--seed N]

Writes OUT/plans/<cluster>/ with a header file and one file per priority
area (five areas of twelve activities: sixty activities a plan), shaped like
the bundled plans: costs in pence, partners, outcome codes, a few TBCs,
cross-references, timescales and progress updates. It also writes the same
budget lines for the peers: OUT/journal.hledger (one transaction per cost
line) and OUT/journal.beancount. Seeded and deterministic; never committed.
"""
import argparse
import os
import random

OUTCOMES = [
    ("be-healthy", ["1.1", "1.2", "1.3", "1.4"]),
    ("stay-safe", ["2.1", "2.2", "2.3", "2.4"]),
    ("enjoy-achieve", ["3.1", "3.2", "3.4", "3.6", "3.8"]),
    ("positive-contribution", ["4.3", "4.4"]),
    ("economic-well-being", ["5.1", "5.2", "5.3", "5.4"]),
]
CORE = ["childcare", "activities", "parenting", "referral", "community-access"]
WORDS = ("community family support school parents young people health safety "
         "training workshop outreach forum holiday activities literacy sport "
         "mentoring transition volunteering childcare advice networks").split()
PARTNERS = ["schools", "police", "pct", "childrens-centre", "youth-service",
            "connexions", "eaz", "library", "fire-service", "adult-education",
            "family-learning", "voluntary-sector", "district-council",
            "housing", "leisure-centre", "camhs", "school-nurses",
            "sports-partnership", "parent-support", "health-visitors"]
MONTHS = ["Sept 2009", "Oct 2009", "Nov 2009", "Jan 2010", "Feb 2010", "March 2010"]


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def money(pence):
    return f"{pence // 100}.{pence % 100:02d}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("plans", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=2009)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(os.path.join(args.out, "plans"), exist_ok=True)
    ledger = []
    bean = ["option \"operating_currency\" \"GBP\"", "2009-04-01 open Assets:Funds GBP"]
    opened = set()
    for p in range(args.plans):
        plan_id = f"cluster-{p:04d}"
        d = os.path.join(args.out, "plans", plan_id)
        os.makedirs(d, exist_ok=True)
        activities = []
        for area in range(5):
            for a in range(12):
                kind = rng.random()
                pence = rng.randrange(20000, 500000)
                activities.append((area, a, kind, pence))
        allocated = sum(x[3] for x in activities if x[2] >= 0.03)
        header = [
            "plan:",
            f"  id: {plan_id}",
            f"  name: Synthetic Cluster {p}",
            "  kind: cluster",
            "  authority: Benchshire",
            f"  fund_holder: School {p}",
            "  period: { start: 2009-04-01, end: 2010-03-31 }",
            "  review_interval: termly",
            "  default_source: grant",
            f"  stated: {{ allocated: {money(allocated)} }}",
            "sources:",
            f"  - {{ id: grant, name: Extended services grant, amount: {money(allocated + rng.randrange(0, 100000))} }}",
            "partners:",
        ]
        header += [f"  - {{ id: {x}, name: {x.replace('-', ' ').title()} }}" for x in PARTNERS]
        header += ["sections:", "  - id: action-plan", "    title: Action plan"]
        with open(os.path.join(d, "plan.yaml"), "w") as f:
            f.write("\n".join(header) + "\n")
        for area in range(5):
            key, codes = OUTCOMES[area]
            other_key, other_codes = OUTCOMES[(area + 1) % 5]
            lines = [
                "priorities:",
                f"  - id: area-{area + 1}",
                f"    title: {sentence(rng, 3)}",
                "    section: action-plan",
                f"    outcome: {key}",
                f"    core_offer: [{CORE[area]}, {CORE[(area + 2) % 5]}]",
                "    cross_references:",
                f"      - {{ activity: \"{area + 1}.1\", outcome: {other_key} }}",
                "    activities:",
            ]
            for (ar, a, kind, pence) in [x for x in activities if x[0] == area]:
                aid = f"{area + 1}.{a + 1}"
                outcome_codes = [rng.choice(codes)]
                if a == 0:
                    outcome_codes.append(rng.choice(other_codes))
                partners = rng.sample(PARTNERS, 3)
                start, end = sorted(rng.sample(range(len(MONTHS)), 2))
                activity = {
                    "title": sentence(rng, 4),
                    "description": sentence(rng, 18) + ".",
                    "outcomes": outcome_codes,
                    "measures": [sentence(rng, 6), sentence(rng, 5)],
                    "partners": partners,
                    "sustainability": sentence(rng, 8) + ".",
                    "timescale": (MONTHS[start], MONTHS[end]),
                    "progress": sentence(rng, 6),
                }
                if kind < 0.03:
                    cost = "tbc"
                else:
                    cost = money(pence)
                    ledger.append((plan_id, aid, pence, activity))
                lines += [
                    f"      - id: \"{aid}\"",
                    f"        title: {activity['title']}",
                    f"        description: {activity['description']}",
                    f"        outcomes: [{', '.join(chr(34) + c + chr(34) for c in outcome_codes)}]",
                    f"        success_measures: [{activity['measures'][0]}, {activity['measures'][1]}]",
                    f"        cost: {cost}",
                    f"        partners: {{ lead: [{partners[0]}], existing: [{partners[1]}], to_approach: [{partners[2]}] }}",
                    f"        sustainability: {activity['sustainability']}",
                    f"        timescale: {{ start: {MONTHS[start]}, end: {MONTHS[end]} }}",
                    f"        progress: [{{ date: 2010-01-15, rag: green, text: {activity['progress']} }}]",
                ]
            with open(os.path.join(d, f"area-{area + 1}.yaml"), "w") as f:
                f.write("\n".join(lines) + "\n")
    # The journals carry what the plans carry for each budget line (title,
    # description, outcome codes, measures, partners, sustainability,
    # timescale, progress), as hledger tags and beancount metadata, so that
    # the tools read about as many bytes per budget line as planc does.
    with open(os.path.join(args.out, "journal.hledger"), "w") as f:
        for plan_id, aid, pence, a in ledger:
            lead, existing, approach = a["partners"]
            f.write(f"2009-09-01 {plan_id} | {aid} {a['title']}\n"
                    f"    ; description: {a['description']}\n"
                    f"    ; outcomes: {' '.join(a['outcomes'])}\n"
                    f"    ; measures: {a['measures'][0]}; {a['measures'][1]}\n"
                    f"    ; partners: lead {lead}; existing {existing}; to approach {approach}\n"
                    f"    ; sustainability: {a['sustainability']}\n"
                    f"    ; timescale: {a['timescale'][0]} to {a['timescale'][1]}\n"
                    f"    ; progress: 2010-01-15 green {a['progress']}\n"
                    f"    expenses:{plan_id}:a{aid.replace('.', '-')}  £{money(pence)}\n"
                    f"    assets:funds:{plan_id}\n\n")
    for plan_id, aid, pence, _ in ledger:
        account = f"Expenses:C{plan_id[-4:]}:A{aid.replace('.', '-')}"
        if account not in opened:
            opened.add(account)
            bean.append(f"2009-04-01 open {account} GBP")
    for plan_id, aid, pence, a in ledger:
        account = f"Expenses:C{plan_id[-4:]}:A{aid.replace('.', '-')}"
        lead, existing, approach = a["partners"]
        bean.append(
            f"2009-09-01 * \"{plan_id}\" \"{aid} {a['title']}\"\n"
            f"  description: \"{a['description']}\"\n"
            f"  outcomes: \"{' '.join(a['outcomes'])}\"\n"
            f"  measures: \"{a['measures'][0]}; {a['measures'][1]}\"\n"
            f"  partners: \"lead {lead}; existing {existing}; to approach {approach}\"\n"
            f"  sustainability: \"{a['sustainability']}\"\n"
            f"  timescale: \"{a['timescale'][0]} to {a['timescale'][1]}\"\n"
            f"  progress: \"2010-01-15 green {a['progress']}\"\n"
            f"  {account}  {money(pence)} GBP\n  Assets:Funds")
    with open(os.path.join(args.out, "journal.beancount"), "w") as f:
        f.write("\n".join(bean) + "\n")
    print(f"{args.plans} plans, {len(ledger)} budget lines, {args.plans * 60} activities in {args.out}")


if __name__ == "__main__":
    main()
