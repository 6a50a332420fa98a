"""Offers: the products a page (or a seller) offers, with title, price and origin.

A product detail page offers one product (the *main* offer): its title is the page's
``<h1>``, and its price, specification and description are the rest of the page's
main content, minus chrome (header, navigation, footer, sidebars), reviews and the
cards of related products (offered, and judged, on their own pages). A listing, home
or search page offers *cards*: repeated
boxes with a title and a price that usually link to the product's own page. A
seller profile offers *listings* (see :func:`listing_offer`).

Cards are found three ways, all of which real shops need: class names of the
common themes (``product-item``, ``product-block``, ``product-box``,
``item_product_main``, WooCommerce ``li.product``, Tiki-like ``a.product-item``);
microdata ``Product`` scopes; and, for hand-made themes with neither, siblings of
the same tag and class that each hold a price (or a price placeholder) and a link
or a picture.

Facts are read from the document already built (its text blocks and elements, its
JSON-LD, microdata and meta tags); the HTML is never parsed again. Specification
rows are paired from blocks (``th``/``td``, ``dt``/``dd``, two-column ``div``/``li``
rows and "Nhãn: giá trị" lines) and read with
:func:`~ecomcheck.extract.origin.extract_origin_from_pairs`; the free text of the
offer with :func:`~ecomcheck.extract.origin.extract_origin_statements` and the
price finders of :mod:`ecomcheck.extract.price`. Offers are found once per page; their
facts are read on first use, from the offers' own text only (the cards of a grid are
read together, one pass of each extractor over their joined texts).

Example:
    >>> doc = PageDocument.from_str(html, url="https://shop.vn/products/kem")
    >>> [(o.role, o.name, [f.country for f in o.origins]) for o in find_offers(doc)]
    [('main', 'Kem chống nắng 60ml', ['JP'])]
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Final, Literal

from lxml import etree

from ecomcheck.extract.document import Region
from ecomcheck.extract.origin import (
    OriginKind,
    OriginStatement,
    country_mentions,
    extract_origin_from_pairs,
    extract_origin_statements,
)
from ecomcheck.extract.price import (
    HiddenPriceMatch,
    PriceValue,
    TaxShippingNote,
    find_prices,
    parse_price,
    price_slot_placeholder,
    scan_prices,
    tax_shipping_note,
)
from ecomcheck.text.normalize import normalize_term

if TYPE_CHECKING:
    from ecomcheck.extract.document import Link, PageDocument, TextBlock
    from ecomcheck.profile import Listing

__all__ = [
    "FactSource",
    "Offer",
    "OfferRole",
    "OfferTitle",
    "OriginFact",
    "PriceFact",
    "SpecPair",
    "find_offers",
    "listing_offer",
    "title_key",
]

Element = etree._Element

OfferRole = Literal["main", "card", "listing"]
#: Where a fact was read: a specification row, the free text, the title, structured
#: data (JSON-LD, microdata, Open Graph), a price slot, or a seller-profile field.
FactSource = Literal["spec", "text", "title", "jsonld", "microdata", "og", "slot", "listing"]

# Kinds that state where the goods themselves come from (not the brand's home).
_GOODS_KINDS: Final = frozenset(("origin", "manufacture", "finishing", "producer"))


# --- results ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OfferTitle:
    """The name of an offered product.

    Attributes:
        text: The title on one line.
        source: ``title`` (a heading or the card's name), ``jsonld``,
            ``microdata``, ``og`` or ``listing``.
        start: Offset in the subject's text (the page's visible text, or the
            field named by :attr:`field`), or ``None`` when not in the text.
        end: End offset.
        field: ``None`` for a page's visible text; a JSON Pointer into a
            seller profile (``/listings/3/title``).
        element: The element holding the title, when known.
    """

    text: str
    source: FactSource
    start: int | None = None
    end: int | None = None
    field: str | None = None
    element: Element | None = None


@dataclass(frozen=True, slots=True)
class SpecPair:
    """One row of a specification: a label and its value.

    Attributes:
        label: The label as written, without a trailing colon ("Xuất xứ").
        value: The value as written ("Hàn Quốc").
        label_start: Offset of the label in the page text.
        label_end: End of the label.
        value_start: Offset of the value.
        value_end: End of the value.
        layout: ``table`` (``th``/``td``), ``list`` (``dt``/``dd``),
            ``columns`` (a row of two elements) or ``line`` ("Nhãn: giá trị").
    """

    label: str
    value: str
    label_start: int
    label_end: int
    value_start: int
    value_end: int
    layout: Literal["table", "list", "columns", "line"]


@dataclass(frozen=True, slots=True)
class OriginFact:
    """An origin statement found for one offer, with where it was read.

    The statement fields are those of
    :class:`~ecomcheck.extract.origin.OriginStatement`; offsets point into the
    subject's text (``field`` ``None``: the page's visible text) and are ``None``
    for structured data, which is located by :attr:`pointer` or :attr:`element`.

    Attributes:
        kind: ``origin``, ``manufacture``, ``producer``, ``finishing``,
            ``brand_origin``, ``vague`` or ``origin_hint``.
        country: ISO 3166-1 alpha-2 code, or ``None``.
        is_abbreviation: The country is written as a shorthand or a code.
        label: The label or phrase as written.
        value: The value as written (the country name when there is one).
        entry_id: Id of the phrase entry in ``data/origin.toml``.
        source: Where it was read (see :data:`FactSource`).
        start: Start of the whole statement, or ``None``.
        end: End of the whole statement.
        value_start: Start of the value.
        value_end: End of the value.
        field: JSON Pointer of the profile field, ``None`` for a page.
        pointer: JSON Pointer into the page's JSON-LD (``/jsonld/0/countryOfOrigin``).
        element: The element of a microdata item.
        misspelling: The label is a known misspelling.
    """

    kind: OriginKind
    country: str | None
    is_abbreviation: bool
    label: str
    value: str
    entry_id: str
    source: FactSource
    start: int | None = None
    end: int | None = None
    value_start: int | None = None
    value_end: int | None = None
    field: str | None = None
    pointer: str | None = None
    element: Element | None = None
    misspelling: bool = False

    @property
    def is_goods(self) -> bool:
        """Whether it states where the goods come from (not the brand, not a hint)."""
        return self.kind in _GOODS_KINDS

    @property
    def structured(self) -> bool:
        """Whether it was read from structured data rather than visible text."""
        return self.source in ("jsonld", "microdata", "og")


@dataclass(frozen=True, slots=True)
class PriceFact:
    """A price shown for an offer, or a phrase standing in for one.

    Attributes:
        kind: ``price`` (an amount), ``hidden`` ("ib giá", "Liên hệ" in the
            price slot, "0đ") or ``quote`` ("báo giá").
        value: The amount, for ``price``.
        text: As written (for structured data: the raw value).
        source: Where it was read (see :data:`FactSource`).
        start: Offset in the subject's text, or ``None``.
        end: End offset.
        entry: For stand-ins, the phrase family (``price_contact``,
            ``inbox_price``, ``price_slot``, ``zero_price``, ``inbox``, ``quote`` …).
        explicit: The stand-in is about the price itself ("ib giá", a price
            slot), not a bare "inbox" that may be about sizes.
        field: JSON Pointer of the profile field, ``None`` for a page.
        pointer: JSON Pointer into the page's JSON-LD.
    """

    kind: Literal["price", "hidden", "quote"]
    value: PriceValue | None
    text: str
    source: FactSource
    start: int | None = None
    end: int | None = None
    entry: str = ""
    explicit: bool = True
    field: str | None = None
    pointer: str | None = None

    @property
    def positive(self) -> bool:
        """Whether this is an amount above zero."""
        return self.kind == "price" and self.value is not None and self.value.amount > 0


@dataclass(frozen=True, slots=True)
class _Facts:
    specs: tuple[SpecPair, ...] = ()
    origins: tuple[OriginFact, ...] = ()
    prices: tuple[PriceFact, ...] = ()
    stand_ins: tuple[PriceFact, ...] = ()
    tax_included: bool | None = None
    shipping_stated: bool = False


class Offer:
    """One product offered: the main product of a page, a card of a grid, a listing.

    Title and placement are known when the offer is found; specifications,
    origins and prices are read from the offer's own text on first use.

    Attributes:
        index: Position among the subject's offers.
        role: ``main`` (the product of a detail page), ``card`` (one box of a
            grid or a carousel) or ``listing`` (a seller-profile listing).
        title: The product's name, or ``None`` when none was found.
        element: The card's element, or the element holding the main product's
            title and buy box; ``None`` for listings.
        region: The region of the page it sits in.
        start: Offset where the offer's text starts (``None`` for listings).
        end: Offset where it ends.
        full_offer: The offer can be bought as shown: a detail page, a listing,
            or a card with its own order button or a full description. A card
            without one only points to the product's own page.
        order_button: Text of the card's own order button, if any.
        url: The product's own URL (a card's link), if known.
        tax_shipping: Statements on whether prices include tax or shipping that
            apply to this offer: the page's (footer included) or the listing's.
    """

    def __init__(
        self,
        *,
        index: int,
        role: OfferRole,
        title: OfferTitle | None,
        load: Callable[[], _Facts],
        element: Element | None = None,
        region: Region | None = None,
        start: int | None = None,
        end: int | None = None,
        full_offer: bool = True,
        order_button: str | None = None,
        url: str | None = None,
        tax_shipping: Callable[[], tuple[TaxShippingNote, ...]] | None = None,
    ) -> None:
        self.index = index
        self.role = role
        self.title = title
        self.element = element
        self.region = region
        self.start = start
        self.end = end
        self.full_offer = full_offer
        self.order_button = order_button
        self.url = url
        self._load = load
        self._notes = tax_shipping

    def __repr__(self) -> str:
        return f"Offer({self.index}, {self.role}, {self.name!r}, full_offer={self.full_offer})"

    @property
    def name(self) -> str:
        """The title text, or "" when the offer has no title."""
        return self.title.text if self.title else ""

    @functools.cached_property
    def _facts(self) -> _Facts:
        return self._load()

    @property
    def specs(self) -> tuple[SpecPair, ...]:
        """Specification rows of the offer, in text order."""
        return self._facts.specs

    @property
    def origins(self) -> tuple[OriginFact, ...]:
        """Origin statements: specification rows first, then text, then structured data."""
        return self._facts.origins

    @property
    def prices(self) -> tuple[PriceFact, ...]:
        """Amounts shown for the offer (visible text first, then structured data)."""
        return self._facts.prices

    @property
    def hidden_prices(self) -> tuple[PriceFact, ...]:
        """Phrases standing in for a price ("ib giá", "Liên hệ", "báo giá"), in text order."""
        return self._facts.stand_ins

    @property
    def tax_included(self) -> bool | None:
        """Structured data says whether the price includes VAT (``None``: it does not say)."""
        return self._facts.tax_included

    @property
    def shipping_stated(self) -> bool:
        """Structured data describes shipping costs (``shippingDetails``)."""
        return self._facts.shipping_stated

    @functools.cached_property
    def tax_shipping(self) -> tuple[TaxShippingNote, ...]:
        """Statements on whether the price includes tax or shipping (see class doc)."""
        return self._notes() if self._notes is not None else ()

    @property
    def has_price(self) -> bool:
        """Whether an amount above zero is shown in the visible text (or listing field)."""
        return any(p.positive and p.source not in _STRUCTURED for p in self.prices)

    @property
    def has_structured_price(self) -> bool:
        """Whether structured data (JSON-LD, microdata, Open Graph) gives an amount above zero."""
        return any(p.positive and p.source in _STRUCTURED for p in self.prices)


_STRUCTURED: Final = frozenset(("jsonld", "microdata", "og"))


def title_key(text: str) -> str:
    """Normalise a product title for comparing and fingerprinting ("Áo  THUN" → "áo thun").

    Args:
        text: A title as written.
    """
    return " ".join(normalize_term(text).split())


# --- vocabulary -----------------------------------------------------------------------

_CARD_TOKEN = re.compile(
    r"(?:product|sanpham|san-pham|san_pham|sp)"
    r"(?:[-_]?(?:item|card|box|block|grid-item|grid_item|loop|tile|col|small|inline|list-item|"
    r"entry|miniature|container|wrapper))?"
    r"|(?:item|card|box|col|grid|list|loop)[-_](?:product|sanpham|san-pham|sp)"
    r"(?:[-_](?:main|item|box|wrap|card))?"
    r"|type-product|js-product-miniature|pro[-_]?(?:loop|item|block|card)"
)
# Sections whose text is not the offer's: reviews, questions, related and recently
# viewed products (class or id names, any case).
_NOT_OFFER = re.compile(
    r"review|comment|rating|danh[-_]?gia|binh[-_]?luan|hoi[-_]?dap|question|related|lien[-_]?quan|"
    r"tuong[-_]?tu|upsell|up-sell|cross[-_]?sell|recent|viewed|da[-_]?xem|ban[-_]?chay|"
    r"bestsell|best-sell|suggest|goi[-_]?y|similar"
)
_ORDER_TEXT = re.compile(
    r"thêm vào giỏ|thêm giỏ|cho vào giỏ|bỏ vào giỏ|mua ngay|mua hàng|đặt hàng|đặt mua|chọn mua|"
    r"đặt ngay|add to cart|add to bag|buy now|order now|order ngay"
)
_ORDER_CLASS = re.compile(
    r"add[-_]?to[-_]?cart|addtocart|add[-_]?cart|btn[-_]?(?:cart|buy|mua|order|dat)|buy[-_]?now|"
    r"mua[-_]?ngay|muangay|dat[-_]?hang|dathang|them[-_]?gio|quick[-_]?buy|cart[-_]?btn"
)
_CART_HREF = re.compile(r"add-to-cart=|/cart/add|/gio-hang/them|action=add|addtocart", re.I)
_PRICE_CLASS = re.compile(r"price|gia[-_]?ban|giaban|gia-sp|giasp|product-gia|amount", re.I)
_TITLE_CLASS = re.compile(r"(?:^|[-_\s])(?:name|title|ten|tieu-de|tieude)(?:$|[-_\s])", re.I)
_HEADINGS: Final = ("h1", "h2", "h3", "h4", "h5", "h6")
_NEVER_CARDS: Final = frozenset(("html", "body", "main", "header", "footer", "nav"))
_CHROME: Final = frozenset((Region.HEADER, Region.NAV, Region.FOOTER, Region.ASIDE))
# A cheap test for a price or a price placeholder in a short block (grid detection).
_PRICEISH = re.compile(
    r"\d\s?(?:₫|đ|Đ|vnd|VND|vnđ|VNĐ|k\b|K\b)|^\s*(?:Liên hệ|LIÊN HỆ|Liên Hệ|LH|Call|Inbox)\s*$",
    re.MULTILINE,
)
# "Nhãn: giá trị" on one line; the label is short and has a letter.
_LINE_PAIR = re.compile(r"^[\s\-–—•*+·✓✔▪►→]*([^:：\n]{1,60}?)\s*[:：]\s*(\S.*?)\s*$")
_LABEL_WORDS_MAX = 8
_PRICE_LABEL = re.compile(r"^\s*(?:giá(?:\s+(?:bán|sỉ|lẻ|tiền|sản\s+phẩm))?|price)\s*:?\s*$", re.I)
# Prices that belong to something else than the product: shipping thresholds,
# vouchers, instalments, deposits ("Freeship đơn từ 300k", "Giảm 50.000đ").
_INCIDENTAL_BEFORE = re.compile(
    r"(?:đơn\s+hàng|đơn\s+từ|đơn\s+trên|hóa\s+đơn|ship|vận\s+chuyển|giao\s+hàng|giảm|tiết\s+kiệm|"
    r"voucher|mã|tặng|trị\s+giá|phí|cọc|trả\s+góp|góp|hoàn\s+tiền|tích\s+lũy|từ\s+đơn|"
    r"tối\s+thiểu|trên|từ)\s*[:\-]?\s*(?:chỉ\s+)?(?:từ\s+)?$",
    re.I,
)
_INCIDENTAL_AFTER = re.compile(r"^\s*(?:/\s*tháng|/\s*th\b|trở\s+lên|\+)", re.I)
_MAX_CARD_TEXT = 4000  # a "card" with more text is a section, not a product box
_FULL_DESCRIPTION = 400  # characters of card text that make it a full description
_EU_MEMBERS: Final = frozenset(
    ("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
     "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE")
)  # fmt: skip


def countries_compatible(a: str, b: str) -> bool:
    """Whether two origin codes can both be true (equal, or the EU and a member).

    Args:
        a: ISO 3166-1 alpha-2 code (``EU`` for the European Union).
        b: Another code.
    """
    if a == b:
        return True
    return (a == "EU" and b in _EU_MEMBERS) or (b == "EU" and a in _EU_MEMBERS)


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def _line(s: str) -> str:
    return " ".join(s.split())


# --- the scan -------------------------------------------------------------------------


class _Scan:
    """What one page needs for all its offers: blocks by element, exclusions, cards."""

    def __init__(self, doc: PageDocument) -> None:
        self.doc = doc
        self.blocks: list[TextBlock] = doc.blocks
        self._within: dict[Element, list[int]] = {}
        self._walk(doc.page_kind.value == "product")

    def _walk(self, product_page: bool) -> None:
        """One pass over the elements: card classes, microdata scopes, review sections.

        It also numbers every node in document order: the nodes inside an element are
        then one range of numbers, which finds an element's blocks with a bisection.
        """
        self.card_classes: list[Element] = []
        self.itemscopes: list[Element] = []  # document order, as doc.microdata
        self.order: dict[Any, int] = {}
        order = self.order
        after: Any = None  # the first node after the last not-offer section entered
        inside = False
        # Elements with a price class, and their numbers: price slots are looked up here.
        self.priced: list[Element] = []
        self.priced_at: list[int] = []
        # The nodes of each not-offer section (outermost only): its number and that of
        # the node after it.
        self.not_offer_spans: list[tuple[int, int]] = []
        first = 0
        for k, el in enumerate(self.doc.root.iter()):
            order[el] = k
            if inside and el is after:
                inside = False
                self.not_offer_spans.append((first, k))
            if not isinstance(el.tag, str):
                continue
            # One call lists the attributes; most elements have neither of those read.
            names = el.keys()
            if not names:
                continue
            cls = el.get("class") if "class" in names else None
            kind = _class_kind(cls) if cls else 0
            if kind & _PRICE:
                self.priced.append(el)
                self.priced_at.append(k)
            if kind & _CARD and el.tag not in _NEVER_CARDS:
                self.card_classes.append(el)
            if "itemscope" in names:
                self.itemscopes.append(el)
            if product_page and not inside:
                ident = el.get("id") if "id" in names else None
                if kind & _NOT_OFFER_NAME or (ident and _not_offer_name(ident)):
                    inside, after, first = True, _following(el), k
        if inside:
            self.not_offer_spans.append((first, len(order)))

    def end(self, el: Element) -> int:
        """The number of the first node after ``el`` and all it holds."""
        nxt = _following(el)
        return len(self.order) if nxt is None else self.order.get(nxt, len(self.order))

    @functools.cached_property
    def _sorted_blocks(self) -> tuple[list[int], list[int]]:
        """Block indices by their element's number, and those numbers.

        Every block's element was met by the document's walk of this same tree.
        """
        order = self.order
        keys = [order[b.element] for b in self.blocks]
        idx = sorted(range(len(keys)), key=keys.__getitem__)
        return idx, [keys[i] for i in idx]

    @functools.cached_property
    def links(self) -> dict[Element, Link]:
        return {link.element: link for link in self.doc.links}

    @functools.cached_property
    def _buttons(self) -> tuple[list[int], list[str]]:
        located = sorted((o, label) for label, o in self.doc.buttons if o is not None)
        return [o for o, _ in located], [label for _, label in located]

    @property
    def button_offsets(self) -> list[int]:
        return self._buttons[0]

    @property
    def button_labels(self) -> list[str]:
        return self._buttons[1]

    def blocks_in(self, el: Element) -> list[int]:
        """Indices of the blocks whose element is ``el`` or inside it, in order (cached)."""
        cached = self._within.get(el)
        if cached is not None:
            return cached
        idx, keys = self._sorted_blocks
        lo = bisect.bisect_left(keys, self.order[el])
        out = idx[lo : bisect.bisect_left(keys, self.end(el), lo)]
        out.sort()
        self._within[el] = out
        return out

    def text(self, i: int) -> str:
        b = self.blocks[i]
        return self.doc.text[b.start : b.end]

    def priced_in(self, el: Element) -> list[Element]:
        """Elements with a price class in ``el`` (itself included), in document order.

        A buy box may be the whole ``<main>``: this avoids walking it.
        """
        at = self.priced_at
        lo = bisect.bisect_left(at, self.order[el])
        return self.priced[lo : bisect.bisect_left(at, self.end(el), lo)]


def _following(el: Any) -> Any:
    """The node after ``el`` and all it holds, in document order (``None``: none)."""
    node = el
    while node is not None:
        nxt = node.getnext()
        if nxt is not None:
            return nxt
        node = node.getparent()
    return None


def _segments(blocks: Sequence[TextBlock], idx: Sequence[int]) -> list[tuple[int, int]]:
    """Contiguous text ranges covered by the given (sorted) block indices."""
    out: list[tuple[int, int]] = []
    first = prev = -2
    for i in idx:
        if i != prev + 1:
            if first >= 0:
                out.append((blocks[first].start, blocks[prev].end))
            first = i
        prev = i
    if first >= 0:
        out.append((blocks[first].start, blocks[prev].end))
    return out


# --- cards ------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _card_class(value: str) -> bool:
    return any(_CARD_TOKEN.fullmatch(tok) for tok in value.lower().split())


@functools.lru_cache(maxsize=4096)
def _not_offer_name(value: str) -> bool:
    return _NOT_OFFER.search(value.lower()) is not None


_CARD, _NOT_OFFER_NAME, _PRICE = 1, 2, 4


@functools.lru_cache(maxsize=4096)
def _class_kind(value: str) -> int:
    """``_CARD``, ``_NOT_OFFER_NAME`` and ``_PRICE`` bits of a class value (one cached call)."""
    return (
        (_CARD if _card_class(value) else 0)
        | (_NOT_OFFER_NAME if _not_offer_name(value) else 0)
        | (_PRICE if _PRICE_CLASS.search(value) else 0)
    )


def _primary_href(el: Element) -> str | None:
    for a in el.iter("a"):
        href = (a.get("href") or "").strip()
        if href and not href.startswith(("#", "javascript:")) and not _CART_HREF.search(href):
            return href.split("#", 1)[0]
    return None


def _repeated_candidates(scan: _Scan, exclude: set[Element]) -> set[Element]:
    """Siblings of one tag and class that each hold a price and a link or picture."""
    anchors: list[Element] = []
    text = scan.doc.text
    for b in scan.blocks:
        if b.region in _CHROME or b.end - b.start > 120:
            continue
        if _PRICEISH.search(text, b.start, b.end):
            anchors.append(b.element)
    found: dict[tuple[Element, tuple[Any, str | None]], set[Element]] = {}
    for el in anchors:
        node: Element | None = el
        for _ in range(8):
            if node is None or node in exclude:
                break
            parent = node.getparent()
            if parent is None or node.tag in ("body", "html", "main"):
                break
            sig = (node.tag, node.get("class"))
            same = [c for c in parent if c.tag == sig[0] and c.get("class") == sig[1]]
            if len(same) >= 2 and _substantial(node):
                found.setdefault((parent, sig), set()).add(node)
                break
            node = parent
    out: set[Element] = set()
    for (parent, (tag, cls)), members in found.items():
        if len(members) >= 2:
            # The whole group: a card whose price slot says "Giá: LH 0912…" is one too.
            out.update(
                c for c in parent if c.tag == tag and c.get("class") == cls and _substantial(c)
            )
    return out


def _substantial(el: Element) -> bool:
    """Whether an element holds more than a price: a link, a picture or a heading."""
    return any(True for _ in el.iter("a", "img", *_HEADINGS))


def _find_cards(scan: _Scan, page_kind: str, main_title: Element | None) -> list[Element]:
    """Card elements of the page, outermost per product, in document order."""
    candidates = set(scan.card_classes)
    for el in scan.itemscopes:
        kind = (el.get("itemtype") or "").rstrip("/").rsplit("/", 1)[-1].lower()
        if kind in ("product", "individualproduct", "productmodel"):
            candidates.add(el)
    if len(candidates) < 2 and page_kind != "product":
        candidates |= _repeated_candidates(scan, candidates)
    if not candidates:
        return []
    # The nearest candidate ancestor of each candidate: in document order, the open
    # candidates (those whose nodes are not all passed) hold the next one.
    order = scan.order
    parents: dict[Element, Element | None] = {}
    children: dict[Element, list[Element]] = {}
    open_: list[tuple[Element, int]] = []
    for c in sorted(candidates, key=order.__getitem__):
        at = order[c]
        while open_ and open_[-1][1] <= at:
            open_.pop()
        up = open_[-1][0] if open_ else None
        parents[c] = up
        if up is not None:
            children.setdefault(up, []).append(c)
        open_.append((c, scan.end(c)))

    def container(c: Element) -> bool:
        kids = children.get(c, [])
        if len(kids) < 2:
            return False
        hrefs = {_primary_href(k) for k in kids}
        if len(hrefs) >= 2:
            return True
        # Link-less boxes (hand-made grids): each child priced on its own.
        return None in hrefs and all(_PRICEISH.search(" ".join(k.itertext())) for k in kids[:3])

    def depth(c: Element) -> int:
        n, up = 0, parents[c]
        while up is not None:
            n, up = n + 1, parents[up]
        return n

    kept: list[Element] = []
    kept_set: set[Element] = set()
    holds_title = set(main_title.iterancestors()) if main_title is not None else set()
    # Within one depth the order does not matter: only ancestors can shadow a card.
    for c in sorted(candidates, key=depth):
        if container(c):
            continue
        if main_title is not None and (c is main_title or c in holds_title):
            continue
        up = parents[c]
        shadowed = False
        while up is not None:
            if up in kept_set:
                shadowed = True
                break
            up = parents[up]
        if not shadowed:
            kept.append(c)
            kept_set.add(c)
    # Document order (the processing order above groups them by depth).
    return sorted(kept, key=order.__getitem__)


def _contains(outer: Element, inner: Element) -> bool:
    return any(a is outer for a in inner.iterancestors())


# --- titles ---------------------------------------------------------------------------


def _span_of(scan: _Scan, idx: Sequence[int]) -> tuple[int, int] | None:
    if not idx:
        return None
    return scan.blocks[idx[0]].start, scan.blocks[idx[-1]].end


def _title_from(scan: _Scan, el: Element, source: FactSource = "title") -> OfferTitle | None:
    idx = scan.blocks_in(el)
    span = _span_of(scan, idx)
    if span is None:
        return None
    text = _line(scan.doc.text[span[0] : span[1]])
    if not text:
        return None
    return OfferTitle(text, source, span[0], span[1], None, el)


def _main_title(scan: _Scan) -> OfferTitle | None:
    """The product's ``<h1>``: the first outside the page chrome.

    Failing that, an ``<h1>`` in a "header" block (themes wrap the product's title in
    ``div.header``) whose text is the product's name in the document title; a logo
    in ``<h1>`` is shorter than that.
    """
    fallback: OfferTitle | None = None
    doc_title = title_key(scan.doc.title)
    for h1 in scan.doc.root.iter("h1"):
        idx = scan.blocks_in(h1)
        if not idx:
            continue
        title = _title_from(scan, h1)
        if title is None:
            continue
        region = scan.blocks[idx[0]].region
        if region not in _CHROME:
            return title
        if (
            fallback is None
            and region is Region.HEADER
            and len(title.text) >= 12
            and title_key(title.text) in doc_title
        ):
            fallback = title
    if fallback is None and not scan.doc.h1:
        # No <h1> at all (landing pages): the first heading outside the chrome.
        for el in scan.doc.root.iter(*_HEADINGS[1:]):
            idx = scan.blocks_in(el)
            if idx and scan.blocks[idx[0]].region not in _CHROME:
                title = _title_from(scan, el)
                if title is not None and len(title.text) >= 6:
                    return title
    return fallback


def _card_title(scan: _Scan, card: Element, idx: Sequence[int]) -> OfferTitle | None:
    for el in card.iter(*_HEADINGS):
        title = _title_from(scan, el)
        if title is not None:
            return title
    for el in card.iter():
        cls = el.get("class") if isinstance(el.tag, str) else None
        if cls and _TITLE_CLASS.search(cls) and not _PRICE_CLASS.search(cls):
            title = _title_from(scan, el)
            if title is not None and len(title.text) >= 3:
                return title
    best = None
    for a in card.iter("a"):
        link = scan.links.get(a)
        if link is not None and link.start is not None and link.end is not None:
            text = _line(link.text)
            if len(text) >= 4 and (best is None or len(text) > len(best.text)):
                if price_slot_placeholder(text) or _ORDER_TEXT.search(_nfc(text).lower()):
                    continue
                best = OfferTitle(text, "title", link.start, link.end, None, a)
    if best is not None:
        return best
    for img in card.iter("img"):
        alt = _line(img.get("alt") or "")
        if len(alt) >= 4:
            return OfferTitle(alt, "title", None, None, None, img)
    # The first line with letters that is not a price.
    for i in idx:
        text = _line(scan.text(i))
        if re.search(r"[^\W\d_]{3}", text) and not _PRICEISH.search(text):
            b = scan.blocks[i]
            return OfferTitle(text, "title", b.start, b.end, None, b.element)
    return None


# --- structured data ------------------------------------------------------------------

_PRODUCT_TYPES: Final = frozenset(("product", "productgroup", "individualproduct", "productmodel"))
_LIST_TYPES: Final = frozenset(("itemlist", "offercatalog", "collectionpage", "searchresultspage"))
_ORIGIN_KEYS: Final = ("countryOfOrigin", "countryOfAssembly", "countryOfLastProcessing")


@dataclass(slots=True)
class _Product:
    """A Product from JSON-LD or microdata."""

    name: str
    url: str
    source: FactSource
    pointer: str | None
    element: Element | None
    in_list: bool
    prices: list[PriceFact] = field(default_factory=list)
    origins: list[OriginFact] = field(default_factory=list)
    tax_included: bool | None = None
    shipping_stated: bool = False


def _types(obj: dict[str, Any]) -> set[str]:
    raw = obj.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return {v.rsplit("/", 1)[-1].lower() for v in values if isinstance(v, str)}


def _as_list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else [] if v is None else [v]


def _text_value(v: Any) -> str | None:
    if isinstance(v, str):
        return v.strip() or None
    if isinstance(v, int | float) and not isinstance(v, bool):
        return str(v)
    if isinstance(v, dict):
        for key in ("name", "value", "@value"):
            inner = v.get(key)
            if isinstance(inner, str) and inner.strip():
                return inner.strip()
        props = v.get("props")
        if isinstance(props, dict):
            for key in ("name", "value"):
                values = props.get(key)
                if isinstance(values, list) and values and isinstance(values[0], str):
                    return values[0].strip() or None
    return None


def _bool_value(v: Any) -> bool | None:
    if isinstance(v, bool):
        return v
    if isinstance(v, str):
        low = v.strip().lower().rsplit("/", 1)[-1]
        if low in ("true", "1", "yes"):
            return True
        if low in ("false", "0", "no"):
            return False
    return None


# No price has more than 15 digits before the decimal point (the text reader's
# limit too): a larger structured amount is an id or junk ("price": 1e30), not money.
_MAX_AMOUNT: Final = Decimal(10) ** 15
_PLAIN_NUMBER = re.compile(r"\d+(?:\.\d{1,2})?")


def _finite_amount(number: Decimal) -> bool:
    """Whether a structured amount can be money: finite and under 10^15."""
    return number.is_finite() and abs(number) < _MAX_AMOUNT


def _amount(raw: Any, currency: str) -> PriceValue | None:
    """Read a structured price (JSON-LD, microdata, Open Graph); None if it is none."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int | float):
        try:
            value = Decimal(str(raw))  # NaN and Infinity parse; a 5000-digit int does not
        except (InvalidOperation, ValueError):
            return None
        if not _finite_amount(value):
            return None
        if currency in ("", "VND"):
            return PriceValue(int(value), "VND")
        return PriceValue(value.quantize(Decimal("0.01")), currency)
    text = str(raw).strip()
    if not text:
        return None
    if currency in ("", "VND") and _PLAIN_NUMBER.fullmatch(text):
        number = Decimal(text)
        return PriceValue(int(number), "VND") if _finite_amount(number) else None
    suffix = f" {currency}" if currency in ("VND", "USD", "EUR") else ""
    return parse_price(text + suffix) or parse_price(text)


def _currency(raw: Any) -> str:
    """A structured ``priceCurrency``; anything but text ("priceCurrency": 0) is none."""
    return raw.strip().upper() if isinstance(raw, str) else ""


def _structured_origins(
    pairs: list[tuple[str, str, str | None]], source: FactSource, element: Element | None
) -> list[OriginFact]:
    out: list[OriginFact] = []
    found = extract_origin_from_pairs([(label, value) for label, value, _ in pairs])
    for st in found:
        pointer = pairs[st.pair_index][2] if st.pair_index is not None else None
        out.append(_fact(st, source, None, pointer=pointer, element=element, located=False))
    return out


def _ld_product(obj: dict[str, Any], pointer: str, in_list: bool) -> _Product:
    name = _text_value(obj.get("name")) or ""
    url = obj.get("url") if isinstance(obj.get("url"), str) else ""
    product = _Product(_line(name), str(url), "jsonld", pointer, None, in_list)
    offers = obj.get("offers")
    for i, offer in enumerate(_as_list(offers)):
        if not isinstance(offer, dict):
            continue
        at = f"{pointer}/offers" + (f"/{i}" if isinstance(offers, list) else "")
        currency = _currency(offer.get("priceCurrency"))
        specs = [s for s in _as_list(offer.get("priceSpecification")) if isinstance(s, dict)]
        for key in ("price", "lowPrice", "highPrice"):
            amount = _amount(offer.get(key), currency)
            if amount is not None:
                text = str(offer.get(key))
                product.prices.append(
                    PriceFact("price", amount, text, "jsonld", pointer=f"{at}/{key}")
                )
        for spec in specs:
            amount = _amount(spec.get("price"), _currency(spec.get("priceCurrency")) or currency)
            if amount is not None:
                product.prices.append(
                    PriceFact("price", amount, str(spec.get("price")), "jsonld", pointer=at)
                )
        for holder in (offer, *specs):
            vat = _bool_value(holder.get("valueAddedTaxIncluded"))
            if vat is not None:
                product.tax_included = vat
        if offer.get("shippingDetails"):
            product.shipping_stated = True
    pairs: list[tuple[str, str, str | None]] = []
    for key in _ORIGIN_KEYS:
        raw = obj.get(key)
        for j, v in enumerate(_as_list(raw)):
            value = _text_value(v)
            if value:
                at = f"{pointer}/{key}" + (f"/{j}" if isinstance(raw, list) else "")
                pairs.append((key, value, at))
    for j, prop in enumerate(_as_list(obj.get("additionalProperty"))):
        if isinstance(prop, dict):
            label, value = _text_value(prop.get("name")), _text_value(prop.get("value"))
            if label and value:
                pairs.append((label, value, f"{pointer}/additionalProperty/{j}"))
    product.origins = _structured_origins(pairs, "jsonld", None)
    return product


def _walk_ld(obj: Any, pointer: str, in_list: bool, out: list[_Product], depth: int = 0) -> None:
    if depth > 10 or len(out) > 500:
        return
    if isinstance(obj, list):
        for i, item in enumerate(obj):
            _walk_ld(item, f"{pointer}/{i}", in_list, out, depth + 1)
        return
    if not isinstance(obj, dict):
        return
    types = _types(obj)
    if types & _PRODUCT_TYPES:
        out.append(_ld_product(obj, pointer, in_list))
        return  # variants and nested products belong to this one
    listy = in_list or bool(types & _LIST_TYPES)
    for key, value in obj.items():
        if isinstance(value, dict | list) and not key.startswith("@context"):
            esc = key.replace("~", "~0").replace("/", "~1")
            _walk_ld(value, f"{pointer}/{esc}", listy or key == "itemListElement", out, depth + 1)


def _micro_product(item: dict[str, Any], element: Element | None) -> _Product:
    props: dict[str, list[Any]] = item.get("props") or {}
    name = next((v for v in props.get("name", []) if isinstance(v, str)), "")
    url = next((v for v in props.get("url", []) if isinstance(v, str)), "")
    product = _Product(_line(name), url, "microdata", None, element, False)
    offers = [o for o in props.get("offers", []) if isinstance(o, dict)]
    holders = [props, *[o.get("props") or {} for o in offers]]
    for bag in holders:
        currency = next((v for v in bag.get("priceCurrency", []) if isinstance(v, str)), "")
        for key in ("price", "lowPrice"):
            for raw in bag.get(key, []):
                if isinstance(raw, str):
                    amount = _amount(raw, currency.strip().upper())
                    if amount is not None:
                        product.prices.append(PriceFact("price", amount, raw, "microdata"))
        for raw in bag.get("valueAddedTaxIncluded", []):
            vat = _bool_value(raw)
            if vat is not None:
                product.tax_included = vat
        if bag.get("shippingDetails"):
            product.shipping_stated = True
    pairs: list[tuple[str, str, str | None]] = []
    for key in _ORIGIN_KEYS:
        for v in props.get(key, []):
            value = _text_value(v)
            if value:
                pairs.append((key, value, None))
    for prop in props.get("additionalProperty", []):
        if isinstance(prop, dict):
            bag = prop.get("props") or {}
            label = next((v for v in bag.get("name", []) if isinstance(v, str)), "")
            value = next((v for v in bag.get("value", []) if isinstance(v, str)), "")
            if label.strip() and value.strip():
                pairs.append((label.strip(), value.strip(), None))
    product.origins = _structured_origins(pairs, "microdata", element)
    return product


def _structured(doc: PageDocument, itemscopes: list[Element]) -> list[_Product]:
    out: list[_Product] = []
    for i, top in enumerate(doc.jsonld):
        _walk_ld(top, f"/jsonld/{i}", False, out)
    items = doc.microdata
    nested = {id(v) for it in items for vs in (it.get("props") or {}).values() for v in vs}
    aligned = len(items) == len(itemscopes)
    for k, item in enumerate(items):
        kind = str(item.get("type") or "").rstrip("/").rsplit("/", 1)[-1].lower()
        if kind in _PRODUCT_TYPES and id(item) not in nested:
            out.append(_micro_product(item, itemscopes[k] if aligned else None))
    return out


# --- facts of one offer -----------------------------------------------------------------


def _fact(
    st: OriginStatement,
    source: FactSource,
    shift: int | None,
    *,
    start: int | None = None,
    field: str | None = None,
    pointer: str | None = None,
    element: Element | None = None,
    located: bool = True,
) -> OriginFact:
    """An OriginFact from a statement whose offsets are relative to ``shift``."""
    if not located or shift is None:
        return OriginFact(
            st.kind, st.country, st.is_abbreviation, st.label, st.value, st.entry_id, source,
            field=field, pointer=pointer, element=element, misspelling=st.misspelling,
        )  # fmt: skip
    return OriginFact(
        st.kind, st.country, st.is_abbreviation, st.label, st.value, st.entry_id, source,
        start=start if start is not None else shift + st.start, end=shift + st.end,
        value_start=shift + st.value_start, value_end=shift + st.value_end, field=field,
        pointer=pointer, element=element, misspelling=st.misspelling,
    )  # fmt: skip


def _lca(a: Element, b: Element) -> tuple[Element, Element, Element] | None:
    """The lowest common ancestor of two elements and the children of it leading to each."""
    chain_a = [a, *a.iterancestors()][:10]
    index = {el: k for k, el in enumerate(chain_a)}
    prev_b = b
    for node in (b, *b.iterancestors()):
        k = index.get(node)
        if k is not None:
            if k == 0 or node is b:
                return None  # one holds the other: not two cells
            return node, chain_a[k - 1], prev_b
        prev_b = node
        if node.tag in ("body", "html"):
            break
    return None


_DIGITS = re.compile(r"\d")
_NOT_CELLS: Final = frozenset(("button", "a", "input", "select", "form", "img", "label"))
_SENTENCE_END = re.compile(r"[.;!?]\s+")


def _cell_pair(scan: _Scan, i: int) -> Literal["table", "list", "columns"] | None:
    """How block ``i`` and the next one form a label/value row, if they do."""
    a, b = scan.blocks[i], scan.blocks[i + 1]
    found = _lca(a.element, b.element)
    if found is None:
        return None
    row, left, right = found
    tag = row.tag
    if tag == "tr":
        if left.tag in ("th", "td") and right.tag == "td" and left.getnext() is right:
            return "table"
        return None
    if left.tag == "dt" and right.tag == "dd":
        return "list"
    if _two_cells(row, left, right):
        if left.tag in _NOT_CELLS or right.tag in _NOT_CELLS:
            return None  # two buttons side by side
        if not (_one_block(scan, left) and _one_block(scan, right)):
            return None  # a heading and a table, a picture and a caption with a price
        return "columns"
    return None


def _two_cells(row: Element, left: Element, right: Element) -> bool:
    """Whether ``left`` and ``right`` are the only children of ``row`` (but line breaks).

    The row may be a whole section with hundreds of children: stop at the third.
    """
    n = 0
    for c in row:
        tag = c.tag
        if isinstance(tag, str) and tag not in ("br", "hr"):
            if n == 2 or c is not (right if n else left):
                return False
            n += 1
    return n == 2


def _one_block(scan: _Scan, el: Element) -> bool:
    """Whether all the visible text of ``el`` is one block (a cell, not a section)."""
    return len(scan.blocks_in(el)) == 1


def _spec_pairs(scan: _Scan, idx: Sequence[int]) -> list[SpecPair]:
    text = scan.doc.text
    members = set(idx)
    out: list[SpecPair] = []
    skip = -1
    for i in idx:
        if i <= skip:
            continue
        b = scan.blocks[i]
        raw = text[b.start : b.end]
        layout = None
        if (
            i + 1 in members
            and len(raw) <= 80
            and ":" not in raw.rstrip(" :：")
            and not _DIGITS.search(raw)  # labels have no digits; prices and names often do
        ):
            layout = _cell_pair(scan, i)
        if layout is not None:
            label = raw.strip().rstrip(":： ").strip()
            nb = scan.blocks[i + 1]
            value = text[nb.start : nb.end]
            if label and re.search(r"[^\W\d_]", label) and value.strip():
                ls = b.start + raw.find(label)
                vs = nb.start + len(value) - len(value.lstrip())
                v = value.strip()
                out.append(SpecPair(label, v, ls, ls + len(label), vs, vs + len(v), layout))
                skip = i + 1
                continue
        m = _LINE_PAIR.match(raw)
        if m is not None:
            label, value = m.group(1), m.group(2)
            ls, vs = b.start + m.start(1), b.start + m.start(2)
            cuts = [c.end() for c in _SENTENCE_END.finditer(label)]
            if cuts:  # "Máy Nhật, kính sapphire. Xuất xứ: Nhật Bản"
                ls += cuts[-1]
                label = label[cuts[-1] :]
            if (
                len(label.split()) <= _LABEL_WORDS_MAX
                and re.search(r"[^\W\d_]", label)
                and not label.lower().startswith(("http", "www"))
            ):
                out.append(SpecPair(label, value, ls, ls + len(label), vs, vs + len(value), "line"))
    return out


def _incidental(seg: str, start: int, end: int) -> bool:
    """Whether a price belongs to a shipping threshold, voucher, instalment or deposit."""
    line_start = seg.rfind("\n", 0, start) + 1
    before = seg[max(line_start, start - 40) : start]
    line_end = seg.find("\n", end)
    after = seg[end : line_end if line_end >= 0 else len(seg)]
    return bool(_INCIDENTAL_BEFORE.search(before) or _INCIDENTAL_AFTER.match(after))


def _stand_in(
    h: HiddenPriceMatch, source: FactSource, shift: int, fld: str | None = None
) -> PriceFact:
    return PriceFact(
        h.kind, None, h.text, source, shift + h.start, shift + h.end, h.entry,
        h.explicit and not (h.entry == "inbox" and h.near_price), fld,
    )  # fmt: skip


def _in_price_slot(el: Element) -> bool:
    node: Element | None = el
    for _ in range(4):
        if node is None:
            return False
        cls = node.get("class") if isinstance(node.tag, str) else None
        if cls and _PRICE_CLASS.search(cls):
            return True
        node = node.getparent()
    return False


# Every price-slot placeholder starts a word with one of these (a cheap test before
# normalising; only the start of the word is looked at, so decomposed text passes).
_SLOT_HINT = re.compile(
    r"(?<!\w)(?:li[eê]|lh|l/h|g[oọ]i|call|contact|inb|ib|chat|zalo|nh[aắ]|pm|dm|hotline|"
    r"th[oỏ]a|th[uư][oơ]|đang|dang|updat|pric|request|vui|xin|gi[aá])|(?<![\d.,])0+ ?(?:₫|đ|vn)",
    re.IGNORECASE,
)


def _slot_stand_ins(scan: _Scan, idx: Sequence[int], *, card: bool) -> list[PriceFact]:
    """Price slots holding "Liên hệ", "Call", "0đ" … instead of an amount."""
    out: list[PriceFact] = []
    text = scan.doc.text
    prev_label = False
    for i in idx:
        b = scan.blocks[i]
        raw = text[b.start : b.end]
        if len(raw) <= 60:
            hit = price_slot_placeholder(raw) if _SLOT_HINT.search(raw) else None
            if hit is not None and (card or prev_label or _in_price_slot(b.element)):
                out.append(_stand_in(hit, "slot", b.start))
            prev_label = len(raw) <= 25 and bool(_PRICE_LABEL.match(_nfc(raw)))
        else:
            prev_label = False
    return out


def _merge_stand_ins(text_hits: list[PriceFact], slots: list[PriceFact]) -> tuple[PriceFact, ...]:
    out = list(text_hits)
    for s in slots:
        if not any(
            t.start is not None
            and s.start is not None
            and t.end is not None
            and s.end is not None
            and t.start < s.end
            and s.start < t.end
            for t in text_hits
        ):
            out.append(s)
    return tuple(sorted(out, key=lambda p: p.start if p.start is not None else -1))


def _title_mentions(title: OfferTitle, taken: Sequence[OriginFact]) -> list[OriginFact]:
    """'hàng Mỹ' in a title: a hint of the goods' country that no phrase entry covers."""
    if title.start is None:
        return []
    out: list[OriginFact] = []
    for m in country_mentions(title.text):
        if m.cue != "hàng":
            continue
        s, e = title.start + m.start, title.start + m.end
        if any(
            f.start is not None and f.end is not None and f.start < e and s < f.end for f in taken
        ):
            continue
        out.append(
            OriginFact(
                "origin_hint", m.code, m.is_abbreviation, "hàng", m.text, "mention.hang",
                "title", s - 5 if s >= title.start + 5 else s, e, s, e,
            )
        )  # fmt: skip
    return out


# --- building offers ----------------------------------------------------------------------


def _last_path(url: str) -> str:
    return url.split("#", 1)[0].split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]


def _name_key(text: str) -> str:
    # Cheaper than title_key (no full normalisation): names are compared by thousands.
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


class _Products:
    """Structured products, found by element (microdata), name or URL (JSON-LD)."""

    def __init__(self, products: list[_Product]) -> None:
        self.all = products
        self.by_element = {p.element: p for p in products if p.element is not None}
        self.by_name: dict[str, list[_Product]] = {}
        self.by_path: dict[str, list[_Product]] = {}
        for p in products:
            if p.element is not None:
                continue
            if p.name:
                self.by_name.setdefault(_name_key(p.name), []).append(p)
            if p.url and _last_path(p.url):
                self.by_path.setdefault(_last_path(p.url), []).append(p)

    def match(
        self, title: OfferTitle | None, url: str | None, element: Element | None
    ) -> list[_Product]:
        out: list[_Product] = []
        if element is not None and self.by_element:
            up = [a for _, a in zip(range(3), element.iterancestors(), strict=False)]
            for node in (*up, *element.iter()):
                p = self.by_element.get(node)
                if p is not None and p not in out:
                    out.append(p)
        if title is not None and self.by_name:
            out.extend(p for p in self.by_name.get(_name_key(title.text), []) if p not in out)
        if url and self.by_path and _last_path(url):
            out.extend(p for p in self.by_path.get(_last_path(url), []) if p not in out)
        return out


def _og_prices(doc: PageDocument) -> list[PriceFact]:
    out = []
    currency = doc.meta.get("product:price:currency") or doc.meta.get("og:price:currency") or ""
    for key in ("product:price:amount", "og:price:amount", "product:sale_price:amount"):
        raw = doc.meta.get(key)
        if raw:
            value = _amount(raw, currency.strip().upper())
            if value is not None:
                out.append(PriceFact("price", value, raw, "og", pointer=f"/meta/{key}"))
    return out


@dataclass(slots=True)
class _Job:
    """What to read for one offer."""

    idx: list[int]
    title: OfferTitle | None
    products: list[_Product]
    card: bool
    extra_prices: Sequence[PriceFact] = ()
    slot_root: Element | None = None  # where price elements are looked for, if needed
    match: Callable[[], list[_Product]] | None = None  # finds `products` on first use


# Between the texts of two offers read together: a line that is no value, so that a
# label at the end of one card is never paired with the first line of the next (the
# extractor takes the next non-blank line as a cell's value).
_GAP = "\n—\n"


class _Batch:
    """Facts of several offers, read on first use with one pass of each extractor.

    The texts of the offers are joined (with blank lines between them) so that each
    extractor normalises and scans them in one call; results are mapped back to the
    offer that owns them and to offsets in the page text.
    """

    def __init__(self, scan: _Scan, jobs: list[_Job]) -> None:
        self.scan = scan
        self.jobs = jobs
        self.facts: list[_Facts] | None = None

    def get(self, k: int) -> _Facts:
        if self.facts is None:
            self.facts = _extract(self.scan, self.jobs)
        return self.facts[k]

    def loader(self, k: int) -> Callable[[], _Facts]:
        return functools.partial(self.get, k)


def _slot_prices(scan: _Scan, job: _Job) -> list[PriceFact]:
    """Prices read from price elements, for text that glues them to a word.

    ``<a>Áo thun</a><span class="price">150.000đ</span>`` reads "Áo thun150.000đ",
    where no price starts; the price element alone reads "150.000đ".
    """
    root = job.slot_root
    assert root is not None
    text = scan.doc.text
    lo = scan.blocks[job.idx[0]].start if job.idx else 0
    hi = scan.blocks[job.idx[-1]].end if job.idx else len(text)
    out: list[PriceFact] = []
    for el in scan.priced_in(root):
        raw = _line(" ".join(el.itertext()))
        if not raw or len(raw) > 60 or not _DIGITS.search(raw):
            continue
        at = text.find(raw, lo, hi)
        for pm in find_prices(raw):
            if pm.value.amount > 0:
                s, e = (at + pm.start, at + pm.end) if at >= 0 else (None, None)
                out.append(PriceFact("price", pm.value, pm.text, "slot", s, e))
        if len(out) >= 3:
            break
    return out


def _extract(scan: _Scan, jobs: list[_Job]) -> list[_Facts]:
    for job in jobs:
        if job.match is not None:
            job.products, job.match = job.match(), None
    text = scan.doc.text
    pieces: list[str] = []
    vstarts: list[int] = []  # start of each piece in the joined text
    shifts: list[int] = []  # page offset minus joined offset, per piece
    owners: list[int] = []
    v = 0
    for k, job in enumerate(jobs):
        for a, b in _segments(scan.blocks, job.idx):
            if pieces:
                pieces.append(_GAP)
                v += len(_GAP)
            vstarts.append(v)
            shifts.append(a - v)
            owners.append(k)
            pieces.append(text[a:b])
            v += b - a
    joined = "".join(pieces)

    def locate(pos: int) -> tuple[int, int]:
        i = max(bisect.bisect_right(vstarts, pos) - 1, 0)
        return owners[i], shifts[i]

    specs = [_spec_pairs(scan, job.idx) for job in jobs]
    origins: list[list[OriginFact]] = [[] for _ in jobs]
    flat = [(k, pair) for k, pairs in enumerate(specs) for pair in pairs]
    for st in extract_origin_from_pairs([(pair.label, pair.value) for _, pair in flat]):
        assert st.pair_index is not None
        k, pair = flat[st.pair_index]
        origins[k].append(_fact(st, "spec", pair.value_start, start=pair.label_start))
    spans = [[(f.start or 0, f.end or 0) for f in facts] for facts in origins]
    for st in extract_origin_statements(joined) if joined else ():
        k, shift = locate(st.start)
        s, e = shift + st.start, shift + st.end
        if any(s < fe and fs < e for fs, fe in spans[k]):
            continue  # already read from its specification row
        title = jobs[k].title
        source: FactSource = "text"
        if (
            title is not None
            and title.start is not None
            and title.end is not None
            and title.start <= s
            and e <= title.end
        ):
            source = "title"
        if source == "text" and any(p.label_start <= s < p.value_end for p in specs[k]):
            source = "spec"
        origins[k].append(_fact(st, source, shift))
    prices: list[list[PriceFact]] = [[] for _ in jobs]
    hits: list[list[PriceFact]] = [[] for _ in jobs]
    found_prices, found_hits = scan_prices(joined)
    for pm in found_prices:
        if pm.value.amount > 0 and _incidental(joined, pm.start, pm.end):
            continue
        k, shift = locate(pm.start)
        prices[k].append(
            PriceFact("price", pm.value, pm.text, "text", shift + pm.start, shift + pm.end)
        )
    for h in found_hits:
        k, shift = locate(h.start)
        hits[k].append(_stand_in(h, "text", shift))
    for k, job in enumerate(jobs):
        if job.slot_root is not None and not any(p.value and p.value.amount > 0 for p in prices[k]):
            prices[k].extend(_slot_prices(scan, job))
    out: list[_Facts] = []
    for k, job in enumerate(jobs):
        found = origins[k]
        if job.title is not None and not job.card:
            found += _title_mentions(job.title, found)
        stand_ins = _merge_stand_ins(hits[k], _slot_stand_ins(scan, job.idx, card=job.card))
        amounts = prices[k]
        tax: bool | None = None
        shipping = False
        for product in job.products:
            found.extend(product.origins)
            amounts.extend(product.prices)
            tax = product.tax_included if product.tax_included is not None else tax
            shipping = shipping or product.shipping_stated
        amounts.extend(job.extra_prices)
        out.append(_Facts(tuple(specs[k]), tuple(found), tuple(amounts), stand_ins, tax, shipping))
    return out


def _order_button(scan: _Scan, card: Element, span: tuple[int, int]) -> str | None:
    offsets = scan.button_offsets
    k = bisect.bisect_left(offsets, span[0])
    while k < len(offsets) and offsets[k] < span[1]:
        label = scan.button_labels[k]
        if _ORDER_TEXT.search(_nfc(label).lower()):
            return label
        k += 1
    for el in card.iter():
        tag = el.tag
        if not isinstance(tag, str):
            continue
        cls = el.get("class")
        href = el.get("href") if tag == "a" else None
        action = el.get("action") if tag == "form" else None
        if (
            (cls and _ORDER_CLASS.search(cls.lower()))
            or (href and _CART_HREF.search(href))
            or (action and re.search(r"cart|gio-hang|giohang", action, re.I))
        ):
            return _line(" ".join(el.itertext())) or (
                el.get("aria-label") or el.get("title") or cls or ""
            )
    return None


def _card_url(scan: _Scan, card: Element) -> str | None:
    if card.tag == "a" and card.get("href"):
        link = scan.links.get(card)
        return (link.url if link else None) or card.get("href")
    for a in card.iter("a"):
        link = scan.links.get(a)
        href = (a.get("href") or "").strip()
        if href and not href.startswith(("#", "javascript:")) and not _CART_HREF.search(href):
            return (link.url if link else None) or href
    return None


def _not_offer_blocks(scan: _Scan) -> set[int]:
    # The sections are outermost, so disjoint and in document order: one sweep of the
    # sorted blocks, with the node numbers the walk noted (reviews number hundreds).
    idx, keys = scan._sorted_blocks
    out: set[int] = set()
    lo = 0
    for first, end in scan.not_offer_spans:
        lo = bisect.bisect_left(keys, first, lo)
        hi = bisect.bisect_left(keys, end, lo)
        out.update(idx[lo:hi])
        lo = hi
    return out


def find_offers(doc: PageDocument) -> list[Offer]:
    """Find the products a page offers.

    A product page yields its main product only: the cards of related products
    are left out of it (and out of the result; each is offered on its own page). A
    listing, home or other page yields its product cards. Articles and policy pages
    offer nothing (their products are judged on the pages that sell them), nor do
    unreadable pages.

    Args:
        doc: The page.

    Returns:
        The main product, or the cards in page order.
    """
    if not doc.readable:
        return []
    kind = doc.page_kind.value
    if kind in ("article", "policy"):
        return []
    scan = _Scan(doc)
    main_title: OfferTitle | None = None
    if kind == "product":
        main_title = _main_title(scan)
    cards = _find_cards(scan, kind, main_title.element if main_title else None)
    products = _Products(_structured(doc, scan.itemscopes))
    notes = _NotesOnce(doc)
    offers: list[Offer] = []
    card_blocks: list[tuple[Element, list[int]]] = []
    taken: set[int] = set()
    for card in cards:
        idx = scan.blocks_in(card)
        if not idx or not taken.isdisjoint(idx):
            continue
        span = _span_of(scan, idx)
        assert span is not None
        if span[1] - span[0] > _MAX_CARD_TEXT:
            continue
        card_blocks.append((card, idx))
        taken.update(idx)
    if kind == "product":
        # Related-product cards are left out of the main offer and out of the result:
        # each is offered, and judged, on its own page.
        cards_kept = {card for card, _ in card_blocks}
        return [_main_offer(scan, main_title, taken, products, notes, cards_kept)]
    drafts = [d for card, idx in card_blocks if (d := _card_draft(scan, card, idx, products))]
    batch = _Batch(scan, [job for job, _ in drafts])
    for k, (_, kw) in enumerate(drafts):
        offers.append(Offer(index=len(offers), load=batch.loader(k), tax_shipping=notes, **kw))
    return offers


class _NotesOnce:
    """Tax and shipping statements of the whole page, read on first use."""

    def __init__(self, doc: PageDocument) -> None:
        self.doc = doc
        self.notes: tuple[TaxShippingNote, ...] | None = None

    def __call__(self) -> tuple[TaxShippingNote, ...]:
        if self.notes is None:
            self.notes = tuple(tax_shipping_note(self.doc.text))
        return self.notes


def _main_offer(
    scan: _Scan,
    title: OfferTitle | None,
    taken: set[int],
    products: _Products,
    notes: _NotesOnce,
    cards: set[Element],
) -> Offer:
    doc = scan.doc
    excluded = taken | _not_offer_blocks(scan)
    # The title is the offer's even inside a "rating" or similar wrapper.
    t0, t1 = (title.start, title.end or 0) if title and title.start is not None else (1, 0)
    titled = set(scan.blocks_in(title.element)) if title and title.element is not None else set()
    idx = [
        i
        for i, b in enumerate(scan.blocks)
        if (b.region not in _CHROME and (i not in excluded or t0 <= b.start < t1)) or i in titled
    ]
    mine = _main_products(products, title, cards)
    if title is None:
        name = next((p.name for p in mine if p.name), "") or doc.meta.get("og:title", "")
        name = name or doc.title
        if name:
            title = OfferTitle(_line(name), "jsonld" if mine else "og")
    span = _span_of(scan, idx)
    element = title.element if title else None
    buy_box = _buy_box(scan, title.element) if title and title.element is not None else None
    return Offer(
        index=0,
        role="main",
        title=title,
        load=_Batch(scan, [_Job(idx, title, mine, False, _og_prices(doc), buy_box)]).loader(0),
        element=element,
        region=scan.blocks[idx[0]].region if idx else None,
        start=span[0] if span else None,
        end=span[1] if span else None,
        full_offer=True,
        url=doc.canonical or doc.url,
        tax_shipping=notes,
    )


def _buy_box(scan: _Scan, title: Element) -> Element | None:
    """The nearest ancestor of the title that holds a price element."""
    node = title.getparent()
    for _ in range(4):
        if node is None or node.tag in ("body", "html"):
            return None
        if scan.priced_in(node):
            return node
        node = node.getparent()
    return None


def _main_products(
    products: _Products, title: OfferTitle | None, cards: set[Element]
) -> list[_Product]:
    """Structured products describing the page's own product (not a grid's)."""
    page = [
        p
        for p in products.all
        if not p.in_list
        and (
            p.element is None
            or not any(a in cards for a in (p.element, *p.element.iterancestors()))
        )
    ]
    key = title_key(title.text) if title else ""
    el = title.element if title else None
    mine = [
        p
        for p in page
        if (p.element is not None and el is not None and _contains(p.element, el))
        or (p.element is None and key and p.name and title_key(p.name) == key)
    ]
    if not mine:
        mine = [p for p in page if p.element is None][:1] or page[:1]
    return mine


def _card_draft(
    scan: _Scan, card: Element, idx: list[int], products: _Products
) -> tuple[_Job, dict[str, Any]] | None:
    """What is known of a card before its text is read; ``None`` when it is no product."""
    span = _span_of(scan, idx)
    assert span is not None
    title = _card_title(scan, card, idx)
    if title is None:
        return None
    button = _order_button(scan, card, span)
    priceish = bool(_PRICEISH.search(scan.doc.text, span[0], span[1])) or any(
        price_slot_placeholder(t)
        for i in idx
        if len(t := scan.text(i)) <= 60 and _SLOT_HINT.search(t)
    )
    url = _card_url(scan, card)
    job = _Job(idx, title, [], True, slot_root=card)
    if priceish or button:
        # Structured data is matched only when the card's facts are read.
        job.match = functools.partial(products.match, title, url, card)
    else:
        job.products = products.match(title, url, card)
        if not job.products:
            return None
    full = button is not None or span[1] - span[0] >= _FULL_DESCRIPTION
    return job, {
        "role": "card",
        "title": title,
        "element": card,
        "region": scan.blocks[idx[0]].region,
        "start": span[0],
        "end": span[1],
        "full_offer": full,
        "order_button": button,
        "url": url,
    }


# --- seller-profile listings ---------------------------------------------------------------


def listing_offer(listing: Listing, index: int, base: str = "/listings") -> Offer:
    """Build the offer of one seller-profile listing.

    Offsets of its facts point into the listing's fields, named by JSON Pointers
    (``/listings/3/title``, ``/listings/3/description``, ``/listings/3/origin``,
    ``/listings/3/price``). A ``price`` of ``null`` leaves the text to decide;
    a price of 0 is a placeholder.

    Args:
        listing: The listing.
        index: Its position in the profile's ``listings``.
        base: JSON Pointer of the listings array.
    """
    at = f"{base}/{index}"
    title_text = listing.title
    title = (
        OfferTitle(_line(title_text), "listing", 0, len(title_text), f"{at}/title")
        if title_text.strip()
        else None
    )

    def load() -> _Facts:
        origins: list[OriginFact] = []
        prices: list[PriceFact] = []
        stand_ins: list[PriceFact] = []
        if listing.origin and listing.origin.strip():
            value = listing.origin
            found = extract_origin_from_pairs([("Xuất xứ", value)])
            if not found:
                found = extract_origin_statements(value)
            origins.extend(_fact(st, "listing", 0, field=f"{at}/origin") for st in found)
        # Title and description are read together (one pass of each extractor) and
        # every fact is mapped back to its own field.
        head = listing.title
        body = listing.description
        joined = f"{head}{_GAP}{body}" if head and body else head or body
        split = len(head) + len(_GAP) if head and body else (0 if not head else len(joined) + 1)

        def where(pos: int) -> tuple[str, FactSource, int]:
            if head and pos < len(head):
                return f"{at}/title", "title", 0
            return f"{at}/description", "text", split if head else 0

        for st in extract_origin_statements(joined) if joined else ():
            fld, src, shift = where(st.start)
            origins.append(_fact(st, src, -shift, field=fld))
        found_prices, found_hits = scan_prices(joined) if joined else ([], [])
        for pm in found_prices:
            fld, src, shift = where(pm.start)
            prices.append(
                PriceFact("price", pm.value, pm.text, src, pm.start - shift, pm.end - shift,
                          field=fld)
            )  # fmt: skip
        for h in found_hits:
            fld, src, shift = where(h.start)
            stand_ins.append(_stand_in(h, src, -shift, fld))
        number = Decimal(str(listing.price)) if listing.price is not None else None
        if number is not None and _finite_amount(number):
            cur = listing.currency or "VND"
            given = PriceValue(int(number), "VND") if cur == "VND" else PriceValue(number, cur)
            raw = f"{listing.price:g}"
            if number > 0:
                prices.insert(0, PriceFact("price", given, raw, "listing", field=f"{at}/price"))
            else:
                stand_ins.insert(
                    0,
                    PriceFact(
                        "hidden", None, raw, "listing", entry="zero_price", field=f"{at}/price"
                    ),
                )
        return _Facts((), tuple(origins), tuple(prices), tuple(stand_ins))

    def notes() -> tuple[TaxShippingNote, ...]:
        return tuple(tax_shipping_note(listing.description)) if listing.description else ()

    return Offer(
        index=index, role="listing", title=title, load=load, full_offer=True,
        url=listing.url, tax_shipping=notes,
    )  # fmt: skip
