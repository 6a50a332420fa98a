"""Whole-site checks: crawl a shop the way a person judges it, fuse facts across pages.

``check_site(url)`` fetches the home page, then the pages a person reads to judge a
shop (footer and menu links to about, contact and policy pages) and a bounded
sample of category and product pages, all on the same registrable domain, politely
(see :mod:`ecomcheck.fetch`). Each page is checked with the page rules; findings
about goods, origin and prices stay with their page.

Identity, contact, notification-badge and policy rules are then run once, on a
:class:`SiteSubject` that exposes the facts of all pages together with the same
properties as a :class:`~ecomcheck.subject.PageSubject`. Its text is the pages'
texts laid end to end, so every fact keeps an offset that names its page; evidence
is built by that page and carries its URL and archive record. A policy counts when
a page shows a section about it, or when a link to it leads to a fetched page that
is about it; a link to a missing page does not count.

``check_archive(path)`` replays a saved WARC archive offline with the same code and
reproduces the findings of the live run.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
import heapq
import re
import sys
import time
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast
from urllib.parse import unquote, urlsplit

from ecomcheck import __version__
from ecomcheck.config import Config
from ecomcheck.fetch import CrawlLimits, Fetcher, FetchRecord, canonical_url, same_site
from ecomcheck.models import (
    Category,
    CrawlInfo,
    Evidence,
    FetchInfo,
    Finding,
    PolicyCheck,
    RedirectHop,
    Report,
    RuleRun,
    RunStatus,
    SiteFact,
    SiteReport,
    SkippedUrl,
    Subject,
    summarize,
)
from ecomcheck.render.messages import render_reason as _render_reason
from ecomcheck.subject import PageSubject, Resources, compile_resources

if TYPE_CHECKING:
    from ecomcheck.archive import ArchiveWriter
    from ecomcheck.engine import Checker
    from ecomcheck.extract.badge import BadgeFacts
    from ecomcheck.extract.contacts import ContactFacts
    from ecomcheck.extract.document import Link, PageDocument
    from ecomcheck.extract.identity import IdentityFacts
    from ecomcheck.extract.pagekind import CommerceSignals, PageKind
    from ecomcheck.extract.policy import PolicyMention
    from ecomcheck.rules.policy import PolicyLinkProblem

__all__ = [
    "SITE_CATEGORIES",
    "CrawlProgress",
    "SiteSubject",
    "StderrProgress",
    "check_archive",
    "check_site",
    "classify_link",
    "finalize_site",
    "rerender_site",
]

#: Categories judged on the whole site; the others stay with their page.
SITE_CATEGORIES = (
    Category.BUSINESS_REGISTRATION,
    Category.CONTACT,
    Category.MOIT_NOTIFICATION,
    Category.POLICY,
)
_INFO_ROLES = frozenset({"home", "about", "contact", "policy"})
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_SNIFF_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})
# Facts of product and category pages count only in the site's chrome: a brand's
# company name in a product description is not the shop's identity.
_CHROME_REGIONS = frozenset({"footer", "header", "nav", "aside"})


# --- crawl vocabulary -------------------------------------------------------------------


@dataclass(frozen=True)
class _Vocabulary:
    labels: dict[str, re.Pattern[str]]
    slugs: dict[str, tuple[str, ...]]
    skip_segments: frozenset[str]
    skip_query_keys: frozenset[str]
    skip_extensions: tuple[str, ...]


@functools.cache
def _vocabulary() -> _Vocabulary:
    from ecomcheck.text.normalize import fold, normalize_term

    raw = resources.files("ecomcheck.data").joinpath("crawl.toml").read_bytes()
    data = tomllib.loads(raw.decode("utf-8"))
    labels: dict[str, re.Pattern[str]] = {}
    slugs: dict[str, tuple[str, ...]] = {}
    for role, spec in data["link"].items():
        terms = {normalize_term(str(x)) for x in spec["labels"]}
        terms |= {fold(x) for x in terms}
        alt = "|".join(re.escape(x) for x in sorted(terms, key=len, reverse=True))
        labels[role] = re.compile(rf"(?<!\w)(?:{alt})(?!\w)")
        slugs[role] = tuple(str(x) for x in spec["slugs"])
    skip = data["skip"]
    return _Vocabulary(
        labels,
        slugs,
        frozenset(str(x) for x in skip["segments"]),
        frozenset(str(x) for x in skip["query_keys"]),
        tuple(str(x) for x in skip["extensions"]),
    )


def _path_of(url: str) -> str:
    from ecomcheck.text.normalize import fold

    try:
        return fold(unquote(urlsplit(url).path).lower())
    except ValueError:
        return ""


def is_skipped_url(url: str) -> bool:
    """Tell whether a URL is a cart, account, search or file link (never requested)."""
    voc = _vocabulary()
    try:
        parts = urlsplit(url)
    except ValueError:
        return True
    path = unquote(parts.path).lower()
    if path.endswith(voc.skip_extensions):
        return True
    if any(seg in voc.skip_segments for seg in path.split("/") if seg):
        return True
    keys = {kv.split("=", 1)[0].lower() for kv in parts.query.split("&") if kv}
    return bool(keys & voc.skip_query_keys)


def is_file_url(url: str) -> bool:
    """Tell whether a URL names a file (PDF, picture, document, archive) by its extension."""
    try:
        path = unquote(urlsplit(url).path).lower()
    except ValueError:
        return False
    return path.endswith(_vocabulary().skip_extensions)


def _label_role(text: str) -> str | None:
    from ecomcheck.text.normalize import normalize_term

    norm = normalize_term(text)
    for role, pattern in _vocabulary().labels.items():
        if pattern.search(norm):
            return role
    return None


def _slug_role(url: str) -> str | None:
    path = _path_of(url)
    for role, slugs in _vocabulary().slugs.items():
        if any(s in path for s in slugs):
            return role
    return None


def classify_link(text: str, url: str) -> str | None:
    """The reason a person would follow a link when judging a shop, if any.

    Args:
        text: The link text (and title).
        url: The absolute URL.

    Returns:
        ``policy``, ``about``, ``contact``, ``listing``, ``product`` or None.
    """
    from ecomcheck.extract.pagekind import PageKind
    from ecomcheck.extract.pagekind import classify_url as kind_of_url
    from ecomcheck.extract.policy import classify_label, classify_url

    if is_skipped_url(url):
        return None
    kind = kind_of_url(url)
    if kind is PageKind.PRODUCT:
        return "product"
    label = text.strip()[:200]
    if (label and classify_label(label)) or classify_url(url):
        return "policy"
    role = (_label_role(label) if label else None) or _slug_role(url)
    if role is not None:
        return role
    if kind is PageKind.LISTING:
        return "listing"
    if kind is PageKind.POLICY:
        return "policy"
    return None


# --- progress ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CrawlProgress:
    """One step of a crawl, for progress displays.

    Attributes:
        done: Documents fetched so far.
        planned: Documents fetched plus those queued (it grows as links are found).
        url: The URL being fetched.
        role: Why it is fetched (home, about, contact, policy, listing, product).
    """

    done: int
    planned: int
    url: str
    role: str


class StderrProgress:
    """Shows crawl progress on stderr once a crawl takes more than a moment.

    Never writes to stdout, where reports go. Lines start appearing after ``after``
    seconds, so a quick check stays quiet.

    Args:
        after: Seconds before the first line is shown.
        stream: Where to write (default ``sys.stderr``).
    """

    def __init__(self, after: float = 1.0, stream: IO[str] | None = None) -> None:
        self.after = after
        self.stream = stream
        self._start = time.monotonic()

    def __call__(self, event: CrawlProgress) -> None:
        """Write one progress line (once the delay has passed)."""
        if time.monotonic() - self._start < self.after:
            return
        out = self.stream or sys.stderr
        out.write(f"ecomcheck: [{event.done}/{event.planned}] {event.role}: {event.url}\n")
        out.flush()


# --- pages ------------------------------------------------------------------------------


@dataclass(eq=False)
class _Page:
    fetch: FetchRecord
    info: FetchInfo
    role: str
    report: Report
    doc: PageDocument | None = None
    subject: PageSubject | None = None
    reason: tuple[str, dict[str, Any]] | None = None
    base: int = 0
    link_base: int = 0

    @property
    def assessed(self) -> bool:
        return self.subject is not None and self.report.status is not RunStatus.NOT_ASSESSED

    @property
    def url(self) -> str:
        return self.fetch.final_url


def _fetch_info(rec: FetchRecord, role: str, found_on: str | None) -> FetchInfo:
    return FetchInfo(
        requested_url=rec.requested_url,
        final_url=rec.final_url,
        redirects=[
            RedirectHop(url=h.url, status=h.status, location=h.location, record=h.record)
            for h in rec.redirects
        ],
        status=rec.status,
        content_type=rec.content_type,
        fetched_at=rec.fetched_at,
        sha256=rec.sha256,
        size=len(rec.body) if rec.sha256 is not None else None,
        truncated=rec.truncated,
        error=rec.error,
        detail=rec.detail or None,
        role=role,
        found_on=found_on,
        record=rec.record,
        request_record=rec.request_record,
        warc_offset=rec.warc_offset,
        warc_length=rec.warc_length,
    )


def _mime(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)


def _looks_like_html(body: bytes) -> bool:
    return bool(_HTML_START.match(body[:2048].removeprefix(b"\xef\xbb\xbf")))


_MOUNT = re.compile(
    r"""<(?:div|main|app-root)[^>]*\bid\s*=\s*["']?(?:root|app|__next|__nuxt|q-app|svelte|"""
    r"""main-app|application)\b""",
    re.I,
)


def is_js_shell(doc: PageDocument) -> bool:
    """Whether a page is an empty shell whose content only JavaScript would build.

    Such a page has (almost) no visible text and few links, but scripts, and often
    a mount point (``<div id="root">``) or a "please enable JavaScript" notice.
    """
    text = doc.text.strip()
    if len(text) >= 200 or len(doc.links) >= 5:
        return False
    markup = doc.html[:200_000].lower()
    if "<script" not in markup:
        return False
    notice = "javascript" in text.lower()
    return bool(_MOUNT.search(markup)) or notice or len(text) < 40


# --- the fused site subject -------------------------------------------------------------

_OFFSET_NAMES = frozenset({"start", "end"})


def _is_offset(name: str) -> bool:
    return name in _OFFSET_NAMES or name.endswith(("_start", "_end"))


def _shift(obj: Any, base: int, link_base: int) -> Any:
    """Copy a fact with its text offsets moved by ``base`` (links by ``link_base``)."""
    if (base == 0 and link_base == 0) or not dataclasses.is_dataclass(obj):
        return obj
    if isinstance(obj, type):
        return obj
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(obj):
        if not f.init:
            continue
        value = getattr(obj, f.name)
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, int):
            if _is_offset(f.name):
                changes[f.name] = value + base
            elif f.name == "link_index":
                changes[f.name] = value + link_base
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            moved = _shift(value, base, link_base)
            if moved is not value:
                changes[f.name] = moved
    return dataclasses.replace(obj, **changes) if changes else obj


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(value.casefold().split())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _fact_key(value)
    if isinstance(value, tuple | list):
        return tuple(_norm(v) for v in value)
    return value if isinstance(value, int | float | bool | type(None)) else repr(value)


def _fact_key(item: Any) -> tuple[Any, ...]:
    """What makes two facts the same fact, wherever they were printed."""
    name = type(item).__name__
    if not dataclasses.is_dataclass(item) or isinstance(item, type):
        return (name, _norm(item))
    for attr in ("national", "address"):  # phones, e-mails
        if isinstance(getattr(item, attr, None), str) and name != "AddressContact":
            return (name, getattr(item, attr).casefold())
    kind = getattr(item, "kind", None)
    if hasattr(item, "value") and kind is not None:  # registration numbers
        return (name, kind, str(getattr(item, "value", "")).casefold())
    if name == "BadgeLink":
        return (name, kind, getattr(item, "record_id", None))
    keep = []
    for f in dataclasses.fields(item):
        if _is_offset(f.name) or f.name in ("element", "link_index", "source", "href"):
            continue
        keep.append(_norm(getattr(item, f.name)))
    return (name, *keep)


def _richness(item: Any) -> int:
    """Prefer the copy of a fact that says the most (issuer, date, owner, offsets)."""
    score = 0
    for attr in ("issuer", "issue_date", "owner"):
        if getattr(item, attr, None) is not None:
            score += 1
    if getattr(item, "start", None) is not None:
        score += 1
    return score


class SiteSubject(PageSubject):
    """All assessed pages of a site as one subject the page rules can read.

    Exposes ``identity``, ``contacts``, ``badges``, ``policies``, ``commerce``,
    ``page_kind``, ``evidence()``, ``field_evidence()``, ``kind`` and ``key`` like a
    :class:`~ecomcheck.subject.PageSubject`. Facts of all pages are merged and
    de-duplicated; each keeps an offset into the pages' texts laid end to end, so
    :meth:`evidence` knows the page it came from and asks that page for the
    selector and snippet, then adds the page's archive record.

    Args:
        pages: The site's pages in crawl order, the home page first.
        resources: Compiled data shared with the page subjects.
        policies: The policy mentions that count for the site (links verified).
        link_problems: Policy links that led to an error page or to the home page, by
            policy id; their evidence is already built by the pages.
    """

    def __init__(
        self,
        pages: list[_Page],
        resources: Resources,
        policies: dict[str, list[PolicyMention]],
        link_problems: dict[str, list[PolicyLinkProblem]] | None = None,
    ) -> None:
        home = pages[0]
        assert home.doc is not None
        super().__init__(home.doc, resources)
        self.pages = [p for p in pages if p.assessed]
        self.home = home
        base = link_base = 0
        for p in self.pages:
            assert p.doc is not None
            p.base, p.link_base = base, link_base
            base += len(p.doc.text) + 1
            link_base += len(p.doc.links)
        self._bases = [p.base for p in self.pages]
        self._origin: dict[int, _Page] = {}
        self._policies = policies
        self._link_problems = link_problems or {}
        self._built: set[int] = set()  # evidence made by a page, with its page's URL
        for problems in self._link_problems.values():
            for problem in problems:
                self._built.update(id(ev) for ev in problem.evidence)
        # Rules read a few document attributes (URL, links, selectors): a view over
        # all pages answers with the same offsets as the facts.
        self.doc = cast("PageDocument", _SiteDocView(self))

    # -- description -----------------------------------------------------------------

    def describe(self) -> Subject:
        """Describe the site for the report."""
        doc = self.home.doc
        return Subject(
            kind="site",
            url=self.home.url,
            name=(doc.title if doc is not None else None) or None,
        )

    def unreadable_reason(self) -> str | None:
        """A site subject is built only from readable pages."""
        return None

    # -- pages and offsets -----------------------------------------------------------

    def page_at(self, offset: int) -> _Page:
        """The page whose text holds a site-text offset."""
        i = bisect.bisect_right(self._bases, offset) - 1
        return self.pages[max(i, 0)]

    def page_of_element(self, element: object) -> _Page | None:
        """The page an lxml element belongs to."""
        getroottree = getattr(element, "getroottree", None)
        if getroottree is None:
            return None
        root = getroottree().getroot()
        return next((p for p in self.pages if p.doc is not None and p.doc.root is root), None)

    def origin_of(self, fact: object) -> _Page | None:
        """The page a fused fact was taken from."""
        return self._origin.get(id(fact))

    def _merge(self, name: str, facts_of: Callable[[_Page], Any], chrome_only: bool) -> Any:
        """Merge one kind of facts over the pages, de-duplicated, offsets shifted."""
        first: Any = None
        merged: dict[str, dict[tuple[Any, ...], Any]] = {}
        scalars: dict[str, Any] = {}
        for page in self.pages:
            facts = facts_of(page)
            if first is None:
                first = facts
            filter_region = chrome_only and page.role not in _INFO_ROLES
            for f in dataclasses.fields(facts):
                value = getattr(facts, f.name)
                if isinstance(value, tuple | list):
                    bucket = merged.setdefault(f.name, {})
                    for item in value:
                        if filter_region and not self._in_chrome(page, item):
                            continue
                        moved = _shift(item, page.base, page.link_base)
                        key = _fact_key(item)
                        old = bucket.get(key)
                        if old is None or _richness(moved) > _richness(old):
                            bucket[key] = moved
                            self._origin[id(moved)] = page
                elif isinstance(value, bool):
                    scalars[f.name] = scalars.get(f.name, False) or value
                elif isinstance(value, int):
                    scalars[f.name] = scalars.get(f.name, 0) + value
        if first is None:
            return None
        changes: dict[str, Any] = dict(scalars)
        for f in dataclasses.fields(first):
            if f.name in merged:
                items = list(merged[f.name].values())
                original = getattr(first, f.name)
                changes[f.name] = items if isinstance(original, list) else tuple(items)
        return dataclasses.replace(first, **changes)

    @staticmethod
    def _in_chrome(page: _Page, item: Any) -> bool:
        start = getattr(item, "start", None)
        if not isinstance(start, int) or page.doc is None:
            return True  # link-only facts (tel:, zalo.me) belong to the whole page
        return page.doc.region_at(start).value in _CHROME_REGIONS

    # -- facts -----------------------------------------------------------------------

    @functools.cached_property
    def page_kind(self) -> PageKind:
        """A site is judged like its home page."""
        from ecomcheck.extract.pagekind import PageKind

        return PageKind.HOME

    @functools.cached_property
    def commerce(self) -> CommerceSignals:
        """Shopping signals of all pages: the site sells if any page sells."""
        merged = self._merge("commerce", lambda p: p.subject.commerce, False)  # type: ignore[union-attr]
        return cast("CommerceSignals", merged)

    @functools.cached_property
    def identity(self) -> IdentityFacts:
        """Identity facts of all pages (product pages: footer and header only)."""
        merged = self._merge("identity", lambda p: p.subject.identity, True)  # type: ignore[union-attr]
        return cast("IdentityFacts", merged)

    @functools.cached_property
    def contacts(self) -> ContactFacts:
        """Contacts of all pages (product pages: footer and header only)."""
        merged = self._merge("contacts", lambda p: p.subject.contacts, True)  # type: ignore[union-attr]
        return cast("ContactFacts", merged)

    @functools.cached_property
    def badges(self) -> BadgeFacts:
        """Notification badges of all pages, judged once for the site."""
        merged = cast(
            "BadgeFacts",
            self._merge("badges", lambda p: p.subject.badges, False),  # type: ignore[union-attr]
        )
        if merged.links:
            # A sentence claiming the notification is backed by a record link elsewhere.
            problems = [p for p in merged.problems if p.kind != "text_claim"]
            merged = dataclasses.replace(merged, problems=problems)
        return merged

    @functools.cached_property
    def policies(self) -> dict[str, list[PolicyMention]]:
        """Policy sections and verified policy links of all pages."""
        return self._policies

    @property
    def policy_link_problems(self) -> dict[str, list[PolicyLinkProblem]]:
        """Policy links whose target answered an error or was the home page, by policy."""
        return self._link_problems

    # -- evidence --------------------------------------------------------------------

    def evidence(
        self,
        start: int | None,
        end: int | None,
        *,
        element: object | None = None,
        matched: str | None = None,
        entry_id: str | None = None,
        context: list[str] | None = None,
        mask: bool = False,
    ) -> Evidence:
        """Evidence built by the page the offsets (or element) belong to."""
        page: _Page | None = None
        if start is not None:
            page = self.page_at(start)
        elif element is not None:
            page = self.page_of_element(element)
        if page is None or page.subject is None:
            page = self.home
        assert page.subject is not None
        local_start = start - page.base if start is not None else None
        local_end = end - page.base if end is not None else None
        ev = page.subject.evidence(
            local_start,
            local_end,
            element=element,
            matched=matched,
            entry_id=entry_id,
            context=context,
            mask=mask,
        )
        ev.record = page.fetch.record
        self._built.add(id(ev))
        return ev

    def built(self, ev: Evidence) -> bool:
        """Whether a page built this evidence (so its URL and record are its page's)."""
        return id(ev) in self._built


class _SiteDocView:
    """The few document attributes rules read, answered across all pages."""

    def __init__(self, site: SiteSubject) -> None:
        self._site = site
        home = site.home.doc
        self.url = site.home.url
        self.title = home.title if home is not None else ""

    @functools.cached_property
    def links(self) -> list[Link]:
        out: list[Link] = []
        for p in self._site.pages:
            assert p.doc is not None
            out.extend(_shift(link, p.base, 0) for link in p.doc.links)
        return out

    @functools.cached_property
    def text(self) -> str:
        return "\n".join(p.doc.text for p in self._site.pages if p.doc is not None)

    def _local(self, offset: int) -> tuple[PageDocument, int]:
        page = self._site.page_at(offset)
        assert page.doc is not None
        return page.doc, offset - page.base

    def selector(self, element: Any) -> str:
        page = self._site.page_of_element(element) or self._site.home
        assert page.doc is not None
        return page.doc.selector(element)

    def selector_at(self, offset: int) -> str | None:
        doc, local = self._local(offset)
        return doc.selector_at(local)

    def element_at(self, offset: int) -> Any:
        doc, local = self._local(offset)
        return doc.element_at(local)

    def region_at(self, offset: int) -> Any:
        doc, local = self._local(offset)
        return doc.region_at(local)

    def snippet(self, start: int, end: int, pad: int = 60) -> str:
        doc, local = self._local(start)
        return doc.snippet(local, local + (end - start), pad)

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(f"{name!r} is not available on a whole-site subject")


# --- the crawl --------------------------------------------------------------------------


@dataclass(order=True)
class _Queued:
    priority: int
    seq: int
    url: str = dataclasses.field(compare=False)
    role: str = dataclasses.field(compare=False)
    found_on: str | None = dataclasses.field(compare=False)


class _Crawl:
    """One crawl: the queue, the budgets, the pages and what was skipped."""

    def __init__(
        self,
        start_url: str,
        fetcher: Fetcher,
        limits: CrawlLimits,
        page_checker: Checker,
        resources: Resources,
        as_of: dt.date,
        lang: str,
        progress: Callable[[CrawlProgress], None] | None,
    ) -> None:
        self.start_url = start_url
        self.fetcher = fetcher
        self.limits = limits
        self.checker = page_checker
        self.resources = resources
        self.as_of = as_of
        self.lang = lang
        self.progress = progress
        self.pages: list[_Page] = []
        self.skipped: list[SkippedUrl] = []
        self.by_url: dict[str, _Page] = {}  # requested and final URLs -> page
        self.answers: dict[str, FetchRecord] = {}  # duplicates: their own fetch record
        self.queue: list[_Queued] = []  # a heap, by priority then discovery order
        self.seen: set[str] = set()
        self.counts = {"info": 0, "listing": 0, "product": 0}
        self._seq = 0

    # -- queue -----------------------------------------------------------------------

    def _enqueue(self, url: str, role: str, found_on: str | None, priority: int) -> None:
        self._seq += 1
        # A heap: a home page may link thousands of products, and sorting the queue
        # on every link made discovery quadratic.
        heapq.heappush(self.queue, _Queued(priority, self._seq, url, role, found_on))

    def _budget_class(self, role: str) -> str:
        return role if role in ("listing", "product") else "info"

    def _budget_left(self, role: str) -> bool:
        cls = self._budget_class(role)
        cap = {
            "info": self.limits.max_info_pages,
            "listing": self.limits.max_listings,
            "product": self.limits.max_products,
        }[cls]
        return self.counts[cls] < cap and len(self.pages) < self.limits.max_pages

    def _discover(self, page: _Page) -> None:
        doc = page.doc
        if doc is None:
            return
        follow_goods = page.role in ("home", "listing")
        for link in doc.links:
            if not link.url:
                continue
            url = canonical_url(link.url)
            if url is None or url in self.seen:
                continue
            role = classify_link(" ".join(x for x in (link.text, link.title or "") if x), url)
            if role is None or (role in ("product", "listing") and not follow_goods):
                continue
            self.seen.add(url)
            if not same_site(url, self.start_url):
                self.skipped.append(
                    SkippedUrl(url=url, reason="crawl.off_site", role=role, found_on=page.url)
                )
                continue
            if role in ("product", "listing"):
                priority = 3 if role == "product" else 2
            else:
                priority = 0 if link.region.value in _CHROME_REGIONS else 1
            self._enqueue(url, role, page.url, priority)

    # -- run -------------------------------------------------------------------------

    def run(self) -> _Page:
        start = canonical_url(self.start_url) or self.start_url
        self.seen.add(start)
        home = self._visit(start, "home", None)
        if home.assessed:
            self._discover(home)
        while self.queue:
            item = heapq.heappop(self.queue)
            if not self._budget_left(item.role):
                self.skipped.append(
                    SkippedUrl(
                        url=item.url, reason="crawl.budget", role=item.role, found_on=item.found_on
                    )
                )
                continue
            page = self._visit(item.url, item.role, item.found_on)
            if page is not None and page.assessed:
                self._discover(page)
        return home

    def _visit(self, url: str, role: str, found_on: str | None) -> _Page:
        if self.progress is not None:
            planned = len(self.pages) + len(self.queue) + 1
            self.progress(CrawlProgress(len(self.pages) + 1, planned, url, role))
        rec = self.fetcher.fetch(url, site=self.start_url)
        never_sent = (
            rec.status is None
            and not rec.redirects
            and rec.error
            in (
                "robots_disallowed",
                "off_site",
                "scheme_refused",
                "invalid_url",
            )
        )
        if never_sent and role != "home":
            self.skipped.append(
                SkippedUrl(url=url, reason=f"fetch.{rec.error}", role=role, found_on=found_on)
            )
            return _Page(rec, _fetch_info(rec, role, found_on), role, self._blank(rec))
        final = canonical_url(rec.final_url) or rec.final_url
        if role != "home" and final in self.by_url and rec.ok:
            # Another link already led to this page: judge it once.
            page = self.by_url[final]
            self.by_url[url] = page
            self.answers[url] = rec  # its redirects show where the link led
            self.skipped.append(
                SkippedUrl(url=url, reason="crawl.duplicate", role=role, found_on=found_on)
            )
            return page
        page = self._check(rec, role, found_on)
        self.pages.append(page)
        if role != "home":
            self.counts[self._budget_class(role)] += 1
        self.by_url.setdefault(url, page)
        self.by_url.setdefault(final, page)
        return page

    def _blank(self, rec: FetchRecord) -> Report:
        return Report(
            ecomcheck_version=__version__,
            subject=Subject(kind="page", url=rec.final_url),
            checked_at=_now(),
            as_of=self.as_of,
            lang=self.lang,
        )

    def _not_assessed(self, rec: FetchRecord, reason_id: str, **params: Any) -> Report:
        report = self._blank(rec)
        reason = _render_reason(self.lang, reason_id, params)
        report.status = RunStatus.NOT_ASSESSED
        report.reason = reason
        for r in self.checker.rules:
            report.rule_runs[r.meta.id] = RuleRun(
                status=RunStatus.NOT_ASSESSED,
                reason=reason,
                reason_id=reason_id,
                reason_params=params,
            )
        return report

    def _check(self, rec: FetchRecord, role: str, found_on: str | None) -> _Page:
        from ecomcheck.extract.document import PageDocument

        info = _fetch_info(rec, role, found_on)
        reason = page_reason(info)
        doc: PageDocument | None = None
        subject: PageSubject | None = None
        mime = _mime(rec.content_type)
        if reason is None and mime in _SNIFF_TYPES and not _looks_like_html(rec.body):
            reason = ("crawl.not_html", {"content_type": mime or "?"})
        if reason is None:
            doc = PageDocument.from_bytes(
                rec.body, url=rec.final_url, content_type=rec.content_type
            )
            subject = PageSubject(doc, self.resources)
            if "binary_input" not in doc.warnings and is_js_shell(doc):
                reason = ("crawl.js_shell", {})
        if reason is not None:
            report = self._not_assessed(rec, reason[0], **reason[1])
        else:
            assert subject is not None and doc is not None
            report = self.checker.check_subject(subject)
            report.findings.sort(key=_finding_order)
            if _mime(rec.content_type) not in _HTML_TYPES:
                report.subject.warnings.append("content_type_mismatch")
            _stamp_records(report.findings, rec, doc.url)
        report.fetch = info
        return _Page(rec, info, role, report, doc, subject, reason)


def page_reason(info: FetchInfo) -> tuple[str, dict[str, Any]] | None:
    """Why a fetched document cannot be checked as a page (reason id and params), or None."""
    if info.error is not None:
        return "crawl.fetch_failed", {"why_id": f"fetch.{info.error}", "detail": info.detail or ""}
    status = info.status or 0
    if not 200 <= status < 300:
        return "crawl.http_status", {"status": status}
    mime = _mime(info.content_type)
    if mime not in _HTML_TYPES and mime not in _SNIFF_TYPES:
        return "crawl.not_html", {"content_type": mime}
    return None


def _finding_order(f: Finding) -> tuple[str, int, str]:
    # Rules run in id order; within a rule, document order, so that a re-check of
    # the same bytes lists the same findings in the same order.
    ev = f.evidence[0] if f.evidence else None
    start = ev.start if ev is not None and ev.start is not None else -1
    return (f.rule_id, start, f.fingerprint)


def _stamp_records(findings: Iterable[Finding], rec: FetchRecord, url: str | None) -> None:
    for f in findings:
        for ev in f.evidence:
            if ev.record is None and (ev.url is None or ev.url == url):
                ev.record = rec.record
                ev.url = ev.url or url


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


# --- policies across pages ----------------------------------------------------------------


def _about(page: _Page, kind: str) -> bool:
    """Whether a fetched page is about a policy: its title, h1 or headings name it."""
    from ecomcheck.extract.policy import classify_label

    if not page.assessed or page.doc is None or page.subject is None:
        return False
    for label in (page.doc.title, *page.doc.h1):
        if label and kind in classify_label(label):
            return True
    return any(m.source == "heading" for m in page.subject.policies.get(kind, []))


def _fuse_policies(
    crawl: _Crawl, pages: list[_Page]
) -> tuple[
    dict[str, list[PolicyMention]],
    list[PolicyCheck],
    dict[str, list[Evidence]],
    dict[str, list[PolicyLinkProblem]],
]:
    """Keep sections and links that lead to a page about the policy; explain the rest.

    Returns the mentions that count, the per-policy checks for the report, evidence
    of links to pages about something else (added to a "missing" finding), and the
    links that are dead or lead to the home page (the rule reports them by name).
    """
    from ecomcheck.extract.policy import policy_kinds
    from ecomcheck.rules.policy import PolicyLinkProblem

    kept: dict[str, list[PolicyMention]] = {}
    checks: list[PolicyCheck] = []
    broken: dict[str, list[Evidence]] = {}
    problems: dict[str, list[PolicyLinkProblem]] = {}
    skipped = {s.url: s.reason for s in crawl.skipped}
    home = pages[0] if pages else None
    for kind in policy_kinds():
        verified: list[tuple[PolicyMention, _Page, _Page]] = []
        sections: list[tuple[PolicyMention, _Page]] = []
        unverified: list[tuple[PolicyMention, _Page, str]] = []
        rejected: list[str] = []
        seen_targets: set[str] = set()
        for page in pages:
            if not page.assessed or page.subject is None:
                continue
            for m in page.subject.policies.get(kind, []):
                moved = _shift(m, page.base, page.link_base)
                if m.source != "link":
                    sections.append((moved, page))
                    continue
                target = canonical_url(m.url) if m.url else None
                if target is not None and is_file_url(target):
                    # A policy published as a PDF or a picture is published: never
                    # fetched, so unverified rather than ignored.
                    if target not in seen_targets:
                        seen_targets.add(target)
                        unverified.append((moved, page, "crawl.file"))
                    continue
                if target is None or is_skipped_url(target):
                    continue  # javascript:, a cart or checkout link: a label, not a page
                if target in seen_targets:
                    continue
                seen_targets.add(target)
                dest = crawl.by_url.get(target)
                status = dest.fetch.status if dest is not None else None
                if dest is None:
                    reason = skipped.get(target, "crawl.not_fetched")
                    unverified.append((moved, page, reason))
                elif _about(dest, kind):
                    verified.append((moved, page, dest))
                elif dest is home:
                    # The link, or where it redirects, is the home page: no policy there.
                    answer = crawl.answers.get(target)
                    hops = answer.redirects if answer is not None else ()
                    rejected.append(f"{target}: home page")
                    problems.setdefault(kind, []).append(
                        PolicyLinkProblem(
                            "home", _link_label(m, target), target,
                            hops[0].status if hops else status,
                            tuple(_broken_evidence(page, m, dest, answer)),
                        )
                    )  # fmt: skip
                elif status is not None and status >= 400:
                    rejected.append(f"{target}: HTTP {status}")
                    problems.setdefault(kind, []).append(
                        PolicyLinkProblem(
                            "dead", _link_label(m, target), target, status,
                            tuple(_broken_evidence(page, m, dest)),
                        )
                    )  # fmt: skip
                elif dest.reason is not None and dest.reason[0] == "crawl.not_html":
                    # A PDF or a picture served at a page address: it cannot be read,
                    # and it may well be the policy.
                    unverified.append((moved, page, "crawl.not_html"))
                elif dest.assessed or dest.fetch.ok:
                    rejected.append(f"{target}: not about this policy")
                    broken.setdefault(kind, []).extend(_broken_evidence(page, m, dest))
                else:
                    # A timeout or a cut connection proves nothing either way.
                    unverified.append((moved, page, f"fetch.{dest.fetch.error or 'status'}"))
        mentions = [m for m, _, _ in verified] + [m for m, _ in sections]
        mentions += [m for m, _, _ in unverified]
        kept[kind] = mentions
        if verified:
            m, page, dest = verified[0]
            check = PolicyCheck(
                policy=kind, status="verified", label=m.label, url=page.url,
                target=dest.url, record=dest.fetch.record, rejected=rejected,
            )  # fmt: skip
        elif sections:
            m, page = sections[0]
            check = PolicyCheck(
                policy=kind, status="section", label=m.label, url=page.url,
                record=page.fetch.record, rejected=rejected,
            )  # fmt: skip
        elif unverified:
            m, page, why = unverified[0]
            check = PolicyCheck(
                policy=kind, status="unverified", label=m.label, url=page.url,
                target=m.url, record=page.fetch.record, rejected=[*rejected, f"{m.url}: {why}"],
            )  # fmt: skip
        else:
            check = PolicyCheck(policy=kind, status="missing", rejected=rejected)
        checks.append(check)
    return kept, checks, broken, problems


def _link_label(m: PolicyMention, target: str) -> str:
    return " ".join(m.label.split()) or target


def _broken_evidence(
    page: _Page, m: PolicyMention, dest: _Page, answer: FetchRecord | None = None
) -> list[Evidence]:
    """The link on its page, then what its target answered (status, title, redirects)."""
    assert page.subject is not None
    link_ev = page.subject.evidence(m.start, m.end, element=m.element if m.start is None else None)
    link_ev.matched = m.url
    link_ev.record = page.fetch.record
    if answer is not None and answer.redirects:
        # A redirect to a page already fetched: the redirect is the evidence.
        hop = answer.redirects[0]
        hops = [f"HTTP {h.status} → {h.location}" for h in answer.redirects]
        return [
            link_ev,
            Evidence(
                url=hop.url, snippet=hops[-1], matched=dest.url, record=hop.record, context=hops
            ),
        ]
    status = dest.fetch.status
    title = (dest.doc.title if dest.doc is not None else "") or ""
    ok = status is not None and 200 <= status < 300
    target_ev = Evidence(
        url=dest.url,
        # A missing page shows its status; a page about something else, its title.
        snippet=(title or f"HTTP {status}") if ok else f"HTTP {status}" if status else "",
        matched=title or None,
        record=dest.fetch.record,
        context=[f"HTTP {status}"] if status else [],
    )
    return [link_ev, target_ev]


# --- facts with provenance ------------------------------------------------------------------


def _site_facts(site: SiteSubject) -> list[SiteFact]:
    from ecomcheck.privacy import mask_ids_in_text

    out: list[SiteFact] = []

    def add(
        kind: str, item: Any, value: str, detail: str | None = None, mask: bool = False
    ) -> None:
        start, end = getattr(item, "start", None), getattr(item, "end", None)
        page = site.origin_of(item) or site.home
        if isinstance(start, int) and isinstance(end, int):
            label_start = getattr(item, "label_start", None)
            ev = site.evidence(
                min(start, label_start) if isinstance(label_start, int) else start, end, mask=mask
            )
        else:
            href = getattr(item, "href", None) or value
            ev = Evidence(
                url=page.url,
                snippet=mask_ids_in_text(str(href)[:300]),
                matched=mask_ids_in_text(value, labelled=mask),
                record=page.fetch.record,
            )
        out.append(
            SiteFact(
                kind=kind,
                # A number read as a personal id is one whatever its place code.
                value=mask_ids_in_text(value, labelled=True) if mask else value,
                detail=detail,
                evidence=ev,
            )
        )

    ident = site.identity
    for n in ident.registration_numbers:
        add("registration_number", n, n.value, n.kind, mask=n.kind == "personal_id")
    for o in ident.owner_names:
        add("owner_name", o, o.raw, o.kind)
    for i in ident.issuers:
        add("issuer", i, i.raw, i.kind)
    for d in ident.issue_dates:
        add("issue_date", d, d.raw, d.kind)
    for lic in ident.other_licences:
        add("other_licence", lic, lic.raw, lic.kind)
    c = site.contacts
    for p in c.phones:
        add("phone", p, p.raw, p.kind)
    for e in c.emails:
        add("email", e, e.address)
    for oc in c.online:
        add("online_contact", oc, oc.href or oc.raw, oc.kind)
    for a in c.addresses:
        add("address", a, a.raw, a.label)
    b = site.badges
    for bl in b.links:
        page = site.origin_of(bl) or site.home
        links = site.doc.links
        link = links[bl.link_index] if 0 <= bl.link_index < len(links) else None
        if link is not None and link.start is not None and link.end is not None:
            ev = site.evidence(link.start, link.end)
        else:
            ev = Evidence(url=page.url, snippet=bl.href, record=page.fetch.record)
            if link is not None:
                ev.selector = site.doc.selector(link.element)
        ev.matched = bl.href
        out.append(SiteFact(kind="badge_link", value=bl.href, detail=bl.kind, evidence=ev))
    for bp in b.problems:
        ev = site.evidence(bp.start, bp.end, element=bp.element if bp.start is None else None)
        out.append(
            SiteFact(kind="badge_problem", value=bp.detail[:300], detail=bp.kind, evidence=ev)
        )
    return out


def _href_pages(site: SiteSubject) -> dict[str, _Page]:
    """Link targets to the first page that shows them (for evidence without offsets)."""
    out: dict[str, _Page] = {}
    for page in site.pages:
        assert page.doc is not None
        for link in page.doc.links:
            out.setdefault(link.href, page)
            if link.url:
                out.setdefault(link.url, page)
    return out


def _fix_site_evidence(findings: list[Finding], site: SiteSubject) -> None:
    hrefs: dict[str, _Page] | None = None
    for f in findings:
        for ev in f.evidence:
            if site.built(ev):
                continue
            if hrefs is None:
                hrefs = _href_pages(site)
            page = next((hrefs[k] for k in (ev.matched, ev.snippet) if k and k in hrefs), site.home)
            ev.url = page.url
            ev.record = page.fetch.record


# --- assembling the report ----------------------------------------------------------------


def finalize_site(report: SiteReport) -> SiteReport:
    """Recompute the site summary and verdict from site and page findings (in place)."""
    report.summary = summarize(report.all_findings())
    if report.status is RunStatus.NOT_ASSESSED:
        return report
    for page in report.pages:
        if page.status is not RunStatus.NOT_ASSESSED:
            page.summary = summarize(page.findings)
            page.status = _status(page.summary.fail, page.summary.needs_review)
    report.status = _status(report.summary.fail, report.summary.needs_review)
    return report


def _status(fail: int, review: int) -> RunStatus:
    if fail:
        return RunStatus.FAIL
    if review:
        return RunStatus.NEEDS_REVIEW
    return RunStatus.PASS


def _configs(config: Config, as_of: dt.date) -> tuple[Config, Config]:
    site_ids = tuple(c.value for c in SITE_CATEGORIES)
    other_ids = tuple(c.value for c in Category if c not in SITE_CATEGORIES)
    page_config = config.model_copy(update={"ignore": (*config.ignore, *site_ids), "as_of": as_of})
    site_config = config.model_copy(update={"ignore": (*config.ignore, *other_ids), "as_of": as_of})
    return page_config, site_config


def _run(
    start_url: str,
    fetcher: Fetcher,
    *,
    config: Config,
    limits: CrawlLimits,
    as_of: dt.date,
    progress: Callable[[CrawlProgress], None] | None,
    archive_name: str | None,
    replayed: bool,
) -> SiteReport:
    from ecomcheck.engine import Checker

    started = time.monotonic()
    started_at = _now()
    page_config, site_config = _configs(config, as_of)
    page_checker, site_checker = Checker(page_config), Checker(site_config)
    resources = compile_resources()
    crawl = _Crawl(
        start_url, fetcher, limits, page_checker, resources, as_of, config.lang, progress
    )
    home = crawl.run()
    listed, omitted = _list_skipped(crawl.skipped)
    report = SiteReport(
        ecomcheck_version=__version__,
        subject=Subject(
            kind="site", url=home.url, name=(home.doc.title if home.doc else "") or None
        ),
        checked_at=_now(),
        as_of=as_of,
        lang=config.lang,
        pages=[p.report for p in crawl.pages],
        skipped=listed,
        skipped_omitted=omitted,
        crawl=CrawlInfo(
            start_url=start_url,
            user_agent=limits.user_agent,
            limits=limits.model_dump(mode="json"),
            requests=fetcher.requests,
            pages=len(crawl.pages),
            robots=[_fetch_info(r, "robots", None) for r in fetcher.robots_records],
            archive=archive_name,
            replayed=replayed,
            started_at=started_at,
            duration_s=round(time.monotonic() - started, 3),
        ),
    )
    home_reason = _home_reason(home)
    if home_reason is not None:
        reason_id, params = home_reason
        report.status = RunStatus.NOT_ASSESSED
        report.reason_id, report.reason_params = reason_id, params
        report.reason = _render_reason(config.lang, reason_id, params)
        for r in site_checker.rules:
            report.rule_runs[r.meta.id] = RuleRun(
                status=RunStatus.NOT_ASSESSED,
                reason=report.reason,
                reason_id=reason_id,
                reason_params=params,
            )
        return finalize_site(report)
    if site_checker.rules:
        policies, checks, broken, problems = _fuse_policies(crawl, crawl.pages)
        site = SiteSubject(crawl.pages, resources, policies, problems)
        site_report = site_checker.check_subject(site)
        site_report.findings.sort(key=_finding_order)
        _fix_site_evidence(site_report.findings, site)
        for f in site_report.findings:
            kind = f.rule_id.removeprefix("policy.")
            if f.rule_id.startswith("policy.") and f.message_id == f.rule_id and kind in broken:
                f.evidence.extend(broken[kind])
        report.findings = site_report.findings
        report.rule_runs = site_report.rule_runs
        report.facts = _site_facts(site)
        report.policies = checks
    return finalize_site(report)


def _home_reason(home: _Page) -> tuple[str, dict[str, Any]] | None:
    if home.assessed:
        return None
    url = home.fetch.requested_url
    if home.fetch.error == "off_site_redirect":
        # A shop that moved to another domain: say where, so the check can be re-run there.
        return "site.home_moved", {"url": url, "target": home.fetch.final_url}
    rid, params = home.reason or page_reason(home.info) or ("", {})
    mapping = {
        "crawl.fetch_failed": "site.home_failed",
        "crawl.http_status": "site.home_status",
        "crawl.not_html": "site.home_not_html",
        "crawl.js_shell": "site.js_shell",
    }
    return mapping.get(rid, "site.home_unreadable"), {"url": url, **params}


# A home page with 20,000 product links would otherwise list each one it did not
# fetch (a report of megabytes); the first ones of each reason show the pattern.
_SKIPPED_LISTED = 200


def _list_skipped(skipped: list[SkippedUrl]) -> tuple[list[SkippedUrl], dict[str, int]]:
    """The skipped links to list (``_SKIPPED_LISTED`` per reason), and the rest counted."""
    listed: list[SkippedUrl] = []
    seen: dict[str, int] = {}
    for s in skipped:
        seen[s.reason] = seen.get(s.reason, 0) + 1
        if seen[s.reason] <= _SKIPPED_LISTED:
            listed.append(s)
    omitted = {r: n - _SKIPPED_LISTED for r, n in seen.items() if n > _SKIPPED_LISTED}
    return listed, omitted


def _start_url(url: str) -> str:
    value = url.strip()
    if "://" not in value:
        value = "https://" + value  # a bare host name: shops are served over https
    canon = canonical_url(value)
    if canon is None:
        raise ValueError(f"not an http(s) URL: {url!r}")
    return canon


def check_site(
    url: str,
    *,
    config: Config | None = None,
    limits: CrawlLimits | None = None,
    archive: str | Path | ArchiveWriter | None = None,
    progress: Callable[[CrawlProgress], None] | None = None,
    fetcher: Fetcher | None = None,
) -> SiteReport:
    """Check a whole shop: fetch its home page and the pages a person would read.

    Args:
        url: The shop's address (``https://shop.example``; a bare host gets https).
        config: Rules, language, legal date; severity overrides.
        limits: Crawl bounds and politeness (defaults refuse private addresses).
        archive: A ``.warc.gz`` path (or an open :class:`~ecomcheck.archive.ArchiveWriter`)
            to record every request and response in; findings then name their records.
        progress: Called before each document is fetched (see :class:`StderrProgress`).
        fetcher: A prepared fetcher (tests); ``limits`` and ``archive`` are then ignored.

    Returns:
        The site report: a verdict, site-level findings with the facts they rest on,
        and one report per fetched page. An unreachable home page, or one that is
        only a JavaScript shell, gives ``not_assessed`` with the reason.

    Raises:
        ValueError: ``url`` is not an http(s) URL.
    """
    config = config or Config()
    limits = limits or CrawlLimits()
    start = _start_url(url)
    as_of = config.effective_date()
    if fetcher is not None:
        return _run(
            start, fetcher, config=config, limits=fetcher.limits, as_of=as_of,
            progress=progress, archive_name=None, replayed=False,
        )  # fmt: skip
    from ecomcheck.archive import ArchiveWriter

    writer: ArchiveWriter | None
    own_writer = False
    if archive is None or isinstance(archive, ArchiveWriter):
        writer = archive
    else:
        writer = ArchiveWriter(
            archive,
            info={
                "ecomcheck-start-url": start,
                "ecomcheck-as-of": as_of.isoformat(),
                "ecomcheck-lang": config.lang,
                "ecomcheck-limits": limits.model_dump(mode="json"),
            },
        )
        own_writer = True
    name = str(writer.path) if writer is not None and writer.path is not None else None
    try:
        with Fetcher(limits, archive=writer) as live:
            return _run(
                start, live, config=config, limits=limits, as_of=as_of,
                progress=progress, archive_name=name, replayed=False,
            )  # fmt: skip
    finally:
        if own_writer and writer is not None:
            writer.close()


def check_archive(
    path: str | Path,
    *,
    config: Config | None = None,
    limits: CrawlLimits | None = None,
    progress: Callable[[CrawlProgress], None] | None = None,
) -> SiteReport:
    """Re-check a saved WARC archive offline, reproducing the live run's findings.

    The crawl is replayed from the archive with the same robots.txt, redirect and
    budget decisions; nothing is sent over the network. Unless given, the crawl
    limits and the legal date (``as_of``) are those recorded in the archive.

    Args:
        path: A ``.warc`` or ``.warc.gz`` file (from ``--archive``, or another
            crawler's: its first response is then taken as the home page).
        config: Rules and language; ``as_of`` None means the archived date.
        limits: Crawl bounds; None means the archived ones.
        progress: As for :func:`check_site`.

    Raises:
        ValueError: The file is not a readable archive or holds no page.
    """
    from ecomcheck.archive import ArchiveReader, ReplayFetcher

    reader = ArchiveReader(path)
    start = reader.start_url
    if start is None:
        raise ValueError(f"{path}: the archive holds no response record")
    config = config or Config()
    if config.as_of is None and (archived := reader.as_of()) is not None:
        config = config.model_copy(update={"as_of": archived})
    limits = limits or reader.limits() or CrawlLimits()
    replay = ReplayFetcher(reader, limits)
    return _run(
        _start_url(start), replay, config=config, limits=limits,
        as_of=config.effective_date(), progress=progress, archive_name=str(path), replayed=True,
    )  # fmt: skip


def rerender_site(report: SiteReport, lang: str) -> SiteReport:
    """Return a copy of a stored site report with messages in another language."""
    from ecomcheck.engine import rerender

    out = report.model_copy(deep=True)
    out.lang = lang
    # The site's findings, rule runs and reason are rendered as a page report's are.
    shell = rerender(
        Report(
            ecomcheck_version=out.ecomcheck_version,
            subject=out.subject,
            checked_at=out.checked_at,
            as_of=out.as_of,
            findings=out.findings,
            rule_runs=out.rule_runs,
            reason=out.reason,
            reason_id=out.reason_id,
            reason_params=out.reason_params,
        ),
        lang,
    )
    out.findings, out.rule_runs, out.reason = shell.findings, shell.rule_runs, shell.reason
    out.pages = [rerender(p, lang) for p in out.pages]
    for page in out.pages:
        if page.status is RunStatus.NOT_ASSESSED and page.fetch is not None:
            reason = page_reason(page.fetch)
            if reason is None and page.reason:
                reason = ("crawl.js_shell", {})
            if reason is not None:
                page.reason = _render_reason(lang, reason[0], reason[1])
    return out
