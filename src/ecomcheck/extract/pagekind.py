"""What kind of page a document is, and the shopping signals it carries.

Rules depend on the kind: a product page must show a price and an origin, a news
article need not; a policy page is where returns and privacy terms live. The URL is
the strongest evidence (shop platforms use stable path patterns), then structured
data (JSON-LD ``@type``, ``og:type``), then the page's own title and structure.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    from ecomcheck.extract.document import PageDocument

__all__ = ["CommerceSignals", "PageKind", "classify", "classify_url", "commerce_signals"]


class PageKind(StrEnum):
    """The kinds of page the rules tell apart."""

    HOME = "home"
    PRODUCT = "product"
    LISTING = "listing"
    ARTICLE = "article"
    POLICY = "policy"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class CommerceSignals:
    """Signs that a page sells something.

    Attributes:
        order_buttons: texts of add-to-cart / buy / order / checkout buttons and links.
        cart_links: URLs (or labels) of links to a cart or checkout.
        prices: price strings found in the visible text (at most 50).
        price_count: how many price strings the visible text holds.
        price_placeholder: the page says "Giá: liên hệ" (price on request).
        price_elements: elements whose class names a price.
        product_cards: elements whose class names a product card, or distinct
            product-page links, whichever is larger.
        product_data: JSON-LD Product/Offer, ``og:type`` product or microdata Product.
        product_items: number of Product objects in the structured data.
        has_ordering: the page lets a buyer order (order buttons, cart links, cart forms).
    """

    order_buttons: tuple[str, ...] = ()
    cart_links: tuple[str, ...] = ()
    prices: tuple[str, ...] = ()
    price_count: int = 0
    price_placeholder: bool = False
    price_elements: int = 0
    product_cards: int = 0
    product_data: bool = False
    product_items: int = 0
    has_ordering: bool = False

    @property
    def has_price(self) -> bool:
        """Whether any price (or a "price on request" placeholder) is shown."""
        return self.price_count > 0 or self.price_placeholder


# --- vocabulary -------------------------------------------------------------------

_ORDER_PHRASES: Final = (
    "thêm vào giỏ",
    "thêm giỏ hàng",
    "thêm vào giỏ hàng",
    "cho vào giỏ",
    "bỏ vào giỏ",
    "mua ngay",
    "đặt hàng",
    "đặt mua",
    "mua hàng",
    "add to cart",
    "add to bag",
    "buy now",
    "order now",
    "checkout",
    "check out",
    "thanh toán",
)
_ORDER_RE = re.compile("|".join(re.escape(p) for p in _ORDER_PHRASES))
# An order phrase that names a guide or policy ("Hướng dẫn mua hàng", "Hình thức thanh
# toán") or a way to reach the seller ("Gọi đặt hàng", "Đặt hàng qua Zalo") is not an
# order button: a showcase site with only contact buttons needs no notification
# (legal-vn.md §2.1, Decree 52 Art. 3 cl. 8).
_NOT_ORDER_RE = re.compile(
    r"hướng dẫn|cách (?:thức )?(?:mua|đặt|thanh)|quy trình|chính sách|hình thức|phương thức|"
    r"quy định|điều khoản|điều kiện|bảo mật|how to|policy|guide|"
    r"liên hệ|gọi|điện thoại|hotline|zalo|messenger|facebook|nhắn tin|inbox|tin nhắn|"
    r"qua (?:sđt|số)|call|contact"
)
# Link texts that name a page rather than an action: a link "Thanh toán" or "Mua hàng"
# in a menu opens a payment page or the shop; a cart or checkout path still counts.
_LINK_ONLY_PAGES: Final = frozenset({"thanh toán", "mua hàng"})


def _is_order_label(low: str) -> bool:
    """Whether a lower-cased button or link text asks for an order (not a guide or call)."""
    return _ORDER_RE.search(low) is not None and _NOT_ORDER_RE.search(low) is None


_CONTACT_HREF = re.compile(r"^(?:tel|sms|mailto|zalo|viber|skype|fb-messenger):|zalo\.me|m\.me/")
_CART_PATH = re.compile(r"/(?:cart|gio-hang|giohang|checkout|thanh-toan|basket)(?:[/?#.]|$)")
_CART_ICON = re.compile(r"cart|basket|shopping-bag|gio-hang|giohang")

# Currency after the amount ("150.000đ", "1.250.000 VND") or before it ("₫150,000").
# The look-ahead drops "đ" starting a word ("2 đôi", "3 đèn"). The currency is found
# first, one literal-first pattern per leading letter (faster than a scan for the set
# of digits, which are dense on shop pages), and the digit before it is checked in
# Python. Same matches as ``[0-9][  ]?(?:₫|đồng|[đĐ]|[Vv][Nn][DdĐđ])(?![^\W\d_])``:
# no currency word hides another that follows a digit.
_CURRENCY_MARKS = tuple(
    re.compile(p + r"(?![^\W\d_])") for p in ("₫", "đ(?:ồng)?", "Đ", "v[Nn][DdĐđ]", "V[Nn][DdĐđ]")
)
_CURRENCY_FIRST = re.compile(r"₫[  ]?[0-9][\d.,]{2,14}")
_AMOUNT_BEFORE = re.compile(r"\d(?:[\d.,  ]{0,14}\d)?$")
_LETTER = re.compile(r"[^\W\d_]")
# Fallback forms, tried only when no currency sign was found: "150k", "Giá: 150.000".
_K_PRICE = re.compile(r"[0-9]{2,4}[kK](?![^\W\d_])")
_LABEL_PRICE = re.compile(r"(?:iá|IÁ)(?: bán| BÁN)?\s*:?\s*[0-9]{1,3}(?:[.,][0-9]{3})+")
_PLACEHOLDER = re.compile(
    r"(?:[Gg]iá|GIÁ)(?:\s*(?:bán|BÁN))?\s*[:\-]?\s*(?:[Ll]iên|LIÊN)\s+(?:hệ|Hệ|HỆ)"
)
_PLACEHOLDER_HINTS: Final = ("ên hệ", "ên Hệ", "ÊN HỆ")

_PRODUCT_TYPES: Final = frozenset(
    {"product", "productgroup", "offer", "aggregateoffer", "individualproduct", "productmodel"}
)
_LISTING_TYPES: Final = frozenset(
    {"itemlist", "collectionpage", "searchresultspage", "offercatalog"}
)
_ARTICLE_TYPES: Final = frozenset(
    {"article", "blogposting", "newsarticle", "blog", "techarticle", "reportagenewsarticle"}
)

# URL path patterns, matched on the lower-cased, percent-decoded path.
_URL_PRODUCT = re.compile(
    r"/(?:products?|san-pham|sanpham|sp|item|items)/[^/]+"
    r"|-p\d+(?:\.html?)?$|/p/\d+|-i\.\d+\.\d+|/dp/[a-z0-9]+"
)
_URL_POLICY = re.compile(
    r"/(?:pages/)?(?:chinh-sach|dieu-khoan|quy-che|quy-dinh|dieu-kien|policy|policies|"
    r"privacy|terms|refund|return-policy|shipping-policy|bao-mat|doi-tra|hoan-tien)"
)
_URL_ARTICLE = re.compile(
    r"/(?:blogs?|tin-tuc|tintuc|news|bai-viet|baiviet|cam-nang|kien-thuc|tu-van|goc-chia-se)"
    r"(?:/|$|\.)|/\d{4}/\d{2}/"
)
_URL_LISTING = re.compile(
    r"/(?:collections?|danh-muc|danhmuc|danh-muc-san-pham|category|categories|"
    r"product-category|shop|cua-hang|tim-kiem|search|brands?|thuong-hieu)(?:/|$|\.)"
    r"|/c\d+(?:/|$)|-c\d+(?:\.html?)?$|/(?:products|san-pham|sanpham)/?$"
)
_HOME_PATHS: Final = frozenset(
    {
        "",
        "/",
        "/index.html",
        "/index.htm",
        "/index.php",
        "/home",
        "/trang-chu",
        "/vi",
        "/vi/",
        "/en",
    }
)

_POLICY_WORDS = re.compile(
    r"chính sách|điều khoản|quy chế|quy định|điều kiện|bảo mật thông tin|"
    r"\bpolicy\b|\bpolicies\b|\bterms\b|\bprivacy\b",
    re.IGNORECASE,
)
_LISTING_HINTS: Final = ("ắp xếp", "ẮP XẾP", "ộ lọc", "Ộ LỌC", "ọc theo", "ỌC THEO")
_PRODUCT_COUNT = re.compile(r"[0-9] (?:sản phẩm|SẢN PHẨM|Sản phẩm)")


def _nfc_lower(value: str) -> str:
    return unicodedata.normalize("NFC", value).lower()


def _types(obj: Any) -> list[str]:
    raw = obj.get("@type") if isinstance(obj, dict) else None
    values = raw if isinstance(raw, list) else [raw]
    return [v.rsplit("/", 1)[-1].lower() for v in values if isinstance(v, str)]


def _walk_ld(obj: Any, depth: int = 0) -> list[dict[str, Any]]:
    """All dicts in a JSON-LD object, nested ones included (bounded depth)."""
    out: list[dict[str, Any]] = []
    stack: list[tuple[Any, int]] = [(obj, depth)]
    while stack and len(out) < 2000:
        item, d = stack.pop()
        if d > 8:
            continue
        if isinstance(item, dict):
            out.append(item)
            stack.extend((v, d + 1) for v in item.values() if isinstance(v, dict | list))
        elif isinstance(item, list):
            stack.extend((v, d + 1) for v in item)
    return out


def _structured_types(doc: PageDocument) -> tuple[list[str], int]:
    """JSON-LD and microdata types on the page, and how many Product objects."""
    types: list[str] = []
    products = 0
    for top in doc.jsonld:
        for obj in _walk_ld(top):
            found = _types(obj)
            types.extend(found)
            if "product" in found or "productgroup" in found:
                products += 1
    for item in doc.microdata:
        kind = item.get("type")
        if isinstance(kind, str):
            for value in kind.split():
                name = value.rstrip("/").rsplit("/", 1)[-1].lower()
                types.append(name)
                if name == "product":
                    products += 1
    return types, products


def _currencies(text: str) -> list[tuple[int, int]]:
    """Spans from the last digit of an amount to the end of the currency after it."""
    out: list[tuple[int, int]] = []
    for pattern in _CURRENCY_MARKS:
        for m in pattern.finditer(text):
            k = m.start()
            if k and "0" <= text[k - 1] <= "9":
                out.append((k - 1, m.end()))
            elif k > 1 and text[k - 1] in "  " and "0" <= text[k - 2] <= "9":
                out.append((k - 2, m.end()))
    out.sort()
    return out


def _find_prices(text: str) -> list[str]:
    prices: list[str] = []
    for digit, end in _currencies(text):
        start = digit + 1  # just past the last digit
        before = _AMOUNT_BEFORE.search(text, max(0, start - 18), start)
        if before is None:
            continue
        prev = text[before.start() - 1 : before.start()]
        if prev and _LETTER.match(prev):
            continue  # "A4 đ…", "x2đ": a code, not an amount
        if (
            text.endswith("đồng", start, end)
            and sum(c.isdigit() for c in text[before.start() : start]) < 3
        ):
            continue  # "2 đồng hồ" is two watches
        prices.append(text[before.start() : end])
    prices.extend(m.group() for m in _CURRENCY_FIRST.finditer(text))
    if not prices:
        for m in _K_PRICE.finditer(text):
            if not (m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in ".,")):
                prices.append(m.group())
        for m in _LABEL_PRICE.finditer(text):
            if m.start() and text[m.start() - 1] in "Gg":
                prices.append(text[m.start() - 1 : m.end()])
    return prices


def commerce_signals(doc: PageDocument) -> CommerceSignals:
    """Collect the shopping signals of a page.

    Args:
        doc: the page.

    Returns:
        Buttons, cart links, prices, price and card elements, structured data.
    """
    order: list[str] = []
    for label, _ in doc.buttons:
        if _is_order_label(_nfc_lower(label)):
            order.append(label)
    cart: list[str] = []
    # Every link's path is needed twice (cart and product tests): compute it once.
    paths = [_cheap_path(link.url or link.href) for link in doc.links]
    for link, path in zip(doc.links, paths, strict=True):
        text = link.text
        if text and len(text) < 40:
            low = _nfc_lower(text)
            if (
                _is_order_label(low)
                and (" ".join(low.split()) not in _LINK_ONLY_PAGES or _CART_PATH.search(path))
                and not _CONTACT_HREF.search(link.href.strip().lower())
                and not _URL_POLICY.search(path)
                and "huong-dan" not in path
            ):
                order.append(text)
            if "giỏ hàng" in low:
                cart.append(link.url or link.href)
                continue
        if _CART_PATH.search(path) or (
            (link.icon_classes or link.classes)
            and _CART_ICON.search(" ".join(link.icon_classes + link.classes).lower())
        ):
            cart.append(link.url or link.href)
    form_cart = any(_CART_PATH.search(action.lower()) for action in doc.forms if action)
    prices = _find_prices(doc.text)
    # Plain substring tests first: a regex pass over the whole text costs ~1 ms.
    placeholder = any(h in doc.text for h in _PLACEHOLDER_HINTS) and bool(
        _PLACEHOLDER.search(doc.text)
    )
    types, products = _structured_types(doc)
    og_type = doc.meta.get("og:type", "").lower()
    product_data = (
        any(t in _PRODUCT_TYPES for t in types)
        or og_type.startswith("product")
        or og_type == "og:product"
        or "product:price:amount" in doc.meta
    )
    product_links = {path for path in paths if _URL_PRODUCT.search(path)}
    return CommerceSignals(
        order_buttons=tuple(dict.fromkeys(order)),
        cart_links=tuple(dict.fromkeys(cart)),
        prices=tuple(prices[:50]),
        price_count=len(prices),
        price_placeholder=placeholder,
        price_elements=doc.class_counts.get("price", 0),
        product_cards=max(doc.class_counts.get("card", 0), len(product_links)),
        product_data=product_data,
        product_items=products,
        has_ordering=bool(order or cart or form_cart),
    )


def _cheap_path(url: str) -> str:
    """Lower-cased path of a URL or href, without urlsplit (called for every link)."""
    value = url.strip().lower().split("#", 1)[0].split("?", 1)[0]
    i = value.find("//")
    if i == 0 or (i > 0 and value[i - 1] == ":"):  # "https://host/…" or "//host/…"
        rest = value[i + 2 :]
        slash = rest.find("/")
        value = rest[slash:] if slash >= 0 else "/"
    return unquote(value) if "%" in value else value


def _path(url: str | None) -> str | None:
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if not parts.scheme and not parts.netloc and not url.startswith("/"):
        return None
    return unquote(parts.path).lower()


def classify_url(url: str | None) -> PageKind | None:
    """Return the page kind a URL's path names, or None when it names none.

    Args:
        url: an absolute URL or an absolute path.
    """
    path = _path(url)
    if path is None:
        return None
    if path in _HOME_PATHS:
        return PageKind.HOME
    if _URL_PRODUCT.search(path):  # before policy: "/products/kem-bao-mat-da"
        return PageKind.PRODUCT
    if _URL_POLICY.search(path):
        return PageKind.POLICY
    if _URL_ARTICLE.search(path):
        return PageKind.ARTICLE
    if _URL_LISTING.search(path):
        return PageKind.LISTING
    return None


def classify(doc: PageDocument) -> PageKind:
    """Decide what kind of page a document is.

    The URL decides when its path follows a known pattern ("/" is always the home
    page, whatever it shows); otherwise structured data, title and headings, and the
    page's structure decide. Without a URL the canonical URL is tried first.

    Args:
        doc: the page.
    """
    for url in (doc.url, doc.canonical, doc.meta.get("og:url")):
        kind = classify_url(url)
        if kind is not None:
            return kind
    return _classify_content(doc)


def _classify_content(doc: PageDocument) -> PageKind:
    types, products = _structured_types(doc)
    type_set = set(types)
    og_type = doc.meta.get("og:type", "").lower()
    heading = _nfc_lower(" ".join(doc.h1) or doc.title)
    commerce = doc.commerce

    is_article = bool(type_set & _ARTICLE_TYPES) or og_type == "article"
    if is_article and (products != 1 or not commerce.order_buttons):
        return PageKind.ARTICLE
    if _POLICY_WORDS.search(heading) and not commerce.order_buttons:
        return PageKind.POLICY
    single_product = products == 1 or og_type.startswith("product")
    if single_product and (commerce.order_buttons or commerce.has_price):
        return PageKind.PRODUCT
    if type_set & _LISTING_TYPES or products >= 3:
        return PageKind.LISTING
    article_text = _article_text_length(doc)
    if article_text >= 1500 and not commerce.order_buttons:
        return PageKind.ARTICLE
    cards = commerce.product_cards
    if doc.h1 and commerce.order_buttons and commerce.has_price and (cards < 6 or single_product):
        return PageKind.PRODUCT
    if cards >= 6 and commerce.price_count >= 3:
        if _looks_like_listing(doc):
            return PageKind.LISTING
        return PageKind.HOME if not doc.h1 else PageKind.LISTING
    if doc.h1 and commerce.order_buttons and commerce.has_price:
        return PageKind.PRODUCT
    if article_text >= 800 or _long_paragraphs(doc) >= 1500:
        return PageKind.ARTICLE
    if not doc.h1 and commerce.order_buttons and 0 < commerce.price_count <= 3 and cards == 0:
        # A landing page (Ladipage, Wix): one product, an order form, a price and its
        # struck-out old price, the product's name in a styled <h3> or <div>.
        return PageKind.PRODUCT
    return PageKind.OTHER


def _article_text_length(doc: PageDocument) -> int:
    """Characters of visible text inside ``<article>`` elements (outermost ones)."""
    total, reach = 0, -1
    for start, end in sorted(doc.article_spans):
        if start >= reach:
            total += end - start
            reach = end
        elif end > reach:
            total += end - reach
            reach = end
    return total


def _long_paragraphs(doc: PageDocument) -> int:
    """Characters of visible text in main-region blocks of at least 200 characters."""
    return sum(
        b.end - b.start
        for b in doc.blocks
        if b.end - b.start >= 200 and b.region.value in ("main", "other")
    )


_PAGINATION = re.compile(r"[?&](?:page|p|trang)=\d|/page/\d|/trang-\d")


def _looks_like_listing(doc: PageDocument) -> bool:
    """Pagination links or sort/filter words: a category or search page."""
    if any(_PAGINATION.search(link.href) for link in doc.links):
        return True
    text = doc.text
    return any(h in text for h in _LISTING_HINTS) or bool(_PRODUCT_COUNT.search(text))
