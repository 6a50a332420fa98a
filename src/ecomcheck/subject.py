"""Subjects rules read: one page, with its facts extracted lazily and at most once."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
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
    from ecomcheck.rules.policy import PolicyLinkProblem


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

    @property
    def policy_link_problems(self) -> Mapping[str, Sequence[PolicyLinkProblem]]:
        """Policy links whose target did not load, by policy.

        None here: one page follows no links (a whole-site check does).
        """
        return {}

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

    def _masked_snippet(self, start: int, end: int) -> str:
        """``doc.snippet(start, end)`` with personal numbers masked.

        Every evidence snippet and match is masked, so no rule can show a seller's
        personal number (see :mod:`ecomcheck.privacy`).
        """
        from ecomcheck.privacy import mask_ids_in_span, mask_ids_in_text

        doc = self.doc
        snippet = doc.snippet(start, end, pad=_SNIPPET_PAD)
        # The snippet is the window [lo, hi) on one line, "…" marking a cut; masking
        # keeps lengths, so the masked window lines up with it.
        n = len(doc.text)
        s = max(0, min(start, n))
        e = max(s, min(end, n))
        lo, hi = max(0, s - _SNIPPET_PAD), min(n, e + _SNIPPET_PAD)
        window = mask_ids_in_span(doc.text, lo, hi)
        if window == doc.text[lo:hi]:
            return snippet
        head = 1 if lo > 0 else 0
        window = window.replace("\n", " ")
        if snippet[head : head + len(window)] != doc.text[lo:hi].replace("\n", " "):
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
        from ecomcheck.privacy import mask_ids_in_span, mask_ids_in_text

        snippet = ""
        if start is not None and end is not None:
            snippet = self._masked_snippet(start, end)
            if matched is None or matched == doc.text[start:end]:
                matched = mask_ids_in_span(doc.text, start, end)
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


def _describe_element(element: object) -> str:
    get = getattr(element, "get", None)
    tag = getattr(element, "tag", "")
    if get is None:
        return str(tag)
    attrs = " ".join(
        f'{k}="{v[:120]}"' for k in ("href", "src", "alt", "title", "class") if (v := get(k))
    )
    return f"<{tag} {attrs}>".replace(" >", ">")
