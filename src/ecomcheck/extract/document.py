"""``PageDocument``: one page parsed once, with everything the rules read.

The page is parsed with lxml (``huge_tree``; never BeautifulSoup) and walked once,
iteratively, to build the visible text together with its blocks, links, images,
buttons and headings. Offsets in every result point into :attr:`PageDocument.text`.

Visible text follows what a reader sees, not what ``itertext`` gives: inline tags
never split a word (``c<b>ần</b> sa`` reads "cần sa"), block boundaries start a new
line (``<th>Xuất xứ</th><td>Hàn Quốc</td>`` gives two lines), whitespace collapses
to one space, and scripts, styles, templates, ``<head>``, inline SVG (except the
``<text>`` it draws, one line each), iframes, JSON blobs and elements with ``hidden``
are left out.
"""

from __future__ import annotations

import bisect
import contextlib
import gc
import hashlib
import json
import math
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property, lru_cache
from html.parser import HTMLParser as _StreamParser
from itertools import accumulate
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urljoin, urlsplit

from lxml import etree

from ecomcheck.extract.decode import decode_html

if TYPE_CHECKING:
    from bs4 import BeautifulSoup

    from ecomcheck.extract.pagekind import CommerceSignals, PageKind
    from ecomcheck.text.normalize import NormalizedText

__all__ = ["Image", "Link", "PageDocument", "Region", "TextBlock"]

Element = etree._Element

# lxml stops building the tree at this depth (2048 with huge_tree) and says so only in
# the error log; a flattened re-parse keeps elements up to _FLATTEN_DEPTH.
_FLATTEN_DEPTH: Final = 512


class Region(StrEnum):
    """The part of a page a piece of text or a link sits in."""

    HEADER = "header"
    NAV = "nav"
    MAIN = "main"
    FOOTER = "footer"
    ASIDE = "aside"
    OTHER = "other"


@dataclass(slots=True)
class TextBlock:
    """A run of visible text between two block boundaries.

    Attributes:
        start: offset of the first character in :attr:`PageDocument.text`.
        end: offset just past the last character.
        element: the innermost block element holding the run, or the single element
            all of its text comes from (so ``<p><strong>Title</strong></p>`` gives
            the ``strong``).
        region: the region of the page the run sits in.
    """

    start: int
    end: int
    element: Element
    region: Region


@dataclass(slots=True)
class Link:
    """An ``<a href>`` of the visible page.

    Attributes:
        href: the raw ``href`` attribute.
        url: the absolute URL (resolved against the page URL and ``<base href>``),
            or None when it cannot be resolved or parsed.
        text: the anchor's visible text on one line, image alt text included.
        title: the ``title`` attribute.
        aria_label: the ``aria-label`` attribute.
        classes: the anchor's classes.
        img_srcs: picture URLs inside the anchor (``src``, lazy-loading attributes,
            first ``srcset`` URL, ``<picture><source>``) and ``url(...)`` of inline
            styles on the anchor and its descendants.
        img_alts: ``alt`` and ``title`` of pictures inside the anchor.
        icon_classes: classes of ``<i>``/``<span>`` inside the anchor (icon fonts).
        element: the ``<a>`` element.
        region: the region of the page the link sits in.
        start: offset of the anchor's text in :attr:`PageDocument.text`, or None.
        end: offset just past the anchor's text, or None.
    """

    href: str
    url: str | None
    text: str
    title: str | None
    aria_label: str | None
    classes: tuple[str, ...]
    img_srcs: tuple[str, ...]
    img_alts: tuple[str, ...]
    icon_classes: tuple[str, ...]
    element: Element
    region: Region
    start: int | None = None
    end: int | None = None


@dataclass(slots=True)
class Image:
    """An ``<img>`` or ``<amp-img>`` of the visible page.

    Attributes:
        src: the best picture URL: a lazy-loading attribute over a placeholder
            ``data:`` source, else ``src``, else the first ``srcset`` URL; "" if none.
        alt: the ``alt`` attribute ("" when missing).
        title: the ``title`` attribute ("" when missing).
        classes: the element's classes.
        element: the element.
        region: the region of the page the picture sits in.
        link: index into :attr:`PageDocument.links` of the enclosing link, or None.
        srcs: every candidate URL found, in order of preference.
    """

    src: str
    alt: str
    title: str
    classes: tuple[str, ...]
    element: Element
    region: Region
    link: int | None
    srcs: tuple[str, ...] = ()


# --- tag classes ------------------------------------------------------------------

_BLOCK: Final = 1
_SKIP: Final = 2
_IMG: Final = 4
_A: Final = 8
_INPUT: Final = 16
_BUTTON: Final = 32
_SPAN: Final = 64  # record the element's text span (h1, article)
_SOURCE: Final = 128
_CLS: Final = 256  # inline element whose class may make it a button
_BR: Final = 512
_BTN: Final = 1024  # set while walking: the element acts as a button
_PICTURE: Final = 2048
_LANDMARK: Final = 4096  # container whose tag/role/class/id may name a region
_ENDS: Final = _BTN | _A | _SPAN | _PICTURE  # needs work when the element closes

_SKIP_TAGS = (
    "script style noscript template head svg iframe object video audio canvas datalist "
    "frameset noembed"
)
_LANDMARK_TAGS = (
    "article aside body center details dialog dir div dl fieldset figure footer form "
    "header hgroup html main menu nav ol section table ul search listing"
)
_BLOCK_TAGS = (
    "address blockquote caption dd dt figcaption h2 h3 h4 h5 h6 legend li optgroup option "
    "p pre select summary tbody td textarea tfoot th thead tr marquee frame"
)
_KIND: Final[dict[Any, int]] = {}  # keyed by tag (lxml types tags loosely)
for _t in _SKIP_TAGS.split():
    _KIND[_t] = _SKIP
for _t in _LANDMARK_TAGS.split():
    _KIND[_t] = _BLOCK | _LANDMARK
for _t in _BLOCK_TAGS.split():
    _KIND[_t] = _BLOCK
_KIND.update(
    {
        "h1": _BLOCK | _SPAN,
        "article": _BLOCK | _LANDMARK | _SPAN,
        "button": _BLOCK | _BUTTON,
        "br": _BR,
        "hr": _BR,
        "img": _IMG,
        "amp-img": _IMG,
        "a": _A,
        "input": _INPUT,
        "source": _SOURCE,
        "picture": _PICTURE,
        "span": _CLS,
        "label": _CLS,
    }
)

_REGION_TAGS: Final[dict[Any, Region]] = {
    "header": Region.HEADER,
    "footer": Region.FOOTER,
    "nav": Region.NAV,
    "main": Region.MAIN,
    "aside": Region.ASIDE,
}


def _in_content_unit(el: Element) -> bool:
    """Whether a header/footer belongs to an article, aside or nav, not to the page.

    Only these few tags are looked up, so the ancestor walk costs nothing overall.
    """
    return next(el.iterancestors("article", "aside", "nav"), None) is not None


_ROLES: Final = {
    "banner": Region.HEADER,
    "contentinfo": Region.FOOTER,
    "navigation": Region.NAV,
    "menu": Region.NAV,
    "menubar": Region.NAV,
    "main": Region.MAIN,
    "complementary": Region.ASIDE,
}
# Class/id words naming a region; a compound ("site-footer", "footer-widget") counts
# when the region word comes first or every other part is a generic word.
_REGION_WORDS: Final = {
    "footer": Region.FOOTER,
    "ft": Region.FOOTER,
    "foot": Region.FOOTER,
    "colophon": Region.FOOTER,
    "sitefooter": Region.FOOTER,
    "header": Region.HEADER,
    "masthead": Region.HEADER,
    "topbar": Region.HEADER,
    "siteheader": Region.HEADER,
    "nav": Region.NAV,
    "navbar": Region.NAV,
    "navigation": Region.NAV,
    "menu": Region.NAV,
    "megamenu": Region.NAV,
    "mainmenu": Region.NAV,
    "navmenu": Region.NAV,
    "breadcrumb": Region.NAV,
    "breadcrumbs": Region.NAV,
    "sidebar": Region.ASIDE,
    "aside": Region.ASIDE,
    "main": Region.MAIN,
    "content": Region.MAIN,
    "maincontent": Region.MAIN,
}
_REGION_PHRASES: Final = {"top-bar": Region.HEADER, "top_bar": Region.HEADER}
_GENERIC_WORD_LIST = (
    "site page main global top bottom wrapper wrap container inner outer widget "
    "widgets area section bar links link nav menu info content primary secondary "
    "mobile desktop mega sub fixed sticky full box block row col default theme layout "
    "js"
)
_GENERIC_WORDS: Final = frozenset(_GENERIC_WORD_LIST.split())
_REGION_PRIORITY: Final = (Region.FOOTER, Region.HEADER, Region.NAV, Region.ASIDE, Region.MAIN)
_SPLIT_NAME = re.compile(r"[-_\s]+|(?<=[a-z])(?=[A-Z])")


@lru_cache(maxsize=8192)
def _name_region(value: str) -> Region | None:
    """Region named by a class or id attribute value, if any."""
    found: set[Region] = set()
    for name in value.split():
        low = name.lower()
        hit = _REGION_PHRASES.get(low) or _REGION_WORDS.get(low)
        if hit is not None:
            found.add(hit)
            continue
        words = [w.lower() for w in _SPLIT_NAME.split(name) if w]
        if len(words) > 1:
            for i, w in enumerate(words):
                region = _REGION_WORDS.get(w)
                others = words[:i] + words[i + 1 :]
                if region and (i == 0 or all(o in _GENERIC_WORDS for o in others)):
                    found.add(region)
    for region in _REGION_PRIORITY:
        if region in found:
            return region
    return None


_BUTTONISH: Final = 1
_PRICEISH: Final = 2
_CARDISH: Final = 4
_CARD_CLASS = re.compile(
    r"(?:^|\s)(?:product(?:[-_]?(?:item|card|box|block|grid-item|thumb|miniature|loop|tile|"
    r"wrap|col|inner))?|(?:item|card|box|col)[-_]product|type-product|sanpham|san-pham)(?:\s|$)"
)


@lru_cache(maxsize=8192)
def _class_info(value: str) -> tuple[Region | None, int]:
    """Region named by a class attribute, and whether it styles a button/price/card."""
    low = value.lower()
    bits = 0
    if "btn" in low or "button" in low:
        bits |= _BUTTONISH
    if "price" in low or "gia-ban" in low or "giaban" in low:
        bits |= _PRICEISH
    if "product" in low or "san" in low:
        bits |= _CARDISH if _CARD_CLASS.search(low) else 0
    return _name_region(value), bits


# --- small helpers ----------------------------------------------------------------

_STYLE_URL = re.compile(r"""url\(\s*['"]?([^'")]+?)['"]?\s*\)""")
_FILENAME = re.compile(r"\.(?:png|jpe?g|gif|webp|svg|bmp|ico|avif|tiff?)\b", re.IGNORECASE)
_GENERIC_ALT_LIST = (
    "logo image img icon banner photo picture thumbnail thumb avatar hinh anh hình "
    "ảnh untitled placeholder null undefined none"
)
_GENERIC_ALTS: Final = frozenset(_GENERIC_ALT_LIST.split())
# Three letters anywhere; anchored and possessive, so a miss costs one linear scan
# rather than a search from every position.
_THREE_LETTERS = re.compile(r"[\W\d_]*+(?:[^\W\d_][\W\d_]*+){2}[^\W\d_]")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_CSS_IDENT = re.compile(r"^-?[A-Za-z_\u0080-\U0010ffff][\w\u0080-\U0010ffff-]*$")
_XP_HIDDEN = etree.XPath("//*[@hidden]")
_XP_ITEMSCOPE = etree.XPath("//*[@itemscope]")
_XP_ITEMPROP = etree.XPath("//*[@itemprop]")
_XP_IDS = etree.XPath("//@id")


def _alt_words(alt: str | None) -> str:
    """Return alt/title text worth reading as text, or "" (file names, "logo", "#")."""
    if not alt:
        return ""
    words = alt.split()
    if not words:
        return ""
    if len(words) == 1:
        value = words[0]
        low = value.lower()
        if low in _GENERIC_ALTS or "-" in low or "_" in low or "/" in low:
            return ""
        if "." in low and _FILENAME.search(low):
            return ""
    else:
        value = " ".join(words)
        if len(words) <= 2 and "." in value and _FILENAME.search(value):
            return ""
    return value if _THREE_LETTERS.match(value) else ""


def _first_srcset(srcset: str | None) -> str | None:
    if not srcset:
        return None
    value = srcset.strip()
    if value.startswith("data:"):
        return value.split()[0]
    first = value.split(",", 1)[0].split()
    return first[0] if first else None


_IMG_ATTR_RANK: Final = {
    "data-src": 0,
    "data-lazy-src": 1,
    "data-original": 2,
    "data-lazy": 3,
    "src": 4,
    "srcset": 5,
    "data-srcset": 6,
    "data-lazy-srcset": 7,
}


def _img_attrs(el: Element) -> tuple[list[str], str, str, str | None]:
    """Picture URLs (best first, ``data:`` last), alt, title and class of an img.

    Alt and title are "" when missing. One pass over ``items()`` is cheaper than a
    dict or a ``get`` per name (the parser keeps the first of repeated attributes).
    """
    found: list[tuple[int, str]] = []
    alt = title = ""
    cls: str | None = None
    rank = _IMG_ATTR_RANK.get
    for name, value in el.items():
        r = rank(name)
        if r is not None:
            url = _first_srcset(value) if r >= 5 else value.strip()
            if url:
                found.append((r + 8 if url.startswith("data:") else r, url))
        elif name == "alt":
            alt = value
        elif name == "title":
            title = value
        elif name == "class":
            cls = value
    if len(found) <= 1:
        return [found[0][1]] if found else [], alt, title, cls
    found.sort()
    out: list[str] = []
    for _, url in found:
        if url not in out:
            out.append(url)
    return out, alt, title, cls


def _one_line(value: str) -> str:
    return " ".join(value.split())


class _OpenLink:
    """A link being walked: collects pictures and icon classes of its descendants."""

    __slots__ = ("alts", "first", "icons", "index", "srcs")

    def __init__(self, index: int, first: int, style: str | None) -> None:
        self.index = index
        self.first = first
        # Most links hold no picture or icon: the lists are made on first use.
        self.srcs: list[str] | None = _STYLE_URL.findall(style) if style else None
        self.alts: list[str] | None = None
        self.icons: list[str] | None = None

    def visit(self, el: Element, tag: object) -> None:
        if tag == "i" or tag == "span":
            cls = el.get("class")
            if cls:
                if self.icons is None:
                    self.icons = []
                self.icons.extend(cls.split())
        elif tag == "source":
            first = _first_srcset(el.get("srcset") or el.get("data-srcset"))
            if first:
                self.add_srcs([first])
        style = el.get("style")
        if style and "url(" in style:
            self.add_srcs(_STYLE_URL.findall(style))

    def add_srcs(self, srcs: list[str]) -> None:
        if self.srcs is None:
            self.srcs = []
        self.srcs.extend(srcs)

    def add_image(self, srcs: list[str], alt: str, title: str) -> None:
        if srcs:
            self.add_srcs(srcs)
        for value in (alt, title):
            if value and value.strip():
                if self.alts is None:
                    self.alts = []
                self.alts.append(value.strip())

    def finish(self, link: Link) -> None:
        if self.srcs:
            link.img_srcs = tuple(dict.fromkeys(self.srcs))
        if self.alts:
            link.img_alts = tuple(self.alts)
        if self.icons:
            link.icon_classes = tuple(self.icons)


_SPACE_BEFORE: Final = frozenset(" \t\n\r\f\"'")
_END_AFTER: Final = frozenset(" \t\n\r\f=>/")


def _may_have_hidden(markup: str) -> bool:
    # A plain search is far cheaper than XPath; "overflow:hidden", type="hidden" and
    # class="hidden-xs" do not qualify.
    i = markup.find("hidden")
    while i >= 0:
        if (
            markup[i - 1 : i] in _SPACE_BEFORE
            and markup[i + 6 : i + 7] in _END_AFTER
            and markup.rfind("<", max(0, i - 4096), i) > markup.rfind(">", max(0, i - 4096), i)
        ):
            return True
        i = markup.find("hidden", i + 6)
    return False


_XP_FOOTER_SLOTS = etree.XPath(
    "//footer | //*[contains(translate(@id, 'FOTER', 'foter'), 'footer')]"
    " | //*[contains(translate(@class, 'FOTER', 'foter'), 'footer')]"
)
_XP_FOOTER_SCRIPTS = etree.XPath(
    "//script[not(@src)][contains(translate(., 'FOTER', 'foter'), 'footer')]"
)
# A script that puts markup into the page: jQuery .load(), fetch/XHR, innerHTML.
_INSERTS_MARKUP = re.compile(
    r"\.load\s*\(|fetch\s*\(|XMLHttpRequest|\$\.(?:get|ajax)\s*\(|innerHTML|insertAdjacentHTML"
    r"|\.html\s*\(",
    re.IGNORECASE,
)


# The page's own footer slot ("footer", "site-footer", "footer-placeholder"), not the
# footer of a dialog, card or table ("modal-footer", "card-footer"), which a page
# without any footer often holds empty.
_PAGE_FOOTER_TOKEN = re.compile(
    r"^(?:(?:site|main|page|global|web|shop|store|app|theme|layout)[-_])?footer"
    r"(?:[-_](?:wrapper|wrap|container|area|main|content|placeholder|holder|section|inner))?$",
    re.IGNORECASE,
)
_PART_OF_WIDGET = re.compile(r"modal|popup|dialog|card|panel|drawer|table|widget", re.IGNORECASE)


def _is_page_footer_slot(el: Any) -> bool:
    if el.tag != "footer":
        tokens = [*(el.get("id") or "").split(), *(el.get("class") or "").split()]
        if not any(_PAGE_FOOTER_TOKEN.match(t) for t in tokens):
            return False
    for anc in el.iterancestors():
        if anc.tag in ("article", "aside", "dialog", "form", "table") or _PART_OF_WIDGET.search(
            f"{anc.get('id') or ''} {anc.get('class') or ''}"
        ):
            return False
    return True


def _footer_by_script(doc: PageDocument) -> bool:
    """Whether the page's footer is filled in by a script, so not in the markup.

    Themes that load the footer from another file leave an empty ``<footer>`` or
    ``<div id="footer">`` in the HTML, or a script that fetches it. Only pages with no
    footer text at all are looked at: a footer that is there is read as it is.
    """
    if any(b.region is Region.FOOTER for b in doc.blocks):
        return False
    root = doc.root
    for el in _XP_FOOTER_SLOTS(root):
        if (
            isinstance(el, etree._Element)
            and _is_page_footer_slot(el)
            and not "".join(el.itertext()).strip()
            and el.find(".//img") is None
            and el.find(".//a") is None
        ):
            return True
    for el in _XP_FOOTER_SCRIPTS(root):
        if isinstance(el, etree._Element) and _INSERTS_MARKUP.search(el.text or ""):
            return True
    return False


def _hidden_elements(root: Element, markup: str) -> set[Element]:
    """Elements with the ``hidden`` attribute."""
    if not _may_have_hidden(markup):
        return set()
    found = _XP_HIDDEN(root)
    return (
        {el for el in found if isinstance(el, etree._Element)} if isinstance(found, list) else set()
    )


# --- JSON-LD and microdata ----------------------------------------------------------

_TRAILING_COMMA = re.compile(r",\s*([\]}])")
_WRAPPERS = re.compile(r"^\s*(?://\s*)?(?:<!--|<!\[CDATA\[)|(?://\s*)?(?:-->|\]\]>)\s*$")


class _JsonReader:
    """JSON-LD parsing hooks: NaN, Infinity and numbers out of float range read as null.

    ``json`` accepts these although JSON has no such values; left as floats they turn
    into prices no arithmetic can handle. ``nonfinite`` tells that one was dropped.
    """

    __slots__ = ("nonfinite",)

    def __init__(self) -> None:
        self.nonfinite = False

    def constant(self, name: str) -> None:
        self.nonfinite = True

    def number(self, text: str) -> float | None:
        value = float(text)
        if math.isinf(value):  # "1e400": out of float range
            self.nonfinite = True
            return None
        return value


def _load_json(raw: str, reader: _JsonReader | None = None) -> list[Any] | None:
    """Parse a JSON-LD block, tolerating comments, CDATA and trailing commas."""
    text = _WRAPPERS.sub("", raw.strip()).strip()
    if not text:
        return []
    reader = reader or _JsonReader()
    decoder = json.JSONDecoder(
        strict=False, parse_constant=reader.constant, parse_float=reader.number
    )
    for candidate in (text, _TRAILING_COMMA.sub(r"\1", text)):
        try:
            return [decoder.decode(candidate)]
        except (ValueError, RecursionError):
            pass
    # Several objects one after the other.
    out: list[Any] = []
    pos = 0
    text = _TRAILING_COMMA.sub(r"\1", text)
    try:
        while pos < len(text):
            obj, end = decoder.raw_decode(text, pos)
            out.append(obj)
            pos = end
            while pos < len(text) and text[pos] in " \t\r\n;,":
                pos += 1
    except (ValueError, RecursionError):
        return None
    return out


def _flatten_ld(obj: Any, out: list[Any], depth: int = 0) -> None:
    if depth > 16:
        return
    if isinstance(obj, list):
        for item in obj:
            _flatten_ld(item, out, depth + 1)
    elif isinstance(obj, dict):
        graph = obj.get("@graph")
        if graph is None:
            out.append(obj)
            return
        _flatten_ld(graph, out, depth + 1)
        if any(k not in ("@context", "@graph") for k in obj):
            out.append({k: v for k, v in obj.items() if k != "@graph"})


_URL_PROPS: Final = frozenset({"a", "area", "link"})
_SRC_PROPS: Final = frozenset(
    {"img", "audio", "video", "source", "track", "iframe", "embed", "amp-img"}
)


def _microdata_value(el: Element) -> str:
    tag = el.tag
    get = el.get
    content = get("content")
    if tag == "meta" or content is not None:
        return (content or "").strip()
    if tag in _URL_PROPS:
        return (get("href") or "").strip()
    if tag in _SRC_PROPS:
        return (get("src") or get("data-src") or "").strip()
    if tag == "object":
        return (get("data") or "").strip()
    if tag in ("data", "meter"):
        return (get("value") or "").strip()
    if tag == "time" and get("datetime"):
        return (get("datetime") or "").strip()
    return _one_line("".join(el.itertext()))


def _microdata(root: Element) -> list[dict[str, Any]]:
    scopes = _XP_ITEMSCOPE(root)
    if not isinstance(scopes, list) or not scopes:
        return []
    items: dict[Element, dict[str, Any]] = {}
    for el in scopes:
        if isinstance(el, etree._Element):
            items[el] = {"type": (el.get("itemtype") or "").strip() or None, "props": {}}
    props = _XP_ITEMPROP(root)
    for el in props if isinstance(props, list) else ():
        if not isinstance(el, etree._Element):
            continue
        owner = el.getparent()
        hops = 0
        while owner is not None and owner not in items and hops < 64:
            owner = owner.getparent()
            hops += 1  # bounded: a pathological tree must not make this quadratic
        if owner is None or owner not in items:
            continue
        value: Any = items[el] if el in items else _microdata_value(el)
        bag: dict[str, list[Any]] = items[owner]["props"]
        for name in (el.get("itemprop") or "").split():
            bag.setdefault(name, []).append(value)
    return list(items.values())


# --- flattening re-parse for over-deep documents -----------------------------------

_VOID_TAGS = (
    "area base br col embed hr img input link meta source track wbr param keygen "
    "basefont bgsound frame"
)
_VOID: Final = frozenset(_VOID_TAGS.split())
_RAW_CONTAINERS: Final = frozenset(_SKIP_TAGS.split()) | {"textarea", "title", "xmp"}
_BREAKERS: Final = frozenset((_BLOCK_TAGS + " " + _LANDMARK_TAGS).split()) | {
    "h1",
    "button",
    "br",
    "hr",
}
_KEEP_BEYOND: Final = frozenset({"a", "button", "h1", "label"})
_TAG_NAME = re.compile(r"^[a-zA-Z][a-zA-Z0-9:_.-]*$")
_ATTR_NAME = re.compile(r"^[^\s\"'<>/=\x00-\x1f]+$")


def _escape(value: str, quote: bool = False) -> str:
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value.replace('"', "&quot;") if quote else value


class _Flattener(_StreamParser):
    """Re-emit markup with element nesting capped at ``cap``; deeper text is kept.

    Elements past the cap are not opened (block ones leave a ``<br>`` so their text
    stays apart); containers whose content must stay invisible (scripts, styles,
    templates, SVG) are still opened once so their content does not leak.
    """

    def __init__(self, cap: int) -> None:
        super().__init__(convert_charrefs=True)
        self.cap = cap
        self.out: list[str] = []
        self.stack: list[str] = []
        self.open: Counter[str] = Counter()
        # Kind of element opened past the cap -> stack size when it was opened.
        self.beyond: dict[str, int] = {}

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], close: bool) -> None:
        if not _TAG_NAME.match(tag):
            return
        text = "".join(
            f' {k}="{_escape(v, True)}"' if v is not None else f" {k}"
            for k, v in attrs
            if _ATTR_NAME.match(k)
        )
        if tag in _VOID or close:
            self.out.append(f"<{tag}{text}>")
            if tag not in _VOID:
                self.out.append(f"</{tag}>")
            return
        if len(self.stack) >= self.cap:
            # Past the cap, open only elements whose content must stay hidden and the
            # few that carry meaning (links, buttons), and each kind only once.
            if tag in _RAW_CONTAINERS:
                kind = "raw"
            elif tag in _KEEP_BEYOND:
                kind = tag
            else:
                kind = ""
            if not kind or self.beyond.get(kind):
                if tag in _BREAKERS:
                    self.out.append("<br>")
                return
            self.beyond[kind] = len(self.stack) + 1
        self.out.append(f"<{tag}{text}>")
        self.stack.append(tag)
        self.open[tag] += 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, True)

    def handle_endtag(self, tag: str) -> None:
        if self.open[tag] <= 0:
            if tag in _BREAKERS:
                self.out.append("<br>")
            return
        while self.stack:
            top = self.stack.pop()
            self.open[top] -= 1
            if top == tag:
                break
        if self.beyond:
            depth = len(self.stack)
            for kind in [k for k, v in self.beyond.items() if v > depth]:
                del self.beyond[kind]
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        raw = self.stack and self.stack[-1] in ("script", "style")
        self.out.append(data if raw else _escape(data))

    def handle_decl(self, decl: str) -> None:
        if decl.lower().startswith("doctype"):
            self.out.append(f"<!{decl}>")


def _flatten(markup: str, cap: int = _FLATTEN_DEPTH) -> str:
    flattener = _Flattener(cap)
    flattener.feed(markup)
    flattener.close()
    return "".join(flattener.out)


# --- parsing --------------------------------------------------------------------------


def _new_parser() -> etree.HTMLParser:
    # One parser per document: the error log lives on the parser.
    return etree.HTMLParser(
        encoding="utf-8",
        huge_tree=True,
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        recover=True,
    )


def _parse(data: bytes) -> tuple[Element | None, bool]:
    """Parse UTF-8 bytes; return the root (None if nothing) and whether depth was cut."""
    parser = _new_parser()
    try:
        root = etree.fromstring(data, parser)
    except (etree.LxmlError, ValueError):
        root = None
    too_deep = any(
        e.type_name == "ERR_RESOURCE_LIMIT" or "Excessive depth" in e.message
        for e in parser.error_log
    )
    return root, too_deep


def _empty_root() -> Element:
    return etree.fromstring(b"<html><body></body></html>", _new_parser())


_TRUNC_OPEN = re.compile(r"<(?:html|body)[\s>]", re.IGNORECASE)
_TRUNC_CLOSE = re.compile(r"</(?:html|body)\s*>", re.IGNORECASE)


# libxml2 compares each attribute of a start tag with all the earlier ones: 20,000
# attributes on one element take a second to parse, 100,000 more than a minute. No real
# page comes near this cap; a start tag over it is cut there before parsing.
_MAX_ATTRIBUTES: Final = 1000
# A start tag with that many attributes is longer than this: only such tags are counted.
# The bytes pattern pre-filters the common path (under 0.5 ms for 400 KB).
_LONG_TAG_BYTES = re.compile(rb"<[A-Za-z][^\s<>/]*\s[^<>]{2000}")
_LONG_TAG = re.compile(r"<[A-Za-z][^\s<>/]*\s[^<>]{2000,}")
_ATTRIBUTE = re.compile(r"""[^\s"'=<>/]+(?:\s*=\s*(?:"[^"]*"?|'[^']*'?|[^\s"'<>]*))?""")


def _cap_attributes(markup: str) -> str | None:
    """``markup`` with start tags cut after ``_MAX_ATTRIBUTES`` attributes; None if none is over."""
    cut_any = False

    def cut(m: re.Match[str]) -> str:
        nonlocal cut_any
        tag = m.group()
        for n, attr in enumerate(_ATTRIBUTE.finditer(tag, 1)):  # n == 0: the tag name
            if n > _MAX_ATTRIBUTES:
                cut_any = True
                return tag[: attr.start()]
        return tag

    capped = _LONG_TAG.sub(cut, markup)
    return capped if cut_any else None


def _looks_truncated(markup: str) -> bool:
    tail = markup[-2048:].rstrip()
    if not tail:
        return False
    if tail.rfind("<") > tail.rfind(">"):
        return True  # cut inside a tag
    return bool(_TRUNC_OPEN.search(markup[:8192])) and not _TRUNC_CLOSE.search(tail)


# --- the document ---------------------------------------------------------------------


@dataclass(eq=False, repr=False)
class PageDocument:
    """A page parsed once: visible text with offsets, regions, links, images, metadata.

    Build it with :meth:`from_bytes` (preferred: bytes as received),
    :meth:`from_str`, :meth:`from_soup` or :meth:`build`. Construction never raises
    on any input; problems are listed in :attr:`warnings`, and :attr:`readable` is
    False when there is nothing to assess (binary junk, no text at all).

    Attributes:
        url: the page URL, if known (None when the one given cannot be parsed).
        encoding: the codec the page was decoded with.
        sha256: hex SHA-256 of the input bytes (of the UTF-8 encoding for str input).
        html: the decoded markup.
        warnings: e.g. ``depth_flattened``, ``nul_bytes_removed``,
            ``encoding_guessed``, ``decoding_replaced``, ``binary_input``,
            ``empty_document``, ``truncated_document``, ``jsonld_invalid``,
            ``jsonld_nonfinite`` (a NaN or Infinity read as null), ``attributes_capped``
            (a start tag had over 1,000 attributes; the rest were dropped), ``url_invalid``
            (the page URL cannot be parsed; the page is read as if it had none),
            ``footer_by_script`` (the page has no footer text, only an empty footer
            placeholder or a script that fills one in: what a footer shows is not in
            the markup).
        root: the lxml root element (``lxml.etree._Element``, the ``<html>``).
        text: the visible text.
        blocks: runs of visible text between block boundaries, in order.
        links: visible ``<a href>`` links, in document order.
        images: visible pictures, in document order.
        title: the document title ("" when none).
        lang: the ``lang`` of ``<html>``, or None.
        meta: ``<meta>`` name/property/itemprop (lower-cased) to content; first wins.
        canonical: the canonical URL (absolute when resolvable), or None.
        h1: texts of visible ``<h1>`` elements.
        jsonld: objects of every JSON-LD block, top-level arrays and ``@graph`` flattened.
        microdata: one ``{"type": itemtype, "props": {name: [values]}}`` per
            ``itemscope`` element; a nested item appears as a value and on its own.
        buttons: (text, offset in :attr:`text` or None) of buttons, submit inputs and
            elements whose class names a button.
        forms: ``action`` attributes of all forms ("" when missing).
        base_url: the URL relative links resolve against, or None.
        class_counts: visible elements whose class names a ``price`` or a product
            ``card``.
        article_spans: (start, end) of the text of each ``<article>`` element.
    """

    url: str | None
    encoding: str
    sha256: str
    html: str
    warnings: list[str]
    root: Element
    text: str = ""
    blocks: list[TextBlock] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    title: str = ""
    lang: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    canonical: str | None = None
    h1: list[str] = field(default_factory=list)
    jsonld: list[Any] = field(default_factory=list)
    microdata: list[dict[str, Any]] = field(default_factory=list)
    buttons: list[tuple[str, int | None]] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)
    base_url: str | None = None
    class_counts: dict[str, int] = field(default_factory=dict)
    article_spans: list[tuple[int, int]] = field(default_factory=list)
    _seg_starts: list[int] = field(default_factory=list, repr=False)
    _seg_elems: list[Element] = field(default_factory=list, repr=False)
    _tail_segs: list[int] = field(default_factory=list, repr=False)
    _block_starts: list[int] = field(default_factory=list, repr=False)
    _selectors: dict[Element, str] = field(default_factory=dict, repr=False)
    _sibling_index: dict[Element, dict[Element, tuple[int, int]]] = field(
        default_factory=dict, repr=False
    )

    # -- constructors ----------------------------------------------------------------

    @classmethod
    def from_bytes(
        cls,
        data: bytes | bytearray | memoryview,
        *,
        url: str | None = None,
        content_type: str | None = None,
    ) -> PageDocument:
        """Build from the bytes of a response.

        Args:
            data: the body as received.
            url: the page URL (resolves relative links; guides the page kind); one
                that cannot be parsed is dropped with the warning ``url_invalid``.
            content_type: the Content-Type header value, for its charset.
        """
        raw = bytes(data)
        digest = hashlib.sha256(raw).hexdigest()
        decoded = decode_html(raw, content_type)
        warnings = list(decoded.warnings)
        if "binary_input" in warnings:
            return cls._build("", url, decoded.encoding, digest, warnings, None)
        utf8: bytes | None = None
        if decoded.encoding == "utf-8" and not warnings:
            # Valid UTF-8 as received: hand lxml the bytes, no re-encoding.
            utf8 = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
        return cls._build(decoded.text, url, decoded.encoding, digest, warnings, utf8)

    @classmethod
    def from_str(cls, html: str, *, url: str | None = None) -> PageDocument:
        """Build from already-decoded markup.

        Args:
            html: the markup.
            url: the page URL.
        """
        warnings: list[str] = []
        try:
            utf8 = html.encode("utf-8")
        except UnicodeEncodeError:
            # Lone surrogates: hash what we were given, parse a repaired copy.
            utf8 = html.encode("utf-8", "surrogatepass")
            html = utf8.decode("utf-8", "replace")
            warnings.append("decoding_replaced")
            digest = hashlib.sha256(utf8).hexdigest()
            utf8 = html.encode("utf-8")
        else:
            digest = hashlib.sha256(utf8).hexdigest()
        if "\x00" in html:
            html = html.replace("\x00", "")
            utf8 = html.encode("utf-8")
            warnings.append("nul_bytes_removed")
        return cls._build(html, url, "utf-8", digest, warnings, utf8)

    @classmethod
    def from_soup(cls, soup: BeautifulSoup, *, url: str | None = None) -> PageDocument:
        """Build from a BeautifulSoup object (serialised and parsed again with lxml).

        Args:
            soup: a ``BeautifulSoup`` document (any ``bs4`` Tag works).
            url: the page URL.
        """
        return cls.from_str(str(soup), url=url)

    @classmethod
    def build(
        cls, obj: object, *, url: str | None = None, content_type: str | None = None
    ) -> PageDocument:
        """Build from str, bytes, bytearray, memoryview or a BeautifulSoup object.

        Args:
            obj: the page.
            url: the page URL.
            content_type: the Content-Type header value (bytes input only).

        Raises:
            TypeError: for any other type.
        """
        if isinstance(obj, str):
            return cls.from_str(obj, url=url)
        if isinstance(obj, bytes | bytearray | memoryview):
            return cls.from_bytes(obj, url=url, content_type=content_type)
        bs4 = sys.modules.get("bs4")  # a soup exists only if bs4 was imported already
        if bs4 is not None and isinstance(obj, bs4.element.Tag):
            return cls.from_str(str(obj), url=url)
        raise TypeError(
            "PageDocument.build() takes str, bytes, bytearray, memoryview or a "
            f"BeautifulSoup object, not {type(obj).__name__}"
        )

    @classmethod
    def _build(
        cls,
        html: str,
        url: str | None,
        encoding: str,
        digest: str,
        warnings: list[str],
        utf8: bytes | None,
    ) -> PageDocument:
        if url is not None and not _parsable_url(url):
            # "http://[::1": every URL function raises on it; read as no URL at all.
            warnings.append("url_invalid")
            url = None
        root: Element | None = None
        if utf8 is not None:  # a byte search is a memchr, several times faster
            has_markers = b"\x01" in utf8 or b"\x02" in utf8
        else:
            has_markers = "\x01" in html or "\x02" in html
        if has_markers:
            # Control characters nobody reads; the text builder uses them as markers.
            html = html.replace("\x01", "").replace("\x02", "")
            utf8 = None
        if html and not html.isspace():
            long_tag = _LONG_TAG_BYTES.search(utf8) if utf8 is not None else _LONG_TAG.search(html)
            if long_tag is not None:
                capped = _cap_attributes(html)
                if capped is not None:
                    html, utf8 = capped, None
                    warnings.append("attributes_capped")
            data = utf8 if utf8 is not None else html.encode("utf-8", "replace")
            root, too_deep = _parse(data)
            if too_deep:
                warnings.append("depth_flattened")
                try:
                    flat_root, _ = _parse(_flatten(html).encode("utf-8", "replace"))
                except Exception:  # keep the cut tree rather than fail the page
                    flat_root = None
                if flat_root is not None:
                    root = flat_root
            if _looks_truncated(html):
                warnings.append("truncated_document")
        doc = cls(
            url, encoding, digest, html, warnings, root if root is not None else _empty_root()
        )
        doc._extract()
        if not doc.text and "empty_document" not in warnings:
            warnings.append("empty_document")
        elif _footer_by_script(doc):
            warnings.append("footer_by_script")
        return doc

    def __repr__(self) -> str:
        # The markup and text can be megabytes: show their size, not their content.
        return (
            f"PageDocument(url={self.url!r}, encoding={self.encoding!r}, "
            f"text={len(self.text)} chars, blocks={len(self.blocks)}, "
            f"links={len(self.links)}, images={len(self.images)}, warnings={self.warnings!r})"
        )

    # -- status ----------------------------------------------------------------------

    @property
    def readable(self) -> bool:
        """Whether there is text to assess (False for binary junk or no text at all)."""
        return bool(self.text) and "binary_input" not in self.warnings

    # -- extraction ------------------------------------------------------------------

    def _extract(self) -> None:
        # The walk allocates tens of thousands of small objects and creates no
        # reference cycles; pausing the cycle collector meanwhile saves 10-15%.
        with cycle_collector_paused():
            self._read_head()
            self._walk()
            # Always through the XPath: lxml lower-cases attribute names (JSX writes
            # itemScope, old hand-made pages ITEMSCOPE or ItemScope), and the XPath
            # costs less than looking for the spellings in the markup.
            self.microdata = _microdata(self.root)

    def _read_head(self) -> None:
        root = self.root
        lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
        self.lang = (lang.strip() or None) if lang else None
        base_href: str | None = None
        canonical: str | None = None
        title: str | None = None
        meta = self.meta
        for el in root.iter("meta", "link", "title", "base", "script", "form"):
            tag = el.tag
            if tag == "meta":
                content = el.get("content")
                if content is None:
                    continue
                for attr in ("name", "property", "itemprop"):
                    key = el.get(attr)
                    if key:
                        meta.setdefault(key.strip().lower(), content.strip())
            elif tag == "script":
                kind = (el.get("type") or "").split(";")[0].strip().lower()
                if kind == "application/ld+json":
                    self._add_jsonld(el.text or "")
            elif tag == "link":
                rel = (el.get("rel") or "").lower().split()
                if canonical is None and "canonical" in rel:
                    canonical = (el.get("href") or "").strip() or None
            elif tag == "title":
                if title is None and not _in_svg(el):
                    title = _one_line(el.text or "")
            elif tag == "base":
                if base_href is None and el.get("href"):
                    base_href = el.get("href")
            else:
                self.forms.append((el.get("action") or "").strip())
        self.title = title or ""
        base = self.url
        if base_href:
            base = _resolve(base, base_href) or base
        self.base_url = base
        self.canonical = (_resolve(base, canonical) or canonical) if canonical else None

    def _add_jsonld(self, raw: str) -> None:
        reader = _JsonReader()
        parsed = _load_json(raw, reader)
        if parsed is None:
            if "jsonld_invalid" not in self.warnings:
                self.warnings.append("jsonld_invalid")
            return
        if reader.nonfinite and "jsonld_nonfinite" not in self.warnings:
            self.warnings.append("jsonld_nonfinite")
        for obj in parsed:
            _flatten_ld(obj, self.jsonld)

    def _walk(self) -> None:
        root = self.root
        hidden = _hidden_elements(root, self.html)
        # Most pages draw no SVG text (icons are shapes): look for it only if some
        # "<text" tag is in the markup at all.
        svg_text = "<text" in self.html or "<TEXT" in self.html

        # Raw pieces: "\x01" marks the start of a text segment (glued to its first
        # word), "\x02" a block boundary; both are removed from the page beforehand.
        # Separating spaces are merged in bulk afterwards, cheaper than node by node.
        parts: list[str] = []
        put = parts.append
        seg_elems = self._seg_elems
        seg = seg_elems.append
        tail_segs = self._tail_segs
        runs: list[tuple[int, Element, Region]] = []
        links = self.links
        kinds_get = _KIND.get
        footer, header, nav = Region.FOOTER, Region.HEADER, Region.NAV

        run_first = -1  # segment index where the open run began, -1 when none
        run_owner: Element | None = None
        run_block: Element = root
        run_region = Region.OTHER
        block_el: Element = root
        region = Region.OTHER

        def brk() -> None:
            nonlocal run_first
            runs.append((run_first, run_owner if run_owner is not None else run_block, run_region))
            run_first = -1
            put("\x02")

        def piece(s: str, owner: Element, tail: bool = False) -> None:
            # The element's own text (or alt/value text standing in for it); with
            # ``tail``, the text after ``owner`` closes, which belongs to the parent
            # (see element_at). The walk loop below carries an inlined copy for text
            # and tail nodes (2-4% of the document's build): keep the two in step.
            nonlocal run_first, run_owner, run_block, run_region
            t = s.lstrip()
            if not t:
                put(" ")
                return
            u = t.rstrip()
            if len(u) > 200 and u[0] in "{[" and u[-1] in "}]" and '":' in u:
                put(" ")
                return  # a JSON blob printed into the page, not text
            n = len(seg_elems)
            if run_first < 0:
                run_first = n
                run_owner = None if tail else owner
                run_block = block_el
                run_region = region
            elif tail or owner is not run_owner:
                run_owner = None
            if tail:
                tail_segs.append(n)
            seg(owner)
            put(" \x01" if len(t) != len(s) else "\x01")
            # Newlines, tabs, runs of spaces, NBSP: rare enough to fix piece by piece.
            put(" ".join(u.split()) if "  " in u or not u.isprintable() else u)
            if len(u) != len(t):
                put(" ")

        flag_stack: list[int] = []
        push = flag_stack.append
        pop = flag_stack.pop
        block_stack: list[tuple[Element, Region]] = []
        links_open: list[_OpenLink] = []
        link_spans: list[tuple[int, int, int]] = []  # (link index, first seg, end seg)
        # Open button-like elements: (first segment, found count at start, element).
        btn_stack: list[tuple[int, int, Element]] = []
        found_buttons: list[tuple[int, int, Element]] = []  # (first seg, end seg, element)
        tag_spans: list[tuple[str, int, int]] = []  # (tag, first seg, end seg)
        span_open: list[tuple[str, int]] = []
        counts = [0, 0]  # price-like and card-like class names
        picture_srcs: list[str] = []

        walker = etree.iterwalk(root, events=("start", "end"))
        for event, el in walker:
            if event == "start":
                tag = el.tag
                flags = kinds_get(tag, 0)
                if hidden and el in hidden:
                    flags = _SKIP
                # Most of a link's descendants are no icon or source and unstyled.
                if (
                    links_open
                    and flags != _SKIP
                    and (tag == "i" or tag == "span" or tag == "source" or el.get("style"))
                ):
                    links_open[-1].visit(el, tag)
                if not flags:  # inline: the common case, straight to its text
                    pass
                elif flags & _BLOCK:
                    if run_first >= 0:
                        brk()
                    block_stack.append((block_el, region))
                    block_el = el
                    if flags & _LANDMARK:
                        marker = _REGION_TAGS.get(tag)
                        if (tag == "header" or tag == "footer") and _in_content_unit(el):
                            marker = None  # a post's or a card's own header/footer
                        role = el.get("role")
                        if role:
                            marker = _ROLES.get(role.strip().lower(), marker)
                        cls = el.get("class")
                        name: Region | None = None
                        if cls:
                            name, bits = _class_info(cls)
                            if bits:
                                if bits & _BUTTONISH:
                                    flags |= _BTN
                                    btn_stack.append((len(seg_elems), len(found_buttons), el))
                                if bits & _PRICEISH:
                                    counts[0] += 1
                                if bits & _CARDISH:
                                    counts[1] += 1
                        if marker is None and region is not footer:
                            # Class and id names: weaker than tags and roles.
                            if name is None:
                                ident = el.get("id")
                                if ident:
                                    name = _name_region(ident)
                            if name is not None and (region is not header or name is nav):
                                marker = name
                        if marker is not None:
                            region = marker
                    elif flags & _BUTTON:
                        flags |= _BTN
                        btn_stack.append((len(seg_elems), len(found_buttons), el))
                    if flags & _SPAN:
                        span_open.append((tag, len(seg_elems)))  # type: ignore[arg-type]
                elif flags & _SKIP:
                    if tag == "svg" and svg_text and not (hidden and el in hidden):
                        # Drawn text is read like any other (Wix and landing-page
                        # builders set footers in it); titles and shapes are not.
                        for t_el, words in _svg_texts(el):
                            if run_first >= 0:
                                brk()
                            piece(words, t_el)
                            brk()
                    walker.skip_subtree()
                    push(_SKIP)
                    continue
                elif flags & _CLS:  # span, label: may be styled as a button
                    cls = el.get("class")
                    if cls:
                        bits = _class_info(cls)[1]
                        if bits & _BUTTONISH:
                            flags |= _BTN
                            btn_stack.append((len(seg_elems), len(found_buttons), el))
                        if bits & _PRICEISH:
                            counts[0] += 1
                elif flags & _BR:
                    if run_first >= 0:
                        brk()
                elif flags & _A:
                    href = el.get("href")
                    cls = el.get("class")
                    if href is not None:
                        links_open.append(_OpenLink(len(links), len(seg_elems), el.get("style")))
                        links.append(
                            Link(
                                href,
                                None,
                                "",
                                el.get("title"),
                                el.get("aria-label"),
                                tuple(cls.split()) if cls else (),
                                (),
                                (),
                                (),
                                el,
                                region,
                            )
                        )
                    else:
                        flags = 0
                    if cls and _class_info(cls)[1] & _BUTTONISH:
                        flags |= _BTN
                        btn_stack.append((len(seg_elems), len(found_buttons), el))
                elif flags & _IMG:
                    words = self._image(el, region, links_open, picture_srcs)
                    if words:
                        put(" ")
                        piece(words, el)
                        put(" ")
                elif flags & _INPUT:
                    kind = (el.get("type") or "").strip().lower()
                    if kind in ("submit", "button"):
                        value = el.get("value") or ""
                        if run_first >= 0:
                            brk()
                        found_buttons.append((len(seg_elems), -1, el))
                        if value.strip():
                            piece(value, el)
                            brk()
                    elif kind == "image":
                        words = _alt_words(el.get("alt"))
                        if words:
                            put(" ")
                            piece(words, el)
                            put(" ")
                elif flags & _SOURCE:
                    first = _first_srcset(el.get("srcset") or el.get("data-srcset"))
                    if first:
                        picture_srcs.append(first)
                elif flags & _PICTURE:
                    picture_srcs.clear()
                push(flags)
                s = el.text
                tail = False
            else:
                flags = pop()
                if flags and flags != _SKIP:
                    if flags & _ENDS:
                        if flags & _BTN:
                            seg0, count, btn = btn_stack.pop()
                            if len(found_buttons) == count:  # innermost button-like only
                                found_buttons.append((seg0, len(seg_elems), btn))
                        if flags & _A:
                            open_link = links_open.pop()
                            if len(seg_elems) > open_link.first:
                                link_spans.append(
                                    (open_link.index, open_link.first, len(seg_elems))
                                )
                            open_link.finish(links[open_link.index])
                        if flags & _SPAN:
                            span_tag, seg0 = span_open.pop()
                            if len(seg_elems) > seg0:
                                tag_spans.append((span_tag, seg0, len(seg_elems)))
                        if flags & _PICTURE:
                            picture_srcs.clear()
                    if flags & _BLOCK:
                        if run_first >= 0:
                            brk()
                        block_el, region = block_stack.pop()
                s = el.tail
                tail = True
            # piece(s, el, tail), inlined: it runs for nearly every text node.
            # Keep in step with piece() above.
            if not s:
                continue
            t = s.lstrip()
            if not t:
                put(" ")
                continue
            u = t.rstrip()
            if len(u) > 200 and u[0] in "{[" and u[-1] in "}]" and '":' in u:
                put(" ")
                continue  # a JSON blob printed into the page, not text
            n = len(seg_elems)
            if run_first < 0:
                run_first = n
                run_owner = None if tail else el
                run_block = block_el
                run_region = region
            elif tail or el is not run_owner:
                run_owner = None
            if tail:
                tail_segs.append(n)
            seg(el)
            put(" \x01" if len(t) != len(s) else "\x01")
            put(" ".join(u.split()) if "  " in u or not u.isprintable() else u)
            if len(u) != len(t):
                put(" ")
        if run_first >= 0:
            brk()
        self.class_counts = {"price": counts[0], "card": counts[1]}
        self._finish_text(parts, runs, link_spans, tag_spans, found_buttons)

    def _image(
        self,
        el: Element,
        region: Region,
        links_open: list[_OpenLink],
        picture_srcs: list[str],
    ) -> str:
        """Record an image; return its alt (or title) text when it reads as words."""
        srcs, alt, title, cls = _img_attrs(el)
        if picture_srcs:
            srcs.extend(u for u in picture_srcs if u not in srcs)
        link_index: int | None = None
        if links_open:
            open_link = links_open[-1]
            link_index = open_link.index
            open_link.add_image(srcs, alt, title)
        self.images.append(
            Image(
                srcs[0] if srcs else "",
                alt,
                title,
                tuple(cls.split()) if cls else (),
                el,
                region,
                link_index,
                tuple(srcs),
            )
        )
        return _alt_words(alt) or (_alt_words(title) if title else "")

    def _finish_text(
        self,
        parts: list[str],
        runs: list[tuple[int, Element, Region]],
        link_spans: list[tuple[int, int, int]],
        tag_spans: list[tuple[str, int, int]],
        found_buttons: list[tuple[int, int, Element]],
    ) -> None:
        """Collapse whitespace in bulk and turn segment indexes into offsets."""
        flat = "".join(parts)
        while "  " in flat:  # spaces between segments: at most a few passes
            flat = flat.replace("  ", " ")
        lines = filter(None, map(str.strip, flat.split("\x02")))
        pieces = "\n".join(lines).split("\x01")
        pieces[0] = ""  # nothing visible comes before the first segment
        starts = list(accumulate(map(len, pieces)))
        text = "".join(pieces)
        n = len(self._seg_elems)
        if len(starts) - 1 != n:  # cannot happen: markers are stripped from the page
            del self._seg_elems[len(starts) - 1 :]
            n = len(self._seg_elems)
        del starts[n:]
        self.text = text
        self._seg_starts = starts

        # Exactly one "\n" separates two runs, so a run ends where the next one starts.
        ends = [starts[r[0]] - 1 for r in runs[1:]]
        if runs:
            ends.append(len(text))
        self.blocks = [
            TextBlock(starts[first], end, element, region)
            for (first, element, region), end in zip(runs, ends, strict=True)
            if first < n
        ]
        self._block_starts = [b.start for b in self.blocks]

        def seg_end(i: int) -> int:
            return starts[i] + len(pieces[i + 1].rstrip())

        links = self.links
        for index, first, stop in link_spans:
            link = links[index]
            link.start = starts[first]
            link.end = seg_end(stop - 1)
            link.text = text[link.start : link.end].replace("\n", " ")
        base = self.base_url
        root = _root_of(base)
        resolved: dict[str, str | None] = {}  # pages repeat hrefs ("#", a card's two links)
        for link in links:
            href = link.href
            if href in resolved:
                link.url = resolved[href]
            else:
                link.url = resolved[href] = _resolve(base, href, root)
        for tag, a, b in tag_spans:
            start, end = starts[a], seg_end(b - 1)
            if tag == "h1":
                self.h1.append(text[start:end].replace("\n", " "))
            else:
                self.article_spans.append((start, end))
        buttons: list[tuple[str, int | None]] = []
        for first, stop, el in sorted(found_buttons, key=itemgetter(0)):
            if stop < 0:  # a submit input
                value = _one_line(el.get("value") or "")
                if value and first < n and self._seg_elems[first] is el:
                    buttons.append((value, starts[first]))
                    continue
                value = value or _one_line(el.get("aria-label") or el.get("title") or "")
                if value:
                    buttons.append((value, None))
            elif stop > first:
                end = seg_end(stop - 1)
                buttons.append((text[starts[first] : end].replace("\n", " "), starts[first]))
            else:
                label = _one_line(el.get("aria-label") or el.get("title") or el.get("value") or "")
                if label:
                    buttons.append((label, None))
        self.buttons = buttons

    # -- offsets -------------------------------------------------------------------

    def element_at(self, offset: int) -> Element | None:
        """Return the element whose own text holds ``offset`` (an img for alt text).

        For text that follows a child element (its ``tail``), that is the parent.
        Between two text runs, the element of the preceding run is returned.
        """
        if offset < 0 or offset > len(self.text) or not self._seg_starts:
            return None
        i = max(bisect.bisect_right(self._seg_starts, offset) - 1, 0)
        element = self._seg_elems[i]
        if i in self._tail_set:
            parent = element.getparent()
            return parent if parent is not None else element
        return element

    @cached_property
    def _tail_set(self) -> frozenset[int]:
        return frozenset(self._tail_segs)

    def block_at(self, offset: int) -> TextBlock | None:
        """Return the text block holding ``offset`` (or the one before a separator)."""
        if offset < 0 or offset > len(self.text) or not self.blocks:
            return None
        i = bisect.bisect_right(self._block_starts, offset) - 1
        return self.blocks[max(i, 0)]

    def region_at(self, offset: int) -> Region:
        """Return the region of the page the text at ``offset`` sits in."""
        block = self.block_at(offset)
        return block.region if block is not None else Region.OTHER

    def selector(self, element: Element) -> str:
        """Return a CSS selector a person can use to find ``element``.

        The path climbs to the nearest ancestor with a unique id, or to a landmark
        tag that occurs once (``footer``, ``main``, …), or to ``body``; each step is
        the tag, at most its first class, and ``:nth-of-type`` when siblings share
        the tag. Computed on demand and cached.
        """
        cached = self._selectors.get(element)
        if cached is not None:
            return cached
        steps: list[str] = []
        node: Element | None = element
        while node is not None:
            tag = node.tag
            if not isinstance(tag, str):
                node = node.getparent()
                continue
            if tag in ("html", "body"):
                steps.append(tag)
                break
            ident = node.get("id")
            if ident and self._unique_id(ident):
                if _CSS_IDENT.match(ident):
                    steps.append(f"{tag}#{ident}")
                else:
                    escaped = ident.replace("\\", "\\\\").replace('"', '\\"')
                    steps.append(f'{tag}[id="{escaped}"]')
                break
            if tag in _REGION_TAGS and self._unique_tag(tag):
                steps.append(tag)
                break
            step = tag
            cls = node.get("class")
            if cls:
                first = cls.split()[0] if cls.split() else ""
                if first and _CSS_IDENT.match(first):
                    step += "." + first
            parent = node.getparent()
            if parent is not None:
                nth, same = self._nth_of_type(parent, node)
                if same > 1:
                    step += f":nth-of-type({nth})"
            steps.append(step)
            node = parent
        result = " > ".join(reversed(steps))
        self._selectors[element] = result
        return result

    def _nth_of_type(self, parent: Element, node: Element) -> tuple[int, int]:
        """Position of ``node`` among its parent's children of the same tag, and their count.

        Indexed once per parent, so selectors for every card of a 7,500-card grid stay
        linear rather than counting preceding siblings each time.
        """
        index = self._sibling_index.get(parent)
        if not index:
            if index is None and _is_big(parent):
                # The first selector under a big parent (most pages build one, for
                # evidence) counts in libxml2 without an element proxy per child; an
                # empty index marks the parent so that a second selector indexes it.
                counted = _count_of_type(node)
                if counted is not None:
                    self._sibling_index[parent] = {}
                    return counted
            index = {}
            counts: dict[object, int] = {}
            for child in parent:
                n = counts.get(child.tag, 0) + 1
                counts[child.tag] = n
                index[child] = (n, 0)
            index = {c: (n, counts[c.tag]) for c, (n, _) in index.items()}
            self._sibling_index[parent] = index
        return index.get(node, (1, 1))

    @cached_property
    def _id_counts(self) -> Counter[str]:
        found = _XP_IDS(self.root)
        return Counter(str(v) for v in found) if isinstance(found, list) else Counter()

    def _unique_id(self, ident: str) -> bool:
        return self._id_counts.get(ident, 0) == 1

    @cached_property
    def _tag_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for el in self.root.iter(*_REGION_TAGS):
            tag = str(el.tag)
            counts[tag] = counts.get(tag, 0) + 1
        return counts

    def _unique_tag(self, tag: str) -> bool:
        return self._tag_counts.get(tag, 0) == 1

    def selector_at(self, offset: int) -> str | None:
        """Return the selector of the element at ``offset``, or None."""
        element = self.element_at(offset)
        return self.selector(element) if element is not None else None

    def snippet(self, start: int, end: int, pad: int = 60) -> str:
        """Return the visible text around ``[start, end)`` on one line.

        Args:
            start: start offset in :attr:`text`.
            end: end offset in :attr:`text`.
            pad: characters of context on each side; "…" marks a cut.
        """
        text = self.text
        start = max(0, min(start, len(text)))
        end = max(start, min(end, len(text)))
        lo = max(0, start - pad)
        hi = min(len(text), end + pad)
        window = text[lo:hi].replace("\n", " ")
        return ("…" if lo > 0 else "") + window + ("…" if hi < len(text) else "")

    # -- derived facts (lazy) --------------------------------------------------------

    @cached_property
    def normalized(self) -> NormalizedText:
        """The normalised visible text, with offsets back into :attr:`text`."""
        # Imported on first use: building a page does not need the text package.
        from ecomcheck.text.normalize import normalize

        return normalize(self.text)

    @cached_property
    def commerce(self) -> CommerceSignals:
        """Shopping signals of the page (buttons, cart, prices, product data)."""
        from ecomcheck.extract.pagekind import commerce_signals

        return commerce_signals(self)

    @cached_property
    def page_kind(self) -> PageKind:
        """What kind of page this is (home, product, listing, article, policy, other)."""
        from ecomcheck.extract.pagekind import classify

        return classify(self)


_BIG_PARENT = 64  # below this, indexing the parent costs less than an XPath call


def _is_big(parent: Element) -> bool:
    """More than ``_BIG_PARENT`` children; ``len`` would walk all of a grid's."""
    try:
        parent[_BIG_PARENT]
    except IndexError:
        return False
    return True


_XPATH_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


def _count_of_type(node: Element) -> tuple[int, int] | None:
    """``_nth_of_type`` for one node, counted by libxml2; None for a tag XPath can't name."""
    tag = node.tag
    if not isinstance(tag, str) or _XPATH_NAME.fullmatch(tag) is None:
        return None
    before, after = str(_siblings_of_type(tag)(node)).split()
    return int(before) + 1, int(before) + int(after) + 1


@lru_cache(maxsize=256)
def _siblings_of_type(tag: str) -> etree.XPath:
    return etree.XPath(
        f"concat(count(preceding-sibling::{tag}), ' ', count(following-sibling::{tag}))"
    )


@contextlib.contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector, unless it is already paused, for a block of work.

    Building a document, and checking it, allocate tens of thousands of small objects
    that reference counting frees; letting the collector walk them as they pile up
    is wasted time. Whatever cycles are left are collected once it runs again.
    """
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


# SVG containers whose content is not drawn where it stands.
_SVG_UNDRAWN: Final = frozenset(
    {"defs", "symbol", "mask", "clippath", "pattern", "title", "desc", "metadata", "marker"}
)


def _svg_texts(svg: Element) -> list[tuple[Element, str]]:
    """The ``<text>`` elements an ``<svg>`` draws, each with its words."""
    out: list[tuple[Element, str]] = []
    for t in svg.iter("text"):
        words = " ".join("".join(t.itertext()).split())
        if not words:
            continue
        anc = t.getparent()
        drawn = True
        while anc is not None and anc is not svg:
            if isinstance(anc.tag, str) and anc.tag.lower() in _SVG_UNDRAWN:
                drawn = False
                break
            anc = anc.getparent()
        if drawn:
            out.append((t, words))
    return out


def _in_svg(el: Element) -> bool:
    return any(a.tag == "svg" for a in el.iterancestors())


_URL_JUNK = re.compile(r"[\t\n\r]")


def _parsable_url(url: str) -> bool:
    """Whether ``urlsplit`` and its ``port`` accept ``url`` (a broken IPv6 host or port)."""
    try:
        _ = urlsplit(url).port
    except ValueError:
        return False
    return True


def _root_of(base: str | None) -> str | None:
    """``scheme://host`` of an http(s) base URL, for :func:`_resolve`'s fast path."""
    if not base:
        return None
    try:
        parts = urlsplit(base)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


# A scheme other than http(s), whose URLs keep their backslashes.
_OTHER_SCHEME = re.compile(r"(?!https?:)[a-zA-Z][a-zA-Z0-9+.\-]*:")


def _resolve(base: str | None, href: str, root: str | None = None) -> str | None:
    """Resolve ``href`` against ``base`` like a browser would; None if impossible.

    ``root`` is ``_root_of(base)``: given it, root-relative paths skip ``urljoin``.
    """
    value = href.strip(" \t\n\r\f")
    if "\t" in value or "\n" in value or "\r" in value:
        value = _URL_JUNK.sub("", value)
    if "\\" in value and not _OTHER_SCHEME.match(value):
        # Browsers read "\" as "/" before the query of web URLs (http:\\host\path).
        end = min((i for i in (value.find("?"), value.find("#")) if i >= 0), default=len(value))
        value = value[:end].replace("\\", "/") + value[end:]
    if (
        root is not None
        and value[:1] == "/"
        and value[1:2] != "/"
        and "/." not in value
        and ";" not in value
    ):
        # What urljoin gives a "/path?query#fragment" without dot segments or
        # ";params": the base's scheme and host, the path as is, and the query and
        # fragment each only when non-empty (it drops a bare "?" or "#").
        if "?" not in value and "#" not in value:
            return root + value
        rest, _, fragment = value.partition("#")
        path, _, query = rest.partition("?")
        url = root + path
        if query:
            url += "?" + query
        return url + "#" + fragment if fragment else url
    try:
        if _SCHEME.match(value):
            if "[" in value:
                urlsplit(value)  # raises on a broken IPv6 host
            return value
        if not base:
            return None
        return urljoin(base, value)
    except ValueError:
        return None
