"""The e-commerce notification badge: record links, badge pictures and text claims.

Recognition keys on the link, not the picture: real badges are renamed, hashed,
inlined as base64, drawn by icon fonts or CSS backgrounds. A picture or a sentence
that claims the badge without a link to a registry record is a problem of its own.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from ecomcheck.text.normalize import fold

if TYPE_CHECKING:
    from ecomcheck.extract.document import Link, PageDocument

PORTAL_HOSTS = frozenset({"online.gov.vn", "www.online.gov.vn"})

# Record pages of the registry: new WebDetails/AppDetails and the legacy ASP.NET form.
_RECORD = re.compile(
    r"^/(?:home/(webdetails|appdetails)/(\d+)|(?:homepage/)?customwebsitedisplay\.aspx)",
)
_DOCID = re.compile(r"(?:^|[?&])docid=(\d+)")

# Picture / class / label signals of a badge (matched on folded, lower-cased text).
_VISUAL = re.compile(
    r"logosalenoti|logoccdv|da[-_ ]?thong[-_ ]?bao|da[-_ ]?dang[-_ ]?ky|"
    r"bo[-_ ]?cong[-_ ]?thuong|congthuong|(?:^|[^a-z])bct(?:[^a-z]|$)|gov-link|"
    r"dangkywebsitevoibocongthuong"
)


def _looks_like_badge(signals: str) -> bool:
    # Every _VISUAL match contains one of these words; substring tests are several
    # times cheaper than the regex search, which then runs on few links.
    return (
        "logo" in signals
        or "thong" in signals
        or "dang" in signals
        or "cong" in signals
        or "bct" in signals
        or "gov-link" in signals
    ) and _VISUAL.search(signals) is not None


# A sentence claiming the notification (folded text): "đã thông báo/đăng ký (với) Bộ Công Thương".
_CLAIM = re.compile(
    r"(?:da|dang thuc hien thu tuc)\s+(?:khai bao\s*(?:&|va)\s*)?(?:thong bao|dang ky)"
    r"(?:\s+(?:voi|len|tai))?\s+bo\s+cong\s+thuong"
)

Color = Literal["blue", "red"]

# The host of an absolute URL, without the cost of urlsplit on every link of a page.
_HOST = re.compile(r"(?i)^(?:https?:)?//(?:[^@/?#]*@)?([^:/?#]+)")


@dataclass(frozen=True)
class BadgeLink:
    """A link to a record of the notification registry."""

    kind: Literal["web", "app", "legacy"]
    record_id: str
    href: str
    link_index: int
    color: Color | None
    # Hidden by an inline style on the link or an ancestor (display:none,
    # visibility:hidden): present in the markup, not shown to a buyer.
    hidden: bool = False


@dataclass(frozen=True)
class BadgeProblem:
    """A badge that cannot be verified.

    ``kind`` is one of ``image_unlinked`` (a badge picture with no link),
    ``dead_link`` (``#``, ``javascript:``, empty, or the shop's own page),
    ``bare_portal`` (the registry's home or news page, not a record),
    ``no_scheme`` (a record address without ``http://``, which browsers resolve on
    the shop's own site),
    ``lookalike_host`` (a host imitating the registry), ``other_target`` (a badge
    linking somewhere else), ``text_claim`` (a sentence with no badge link).
    """

    kind: str
    href: str | None
    start: int | None
    end: int | None
    element: object | None
    detail: str = ""


@dataclass(frozen=True)
class BadgeFacts:
    """Everything the notification rules need."""

    links: list[BadgeLink] = field(default_factory=list)
    problems: list[BadgeProblem] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        """Whether at least one link points at a registry record."""
        return bool(self.links)


def parse_record_url(url: str) -> tuple[Literal["web", "app", "legacy"], str] | None:
    """Return (kind, record id) when a URL is a registry record link."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https", "") or (parts.hostname or "") not in PORTAL_HOSTS:
        return None
    path = parts.path.lower()
    m = _RECORD.match(path)
    if not m:
        return None
    if m.group(1):
        return ("web" if m.group(1) == "webdetails" else "app", m.group(2))
    doc = _DOCID.search(parts.query.lower())
    return ("legacy", doc.group(1)) if doc else None


@functools.lru_cache(maxsize=4096)
def is_lookalike_host(host: str) -> bool:
    """Tell whether a host imitates the registry host without being it."""
    host = host.lower().rstrip(".")
    if host in PORTAL_HOSTS or not host:
        return False
    squashed = re.sub(r"[^a-z0-9]", "", host.replace("xn--", ""))
    if "onlinegov" in squashed:
        return True
    bare = host.removeprefix("www.")
    # Edit distance only for hosts of about the right length (pages link hundreds of hosts).
    return abs(len(bare) - 13) <= 2 and _distance(bare, "online.gov.vn") <= 2


def _distance(a: str, b: str) -> int:
    # Small Levenshtein; hosts are short.
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _color(signals: str) -> Color | None:
    if "logoccdv" in signals or re.search(r"da[-_ ]?dang[-_ ]?ky|dadangky", signals):
        return "red"
    if "logosalenoti" in signals or re.search(r"da[-_ ]?thong[-_ ]?bao|dathongbao", signals):
        return "blue"
    return None


def _link_signals(link: Link) -> str:
    parts = [
        link.text,
        link.title or "",
        link.aria_label or "",
        " ".join(link.classes),
        " ".join(link.img_srcs),
        " ".join(link.img_alts),
        " ".join(link.icon_classes),
    ]
    return fold(" ".join(parts).lower())


def _is_dead(href: str, page_url: str | None, target: str | None) -> bool:
    h = href.strip().lower()
    if h in ("", "#", "/") or h.startswith(("javascript:", "#")):
        return True
    if page_url and target:
        try:
            b = urlsplit(target)
        except ValueError:
            return True  # a link no browser can follow leads nowhere
        try:
            a = urlsplit(page_url)
        except ValueError:
            return False  # a broken page URL says nothing about the link
        if a.hostname == b.hostname and b.path in ("", "/") and not b.query:
            return True
    return False


# A registry address typed without "http://" or "//".
_NO_SCHEME = re.compile(r"(?i)(?:www\.)?online\.gov\.vn/")

# A record URL a script opens: <a href="javascript:void(0)" onclick="window.open('…')">.
_SCRIPTED_URL = re.compile(r"(?i)(?:https?:)?//(?:www\.)?online\.gov\.vn/[^\s'\"<>()\\]+")
_SCRIPT_ATTRS = ("onclick", "data-href", "data-url", "data-link")


def _scripted_target(element: object) -> str | None:
    """The registry URL a dead-looking link opens by script or data attribute.

    Browsers follow it when the badge is clicked, so the record is as reachable as
    through ``href``.
    """
    get = getattr(element, "get", None)
    if get is None:
        return None
    for attr in _SCRIPT_ATTRS:
        value = get(attr)
        if value and "online.gov.vn" in value.lower():
            m = _SCRIPTED_URL.search(value)
            if m is not None:
                return m.group()
    return None


_HIDING_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|opacity\s*:\s*0(?:\.0*)?\s*(?:;|!|$)",
    re.IGNORECASE,
)
# Classes that hide on every screen in the common frameworks (Bootstrap, Tailwind,
# Foundation, WordPress themes). "d-none"/"hidden" are often undone per screen size
# ("d-none d-md-block", "hidden lg:flex"), so they count only without such a class.
_ALWAYS_HIDDEN_CLASSES = frozenset(
    {"sr-only", "visually-hidden", "screen-reader-text", "invisible", "show-for-sr"}
)
_HIDDEN_CLASSES = frozenset({"d-none", "hidden", "hide", "is-hidden"})
_SHOWN_AGAIN = re.compile(r"^(?:d-\w+-(?!none)\w+|\w+:(?!hidden)\S+|visible-\S+|show-for-\S+)$")


def _hides(el: Any) -> bool:
    get = getattr(el, "get", None)
    if get is None:
        return False
    style = get("style")
    if style and _HIDING_STYLE.search(style):
        return True
    classes = (get("class") or "").split()
    if not classes:
        return False
    names = {c.lower() for c in classes}
    if names & _ALWAYS_HIDDEN_CLASSES:
        return True
    return bool(names & _HIDDEN_CLASSES) and not any(_SHOWN_AGAIN.match(c) for c in names)


def _hidden(element: object) -> bool:
    """Whether the element or an ancestor of it is hidden from a buyer's view.

    Read from the markup alone: an inline style (``display:none``,
    ``visibility:hidden``, ``opacity:0``) or a framework class that hides on every
    screen size (``sr-only``, ``d-none`` without a ``d-md-block``). A rule in the
    site's own stylesheet is not seen. (Content under the ``hidden`` attribute is
    not in the document at all.) Badge links are few, so walking up from each costs
    nothing.
    """
    el: Any = element
    while el is not None:
        if _hides(el):
            return True
        el = el.getparent() if hasattr(el, "getparent") else None
    return False


def extract_badges(doc: PageDocument) -> BadgeFacts:
    """Find badge links, unverifiable badge pictures and text-only claims on a page."""
    links: list[BadgeLink] = []
    problems: list[BadgeProblem] = []
    badge_link_idx: set[int] = set()
    for i, link in enumerate(doc.links):
        target = link.url or link.href
        if _is_dead(link.href, None, None):
            target = _scripted_target(link.element) or target
        m = _HOST.match(target) if target else None
        host = m.group(1).lower() if m else ""
        rec = parse_record_url(target) if host in PORTAL_HOSTS else None
        if rec is not None:
            color = _color(_link_signals(link))
            links.append(BadgeLink(rec[0], rec[1], target, i, color, _hidden(link.element)))
            badge_link_idx.add(i)
            continue
        signals = _link_signals(link)
        looks_like_badge = _looks_like_badge(signals)
        if _NO_SCHEME.match(link.href.strip()) and parse_record_url("http://" + link.href.strip()):
            # href="online.gov.vn/Home/WebDetails/N": a relative path, which the browser
            # resolves on the shop's own site, so the record never opens.
            kind, detail = "no_scheme", link.href.strip()
        elif host and is_lookalike_host(host):
            kind, detail = "lookalike_host", host
        elif host in PORTAL_HOSTS:
            kind, detail = "bare_portal", target
        elif not looks_like_badge:
            continue
        elif _is_dead(link.href, doc.url, link.url):
            kind, detail = "dead_link", link.href
        else:
            kind, detail = "other_target", target
        badge_link_idx.add(i)
        problems.append(BadgeProblem(kind, link.href, link.start, link.end, link.element, detail))
    for img in doc.images:
        if img.link is not None:
            continue
        signals = fold(" ".join((img.src, img.alt, img.title, " ".join(img.classes))).lower())
        if _looks_like_badge(signals):
            problems.append(BadgeProblem("image_unlinked", None, None, None, img.element, img.src))
    claim_problems = _text_claims(doc, badge_link_idx)
    if not links:
        problems.extend(claim_problems)
    return BadgeFacts(links=links, problems=problems)


# "bộ công thương" with or without diacritics, on normalised (lower-case) text.
_MINISTRY = re.compile(r"b[oộ] c[oô]ng th[uư][oơ]ng")


def _claims(text: str) -> list[tuple[int, int]]:
    """Spans of claim sentences in normalised text, folding only short windows."""
    out: list[tuple[int, int]] = []
    for m in _MINISTRY.finditer(text):
        lo = max(0, m.start() - 60)
        window = fold(text[lo : m.end()])
        for c in _CLAIM.finditer(window):
            if c.end() == len(window):
                out.append((lo + c.start(), m.end()))
    return out


def _text_claims(doc: PageDocument, badge_links: set[int]) -> list[BadgeProblem]:
    nt = doc.normalized
    spans = [(doc.links[i].start, doc.links[i].end) for i in badge_links]
    out: list[BadgeProblem] = []
    for cstart, cend in _claims(nt.text):
        start, end = nt.to_original(cstart, cend)
        if any(s is not None and e is not None and s <= start < e for s, e in spans):
            continue
        el = doc.element_at(start)
        if el is not None and getattr(el, "tag", "") in ("img", "amp-img"):
            continue  # the alt text of an unlinked picture, reported as image_unlinked
        out.append(BadgeProblem("text_claim", None, start, end, el, doc.text[start:end]))
    return out
