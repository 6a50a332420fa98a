"""Prices, hidden prices and tax or shipping notes in listing text.

A selling page must show the price of its goods, and say whether it includes tax,
shipping and other costs (Decree 52/2013 Art. 31; Consumer Protection Law 2023
Art. 37). Sellers who do not want to show a price write "ib giá", "inbox", "giá
liên hệ" or a zero placeholder instead. This module finds prices in the many ways
Vietnamese listings write them ("150.000đ", "150k", "1tr2", "1,5 triệu"), the
phrases that hide a price, and statements about tax and shipping, with offsets
into the original text. Rules decide what they mean.

Matching runs line by line on :func:`ecomcheck.text.normalize` output.

Example:
    >>> parse_price("1tr2")
    PriceValue(amount=1200000, currency='VND', currency_inferred=False)
    >>> [h.entry for h in find_hidden_price("Giá: liên hệ")]
    ['price_contact']
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal

from ecomcheck.text.lines import Line as _Line
from ecomcheck.text.lines import lines_with, split_lines
from ecomcheck.text.normalize import normalize

__all__ = [
    "HiddenPriceMatch",
    "PriceMatch",
    "PriceValue",
    "TaxShippingNote",
    "find_hidden_price",
    "find_prices",
    "parse_price",
    "price_slot_placeholder",
    "scan_prices",
    "tax_shipping_note",
]

#: A hidden-price phrase counts as "near" a price within this many characters.
NEAR_PRICE_CHARS = 80


@dataclass(frozen=True, slots=True)
class PriceValue:
    """An amount of money.

    Attributes:
        amount: Whole đồng (``int``) for VND; a ``Decimal`` for other currencies.
        currency: ISO 4217 code: ``VND``, ``USD`` or ``EUR``.
        currency_inferred: No currency or unit was written ("Giá: 389.000");
            VND is assumed.
    """

    amount: int | Decimal
    currency: str
    currency_inferred: bool = False


@dataclass(frozen=True, slots=True)
class PriceMatch:
    """A price found in text.

    Attributes:
        value: The parsed amount.
        text: The price as written (without a "Giá:" label before it).
        start: Offset of the price in the original text.
        end: End offset.
    """

    value: PriceValue
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class HiddenPriceMatch:
    """A phrase that stands in for a price.

    Attributes:
        kind: ``hidden`` (the price is withheld: "ib giá", "giá liên hệ", a 0đ
            placeholder) or ``quote`` (the price is quoted on request: "báo
            giá", "nhận báo giá"; normal for some services, so a rule may only
            ask for review).
        entry: Which phrase family matched (``inbox_price``, ``price_contact``,
            ``contact_for_price``, ``zero_price``, ``check_inbox``, ``inbox``,
            ``quote``).
        explicit: The phrase is about the price itself ("ib giá", "giá liên
            hệ"); ``False`` for a bare contact invitation ("inbox", "check
            ib"), which may be about sizes or stock.
        near_price: A non-zero price is written within ``NEAR_PRICE_CHARS``
            characters.
        text: The phrase as written.
        start: Offset in the original text.
        end: End offset.
    """

    kind: Literal["hidden", "quote"]
    entry: str
    explicit: bool
    near_price: bool
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class TaxShippingNote:
    """A statement about whether the price includes tax or shipping.

    Attributes:
        topic: ``tax`` or ``shipping``.
        includes: ``True`` when the price includes it (or shipping is free),
            ``False`` when it is extra.
        entry: ``included``, ``excluded``, ``free_shipping`` or ``plus``.
        text: The statement as written.
        start: Offset in the original text.
        end: End offset.
    """

    topic: Literal["tax", "shipping"]
    includes: bool
    entry: str
    text: str
    start: int
    end: int


# --- lines --------------------------------------------------------------------------


def _lines(text: str, keep: re.Pattern[str] | None = None) -> list[_Line]:
    """The lines of ``text``, normalised; only those where ``keep`` finds something."""
    return split_lines(text, keep=keep)


# --- prices -------------------------------------------------------------------------

_VND_UNITS = r"₫|đồng|đ|vnđ|vnd|dong|d"
_MULT = r"nghìn|ngàn|nghin|ngan|k|triệu|trieu|tr|củ|tỷ|tỉ|ty"
_NUMBER = (
    rf"\d{{1,3}}(?: \d{{3}})+(?=\s?(?:{_VND_UNITS})(?!\w))"  # "150 000 ₫": spaces only before đ
    r"|\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{1,2})?"
    r"|\d+(?:[.,]\d{1,2})?"
)
_LABEL = (
    r"(?:giá(?:\s+(?:bán|gốc|niêm\s+yết|khuyến\s+mãi|km|sale|ưu\s+đãi|lẻ|sỉ|chỉ|mới|cũ|"
    r"tham\s+khảo|thị\s+trường|còn|từ|chỉ\s+còn|chỉ\s+từ|bán\s+lẻ|sản\s+phẩm|sp))*"
    r"|price|chỉ\s+còn|chỉ\s+từ|only)"
)
_PRICE_CORE = (
    # Letter prefixes need a space: "VND 150.000", not the product code "VND22".
    r"(?:(?P<pre>us\$|\$|₫|€)\s?|(?P<lpre>usd|vnđ|vnd|eur)\s)?"
    rf"(?P<num>{_NUMBER})"
    r"(?:\s?(?P<suf>"
    rf"{_MULT}|{_VND_UNITS}|usd|\$|€|eur|euro|đô\s+la|đô|do\s+la"
    r")(?:(?P<frac>\d{1,3})"
    # "1 triệu 2" (1.2 million): a spaced fraction only after million words, at the end.
    r"|(?:(?<=triệu)|(?<=trieu)|(?<=tỷ)|(?<=tỉ)|(?<=củ))\s(?P<frac2>\d{1,3})"
    r"(?=\s*(?:$|[^\w\s]|đồng|đ(?!\w)|vnđ|vnd)))?"
    r"(?!\w)(?:\s?(?P<tail>đồng|đ|₫|vnđ|vnd)(?!\w))?)?"
)
_PRICE_RE = re.compile(rf"(?:(?P<label>{_LABEL})\s*[:\-=]?\s*)?(?<![\w.,])(?:{_PRICE_CORE})")
_PARSE_RE = re.compile(
    rf"\s*(?:{_LABEL}\s*[:\-=]?\s*)?(?:{_PRICE_CORE})\s*(?:/\s*[^\W\d_]+)?[\s.,;:!)]*"
)
_MULTIPLIERS = {
    "k": 1000, "nghìn": 1000, "ngàn": 1000, "nghin": 1000, "ngan": 1000,
    "tr": 1_000_000, "triệu": 1_000_000, "trieu": 1_000_000, "củ": 1_000_000,
    "tỷ": 1_000_000_000, "tỉ": 1_000_000_000, "ty": 1_000_000_000,
}  # fmt: skip
_USD = frozenset(("$", "us$", "usd", "đô", "đô la", "do la"))
_EUR = frozenset(("€", "eur", "euro"))
# Counts, resolutions and capacities that look like "5k" ("Đã bán 5k+", "Tivi 4K").
_K_VETO_BEFORE = re.compile(
    r"(?:đã\s+bán|bán|lượt|sold|màn\s+hình|tivi|tv|camera|video|độ\s+phân\s+giải|quay|"
    r"resolution|follow|followers|like|view|xem|theo\s+dõi|đánh\s+giá|\+)\s*$"
)
_K_VETO_AFTER = re.compile(
    r"\s*(?:\+|lượt|người|sold|reviews?|đánh\s+giá|uhd|hdr|fps|hz|ultra|video|tv|p\b|follow|"
    r"like|view|sản\s+phẩm|đơn|mah|lux|bước|km|từ\s+khóa)"
)
_MAX_DIGITS = 15
_RESOLUTION_K = frozenset(("2", "4", "5", "6", "8", "10", "12", "16"))


def _back(pos: int) -> int:
    # Context before a match is looked for in a short window, so long lines stay linear.
    return max(0, pos - 80)


_SEP_RE = re.compile(r"[.,]")
_SPACES_RE = re.compile(r"\s+")


def _decimal(num: str) -> Decimal | None:
    """Read "1.250.000", "1,250,000", "150 000", "19.99", "1,5" as a number."""
    num = num.replace(" ", "")
    dots, commas = num.count("."), num.count(",")
    if not dots and not commas:
        return Decimal(num)
    last = max(num.rfind("."), num.rfind(","))
    tail = num[last + 1 :]
    # A last group of one or two digits is a decimal part: "19.99", "1,5", "1.250.000,50".
    if ((dots and commas) or dots + commas == 1) and len(tail) in (1, 2):
        whole = _SEP_RE.sub("", num[:last])
        return Decimal(f"{whole}.{tail}")
    if len(tail) != 3 or any(len(g) != 3 for g in _SEP_RE.split(num)[1:]):
        return None
    return Decimal(_SEP_RE.sub("", num))


def _value(m: re.Match[str], *, labelled: bool) -> PriceValue | None:
    pre = (m.group("pre") or m.group("lpre") or "").replace(" ", "")
    suf = m.group("suf") or ""
    if " " in suf or "\t" in suf:
        suf = _SPACES_RE.sub(" ", suf)
    frac = m.group("frac") or m.group("frac2")
    num = m.group("num")
    if not pre and not suf and not labelled:
        return None
    if sum(c.isdigit() for c in num) > _MAX_DIGITS:
        return None  # a product code or an id, not money
    try:
        value = _decimal(num)
    except InvalidOperation:
        return None
    if value is None:
        return None
    mult = _MULTIPLIERS.get(suf)
    if frac and mult and mult >= 1000:
        value += Decimal(f"0.{frac}")  # "1tr2" = 1.2 million, "1tr25" = 1.25 million
    elif frac:
        return None
    if suf in ("d", "dong") and "." not in num and "," not in num and value < 1000:
        return None  # "5d" is five days more often than five đồng
    if pre in _USD or suf in _USD:
        return PriceValue(value.quantize(Decimal("0.01")), "USD")
    if pre in _EUR or suf in _EUR:
        return PriceValue(value.quantize(Decimal("0.01")), "EUR")
    if mult:
        value *= mult
    inferred = not pre and not suf
    if inferred and value < 1000 and "." not in num and "," not in num:
        return None  # "Giá: 5" is not a price in đồng
    amount = int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return PriceValue(amount, "VND", inferred)


def parse_price(s: str) -> PriceValue | None:
    """Parse one written price.

    Understands "150.000đ", "150.000 ₫", "₫150,000", "1.250.000 VND",
    "1,250,000đ", "150k", "1tr2", "1,5 triệu", "2 triệu", "2 tỷ", "Giá:
    389.000" and "$19.99" / "19.99 USD". A number without currency or unit is
    taken as VND (``currency_inferred``).

    Args:
        s: The price, optionally after a label such as "Giá:" or "Giá bán:".

    Returns:
        The amount, or ``None`` when ``s`` is not a single price.
    """
    text = normalize(s).text
    m = _PARSE_RE.fullmatch(text)
    if m is None:
        return None
    return _value(m, labelled=True)


def _k_vetoed(line: _Line, m: re.Match[str]) -> bool:
    suf = m.group("suf") or ""
    if suf not in ("k", "nghìn", "ngàn", "nghin", "ngan") or m.group("label"):
        return False
    if _K_VETO_BEFORE.search(line.text, _back(m.start("num")), m.start("num")):
        return True
    if _K_VETO_AFTER.match(line.text, m.end()):
        return True
    # "4K" in capitals is a screen resolution, not four thousand đồng.
    a, b = line.to_orig(m.start("suf"), m.end("suf"))
    return m.group("num") in _RESOLUTION_K and line.original[a:b] == "K"


# Every price _PRICE_RE accepts has a currency or unit right after a digit, a sign or
# code before it, or a label: a cheap test that most lines fail.
_MAYBE_PRICE = re.compile(r"\d ?[nktcđ₫vdu$€e]|[$₫€]|usd|vn[dđ]|eur|giá|price|chỉ|only")


def _find_prices_in(line: _Line) -> list[PriceMatch]:
    if _MAYBE_PRICE.search(line.text) is None:
        return []
    out: list[PriceMatch] = []
    for m in _PRICE_RE.finditer(line.text):
        value = _value(m, labelled=bool(m.group("label")))
        if value is None or _k_vetoed(line, m):
            continue
        if value.currency == "VND" and 0 < value.amount < 1000:
            continue  # "683 Đ" after a rating is a count; no retail price is under 1.000đ
        pre = "pre" if m.group("pre") else "lpre" if m.group("lpre") else "num"
        start = m.start(pre)
        a, b = line.span(start, m.end())
        out.append(PriceMatch(value, line.original[a - line.start : b - line.start], a, b))
    return out


def find_prices(text: str) -> list[PriceMatch]:
    r"""Find written prices in text.

    A number counts as a price when it carries a currency or a unit ("đ", "₫",
    "VND", "k", "tr", "triệu", "$") or follows a price label ("Giá: 389.000").
    Sales counts and resolutions ("Đã bán 5k+", "Tivi 4K") are skipped.

    Args:
        text: Plain text with ``"\n"`` between blocks.

    Returns:
        Prices in text order, with offsets into ``text``; zero prices included.
    """
    if not text:
        return []
    out: list[PriceMatch] = []
    for line in _lines(text, _MAYBE_PRICE):
        out.extend(_find_prices_in(line))
    return out


# --- hidden prices ------------------------------------------------------------------

_CONTACT = r"(?:ib|inbox|ibox|inb|ibx|liên\s+hệ|lh|call|gọi|nhắn\s+tin|nhắn|chat|pm|dm|check\s+ib)"
_PRICE_WORDS = (
    r"(?:sỉ|buôn|lẻ|cả|tốt|rẻ|đại\s+lý|ctv|bán|sp|sản\s+phẩm|ưu\s+đãi|cực\s+tốt|hấp\s+dẫn|"
    r"niêm\s+yết|sỉ\s+lẻ|tốt\s+nhất|rẻ\s+nhất|cạnh\s+tranh)"
)
# (entry, kind, explicit, pattern); earlier entries win where matches overlap.
_HIDDEN: list[tuple[str, Literal["hidden", "quote"], bool, re.Pattern[str]]] = [
    (
        "quote",
        "quote",
        True,
        re.compile(
            r"(?<!\w)(?:(?:nhận|yêu\s+cầu|gửi|xin|liên\s+hệ|lh|ib|inbox|đăng\s+ký)\s+"
            r"(?:để\s+)?(?:nhận\s+)?)?(?:bảng\s+)?báo\s+giá(?!\w)"
            r"|(?<!\w)(?:request|get|ask\s+for)\s+(?:a\s+)?(?:free\s+)?quot(?:e|ation)(?!\w)"
        ),
    ),
    (
        "price_contact",
        "hidden",
        True,
        re.compile(
            rf"(?<!\w)giá(?:\s+{_PRICE_WORDS})?\s*[:\-]?\s*(?:vui\s+lòng\s+|xin\s+)?"
            rf"{_CONTACT}(?!\w)"
        ),
    ),
    (
        "inbox_price",
        "hidden",
        True,
        re.compile(
            rf"(?<!\w){_CONTACT}\s+(?:với\s+)?(?:shop\s+|mình\s+|em\s+|ad\s+)?(?:để\s+)?"
            r"(?:(?:biết|nhận|hỏi|có|xem|được|báo)\s+)?giá(?!\w)"
        ),
    ),
    (
        "contact_for_price",
        "hidden",
        True,
        re.compile(
            r"(?<!\w)(?:contact|call|message|email|dm|pm|inbox|ask|enquire)\s+(?:us\s+|me\s+|"
            r"seller\s+)?for\s+(?:the\s+)?(?:best\s+)?(?:price|pricing)(?!\w)"
            r"|(?<!\w)price\s+(?:on|upon)\s+request(?!\w)"
        ),
    ),
    ("check_inbox", "hidden", False, re.compile(r"(?<!\w)check\s+(?:ib|inbox|tin\s+nhắn)(?!\w)")),
    ("inbox", "hidden", False, re.compile(r"(?<![\w-])(?:ib|inbox|ibox|inb|ibx)(?![\w-])")),
]
_INBOX_VETO_BEFORE = re.compile(r"(?:chương\s+trình|trường|lớp|học|hệ|bằng|khóa)\s*$")
_INBOX_VETO_AFTER = re.compile(r"\s*(?:diploma|program|programme|myp|dp|world|pyp)(?!\w)")
_ZERO_RE = re.compile(r"(?<![\w.,])0+(?:[.,]0+)?\s?(?:đồng|đ|₫|vnđ|vnd)(?!\w)")
_ZERO_LABEL_RE = re.compile(r"giá[^\d]{0,15}$|price[^\d]{0,8}$")
_ZERO_VETO_RE = re.compile(
    r"(?:ship|phí|vận\s+chuyển|giao\s+hàng|trả\s+trước|lãi|góp|giảm|phụ\s+thu|đặt\s+cọc|cọc)"
    r"[^\d]{0,20}$"
)


# Every pattern above holds one of these (normalised text): a cheap test first.
_HIDDEN_HINT = re.compile(r"giá|ib|inb|pric|quot|check|báo|(?<![\w.,])0")


# A word each pattern above cannot match without: most candidate lines ("giá" in a
# review) are then read by two patterns, not six.
_HIDDEN_NEEDS: dict[str, tuple[str, ...]] = {
    "quote": ("báo", "quot"),
    "price_contact": ("giá",),
    "inbox_price": ("giá",),
    "contact_for_price": ("pric",),
    "check_inbox": ("check",),
    "inbox": ("ib", "inb"),
}


def _hidden_in(line: _Line) -> list[tuple[int, int, str, Literal["hidden", "quote"], bool]]:
    taken: list[tuple[int, int, str, Literal["hidden", "quote"], bool]] = []
    if _HIDDEN_HINT.search(line.text) is None:
        return taken

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e, *_ in taken)

    text = line.text
    for entry, kind, explicit, pattern in _HIDDEN:
        if not any(w in text for w in _HIDDEN_NEEDS[entry]):
            continue
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            if entry == "inbox" and (
                _INBOX_VETO_BEFORE.search(text, _back(m.start()), m.start())
                or _INBOX_VETO_AFTER.match(text, m.end())
            ):
                continue
            taken.append((m.start(), m.end(), entry, kind, explicit))
    for m in _ZERO_RE.finditer(text) if "0" in text else ():
        before = text[_back(m.start()) : m.start()]
        alone = not before.strip(" :-") and not text[m.end() :].strip(" .")
        labelled = alone or _ZERO_LABEL_RE.search(before)
        if labelled and not _ZERO_VETO_RE.search(before) and free(m.start(), m.end()):
            taken.append((m.start(), m.end(), "zero_price", "hidden", True))
    return sorted(taken)


def find_hidden_price(text: str) -> list[HiddenPriceMatch]:
    r"""Find phrases that stand in for a price.

    Covers "ib giá", "inbox giá", "giá liên hệ", "liên hệ để biết giá", "Giá:
    LH", "giá sỉ ib", "nhắn tin để biết giá", "giá tốt nhất liên hệ", "contact
    for price", a "Giá: 0đ" placeholder, "check ib", bare "ib"/"inbox", and
    quotation wording ("báo giá", "nhận báo giá", "yêu cầu báo giá"). Not
    matched: "Liên hệ" as a menu item or in "thông tin liên hệ", "ib" inside
    a word ("ibuprofen", "Ibis"), a free-shipping "0đ". Whether a bare
    "inbox" hides the price is left to the caller: see ``explicit`` and
    ``near_price``.

    Args:
        text: Plain text with ``"\n"`` between blocks.

    Returns:
        Matches in text order, with offsets into ``text``.
    """
    return scan_prices(text)[1]


def scan_prices(text: str) -> tuple[list[PriceMatch], list[HiddenPriceMatch]]:
    r"""Find prices and the phrases standing in for them, in one pass.

    The same as ``(find_prices(text), find_hidden_price(text))``, reading each
    line once.

    Args:
        text: Plain text with ``"\n"`` between blocks.

    Returns:
        Prices (zero prices included) and stand-in phrases, each in text order.
    """
    if not text:
        return [], []
    lines = _lines(text, _PRICE_OR_HIDDEN)
    prices = [p for line in lines for p in _find_prices_in(line)]
    positive = [p for p in prices if p.value.amount > 0]
    starts = [p.start for p in positive]
    out: list[HiddenPriceMatch] = []
    for line in lines:
        for s, e, entry, kind, explicit in _hidden_in(line):
            a, b = line.span(s, e)
            # Prices are in text order and do not overlap: only those starting within
            # reach can be near.
            lo = bisect.bisect_left(starts, a - NEAR_PRICE_CHARS - _MAX_PRICE_CHARS)
            hi = bisect.bisect_right(starts, b + NEAR_PRICE_CHARS)
            near = any(
                p.start - b <= NEAR_PRICE_CHARS and a - p.end <= NEAR_PRICE_CHARS
                for p in positive[lo:hi]
                if not (p.start >= a and p.end <= b)
            )
            out.append(HiddenPriceMatch(kind, entry, explicit, near, text[a:b], a, b))
    return prices, out


_MAX_PRICE_CHARS = 60  # no written price is longer
_PRICE_OR_HIDDEN = re.compile(f"{_MAYBE_PRICE.pattern}|{_HIDDEN_HINT.pattern}")


# --- price slots ----------------------------------------------------------------------

_SLOT_CONTACT = (
    r"(?:vui\s+lòng\s+|xin\s+)?(?:liên\s+hệ|lh|l/h|gọi|call|contact|inbox|ib|ibox|chat|zalo|"
    r"nhắn\s+tin|pm|dm|hotline)"
    r"(?:\s*(?:/|-|,|hoặc|or)?\s*(?:zalo|hotline|inbox|ib|shop|ngay|now|us|với\s+shop|"
    r"để\s+biết\s+giá|để\s+có\s+giá|để\s+nhận\s+giá))*"
    r"(?:\s*[:\-]?\s*(?:\+?84|0)[\d .]{8,13})?"  # "Liên hệ: 0909 123 456"
)
# What shops print in the price slot of a card or a buy box instead of an amount. Alone
# these words are too common to look for in running text ("Liên hệ" is also a menu
# item); in a price slot they stand in for the price.
_SLOT_RE = re.compile(
    r"(?:(?:giá|price)(?:\s+(?:bán|sỉ|lẻ|tốt))?\s*[:\-]?\s*)?"
    rf"(?:{_SLOT_CONTACT}|thỏa\s+thuận|thương\s+lượng|đang\s+cập\s+nhật(?:\s+giá)?|updating"
    r"|call\s+for\s+price|price\s+on\s+request)"
)
_SLOT_ZERO_RE = re.compile(r"(?:(?:giá|price)\s*[:\-]?\s*)?0+(?:[.,]0+)?\s?(?:đồng|đ|₫|vnđ|vnd)")
_SLOT_TRIM = " .!:*-–—()[]"


def price_slot_placeholder(text: str) -> HiddenPriceMatch | None:
    """Recognise a price slot that holds words instead of an amount.

    For the text of an element that shows a product's price (a card's price line,
    the buy box, the cell after a "Giá" label): "Liên hệ", "LH", "Call",
    "Inbox", "Gọi ngay", "Liên hệ: 0909 123 456", "Thỏa thuận", "Đang cập
    nhật", "Giá: Liên hệ", "Price on request", and a zero placeholder ("0đ",
    "Giá: 0₫"). Unlike :func:`find_hidden_price`, the whole text must be the
    placeholder.

    Args:
        text: The text of the price slot.

    Returns:
        A ``hidden``, explicit match (entry ``price_slot``, or ``zero_price``
        for a zero amount) spanning the placeholder, or ``None``.
    """
    stripped = text.strip()
    if not stripped or len(stripped) > 60:
        return None
    nt = normalize(stripped)
    body = nt.text.strip(_SLOT_TRIM)
    if not body:
        return None
    if _SLOT_RE.fullmatch(body):
        entry = "price_slot"
    elif _SLOT_ZERO_RE.fullmatch(body):
        entry = "zero_price"
    else:
        return None
    lead = nt.text.find(body)
    a, b = nt.to_original(lead, lead + len(body))
    offset = text.find(stripped)
    return HiddenPriceMatch("hidden", entry, True, False, stripped[a:b], offset + a, offset + b)


# --- tax and shipping ---------------------------------------------------------------

_TAX = r"(?:thuế\s+(?:vat|gtgt|giá\s+trị\s+gia\s+tăng)|thuế|vat|tax(?:es)?)"
_SHIP = (
    r"(?:(?:chi\s+)?phí\s+(?:vận\s+chuyển|ship|giao\s+hàng|gửi\s+hàng|giao\s+nhận|vc|shipping)"
    r"|cước\s+(?:vận\s+chuyển|phí\s+vận\s+chuyển|ship)|tiền\s+ship|shipping(?:\s+fee)?"
    r"|delivery(?:\s+fee)?|ship|vận\s+chuyển)"
)
_TOPIC = rf"(?:(?P<tax>{_TAX})|(?P<ship>{_SHIP}))"
_GAP = r"(?:(?:cả|các|chi|phí|khác|như|thêm|toàn|bộ|mọi|khoản|phụ|tiền|the|all|any)\s+){0,4}"
_INCL = (
    r"đã\s+bao\s+gồm|đã\s+gồm|bao\s+gồm|đã\s+tính|gồm|includes?|including|incl\.?|inclusive\s+of"
)
_EXCL = (
    r"chưa\s+bao\s+gồm|chưa\s+gồm|không\s+bao\s+gồm|không\s+gồm|chưa\s+tính|excludes?|excluding|"
    r"excl\.?|not\s+including|does\s+not\s+include|plus|phát\s+sinh(?:\s+thêm)?|cộng\s+thêm|"
    r"tính\s+thêm"
)
_TAXSHIP: list[tuple[str, re.Pattern[str]]] = [
    (
        "free_shipping",
        re.compile(
            r"(?<!\w)(?:(?:miễn\s+phí|free)\s*(?:vận\s+chuyển|giao\s+hàng|ship(?:ping)?|delivery|vc)"
            r"|freeship(?:ping)?|bao\s+ship|(?:phí\s+)?ship\s*[:\-]?\s*0\s*(?:đ|₫|k|vnđ|đồng)?)(?!\w)"
        ),
    ),
    (
        "marker_first",
        re.compile(
            rf"(?<!\w)(?:(?P<excl>{_EXCL})|(?P<incl>{_INCL}))\s+{_GAP}{_TOPIC}(?!\w)"
            rf"(?:\s*(?:,|và|&|cũng\s+như|and|\+)\s*(?:(?P<tax2>{_TAX})|(?P<ship2>{_SHIP}))(?!\w))?"
        ),
    ),
    (
        "bare_tax",  # "giá chưa VAT", "đã VAT": only with tax, "chưa ship" means "not yet shipped"
        re.compile(
            rf"(?<!\w)(?:(?P<excl>chưa\s+có|chưa)|(?P<incl>đã\s+có|đã))\s+(?P<tax>{_TAX})(?!\w)"
        ),
    ),
    (
        "topic_first",
        re.compile(
            rf"(?<!\w){_TOPIC}\s*[:\-]?\s*(?:đã\s+được\s+|được\s+)?"
            r"(?:(?P<incl>included|đã\s+bao\s+gồm|bao\s+gồm|đã\s+gồm|đã\s+tính|miễn\s+phí|free)"
            r"|(?P<excl>excluded|not\s+included|tính\s+riêng|tính\s+thêm|chưa\s+bao\s+gồm|"
            r"khách\s+trả|người\s+mua\s+trả|khách\s+chịu|người\s+mua\s+chịu|khách\s+hàng\s+chịu))(?!\w)"
        ),
    ),
    ("plus", re.compile(rf"\+\s*(?P<tax>{_TAX})(?!\w)")),
]


# Every pattern above names a topic through one of these (normalised text).
_TAXSHIP_HINT = re.compile("thuế|vat|tax|gtgt|ship|chuyển|giao|gửi|vc|deliver|cước")
# A note names a topic ("gtgt" only after "thuế") and says whether it is included through
# one of the second words: most lines that name a topic ("giao hàng nhanh") hold none of
# those and are not read. ("xcl": a word starting with "e" may be made by moving a tone.)
_TAXSHIP_WORDS = (
    ("thuế", "vat", "tax", "ship", "chuyển", "giao", "gửi", "vc", "deliver", "cước"),
    ("miễn", "free", "bao", "ship", "gồm", "tính", "xcl", "incl", "plus", "phát", "cộng",
     "thuế", "vat", "tax", "trả", "chịu"),
)  # fmt: skip

# A word each pattern cannot match without (normalised text): most lines are then read
# by one or two patterns, not five.
_TAXSHIP_NEEDS: dict[str, tuple[str, ...]] = {
    "free_shipping": ("miễn", "free", "ship"),
    "marker_first": ("gồm", "tính", "xcl", "incl", "plus", "phát", "cộng"),
    "bare_tax": ("thuế", "vat", "tax"),
    "topic_first": ("incl", "gồm", "tính", "miễn", "free", "xcl", "trả", "chịu"),
    "plus": ("+",),
}
# The same, one search per pattern rather than one ``in`` per word.
_TAXSHIP_NEED: dict[str, re.Pattern[str]] = {
    name: re.compile("|".join(map(re.escape, words))) for name, words in _TAXSHIP_NEEDS.items()
}


def tax_shipping_note(text: str) -> list[TaxShippingNote]:
    r"""Find statements on whether the price includes tax or shipping.

    Recognises "đã bao gồm VAT", "chưa bao gồm thuế", "giá chưa VAT", "+ VAT",
    "giá đã gồm phí vận chuyển", "chưa gồm phí ship", "phí ship tính riêng",
    "miễn phí vận chuyển", "freeship", "price includes VAT", and lists such
    as "đã bao gồm thuế VAT và phí vận chuyển" (two notes).

    Args:
        text: Plain text with ``"\n"`` between blocks.

    Returns:
        Notes in text order, with offsets into ``text``.
    """
    if not text:
        return []
    out: list[TaxShippingNote] = []
    for line in lines_with(text, _TAXSHIP_WORDS, keep=_TAXSHIP_HINT):
        spans: list[tuple[int, int]] = []
        found: list[tuple[int, int, Literal["tax", "shipping"], bool, str]] = []
        for name, pattern in _TAXSHIP:
            if _TAXSHIP_NEED[name].search(line.text) is None:
                continue
            for m in pattern.finditer(line.text):
                if any(m.start() < e and s < m.end() for s, e in spans):
                    continue
                spans.append((m.start(), m.end()))
                if name == "free_shipping":
                    found.append((m.start(), m.end(), "shipping", True, "free_shipping"))
                    continue
                groups = m.groupdict()
                includes = name != "plus" and bool(groups.get("incl"))
                entry = "plus" if name == "plus" else ("included" if includes else "excluded")
                topics: list[Literal["tax", "shipping"]] = []
                if groups.get("tax") or groups.get("tax2"):
                    topics.append("tax")
                if groups.get("ship") or groups.get("ship2"):
                    topics.append("shipping")
                for topic in topics:
                    found.append((m.start(), m.end(), topic, includes, entry))
        for s, e, topic, includes, entry in sorted(found, key=lambda f: (f[0], f[1])):
            a, b = line.span(s, e)
            out.append(TaxShippingNote(topic, includes, entry, text[a:b], a, b))
    return out
