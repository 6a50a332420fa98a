"""Helpers shared by the origin and price rules: which offers are judged, evidence, params.

The rules read only ``ctx.subject.offers`` (and, for pages, the page kind), so a
seller-profile subject that exposes the same ``offers`` property gets the same rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ecomcheck.extract.offers import Offer, OriginFact, PriceFact, title_key

if TYPE_CHECKING:
    from ecomcheck.models import Evidence
    from ecomcheck.rules.base import RuleContext

# Pages that inform rather than sell.
_INFORMATIONAL = frozenset({"article", "policy"})
_TITLE_MAX = 80
#: Findings one rule reports per product on one page; the rest are counted in one more.
MAX_PRODUCT_FINDINGS = 200


class Cap:
    """Limits one rule's per-product findings on a page, then sums up the rest.

    A grid of thousands of products would otherwise give thousands of findings: the
    first :data:`MAX_PRODUCT_FINDINGS` name their product, one more counts the others.
    """

    def __init__(self, ctx: RuleContext, more_id: str) -> None:
        self.ctx = ctx
        self.more_id = more_id
        self.seen = 0

    def take(self) -> bool:
        """Count one finding; whether it is still reported on its own."""
        self.seen += 1
        return self.seen <= MAX_PRODUCT_FINDINGS

    def close(self, *, review: bool = False) -> None:
        """Report how many findings were left out, if any."""
        extra = self.seen - MAX_PRODUCT_FINDINGS
        if extra > 0:
            report = self.ctx.review if review else self.ctx.fail
            report(
                self.more_id,
                value=f"{self.ctx.meta.id}|more",
                count=extra,
                rule=self.ctx.meta.id,
                shown=MAX_PRODUCT_FINDINGS,
            )


def judged_offers(ctx: RuleContext, *, full_only: bool) -> list[Offer]:
    """The offers a rule judges, or end the rule as not applicable.

    On a product page that is the main product (related-product cards are judged on
    their own pages); elsewhere, the cards, or only the cards that can be bought as
    shown (``full_only``): a card that only links to the product's page is judged
    there.

    Args:
        ctx: The rule's context.
        full_only: Keep only offers that claim to be the full offer.
    """
    subject = ctx.subject
    if subject.kind == "page":
        kind = subject.page_kind.value
        if kind in _INFORMATIONAL:
            ctx.not_applicable("reason.informational_page", kind=kind)
    offers: list[Offer] = list(subject.offers)
    if not offers:
        ctx.not_applicable("reason.no_product_offer")
    main = [o for o in offers if o.role in ("main", "listing")]
    if main:
        return main
    if not full_only:
        return offers
    full = [o for o in offers if o.full_offer]
    if not full:
        ctx.not_applicable("reason.cards_not_full_offers", count=len(offers))
    return full


def goods_offers(ctx: RuleContext) -> list[Offer]:
    """The judged offers that can be bought as shown, less those priced on quotation.

    An offer priced only by quotation ("liên hệ báo giá") is most often a
    made-to-order service, which has no origin; ``price.quote`` asks a person to look.
    """
    offers = judged_offers(ctx, full_only=True)
    goods = [o for o in offers if not quoted(o)]
    if not goods:
        ctx.not_applicable("reason.quoted_offers")
    return goods


def quoted(offer: Offer) -> bool:
    """Whether the offer's only price is a quotation."""
    return (
        not offer.has_price
        and not offer.has_structured_price
        and any(p.kind == "quote" for p in offer.hidden_prices)
        and not any(p.kind == "hidden" for p in offer.hidden_prices)
    )


def product(offer: Offer) -> str:
    """The product's name for a message ("#3" when it has none), shortened."""
    name = offer.name or f"#{offer.index + 1}"
    return name if len(name) <= _TITLE_MAX else name[: _TITLE_MAX - 1].rstrip() + "…"


def value_key(offer: Offer, *parts: str) -> str:
    """Fingerprint value: the normalised product title plus rule-specific parts."""
    return "|".join((title_key(offer.name) or f"#{offer.index + 1}", *parts))


def title_evidence(ctx: RuleContext, offer: Offer) -> list[Evidence]:
    """Evidence pointing at the product's title (empty when it has no location)."""
    t = offer.title
    if t is None:
        return []
    if t.start is None and t.element is None:
        if offer.element is None:
            return []
        return [ctx.subject.field_evidence(t.field, None, None, element=offer.element)]
    if t.start is None:
        return [ctx.subject.field_evidence(t.field, None, None, element=t.element)]
    return [ctx.subject.field_evidence(t.field, t.start, t.end)]


def fact_evidence(ctx: RuleContext, fact: OriginFact | PriceFact) -> Evidence:
    """Evidence pointing at an origin statement or a price (or its structured data)."""
    element = fact.element if isinstance(fact, OriginFact) else None
    kw: dict[str, Any] = {}
    if isinstance(fact, OriginFact):
        kw["entry_id"] = fact.entry_id
    if fact.start is None:
        matched = f"{fact.label}: {fact.value}" if isinstance(fact, OriginFact) else fact.text
        ev = ctx.subject.field_evidence(fact.field, None, None, element=element, matched=matched)
        if ev.pointer is None and fact.pointer:
            ev.pointer = fact.pointer
        if not ev.snippet:
            ev.snippet = matched
        return ev
    return ctx.subject.field_evidence(fact.field, fact.start, fact.end, **kw)


def evidence(ctx: RuleContext, offer: Offer, *facts: OriginFact | PriceFact) -> list[Evidence]:
    """The product's title, then each offending fact."""
    out = title_evidence(ctx, offer)
    out.extend(fact_evidence(ctx, f) for f in facts)
    if not out and offer.element is not None and ctx.subject.kind == "page":
        out.append(ctx.subject.evidence(None, None, element=offer.element))
    return out


def stated(fact: OriginFact) -> str:
    """How an origin statement reads ("Xuất xứ: TQ", "hàng Quảng Châu")."""
    label, value = fact.label.strip(), fact.value.strip()
    if not value or value == label:
        return label
    if fact.kind == "origin_hint" and fact.source not in ("jsonld", "microdata"):
        return f"{label} {value}" if not label.endswith(value) else label
    return f"{label}: {value}"
