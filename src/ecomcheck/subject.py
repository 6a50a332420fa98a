"""Subjects rules read: one page, with its facts extracted lazily and at most once."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from ecomcheck.models import Evidence, Subject

if TYPE_CHECKING:
    from ecomcheck.extract.badge import BadgeFacts
    from ecomcheck.extract.contacts import ContactFacts
    from ecomcheck.extract.document import PageDocument
    from ecomcheck.extract.goods import GoodsHit, GoodsMatcher
    from ecomcheck.extract.identity import IdentityFacts
    from ecomcheck.extract.offers import Offer
    from ecomcheck.extract.pagekind import CommerceSignals, PageKind
    from ecomcheck.extract.policy import PolicyMention


# Characters of context on each side of an evidence snippet.
_SNIPPET_PAD = 60


@dataclass(frozen=True)
class Resources:
    """Data compiled once per Checker and shared read-only by every subject."""

    policy_kinds: tuple[str, ...]
    goods: GoodsMatcher


def compile_resources() -> Resources:
    """Load and compile the data every subject needs."""
    from ecomcheck.extract import pagekind  # noqa: F401  (imported here, not on page one)
    from ecomcheck.extract.goods import compile_goods
    from ecomcheck.extract.origin import compile_origin
    from ecomcheck.extract.policy import policy_kinds

    compile_origin()
    return Resources(policy_kinds=tuple(policy_kinds()), goods=compile_goods())


def _subject_key(url: str | None) -> str:
    if not url:
        return ""
    try:
        p = urlsplit(url)
    except ValueError:
        return url
    return urlunsplit(("", (p.hostname or "").removeprefix("www."), p.path.rstrip("/"), "", ""))


class PageSubject:
    """One page and the facts rules read from it, each computed on first use."""

    kind = "page"

    def __init__(self, doc: PageDocument, resources: Resources) -> None:
        self.doc = doc
        self.resources = resources
        self.key = _subject_key(doc.url)

    def describe(self) -> Subject:
        """Describe the page for the report."""
        return Subject(
            kind="page",
            url=self.doc.url,
            sha256=self.doc.sha256,
            name=self.doc.title or None,
            page_kind=self.page_kind.value if self.doc.readable else None,
            encoding=self.doc.encoding,
            warnings=list(self.doc.warnings),
        )

    def unreadable_reason(self) -> str | None:
        """Return a reason id when the page cannot be judged at all."""
        if "binary_input" in self.doc.warnings:
            return "reason.binary_input"
        if not self.doc.readable:
            return "reason.empty_page"
        return None

    @functools.cached_property
    def page_kind(self) -> PageKind:
        """The kind of page (home, product, listing, article, policy, other)."""
        return self.doc.page_kind

    @functools.cached_property
    def commerce(self) -> CommerceSignals:
        """Signals that the page sells: ordering, prices, product data."""
        return self.doc.commerce

    @functools.cached_property
    def identity(self) -> IdentityFacts:
        """Owner name, registration numbers, issuer and date found on the page."""
        from ecomcheck.extract.identity import extract_identity

        return extract_identity(self.doc.text)

    @functools.cached_property
    def contacts(self) -> ContactFacts:
        """Phones, e-mail addresses, online contacts and addresses."""
        from ecomcheck.extract.contacts import extract_contacts

        return extract_contacts(self.doc.text, [link.href for link in self.doc.links])

    @functools.cached_property
    def badges(self) -> BadgeFacts:
        """Notification badge links and unverifiable badges."""
        from ecomcheck.extract.badge import extract_badges

        return extract_badges(self.doc)

    @functools.cached_property
    def policies(self) -> dict[str, list[PolicyMention]]:
        """Links to, and sections about, each kind of policy."""
        from ecomcheck.extract.policy import extract_policies

        return extract_policies(self.doc)

    @functools.cached_property
    def offers(self) -> list[Offer]:
        """Products the page offers: its main product, or its product cards."""
        from ecomcheck.extract.offers import find_offers

        return find_offers(self.doc)

    @functools.cached_property
    def goods(self) -> list[GoodsHit]:
        """Goods terms on the page and the decision on each (see extract.goods)."""
        from ecomcheck.extract.goods import analyze_page

        def cards() -> list[tuple[int, int]]:
            return [
                (o.start, o.end)
                for o in self.offers
                if o.role == "card" and o.start is not None and o.end is not None
            ]

        return analyze_page(self.doc, self.resources.goods, cards)

    def _masked(self, lo: int, hi: int) -> str:
        """``doc.text[lo:hi]`` with personal numbers masked; same length, same offsets.

        Every evidence snippet and match is cut from this, so no rule can show a
        seller's personal number (see :mod:`ecomcheck.privacy`). Only the stretch
        around the span is read: the number chains it touches, whole, and the label
        words before them. Masking the whole page text would cost a full pass.
        """
        from ecomcheck.privacy import LABEL_REACH, mask_ids_in_text

        text = self.doc.text
        a, b = _chain_bounds(text, lo, hi)
        a = max(0, a - LABEL_REACH)
        local = text[a:b]
        masked = mask_ids_in_text(local)
        return text[lo:hi] if masked is local else masked[lo - a : hi - a]

    def _masked_snippet(self, start: int, end: int) -> str:
        """``doc.snippet(start, end)`` with personal numbers masked."""
        doc = self.doc
        snippet = doc.snippet(start, end, pad=_SNIPPET_PAD)
        # The snippet is the window [lo, hi) on one line, "…" marking a cut; masking
        # keeps lengths, so the masked window lines up with it.
        n = len(doc.text)
        s = max(0, min(start, n))
        e = max(s, min(end, n))
        lo, hi = max(0, s - _SNIPPET_PAD), min(n, e + _SNIPPET_PAD)
        window = self._masked(lo, hi)
        if window == doc.text[lo:hi]:
            return snippet
        head = 1 if lo > 0 else 0
        window = window.replace("\n", " ")
        if snippet[head : head + len(window)] != doc.text[lo:hi].replace("\n", " "):
            from ecomcheck.privacy import mask_ids_in_text

            return mask_ids_in_text(snippet)  # cannot line up: mask the snippet alone
        return snippet[:head] + window + snippet[head + len(window) :]

    def field_evidence(
        self, field: str | None, start: int | None, end: int | None, **kw: Any
    ) -> Evidence:
        """Evidence in one text field of the subject; a page has a single field (``None``).

        Profile subjects implement the same method with JSON Pointers (``/listings/3/title``),
        so rules shared by pages and profiles build evidence the same way.
        """
        return self.evidence(start, end, **kw)

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
        """Evidence pointing into the page's visible text (and element, if known).

        Args:
            start: Offset into the visible text, or ``None`` for element-only evidence.
            end: End offset into the visible text.
            element: The element, when the evidence is not in the text (a picture).
            matched: The original matched text; defaults to the text span.
            entry_id: The data entry that fired.
            context: Context words that decided.
            mask: The span is a personal number: mask it even when its place code
                is not a province code. Personal numbers are masked in every
                snippet and match anyway (see :mod:`ecomcheck.privacy`).
        """
        doc = self.doc
        selector: str | None = None
        if element is not None:
            selector = doc.selector(element)  # type: ignore[arg-type]
        elif start is not None:
            selector = doc.selector_at(start)
        from ecomcheck.privacy import mask_ids_in_text

        snippet = ""
        if start is not None and end is not None:
            snippet = self._masked_snippet(start, end)
            if matched is None or matched == doc.text[start:end]:
                n = len(doc.text)
                a = max(0, min(start, n))
                matched = self._masked(a, max(a, min(end, n)))
        elif element is not None:
            snippet = mask_ids_in_text(_describe_element(element))
        if matched:
            matched = mask_ids_in_text(matched)
        if mask:
            # The rule knows the span is a personal number: mask it whatever its
            # place code (a citizen born abroad has a country code there).
            snippet = mask_ids_in_text(snippet, labelled=True)
            matched = mask_ids_in_text(matched, labelled=True) if matched else matched
        return Evidence(
            url=doc.url,
            selector=selector,
            snippet=snippet,
            start=start,
            end=end,
            matched=matched,
            entry_id=entry_id,
            context=context or [],
        )


_CHAIN_CHARS = frozenset("0123456789\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19")
_CHAIN_SEPS = frozenset(" .-\u00a0")


def _chain_bounds(text: str, lo: int, hi: int) -> tuple[int, int]:
    """Widen ``[lo, hi)`` to whole digit chains ("001 099 012 345") at either edge."""
    digits, seps = _CHAIN_CHARS, _CHAIN_SEPS
    n = len(text)
    while lo > 0 and (
        text[lo - 1] in digits or (text[lo - 1] in seps and lo > 1 and text[lo - 2] in digits)
    ):
        lo -= 1
    while hi < n and (
        text[hi] in digits or (text[hi] in seps and hi + 1 < n and text[hi + 1] in digits)
    ):
        hi += 1
    return lo, hi


def _describe_element(element: object) -> str:
    get = getattr(element, "get", None)
    tag = getattr(element, "tag", "")
    if get is None:
        return str(tag)
    attrs = " ".join(
        f'{k}="{v[:120]}"' for k in ("href", "src", "alt", "title", "class") if (v := get(k))
    )
    return f"<{tag} {attrs}>".replace(" >", ">")
