"""The profile subject: a seller profile and the facts rules read from it.

A :class:`ProfileSubject` offers rules what a :class:`~ecomcheck.subject.PageSubject`
offers, read from the fields of a :class:`~ecomcheck.profile.SellerProfile` instead
of a page: ``kind``, ``key``, ``describe()``, ``unreadable_reason()``,
``field_evidence()``, ``goods`` and ``offers`` (shared with the page rules), and
``profile_identity`` / ``profile_contacts`` for the profile branches of the identity
and contact rules.

Evidence points into the profile with a JSON Pointer (``/listings/3/title``) and
offsets into that field's original string. Personal identity numbers and personal
(mobile) phone numbers are masked in evidence, messages and fingerprints unless the
subject is built with ``mask=False`` for an authorised officer; values used for
fingerprints are always masked.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel

from ecomcheck.extract.identity import KNOWN_OPERATORS, RegistrationKind
from ecomcheck.models import Evidence, Subject
from ecomcheck.profile import Platform, SellerProfile
from ecomcheck.subject import Resources, _subject_key

if TYPE_CHECKING:
    from ecomcheck.extract.goods import GoodsHit
    from ecomcheck.extract.offers import Offer
    from ecomcheck.validate.phone import PhoneKind

__all__ = [
    "FieldAddress",
    "FieldContact",
    "FieldNumber",
    "FieldPhone",
    "ProfileContacts",
    "ProfileIdentity",
    "ProfileSubject",
    "listing_index",
    "mask_personal",
    "pointer",
]

_PAD = 60
_DIGITS = re.compile(r"[0-9]")
_DIGIT_RUN = re.compile(r"[0-9](?:[ .\-]?[0-9]){8,}")


def pointer(*parts: str | int) -> str:
    """Build a JSON Pointer (RFC 6901) from keys and indexes: ``/listings/3/title``."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def listing_index(ptr: str | None) -> int | None:
    """The listing index a pointer points into (``/listings/3/title`` → 3), else ``None``."""
    if not ptr or not ptr.startswith("/listings/"):
        return None
    head = ptr[len("/listings/") :].split("/", 1)[0]
    return int(head) if head.isdigit() else None


def _mask_digits(s: str) -> str:
    """Mask every digit but the last three, keeping separators in place."""
    from ecomcheck.validate.personal_id import mask_id

    return mask_id(s, "*")


def mask_personal(text: str, *, phones: bool = True) -> str:
    """Mask personal identity numbers and mobile phone numbers in a text.

    Twelve-digit personal numbers (and nine-digit old identity-card numbers) keep
    their last three digits; so do mobile numbers (current and retired). Landlines,
    1800/1900 hotlines, enterprise codes and prices are left as they are.

    Args:
        text: Any text, such as an evidence snippet.
        phones: Also mask mobile phone numbers.

    Returns:
        The text with the same length where only digits were replaced.
    """
    if not _DIGITS.search(text):
        return text
    from ecomcheck.validate.phone import find_phones

    masked = text
    if phones:
        chars = list(text)
        for m in find_phones(text):
            if m.kind in ("mobile", "retired", "invalid"):
                chars[m.start : m.end] = _mask_digits(m.raw)
        masked = "".join(chars)

    def repl(m: re.Match[str]) -> str:
        n = len(_DIGITS.findall(m.group()))
        return _mask_digits(m.group()) if n in (9, 12) else m.group()

    return _DIGIT_RUN.sub(repl, masked)


# --------------------------------------------------------------------------- facts


@dataclass(frozen=True, slots=True)
class FieldNumber:
    """A registration number given in a profile.

    Attributes:
        pointer: Where it is (``/business_registration_number`` or ``/about``).
        raw: The number as written.
        start: Offset of ``raw`` in the field's string.
        end: End offset.
        kind: ``enterprise`` (10/13-digit tax code), ``household``, ``personal_id``
            (12-digit personal number with a valid format), ``old_format`` (from
            labelled text only) or ``unknown`` (no valid shape).
        value: The normalised number (digits, or the raw text for ``unknown``).
        valid_check_digit: The tax-code check digit result, ``None`` if it has none.
        operator: The marketplace operator owning this number, if any.
        personal: The number identifies a person and is masked when shown.
    """

    pointer: str
    raw: str
    start: int
    end: int
    kind: RegistrationKind
    value: str
    valid_check_digit: bool | None
    operator: str | None
    personal: bool

    @property
    def shown(self) -> str:
        """The value as it may be shown without authorisation."""
        return _mask_digits(self.value) if self.personal else self.value


@dataclass(frozen=True, slots=True)
class FieldPhone:
    """A phone number given in a profile.

    Attributes:
        pointer: Where it is (``/phones/0`` or ``/about``).
        raw: The number as written.
        start: Offset of ``raw`` in the field's string.
        end: End offset.
        kind: A phone kind of :func:`ecomcheck.validate.phone.parse_phone`, or
            ``foreign`` (another country's number) or ``unreadable`` (no phone shape).
        national: Digits as dialled in Vietnam, ``None`` when not Vietnamese.
        personal: A mobile (or a number that cannot be classified), masked when shown.
    """

    pointer: str
    raw: str
    start: int
    end: int
    kind: PhoneKind | Literal["foreign", "unreadable"]
    national: str | None
    personal: bool

    @property
    def valid(self) -> bool:
        """True for a Vietnamese number that can be dialled today."""
        return self.kind in ("mobile", "landline", "hotline")

    @property
    def shown(self) -> str:
        """The number as it may be shown without authorisation."""
        return _mask_digits(self.raw) if self.personal else self.raw

    @property
    def fingerprint_value(self) -> str:
        """A value for the finding's fingerprint that never holds the number in clear."""
        return _mask_digits(self.national or self.raw)


@dataclass(frozen=True, slots=True)
class FieldContact:
    """An e-mail address or online contact (Zalo, Messenger, …) given in a profile.

    Attributes:
        pointer: Where it is.
        raw: As written.
        start: Offset in the field's string.
        end: End offset.
        kind: ``email`` or an online-contact kind (``zalo``, ``messenger``, …).
    """

    pointer: str
    raw: str
    start: int
    end: int
    kind: str


@dataclass(frozen=True, slots=True)
class FieldAddress:
    """An address given in a profile.

    Attributes:
        pointer: Where it is (``/address`` or ``/about``).
        raw: As written.
        start: Offset in the field's string.
        end: End offset.
        vague: Only a city or province, no street, ward or district.
    """

    pointer: str
    raw: str
    start: int
    end: int
    vague: bool


@dataclass(frozen=True, slots=True)
class ProfileIdentity:
    """Registration numbers of a profile: its field first, then its "about" text.

    Attributes:
        numbers: Every number found.
        field_given: ``business_registration_number`` holds something (even if it
            is not a number, such as "đang cập nhật").
        field_placeholder: The field holds text without any digit.
    """

    numbers: tuple[FieldNumber, ...] = ()
    field_given: bool = False
    field_placeholder: str | None = None


@dataclass(frozen=True, slots=True)
class ProfileContacts:
    """Ways to reach a seller, and its address, from a profile.

    Attributes:
        phones: Phones from ``phones``, then from the "about" text and listings.
        emails: Valid e-mail addresses from ``emails``, "about" and listings.
        online: Online contacts (Zalo, Messenger, WhatsApp links…) in the texts.
        addresses: The ``address`` field, addresses in "about", and labelled
            addresses in listings.
    """

    phones: tuple[FieldPhone, ...] = ()
    emails: tuple[FieldContact, ...] = ()
    online: tuple[FieldContact, ...] = ()
    addresses: tuple[FieldAddress, ...] = ()

    @property
    def has_contact_method(self) -> bool:
        """True when a valid phone, an e-mail address or an online contact is given."""
        return any(p.valid for p in self.phones) or bool(self.emails or self.online)


def _strip_span(text: str) -> tuple[int, int]:
    a, b = 0, len(text)
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _bare_number(ptr: str, text: str) -> FieldNumber | None:
    """Classify a field that holds only a number (no label)."""
    from ecomcheck.validate.household import parse_household_number
    from ecomcheck.validate.personal_id import parse_personal_id
    from ecomcheck.validate.taxcode import parse_tax_code

    a, b = _strip_span(text)
    s = text[a:b]
    digits = "".join(_DIGITS.findall(s))
    if len(digits) == 12:
        pid = parse_personal_id(s)
        if pid is not None:
            return FieldNumber(ptr, s, a, b, "personal_id", pid.digits, None, None, True)
    tc = parse_tax_code(s)
    if tc is not None and tc.normalized.replace("-", "") == digits:
        return FieldNumber(
            ptr,
            s,
            a,
            b,
            "enterprise",
            tc.normalized,
            tc.valid_check_digit,
            KNOWN_OPERATORS.get(tc.digits),
            False,
        )
    hh = parse_household_number(s)
    if hh is not None and hh.form == "alphanumeric":
        return FieldNumber(ptr, s, a, b, "household", hh.normalized, None, None, False)
    return None


def _text_numbers(ptr: str, text: str, *, labelled_only: bool) -> list[FieldNumber]:
    """Registration numbers after their labels in free text ("MST: 0101248141")."""
    from ecomcheck.extract.identity import extract_identity

    out: list[FieldNumber] = []
    for n in extract_identity(text).registration_numbers:
        if labelled_only and n.kind == "unknown":
            continue
        personal = n.kind == "personal_id" or (
            n.kind == "unknown" and len(_DIGITS.findall(n.value)) in (9, 12)
        )
        out.append(
            FieldNumber(
                ptr,
                n.raw,
                n.start,
                n.end,
                n.kind,
                n.value,
                n.valid_check_digit,
                n.operator,
                personal,
            )
        )
    return out


def _registration(profile: SellerProfile) -> ProfileIdentity:
    numbers: list[FieldNumber] = []
    given = False
    placeholder: str | None = None
    brn = profile.business_registration_number
    ptr = "/business_registration_number"
    if brn is not None and brn.strip():
        given = True
        bare = _bare_number(ptr, brn)
        if bare is not None:
            numbers.append(bare)
        else:
            found = _text_numbers(ptr, brn, labelled_only=False)
            if found:
                numbers.extend(found)
            elif _DIGITS.search(brn):
                a, b = _strip_span(brn)
                raw = brn[a:b]
                n_digits = len(_DIGITS.findall(raw))
                numbers.append(
                    FieldNumber(ptr, raw, a, b, "unknown", raw, None, None, n_digits in (9, 12))
                )
            else:
                placeholder = brn.strip()
    if profile.about:
        seen = {n.value for n in numbers}
        for n in _text_numbers("/about", profile.about, labelled_only=False):
            if n.value not in seen:
                seen.add(n.value)
                numbers.append(n)
    return ProfileIdentity(tuple(numbers), given, placeholder)


_VAGUE_WORDS = re.compile(
    r"(?i)\b(?:tp|t\.p|thành phố|thanh pho|tỉnh|tinh|city|province|việt nam|viet nam|vietnam|vn)\b"
    r"\.?"
)


def _is_vague_address(s: str) -> bool:
    """Only a city or province name ("Hà Nội", "TP. HCM"), nothing to find the seller by."""
    if _DIGITS.search(s):
        return False
    rest = _VAGUE_WORDS.sub(" ", s)
    words = [w for w in re.split(r"[\s,.;:\-–/]+", rest) if w]
    return len(words) <= 3


def _contacts(profile: SellerProfile) -> ProfileContacts:
    from ecomcheck.extract.contacts import extract_contacts
    from ecomcheck.validate.email import is_valid_email
    from ecomcheck.validate.phone import parse_phone

    phones: list[FieldPhone] = []
    emails: list[FieldContact] = []
    online: list[FieldContact] = []
    addresses: list[FieldAddress] = []
    for i, raw in enumerate(profile.phones):
        a, b = _strip_span(raw)
        if a == b:
            continue
        s = raw[a:b]
        ptr = pointer("phones", i)
        pm = parse_phone(s)
        if pm is None:
            compact = s.replace(" ", "")
            foreign = compact.startswith(("+", "00")) and not compact.startswith(("+84", "0084"))
            kind: Any = "foreign" if foreign else "unreadable"
            phones.append(FieldPhone(ptr, s, a, b, kind, None, True))
        else:
            personal = pm.kind not in ("landline", "hotline")
            phones.append(FieldPhone(ptr, s, a, b, pm.kind, pm.national, personal))
    for i, raw in enumerate(profile.emails):
        a, b = _strip_span(raw)
        s = raw[a:b].removeprefix("mailto:")
        if s and is_valid_email(s):
            emails.append(FieldContact(pointer("emails", i), raw[a:b], a, b, "email"))
    if profile.address is not None:
        a, b = _strip_span(profile.address)
        s = profile.address[a:b]
        if sum(c.isalpha() for c in s) >= 3:
            addresses.append(FieldAddress("/address", s, a, b, _is_vague_address(s)))
    # Sellers on social networks often give their number or Zalo in the posts
    # themselves, so listing texts count too (an address there only with its label).
    texts = [("/about", profile.about)]
    for i, li in enumerate(profile.listings):
        texts += [(pointer("listings", i, "title"), li.title)]
        texts += [(pointer("listings", i, "description"), li.description)]
    seen = {p.national for p in phones if p.national}
    for ptr, text in texts:
        if not text:
            continue
        c = extract_contacts(text)
        for p in c.phones:
            if p.start is None or p.end is None or p.national in seen:
                continue
            seen.add(p.national)
            personal = p.kind not in ("landline", "hotline")
            phones.append(FieldPhone(ptr, p.raw, p.start, p.end, p.kind, p.national, personal))
        for e in c.emails:
            if e.start is not None and e.end is not None:
                emails.append(FieldContact(ptr, e.raw, e.start, e.end, "email"))
        for o in c.online:
            if o.start is not None and o.end is not None:
                online.append(FieldContact(ptr, o.raw, o.start, o.end, o.kind))
        for ad in c.addresses:
            if ptr == "/about" or ad.label is not None:
                vague = _is_vague_address(ad.raw)
                addresses.append(FieldAddress(ptr, ad.raw, ad.start, ad.end, vague))
    return ProfileContacts(tuple(phones), tuple(emails), tuple(online), tuple(addresses))


# ------------------------------------------------------------------------- subject


class ProfileSubject:
    """A seller profile and the facts rules read from it, each computed on first use.

    Args:
        profile: The validated profile.
        resources: Data compiled once per Checker.
        mask: Mask personal identity numbers and personal phone numbers in evidence
            and messages (the default); ``False`` shows them to an authorised officer.
        record: Where the profile came from ("sellers.jsonl:57"), copied into
            every evidence item's ``record``.
        sha256: Hash of the input as received; defaults to a hash of the profile's
            canonical JSON.
    """

    kind = "profile"

    def __init__(
        self,
        profile: SellerProfile,
        resources: Resources,
        *,
        mask: bool = True,
        record: str | None = None,
        sha256: str | None = None,
    ) -> None:
        self.profile = profile
        self.resources = resources
        self.mask = mask
        self.record = record
        self._sha256 = sha256
        self.key = _profile_key(profile)

    # -- report ---------------------------------------------------------------------

    def describe(self) -> Subject:
        """Describe the profile for the report."""
        p = self.profile
        sha = self._sha256 or hashlib.sha256(p.model_dump_json().encode("utf-8")).hexdigest()
        return Subject(
            kind="profile",
            url=p.url,
            sha256=sha,
            name=p.display_name.strip() or None,
            platform=p.platform.value,
        )

    def unreadable_reason(self) -> str | None:
        """Return a reason id when the profile holds nothing to judge."""
        p = self.profile
        if not (
            p.display_name.strip()
            or p.about.strip()
            or p.url
            or p.phones
            or p.emails
            or (p.address or "").strip()
            or (p.business_registration_number or "").strip()
            or p.listings
        ):
            return "reason.empty_profile"
        return None

    # -- facts ----------------------------------------------------------------------

    @property
    def platform(self) -> Platform:
        """Where the seller sells."""
        return self.profile.platform

    @functools.cached_property
    def profile_identity(self) -> ProfileIdentity:
        """Registration numbers from the profile's field and its "about" text."""
        return _registration(self.profile)

    @functools.cached_property
    def profile_contacts(self) -> ProfileContacts:
        """Phones, e-mails, online contacts and addresses of the profile."""
        return _contacts(self.profile)

    @functools.cached_property
    def text_fields(self) -> tuple[tuple[str, str], ...]:
        """Every free-text field a goods rule reads, as (pointer, text) pairs.

        The seller's name and "about" text come first, then each listing's title,
        description, brand and category.
        """
        return self.seller_fields + self.listing_fields

    @functools.cached_property
    def seller_fields(self) -> tuple[tuple[str, str], ...]:
        """The seller's own texts: display name and "about"."""
        p = self.profile
        return tuple(
            (ptr, t) for ptr, t in (("/display_name", p.display_name), ("/about", p.about)) if t
        )

    @functools.cached_property
    def listing_fields(self) -> tuple[tuple[str, str], ...]:
        """Each listing's title and description (brand and category when given)."""
        out: list[tuple[str, str]] = []
        for i, li in enumerate(self.profile.listings):
            for name in ("title", "description", "brand", "category"):
                value = getattr(li, name)
                if value:
                    out.append((pointer("listings", i, name), value))
        return tuple(out)

    @functools.cached_property
    def goods(self) -> list[GoodsHit]:
        """Goods hits (restricted, counterfeit, smuggling, health claims) in the texts.

        Listings are offers; the seller's name and "about" text are read as
        context that is not itself an offer.
        """
        return profile_goods(self)

    @functools.cached_property
    def offers(self) -> list[Offer]:
        """One offer per listing, from its structured fields and, failing them, its text."""
        return profile_offers(self)

    # -- evidence -------------------------------------------------------------------

    def field_text(self, ptr: str | None) -> str | None:
        """The original string a JSON Pointer points to, or ``None``."""
        if not ptr:
            return None
        parts = [p.replace("~1", "/").replace("~0", "~") for p in ptr.split("/")[1:]]
        node: Any = self.profile
        for part in parts:
            if isinstance(node, list):
                if not part.isdigit() or int(part) >= len(node):
                    return None
                node = node[int(part)]
            elif isinstance(node, BaseModel) and part in type(node).model_fields:
                node = getattr(node, part)
            else:
                return None
        if node is None or isinstance(node, list | BaseModel):
            return None
        if isinstance(node, float) and node.is_integer():
            return str(int(node))
        return str(node)

    def _url_for(self, ptr: str | None) -> str | None:
        i = listing_index(ptr)
        if i is not None and i < len(self.profile.listings):
            return self.profile.listings[i].url or self.profile.url
        return self.profile.url

    def shown(self, text: str) -> str:
        """A text as it may be shown: personal data masked unless unmasking was asked."""
        return mask_personal(text) if self.mask else text

    def field_evidence(
        self,
        field: str | None,
        start: int | None,
        end: int | None,
        *,
        element: object | None = None,
        matched: str | None = None,
        entry_id: str | None = None,
        context: list[str] | None = None,
        mask: bool = False,
    ) -> Evidence:
        """Evidence in one field of the profile.

        Args:
            field: JSON Pointer of the field (``/listings/3/title``); ``None`` for
                evidence about the profile as a whole.
            start: Offset into the field's original string, or ``None``.
            end: End offset.
            element: Ignored (pages only); accepted so shared rules can pass it.
            matched: The original matched text; defaults to the span.
            entry_id: The data entry that fired.
            context: Context words that decided.
            mask: The matched text is personal data (a personal number): when the
                subject masks, mask all its digits but the last three.

        Returns:
            Evidence with ``pointer``, offsets into the field and a snippet.
        """
        del element
        text = self.field_text(field) if field else None
        snippet = ""
        if text is not None:
            if start is not None and end is not None:
                s = max(0, min(start, len(text)))
                e = max(s, min(end, len(text)))
                lo, hi = max(0, s - _PAD), min(len(text), e + _PAD)
                snippet = (
                    ("…" if lo else "")
                    + text[lo:hi].replace("\n", " ")
                    + ("…" if hi < len(text) else "")
                )
                if matched is None:
                    matched = text[s:e]
            else:
                snippet = text if len(text) <= 2 * _PAD else text[: 2 * _PAD] + "…"
        if self.mask:
            # The registration field holds a code, never a phone: a tax code such as
            # 0312776486 has a mobile's shape and must stay readable.
            phones = field != "/business_registration_number"
            if mask and matched:
                snippet = snippet.replace(matched, _mask_digits(matched))
                matched = _mask_digits(matched)
            snippet = mask_personal(snippet, phones=phones)
            if matched:
                matched = mask_personal(matched, phones=phones)
        return Evidence(
            url=self._url_for(field),
            pointer=field,
            snippet=snippet,
            start=start,
            end=end,
            matched=matched,
            entry_id=entry_id,
            context=context or [],
            record=self.record,
        )

    def evidence(self, start: int | None, end: int | None, **kw: Any) -> Evidence:
        """Evidence about the profile as a whole (the pages' single-field form)."""
        return self.field_evidence(None, start, end, **kw)


def _profile_key(p: SellerProfile) -> str:
    if p.url:
        return _subject_key(p.url)
    if p.id:
        return f"{p.platform.value}:id:{p.id.strip()}"
    return f"{p.platform.value}:name:{' '.join(p.display_name.casefold().split())}"


# ------------------------------------------------------------------ goods and offers
# The goods engine and the offer model are built for pages and reused here (one
# engine, not a copy); these two functions are the only places that adapt profile
# fields to them.


def profile_goods(subject: ProfileSubject) -> list[GoodsHit]:
    """Run the goods engine over a profile's texts.

    Listings are offers; the seller's name and "about" text are read as plain text
    (selling words in their sentence still make a hit an offer). A supplement
    listing is not reported when the seller's own texts carry the not-a-medicine
    notice, as for a page that shows it once.
    """
    from ecomcheck.extract.goods import NOTICE_KEY, analyze_fields

    matcher = subject.resources.goods
    hits = analyze_fields(subject.seller_fields, matcher, offer=False)
    listing_hits = analyze_fields(subject.listing_fields, matcher, offer=True)
    if any(h.subcategory == "supplement_listing" and h.kept for h in listing_hits) and any(
        t.key == NOTICE_KEY
        for _, text in subject.seller_fields
        for t in matcher.matcher.find_text(text)
    ):
        listing_hits = [
            replace(h, outcome="dropped", reason=(*h.reason, "notice_present"))
            if h.subcategory == "supplement_listing" and h.kept
            else h
            for h in listing_hits
        ]
    return hits + listing_hits


def profile_offers(subject: ProfileSubject) -> list[Offer]:
    """Build one offer per listing, with the page checks' offer model.

    Facts come from the listing's structured fields (``price``, ``origin``) and its
    title and description, each located by a JSON Pointer into the listing.
    """
    from ecomcheck.extract.offers import listing_offer

    return [listing_offer(li, i) for i, li in enumerate(subject.profile.listings)]
