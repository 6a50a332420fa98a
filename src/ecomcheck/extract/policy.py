"""Policy pages and sections a selling site must publish, from their many real labels."""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING
from urllib.parse import unquote

from ecomcheck.text.lines import lines_with
from ecomcheck.text.normalize import fold, normalize_term

if TYPE_CHECKING:
    from ecomcheck.extract.document import PageDocument


@dataclass(frozen=True)
class PolicyKind:
    """One kind of policy and the labels that name it."""

    id: str
    labels: tuple[str, ...]  # normalised phrases, with diacritics
    slugs: tuple[str, ...]  # URL path fragments
    pattern: re.Pattern[str]
    # Sentences of the page text that state the policy (normalised text), or None.
    statements: re.Pattern[str] | None = None


@dataclass(frozen=True)
class PolicyMention:
    """Where a page names a policy: a link to it or a section about it."""

    kind: str
    source: str  # "link", "heading" or "text" (a sentence stating the policy)
    label: str
    url: str | None
    start: int | None
    end: int | None
    element: object | None


@functools.cache
def policy_kinds() -> dict[str, PolicyKind]:
    """Load the policy vocabulary from ``data/policies.toml``."""
    raw = resources.files("ecomcheck.data").joinpath("policies.toml").read_bytes()
    data = tomllib.loads(raw.decode("utf-8"))
    out: dict[str, PolicyKind] = {}
    for pid, spec in data["policy"].items():
        labels = tuple(normalize_term(str(x)) for x in spec["labels"])
        slugs = tuple(str(x).lower() for x in spec["slugs"])
        # Folded variants let unaccented labels match; the text itself is never folded.
        variants = set(labels) | {fold(x) for x in labels}
        alt = "|".join(re.escape(x) for x in sorted(variants, key=len, reverse=True))
        pattern = re.compile(rf"(?<!\w)(?:{alt})(?!\w)")
        stated = [str(x) for x in spec.get("statements", ())]
        # One word-start test in front of all of them: 3x faster than one in each.
        body = "|".join(f"(?:{x})" for x in stated)
        statements = re.compile(rf"(?<!\w)(?:{body})") if stated else None
        out[pid] = PolicyKind(pid, labels, slugs, pattern, statements)
    return out


@functools.lru_cache(maxsize=8192)
def _classify_label(label: str) -> frozenset[str]:
    text = normalize_term(label)
    return frozenset(k.id for k in policy_kinds().values() if k.pattern.search(text))


@functools.lru_cache(maxsize=8192)
def _classify_path(path: str) -> frozenset[str]:
    path = fold(unquote(path).lower())
    return frozenset(k.id for k in policy_kinds().values() if any(s in path for s in k.slugs))


def classify_label(label: str) -> set[str]:
    """Return the policy kinds a link text or heading names (may be several)."""
    return set(_classify_label(label))


def classify_url(url: str) -> set[str]:
    """Return the policy kinds a URL path names (``/chinh-sach-doi-tra``)."""
    return set(_url_kinds(url))


def _url_kinds(url: str) -> frozenset[str]:
    m = _PATH.match(url)
    return _classify_path(m.group(1) if m else "")


# The path of an absolute or relative URL, cheaper than urlsplit on every link.
_PATH = re.compile(r"(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?(?://[^/?#]*)?([^?#]*)")

_NO_KINDS: frozenset[str] = frozenset()
# Hrefs that lead nowhere: "#", "#!", "javascript:void(0)", "javascript:;".
_DEAD_HREF = re.compile(r"\s*(?:#[!/]?|javascript:.*)?\s*", re.I | re.S)
# Attributes by which a script opens the policy anyway (a modal, a drawer).
_SCRIPT_TARGETS = (
    "onclick", "data-target", "data-bs-target", "data-href", "data-url", "data-link",
    "aria-controls", "data-toggle", "data-bs-toggle", "data-modal", "data-popup",
)  # fmt: skip


def _dead_link(href: str, element: object) -> bool:
    """True for a link that goes nowhere and opens nothing: no sign of a policy page."""
    if _DEAD_HREF.fullmatch(href) is None:
        return False
    get = getattr(element, "get", None)
    return get is None or not any(get(a) for a in _SCRIPT_TARGETS)


_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "summary", "dt"})


def extract_policies(doc: PageDocument) -> dict[str, list[PolicyMention]]:
    """Find links to, and headed sections about, each kind of policy on a page."""
    found: dict[str, list[PolicyMention]] = {k: [] for k in policy_kinds()}
    # The cached frozensets are used directly: the public functions copy them into
    # sets, which costs more than the cache lookup on pages with thousands of links.
    for link in doc.links:
        if _dead_link(link.href, link.element):
            continue
        title = link.title
        label = f"{link.text} {title}" if link.text and title else link.text or title or ""
        kinds = _classify_label(label) if label else _NO_KINDS
        if link.url:
            path_kinds = _url_kinds(link.url)
            if path_kinds:
                kinds = kinds | path_kinds
        for k in kinds:
            found[k].append(
                PolicyMention(
                    k, "link", label.strip()[:120], link.url, link.start, link.end, link.element
                )
            )
    for block in doc.blocks:
        if block.end - block.start > 120 or getattr(block.element, "tag", "") not in _HEADINGS:
            continue
        label = doc.text[block.start : block.end]
        for k in _classify_label(label):
            found[k].append(
                PolicyMention(
                    k, "heading", label.strip(), doc.url, block.start, block.end, block.element
                )
            )
    # Sentences stating a policy ("Khách hàng được kiểm tra hàng trước khi nhận").
    stating = [(pk.id, pk.statements) for pk in policy_kinds().values() if pk.statements]
    if stating and doc.text:
        # Only the lines that hold a verb of looking at the goods are normalised and
        # read: a pass of the patterns over the whole page costs milliseconds.
        for line in lines_with(doc.text, _STATEMENT_WORDS, keep=_STATEMENT_HINT):
            for pid, statements in stating:
                for m in statements.finditer(line.text):
                    start, end = line.span(*m.span())
                    label = " ".join(doc.text[start:end].split())
                    found[pid].append(
                        PolicyMention(pid, "text", label[:120], doc.url, start, end, None)
                    )
    return found


# Every statement pattern (data/policies.toml) needs one of these words; a test keeps
# the two in step.
_STATEMENT_WORDS = (("kiểm", "xem", "mở", "bóc", "check", "inspect", "open"),)
_STATEMENT_HINT = re.compile("|".join(_STATEMENT_WORDS[0]))
