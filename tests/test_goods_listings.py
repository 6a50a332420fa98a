"""Legitimate product listings across many domains never get a goods ``fail``.

The listings (``fixtures/goods_legit_listings.txt``) were written from real shops'
wording: electronics, books and films about crime or war, toys and models, tools
named "súng", farming and veterinary products, cosmetics, pharmacy items, food and
drinks with look-alike words. Each is checked as a product page (its title as the
heading, a price and an add-to-cart button): the strictest realistic setting.
"""

from __future__ import annotations

import html
from pathlib import Path

from ecomcheck import Checker, Config
from ecomcheck.models import Outcome

LISTINGS = Path(__file__).parent / "fixtures" / "goods_legit_listings.txt"
_GOODS = ("restricted_goods", "counterfeit", "smuggling", "health_claim")


def _listings() -> list[tuple[str, str]]:
    out = []
    for line in LISTINGS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            title, _, extra = line.partition(" || ")
            out.append((title.strip(), extra.strip()))
    return out


def test_no_legitimate_listing_gets_a_goods_fail() -> None:
    chk = Checker(Config(select=_GOODS))
    listings = _listings()
    assert len(listings) >= 1000
    failed = []
    for i, (title, extra) in enumerate(listings):
        page = (
            f"<html><body><main><h1>{html.escape(title)}</h1><p>{html.escape(extra)}</p>"
            '<span class="price">199.000₫</span><button>Thêm vào giỏ hàng</button></main>'
            "</body></html>"
        )
        report = chk.check_page(page, url=f"https://shop.vn/products/sp-{i}")
        failed += [
            (title, f.rule_id, [e.matched for e in f.evidence])
            for f in report.findings
            if f.outcome is Outcome.FAIL
        ]
    assert failed == []
