"""Accuracy of the goods rules: labelled texts, and false alarms on real catalogs.

Usage::

    python benchmarks/accuracy.py                  # labelled set, then the real catalogs
    python benchmarks/accuracy.py --labelled-only  # what .ci/run runs
    python benchmarks/accuracy.py --corpus DIR     # DIR = the shared corpus/real folder
    python benchmarks/accuracy.py --labelled-only --labelled A.jsonl --held-out B.jsonl

**Labelled sets**: every text is wrapped as
a product page (the text as its heading, a price and an add-to-cart button) and
checked by the full page engine with the goods rules. Texts whose note says "page
context" (warnings, news, negated claims) are wrapped as a news article instead,
the place where such text is written. A category counts as predicted when the page
gets any finding (``fail`` or ``needs_review``) in it. Precision and recall per
category must be at least 0.95 on each gated file, or the script exits 1. By default
both labelled sets are gated: ``tests/fixtures/goods_labelled.jsonl`` (written with the
term data) and ``tests/fixtures/goods_labelled_fresh.jsonl`` (written without reading
the term data; its first, blind figures are in ``docs/accuracy.md``, and its misses
were fixed afterwards). ``--held-out`` files are reported without a gate: by default
``tests/fixtures/goods_labelled_blind.jsonl``, ``goods_labelled_blind2.jsonl`` and
``goods_labelled_blind3.jsonl``, three more sets written blind, kept as the measure
of wording nobody tuned the rules on (their first, blind figures are in
``docs/accuracy.md``). Each file is scored on its own, then all files together.

**Real catalogs** (``../shared/corpus/real``, read in place and never copied): the
9,099 Tiki clothing titles, 1,516 Bách Hóa Xanh grocery items and 165 Tiki
description pages are legitimate goods. Each item is wrapped as a product page
(title as heading, its price, add-to-cart button, and for Tiki descriptions the
description HTML itself) and checked by the page engine. That is the strictest
realistic setting: a product page is an offer context, so every surviving term hit
becomes at least ``needs_review``, exactly as on a shop's own product page. Every
item that gets a ``fail`` is listed with its text so a person can judge it; more
than 0.3% of items with a ``fail`` exits 1.
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecomcheck import Checker, Config, Outcome, Report
from ecomcheck.terms import GOODS_CATEGORIES

ROOT = Path(__file__).resolve().parents[1]
LABELLED = ROOT / "tests" / "fixtures" / "goods_labelled.jsonl"
# Written without looking at the term data, so it measures what the data was not tuned on.
FRESH = ROOT / "tests" / "fixtures" / "goods_labelled_fresh.jsonl"
BLIND = ROOT / "tests" / "fixtures" / "goods_labelled_blind.jsonl"
BLIND2 = ROOT / "tests" / "fixtures" / "goods_labelled_blind2.jsonl"
BLIND3 = ROOT / "tests" / "fixtures" / "goods_labelled_blind3.jsonl"
CORPUS = ROOT.parent / "shared" / "corpus" / "real"
TARGET = 0.95
MAX_FAIL_SHARE = 0.003


def checker() -> Checker:
    """A checker that runs only the goods rules."""
    return Checker(Config(select=GOODS_CATEGORIES, strict=True))


def product_page(title: str, price: str = "350.000₫", body: str = "") -> str:
    """A shop's product page: header menu, the title, a price, a cart button, footer."""
    t = html.escape(title)
    return (
        "<!doctype html><html lang='vi'><head><meta charset='utf-8'>"
        f"<title>{t}</title></head><body>"
        "<header class='site-header'><nav><a href='/'>Trang chủ</a> "
        "<a href='/collections/all'>Sản phẩm</a> <a href='/cart'>Giỏ hàng</a></nav></header>"
        f"<main><h1>{t}</h1><span class='price'>{html.escape(price)}</span>"
        "<button class='btn add-to-cart'>Thêm vào giỏ hàng</button>"
        f"<div class='description'>{body}</div></main>"
        "<footer class='site-footer'><p>Hotline 0909 123 456</p></footer></body></html>"
    )


def article_page(text: str) -> str:
    """A news or blog article whose headline and lead are the text."""
    t = html.escape(text)
    return (
        "<!doctype html><html lang='vi'><head><meta charset='utf-8'>"
        f"<title>{t}</title><meta property='og:type' content='article'></head><body>"
        "<header><nav><a href='/'>Trang chủ</a> <a href='/tin-tuc'>Tin tức</a></nav></header>"
        f"<main><article><h1>{t}</h1><p>{t}. Bài viết tổng hợp thông tin cho người "
        "tiêu dùng.</p></article></main></body></html>"
    )


def predicted(report: Report, fail_only: bool = False) -> set[str]:
    """Categories with a finding (or with a ``fail`` only)."""
    return {f.category.value for f in report.findings if not fail_only or f.outcome is Outcome.FAIL}


# --- labelled set -------------------------------------------------------------------


@dataclass
class Score:
    """Counts of one category."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class LabelledResult:
    """Scores per category and the texts that were wrong."""

    scores: dict[str, Score]
    fail_scores: dict[str, Score]
    errors: list[tuple[str, list[str], list[str]]]
    rows: int
    # Page-context negatives checked once more as product pages: (silent, total).
    context_on_product: tuple[int, int] = (0, 0)
    # The file scored, or every file for a combined result.
    paths: tuple[Path, ...] = ()

    def met(self) -> bool:
        return all(s.precision >= TARGET and s.recall >= TARGET for s in self.scores.values())


def labelled_rows(path: Path = LABELLED) -> list[dict[str, Any]]:
    """The labelled texts."""
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def wrap_labelled(row: dict[str, Any], index: int) -> tuple[str, str]:
    """HTML and URL of one labelled text (article for page-context negatives)."""
    text = str(row["text"])
    if "page context" in str(row["note"]):
        return article_page(text), f"https://shop.example/tin-tuc/bai-{index}"
    return product_page(text), f"https://shop.example/products/sp-{index}"


def run_labelled(path: Path = LABELLED, chk: Checker | None = None) -> LabelledResult:
    """Check every labelled text and score the categories."""
    chk = chk or checker()
    scores = {c: Score() for c in GOODS_CATEGORIES}
    fail_scores = {c: Score() for c in GOODS_CATEGORIES}
    errors: list[tuple[str, list[str], list[str]]] = []
    rows = labelled_rows(path)
    for i, row in enumerate(rows):
        page, url = wrap_labelled(row, i)
        report = chk.check_page(page, url=url)
        truth = set(row["labels"])
        for table, got in ((scores, predicted(report)), (fail_scores, predicted(report, True))):
            for c in GOODS_CATEGORIES:
                if c in got and c in truth:
                    table[c].tp += 1
                elif c in got:
                    table[c].fp += 1
                elif c in truth:
                    table[c].fn += 1
        got = predicted(report)
        if got != truth:
            errors.append((str(row["text"]), sorted(truth), sorted(got)))
    # Stricter than the target: negated and warning sentences must stay silent even
    # where they sit on a selling page.
    context = [r for r in rows if "page context" in str(r["note"])]
    silent = sum(
        not chk.check_page(product_page(str(r["text"])), url=f"https://shop.example/p/{i}").findings
        for i, r in enumerate(context)
    )
    return LabelledResult(scores, fail_scores, errors, len(rows), (silent, len(context)), (path,))


def combine(results: list[LabelledResult]) -> LabelledResult:
    """The scores of several labelled files added together."""

    def add(tables: list[dict[str, Score]]) -> dict[str, Score]:
        return {
            c: Score(
                sum(t[c].tp for t in tables),
                sum(t[c].fp for t in tables),
                sum(t[c].fn for t in tables),
            )
            for c in GOODS_CATEGORIES
        }

    return LabelledResult(
        add([r.scores for r in results]),
        add([r.fail_scores for r in results]),
        [e for r in results for e in r.errors],
        sum(r.rows for r in results),
        (
            sum(r.context_on_product[0] for r in results),
            sum(r.context_on_product[1] for r in results),
        ),
        tuple(p for r in results for p in r.paths),
    )


def _shown(path: Path) -> str:
    """A path relative to the repository when it lies inside it."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def print_labelled(
    res: LabelledResult, title: str = "Labelled set", gated: bool = True, wrong: bool = True
) -> None:
    """Print one result: scores per category, the wrong texts, and the gate verdict.

    Args:
        res: The result.
        title: What the result is ("Labelled set", "Held-out set", "Combined").
        gated: Whether the targets decide the exit code; a held-out result only
            reports them.
        wrong: Whether to list the wrongly predicted texts.
    """
    names = ", ".join(_shown(p) for p in res.paths)
    print(f"{title}: {res.rows} texts ({names})")
    print(
        f"{'category':<18} {'precision':>9} {'recall':>7}   {'tp':>4} {'fp':>3} {'fn':>3}"
        f"   {'fail-only P':>11} {'R':>5}"
    )
    for c in GOODS_CATEGORIES:
        s, f = res.scores[c], res.fail_scores[c]
        print(
            f"{c:<18} {s.precision:>9.3f} {s.recall:>7.3f}   {s.tp:>4} {s.fp:>3} {s.fn:>3}"
            f"   {f.precision:>11.3f} {f.recall:>5.3f}"
        )
    for text, truth, got in res.errors if wrong else []:
        print(f"  wrong: {text!r}: labels {truth}, found {got}")
    silent, total = res.context_on_product
    print(f"page-context negatives also checked as product pages: {silent}/{total} silent")
    if not gated:
        met = "met" if res.met() else "not met"
        print(f"not gated: targets (precision and recall >= {TARGET}) {met}")
    else:
        print("targets met" if res.met() else f"TARGET MISSED (precision and recall >= {TARGET})")


# --- real catalogs ------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One legitimate catalog item."""

    source: str
    key: str
    title: str
    price: str
    body: str


def corpus_items(folder: Path) -> Iterator[Item]:
    """Every item of the staged real catalogs (one per unique product id)."""
    seen: set[str] = set()
    with (folder / "tiki_clothes" / "HugeDS.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["id"] in seen:
                continue
            seen.add(row["id"])
            yield Item("tiki_clothes", row["id"], row["name"] or "", f"{row['current_price']}₫", "")
    bhx = json.loads((folder / "bhx_catalog" / "bhx_products_by_category.json").read_text("utf-8"))
    for n, p in enumerate(bhx):
        body = html.escape(p.get("description") or "")
        yield Item("bhx_catalog", str(n), p.get("name") or "", p.get("price_text") or "", body)
    for name in ("tiki_products_110.json", "tiki_beauty_health_55.json"):
        data = json.loads((folder / "tiki_scraper_descriptions" / name).read_text("utf-8"))
        for n, p in enumerate(data):
            yield Item(
                "tiki_descriptions",
                f"{name}#{n}",
                p.get("title") or "",
                f"{p.get('price_discount') or ''}₫",
                p.get("disciption") or "",
            )


@dataclass
class CorpusResult:
    """Items checked, flagged per source and category, and every failing item."""

    items: Counter[str]
    fail: Counter[tuple[str, str]]
    review: Counter[tuple[str, str]]
    fail_items: Counter[str]
    review_items: Counter[str]
    fails: list[tuple[Item, list[str]]]
    reviews: list[tuple[Item, list[str]]]
    seconds: float

    @property
    def fail_share(self) -> float:
        total = sum(self.items.values())
        return sum(self.fail_items.values()) / total if total else 0.0


def _describe(report: Report) -> list[str]:
    out = []
    for f in report.findings:
        ev = f.evidence[0] if f.evidence else None
        out.append(
            f"{f.outcome.value} {f.rule_id} [{ev.entry_id if ev else ''}] "
            f"matched {ev.matched if ev else ''!r} context {ev.context if ev else []}"
        )
    return out


def run_corpus(folder: Path, chk: Checker | None = None) -> CorpusResult:
    """Check every real catalog item as a product page."""
    chk = chk or checker()
    res = CorpusResult(Counter(), Counter(), Counter(), Counter(), Counter(), [], [], 0.0)
    t0 = time.perf_counter()
    for item in corpus_items(folder):
        res.items[item.source] += 1
        url = f"https://shop.example/products/{item.source}-{item.key}"
        report = chk.check_page(product_page(item.title, item.price, item.body), url=url)
        fails = predicted(report, fail_only=True)
        reviews = predicted(report) - fails
        for c in fails:
            res.fail[(item.source, c)] += 1
        for c in reviews:
            res.review[(item.source, c)] += 1
        if fails:
            res.fail_items[item.source] += 1
            res.fails.append((item, _describe(report)))
        elif reviews:
            res.review_items[item.source] += 1
            res.reviews.append((item, _describe(report)))
    res.seconds = time.perf_counter() - t0
    return res


def print_corpus(res: CorpusResult, folder: Path, verbose: bool) -> None:
    total = sum(res.items.values())
    print(
        f"\nReal catalogs: {total} legitimate items from {folder} "
        f"({res.seconds:.1f} s, checked as product pages)"
    )
    print(f"{'source':<18} {'category':<18} {'fail':>5} {'share':>7} {'review':>7} {'share':>7}")
    for source, n in res.items.items():
        for c in GOODS_CATEGORIES:
            fl, rv = res.fail[(source, c)], res.review[(source, c)]
            print(f"{source:<18} {c:<18} {fl:>5} {fl / n:>7.2%} {rv:>7} {rv / n:>7.2%}")
        fi, ri = res.fail_items[source], res.review_items[source]
        print(
            f"{source:<18} {'(items, any)':<18} {fi:>5} {fi / n:>7.2%} {ri:>7} {ri / n:>7.2%}"
            f"   of {n}"
        )
    fi = sum(res.fail_items.values())
    ri = sum(res.review_items.values())
    print(
        f"{'all':<18} {'(items, any)':<18} {fi:>5} {fi / total:>7.2%} {ri:>7} {ri / total:>7.2%}"
        f"   of {total}"
    )
    print(f"\nEvery item with a fail ({len(res.fails)}), for a person to judge:")
    for item, lines in res.fails:
        print(f"- [{item.source} {item.key}] {item.title[:140]}")
        for line in lines:
            print(f"    {line}")
    if verbose:
        print(f"\nItems with needs_review only ({len(res.reviews)}):")
        for item, lines in res.reviews:
            print(f"- [{item.source} {item.key}] {item.title[:140]}")
            for line in lines:
                print(f"    {line}")
    ok = res.fail_share <= MAX_FAIL_SHARE
    print(
        f"\nfail share {res.fail_share:.3%} "
        + ("<= " if ok else "> TARGET MISSED: ")
        + f"{MAX_FAIL_SHARE:.1%}"
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--labelled-only", action="store_true", help="only the labelled set")
    p.add_argument("--corpus", type=Path, default=CORPUS, help="the shared corpus/real folder")
    p.add_argument(
        "--labelled",
        type=Path,
        action="append",
        help=f"gated labelled JSONL file, repeatable (default {_shown(LABELLED)} and "
        f"{_shown(FRESH)})",
    )
    p.add_argument(
        "--held-out",
        type=Path,
        action="append",
        help="labelled JSONL file reported without a gate, repeatable "
        f"(default {_shown(BLIND)}, {_shown(BLIND2)} and {_shown(BLIND3)})",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="also list needs_review items")
    args = p.parse_args(argv)
    # The defaults apply only when no file is named, so "--labelled X" scores X alone.
    if args.labelled is None and args.held_out is None:
        gated, held_out = [LABELLED, FRESH], [BLIND, BLIND2, BLIND3]
    else:
        gated, held_out = args.labelled or [], args.held_out or []
    chk = checker()
    results: list[LabelledResult] = []
    ok = True
    for path, is_gated in [(q, True) for q in gated] + [(q, False) for q in held_out]:
        if results:
            print()
        lab = run_labelled(path, chk)
        print_labelled(lab, "Labelled set" if is_gated else "Held-out set", is_gated)
        results.append(lab)
        ok = ok and (lab.met() or not is_gated)
    if len(results) > 1:
        print()
        print_labelled(combine(results), "Combined", gated=False, wrong=False)
    if not args.labelled_only:
        if not args.corpus.is_dir():
            print(f"corpus folder not found: {args.corpus}", file=sys.stderr)
            return 2
        res = run_corpus(args.corpus, chk)
        print_corpus(res, args.corpus, args.verbose)
        ok = ok and res.fail_share <= MAX_FAIL_SHARE
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
