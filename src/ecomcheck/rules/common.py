"""Helpers shared by rules."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from ecomcheck.rules.base import RuleContext

if TYPE_CHECKING:
    from ecomcheck.profile_subject import ProfileSubject

# Pages that inform rather than sell; their footers are judged on the selling pages.
_INFORMATIONAL = frozenset({"article", "policy"})

_PLATFORM_NAMES = {
    "facebook": "Facebook",
    "zalo": "Zalo",
    "tiktok": "TikTok",
    "shopee": "Shopee",
    "lazada": "Lazada",
    "tiki": "Tiki",
    "sendo": "Sendo",
}

#: The subject kinds of rules that read pages and seller profiles alike.
PAGES_AND_PROFILES = frozenset({"page", "profile"})


def is_profile(ctx: RuleContext) -> bool:
    """Tell whether the rule is checking a seller profile (not a page)."""
    return ctx.subject.kind == "profile"


def profile_of(ctx: RuleContext) -> ProfileSubject:
    """The subject as a seller profile; call only when :func:`is_profile` is true."""
    # RuleContext is typed for pages; profile rules branch on ``kind`` first.
    return cast("ProfileSubject", ctx.subject)


def require_selling(ctx: RuleContext) -> None:
    """End the rule as not applicable unless the page offers goods or services.

    A seller profile is a seller by definition (design §5), so it always applies.
    """
    if is_profile(ctx):
        return
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


def require_own_website(ctx: RuleContext) -> None:
    """For a profile, end the rule unless the seller sells on its own website.

    Notification and policy rules concern websites. A seller on a social network or
    a marketplace has no website of its own (``not_applicable``). A website seller
    is judged on its pages, which a profile does not contain (``not_assessed``);
    rules that can still say something for it must handle it before calling this.
    Pages pass through unchanged.
    """
    if not is_profile(ctx):
        return
    platform = profile_of(ctx).platform.value
    if platform == "other":
        ctx.not_applicable("reason.profile_not_website_other")
    if platform != "website":
        ctx.not_applicable("reason.profile_not_website", platform=_PLATFORM_NAMES[platform])
    ctx.not_assessed("reason.profile_website_pages")
