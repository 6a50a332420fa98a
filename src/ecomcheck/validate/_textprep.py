"""Small text helpers shared by the validators and the identity/contact extractors.

Private module: the names here are not public API and may move to ``ecomcheck.text``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "PAGE_PHRASES",
    "PhraseMatcher",
    "Prepared",
    "SharedPhraseScan",
    "alt",
    "ascii_digits",
    "ascii_fold",
    "is_word_end",
    "is_word_start",
    "line_bounds",
    "prepare",
    "trie_pattern",
]

_COMBINING = re.compile(r"[\u0300-\u036f]+")
_SPACES = re.compile(r"\s+")


def ascii_fold(s: str) -> str:
    """Lower-case ``s`` and strip Vietnamese diacritics (``đ`` becomes ``d``).

    Meant for short strings (labels, matched snippets); the length may change.

    Args:
        s: Any text.

    Returns:
        The folded text with runs of whitespace collapsed to one space.
    """
    low = s.lower().replace("đ", "d")
    if not low.isascii():
        low = _COMBINING.sub("", unicodedata.normalize("NFD", low))
    return _SPACES.sub(" ", low).strip()


_WIDE_DIGIT = re.compile("[\uff10-\uff19]")
_WIDE_TO_ASCII = str.maketrans("０１２３４５６７８９", "0123456789")


def ascii_digits(s: str) -> str:
    """Replace full-width digits (``０１２``, typed with CJK input methods) by ASCII ones.

    One character for one, so offsets stay valid; ``s`` itself is returned when it
    has none (nearly always).
    """
    return s.translate(_WIDE_TO_ASCII) if _WIDE_DIGIT.search(s) else s


@dataclass(frozen=True, slots=True)
class Prepared:
    """A text lower-cased once, with a map back to the original.

    Attributes:
        text: The original text.
        low: Lower-cased text with ASCII digits (see :func:`ascii_digits`); ``low``
            offsets map back with :meth:`orig`.
        pos: ``None`` when ``low`` has the same length as ``text`` (nearly always),
            else ``pos[i]`` is the original offset of ``low[i]`` (length ``len(low)+1``).
            Invisible characters (zero-width, soft hyphen) are left out of ``low``.
    """

    text: str
    low: str
    pos: tuple[int, ...] | None

    def orig(self, i: int) -> int:
        """Map an offset in :attr:`low` to the original text."""
        return i if self.pos is None else self.pos[i]

    def raw(self, start: int, end: int) -> str:
        """Original text for the ``low`` span ``[start, end)``."""
        return self.text[self.orig(start) : self.orig(end)]


# Characters a browser does not draw: zero-width space, non-joiner, joiner, word
# joiner, BOM, soft hyphen. Pasted footers carry them inside labels and numbers.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")


def prepare(text: str) -> Prepared:
    """Lower-case ``text`` once, keeping offsets usable.

    The text is not NFC-composed: patterns built by :func:`trie_pattern` carry the
    decomposed (NFD) spelling of every phrase too, so decomposed pages match with
    offsets untouched. Only characters whose lower case is longer (``İ``) and
    invisible characters, which are dropped, need an offset map, built on that rare
    path.

    Args:
        text: Visible text of a page.

    Returns:
        The prepared text.
    """
    last = _last_prepared[0]
    if last is not None and last.text is text:
        return last
    low = ascii_digits(text.lower())
    invisible = any(c in text for c in _INVISIBLE)
    if len(low) == len(text) and not invisible:
        p = Prepared(text, low, None)
    else:
        parts: list[str] = []
        pos: list[int] = []
        for i, c in enumerate(text):
            if invisible and c in _INVISIBLE:
                continue  # "M\u200bST" is "MST" to a reader
            lc = c.lower()
            parts.append(lc if len(lc) == 1 else c)
            pos.append(i)
        pos.append(len(text))
        p = Prepared(text, ascii_digits("".join(parts)), tuple(pos))
    _last_prepared[0] = p
    return p


# The identity and contact extractors and ``ecomcheck.text.lines.lines_with`` (policy
# statements, tax and shipping notes) read the same page text: keep the last result
# (immutable, so safe to share) rather than lower-case the page once for each.
_last_prepared: list[Prepared | None] = [None]


def is_word_start(s: str, i: int) -> bool:
    """True when ``s[i]`` does not continue a word or number that began earlier."""
    return i == 0 or not s[i - 1].isalnum()


def is_word_end(s: str, j: int) -> bool:
    """True when the word ending at ``j`` (exclusive) is not followed by a letter."""
    return j >= len(s) or not (s[j].isalpha() or "\u0300" <= s[j] <= "\u036f")


def line_bounds(s: str, i: int) -> tuple[int, int]:
    """Start and end (exclusive, without the newline) of the line holding ``s[i]``."""
    start = s.rfind("\n", 0, i) + 1
    end = s.find("\n", i)
    return start, (len(s) if end < 0 else end)


def _fold_char(c: str) -> str:
    return ascii_fold(c) or c


def _variants(phrases: Iterable[str], fold: bool) -> set[str]:
    words: set[str] = set()
    for p in phrases:
        p = unicodedata.normalize("NFC", p.lower().strip())
        if not p:
            continue
        words.add(p)
        words.add(unicodedata.normalize("NFD", p))  # decomposed pages
        if fold:
            words.add("".join(_fold_char(c) if c != " " else " " for c in p))
    return words


_Trie = dict[str, "_Trie"]


def _trie(words: Iterable[str]) -> _Trie:
    trie: _Trie = {}
    for w in words:
        node = trie
        for c in w:
            node = node.setdefault(c, {})
        node[""] = {}
    return trie


def trie_pattern(phrases: Iterable[str], *, fold: bool = True) -> str:
    """Build a regex alternation shaped as a trie.

    Python's ``re`` tries alternatives one after another; a trie keeps that to one
    branch per character. A space in a phrase matches any run of whitespace.

    Args:
        phrases: Lower-case phrases.
        fold: Also add each phrase without diacritics. The decomposed (NFD)
            spelling is always added.

    Returns:
        A pattern (no groups) matching any phrase, longest first.
    """
    return _emit(_trie(_variants(phrases, fold)))


class PhraseMatcher:
    """Find many phrases in a long lower-cased text, fast.

    ``re`` scans for a single literal first character much faster than for a set
    of first characters (about 0.07 ms against 0.1 ms per alternative on 100 KB),
    so the phrase trie is split into one pattern per first character.
    """

    __slots__ = ("_by_first", "_patterns", "_words")

    def __init__(self, phrases: Iterable[str], *, fold: bool = True) -> None:
        """Compile the phrases (see :func:`trie_pattern` for ``fold``)."""
        self._words = frozenset(_variants(phrases, fold))
        trie = _trie(self._words)
        self._by_first = {
            c: re.compile(re.escape(c) + _emit(trie[c])) for c in sorted(k for k in trie if k)
        }
        self._patterns = tuple(self._by_first.values())

    def spans(self, s: str) -> list[tuple[int, int]]:
        """All matches of every first-character pattern, sorted by start, longest first.

        Matches of different patterns may overlap; callers keep the ones they want.
        """
        out: list[tuple[int, int]] = []
        for p in self._patterns:
            out.extend(m.span() for m in p.finditer(s))
        out.sort(key=lambda t: (t[0], -t[1]))
        return out


_Spans = tuple[tuple[int, int], ...]
# Per first character: a pattern of every member's phrases with that character
# (None when only one member has it) and each member's (slot, own pattern).
_Plan = tuple[tuple["re.Pattern[str] | None", tuple[tuple[int, "re.Pattern[str]"], ...]], ...]


class SharedPhraseScan:
    """Run several :class:`PhraseMatcher` over the same text with one pass per first character.

    The cost of a first-character pattern is mostly trying the rest of the trie at
    every occurrence of that character, so matchers sharing first characters share
    that work: a joint pattern finds each position where any member matches, and
    only there is each member's own pattern tried. Each member gets exactly the
    spans of its own :meth:`PhraseMatcher.spans`.

    Members are added at import time; the spans of the last text are kept (keyed on
    the identity of the text object) so the second member reuses the first's pass.
    """

    __slots__ = ("_last", "_members", "_plan")

    def __init__(self) -> None:
        """An empty scan; see :meth:`add`."""
        self._members: list[PhraseMatcher] = []
        self._plan: _Plan = ()
        self._last: tuple[str, _Plan, tuple[_Spans, ...]] | None = None

    def add(self, matcher: PhraseMatcher) -> int:
        """Add a member and recompile the joint patterns; returns its slot for :meth:`spans`."""
        self._members.append(matcher)
        firsts = sorted({c for m in self._members for c in m._by_first})
        plan = []
        for c in firsts:
            own = tuple(
                (i, m._by_first[c]) for i, m in enumerate(self._members) if c in m._by_first
            )
            joint = None
            if len(own) > 1:
                # "c(?=any member)(?=(member 1))?(?=(member 2))?…": the joint trie
                # rejects most positions in one try; only where some member matches
                # are the members' own tries run, each capturing its own match.
                # Consuming only "c" makes finditer visit every such position.
                words = {w for m in self._members for w in m._words if w[0] == c}
                groups = "".join(
                    f"(?=({_emit(_trie(m._words)[c])}))?" for m in self._members if c in m._by_first
                )
                joint = re.compile(f"{re.escape(c)}(?={_emit(_trie(words)[c])}){groups}")
            plan.append((joint, own))
        self._plan = tuple(plan)
        return len(self._members) - 1

    def spans(self, s: str, slot: int) -> _Spans:
        """What ``PhraseMatcher.spans(s)`` gives for the member in ``slot``."""
        plan = self._plan
        last = self._last
        if last is None or last[0] is not s or last[1] is not plan:
            last = (s, plan, self._scan(s, plan))
            self._last = last  # one tuple assignment: safe to share between threads
        return last[2][slot]

    def _scan(self, s: str, plan: _Plan) -> tuple[_Spans, ...]:
        outs: list[list[tuple[int, int]]] = [[] for _ in self._members]
        for joint, own in plan:
            if joint is None:
                i, p = own[0]
                outs[i].extend(m.span() for m in p.finditer(s))
                continue
            # Emulate each member's finditer: a member matches again only at or
            # after the end of its previous match of this first character.
            nxt = [0] * len(own)
            for hit in joint.finditer(s):
                at = hit.start()
                for k, (i, _) in enumerate(own):
                    end = hit.end(k + 1)
                    if end >= 0 and at >= nxt[k]:
                        outs[i].append((at, end))
                        nxt[k] = end
        for out in outs:
            out.sort(key=lambda t: (t[0], -t[1]))
        return tuple(tuple(out) for out in outs)


# The identity and contact extractors scan the same prepared page text.
PAGE_PHRASES = SharedPhraseScan()


def alt(*phrases: str, fold: bool = True) -> str:
    """A non-capturing group matching any phrase (see :func:`trie_pattern`)."""
    return "(?:" + trie_pattern(phrases, fold=fold) + ")"


def _emit(node: _Trie) -> str:
    end = "" in node
    branches = []
    for c in sorted(k for k in node if k):
        child = node[c]
        lit = r"\s+" if c == " " else re.escape(c)
        branches.append(lit + _emit(child))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if end:
        return "(?:" + body + ")?"
    return body
