"""Contact facts from a page: phones, e-mails, online contacts and addresses.

Decree 52/2013 Art. 29 asks for a phone number *or* another online contact, and
the head-office address; the consumer-protection law asks for an address and a
phone. Phones and e-mails come from the validators; online contacts (Zalo,
Messenger, Facebook, WhatsApp, Telegram, chat widgets) from link targets and
from bare URLs in the text; addresses from their labels ("Địa chỉ:", "Trụ sở
chính:", "Showroom 1:", "Head office:") or from lines shaped like a Vietnamese
address.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ecomcheck.validate._textprep import (
    PAGE_PHRASES,
    PhraseMatcher,
    alt,
    ascii_fold,
    is_word_end,
    is_word_start,
    line_bounds,
    prepare,
    trie_pattern,
)
from ecomcheck.validate.domain import host_of
from ecomcheck.validate.email import find_emails, is_valid_email
from ecomcheck.validate.phone import PhoneKind, PhoneMatch, find_phones, parse_phone

__all__ = [
    "AddressContact",
    "ContactFacts",
    "ContactSource",
    "EmailContact",
    "OnlineContact",
    "OnlineKind",
    "PhoneContact",
    "classify_online_url",
    "extract_contacts",
]

ContactSource = Literal["text", "href"]
OnlineKind = Literal[
    "zalo", "messenger", "facebook", "whatsapp", "telegram", "instagram", "skype", "viber",
    "chat_widget",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class PhoneContact:
    """A phone number from the text or from a ``tel:``/``sms:`` link.

    Attributes:
        raw: The number as written (the whole href for links).
        start: Offset in the text, ``None`` for links.
        end: End offset in the text, ``None`` for links.
        source: ``"text"`` or ``"href"``.
        href: The link target for ``source == "href"``.
        national: Digits as dialled in Vietnam.
        e164: ``"+84…"`` (only a shape for ``retired``/``invalid``).
        kind: mobile / landline / hotline / retired / invalid.
        labelled: Introduced by a phone label, or given as a link.
        successor: For a retired 11-digit mobile, the number it became.
    """

    raw: str
    start: int | None
    end: int | None
    source: ContactSource
    href: str | None
    national: str
    e164: str
    kind: PhoneKind
    labelled: bool
    successor: str | None

    @property
    def valid(self) -> bool:
        """True for numbers that can be dialled today."""
        return self.kind in ("mobile", "landline", "hotline")


@dataclass(frozen=True, slots=True)
class EmailContact:
    """An e-mail address from the text or a ``mailto:`` link.

    Attributes:
        raw: The address as written (the whole href for links).
        start: Offset in the text, ``None`` for links.
        end: End offset in the text, ``None`` for links.
        source: ``"text"`` or ``"href"``.
        href: The link target for ``source == "href"``.
        address: The address, domain lower-cased.
    """

    raw: str
    start: int | None
    end: int | None
    source: ContactSource
    href: str | None
    address: str


@dataclass(frozen=True, slots=True)
class OnlineContact:
    """An online contact method (chat app, social page, chat widget).

    Attributes:
        raw: The URL as written.
        start: Offset in the text, ``None`` for links.
        end: End offset in the text, ``None`` for links.
        source: ``"text"`` or ``"href"``.
        href: The link target for ``source == "href"``.
        kind: zalo, messenger, facebook, whatsapp, telegram, instagram, skype,
            viber or chat_widget.
        handle: Page name, phone number or id from the URL, if any.
    """

    raw: str
    start: int | None
    end: int | None
    source: ContactSource
    href: str | None
    kind: OnlineKind
    handle: str | None


@dataclass(frozen=True, slots=True)
class AddressContact:
    """A postal address.

    Attributes:
        raw: The address as written (without its label).
        start: Offset in the text.
        end: End offset in the text.
        label: The label as written ("Địa chỉ", "Showroom 1"), ``None`` when the
            line was recognised by its shape.
        label_start: Offset of the label, or ``None``.
    """

    raw: str
    start: int
    end: int
    label: str | None
    label_start: int | None


@dataclass(frozen=True, slots=True)
class ContactFacts:
    """Everything :func:`extract_contacts` found, text items first, in text order."""

    phones: tuple[PhoneContact, ...] = ()
    emails: tuple[EmailContact, ...] = ()
    online: tuple[OnlineContact, ...] = ()
    addresses: tuple[AddressContact, ...] = ()

    @property
    def has_valid_phone(self) -> bool:
        """True when at least one phone number can be dialled today."""
        return any(p.valid for p in self.phones)

    @property
    def has_contact_method(self) -> bool:
        """True when a valid phone or an online contact (chat, social page) exists.

        E-mail is not counted: Art. 29 asks for a phone or an online method, and
        callers can add ``emails`` themselves if they accept it.
        """
        return self.has_valid_phone or bool(self.online)


# ------------------------------------------------------------------ online contacts
_WIDGET_HOSTS = (
    "tawk.to", "livechatinc.com", "livechat.com", "lc.chat", "subiz.com", "subiz.net",
    "subiz.vn", "tidio.com", "tidio.co", "crisp.chat", "fchat.vn", "zopim.com",
    "chatwoot.com", "smartsupp.com", "botbanhang.vn", "harasocial.com",
)  # fmt: skip
_FB_NOT_CONTACT = frozenset(
    [
        "sharer", "sharer.php", "share", "share.php", "dialog", "plugins", "tr", "login",
        "login.php", "policies", "policy.php", "help", "legal", "privacy", "terms", "settings",
        "hashtag", "watch", "events", "groups", "gaming", "marketplace", "business", "ads",
    ]
)  # fmt: skip
_IG_NOT_CONTACT = frozenset(
    ["p", "reel", "reels", "explore", "accounts", "stories", "about", "legal"]
)


def _query_value(query: str, key: str) -> str | None:
    values = urllib.parse.parse_qs(query).get(key)
    return values[0] if values else None


_SCHEME_KINDS: dict[str, OnlineKind] = {"skype": "skype", "viber": "viber", "zalo": "zalo"}


def _first_segment(path: str) -> str | None:
    seg = path.strip("/").split("/", 1)[0]
    return urllib.parse.unquote(seg) or None


def _query_of(url: str) -> str:
    """The query of a URL, read without ``urlsplit`` (which rejects "whatsapp://[x")."""
    _, sep, rest = url.partition("?")
    return rest.split("#", 1)[0] if sep else ""


def classify_online_url(url: str) -> tuple[OnlineKind, str | None] | None:
    """Classify a URL or href as an online contact method.

    Args:
        url: ``https://zalo.me/0913456789``, ``m.me/shop``, ``skype:name?chat``…

    Returns:
        ``(kind, handle)``, or ``None`` when the URL is not a contact method
        (share buttons, tracking pixels, unrelated sites).
    """
    u = url.strip()
    scheme, sep, rest = u.partition(":")
    scheme = scheme.lower()
    if sep and scheme == "whatsapp":
        return "whatsapp", _query_value(_query_of(u), "phone")
    if sep and scheme in _SCHEME_KINDS:
        handle = rest.lstrip("/").split("?", 1)[0] or None
        if scheme == "viber":  # viber://chat?number=…, viber://add?number=…
            handle = _query_value(_query_of(u), "number") or handle
        return _SCHEME_KINDS[scheme], handle
    low = u.lower()
    # Most links of a page are the shop's own: skip host parsing unless a contact host
    # could be in the URL (hosts with "www."/"m." prefixes still contain these fragments).
    if _CONTACT_FRAGMENT_RE.search(low) is None:
        return None
    host = host_of(u)
    if host is None:
        return None
    for pre in ("www.", "m.", "mobile.", "web.", "vi-vn.", "vi.", "business."):
        if host.startswith(pre) and host.count(".") >= 2:
            host = host[len(pre) :]
            break
    try:
        parts = urllib.parse.urlsplit(u if "//" in u else "//" + u)
    except ValueError:
        return None
    path = parts.path
    seg = _first_segment(path)
    if host in ("zalo.me", "chat.zalo.me", "oa.zalo.me", "zalo.vn") or host.endswith(".zalo.me"):
        return ("zalo", seg) if seg or host != "zalo.me" else None
    if host in ("m.me", "messenger.com"):
        if seg == "t":  # messenger.com/t/<id>
            return "messenger", path.rstrip("/").rsplit("/", 1)[-1] or None
        return "messenger", seg
    if host in ("facebook.com", "fb.com", "fb.me"):
        if seg is None:
            return None
        if seg == "messages" and "/t/" in path:
            return "messenger", path.rsplit("/", 1)[-1] or None
        if seg.lower() in _FB_NOT_CONTACT:
            return None
        if seg == "profile.php":
            return "facebook", _query_value(parts.query, "id")
        return "facebook", seg
    if host in ("wa.me", "api.whatsapp.com", "chat.whatsapp.com", "whatsapp.com"):
        if host == "wa.me":
            return ("whatsapp", seg) if seg else None
        return "whatsapp", _query_value(parts.query, "phone") or seg
    if host in ("t.me", "telegram.me"):
        if seg in (None, "share"):
            return None
        return "telegram", seg
    if host == "instagram.com":
        if seg is None or seg.lower() in _IG_NOT_CONTACT:
            return None
        return "instagram", seg
    if any(host == h or host.endswith("." + h) for h in _WIDGET_HOSTS):
        return "chat_widget", host
    return None


_CONTACT_FRAGMENTS = (
    "zalo", "m.me", "messenger.com", "facebook.com", "fb.com", "fb.me", "wa.me", "whatsapp",
    "t.me", "telegram.me", "instagram.com", *_WIDGET_HOSTS,
)  # fmt: skip
# One regex search instead of a substring test per fragment (called for every link).
_CONTACT_FRAGMENT_RE = re.compile("|".join(map(re.escape, _CONTACT_FRAGMENTS)))

# "zalo.me/…", "fb.com/…", "m.me/…" written in the text. Anchored on the dot of the
# host so the scan is literal-first.
_URL_TAIL_RE = re.compile(r"\.(?:me|com|to|vn|chat)/[^\s\"'<>()\[\]]*")
_HOST_BACK_RE = re.compile(r"(?:https?://)?[a-z0-9.\-]{1,40}$")
_TEXT_HOSTS = (
    "zalo.me", "zalo.vn", "m.me", "messenger.com", "facebook.com", "fb.com", "fb.me", "wa.me",
    "whatsapp.com", "t.me", "telegram.me", "instagram.com", *_WIDGET_HOSTS,
)  # fmt: skip

# ------------------------------------------------------------------------ addresses
_ADDRESS_LABELS_FREE = (
    "địa chỉ", "trụ sở", "trụ sở chính", "địa chỉ trụ sở", "địa chỉ trụ sở chính",
    "địa chỉ kinh doanh", "địa chỉ văn phòng", "địa chỉ cửa hàng", "địa chỉ liên hệ",
    "địa chỉ showroom", "địa chỉ đăng ký", "địa điểm kinh doanh", "address", "head office",
    "headquarters", "registered address", "office address", "business address",
)  # fmt: skip
_ADDRESS_LABELS_COLON = (
    "đ/c", "đc", "văn phòng", "văn phòng giao dịch", "vpgd", "vp", "showroom", "cửa hàng",
    "chi nhánh", "kho", "kho hàng", "cơ sở", "cs", "office", "store", "shop", "branch",
    "warehouse",
)  # fmt: skip
_NOT_ADDRESS_AFTER = re.compile(
    r"\s*"
    + alt(
        "email",
        "e-mail",
        "mail",
        "ip",
        "web",
        "website",
        "url",
        "nhận hàng",
        "giao hàng",
        "của bạn",
        "thanh toán",
        "ví",
    )
    + r"(?![^\W\d_])"
)
_ADMIN_MARKERS = (
    "phường", "quận", "huyện", "thị xã", "thị trấn", "tỉnh", "thành phố", "tp", "xã",
    "ward", "district", "province",
)  # fmt: skip
_LABEL_KEYS: dict[str, str] = {}
for _w in _ADDRESS_LABELS_FREE:
    _LABEL_KEYS[ascii_fold(_w)] = "free"
for _w in _ADDRESS_LABELS_COLON:
    _LABEL_KEYS[ascii_fold(_w)] = "colon"
for _w in _ADMIN_MARKERS:
    _LABEL_KEYS.setdefault(ascii_fold(_w), "admin")
_CONTACT_PHRASES = _ADDRESS_LABELS_FREE + _ADDRESS_LABELS_COLON + _ADMIN_MARKERS
# Whole-text scan, shared with the identity extractor's anchors.
_CONTACT_SLOT = PAGE_PHRASES.add(PhraseMatcher(_CONTACT_PHRASES))
_CONTACT_ANCHOR_RE = re.compile(trie_pattern(_CONTACT_PHRASES))  # small windows only

# Provinces and centrally-run cities: the 34 since the 1 July 2025 merger (all of
# them former names too), the 63 before it, and common spellings of them.
_PROVINCES_2025 = (
    "hà nội", "huế", "hải phòng", "đà nẵng", "hồ chí minh", "cần thơ", "lai châu",
    "điện biên", "sơn la", "lạng sơn", "quảng ninh", "thanh hóa", "nghệ an", "hà tĩnh",
    "cao bằng", "tuyên quang", "lào cai", "thái nguyên", "phú thọ", "bắc ninh", "hưng yên",
    "ninh bình", "quảng trị", "quảng ngãi", "gia lai", "khánh hòa", "lâm đồng", "đắk lắk",
    "đồng nai", "tây ninh", "vĩnh long", "đồng tháp", "cà mau", "an giang",
)  # fmt: skip
_PROVINCES_BEFORE_2025 = (
    "hà nội", "hồ chí minh", "hải phòng", "đà nẵng", "cần thơ", "an giang",
    "bà rịa - vũng tàu", "bắc giang", "bắc kạn", "bạc liêu", "bắc ninh", "bến tre",
    "bình định", "bình dương", "bình phước", "bình thuận", "cà mau", "cao bằng", "đắk lắk",
    "đắk nông", "điện biên", "đồng nai", "đồng tháp", "gia lai", "hà giang", "hà nam",
    "hà tĩnh", "hải dương", "hậu giang", "hòa bình", "hưng yên", "khánh hòa", "kiên giang",
    "kon tum", "lai châu", "lâm đồng", "lạng sơn", "lào cai", "long an", "nam định",
    "nghệ an", "ninh bình", "ninh thuận", "phú thọ", "phú yên", "quảng bình", "quảng nam",
    "quảng ngãi", "quảng ninh", "quảng trị", "sóc trăng", "sơn la", "tây ninh", "thái bình",
    "thái nguyên", "thanh hóa", "thừa thiên huế", "tiền giang", "trà vinh", "tuyên quang",
    "vĩnh long", "vĩnh phúc", "yên bái",
)  # fmt: skip
_PROVINCE_ALIASES = (
    "hcm", "tphcm", "tp hcm", "sài gòn", "bà rịa", "vũng tàu", "bà rịa vũng tàu",
    "hoà bình", "khánh hoà", "thanh hoá", "đắc lắc", "đắk lắc", "daklak", "đăk lăk", "huế",
    "hanoi", "saigon", "ho chi minh city", "hcmc", "danang", "haiphong",
)  # fmt: skip
# Too short to count as a province in unlabelled text; enough for a whole value.
_PROVINCE_ABBREVIATIONS = ("hn", "sg", "brvt")
_COUNTRY_NAMES = ("vietnam", "việt nam", "viet nam", "vn", "vnm")
_PROVINCES = tuple(
    dict.fromkeys(
        (*_PROVINCES_2025, *_PROVINCES_BEFORE_2025, *_PROVINCE_ALIASES, "vietnam", "việt nam")
    )
)
# What an address value may be and still name no place one can go to: a
# placeholder, or only a country, province or city ("Địa chỉ: Hà Nội").
_PLACE_ONLY_RE = re.compile(
    r"(?:[\s,.;:/()\-–—]+|\b(?:"
    + "|".join(
        re.escape(ascii_fold(w)).replace(r"\ ", r"[\s\-–.]*")
        for w in sorted(
            {
                *_PROVINCES_2025,
                *_PROVINCES_BEFORE_2025,
                *_PROVINCE_ALIASES,
                *_PROVINCE_ABBREVIATIONS,
                *_COUNTRY_NAMES,
                "tp", "t.p", "thanh pho", "tinh", "city", "province", "quoc gia", "nuoc",
                "dang cap nhat", "cap nhat", "se cap nhat", "chua cap nhat", "dang update",
                "updating", "update", "chua co", "khong co", "n/a", "na", "none", "null",
                "tba", "tbd", "coming soon", "lien he", "xem ben duoi", "xem them", "dang xu ly",
            },
            key=len,
            reverse=True,
        )
    )
    + r")\b|x{2,}|\.{2,}|…)*"
)  # fmt: skip


def _names_no_place(value: str) -> bool:
    """True when an address value is a placeholder or a bare country/province/city."""
    return _PLACE_ONLY_RE.fullmatch(ascii_fold(value)) is not None


_PROVINCE_RE = re.compile(r"(?<![^\W_])(?:" + trie_pattern(_PROVINCES) + r")(?![^\W_])")
_ADMIN_IN_SEGMENT_RE = re.compile(
    r"(?<![^\W_])(?:"
    + trie_pattern((*_ADMIN_MARKERS, "p.", "q.", "tp.", "h.", "tx.", "tt.", "city"))
    + r")(?![^\W\d_])"
)
_STREET_RE = re.compile(
    r"(?<![^\W_])(?:"
    + trie_pattern(
        (
            "đường",
            "đ.",
            "phố",
            "ngõ",
            "ngách",
            "hẻm",
            "kiệt",
            "street",
            "st.",
            "road",
            "rd.",
            "lô",
            "tòa nhà",
            "toà nhà",
            "tầng",
            "khu đô thị",
            "kđt",
            "kcn",
            "khu công nghiệp",
            "chung cư",
            "thôn",
            "ấp",
            "xóm",
            "tổ",
            "khu phố",
            "kp",
            "floor",
            "building",
            "tower",
            "lane",
            "alley",
            "km",
            "quốc lộ",
            "ql",
            "đại lộ",
            "avenue",
        )
    )
    + r")(?![^\W\d_])"
)
# Unlabelled address lines start with a house number or a building word.
_ADDRESS_START_RE = re.compile(
    r"(?:" + alt("số nhà", "số", "no.", "no") + r"\s*)?"
    r"[0-9]{1,4}[a-z]?(?:[/\-.][0-9a-z]+)*(?![0-9])[\s,]"
    + r"|"
    + alt(
        "tầng",
        "lô",
        "tòa nhà",
        "toà nhà",
        "floor",
        "building",
        "ngõ",
        "hẻm",
        "kiệt",
        "thôn",
        "ấp",
        "xóm",
        "km",
    )
    + r"\s"
)
_VALUE_STOP_RE = re.compile(
    r"\s[-–|•]\s*(?=\S)|\s\|\s|\s{3,}|[;|•]"
    r"|[,.]?\s+(?:"
    + trie_pattern(
        (
            "hotline",
            "điện thoại",
            "đt",
            "sđt",
            "số điện thoại",
            "email",
            "e-mail",
            "mst",
            "mã số",
            "website",
            "tel",
            "phone",
            "fax",
            "giờ mở cửa",
            "mở cửa",
            "open",
            "opening hours",
            "zalo",
            "liên hệ",
            "gpkd",
            "msdn",
        )
    )
    + r")(?![^\W\d_])"
)
_SEGMENT_SPLIT_RE = re.compile(r"\s[-–|•]\s|\s\|\s|[|•]")
_MAX_ADDRESS = 220
_QUALIFIER_RE = re.compile(r"(?:[^\W\d_]|\s)*[0-9]{0,2}\s*(?:\([^()]{0,20}\))?\s*")


def _address_score(seg: str) -> bool:
    """Whether an unlabelled lower-cased segment reads like a Vietnamese address."""
    if len(seg) > _MAX_ADDRESS or _ADDRESS_START_RE.match(seg) is None:
        return False
    admin = len({ascii_fold(m.group()).rstrip(".") for m in _ADMIN_IN_SEGMENT_RE.finditer(seg)})
    prov = _PROVINCE_RE.search(seg) is not None
    street = _STREET_RE.search(seg) is not None
    return admin >= 1 and (admin + prov >= 2 or street) and seg.count(",") >= 1


def _looks_like_address_value(v: str) -> bool:
    """The test for values after colon-free labels ("Địa chỉ 12 Lê Lợi, Quận 1…")."""
    return _ADDRESS_START_RE.match(v) is not None and bool(
        _ADMIN_IN_SEGMENT_RE.search(v) or _PROVINCE_RE.search(v)
    )


@functools.lru_cache(maxsize=1024)
def _label_kind(label: str) -> str | None:
    # The same few labels recur hundreds of times on a page ("shop", "tp").
    return _LABEL_KEYS.get(ascii_fold(label))


def _find_addresses(text: str) -> list[AddressContact]:
    p = prepare(text)
    low = p.low
    out: list[AddressContact] = []
    admin_lines: list[int] = []
    covered_until = -1
    last_end = 0
    for s, e in PAGE_PHRASES.spans(low, _CONTACT_SLOT):
        if s < last_end or not (is_word_start(low, s) and is_word_end(low, e)):
            continue
        if s > 0 and low[s - 1] in "/-_.@":
            continue  # a URL path or file name ("/kho-goi-50g.jpg")
        last_end = e
        kind = _label_kind(low[s:e])
        if kind is None:
            continue
        if kind == "admin":
            if s >= covered_until:
                admin_lines.append(s)
            continue
        if s < covered_until:
            continue
        if kind == "colon" and low.find(":", e, e + 30) < 0:
            continue  # no colon can follow ("shop" in product names): skip the line work
        ls, le = line_bounds(low, s)
        if _NOT_ADDRESS_AFTER.match(low, e):
            continue
        # Optional qualifier before the colon: "Showroom 1:", "Văn phòng Hà Nội:".
        colon = low.find(":", e, min(le, e + 30))
        if colon >= 0 and _QUALIFIER_RE.fullmatch(low, e, colon) is None:
            colon = -1
        if colon < 0 and kind == "colon":
            continue
        vs = colon + 1 if colon >= 0 else e
        while vs < le and low[vs] in " \t\u00a0:-–":
            vs += 1
        if vs >= le and colon >= 0:
            # "Địa chỉ:" alone in its block: the value is the next block.
            nl = le + 1
            if nl < len(low):
                vs = nl
                le = line_bounds(low, nl)[1]
        stop = _VALUE_STOP_RE.search(low, vs, min(le, vs + _MAX_ADDRESS))
        # A following address label on the same line ends this value too.
        nxt = _CONTACT_ANCHOR_RE.search(
            low, vs, stop.start() if stop else min(le, vs + _MAX_ADDRESS)
        )
        ve = stop.start() if stop else min(le, vs + _MAX_ADDRESS)
        while nxt is not None:
            k2 = _LABEL_KEYS.get(ascii_fold(nxt.group()))
            n_end = nxt.end()
            if (
                k2 in ("free", "colon")
                and is_word_start(low, nxt.start())
                and low.find(":", n_end, min(le, n_end + 30)) >= 0
            ):
                ve = nxt.start()
                break
            nxt = _CONTACT_ANCHOR_RE.search(low, n_end, ve)
        while ve > vs and low[ve - 1] in " \t\u00a0,.;:-–":
            ve -= 1
        value = low[vs:ve]
        if ve - vs < 5 or not any(c.isalpha() for c in value) or _names_no_place(value):
            continue
        if colon < 0 and not _looks_like_address_value(value):
            continue
        label_end = colon if colon >= 0 else e
        out.append(
            AddressContact(
                p.raw(vs, ve), p.orig(vs), p.orig(ve), p.raw(s, label_end).strip(), p.orig(s)
            )
        )
        covered_until = ve
    # Unlabelled lines with an administrative marker, segment by segment.
    seen_lines: set[int] = set()
    labelled_spans = [(a.start, a.end) for a in out]
    for s in admin_lines:
        ls, le = line_bounds(low, s)
        if ls in seen_lines:
            continue
        seen_lines.add(ls)
        if le - ls > 4 * _MAX_ADDRESS:
            continue
        seg_start = ls
        for sm in [*_SEGMENT_SPLIT_RE.finditer(low, ls, le), None]:
            seg_end = sm.start() if sm is not None else le
            a, b = seg_start, seg_end
            while a < b and low[a] in " \t\u00a0":
                a += 1
            while b > a and low[b - 1] in " \t\u00a0,.;":
                b -= 1
            oa, ob = p.orig(a), p.orig(b)
            if (
                b > a
                and _address_score(low[a:b])
                and not any(x < ob and oa < y for x, y in labelled_spans)
            ):
                out.append(AddressContact(p.raw(a, b), oa, ob, None, None))
            if sm is not None:
                seg_start = sm.end()
    out.sort(key=lambda x: x.start)
    return out


# ------------------------------------------------------------------------- assembly
def _phone_contact(m: PhoneMatch, source: ContactSource, href: str | None) -> PhoneContact:
    start: int | None = m.start if source == "text" else None
    end: int | None = m.end if source == "text" else None
    return PhoneContact(
        m.raw, start, end, source, href, m.national, m.e164, m.kind, m.labelled, m.successor
    )


def _online_in_text(text: str) -> list[OnlineContact]:
    out: list[OnlineContact] = []
    for m in _URL_TAIL_RE.finditer(text):
        win_start = max(0, m.start() - 48)
        hb = _HOST_BACK_RE.search(text[win_start : m.start()].lower())
        tail = m.group()
        if hb is None or not (hb.group() + tail[: tail.index("/")]).endswith(_TEXT_HOSTS):
            continue  # cheap filter before URL parsing
        start = win_start + hb.start()
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "@_"):
            continue  # part of an e-mail address or a longer token
        raw = text[start : m.end()].rstrip(".,;:!?")
        got = classify_online_url(raw)
        if got is not None:
            out.append(OnlineContact(raw, start, start + len(raw), "text", None, got[0], got[1]))
    return out


# Every href the loop in ``extract_contacts`` acts on holds one of these (lower-cased):
# a tel:/sms:/mailto: scheme, a chat scheme, or a contact host fragment.
_HREF_MARKERS = ("tel:", "sms:", "mailto:", "skype", "viber", *_CONTACT_FRAGMENTS)


# One literal-first pattern per leading character (see PhraseMatcher).
_HREF_MARKER_SCAN = PhraseMatcher(_HREF_MARKERS, fold=False)


def _hrefs_to_classify(hrefs: Sequence[str]) -> Sequence[str]:
    """The hrefs that may be contacts, in order; the others provably yield nothing.

    Most links of a page are the shop's own: a few literal scans over all of them,
    lower-cased together, replace a strip, lower-case and regex search per link.
    """
    if len(hrefs) < 8:
        return hrefs
    joined = "\n".join(hrefs).lower()
    if len(joined) != sum(map(len, hrefs)) + len(hrefs) - 1:
        return hrefs  # a character whose lower case is longer: offsets would not map
    spans = _HREF_MARKER_SCAN.spans(joined)
    if not spans:
        return []
    ends = list(itertools.accumulate(map((1).__add__, map(len, hrefs))))  # past each "\n"
    # Markers hold no newline, so each lies inside one href.
    found = {bisect.bisect_right(ends, start) for start, _ in spans}
    return [hrefs[i] for i in sorted(found)]


def extract_contacts(text: str, hrefs: Sequence[str] = ()) -> ContactFacts:
    r"""Find phones, e-mails, online contacts and addresses.

    Args:
        text: Visible text of a page, blocks separated by ``"\\n"``.
        hrefs: Link targets of the page (``tel:``, ``mailto:``, ``https://zalo.me/…``).

    Returns:
        The contacts. Text items carry offsets into ``text``; link items have
        ``source == "href"`` and no offsets. A link repeating a number or address
        already in the text is not listed twice.
    """
    phones = [_phone_contact(m, "text", None) for m in find_phones(text)]
    emails = [
        EmailContact(m.raw, m.start, m.end, "text", None, m.address) for m in find_emails(text)
    ]
    online = _online_in_text(text) if "/" in text else []
    seen_phones = {p.e164 for p in phones}
    seen_emails = {e.address.lower() for e in emails}
    seen_online = {(o.kind, (o.handle or "").lower()) for o in online}
    for href in _hrefs_to_classify(hrefs):
        h = href.strip()
        scheme = h[:7].lower()
        if scheme.startswith(("tel:", "sms:")):
            pm = parse_phone(h[4:])
            if pm is not None and pm.e164 not in seen_phones:
                seen_phones.add(pm.e164)
                phones.append(_phone_contact(pm, "href", h))
        elif scheme == "mailto:":
            addr = urllib.parse.unquote(h[7:]).split("?", 1)[0].split(",", 1)[0].strip()
            if is_valid_email(addr):
                local, _, dom = addr.rpartition("@")
                address = f"{local}@{dom.lower()}"
                if address.lower() not in seen_emails:
                    seen_emails.add(address.lower())
                    emails.append(EmailContact(h, None, None, "href", h, address))
        else:
            got = classify_online_url(h)
            if got is not None and (got[0], (got[1] or "").lower()) not in seen_online:
                seen_online.add((got[0], (got[1] or "").lower()))
                online.append(OnlineContact(h, None, None, "href", h, got[0], got[1]))
    return ContactFacts(tuple(phones), tuple(emails), tuple(online), tuple(_find_addresses(text)))
