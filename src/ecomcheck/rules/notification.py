"""moit_notification: the notification badge and its link to a registry record."""

from __future__ import annotations

import datetime as dt

from ecomcheck.extract.badge import BadgeProblem
from ecomcheck.models import Category, Confidence, Evidence, Severity
from ecomcheck.rules.base import RuleContext, RuleMeta, rule
from ecomcheck.rules.common import (
    PAGES_AND_PROFILES,
    is_profile,
    profile_of,
    require_ordering,
    require_own_website,
)

NEW_REGIME = dt.date(2026, 7, 1)
TRANSITION_END = dt.date(2027, 6, 30)

_LEGAL = ("vn.d52.art53", "vn.tt47.badge", "vn.d248.art24", "vn.d248.art45")


def _evidence(ctx: RuleContext, p: BadgeProblem) -> list[Evidence]:
    ev = ctx.subject.evidence(p.start, p.end, element=p.element if p.start is None else None)
    if p.href is not None:
        ev.matched = p.href
    return [ev]


@rule(
    RuleMeta(
        id="moit_notification.badge_missing",
        name="No notification badge on a site with online ordering",
        category=Category.MOIT_NOTIFICATION,
        severity=Severity.HIGH,
        confidence=Confidence.MEDIUM,
        legal_keys=(*_LEGAL, "vn.d98.ecommerce"),
        summary="A page with online ordering (cart, order or checkout) shows no notification "
        "badge, no badge picture and no claim of notification.",
        rationale="A website with an online ordering function must notify the authorities "
        "and display the badge that links to its registry record; not notifying is fined "
        "10–20 million VND and is the most common e-commerce violation QLTT handles.",
        limitations="Looks at one page: a site that shows the badge only on its home page is "
        "judged correctly by a whole-site check. A showcase page without ordering is not "
        "applicable. The registry itself is not queried. Seller profiles: not applicable on "
        "social networks and marketplaces (no website of their own); for `platform: "
        "website` the profile has no page to read, so the finding asks a person to check "
        "the site (`needs_review`). A badge hidden by an inline style (`display:none`, "
        "`visibility:hidden`, `opacity:0`) or by a class that hides on every screen "
        "(`sr-only`, `visually-hidden`, `d-none` or `hidden` without a class showing it "
        "again at some size) is sent for review; one hidden by a rule of the site's own "
        "stylesheet is not seen.",
        subjects=PAGES_AND_PROFILES,
    )
)
def badge_missing(ctx: RuleContext) -> None:
    """Fail when an ordering page has no badge of any kind.

    A seller profile on its own website cannot show a badge (the profile has no
    page), yet the website must be notified: a person checks its pages.
    """
    if is_profile(ctx) and profile_of(ctx).platform.value == "website":
        p = profile_of(ctx)
        ev = [p.field_evidence("/url", None, None)] if p.profile.url else []
        ctx.review(
            "moit_notification.badge_missing.profile_website",
            ev,
            value="profile_website",
            severity=Severity.MEDIUM,
            confidence=Confidence.LOW,
            url=p.profile.url or "",
        )
        return
    require_own_website(ctx)
    require_ordering(ctx)
    facts = ctx.subject.badges
    if facts.links and not facts.problems and all(b.hidden for b in facts.links):
        # In the markup, hidden from buyers by a style or class: a person should look.
        b = facts.links[0]
        link = ctx.subject.doc.links[b.link_index]
        where = ctx.subject.evidence(link.start, link.end, element=link.element)
        where.matched = b.href
        ctx.review(
            "moit_notification.badge_missing.hidden",
            [where],
            value="hidden",
            severity=Severity.MEDIUM,
            confidence=Confidence.LOW,
        )
        return
    if facts.links or facts.problems:
        ctx.passed("reason.badge_present")
        return
    ctx.fail("moit_notification.badge_missing", absent=True)


@rule(
    RuleMeta(
        id="moit_notification.badge_unlinked",
        name="Badge picture without a link to a registry record",
        category=Category.MOIT_NOTIFICATION,
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        legal_keys=(*_LEGAL, "vn.d98.art62"),
        summary="A notification badge picture (or icon) is shown without a link to the "
        "site's record on the registry.",
        rationale="The badge must link to the record the registry publishes for the site; a "
        "picture alone proves nothing and displaying an unconfirmed badge is fined.",
        limitations="Badge pictures are recognised by file name, alt text or class; a "
        "renamed picture with no words at all is not seen (its link, if any, is).",
        subjects=PAGES_AND_PROFILES,
    )
)
def badge_unlinked(ctx: RuleContext) -> None:
    """Fail for each badge picture that is not inside any link."""
    require_own_website(ctx)
    for p in ctx.subject.badges.problems:
        if p.kind == "image_unlinked":
            ctx.fail(
                "moit_notification.badge_unlinked",
                _evidence(ctx, p),
                value=p.detail,
                src=p.detail[:200],
            )


@rule(
    RuleMeta(
        id="moit_notification.badge_bad_link",
        name="Badge linking to no record",
        category=Category.MOIT_NOTIFICATION,
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        legal_keys=(*_LEGAL, "vn.d98.art62"),
        summary="A badge links to `#`, `javascript:`, the shop's own page, the registry's "
        "home or news page, another site, a host that imitates the registry, or a record "
        "address written without `http://` (which opens a page of the shop's own site).",
        rationale="Only a link to the site's own record lets a buyer or an officer verify "
        "the notification; placeholder and look-alike links are a known way to fake it.",
        limitations="Whether the record id exists and belongs to this site is not checked "
        "(that needs the network).",
        subjects=PAGES_AND_PROFILES,
    )
)
def badge_bad_link(ctx: RuleContext) -> None:
    """Fail for each badge link that does not reach a registry record."""
    require_own_website(ctx)
    for p in ctx.subject.badges.problems:
        if p.kind in ("dead_link", "bare_portal", "lookalike_host", "other_target", "no_scheme"):
            ctx.fail(
                f"moit_notification.badge_bad_link.{p.kind}",
                _evidence(ctx, p),
                value=f"{p.kind}:{p.detail}",
                href=(p.href or "")[:200],
                detail=p.detail[:200],
            )


@rule(
    RuleMeta(
        id="moit_notification.text_claim",
        name="Notification claimed in text only",
        category=Category.MOIT_NOTIFICATION,
        severity=Severity.MEDIUM,
        confidence=Confidence.MEDIUM,
        legal_keys=_LEGAL,
        summary='The page says it has notified or registered ("Đã thông báo Bộ Công Thương") '
        "but shows no badge linking to a record.",
        rationale="A sentence cannot be verified; the badge with its record link is what the "
        'rules require. "Đang thực hiện thủ tục" (in progress) is not a notification.',
        limitations="A claim worded in an unusual way is not recognised.",
        subjects=PAGES_AND_PROFILES,
    )
)
def text_claim(ctx: RuleContext) -> None:
    """Fail for a text claim of notification when no record link exists."""
    require_own_website(ctx)
    for p in ctx.subject.badges.problems:
        if p.kind == "text_claim":
            ctx.fail(
                "moit_notification.text_claim",
                _evidence(ctx, p),
                value=p.detail,
                claim=p.detail[:200],
            )


@rule(
    RuleMeta(
        id="moit_notification.transition",
        name="Badge from the regime before 1 July 2026",
        category=Category.MOIT_NOTIFICATION,
        severity=Severity.INFO,
        confidence=Confidence.MEDIUM,
        legal_keys=("vn.l122.2025", "vn.d248.art24", "vn.d52.art53"),
        summary="The badge links to a record of the registry as it was before the 2026 "
        "e-commerce law; such notifications stay valid until 30 June 2027.",
        rationale="Sites notified before 1 July 2026 may keep operating until 30 June 2027 "
        "and must then redo the procedure under Decree 248/2026. Legacy "
        "`CustomWebsiteDisplay.aspx?DocId=` links are certainly old records.",
        limitations="A `WebDetails` link does not say when the site was notified, so only "
        "legacy links are flagged; the transition date comes from unverified notes.",
        subjects=PAGES_AND_PROFILES,
    )
)
def transition(ctx: RuleContext) -> None:
    """Say how an old-regime badge stands on the date whose regime applies."""
    require_own_website(ctx)
    links = ctx.subject.badges.links
    if not links:
        ctx.not_applicable("reason.no_badge_link")
    if ctx.as_of < NEW_REGIME:
        ctx.passed("reason.old_regime_in_force")
        return
    legacy = [b for b in links if b.kind == "legacy"]
    if not legacy:
        ctx.passed(
            "reason.badge_accepted_transition"
            if ctx.as_of <= TRANSITION_END
            else "reason.badge_current"
        )
        return
    expired = ctx.as_of > TRANSITION_END
    for b in legacy:
        ev = Evidence(url=ctx.subject.doc.url, matched=b.href, snippet=b.href)
        link = ctx.subject.doc.links[b.link_index]
        if link.start is not None and link.end is not None:
            ev = ctx.subject.evidence(link.start, link.end)
            ev.matched = b.href
        else:
            ev.selector = ctx.subject.doc.selector(link.element)
        if expired:
            ctx.review(
                "moit_notification.transition.expired",
                [ev],
                value=b.record_id,
                severity=Severity.MEDIUM,
                record=b.record_id,
            )
        else:
            ctx.review(
                "moit_notification.transition.legacy", [ev], value=b.record_id, record=b.record_id
            )
