"""Where a page check spends its time: the document, each fact, each rule.

``bench_page.py`` gives the end-to-end ratio; this splits one check into the parts a
contributor can work on. For each page it measures, in every round: lxml parse +
``itertext`` (the baseline), building the ``PageDocument``, then each lazy fact of
the subject in the order the rules first ask for them (commerce signals, normalised
text, identity, contacts, badges, policies, offers, goods terms), then each rule
(a rule that is the first to need an offer fact is billed for computing it), and a
full ``check_page`` on its own. Medians over the rounds.

Usage: ``python benchmarks/bench_stages.py [PAGE.html ...] [--rounds 15] [--all-rules]``;
without pages it uses the 60 KB and 400 KB pages of ``bench_page.py``.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from pathlib import Path

from bench_page import samples
from lxml import etree

from ecomcheck import Checker, Config, PageDocument
from ecomcheck.subject import PageSubject

FACTS = [
    "commerce",
    "page_kind",
    "normalized",
    "identity",
    "contacts",
    "badges",
    "policies",
    "offers",
    "goods",
]


def stages(checker: Checker, data: bytes, url: str, rounds: int) -> dict[str, float]:
    """Median milliseconds of each stage of checking ``data``."""
    per: dict[str, list[float]] = {}
    as_of = checker.config.effective_date()
    for i in range(rounds + 2):  # two warm-up rounds
        gc.collect()
        t = time.perf_counter()
        root = etree.fromstring(data, etree.HTMLParser(huge_tree=True, remove_comments=True))
        " ".join(root.itertext())
        times = {"lxml parse+text": time.perf_counter() - t}
        t = time.perf_counter()
        doc = PageDocument.build(data, url=url)
        times["PageDocument"] = time.perf_counter() - t
        subject = PageSubject(doc, checker._resources)
        for name in FACTS:
            t = time.perf_counter()
            getattr(doc if name == "normalized" else subject, name)
            times[f"fact {name}"] = time.perf_counter() - t
        for rule in checker.rules:
            t = time.perf_counter()
            checker._run(rule, subject, as_of)
            times[f"rule {rule.meta.id}"] = time.perf_counter() - t
        t = time.perf_counter()
        checker.check_page(data, url=url)
        times["full check"] = time.perf_counter() - t
        if i >= 2:
            for k, v in times.items():
                per.setdefault(k, []).append(v * 1e3)
    return {k: statistics.median(v) for k, v in per.items()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("pages", nargs="*", type=Path)
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--all-rules", action="store_true", help="also list rules under 0.1 ms")
    args = ap.parse_args()
    pages = {p.name: p.read_bytes() for p in args.pages}
    if not pages:
        pages = {k: v for k, v in samples().items() if k != "3m"}
    checker = Checker(Config())
    for name, data in pages.items():
        ms = stages(checker, data, "https://shop.example/products/ao", args.rounds)
        base = ms["lxml parse+text"]
        print(f"\n{name} ({len(data):,} bytes)")
        print(f"  {'stage':<44} {'ms':>8} {'x lxml':>7}")
        for k, v in ms.items():
            if k.startswith("rule ") and v < 0.1 and not args.all_rules:
                continue
            print(f"  {k:<44} {v:>8.2f} {v / base:>7.2f}")
        facts = sum(v for k, v in ms.items() if k.startswith("fact "))
        rules = sum(v for k, v in ms.items() if k.startswith("rule "))
        print(f"  {'(all facts / all rules)':<44} {facts:>8.2f} {rules:>8.2f}")


if __name__ == "__main__":
    main()
