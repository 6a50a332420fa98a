"""Turn the Tiki clothes catalogue into seller profiles, check them all, count findings.

Usage::

    python examples/tiki_profiles.py [HugeDS.csv] [--jsonl OUT.jsonl] [--lang en]

The CSV (columns ``id, name, brand, current_price, seller_id, seller_name,
is_official, …``) has one row per listing; rows of one ``seller_id`` become one
profile on ``platform: tiki`` with the product names as listing titles. The data is
read from where it lies and never copied into the repository; ``--jsonl`` writes the
profiles to a file of your choice, to feed ``ecomcheck check`` as JSON Lines.

The catalogue has no phone, address, registration number or origin columns, so the
business-registration and contact findings count what the crawl did not collect, not
what Tiki shows; the goods, origin and price findings over the real titles are the
ones worth reading (false positives).
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import sys
import time
from pathlib import Path
from typing import Any

from ecomcheck import Checker, Config, Listing, Platform, SellerProfile

DEFAULT_CSV = Path("/work/shared/corpus/real/tiki_clothes/HugeDS.csv")


def _price(raw: str) -> float | None:
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if value > 0 else None


def load_profiles(path: Path) -> list[SellerProfile]:
    """Group the catalogue's rows by seller into profiles (each product once)."""
    sellers: dict[str, dict[str, Any]] = {}
    seen: set[tuple[str, str]] = set()
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            sid = (row.get("seller_id") or "").strip() or "unknown"
            pid = (row.get("id") or "").strip()
            if (sid, pid) in seen:
                continue  # the crawl repeats products across pages
            seen.add((sid, pid))
            s = sellers.setdefault(
                sid,
                {
                    "platform": Platform.TIKI,
                    "id": sid,
                    "display_name": (row.get("seller_name") or "").strip(),
                    "listings": [],
                },
            )
            s["listings"].append(
                Listing(
                    id=pid or None,
                    title=row.get("name") or "",
                    brand=(row.get("brand") or "").strip() or None,
                    price=_price(row.get("current_price") or ""),
                    url=f"https://tiki.vn/p{pid}.html" if pid.isdigit() else None,
                )
            )
    return [SellerProfile(**s) for s in sellers.values()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("csv", nargs="?", type=Path, default=DEFAULT_CSV)
    ap.add_argument("--jsonl", type=Path, help="also write the profiles as JSON Lines here")
    ap.add_argument("--lang", choices=("vi", "en"), default="en")
    ap.add_argument("--examples", type=int, default=3, help="sample findings shown per rule")
    args = ap.parse_args(argv)
    if not args.csv.is_file():
        print(f"tiki_profiles: {args.csv}: no such file", file=sys.stderr)
        return 2

    t0 = time.perf_counter()
    profiles = load_profiles(args.csv)
    if args.jsonl:
        with args.jsonl.open("w", encoding="utf-8") as out:
            for p in profiles:
                out.write(p.model_dump_json(exclude_defaults=True) + "\n")
    checker = Checker(Config(lang=args.lang))
    by_category: collections.Counter[str] = collections.Counter()
    by_rule: collections.Counter[tuple[str, str]] = collections.Counter()
    sellers_with: collections.Counter[str] = collections.Counter()
    statuses: collections.Counter[str] = collections.Counter()
    samples: dict[str, list[str]] = collections.defaultdict(list)
    errors = 0
    listings = 0
    t1 = time.perf_counter()
    for p in profiles:
        listings += len(p.listings)
        report = checker.check_profile(p)
        statuses[report.status.value] += 1
        errors += sum(1 for r in report.rule_runs.values() if r.status.value == "error")
        cats = set()
        for f in report.findings:
            by_category[f.category.value] += 1
            by_rule[(f.rule_id, f.outcome.value)] += 1
            cats.add(f.category.value)
            ev = f.evidence[0] if f.evidence else None
            if ev is not None and ev.pointer and len(samples[f.rule_id]) < args.examples:
                samples[f.rule_id].append(f"{ev.pointer}: {ev.matched!r} in {ev.snippet[:90]!r}")
        sellers_with.update(cats)
    t2 = time.perf_counter()

    print(f"{len(profiles)} sellers, {listings} listings (from {args.csv.name})")
    print(f"load {t1 - t0:.1f} s, check {t2 - t1:.1f} s; rule errors: {errors}")
    print("report status: " + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())))
    print()
    print(f"{'category':<24}{'findings':>10}{'sellers':>10}")
    for cat, n in by_category.most_common():
        print(f"{cat:<24}{n:>10}{sellers_with[cat]:>10}")
    print()
    print(f"{'rule':<44}{'outcome':<14}{'findings':>9}")
    for (rid, outcome), n in sorted(by_rule.items()):
        print(f"{rid:<44}{outcome:<14}{n:>9}")
    for rid, lines in sorted(samples.items()):
        print(f"\n{rid}:")
        for line in lines:
            print(f"  {line}")
    summary = {"sellers": len(profiles), "listings": listings, "by_category": dict(by_category)}
    print("\n" + json.dumps(summary, ensure_ascii=False))
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
