"""business_registration: who owns the shop, and is the number real."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ecomcheck.extract.identity import RegistrationNumber
from ecomcheck.models import Category, Confidence, Evidence, Severity
from ecomcheck.rules.base import RuleContext, RuleMeta, rule
from ecomcheck.rules.common import PAGES_AND_PROFILES, is_profile, profile_of, require_selling

if TYPE_CHECKING:
    from ecomcheck.profile_subject import FieldNumber

_LEGAL = ("vn.d52.art29", "vn.d248.art4", "vn.cpl2023.art37")
_IDENTIFYING = ("enterprise", "household", "personal_id", "old_format")
# An individual seller shows a personal tax code, which has no certificate, so no
# issuer or issue date (Decree 52 Art. 29 cl. 2).
_PERSONAL_LABEL = re.compile(r"(?i)cá nhân|ca nhan|personal")


def _numbers(ctx: RuleContext) -> list[RegistrationNumber]:
    return [n for n in ctx.subject.identity.registration_numbers if n.kind in _IDENTIFYING]


def _ev(ctx: RuleContext, n: RegistrationNumber) -> list[Evidence]:
    start = min(n.label_start, n.start)
    ev = ctx.subject.evidence(start, n.end, mask=n.kind == "personal_id")
    ev.matched = _shown(n)
    return [ev]


def _shown(n: RegistrationNumber) -> str:
    if n.kind == "personal_id":
        from ecomcheck.privacy import mask_ids_in_text

        return mask_ids_in_text(n.value, labelled=True)
    return n.value


@rule(
    RuleMeta(
        id="business_registration.identity_missing",
        name="Owner identity missing",
        category=Category.BUSINESS_REGISTRATION,
        severity=Severity.HIGH,
        confidence=Confidence.MEDIUM,
        legal_keys=(*_LEGAL, "vn.d98.ecommerce"),
        summary="A selling page does not show its owner's name together with an enterprise "
        "code, household business number or personal tax code.",
        rationale="Every seller must say who it is: the trader's name and registration "
        "number (or personal tax code for an individual). A licence of another kind — a "
        "news-site or social-network licence (GP số …/GP-TTĐT, …/GP-BTTTT), an investment "
        "certificate, a product declaration — does not identify the seller.",
        limitations="Reads one page; an identity shown only on another page of the site is "
        "found by a whole-site check. A number shown only inside an image is not read.",
        subjects=PAGES_AND_PROFILES,
    )
)
def identity_missing(ctx: RuleContext) -> None:
    """Fail when the owner's name or registration number is missing."""
    if is_profile(ctx):
        _profile_identity_missing(ctx)
        return
    require_selling(ctx)
    facts = ctx.subject.identity
    numbers = _numbers(ctx)
    if not numbers:
        if facts.other_licences:
            lic = facts.other_licences[0]
            ev = ctx.subject.evidence(lic.label_start, lic.end)
            ctx.fail(
                "business_registration.identity_missing.other_licence",
                [ev],
                value="other_licence",
                absent=True,
                licence=lic.raw,
            )
        elif facts.owner_names:
            owner = facts.owner_names[0]
            ev = ctx.subject.evidence(owner.start, owner.end)
            ctx.fail(
                "business_registration.identity_missing.number_missing",
                [ev],
                value="number_missing",
                absent=True,
                owner=owner.raw,
            )
        else:
            ctx.fail("business_registration.identity_missing.none", value="none", absent=True)
        return
    if not facts.owner_names and not any(n.owner for n in numbers):
        n = numbers[0]
        ctx.fail(
            "business_registration.identity_missing.name_missing",
            _ev(ctx, n),
            value="name_missing",
            absent=True,
            severity=Severity.LOW,
            number=_shown(n),
        )
        return
    ctx.passed("reason.identity_found")


@rule(
    RuleMeta(
        id="business_registration.check_digit",
        name="Registration number that cannot be valid",
        category=Category.BUSINESS_REGISTRATION,
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        legal_keys=("vn.tt86_2024.taxcode", *_LEGAL),
        summary="An enterprise code / tax code whose mod-11 check digit is wrong, or a "
        "labelled registration number that has no valid shape.",
        rationale="The tenth digit of an enterprise code is a check digit (weights 31, 29, "
        "23, 19, 17, 13, 7, 5, 3; modulus 11); a wrong one means the number was mistyped "
        "or invented. Old registration numbers from before 2010 fail the check and are "
        "flagged for review instead, unless the page dates the certificate after 2010, when "
        "every certificate carries the enterprise code.",
        limitations="A number with a valid check digit may still belong to someone else; "
        "the national registry is not queried.",
        subjects=PAGES_AND_PROFILES,
    )
)
def check_digit(ctx: RuleContext) -> None:
    """Fail for each labelled number whose check digit or shape is wrong."""
    if is_profile(ctx):
        _profile_check_digit(ctx)
        return
    checked = [n for n in ctx.subject.identity.registration_numbers if n.kind != "personal_id"]
    if not checked:
        ctx.not_applicable("reason.no_registration_number")
    for n in checked:
        if _judge_shape(ctx, n, _ev):
            continue
        if n.kind == "unknown":
            ctx.fail(
                "business_registration.check_digit.malformed",
                _ev(ctx, n),
                value=n.value,
                severity=Severity.MEDIUM,
                number=n.raw,
                label=n.label,
            )
    ctx.passed("reason.check_digits_ok")


@rule(
    RuleMeta(
        id="business_registration.issuer_date",
        name="Issuer or issue date missing",
        category=Category.BUSINESS_REGISTRATION,
        severity=Severity.LOW,
        confidence=Confidence.MEDIUM,
        legal_keys=("vn.d52.art29", "vn.d248.art4"),
        summary="A registration number is shown without the authority that issued it or "
        "the date it was issued.",
        rationale="The owner information must include the number, the issue date and the "
        "issuing authority of the registration certificate. An individual seller's personal "
        "tax code (labelled 'MST cá nhân') has no certificate, so neither is asked for it.",
        limitations="Issuer and date are associated with a number when they are in the same "
        "block or within about 200 characters of it.",
        subjects=PAGES_AND_PROFILES,
    )
)
def issuer_date(ctx: RuleContext) -> None:
    """Fail (low) for each registration number lacking issuer or date."""
    if is_profile(ctx):
        ctx.not_applicable("reason.profile_no_issuer_field")
    numbers = [
        n
        for n in _numbers(ctx)
        if n.kind != "personal_id" and not n.operator and not _PERSONAL_LABEL.search(n.label)
    ]
    if not numbers:
        ctx.not_applicable("reason.no_registration_number")
    for n in numbers:
        if n.has_issuer and n.has_issue_date:
            continue
        variant = (
            "both"
            if not (n.has_issuer or n.has_issue_date)
            else ("issuer" if not n.has_issuer else "date")
        )
        ctx.fail(
            f"business_registration.issuer_date.{variant}",
            _ev(ctx, n),
            value=f"{n.value}:{variant}",
            absent=True,
            number=n.value,
        )
    ctx.passed("reason.issuer_date_found")


@rule(
    RuleMeta(
        id="business_registration.platform_number",
        name="A marketplace operator's number shown as the shop's own",
        category=Category.BUSINESS_REGISTRATION,
        severity=Severity.MEDIUM,
        confidence=Confidence.MEDIUM,
        legal_keys=_LEGAL,
        summary="The registration number on the page belongs to a marketplace operator "
        "(Shopee, Tiki, Lazada, …), not to the seller.",
        rationale="Clones of marketplace templates copy the operator's footer, so the shop "
        "shows someone else's identity and hides its own. A person should look; a page on "
        "the operator's own site (Shopee's number on shopee.vn) passes.",
        limitations="Only the operators listed in the identity extractor are known.",
        subjects=PAGES_AND_PROFILES,
    )
)
def platform_number(ctx: RuleContext) -> None:
    """Flag for review each number that belongs to a marketplace operator."""
    if is_profile(ctx):
        _profile_platform_number(ctx)
        return
    numbers = [n for n in _numbers(ctx) if n.operator]
    if not numbers:
        ctx.passed("reason.no_platform_number")
        return
    own = [n for n in numbers if _on_operator_site(ctx.subject.doc.url, n)]
    if len(own) == len(numbers):
        ctx.passed("reason.operator_own_site", operator=numbers[0].operator)
        return
    for n in numbers:
        if n in own:
            continue
        ctx.review(
            "business_registration.platform_number",
            _ev(ctx, n),
            value=n.value,
            number=n.value,
            operator=n.operator,
        )


def _on_operator_site(url: str | None, n: RegistrationNumber) -> bool:
    """True when the page is on the operator's own site (Shopee's number on shopee.vn)."""
    if not url or n.tax_code is None:
        return False
    from ecomcheck.extract.identity import KNOWN_OPERATOR_SITES
    from ecomcheck.validate.domain import registrable_domain

    return registrable_domain(url) in KNOWN_OPERATOR_SITES.get(n.tax_code.digits, ())


# --------------------------------------------------------------------- seller profiles
# A profile states its number in a field of its own (or in its "about" text), so there
# is no label to read and no issuer or date to associate; the shape and check digit
# decide, and a 12-digit personal number is accepted for individuals and households.


def _profile_ev(ctx: RuleContext, n: FieldNumber) -> list[Evidence]:
    return [profile_of(ctx).field_evidence(n.pointer, n.start, n.end, mask=n.personal)]


def _profile_shown(ctx: RuleContext, n: FieldNumber) -> str:
    return n.value if not (n.personal and profile_of(ctx).mask) else n.shown


def _profile_confidence(ctx: RuleContext) -> Confidence | None:
    # Marketplaces show the seller's details on a separate page crawlers often skip.
    return Confidence.LOW if profile_of(ctx).profile.is_marketplace else None


def _profile_identity_missing(ctx: RuleContext) -> None:
    p = profile_of(ctx)
    facts = p.profile_identity
    if facts.numbers:
        ctx.passed("reason.profile_number_given")
        return
    if facts.field_placeholder is not None:
        ctx.fail(
            "business_registration.identity_missing.profile_placeholder",
            [p.field_evidence("/business_registration_number", None, None)],
            value="placeholder",
            confidence=_profile_confidence(ctx),
            text=facts.field_placeholder[:80],
        )
        return
    ctx.fail(
        "business_registration.identity_missing.profile_none",
        value="none",
        confidence=_profile_confidence(ctx),
    )


def _judge_shape(
    ctx: RuleContext, n: Any, evidence: Callable[[RuleContext, Any], list[Evidence]]
) -> bool:
    """Report a wrong check digit or an old-format number (pages and profiles alike).

    Returns whether the number was one of those two cases.
    """
    if n.kind in ("enterprise", "household") and n.valid_check_digit is False:
        ctx.fail(
            "business_registration.check_digit", evidence(ctx, n), value=n.value, number=n.value
        )
        return True
    if n.kind == "old_format":
        ctx.review(
            "business_registration.check_digit.old_format",
            evidence(ctx, n),
            value=n.value,
            severity=Severity.LOW,
            number=n.value,
        )
        return True
    return False


def _profile_check_digit(ctx: RuleContext) -> None:
    numbers = profile_of(ctx).profile_identity.numbers
    if not numbers:
        ctx.not_applicable("reason.no_registration_number")
    personal = None
    for n in numbers:
        if _judge_shape(ctx, n, _profile_ev):
            continue
        if n.kind == "unknown":
            ctx.fail(
                "business_registration.check_digit.profile_malformed",
                _profile_ev(ctx, n),
                value=n.shown,  # never a personal number in clear, even in a hash
                severity=Severity.MEDIUM,
                number=_profile_shown(ctx, n),
            )
        elif n.kind == "personal_id":
            personal = n
    if personal is not None:
        ctx.passed("reason.profile_personal_id", number=_profile_shown(ctx, personal))
    else:
        ctx.passed("reason.check_digits_ok")


def _profile_platform_number(ctx: RuleContext) -> None:
    numbers = [n for n in profile_of(ctx).profile_identity.numbers if n.operator]
    if not numbers:
        ctx.passed("reason.no_platform_number")
        return
    for n in numbers:
        ctx.review(
            "business_registration.platform_number",
            _profile_ev(ctx, n),
            value=n.value,
            number=n.value,
            operator=n.operator,
        )
