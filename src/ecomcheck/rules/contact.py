"""contact: a way to reach the seller, numbers that can exist, an address."""

from __future__ import annotations

from ecomcheck.extract.contacts import PhoneContact
from ecomcheck.models import Category, Confidence, Evidence, Severity
from ecomcheck.rules.base import RuleContext, RuleMeta, rule
from ecomcheck.rules.common import PAGES_AND_PROFILES, is_profile, profile_of, require_selling

_LEGAL = ("vn.d52.art29", "vn.cpl2023.art37", "vn.d248.art4")


@rule(
    RuleMeta(
        id="contact.no_contact",
        name="No phone or online contact",
        category=Category.CONTACT,
        severity=Severity.HIGH,
        confidence=Confidence.MEDIUM,
        legal_keys=_LEGAL,
        summary="A selling page shows no valid phone number and no online contact (e-mail, "
        "Zalo, Messenger, chat widget).",
        rationale="The owner information must include a phone number or another online "
        "contact method so that buyers can reach the seller.",
        limitations="Numbers shown only in images, and chat widgets injected by scripts "
        "after load, are not seen. For a seller profile, the platform's own chat (the "
        "page's inbox) is not counted: only phones, e-mail addresses and contact links "
        "the seller states.",
        subjects=PAGES_AND_PROFILES,
    )
)
def no_contact(ctx: RuleContext) -> None:
    """Fail when the page gives no way to reach the seller."""
    if is_profile(ctx):
        _profile_no_contact(ctx)
        return
    require_selling(ctx)
    c = ctx.subject.contacts
    if c.has_contact_method or c.emails:
        ctx.passed("reason.contact_found")
        return
    ctx.fail("contact.no_contact", value="no_contact", absent=True)


def _phone_ev(ctx: RuleContext, p: PhoneContact) -> list[Evidence]:
    if p.start is not None and p.end is not None:
        return [ctx.subject.evidence(p.start, p.end)]
    from ecomcheck.privacy import mask_ids_in_text

    # Not cut from the page text, so masked here (a tel: link may hold any digits).
    return [
        Evidence(
            url=ctx.subject.doc.url,
            snippet=mask_ids_in_text(p.href or p.raw),
            matched=mask_ids_in_text(p.raw),
        )
    ]


@rule(
    RuleMeta(
        id="contact.phone_invalid",
        name="Phone number that cannot exist",
        category=Category.CONTACT,
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        legal_keys=_LEGAL,
        summary="A phone number on the page cannot be called in Vietnam: an 11-digit mobile "
        "number retired in 2018, or a number no operator assigns.",
        rationale="A contact number that cannot be reached is no contact at all; retired "
        "11-digit numbers still appear on pages nobody updated.",
        limitations="A valid number may still belong to someone else; numbers are not dialled.",
        subjects=PAGES_AND_PROFILES,
    )
)
def phone_invalid(ctx: RuleContext) -> None:
    """Fail for each phone number that cannot exist."""
    if is_profile(ctx):
        _profile_phone_invalid(ctx)
        return
    phones = ctx.subject.contacts.phones
    if not phones:
        ctx.not_applicable("reason.no_phone")
    for p in phones:
        if p.kind in ("retired", "invalid"):
            ctx.fail(
                f"contact.phone_invalid.{p.kind}", _phone_ev(ctx, p), value=p.national, phone=p.raw
            )
    ctx.passed("reason.phones_valid")


@rule(
    RuleMeta(
        id="contact.no_address",
        name="No address",
        category=Category.CONTACT,
        severity=Severity.MEDIUM,
        confidence=Confidence.MEDIUM,
        legal_keys=_LEGAL,
        summary="A selling page shows no address of the seller.",
        rationale="The owner information must include the head-office address (or the "
        "permanent address of an individual).",
        limitations="Addresses are recognised by their labels and by the shape of "
        "Vietnamese addresses; a bare city name is not an address.",
        subjects=PAGES_AND_PROFILES,
    )
)
def no_address(ctx: RuleContext) -> None:
    """Fail when the page shows no address."""
    if is_profile(ctx):
        _profile_no_address(ctx)
        return
    require_selling(ctx)
    if ctx.subject.contacts.addresses:
        ctx.passed("reason.address_found")
        return
    ctx.fail("contact.no_address", value="no_address", absent=True)


# --------------------------------------------------------------------- seller profiles


def _profile_confidence(ctx: RuleContext) -> Confidence | None:
    # Marketplaces show the seller's details on a separate page crawlers often skip.
    return Confidence.LOW if profile_of(ctx).profile.is_marketplace else None


def _profile_no_contact(ctx: RuleContext) -> None:
    if profile_of(ctx).profile_contacts.has_contact_method:
        ctx.passed("reason.contact_found")
        return
    ctx.fail("contact.no_contact.profile", value="no_contact", confidence=_profile_confidence(ctx))


def _profile_phone_invalid(ctx: RuleContext) -> None:
    p = profile_of(ctx)
    phones = p.profile_contacts.phones
    if not phones:
        ctx.not_applicable("reason.profile_no_phone")
    for ph in phones:
        if ph.kind in ("retired", "invalid", "unreadable"):
            variant = "profile_unreadable" if ph.kind == "unreadable" else ph.kind
            ctx.fail(
                f"contact.phone_invalid.{variant}",
                [p.field_evidence(ph.pointer, ph.start, ph.end, mask=ph.personal)],
                value=ph.fingerprint_value,
                phone=ph.shown if p.mask else ph.raw,
            )
    ctx.passed("reason.phones_valid")


def _profile_no_address(ctx: RuleContext) -> None:
    p = profile_of(ctx)
    addresses = p.profile_contacts.addresses
    if any(not a.vague for a in addresses):
        ctx.passed("reason.address_found")
        return
    if addresses:
        a = addresses[0]
        ctx.review(
            "contact.no_address.profile_vague",
            [p.field_evidence(a.pointer, a.start, a.end)],
            value="vague",
            severity=Severity.LOW,
            address=a.raw[:120],
        )
        return
    ctx.fail("contact.no_address.profile", value="no_address", confidence=_profile_confidence(ctx))
