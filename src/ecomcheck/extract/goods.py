"""Goods signals: banned and restricted goods, counterfeits, smuggling, health claims.

The term data (``data/goods/*.toml``) is compiled once into a :class:`GoodsMatcher`
(one Aho–Corasick automaton for every entry, plus the supplement notice). A page or
a set of text fields is scanned once; each hit is then judged from what surrounds
it, never by scanning the whole text again:

* **where** it sits: navigation and header menus, and short category links of
  sidebars and footers, are labels, not offers; footers and sidebars are secondary;
* **what kind of page** it is on: policy pages list prohibited goods, articles warn
  about them, a shop's news and event sections and pages tell what happened
  (an opening with fireworks); product and listing pages, and pages with prices
  or ordering, offer;
* **the sentence around it**: a negation or prohibition whose scope reaches the
  hit ("không bán …", "ko bán …", "cam kết không …", "nói không với …", "cấm …"),
  also over a list of goods ("không bán hàng giả, hàng nhái"), or a
  warning/enforcement word in the same sentence ("cảnh báo", "thu giữ", "tác hại")
  means it is not an offer; price and order words ("giá", "ship", "inbox", "150k")
  make it one. A negation governs its own object only ("không chứa nicotine cho
  pod …" offers the pod), a negated warning word is none ("uy tín không lừa
  đảo"), and a price in the hit's own clause is never outweighed by a cue of
  another clause;
* **what the goods are**: a listing, heading or sentence that starts by naming a
  work or object (a book, film, game, model, poster, sign, test kit) is about its
  goods terms ("Sách Chiến Tranh Nha Phiến", "Que thử ma túy"), unless a second
  item follows ("+ tặng kèm pod"), the "model" works ("bắn được đạn thật") or the
  entry names the work itself (pirated books, banned publications);
* **the tier** of the entry and whether a second, independent entry of the same
  category agrees nearby.

The result is a :class:`GoodsHit` per occurrence with an outcome (``fail``,
``needs_review`` or ``dropped``) and the machine-readable reasons for it. Health-
supplement listings (``supplement_listing`` entries) are kept only when the
mandatory notice ("… không phải là thuốc, không có tác dụng thay thế thuốc chữa
bệnh", Decree 15/2018 Art. 27 cl. 3(a)) is absent from the page or listing.

Example:
    >>> gm = compile_goods()
    >>> [h.entry_id for h in analyze_fields([("/title", "Vape 8000 hơi giá 250k")], gm)]
    ['rg.e_cigarette.vape']
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Final, Literal
from urllib.parse import urlsplit

from ecomcheck.terms import TermEntry, load_terms
from ecomcheck.text.matcher import TermHit, TermMatcher, TermSpec
from ecomcheck.text.normalize import fold, normalize, normalize_term

if TYPE_CHECKING:
    from ecomcheck.extract.document import PageDocument, TextBlock

__all__ = [
    "NOTICE_KEY",
    "GoodsHit",
    "GoodsMatcher",
    "Outcome",
    "analyze_fields",
    "analyze_page",
    "compile_goods",
]

Outcome = Literal["fail", "needs_review", "dropped"]

#: Matcher key of the supplement notice ("không phải là thuốc …"); not a data entry.
NOTICE_KEY: Final = "_notice.not_a_medicine"

# Both halves of the mandatory notice and their common variants; either half is
# accepted, so a shop that words it slightly differently is not reported.
_NOTICE_TERMS: Final = (
    "không phải là thuốc",
    "không phải thuốc",
    "không phải là thuốc chữa bệnh",
    "không có tác dụng thay thế thuốc chữa bệnh",
    "không có tác dụng thay thế thuốc",
    "không thay thế thuốc chữa bệnh",
    "không thay thế được thuốc chữa bệnh",
    "không thể thay thế thuốc chữa bệnh",
    "không dùng thay thế thuốc chữa bệnh",
    # Teen-code spellings of the same notice ("ko phải là thuốc", "k có tác dụng …").
    "ko phải là thuốc",
    "ko phải thuốc",
    "k phải là thuốc",
    "ko có tác dụng thay thế thuốc chữa bệnh",
    "ko có tác dụng thay thế thuốc",
    "k có tác dụng thay thế thuốc",
    "ko thay thế thuốc chữa bệnh",
    "is not a medicine",
    "not a substitute for medicine",
)

# The word after "không phải (là) thuốc" that lets the notice go on; any other word
# names a kind of medicine ("thuốc tây", "thuốc tân dược", "thuốc nam").
_NOTICE_GOES_ON: Final = frozenset(
    {"và", "va", "nên", "nen", "không", "khong", "chữa", "chua", "mà", "ma", "vì", "vi",
     "có", "co", "hay", "hoặc", "hoac", "do", "cũng", "cung"}
)  # fmt: skip
_NEXT_WORD_RE: Final = re.compile(r"\s*([^\W\d_]+)")
_NEXT_WORD_SPAN: Final = 30

# Context is read from this many characters of the same text block on each side.
_SPAN: Final = 240
# A negation counts when it ends at most this many characters before the hit.
_NEG_GAP: Final = 40
# Two entries of one category agree when their hits start this close together.
_AGREE: Final = 200
# Evidence shows at most 5 occurrences; once an entry has that many fails on a
# page, later occurrences cannot change the finding and are not analysed.
_ENOUGH_FAILS: Final = 5

# Negations and prohibitions: before the hit, in the same clause.
_NEGATION_CUES: Final = (
    "không bán", "không kinh doanh", "không nhận", "không cung cấp", "không chứa",
    "không có", "không dùng", "không sử dụng", "không phải", "không pha", "không hề",
    "không bao giờ", "không mua", "chưa từng", "cam kết không", "nói không với",
    "nói không", "say no", "tuyệt đối không", "nghiêm cấm", "cấm", "bị cấm",
    "chống hàng giả", "chống hàng nhái", "chống hàng fake", "chống buôn lậu",
    "phòng chống", "phân biệt", "nhận biết", "nhận diện", "cảnh báo", "cảnh giác",
    "tác hại", "cai thuốc", "cai nghiện", "tránh mua", "tránh xa",
    "đừng mua", "thu giữ", "tạm giữ", "bắt giữ", "triệt phá", "xử phạt", "tiêu hủy",
    "không có sản phẩm nào", "phát hiện",
)  # fmt: skip
# Warning, enforcement and news words: anywhere in the sentence of the hit.
_WARNING_CUES: Final = (
    "cảnh báo", "cảnh giác", "thu giữ", "tạm giữ", "bắt giữ", "triệt phá", "xử phạt",
    "bị phạt", "tiêu hủy", "tác hại", "phân biệt", "nhận diện",
    "phòng chống", "tuyên truyền", "cấm kinh doanh", "nghiêm cấm", "bị cấm",
    "quản lý thị trường", "qltt", "cơ quan chức năng", "tránh mua", "lừa đảo",
    "đường dây", "mua phải", "thật và giả", "thật hay giả", "thật giả", "nhận biết",
    "kiểm lâm", "hãy nói không", "hãy cùng nói không", "khuyến cáo",
)  # fmt: skip
# Selling words: in the sentence of the hit they make it an offer. The strong ones
# (and prices) are how a seller asks for the order; the weak ones also occur in
# articles ("người bán", "giá thấp bất thường"), where only strong ones count.
_STRONG_OFFER_CUES: Final = (
    "giá sỉ", "giá rẻ", "giá tốt", "ship", "ship cod", "cod", "freeship", "inbox", "ib",
    "order", "nhận order", "đặt hàng", "đặt mua", "mua ngay", "sỉ lẻ", "lấy sỉ",
    "có sẵn", "còn hàng", "hàng về", "zalo", "hotline", "nhận làm", "ship kín",
    "giao tận nơi", "giao hàng toàn quốc",
)  # fmt: skip
_WEAK_OFFER_CUES: Final = (
    "bán", "giá", "giao hàng", "giao", "sỉ", "lẻ", "liên hệ", "tặng", "khuyến mãi",
    "giảm giá", "sale", "bảo hành", "đổi trả", "cung cấp", "đại lý",
)  # fmt: skip
_PRICE_RE: Final = re.compile(
    r"\d[\d.,]*\s?(?:k|đ|₫|vnd|vnđ|đồng|tr|triệu|nghìn|ngàn)(?![^\W_])|₫\s?\d"
)
_SENT_END: Final = re.compile(r"[.!?…]+(?=\s|$)|[|•]")
# A comma or colon between digits is part of a number or a grade ("1,5tr", "rep 1:1").
_CLAUSE_END: Final = re.compile(r"[.!?…]+(?=\s|$)|[|•;()\[\]]|(?<!\d)[,:]|[,:](?!\d)|\s[-–—]\s")

# Colloquial and teen-code negators before a selling verb ("ko bán", "k nhận",
# "hông có", "chẳng bán", "khong ban"). "k" is also "thousand" ("150 k"), so no
# negator counts right after a number.
_NEGATORS: Final = r"không|khong|ko|k|kg|khg|kô|hok|hông|hổng|chẳng|chả"
_COLLOQUIAL_NEG_RE: Final = re.compile(
    rf"(?<![^\W_])(?<!\d\s)(?:{_NEGATORS})\s+(?:bán|ban|buôn|buon|kinh doanh|nhận|nhan|"
    r"có|co|phải|phai|chứa|chua|cung cấp|cung cap|dùng|sử dụng|su dung|mua|pha|hề|"
    r"bao giờ|bao gio)(?![^\W_])"
)
# A bare negator right before the goods noun: "không kem trộn", "ko hàng fake".
_BARE_NEG_RE: Final = re.compile(r"(?<![^\W_])(?<!\d\s)(?:không|khong|ko|chẳng)\s*$")
# Words that end what a negation governs: it covers the goods noun after its verb
# (and a list of such nouns), not what a new verb, preposition or comparison
# introduces ("không chứa nicotine cho pod …", "không bán hàng chợ chuyên rep …").
_SCOPE_END_RE: Final = re.compile(
    r"(?<![^\W_])(?:chuyên|chuyen|với|voi|cho|hơn|hon|mà|chỉ|nhưng|nhung|để|vì)(?![^\W_])"
)
# "với"/"cho" right after the verb, or after an adverb of it, still belong to it
# ("không dùng chung với rượu").
_SCOPE_VERB_ADVERB_RE: Final = re.compile(r"^\s*(?:(?:chung|kèm|cùng|kem|cung)\s+)?$")
# A warning word that is itself negated is not a warning ("uy tín không lừa đảo",
# "không lo bị thu giữ"); "đừng" is not here: "đừng mua phải …" warns.
_NEGATED_CUE_RE: Final = re.compile(
    rf"(?<![^\W_])(?<!\d\s)(?:{_NEGATORS})(?:\s+(?:lo|sợ|ngại|bị|hề|còn|phải|bao giờ|cần))*\s+$"
)
# A harm-reduction claim is a selling argument, not a warning ("giảm 95% tác hại").
_HARM_REDUCTION_RE: Final = re.compile(
    r"(?<!không\s)(?<![^\W_])(?:giảm|giảm thiểu|giảm bớt|hạn chế|ít)"
    r"(?:\s+(?:đến|tới|tới\s+hơn|hơn|được))?(?:\s+[\d.,]+\s*%)?\s+$"
)
# "khó phân biệt" (hard to tell apart) is a seller's boast about a copy, not a warning.
_TELL_APART: Final = frozenset(
    {"phân biệt", "nhận biết", "nhận diện", "phan biet", "nhan biet", "nhan dien"}
)
_HARD_TO_TELL_RE: Final = re.compile(r"(?<![^\W_])(?:khó|kho|rất khó|rat kho)\s+$")
# An amount after "phạt" is a fine, not a price ("phạt 80 triệu đồng").
_FINE_RE: Final = re.compile(
    r"(?<![^\W_])(?:phạt|phat)(?:\s+(?:tiền|tien|hành chính|hanh chinh))?\s+$"
)
# "hàng cấm", "chất cấm": a noun (banned goods), not a prohibition.
_BANNED_NOUN_RE: Final = re.compile(r"(?<![^\W_])(?:hàng|chất|đồ|mặt hàng|thuốc)\s+$")
# "trước khi bị cấm" (stock from before the ban): a seller's excuse, not a prohibition.
_BEFORE_BAN_RE: Final = re.compile(
    r"(?<![^\W_])(?:trước khi|trước lúc|từ trước khi|hồi chưa|truoc khi)(?:\s+(?:có lệnh|bị))?\s+$"
)
_BAN_CUES: Final = frozenset({"cấm", "bị cấm", "nghiêm cấm", "cấm kinh doanh"})
# "tem chống hàng giả", "mã chống giả": an anti-counterfeit stamp (a noun), not a
# negation; such stamps are what fake-stamp printers sell.
_STAMP_NOUN_RE: Final = re.compile(r"(?<![^\W_])(?:tem|mã|nhãn|hologram|decal|tem nhãn)\s+$")
_ANTI_FAKE_CUES: Final = frozenset({"chống hàng giả", "chống hàng nhái", "chống hàng fake"})
# A reply to a polar question ("… hàng rep không shop? — Dạ không ạ, …"): a denial
# negates what the question named, an affirmation ("Dạ có, 1 vỉ 10 viên") offers it.
_REPLY_PUNCT: Final = "?-–—:>\"”' ,.!;…"
_REPLY_LEAD: Final = r"^\?+[\s\-–—:>\"”']*(?:(?:dạ|da|vâng|vang|ạ)\s*,?\s*)?"
_DENIAL_RE: Final = re.compile(
    _REPLY_LEAD + r"(?:không|khong|ko|hông|hong|k)(?:\s+(?:phải|phai))?(?:\s+(?:đâu|dau))?"
    r"(?:\s+(?:ạ|a|ah|nha|nhé|shop|anh|chị|chi|bạn|ban|em|mình))*\s*(?:[,.!;…]|$)"
)
_AFFIRM_RE: Final = re.compile(
    _REPLY_LEAD + r"(?:có|co|được|duoc|dạ có|còn|con)(?:\s+(?:ạ|a|ah|nha|nhé|shop|anh|chị|"
    r"chi|bạn|ban|em|luôn|ngay|sẵn|san))*\s*(?:[,.!;…]|$)"
)
# The question must be a polar one: it ends with a question particle.
_POLAR_RE: Final = re.compile(
    r"(?<![^\W_])(?:không|khong|ko|k|chưa|chua|hả|ha|à|phải không|đúng không)"
    r"(?:\s+(?:ạ|a|shop|anh|chị|chi|bạn|ban|em|ad|admin|vậy|vay|nhỉ))*\s*$"
)
# What may stand before a later item of a list of goods in its clause
# ("…, hàng nhái", "…, và hàng lậu", "…, không ma túy").
_LIST_GLUE_RE: Final = re.compile(
    r"^(?:(?:và|hay|hoặc|hoặc là|cũng như|lẫn|kể cả|các loại|các|mọi|những|đồ|hàng|"
    r"hàng hóa|sản phẩm|loại|va|hoac)\s+)*$"
)
# Words that join two items of a list inside one clause ("hàng fake hay hàng rep").
_LIST_JOIN_RE: Final = re.compile(
    r"(?<![^\W_])(?:và|hay|hoặc|hoặc là|cũng như|lẫn|va|hoac)(?![^\W_])"
)
_OWN_NEGATOR_RE: Final = re.compile(r"\s*(?:không|khong|ko|chưa|chua)(?![^\W_])")
# A hit in a question is what the question asks about when at most this many words
# stand between it and the question particle.
_QUESTION_TAIL_WORDS: Final = 2
_QUESTION_VERB_TAIL_WORDS: Final = 5
# "có", "có phải", "là" before the hit: the question is about the hit.
_QUESTION_VERB_RE: Final = re.compile(r"(?<![^\W_])(?:có|co|có phải|là|la)(?:\s+[^\W\d_]+)?\s*$")
# A list item is a short noun phrase; a list is followed back this many items.
_LIST_ITEM_WORDS: Final = 8
# Words of an item that may stand before a hit that ends the item.
_ITEM_PREFIX_WORDS: Final = 4
# Such an item names goods: "hàng …", "đồ …", "sản phẩm …" (not "đây là …").
_ITEM_HEAD_RE: Final = re.compile(
    r"(?:hàng|đồ|sản phẩm|mặt hàng|các loại|loại|hang|do|san pham)(?![^\W_])"
)
_LIST_ITEMS: Final = 8
# A negation governs a list when its object reaches the item's end within this.
_LIST_OBJECT: Final = 60
# A goods word followed by a refund promise: "hàng fake đền gấp 10", "fake hoàn tiền".
_GUARANTEE_RE: Final = re.compile(
    r"^\s*(?:(?:thì\s+)?shop\s+)?(?:đền|hoàn tiền|bồi thường|den|hoan tien|boi thuong)(?![^\W_])"
)
# Karats after a gold word are not prices: "vàng 18K", "vàng trắng 14k", "vàng Ý 10K".
_KARAT_MAX: Final = 24
_KARAT_RE: Final = re.compile(
    r"(?<![^\W_])(?<!rượu\s)(?<!ruou\s)(?:vàng|vang|gold)"
    r"(?:\s+(?:trắng|trang|ý|y|hồng|hong|tây|tay|ta|italy))?\s*$"
)

_MAIN_REGIONS: Final = frozenset({"main", "other"})
_NAV_REGIONS: Final = frozenset({"nav", "header"})
_TIER_RANK: Final = {"high": 3, "medium": 2, "low": 1}


def _cue_re(cues: Iterable[str]) -> re.Pattern[str] | None:
    words = sorted({c for c in cues if c}, key=len, reverse=True)
    if not words:
        return None
    alts = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?<![^\W_])(?:{alts})(?![^\W_])")


@dataclass(frozen=True)
class _Cues:
    """One cue list, for accented text and (multi-word cues only) unaccented text.

    One-word cues are not folded: without diacritics they are other words
    ("cấm" → "cam", an orange; "giá" → "gia").
    """

    plain: re.Pattern[str] | None
    folded: re.Pattern[str] | None

    @classmethod
    def build(cls, cues: Iterable[str]) -> _Cues:
        normed = [normalize_term(c) for c in cues]
        folded = [fold(c) for c in normed if " " in c and fold(c) != c]
        return cls(_cue_re(normed), _cue_re(folded))

    def find(self, s: str, unaccented: bool) -> list[re.Match[str]]:
        out = list(self.plain.finditer(s)) if self.plain else []
        if unaccented and self.folded:
            out.extend(self.folded.finditer(fold(s)))
        return out


@dataclass(frozen=True, slots=True)
class GoodsHit:
    """One occurrence of a goods term and the decision about it.

    Attributes:
        entry_id: The data entry that fired (``rg.e_cigarette.vape``).
        category: Its finding category (``restricted_goods``, ``counterfeit``,
            ``smuggling``, ``health_claim``).
        subcategory: Its subcategory (``e_cigarette``, ``supplement_listing``, …).
        tier: ``high``, ``medium`` or ``low``.
        field: The field the hit is in (a JSON-Pointer-like name), or None for a page.
        start: Start offset in the original text of the page or field.
        end: End offset in the original text of the page or field.
        matched: The original text that matched.
        term: The dictionary term, normalised.
        folded: Matched the spelling without diacritics.
        obfuscated: Matched only after de-obfuscation (separators, leetspeak …).
        context: Context words that decided: the entry's required words found near
            the hit, selling words of its sentence, or the negation that dropped it.
        outcome: ``fail``, ``needs_review`` or ``dropped``.
        reason: Machine-readable reasons for the outcome, e.g.
            ``("offer_context", "tier_high")``, ``("negated",)``, ``("nav_region",)``.
        region: The page region of the hit (``main``, ``nav`` …), None for fields.
    """

    entry_id: str
    category: str
    subcategory: str
    tier: str
    field: str | None
    start: int
    end: int
    matched: str
    term: str
    folded: bool
    obfuscated: bool
    context: tuple[str, ...]
    outcome: Outcome
    reason: tuple[str, ...]
    region: str | None = None

    @property
    def kept(self) -> bool:
        """Whether the hit is reported (``fail`` or ``needs_review``)."""
        return self.outcome != "dropped"


class GoodsMatcher:
    """All goods entries compiled into one matcher, with their metadata.

    Build it with :func:`compile_goods`; it keeps no state between texts, so one
    instance serves every page and thread of a Checker.

    Attributes:
        matcher: The term matcher over every entry and the supplement notice.
        entries: Entry metadata by id.
    """

    def __init__(self, entries: Iterable[TermEntry]) -> None:
        """Compile the entries (see :func:`compile_goods`)."""
        self.entries: Mapping[str, TermEntry] = {e.id: e for e in entries}
        specs = [
            TermSpec(
                key=e.id,
                terms=e.terms,
                fold=e.fold,
                require_any=e.require_context,
                exclude_any=e.exclude_context,
                window=e.window,
            )
            for e in self.entries.values()
        ]
        specs.append(TermSpec(NOTICE_KEY, _NOTICE_TERMS, fold=True))
        self.matcher = TermMatcher(specs)
        self.negation = _Cues.build(_NEGATION_CUES)
        self.warning = _Cues.build(_WARNING_CUES)
        self.strong_offer = _Cues.build(_STRONG_OFFER_CUES)
        self.offer = _Cues.build(_WEAK_OFFER_CUES)
        # Entries that name a work themselves ("tài liệu phản động", "sách lậu",
        # "game crack"): the work is what is sold, never its topic.
        self.works = frozenset(
            e.id
            for e in self.entries.values()
            if e.subcategory == _PIRACY
            or any(_MEDIA_HEAD_RE.match(normalize_term(t)) for t in e.terms)
        )


@functools.cache
def _default_goods() -> GoodsMatcher:
    return GoodsMatcher(load_terms())


def compile_goods(entries: Iterable[TermEntry] | None = None) -> GoodsMatcher:
    """Compile goods term entries into one matcher.

    Args:
        entries: The entries; all packaged entries when None (that matcher is built
            once per process and shared, since it holds no state).

    Returns:
        The compiled matcher.
    """
    if entries is None:
        return _default_goods()
    return GoodsMatcher(entries)


# --- context of one hit -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Local:
    """What the text around one hit says."""

    negation: str | None
    warning: str | None
    offer: tuple[str, ...]  # selling words and prices of the sentence
    strong: bool = False  # a price or a strong selling word among them
    section: str | None = None  # warning word of the section heading above the hit
    # A warning word in another clause of the sentence while the hit's own clause
    # has a price or a strong selling word: the hit is kept, at most for review.
    near_warning: str | None = None


def _last_end(pattern: re.Pattern[str], s: str) -> int:
    end = 0
    for m in pattern.finditer(s):
        end = m.end()
    return end


def _first_start(pattern: re.Pattern[str], s: str) -> int:
    m = pattern.search(s)
    return m.start() if m else len(s)


def _prices(s: str, lead: str = "") -> list[str]:
    """Prices in ``s``, without gold karats ("vàng 18K" is not 18,000 đồng).

    ``lead`` is the text just before ``s`` (the hit, for the text after it).
    """
    out = []
    for m in _PRICE_RE.finditer(s):
        g = m.group()
        digits = re.match(r"\d+", g)
        karat = g.endswith("k") and digits is not None and int(digits.group()) <= _KARAT_MAX
        if karat and _KARAT_RE.search(lead + s[: m.start()]):
            continue
        if _FINE_RE.search(lead + s[: m.start()]):
            continue
        out.append(g)
    return out


def _cancelled(s: str, m: re.Match[str]) -> bool:
    """Whether a cue of ``s`` does not mean what it says where it stands.

    A negated warning word ("uy tín không lừa đảo", "không lo bị thu giữ"), a
    harm-reduction claim ("giảm 95% tác hại") and "hàng cấm" (banned goods, a noun)
    are sellers' words, not warnings or prohibitions; so are "khó phân biệt" (hard to
    tell apart), a boast about a copy, "trước khi bị cấm" (stock from before a ban)
    and "tem chống hàng giả" (an anti-counterfeit stamp, a noun).
    """
    before = s[: m.start()]
    word = m.group()
    if _NEGATED_CUE_RE.search(before):
        return True
    if word.endswith(("tác hại", "tac hai")) and _HARM_REDUCTION_RE.search(before):
        return True
    if word in _TELL_APART and _HARD_TO_TELL_RE.search(before):
        return True
    if word in _BAN_CUES and _BEFORE_BAN_RE.search(before):
        return True
    if word in _ANTI_FAKE_CUES and _STAMP_NOUN_RE.search(before):
        return True
    return word == "cấm" and _BANNED_NOUN_RE.search(before) is not None


def _scope_ended(between: str) -> bool:
    """Whether a word between a negation and the hit ends what the negation governs."""
    for m in _SCOPE_END_RE.finditer(between):
        if m.group() in ("với", "voi", "cho") and _SCOPE_VERB_ADVERB_RE.match(between[: m.start()]):
            continue
        return True
    return False


def _negation_reaching(
    gm: GoodsMatcher, clause: str, cut: int, unaccented: bool, gap: int
) -> str | None:
    """The negation of ``clause`` whose scope reaches offset ``cut``, if any.

    A cue must start before ``cut`` and end at most ``gap`` characters before it,
    with no word between that ends its scope; a bare "không" must stand right
    before ``cut``. A cue may run into the hit ("cai thuốc" + "thuốc lá điện tử").
    """
    found = gm.negation.find(clause, unaccented)
    found.extend(_COLLOQUIAL_NEG_RE.finditer(clause))
    # A hit that starts with its own negator ("không tái phát"): a cue running into
    # it ("cam kết không") reads that negator, not a negation of the hit.
    own_negator = _OWN_NEGATOR_RE.match(clause, cut) is not None
    for m in sorted(found, key=lambda m: m.start()):
        if m.start() >= cut or m.end() < cut - gap:
            continue
        if own_negator and m.end() > cut:
            continue
        if _cancelled(clause, m) or _scope_ended(clause[m.end() : cut]):
            continue
        return m.group()
    bare = _BARE_NEG_RE.search(clause, 0, cut)
    return bare.group() if bare else None


def _short_item(gm: GoodsMatcher, item: str, unaccented: bool) -> bool:
    """Whether ``item`` can be an item of a list of goods: a short noun phrase."""
    words = item.split()
    return not (
        not words
        or len(words) > _LIST_ITEM_WORDS
        or _SCOPE_END_RE.search(item)
        or gm.offer.find(item, unaccented)
        or gm.strong_offer.find(item, unaccented)
        or _prices(item)
    )


def _list_negation(
    gm: GoodsMatcher, sent_before: str, clause_before: str, unaccented: bool
) -> str | None:
    """The negation of an earlier item of a list of goods that the hit continues.

    "cam kết không bán hàng giả, hàng nhái, hàng không rõ nguồn gốc": the hit
    starts its clause (after list glue such as "và", "hàng") or ends a short item
    of a few words, the clauses before it are short goods items, and the first of
    them is governed by a negation.
    Items may also be joined inside the hit's clause ("không bán hàng chiết, hàng
    fake hay hàng rep").
    """
    glue = clause_before.strip()
    joined = ""
    if glue and not _LIST_GLUE_RE.match(glue + " "):
        joined = _joined_items(clause_before)
        # The hit may also end a short item ("…, hàng xách tay không nguồn gốc").
        if not joined and (
            len(glue.split()) > _ITEM_PREFIX_WORDS
            or not _ITEM_HEAD_RE.match(glue)
            or not _short_item(gm, glue, unaccented)
        ):
            return None
    count = 0
    while joined and count < _LIST_ITEMS:
        count += 1
        joins = list(_LIST_JOIN_RE.finditer(joined))
        item = joined[joins[-1].end() :] if joins else joined
        cue = _negation_reaching(gm, item, len(item), unaccented, _LIST_OBJECT)
        if cue is not None:
            return cue
        if not _short_item(gm, item, unaccented):
            return None
        joined = joined[: joins[-1].start()].rstrip() if joins else ""
    rest = sent_before[: len(sent_before) - len(clause_before)].rstrip()
    for _ in range(_LIST_ITEMS - count):
        if not rest.endswith((",", ";")):
            return None
        rest = rest[:-1].rstrip()
        item = rest[_last_end(_CLAUSE_END, rest) :]
        cue = _negation_reaching(gm, item, len(item), unaccented, _LIST_OBJECT)
        if cue is not None:
            return cue
        if not _short_item(gm, item, unaccented):
            return None
        rest = rest[: len(rest) - len(item)].rstrip()
    return None


def _joined_items(clause_before: str) -> str:
    """The items before the last list conjunction of a clause, or "" if none.

    "hàng fake hay " gives "hàng fake": the text after the conjunction is only list
    glue, so the hit is the next item of a list joined by "và", "hay" or "hoặc".
    """
    for m in reversed(list(_LIST_JOIN_RE.finditer(clause_before))):
        if _LIST_GLUE_RE.match(clause_before[m.start() :].strip() + " "):
            return clause_before[: m.start()].rstrip()
    return ""


def _local(
    gm: GoodsMatcher,
    text: str,
    start: int,
    end: int,
    term: str,
    folded: bool,
    category: str = "",
) -> _Local:
    """Read the sentence around ``text[start:end]`` (within its line).

    ``category`` is the hit's entry category: a counterfeit is negated by a refund
    promise right after it ("hàng fake đền gấp 10"); a health claim is a claim
    about the goods, never an item of a list of goods.
    """
    floor = max(0, start - _SPAN)
    nl = text.rfind("\n", floor, start)
    lo = nl + 1 if nl >= 0 else floor
    nl = text.find("\n", end, end + _SPAN)
    hi = nl if nl >= 0 else min(len(text), end + _SPAN)
    before = normalize(text[lo:start]).text.rstrip()
    after = normalize(text[end:hi]).text
    # Text typed without diacritics: multi-word cues are also read folded.
    unaccented = folded or (fold(before) == before and fold(after) == after)
    sent_before = before[_last_end(_SENT_END, before) :]
    sent_after = after[: _first_start(_SENT_END, after)]
    clause_before = sent_before[_last_end(_CLAUSE_END, sent_before) :]
    clause_after = sent_after[: _first_start(_CLAUSE_END, sent_after)]
    own = f"{clause_before} {term} {clause_after}"
    # A price or a strong selling word in the hit's own clause: a cue of another
    # clause does not drop it.
    own_strong = bool(gm.strong_offer.find(own, unaccented) or _prices(own))

    reply = _reply(text, end, clause_before, sent_after)
    negation = _negation_reaching(
        gm, f"{clause_before} {term}", len(clause_before), unaccented, _NEG_GAP
    )
    denial = _DENIAL_RE.match(reply) if reply is not None else None
    if negation is None and denial is not None:
        negation = denial.group().strip(_REPLY_PUNCT)
    if negation is None and not own_strong and category != "health_claim":
        negation = _list_negation(gm, sent_before, clause_before, unaccented)
    if negation is None and category == "counterfeit":
        m = _GUARANTEE_RE.match(clause_after)
        negation = m.group().strip() if m else None

    warning = near = None
    own_spans = (
        (sent_before, len(sent_before) - len(clause_before), len(sent_before)),
        (sent_after, 0, len(clause_after)),
    )
    for part, own_lo, own_hi in own_spans:
        for m in gm.warning.find(part, unaccented):
            if _cancelled(part, m):
                continue
            if not own_strong or own_lo <= m.start() < own_hi:
                warning = warning or m.group()
            else:
                near = near or m.group()
    strong: list[str] = []
    weak: list[str] = []
    for part, lead in ((sent_before, ""), (sent_after, f"{sent_before} {term}")):
        strong.extend(m.group() for m in gm.strong_offer.find(part, unaccented))
        strong.extend(_prices(part, lead))
        weak.extend(m.group() for m in gm.offer.find(part, unaccented))
    if reply is not None:
        yes = _AFFIRM_RE.match(reply)
        if yes:
            strong.append(yes.group().strip(_REPLY_PUNCT))
    offer = tuple(dict.fromkeys(strong + weak))
    return _Local(negation, warning, offer, bool(strong), near_warning=near)


def _reply(text: str, end: int, clause_before: str, sent_after: str) -> str | None:
    """The reply after a polar question that asks about the hit, if the hit is in one.

    "Túi này có phải hàng rep không shop? — Dạ không ạ": the hit is followed by at
    most two words and a question particle, or by a few more when the question
    verb stands before it ("có chữa được tiểu đường không"), then "?" and the reply
    (on the same line or the next). Returns the normalised text from the "?" on.
    """
    m = _POLAR_RE.search(sent_after)
    if m is None:
        return None
    tail = len(sent_after[: m.start()].split())
    asks = _QUESTION_VERB_RE.search(clause_before) is not None
    if tail > (_QUESTION_VERB_TAIL_WORDS if asks else _QUESTION_TAIL_WORDS):
        return None
    after = normalize(text[end : end + _SPAN]).text
    rest = after[len(sent_after) :]
    return rest if rest.startswith("?") else None


# --- works and objects about a topic ---------------------------------------------

# Goods that are works or objects ABOUT something: a book on the Opium War, a film
# about a drug lord, a game where one shoots, a soldier figure with its rifle, a
# no-vaping sign, a drug test kit. When the listing, heading or sentence starts by
# naming such goods, the goods terms after it are its topic, not what is sold.
_MEDIA_NOUNS: Final = (
    "sách", "cuốn sách", "bộ sách", "sách nói", "truyện", "truyện tranh", "tiểu thuyết",
    "giáo trình", "tài liệu", "ebook", "e-book", "audiobook", "tạp chí", "dvd", "vcd",
    "blu-ray", "bluray", "đĩa phim", "phim", "series", "đĩa game", "băng game", "game",
    "trò chơi", "board game", "boardgame", "poster", "áp phích", "tranh", "sticker",
    "hình dán", "decal", "biển báo", "biển cấm", "que thử", "que test", "kit thử",
    "kit test", "bộ kit thử", "bộ test", "test nhanh", "khay thử", "mô hình", "figure",
    "nendoroid", "tượng", "thú nhồi bông", "thú bông", "gấu bông",
)  # fmt: skip
# Representations: what comes "kèm" (with) them is part of the model ("mô hình lính
# kèm súng trường"); with a book or a film "kèm" adds a second item.
_MODEL_NOUNS: Final = frozenset(
    {"mô hình", "figure", "nendoroid", "tượng", "thú nhồi bông", "thú bông", "gấu bông"}
)
_FOLDED_MODEL_NOUNS: Final = frozenset(fold(n) for n in _MODEL_NOUNS)
_COUNTERS: Final = (
    "bộ", "combo", "set", "trọn bộ", "cuốn", "quyển", "tấm", "chiếc", "cái", "hộp", "đĩa",
)  # fmt: skip


def _head_re(nouns: Iterable[str], counters: Iterable[str]) -> re.Pattern[str]:
    alts = "|".join(sorted(map(re.escape, nouns), key=len, reverse=True))
    return re.compile(
        # Shop tags and emoji before the name ("[FREESHIP]", "【HOT】", "🔥"), then a
        # counter ("bộ 3 cuốn", "combo 2").
        r"^[\W_]*(?:(?:\[[^\]]{0,40}\]|【[^】]{0,40}】|\([^)]{0,40}\))[\W_]*)*"
        rf"(?:(?:{'|'.join(map(re.escape, counters))}|\d+)\s+){{0,3}}"
        rf"({alts})(?![^\W_])(?!\s+(?:chấp|chap))"
    )


_MEDIA_HEAD_RE: Final = _head_re(_MEDIA_NOUNS, _COUNTERS)
# The same names typed without diacritics ("Sach Can sa va y hoc"), read only in
# text typed so; one-word ones are other words only with other diacritics there.
_FOLDED_HEAD_RE: Final = _head_re(
    {fold(n) for n in _MEDIA_NOUNS} - {"tuong", "tranh", "phim", "truyen"},
    {fold(c) for c in _COUNTERS} - {"cai"},
)
# A second item after the work ("Sách hướng dẫn + tặng kèm pod vape"): its goods
# terms are goods again.
_ANOTHER_ITEM_RE: Final = re.compile(
    r"\+|(?<![^\W_])(?:tặng|quà|combo|mua kèm|bán kèm|kèm|free|ngoài ra|còn bán|có bán|"
    r"bán thêm|chuyên|shop|nhận)(?![^\W_])"
)
# A "model" that works is the thing itself ("mô hình súng bắn được đạn thật").
_WORKING_RE: Final = re.compile(
    r"(?<!không\s)(?<!ko\s)(?<!k\s)(?<!chưa\s)(?<![^\W_])"
    r"(?:bắn được|hút được|bắn đạn|bắn bi|đạn thật|sát thương|uy lực|nạp đạn|nicotine|"
    r"nic salt|tinh dầu vape|tinh dầu pod)(?![^\W_])"
)
# A statue or model made of the goods is the goods ("Tượng Phật bằng ngà voi",
# "tượng chế tác từ sừng tê giác"), not a representation of them.
_MATERIAL_RE: Final = re.compile(
    r"(?<![^\W_])(?:bằng|làm từ|làm bằng|chế tác từ|tạc từ|khắc từ|đúc từ|chất liệu|"
    r"lam tu|lam bang|che tac tu|chat lieu)(?![^\W_])"
)
# Counterfeit and smuggling words may describe the copy itself ("sách in lậu");
# piracy entries always do.
_PROVENANCE_CATEGORIES: Final = frozenset({"counterfeit", "smuggling"})
_PIRACY: Final = "ip_piracy"


def _work_head(prefix: str) -> re.Match[str] | None:
    """The name of a work or object that normalised ``prefix`` starts with, if any."""
    m = _MEDIA_HEAD_RE.match(prefix)
    if m is None and fold(prefix) == prefix:
        m = _FOLDED_HEAD_RE.match(prefix)
    return m


def _second_item(s: str, pos: int, model: bool, material: bool = True) -> bool:
    """Whether ``s`` from ``pos`` starts a second item ("+", "tặng", "kèm" …).

    For a model, naming what it is made of before a hit counts too (``material``):
    the material is what is sold.
    """
    if model and material and _MATERIAL_RE.search(s, pos):
        return True
    return any(not (model and x.group() == "kèm") for x in _ANOTHER_ITEM_RE.finditer(s, pos))


def _is_model(m: re.Match[str]) -> bool:
    return m.group(1) in _MODEL_NOUNS or m.group(1) in _FOLDED_MODEL_NOUNS


def _names_work(prefix: str) -> bool:
    """Whether normalised ``prefix`` (up to a hit) starts by naming a work or object.

    Nothing between the name and the hit may start a second item ("+", "tặng" …).
    """
    m = _work_head(prefix)
    return m is not None and not _second_item(prefix, m.end(), _is_model(m))


class _Works:
    """Tells whether a hit is the topic of a work or object sold (a book, a film …).

    ``title`` is the name of the one product of the page or listing, if any: when it
    names a work, goods terms of its description are the work's topic too.
    """

    def __init__(self, text: str, title: str | None) -> None:
        self.text = text
        t = normalize(title).text.strip() if title else ""
        m = _work_head(t) if t and not _WORKING_RE.search(t) else None
        # What comes with a model is part of it ("Kèm phụ kiện: … súng trường").
        self.model = m is not None and _is_model(m)
        # A title's material ("… chất liệu nhựa") is judged per hit, not here.
        named = m is not None and not _second_item(t, m.end(), self.model, material=False)
        self.title = t if named else ""
        self.working: dict[int, bool] = {}  # line start -> the line tells it works

    def about(self, start: int, end: int, inherit: bool = True) -> bool:
        """Whether ``text[start:end]`` is a topic of the work named before it.

        ``inherit``: a hit outside the title may take the product's name (not in
        sidebars, footers or related-product cards).
        """
        lo = self.text.rfind("\n", 0, start) + 1
        if lo not in self.working:
            hi = self.text.find("\n", end)
            line = normalize(self.text[lo : len(self.text) if hi < 0 else hi]).text
            self.working[lo] = _WORKING_RE.search(line) is not None
        if self.working[lo]:
            return False
        before = normalize(self.text[lo:start]).text
        sent = before[_last_end(_SENT_END, before) :].lstrip()
        if _names_work(before) or _names_work(sent):
            return True
        return bool(self.title) and inherit and not _second_item(sent, 0, self.model)


# --- decision -----------------------------------------------------------------------

# Page modes: "offer" (the page sells), "plain" (no sign of selling), "article"
# (informs: news, blog, warning), "policy" (terms and prohibited-goods lists),
# "news" (a shop's own news or event: an opening with fireworks, a wine tasting).
_Mode = Literal["offer", "plain", "article", "policy", "news"]


def _decide(
    tier: str, mode: _Mode, region: str | None, local: _Local
) -> tuple[Outcome, tuple[str, ...]]:
    """First decision on one hit; medium hits may be upgraded later by agreement."""
    if region in _NAV_REGIONS:
        return "dropped", ("nav_region",)
    if local.negation is not None:
        return "dropped", ("negated",)
    if local.warning is not None:
        return "dropped", ("warning_context",)
    if local.section is not None:
        return "dropped", ("warning_section",)
    if mode == "policy":
        return "dropped", ("policy_page",)
    if local.near_warning is not None:
        outcome, reason = _decide(tier, mode, region, replace(local, near_warning=None))
        if outcome == "fail":
            outcome = "needs_review"
        return outcome, (*reason, "warning_nearby")
    words = bool(local.offer)
    if mode == "news":
        # A shop's news tells what happened; a price or an order word in the very
        # sentence may still be an offer, of any tier, for a person to judge.
        if local.strong:
            return "needs_review", ("event_news", "offer_words", f"tier_{tier}")
        return "dropped", ("event_news",)
    if mode == "article":
        if tier == "high" and local.strong:
            return "needs_review", ("article_page", "offer_words", "tier_high")
        return "dropped", ("article_page",)
    secondary = region is not None and region not in _MAIN_REGIONS
    offer = (mode == "offer" and not secondary) or words
    where: tuple[str, ...] = ("secondary_region",) if secondary else ()
    if not offer:
        if tier == "high":
            return "needs_review", (*where, "no_offer_context", "tier_high")
        return "dropped", (*where, "no_offer_context")
    base = (*where, "offer_context", f"tier_{tier}")
    if tier == "high":
        return "fail", base
    if tier == "medium":
        if words:
            return "fail", (*base, "offer_words")
        return "needs_review", base
    return "needs_review", base


def _agree(hits: list[GoodsHit]) -> list[GoodsHit]:
    """Upgrade medium hits in an offer when another entry of the category agrees.

    Two independent entries of one category close together (a device word and a
    flavour-liquid word, a cure claim and a supplement listing) are two signals.
    """
    out = list(hits)
    kept = [h for h in hits if h.kept]
    for i, h in enumerate(hits):
        if not (h.outcome == "needs_review" and h.tier == "medium" and "offer_context" in h.reason):
            continue
        if "about_work" in h.reason:
            continue
        for other in kept:
            # A high-tier entry, or a medium one of another subcategory: "rượu" and
            # "soju" are one signal, a cure claim and a supplement listing are two.
            independent = other.tier == "high" or (
                other.tier == "medium" and other.subcategory != h.subcategory
            )
            if (
                independent
                and other.entry_id != h.entry_id
                and other.category == h.category
                and other.field == h.field
                and abs(other.start - h.start) <= _AGREE
            ):
                out[i] = replace(h, outcome="fail", reason=(*h.reason, "corroborated"))
                break
    return out


def _covered(hits: list[TermHit], gm: GoodsMatcher) -> set[int]:
    """Indexes of hits inside a longer hit of the same category and no lower tier.

    "pod" inside "pod system" or "xách tay" inside "hàng xách tay" is the same
    signal; the more specific entry reports it.
    """
    out: set[int] = set()
    ents = gm.entries
    for i, h in enumerate(hits):
        e = ents[h.key]
        for j in range(i - 1, max(-1, i - 8), -1):
            o = hits[j]
            if "\n" in o.matched:
                continue
            if o.end >= h.end and o.start <= h.start and (o.end - o.start) > (h.end - h.start):
                oe = ents[o.key]
                if oe.category == e.category and _TIER_RANK[oe.tier] >= _TIER_RANK[e.tier]:
                    out.add(i)
                    break
    return out


def _analyze(
    gm: GoodsMatcher,
    text: str,
    hits: list[TermHit],
    field: str | None,
    mode: _Mode,
    region_at: Callable[[int], object] | None,
    fails: dict[str, int],
    section_at: Callable[[int], str | None] | None = None,
    news_at: Callable[[int], bool] | None = None,
    label_at: Callable[[int, int], bool] | None = None,
    works: _Works | None = None,
    in_card: Callable[[int], bool] | None = None,
) -> tuple[list[GoodsHit], list[int]]:
    """Judge every entry hit of one text; also tell where the notice is (offsets)."""
    out: list[GoodsHit] = []
    entry_hits = [h for h in hits if h.key in gm.entries]
    notice = [h.start for h in hits if h.key == NOTICE_KEY and _is_notice(text, h)]
    entry_hits.sort(key=lambda h: (h.start, -h.end))
    covered = _covered(entry_hits, gm)
    for i, h in enumerate(entry_hits):
        e = gm.entries[h.key]
        if fails.get(e.id, 0) >= _ENOUGH_FAILS:
            continue
        region = str(region_at(h.start)) if region_at is not None else None
        local = _Local(None, None, ())
        if "\n" in h.matched:
            # Normalisation joins lines, so "Giỏ hàng" + "Thùng 30 gói" reads "hàng
            # thùng"; a term is never split over two blocks of a page.
            outcome: Outcome = "dropped"
            reason: tuple[str, ...] = ("crosses_block",)
        elif i in covered:
            outcome, reason = "dropped", ("covered",)
        elif region in _NAV_REGIONS:
            outcome, reason = "dropped", ("nav_region",)
        elif label_at is not None and label_at(h.start, h.end):
            outcome, reason = "dropped", ("link_label",)
        else:
            local = _local(gm, text, h.start, h.end, h.term, h.folded, e.category)
            if section_at is not None and local.negation is None and local.warning is None:
                local = replace(local, section=section_at(h.start))
            hit_mode = mode
            if mode in ("offer", "plain") and news_at is not None and news_at(h.start):
                hit_mode = "news"
            outcome, reason = _decide(e.tier, hit_mode, region, local)
            if outcome != "dropped" and works is not None and e.id not in gm.works:
                inherit = region in (None, *_MAIN_REGIONS) and not (
                    in_card is not None and in_card(h.start)
                )
                if works.about(h.start, h.end, inherit):
                    if e.category not in _PROVENANCE_CATEGORIES:
                        outcome, reason = "dropped", ("about_work",)
                    elif outcome == "fail":
                        # "hàng giả" may be the book's subject or the book itself.
                        outcome, reason = "needs_review", (*reason, "about_work")
        context = [*h.context]
        if local.negation:
            context.append(local.negation)
        elif local.warning:
            context.append(local.warning)
        elif local.section:
            context.append(local.section)
        else:
            context.extend(local.offer[:4])
        if outcome == "fail":
            fails[e.id] = fails.get(e.id, 0) + 1
        out.append(
            GoodsHit(
                entry_id=e.id,
                category=e.category,
                subcategory=e.subcategory,
                tier=e.tier,
                field=field,
                start=h.start,
                end=h.end,
                matched=h.matched,
                term=h.term,
                folded=h.folded,
                obfuscated=h.obfuscated,
                context=tuple(dict.fromkeys(context)),
                outcome=outcome,
                reason=reason,
                region=region,
            )
        )
    return out, notice


def _is_notice(text: str, hit: TermHit) -> bool:
    """Whether a notice hit is the notice, not a claim ("không phải thuốc tây").

    "không phải (là) thuốc" is the notice only when "thuốc" ends the phrase or the
    notice goes on ("… thuốc, không có tác dụng …", "… thuốc chữa bệnh"); a kind of
    medicine after it ("thuốc tây", "thuốc nam", "thuốc lá") makes it a selling claim.
    """
    if not hit.term.endswith("thuốc"):
        return True
    m = _NEXT_WORD_RE.match(normalize(text[hit.end : hit.end + _NEXT_WORD_SPAN]).text)
    return m is None or m.group(1) in _NOTICE_GOES_ON


def _apply_notice(
    hits: list[GoodsHit], has_notice: bool | Callable[[GoodsHit], bool]
) -> list[GoodsHit]:
    out = []
    for h in hits:
        if h.subcategory == "supplement_listing" and h.kept:
            if has_notice if isinstance(has_notice, bool) else has_notice(h):
                h = replace(h, outcome="dropped", reason=(*h.reason, "notice_present"))
            else:
                h = replace(h, reason=(*h.reason, "notice_missing"))
        out.append(h)
    return out


# --- pages --------------------------------------------------------------------------

_PAGE_OFFER_KINDS: Final = frozenset({"product", "listing"})
_HEADING_TAGS: Final = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BOLD_TAGS: Final = frozenset({"strong", "b"})
# Headings are looked for this many blocks above a hit, and are at most this long.
_SECTION_REACH: Final = 40
_HEADING_MAX: Final = 150


# A shop's news and event sections and pages: the heading or the first URL path
# segment starts with one of these.
_NEWS_HEADING_RE: Final = re.compile(
    r"(?:tin tức|tin mới|tin khuyến mãi|sự kiện|bài viết|blog|góc chia sẻ|cẩm nang|"
    r"khai trương|news|events?)(?![^\W_])"
)
_NEWS_SLUG_RE: Final = re.compile(
    r"/(?:tin-tuc|tin-moi|tin-khuyen-mai|su-kien|bai-viet|blogs?|khai-truong|news|events?)"
    r"(?:[-/.]|$)"
)
# A headline naming a list of goods that may not be sold ("Danh mục hàng hóa không
# được đăng bán", "Quy định hàng cấm kinh doanh"): the page lists, it does not offer.
_PROHIBITED_HEADING_RE: Final = re.compile(
    r"cấm (?:kinh doanh|buôn bán|mua bán|đăng bán)|không được (?:phép )?(?:đăng bán|kinh doanh)|"
    r"(?:danh mục|danh sách|quy định)[^.!?]{0,40}(?:hàng (?:hóa )?cấm|hạn chế kinh doanh)|"
    r"prohibited (?:items|goods|products)|restricted (?:items|goods|products)"
)
_NO_HEADING: Final = 8


def _heading_level(b: TextBlock) -> int | None:
    """1–6 for ``h1``–``h6``, 7 for a short bold line, None for other blocks."""
    tag = b.element.tag
    if tag in _HEADING_TAGS:
        return int(str(tag)[1])
    if tag in _BOLD_TAGS and b.end - b.start <= _HEADING_MAX:
        return 7
    return None


class _Sections:
    """Finds the section heading above a hit and whether it announces a warning.

    A product description may carry a section such as "Cách phân biệt … thật và
    giả" whose sentences mention fakes without a warning word of their own.
    """

    def __init__(self, doc: PageDocument, gm: GoodsMatcher) -> None:
        self.doc = doc
        self.gm = gm
        self.starts: list[int] | None = None
        self.cache: dict[int, str | None] = {}
        self.news: dict[int, bool] = {}
        self.priced: dict[int, bool] = {}

    def _price_block(self, j: int) -> bool:
        if j not in self.priced:
            b = self.doc.blocks[j]
            self.priced[j] = bool(_prices(normalize(self.doc.text[b.start : b.end]).text))
        return self.priced[j]

    def news_at(self, offset: int) -> bool:
        """Whether ``offset`` is in a news or event section of the shop.

        The headings above the hit are followed up to the top level ("Khai trương
        chi nhánh …" under "Tin tức & sự kiện"); a block with a price between the
        news heading and the hit ends the section (product cards follow it).
        """
        blocks = self.doc.blocks
        if self.starts is None:
            self.starts = [b.start for b in blocks]
        i = bisect.bisect_right(self.starts, offset) - 1
        level = _heading_level(blocks[i]) if i >= 0 else None
        level = level or _NO_HEADING
        for j in range(i - 1, max(-1, i - _SECTION_REACH), -1):
            if self._price_block(j):
                return False
            lvl = _heading_level(blocks[j])
            if lvl is None or lvl >= level:
                continue
            if j not in self.news:
                heading = normalize(self.doc.text[blocks[j].start : blocks[j].end]).text
                self.news[j] = _NEWS_HEADING_RE.match(heading.strip()) is not None
            if self.news[j]:
                return True
            level = lvl
            if level == 1:
                break
        return False

    def warning_at(self, offset: int) -> str | None:
        blocks = self.doc.blocks
        if self.starts is None:
            self.starts = [b.start for b in blocks]
        i = bisect.bisect_right(self.starts, offset) - 1
        for j in range(i - 1, max(-1, i - _SECTION_REACH), -1):
            b = blocks[j]
            tag = b.element.tag
            if tag in _HEADING_TAGS or (tag in _BOLD_TAGS and b.end - b.start <= _HEADING_MAX):
                if j not in self.cache:
                    heading = normalize(self.doc.text[b.start : b.end]).text
                    found = self.gm.warning.find(heading, fold(heading) == heading)
                    self.cache[j] = found[0].group() if found else None
                return self.cache[j]
        return None


def _page_mode(doc: PageDocument, gm: GoodsMatcher) -> _Mode:
    kind = doc.page_kind.value
    if kind == "policy":
        return "policy"
    if kind == "article":
        return "article"
    # A warning headline ("Cảnh báo …", "Cách phân biệt hàng thật hàng giả") makes
    # the page informational unless it is clearly a product or listing page.
    heading = normalize(" ".join(doc.h1) or doc.title).text
    if kind not in _PAGE_OFFER_KINDS and gm.warning.find(heading, False):
        return "article"
    if kind not in _PAGE_OFFER_KINDS and any(
        _PROHIBITED_HEADING_RE.search(normalize(h).text) for h in (*doc.h1, doc.title) if h
    ):
        return "policy"
    if kind in _PAGE_OFFER_KINDS:
        return "offer"
    # The shop's own news or event page ("/khai-truong-chi-nhanh-…", "Tin tức …").
    path = urlsplit(doc.url).path.lower() if doc.url else ""
    if _NEWS_SLUG_RE.match(path) or _NEWS_HEADING_RE.match(heading.strip()):
        return "news"
    c = doc.commerce
    if c.has_ordering or c.price_count or c.product_data:
        return "offer"
    return "plain"


# Links in these regions are category labels ("Vape", "Hàng rep 1:1" in a sidebar
# menu) when their text is this short.
_LABEL_REGIONS: Final = frozenset({"aside", "footer"})
_LABEL_MAX: Final = 40


class _Labels:
    """Short link texts of sidebars and footers: category menus, not offers."""

    def __init__(self, doc: PageDocument) -> None:
        self.doc = doc
        self.spans: list[tuple[int, int]] | None = None

    def at(self, start: int, end: int) -> bool:
        if self.spans is None:
            self.spans = sorted(
                (ln.start, ln.end)
                for ln in self.doc.links
                if ln.start is not None
                and ln.end is not None
                and ln.region.value in _LABEL_REGIONS
                and len(ln.text.strip()) <= _LABEL_MAX
            )
        i = bisect.bisect_right(self.spans, (start, len(self.doc.text))) - 1
        return i >= 0 and self.spans[i][0] <= start and end <= self.spans[i][1]


def _notice_for(
    notices: list[int], cards: Sequence[tuple[int, int]]
) -> bool | Callable[[GoodsHit], bool]:
    """Tell whether a supplement hit has the notice.

    On a page of one product, anywhere on the page counts; on a page of several
    cards, only a notice in the hit's own card or outside every card.
    """
    if not notices or len(cards) < 2:
        return bool(notices)
    spans = sorted(cards)
    starts = [a for a, _ in spans]

    def card_of(offset: int) -> tuple[int, int] | None:
        i = bisect.bisect_right(starts, offset) - 1
        return spans[i] if i >= 0 and offset < spans[i][1] else None

    page_wide = any(card_of(n) is None for n in notices)

    def has(hit: GoodsHit) -> bool:
        card = card_of(hit.start)
        return page_wide or card is None or any(card[0] <= n < card[1] for n in notices)

    return has


def analyze_page(
    doc: PageDocument,
    matcher: GoodsMatcher,
    cards: Callable[[], Sequence[tuple[int, int]]] | None = None,
) -> list[GoodsHit]:
    """Find and judge the goods terms of a page.

    The page's normalised text is scanned once; each hit is judged from its
    region, the page kind and commerce signals, and its own sentence.

    Args:
        doc: The page.
        matcher: From :func:`compile_goods`.
        cards: Text spans of the page's product cards, asked for only when a
            supplement listing and the not-a-medicine notice are both on the page:
            on a page of several cards, a notice inside one card does not cover
            the others (a notice outside every card covers all of them).

    Returns:
        Every analysed hit in page order, dropped ones included (with the reason);
        offsets point into ``doc.text``. After five ``fail`` occurrences of one
        entry, its later occurrences are not analysed.
    """
    if not doc.text:
        return []
    hits = matcher.matcher.find(doc.normalized)
    if not hits:
        return []
    mode = _page_mode(doc, matcher)
    sections = _Sections(doc, matcher)
    # The product's name: only a page of one product has one.
    title = doc.h1[0] if doc.page_kind.value == "product" and len(doc.h1) == 1 else None
    works = _Works(doc.text, title)
    card_spans: list[tuple[int, int]] | None = None

    def in_card(offset: int) -> bool:
        # Related-product cards on a book's page are other products.
        nonlocal card_spans
        if card_spans is None:
            card_spans = sorted(cards()) if cards is not None and works.title else []
        if len(card_spans) < 2:
            return False
        i = bisect.bisect_right(card_spans, (offset, len(doc.text))) - 1
        return i >= 0 and card_spans[i][0] <= offset < card_spans[i][1]

    found, notice = _analyze(
        matcher,
        doc.text,
        hits,
        None,
        mode,
        doc.region_at,
        {},
        sections.warning_at,
        sections.news_at,
        _Labels(doc).at,
        works,
        in_card,
    )
    found = _agree(found)
    supplements = any(h.subcategory == "supplement_listing" and h.kept for h in found)
    spans = cards() if cards is not None and notice and supplements else ()
    return _apply_notice(found, _notice_for(notice, spans))


# --- text fields (seller profiles) --------------------------------------------------

_LISTING_RE: Final = re.compile(r"^/?listings/\d+")


def _group(field: str) -> str:
    """The listing a field belongs to ("/listings/3"), or "" for profile fields."""
    m = _LISTING_RE.match(field)
    return m.group() if m else ""


def analyze_fields(
    fields: Sequence[tuple[str, str]], matcher: GoodsMatcher, *, offer: bool = True
) -> list[GoodsHit]:
    """Find and judge the goods terms of plain text fields (a seller profile).

    Args:
        fields: ``(name, text)`` pairs; the name is a JSON-Pointer-like path such as
            ``/listings/3/title``. Fields of one listing share ``/listings/<n>``.
        matcher: From :func:`compile_goods`.
        offer: The fields describe goods offered for sale (listing titles and
            descriptions); False for free text such as an "about" section.

    Returns:
        Every analysed hit, field by field, dropped ones included. A supplement
        listing is kept only when neither its listing nor a profile-level field
        carries the not-a-medicine notice.
    """
    mode: _Mode = "offer" if offer else "plain"
    fails: dict[str, int] = {}
    per_field: list[tuple[str, list[GoodsHit]]] = []
    notice_groups: set[str] = set()
    titles = {_group(n): t for n, t in fields if _group(n) and n.endswith("/title")}
    for name, text in fields:
        if not text:
            continue
        hits = matcher.matcher.find_text(text)
        if not hits:
            continue
        works = _Works(text, titles.get(_group(name)) if offer else None)
        found, notice_at = _analyze(matcher, text, hits, name, mode, None, fails, works=works)
        if notice_at:
            notice_groups.add(_group(name))
        per_field.append((name, _agree(found)))
    out: list[GoodsHit] = []
    for name, found in per_field:
        group = _group(name)
        has = "" in notice_groups or group in notice_groups
        out.extend(_apply_notice(found, has))
    return out
