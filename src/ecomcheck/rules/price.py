"""price: whether each offered product shows its price, and what the price includes.

The rules read ``ctx.subject.offers`` (see :mod:`ecomcheck.extract.offers`) and report
per product, naming it.
"""

from __future__ import annotations

import datetime as dt

from ecomcheck.extract.offers import PriceFact
from ecomcheck.models import Category, Confidence, Severity
from ecomcheck.profile import MARKETPLACES
from ecomcheck.rules._offers import Cap, evidence, judged_offers, product, value_key
from ecomcheck.rules.base import RuleContext, RuleMeta, rule
from ecomcheck.rules.common import is_profile, profile_of

_SUBJECTS = frozenset({"page", "profile"})
# Decree 248/2026 (price must say what it includes) is in force from this date.
_NEW_REGIME = dt.date(2026, 7, 1)


def _first(facts: list[PriceFact]) -> PriceFact:
    return next((f for f in facts if f.explicit), facts[0])


@rule(
    RuleMeta(
        id="price.hidden",
        name="Product offered without a price",
        category=Category.PRICE,
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        legal_keys=("vn.cpl2023.art37", "vn.d52.art31", "vn.d248.art8"),
        summary="A product is offered with 'ib giá', 'inbox', 'liên hệ', 'giá sỉ ib', 'Call' "
        "or a 0đ placeholder in place of its price, or (when it can be bought as shown) "
        "with no price at all.",
        rationale="A seller must tell buyers the price before a remote sale (Consumer "
        "Protection Law 2023 Art. 37) and display it on the listing. Asking buyers to "
        "message for the price is among the most common social-commerce violations, and "
        "lets the seller quote different prices to different people.",
        limitations="A price shown only in a picture or loaded later by JavaScript is not "
        "seen. A bare 'inbox' (which may be about sizes) is reported with medium "
        "confidence. Grid cards without a price placeholder are judged on the product's "
        "own page.",
        subjects=_SUBJECTS,
    )
)
def hidden(ctx: RuleContext) -> None:
    """Fail for each product whose price is withheld or missing."""
    cap = Cap(ctx, "price.more")
    for o in judged_offers(ctx, full_only=False):
        if o.has_price:
            continue
        stand_ins = [p for p in o.hidden_prices if p.kind == "hidden"]
        missing = (
            o.full_offer
            and not o.has_structured_price
            and not any(p.kind == "quote" for p in o.hidden_prices)
        )
        if (stand_ins or missing) and not cap.take():
            continue
        if stand_ins:
            f = _first(stand_ins)
            ctx.fail(
                "price.hidden",
                evidence(ctx, o, f),
                value=value_key(o, "hidden"),
                confidence=Confidence.HIGH if f.explicit else Confidence.MEDIUM,
                product=product(o),
                phrase=f.text,
            )
        elif missing:
            ctx.fail(
                "price.hidden.none",
                evidence(ctx, o),
                value=value_key(o, "none"),
                absent=True,
                confidence=Confidence.MEDIUM,
                product=product(o),
            )
    cap.close()
    ctx.passed("reason.price_shown")


@rule(
    RuleMeta(
        id="price.quote",
        name="Price given only on quotation",
        category=Category.PRICE,
        severity=Severity.LOW,
        confidence=Confidence.MEDIUM,
        legal_keys=("vn.cpl2023.art37", "vn.d52.art31"),
        summary="A product or service shows no price, only 'báo giá', 'nhận báo giá' or "
        "'liên hệ báo giá'.",
        rationale="Quotations are normal for made-to-order services (construction, printing, "
        "installation) but not for goods sold as shown, where they hide the price. A "
        "person should decide which one it is.",
        limitations="Whether the offer is a service is not decided automatically.",
        subjects=_SUBJECTS,
    )
)
def quote(ctx: RuleContext) -> None:
    """Flag for review each product priced only on quotation."""
    cap = Cap(ctx, "price.more")
    for o in judged_offers(ctx, full_only=False):
        if o.has_price or any(p.kind == "hidden" for p in o.hidden_prices):
            continue
        quotes = [p for p in o.hidden_prices if p.kind == "quote"]
        if quotes and cap.take():
            f = quotes[0]
            ctx.review(
                "price.quote",
                evidence(ctx, o, f),
                value=value_key(o, "quote"),
                product=product(o),
                phrase=f.text,
            )
    cap.close(review=True)
    ctx.passed("reason.no_quotation")


@rule(
    RuleMeta(
        id="price.tax_shipping",
        name="Price does not say whether tax and shipping are included",
        category=Category.PRICE,
        severity=Severity.LOW,
        confidence=Confidence.LOW,
        legal_keys=("vn.d248.art8", "vn.d52.art31"),
        summary="A page shows prices but nowhere says whether they include VAT or shipping: "
        "no 'đã bao gồm VAT', 'chưa gồm phí vận chuyển', 'miễn phí vận chuyển', "
        "'phí ship tính riêng' or similar, and no such statement in its structured data.",
        rationale="From 1 July 2026 a price must say whether it includes tax, shipping and "
        "other costs (Decree 248/2026 Art. 8 cl. 1, reported; not yet verified against the "
        "official text). Before that date a displayed price was deemed to include all "
        "related costs (Decree 52/2013 Art. 31 cl. 2), so the rule applies only from 1 July "
        "2026.",
        limitations="Only an explicit statement counts; a shipping-fee table on another page "
        "or a checkout that adds costs is not seen. One finding per page.",
        subjects=_SUBJECTS,
    )
)
def tax_shipping(ctx: RuleContext) -> None:
    """Fail (low) once when priced products carry no word on tax or shipping."""
    if ctx.as_of < _NEW_REGIME:
        ctx.not_applicable("reason.price_costs_old_regime")
    if is_profile(ctx) and profile_of(ctx).platform in MARKETPLACES:
        # The marketplace's own checkout states tax and shipping for every stall.
        ctx.not_applicable("reason.price_costs_marketplace")
    priced = [
        o for o in judged_offers(ctx, full_only=True) if o.has_price or o.has_structured_price
    ]
    if not priced:
        ctx.not_applicable("reason.no_priced_offer")
    if any(o.tax_shipping or o.tax_included is not None or o.shipping_stated for o in priced):
        ctx.passed("reason.tax_shipping_stated")
        return
    first = priced[0]
    shown = next((p for p in first.prices if p.positive and p.start is not None), None)
    facts = (shown,) if shown is not None else ()
    ctx.fail(
        "price.tax_shipping",
        evidence(ctx, first, *facts),
        value="tax_shipping",
        absent=True,
        product=product(first),
        count=len(priced),
    )
