"""Origin extraction on the real Tiki description pages.

Usage::

    python benchmarks/origin_corpus.py --corpus /path/to/tiki_scraper_descriptions [-v]

The corpus (165 product cards scraped from Tiki, raw description HTML in the field
``disciption``) is not part of the repository; see the corpus NOTES.md. Each
description is read with :class:`~ecomcheck.PageDocument` (the library's own visible
text: block boundaries, entities, hidden elements), twice:

* alone, with :func:`~ecomcheck.extract.origin.extract_origin_statements` over its
  visible text, as the free-text extractor sees it;
* as a product page (title, price and the description in ``<main>``) through
  :func:`~ecomcheck.extract.offers.find_offers` and the ``origin`` rules, as a
  check of a real page would see it.

The script prints how many descriptions state an origin, compares the extractor
with a deliberately loose regular expression over the same text, and lists every
description where the two disagree (candidate misses and extra finds) with the text
around the phrase, so that a person can judge them. It ends with what the ``origin``
rules report on the 165 pages; the scrape holds no specification table (Tiki shows
origin there), so "no origin in the description" is not "no origin on the page".
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

from ecomcheck import Checker, Config, PageDocument
from ecomcheck.extract.offers import find_offers
from ecomcheck.extract.origin import OriginStatement, extract_origin_statements

FILES = ("tiki_products_110.json", "tiki_beauty_health_55.json")
NOTES_FIGURE = 49  # descriptions with an origin phrase, per the corpus NOTES.md
GOODS_KINDS = frozenset(("origin", "manufacture", "producer", "finishing"))

# Loose on purpose: every spelling of the phrase stems, in any context. What it finds
# and the extractor does not is a candidate miss; most are prose ("nguồn gốc thiên
# nhiên", "ngày sản xuất") that rightly yields nothing.
LOOSE = re.compile(
    r"xu[aâấ]t? ?[xs][ứưu]|s[uư]ất x[ứư]|s[ảãa]n xu[ấâa]t (?:t[ạa]i|b[ởo]i)|n[ơo]i s[ảa]n xu[ấa]t"
    r"|n[ưu][ớo]c s[ảa]n xu[ấa]t|nh[àa] s[ảa]n xu[ấa]t|ch[ếe] t[ạa]o t[ạa]i|made in|product of"
    r"|origin|ngu[ồo]n g[ốo]c|(?:đóng gói|lắp ráp|đóng chai) tại",
    re.IGNORECASE,
)


def description_text(raw: str) -> str:
    """Visible text of a description fragment, as the library reads pages."""
    if not raw.strip():
        return ""
    return PageDocument.from_str(f"<html><body>{raw}</body></html>").text


def product_page(item: dict[str, object], i: int) -> tuple[str, str]:
    """A product page around one scraped card: title, price, description."""
    title = html.escape(str(item.get("title") or ""))
    price = html.escape(str(item.get("price_discount") or ""))
    body = str(item.get("disciption") or "")
    page = (
        f"<html><head><title>{title}</title></head><body><main>"
        f'<h1>{title}</h1><div class="product-price">{price} ₫</div>'
        f'<button class="btn-add-to-cart">Chọn mua</button>'
        f'<div class="description">{body}</div></main></body></html>'
    )
    return page, f"https://tiki.vn/san-pham-{i}-p{1000 + i}.html"


def snippet(text: str, start: int, end: int, width: int = 50) -> str:
    a = max(0, start - width)
    b = min(len(text), end + width)
    return text[a:b].replace("\n", " ⏎ ")


def describe(st: OriginStatement) -> str:
    country = st.country or "-"
    flags = "".join(
        f for f, on in ((" abbr", st.is_abbreviation), (" misspelt", st.misspelling)) if on
    )
    return f"{st.kind:<12} {country:<3} {st.label!r} → {st.value!r}{flags}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", required=True, type=Path, help="tiki_scraper_descriptions dir")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every statement")
    args = ap.parse_args(argv)

    items: list[dict[str, object]] = []
    for name in FILES:
        path = args.corpus / name
        if not path.exists():
            print(f"missing {path}", file=sys.stderr)
            return 2
        items.extend(json.loads(path.read_text(encoding="utf-8")))

    kinds: Counter[str] = Counter()
    # Each description falls in the first group that fits.
    groups: Counter[str] = Counter()
    loose_items = 0
    misses: list[tuple[int, str, list[str]]] = []
    extras: list[tuple[int, str, list[OriginStatement], str]] = []
    per_item: list[tuple[int, str, list[OriginStatement], str]] = []
    offer_groups: Counter[str] = Counter()
    rule_findings: Counter[str] = Counter()
    finding_lines: list[str] = []
    checker = Checker(Config(select=("origin",), as_of=dt.date(2026, 11, 29), lang="en"))
    for i, item in enumerate(items):
        text = description_text(str(item.get("disciption") or ""))
        nfc = unicodedata.normalize("NFC", text)  # some descriptions are decomposed (NFD)
        title = str(item.get("title") or "")[:70]
        statements = extract_origin_statements(text)
        found = {s.kind for s in statements}
        stated = [s for s in statements if s.kind != "vague"]
        loose = [snippet(nfc, m.start(), m.end()) for m in LOOSE.finditer(nfc)]
        kinds.update(s.kind for s in statements)
        if found & GOODS_KINDS:
            groups["goods"] += 1
            if any(s.country for s in statements if s.kind in GOODS_KINDS):
                groups["goods_country"] += 1
        elif "brand_origin" in found:
            groups["brand_only"] += 1
        elif "origin_hint" in found:
            groups["hint_only"] += 1
        elif "vague" in found:
            groups["vague_only"] += 1
        if statements:
            per_item.append((i, title, statements, text))
        if loose:
            loose_items += 1
        if loose and not stated:
            misses.append((i, title, loose))
        elif stated and not loose:
            extras.append((i, title, stated, text))

        page, url = product_page(item, i)
        doc = PageDocument.from_str(page, url=url)
        offers = [o for o in find_offers(doc) if o.role == "main"]
        if not offers:
            offer_groups["no main offer"] += 1
        else:
            facts = offers[0].origins
            if any(f.is_goods and f.country for f in facts):
                offer_groups["goods origin with a country"] += 1
            elif any(f.kind == "brand_origin" and f.country for f in facts):
                offer_groups["brand origin only"] += 1
            else:
                offer_groups["no country stated"] += 1
        report = checker.check_page(doc)
        for f in report.findings:
            rule_findings[f.message_id] += 1
            if f.rule_id != "origin.missing":
                finding_lines.append(f"[{i}] {f.outcome.value:<12} {f.message}")

    total = len(items)
    stating = groups["goods"] + groups["brand_only"]
    print(f"descriptions: {total}")
    print(f"with an origin phrase, per NOTES.md: {NOTES_FIGURE}")
    print(f"matched by the loose regex (any origin stem, any context): {loose_items}")
    print(f"stating an origin, per the extractor (goods or brand): {stating}")
    print(f"  goods origin (origin/manufacture/producer/finishing): {groups['goods']}")
    print(f"    … naming a country: {groups['goods_country']}")
    print(f"  brand origin only: {groups['brand_only']}")
    print(f"other descriptions with only origin hints: {groups['hint_only']}")
    print(f"other descriptions with only vague import claims: {groups['vague_only']}")
    print("statements by kind: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))

    print(f"\n== loose regex hits with no statement ({len(misses)}): candidate misses ==")
    for i, title, hits in misses:
        print(f"[{i}] {title}")
        for h in hits[:6]:
            print(f"     … {h}")
    print(f"\n== statements where the loose regex finds nothing ({len(extras)}) ==")
    for i, title, stated, text in extras:
        print(f"[{i}] {title}")
        for st in stated:
            print(f"     {describe(st)}   … {snippet(text, st.start, st.end, 30)}")

    print(f"\n== as product pages ({total}): offers and origin findings ==")
    for group, n in offer_groups.most_common():
        print(f"  {group}: {n}")
    for message_id, n in sorted(rule_findings.items()):
        print(f"  {message_id}: {n}")
    print("findings other than origin.missing (each should be judged by a person):")
    for line in finding_lines:
        print(f"  {line}")
    if args.verbose:
        print("\n== all statements ==")
        for i, title, statements, text in per_item:
            print(f"[{i}] {title}")
            for st in statements:
                print(f"     {describe(st)}   … {snippet(text, st.start, st.end, 25)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
