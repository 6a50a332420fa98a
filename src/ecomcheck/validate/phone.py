"""Vietnamese phone numbers in page text.

Candidates come from literal-first regexes (one per leading literal: ``0``, ``(``,
``+``, ``1800``/``1900``) with a digit-count gate, and are classified with the
``phonenumbers`` metadata for region VN. ``PhoneNumberMatcher`` is not used: it is
about six times slower and reads SKUs such as ``306440-740`` as numbers.

Context decides what the shape cannot: a number whose nearest preceding label on
the line is a tax-code, bank-account, order or SKU label is not a phone; a number
after "Hotline", "ĐT", "Tel"… is marked ``labelled``.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import phonenumbers
from phonenumbers import PhoneNumberType

from ecomcheck.validate._textprep import ascii_digits, ascii_fold, trie_pattern
from ecomcheck.validate.taxcode import mst_check_digit

__all__ = ["RETIRED_MOBILE_PREFIXES", "PhoneKind", "PhoneMatch", "find_phones", "parse_phone"]

PhoneKind = Literal["mobile", "landline", "hotline", "retired", "invalid"]

#: 11-digit mobile prefixes retired in the 2018 conversion, mapped to the
#: 10-digit prefix that replaced them (the last seven digits are kept).
RETIRED_MOBILE_PREFIXES: dict[str, str] = {
    "0120": "070", "0121": "079", "0122": "077", "0126": "076", "0128": "078",
    "0123": "083", "0124": "084", "0125": "085", "0127": "081", "0129": "082",
    "0162": "032", "0163": "033", "0164": "034", "0165": "035", "0166": "036",
    "0167": "037", "0168": "038", "0169": "039",
    "0186": "056", "0188": "058", "0199": "059",
}  # fmt: skip

_SEP = r"[ .\-\u00a0]"
# One pattern per leading literal: Python's re scans a single literal prefix much
# faster than a character-set prefix over 100 KB of text.
_CANDIDATES = (
    re.compile(rf"0(?:{_SEP}?[0-9]){{8,10}}(?![0-9])"),
    re.compile(rf"\((?:0[0-9]{{2,3}}|\+?84)\){_SEP}?[0-9](?:{_SEP}?[0-9]){{6,9}}(?![0-9])"),
    re.compile(rf"\+[ \u00a0]?84{_SEP}?(?:\(0\)[ \u00a0]?)?[0-9](?:{_SEP}?[0-9]){{7,10}}(?![0-9])"),
    re.compile(rf"1[89]00(?:{_SEP}?[0-9]){{4,6}}(?![0-9])"),
)
_NON_DIGIT = re.compile(r"[^0-9]")

_PHONE_LABELS = (
    "hotline", "hot line", "điện thoại", "đt", "sđt", "số điện thoại", "số đt", "đtdđ",
    "di động", "dđ", "tel", "telephone", "phone", "mobile", "mobi", "zalo", "fax",
    "liên hệ", "lh", "call", "gọi", "viber", "whatsapp", "cskh", "tổng đài", "contact",
    "hl", "sms", "nhắn tin",
)  # fmt: skip
_NOT_PHONE_LABELS = (
    # tax / registration
    "mst", "mã số thuế", "msdn", "mã số doanh nghiệp", "mã số dn", "mã doanh nghiệp",
    "gpkd", "giấy phép", "đkkd", "gcn", "cnđkdn", "gcnđkdn", "giấy chứng nhận", "mã số",
    "tax", "tax code", "tax id", "business registration", "enterprise code",
    "registration", "số đăng ký", "gcnđt", "đksp", "vat",
    # banking, orders, products, personal ids
    "stk", "số tài khoản", "tài khoản", "tk", "account", "acc", "mã đơn", "đơn hàng",
    "order", "sku", "mã sp", "mã sản phẩm", "mã hàng", "vận đơn", "mã vận đơn",
    "tracking", "cmnd", "cccd", "căn cước", "serial", "imei", "model", "barcode",
    "mã vạch", "ean", "mã", "code", "id", "hóa đơn", "hoá đơn", "invoice", "ref",
)  # fmt: skip
_PHONE_KEYS = frozenset(ascii_fold(x) for x in _PHONE_LABELS)
_LABEL_RE = re.compile(trie_pattern([ascii_fold(x) for x in _PHONE_LABELS + _NOT_PHONE_LABELS]))
# What may separate a phone label from a later number of the same list.
_CHAIN_RE = re.compile(r"[\s0-9.\-/,;()+|\u2013\u2014:]*(?:(?:hoac|or|va|and)[\s0-9.\-/,;()+|:]*)*")


@dataclass(frozen=True, slots=True)
class PhoneMatch:
    """A phone number found in text.

    Attributes:
        start: Offset of the first character in the searched text.
        end: Offset after the last character.
        raw: The number as written.
        national: Digits as dialled in Vietnam (``"0913456789"``, ``"19006035"``).
        e164: ``"+84…"``; for ``retired`` and ``invalid`` numbers this is only the
            written digits in E.164 shape and does not reach anyone.
        kind: ``mobile``, ``landline``, ``hotline`` (1800/1900), ``retired``
            (11-digit mobile prefix retired in 2018) or ``invalid`` (cannot exist).
        labelled: A phone label (Hotline, ĐT, Tel, Zalo…) precedes it on the line.
        successor: For ``retired`` numbers, the E.164 number it was converted to.
    """

    start: int
    end: int
    raw: str
    national: str
    e164: str
    kind: PhoneKind
    labelled: bool
    successor: str | None = None

    @property
    def valid(self) -> bool:
        """True for numbers that can be dialled today."""
        return self.kind in ("mobile", "landline", "hotline")


_TYPE_KIND: dict[int, PhoneKind] = {
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE: "landline",
    PhoneNumberType.VOIP: "landline",
    PhoneNumberType.TOLL_FREE: "hotline",
    PhoneNumberType.PREMIUM_RATE: "hotline",
    PhoneNumberType.SHARED_COST: "hotline",
    PhoneNumberType.UAN: "hotline",
}


@lru_cache(maxsize=4096)
def _classify(nsn: str) -> tuple[PhoneKind, str | None]:
    """Kind and successor of a national significant number (no trunk 0)."""
    if len(nsn) == 10:
        new = RETIRED_MOBILE_PREFIXES.get("0" + nsn[:3])
        if new is not None:
            return "retired", "+84" + new[1:] + nsn[3:]
    num = phonenumbers.PhoneNumber(country_code=84, national_number=int(nsn))
    kind = _TYPE_KIND.get(phonenumbers.number_type(num), "invalid")
    if nsn.startswith(("1800", "1900")) and kind != "hotline":
        return "invalid", None
    return kind, None


def _nsn_from_digits(d: str) -> str | None:
    """National significant number from the digits of a domestic or +84 number."""
    if d.startswith(("1800", "1900")):
        return d if 8 <= len(d) <= 10 else None
    if d.startswith("0") and not d.startswith("00"):
        return d[1:] if 9 <= len(d) <= 11 else None
    return None


def _build(
    start: int, end: int, raw: str, nsn: str, labelled: bool, *, intl: bool = False
) -> PhoneMatch:
    kind, successor = _classify(nsn)
    hot = nsn.startswith(("1800", "1900")) and not intl
    national = nsn if hot else "0" + nsn
    return PhoneMatch(start, end, raw, national, "+84" + nsn, kind, labelled, successor)


def _context(text: str, start: int) -> tuple[bool, bool]:
    """Return (skip, labelled) from the labels before ``start`` on its line."""
    ls = text.rfind("\n", 0, start) + 1
    if not text[ls:start].strip(" \t\u00a0:-–|•"):
        # Number alone at the start of a block: its label may end the previous one.
        ls = text.rfind("\n", 0, max(ls - 1, 0)) + 1
    window = ascii_fold(text[max(ls, start - 60) : start])
    last: re.Match[str] | None = None
    for m in _LABEL_RE.finditer(window):
        a, b = m.span()
        if (a == 0 or not window[a - 1].isalnum()) and (
            b == len(window) or not window[b].isalpha()
        ):
            last = m
    if last is None:
        return False, False
    between = window[last.end() :]
    if " ".join(last.group().split()) in _PHONE_KEYS:
        chained = _CHAIN_RE.fullmatch(between) is not None
        return False, chained
    # A tax/bank/order label covers only the first number after it.
    return len(_NON_DIGIT.sub("", between)) < 6, False


def _bad_neighbours(text: str, start: int, end: int) -> bool:
    if start > 0:
        p = text[start - 1]
        if p.isalnum() or p in "_#=&@/\\":
            return True
        if p in ".,-" and start > 1 and text[start - 2].isdigit():
            return True
    if end < len(text):
        n = text[end]
        if n.isalpha() or n in "@₫%":
            return True
        if n in "-/.," and end + 1 < len(text) and text[end + 1].isdigit():
            return True
    return False


def find_phones(text: str) -> list[PhoneMatch]:
    """Find Vietnamese phone numbers in text.

    Reports valid mobiles, landlines and 1800/1900 hotlines, retired 11-digit
    mobiles (with their successor), and numbers that cannot exist when a phone
    label introduces them. Tax codes after MST-like labels, bank accounts, order
    codes, SKUs and prices are skipped.

    Args:
        text: Visible text; offsets in the result point into it.

    Returns:
        Matches in text order, without overlaps.
    """
    original = text
    text = ascii_digits(text)  # same length: offsets and raw come from the original
    spans: list[tuple[int, int, int]] = []
    for i, rx in enumerate(_CANDIDATES):
        spans.extend((m.start(), m.end(), i) for m in rx.finditer(text))
    if not spans:
        return []
    spans.sort(key=lambda t: (t[0], -t[1]))
    out: list[PhoneMatch] = []
    last_end = -1
    for start, end, which in spans:
        if start < last_end or _bad_neighbours(text, start, end):
            continue
        last_end = end  # a skipped number (e.g. after "MST") also hides overlapping ones
        raw = text[start:end]
        d = _NON_DIGIT.sub("", raw)
        intl = which == 2 or (which == 1 and raw.startswith(("(+84", "(84")))
        if intl:
            d = d[2:]
            nsn: str | None = d[1:] if d.startswith("0") else d
            if nsn is not None and not 8 <= len(nsn) <= 10:
                nsn = None
        else:
            nsn = _nsn_from_digits(d)
        if nsn is None:
            continue
        skip, labelled = _context(text, start)
        if skip:
            continue
        pm = _build(start, end, original[start:end], nsn, labelled, intl=intl)
        if pm.kind == "invalid" and not labelled:
            continue  # without a phone label, an impossible number is not a phone claim
        if pm.kind != "hotline" and not labelled and _looks_like_tax_code(d):
            continue
        out.append(pm)
    return out


def _looks_like_tax_code(d: str) -> bool:
    """10 digits with a valid MST check digit that are not a mobile shape."""
    if len(d) != 10 or d[1] in "35789":
        return False
    return mst_check_digit(d[:9]) == ord(d[9]) - 48


def parse_phone(s: str) -> PhoneMatch | None:
    """Classify one string given as a phone number (a profile field, a ``tel:`` link).

    Accepts ``tel:`` prefixes, percent-encoding, ``+84``/``84``/``0084`` and domestic
    forms with any separators. The result is ``labelled`` because the caller
    declared the value a phone number; offsets refer to ``s``.

    Args:
        s: The value.

    Returns:
        The classified number (possibly ``retired`` or ``invalid``), or ``None`` if
        it has no plausible Vietnamese phone shape at all.
    """
    raw = s
    v = ascii_digits(urllib.parse.unquote(s)).strip()
    if v[:4].lower() == "tel:":
        v = v[4:]
    v = v.split("?", 1)[0].split(";", 1)[0]
    if not v or len(v) > 40 or any(c.isalpha() for c in v):
        return None
    d = _NON_DIGIT.sub("", v)
    intl = False
    if v.lstrip().startswith("+"):
        if not d.startswith("84"):
            return None
        d, intl = d[2:], True
    elif d.startswith("0084"):
        d, intl = d[4:], True
    elif d.startswith("84") and len(d) in (11, 12):
        d, intl = d[2:], True
    if intl:
        nsn: str | None = d[1:] if d.startswith("0") else d
        if nsn is not None and not 8 <= len(nsn) <= 10:
            nsn = None
    else:
        nsn = _nsn_from_digits(d)
    if nsn is None:
        return None
    return _build(0, len(raw), raw, nsn, True, intl=intl)
