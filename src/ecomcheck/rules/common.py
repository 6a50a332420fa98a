"""Helpers shared by rules."""

from __future__ import annotations

from ecomcheck.rules.base import RuleContext

# Pages that inform rather than sell; their footers are judged on the selling pages.
_INFORMATIONAL = frozenset({"article", "policy"})


def require_selling(ctx: RuleContext) -> None:
    """End the rule as not applicable unless the page offers goods or services."""
    s = ctx.subject
    if s.page_kind.value in _INFORMATIONAL:
        ctx.not_applicable("reason.informational_page", kind=s.page_kind.value)
    c = s.commerce
    if not (c.has_ordering or c.price_count or s.page_kind.value in ("product", "listing")):
        ctx.not_applicable("reason.no_offer")


def require_ordering(ctx: RuleContext) -> None:
    """End the rule as not applicable unless the page has online ordering."""
    s = ctx.subject
    if s.page_kind.value in _INFORMATIONAL:
        ctx.not_applicable("reason.informational_page", kind=s.page_kind.value)
    if not s.commerce.has_ordering:
        ctx.not_applicable("reason.no_online_ordering")
