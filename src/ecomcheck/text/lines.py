"""Lines of a text, normalised together, with offsets back to the original text."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import ahocorasick

from ecomcheck.text.normalize import NormalizedText, fold, normalize
from ecomcheck.validate._textprep import prepare


@dataclass(slots=True)
class Line:
    """One line of a text, normalised, with the map back to the original.

    Attributes:
        start: Offset of the line in the whole original text.
        original: The line as written.
        text: The line normalised.
        nt: The normalisation the line is part of (itself, or the whole text).
        npos: Where the line starts in ``nt.text``.
        opos: Where it starts in ``nt.original``.
        folded: The diacritic-free ``text`` (same length), when asked for.
    """

    start: int
    original: str
    text: str
    nt: NormalizedText
    npos: int = 0
    opos: int = 0
    folded: str = ""

    def to_orig(self, i: int, j: int) -> tuple[int, int]:
        """Map a span of the normalised line to the original line."""
        size = len(self.text)
        i = min(max(i, 0), size)
        j = min(max(j, i), size)
        a, b = self.nt.to_original(self.npos + i, self.npos + j)
        # A mark opening the line may cluster with the line break before it: stay inside.
        n = len(self.original)
        return min(max(a - self.opos, 0), n), min(max(b - self.opos, 0), n)

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Map a span of the normalised line to the whole original text."""
        a, b = self.to_orig(i, j)
        return self.start + a, self.start + b


def line(original: str, start: int = 0, *, folded: bool = False) -> Line:
    """Normalise one line on its own."""
    nt = normalize(original)
    return Line(start, original, nt.text, nt, folded=fold(nt.text) if folded else "")


def split_lines(
    text: str, *, keep: re.Pattern[str] | None = None, folded: bool = False
) -> list[Line]:
    """The lines of ``text``, normalised; only those where ``keep`` finds something.

    Args:
        text: The text, one line per newline.
        keep: Keep only lines whose normalised text this pattern finds something in.
        folded: Also compute each line's diacritic-free form.
    """
    raws = text.split("\n")
    if len(raws) > 1 and "\x00" not in text:
        # One normalisation of the whole text is several times cheaper than one per
        # line; NUL stands for the line breaks (normalisation would collapse them) and
        # normalising line by line gives exactly the same pieces.
        whole = normalize(text.replace("\n", "\x00"))
        texts = whole.text.split("\x00")
        if len(texts) == len(raws):
            folds = fold(whole.text).split("\x00") if folded else [""] * len(texts)
            out: list[Line] = []
            pos = npos = 0
            for raw, ntext, ftext in zip(raws, texts, folds, strict=True):
                if keep is None or keep.search(ntext):
                    out.append(Line(pos, raw, ntext, whole, npos, pos, ftext))
                pos += len(raw) + 1
                npos += len(ntext) + 1
            return out
    out = []
    pos = 0
    for raw in raws:
        one = line(raw, pos, folded=folded)
        if keep is None or keep.search(one.text):
            out.append(one)
        pos += len(raw) + 1
    return out


# A character outside the set that normalisation leaves as its lower-case form (but for
# spaces): no look-alike, no zero-width or bidi character, no combining mark, nothing
# NFC changes or composes. Text without one normalises to its lower-case form with
# spaces collapsed and tones moved, and each line maps back alike whether normalised
# with all the others or with only some.
_NOT_PLAIN = re.compile(
    "[^\x01-\xac\xae-\xcf\xd1-\xef\xf1-\u012f\u0132-\u0188\u018a-\u0195\u0197-\u01a5"
    "\u01a7-\u0236\u0238-\u024f\u1e00-\u1eff\u2000-\u200a\u2010-\u2029\u202f-\u205f"
    "\u20a0-\u20c0\u2190-\u2328\u232b-\u23ff\u2500-\u27bf\u3000\u4e00-\u9fff"
    "\uac00-\ud7a3\ufffd\U0001f000-\U0001faff]"
)


def lines_with(text: str, groups: Sequence[Sequence[str]], *, keep: re.Pattern[str]) -> list[Line]:
    """``split_lines(text, keep=keep)`` less the lines that hold no word of some group.

    Only the lines that hold a word of each group are normalised when the text allows
    it (see ``_NOT_PLAIN``): on a page, most lines hold none, and normalising them all
    costs more than any pattern run on the few that do.

    Args:
        text: The text, one line per newline.
        groups: Groups of words, looked for in each normalised line. Words are
            lower-case and hold no space; none starts with "a", "e" or "y" or holds a
            toned "o" or "u" (moving a tone, as normalisation does, never makes one).
        keep: Keep only lines whose normalised text this pattern finds something in.
    """
    key = tuple(tuple(group) for group in groups)
    if not key or any("" in group for group in key):
        return [ln for ln in split_lines(text, keep=keep) if _holds(ln, key)]
    page = _page(text)
    if page.low is None:
        return [ln for ln in split_lines(text, keep=keep) if _holds(ln, key)]
    if not all(key):
        return []
    picked = page.picked(key)
    if not picked:
        return []
    # The picked lines are normalised together; offsets are moved back to the text's.
    where: dict[int, int] = {}
    pos = 0
    for a, b in picked:
        where[pos] = a
        pos += b - a + 1
    out = split_lines("\n".join(text[a:b] for a, b in picked), keep=keep)
    for ln in out:
        ln.start = where[ln.start]
    return [ln for ln in out if _holds(ln, key)]


_Key = tuple[tuple[str, ...], ...]


def _holds(ln: Line, key: _Key) -> bool:
    """The normalised line holds a word of each group."""
    return all(p.search(ln.text) is not None for p in _group_patterns(key))


@functools.cache
def _group_patterns(key: _Key) -> tuple[re.Pattern[str], ...]:
    # One search per group, not one ``in`` per word; an empty group holds nothing.
    return tuple(re.compile("|".join(map(re.escape, group)) or "(?!)") for group in key)


# The word groups ``lines_with`` has been asked for, in order: a page's first call
# scans for all of them at once, so the extractors reading the same page text (policy
# statements, tax and shipping notes) share one pass. Bounded, in case a caller
# builds groups on the fly; the rest are scanned on their own.
_KNOWN: dict[_Key, None] = {}
_MAX_KNOWN = 8


class _Page:
    """One text's lower-cased form and the lines it picked for each group key."""

    __slots__ = ("found", "low", "prepared")

    def __init__(self, text: str) -> None:
        # One lower-casing per page, shared with the identity and contact extractors.
        self.prepared = prepare(text)
        plain = _NOT_PLAIN.search(text) is None
        # ``prepared.low`` is ``text.lower()`` for plain text: no wide digit, no "İ".
        self.low = self.prepared.low if plain else None
        self.found: dict[_Key, list[tuple[int, int]]] = {}

    def picked(self, key: _Key) -> list[tuple[int, int]]:
        """Start and end of each line that holds a word of each group of ``key``."""
        found = self.found.get(key)
        if found is not None:
            return found
        if key not in _KNOWN and len(_KNOWN) < _MAX_KNOWN:
            _KNOWN[key] = None
        keys = tuple(k for k in _KNOWN if k not in self.found)
        if key not in keys:
            keys = (key,)
        assert self.low is not None
        self.found.update(_scan(self.low, keys))
        return self.found[key]


def _scan(low: str, keys: tuple[_Key, ...]) -> dict[_Key, list[tuple[int, int]]]:
    """The lines of ``low`` that hold a word of each group, for each key, in one pass."""
    # A word of a normalised line is then a word of the lower-cased line: one scan
    # finds every word of every group, and marks each line with the groups it holds.
    auto, masks = _automaton(keys)
    marks: dict[int, int] = {}  # line start -> groups found in it
    ends: dict[int, int] = {}
    lo = hi = -1
    for last, bits in auto.iter(low):
        if last >= hi:  # a word ends at ``last``; lines hold no newline
            lo = low.rfind("\n", 0, last) + 1
            hi = low.find("\n", last)
            if hi < 0:
                hi = len(low)
            ends[lo] = hi
            marks[lo] = bits
        else:
            marks[lo] |= bits
    return {
        k: [(a, ends[a]) for a, bits in marks.items() if bits & m == m]
        for k, m in zip(keys, masks, strict=True)
    }


# The last text's scan (keyed on the identity of the text object): immutable but for
# ``found``, where each key's lines are set once, so safe to share between threads.
_last_page: list[_Page | None] = [None]


def _page(text: str) -> _Page:
    last = _last_page[0]
    if last is not None and last.prepared.text is text:
        return last
    page = _Page(text)
    _last_page[0] = page
    return page


@functools.cache
def _automaton(keys: tuple[_Key, ...]) -> tuple[Any, tuple[int, ...]]:
    """One automaton for all the words; each reports the groups (bits) it belongs to.

    Returns the automaton and, per key, the bits of its groups.
    """
    bits: dict[str, int] = {}
    masks: list[int] = []
    k = 0
    for groups in keys:
        mask = 0
        for group in groups:
            for w in group:
                bits[w] = bits.get(w, 0) | 1 << k
            mask |= 1 << k
            k += 1
        masks.append(mask)
    auto = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for w, b in bits.items():
        auto.add_word(w, b)
    auto.make_automaton()
    return auto, tuple(masks)
