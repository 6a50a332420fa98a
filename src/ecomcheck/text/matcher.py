"""One-pass multi-term matching over normalised Vietnamese text.

:class:`TermMatcher` compiles every term of every :class:`TermSpec` into one
Aho–Corasick automaton, so the cost of a scan does not grow with the number of
terms. It scans :attr:`NormalizedText.text` once and keeps matches that sit on word
boundaries (the characters around a match are not letters, digits or combining
marks), so ``pod`` does not match inside ``airpods`` and ``cần sa`` does not match
inside ``cần sang``.

Diacritics matter: ``hàng giá rẻ`` (a bargain) is not ``hàng giả`` (a fake). The
text is never folded. A spec with ``fold=True`` adds the diacritic-free spelling of
each term to the automaton instead, which matches text typed without diacritics
(``thuoc la dien tu``) and nothing else.

Sellers also disguise terms. The scan itself flags places that look disguised
(extra automaton keys for "separator + letter", "letter + leet + letter" and two
one-letter words in a row), and only there is a de-obfuscated view of the
surrounding stretch built and scanned again:

* separators (``. - _ * · ' ` | / ~``) inside a word are dropped when a fragment
  next to them is one or two characters long and a letter touches them
  (``Thuố.c L.á``, ``c.ầ.n s.a``, ``t-h-u-ố-c``); not inside domain names
  (``www.shop.vn``), between digits (``0909.123.456``, ``10/02/2015``, ``2.5kg``)
  or in two-letter slash abbreviations (``P/S``, ``M/L``, ``s/p``);
* spaces are dropped inside a run of three or more one-letter words
  (``v a p e``);
* leetspeak is read as letters (``@→a 4→a 3→e 0→o 1→i !→i $→s 5→s 7→t``) in a
  word where it sits between letters (``f@ke``, ``r3p``, ``sup3r``, ``l!ke``), at
  most two in a row and no more leet than letters; as the one leading character
  of a word of three letters or more after a space (``4uth``, ``5uper``); and in a
  word of at most three characters next to such a word (``s4`` in ``c4n s4``).
  Such a short word that ends in leet is also read after a space on its own
  (``s4`` in ``cần s4``), but a hit made only of such words must be a term of
  several words, so codes with leet at the edge (``A4``, ``S4``, ``4G``, ``mp3``)
  never become a one-word term. Words with other digits (``covid19``,
  ``500ml``) are left alone. Leet has no diacritics, so a word read from leet
  matches the term's word with or without them (``t1ền g14`` is ``tiền giả``,
  ``ng@ v0i`` is ``ngà voi``); the other words of the term must be as written;
* emoji between two words (``bóng 😂 cười``) and quotes around a word
  (``bột 'vàng' tạo nạc``) are dropped where the two words are consecutive words
  of some term;
* multi-word terms also match with their spaces removed (``cầnsa``,
  ``#superfake``, and ``c ầ n s a`` once its spaces are dropped).

Hits found only this way are marked ``obfuscated=True``.
"""

from __future__ import annotations

import itertools
import re
import sys
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

import ahocorasick

from ecomcheck.text.normalize import NormalizedText, fold, normalize, normalize_term

__all__ = ["TermHit", "TermMatcher", "TermSpec"]


@dataclass(frozen=True, slots=True)
class TermSpec:
    """One data entry: the terms to look for and the context that decides a hit.

    Attributes:
        key: Id of the data entry; reported in every hit.
        terms: Surface terms in any case, tone placement or Unicode form.
        fold: Also match the diacritic-free spelling of the terms.
        require_any: At least one of these words or phrases must occur within
            ``window`` characters of the hit (empty: no requirement).
        exclude_any: If any of these occurs within ``window`` characters of the
            hit, or as a longer phrase overlapping it (``túi xách tay`` for the term
            ``xách tay``), the hit is dropped.
        window: Distance in normalised characters between the hit and a context
            word.
    """

    key: str
    terms: tuple[str, ...]
    fold: bool = False
    require_any: tuple[str, ...] = ()
    exclude_any: tuple[str, ...] = ()
    window: int = 40


@dataclass(frozen=True, slots=True)
class TermHit:
    """A term found in a text.

    Attributes:
        key: The :attr:`TermSpec.key` of the entry.
        term: The normalised dictionary term, with its diacritics, even when the
            text matched a diacritic-free or de-obfuscated spelling of it.
        start: Start offset in :attr:`NormalizedText.original`.
        end: End offset in :attr:`NormalizedText.original`.
        matched: ``original[start:end]``.
        folded: The text matched the diacritic-free spelling of the term.
        obfuscated: The text matched only after de-obfuscation (separators,
            spaced-out letters, leetspeak or missing spaces).
        context: The ``require_any`` words found near the hit, normalised.
    """

    key: str
    term: str
    start: int
    end: int
    matched: str
    folded: bool
    obfuscated: bool
    context: tuple[str, ...]


# One automaton value: (key length, check boundary before, check boundary after,
# entries, obfuscation hint kind or 0). An entry is (spec index, dictionary term,
# folded, spaceless).
_Entry = tuple[int, str, bool, bool]
_Payload = tuple[int, bool, bool, tuple[_Entry, ...], int]
# A candidate hit in normalised coordinates: (start, end, spec index, term, folded,
# obfuscated, context).
_Cand = tuple[int, int, int, str, bool, bool, tuple[str, ...]]


def _is_word_char(c: str) -> bool:
    return c.isalnum() or (c > "\u02ff" and unicodedata.combining(c) != 0)


def _on_boundary(s: str, a: int, b: int, left: bool, right: bool) -> bool:
    if left and a > 0 and _is_word_char(s[a - 1]):
        return False
    return not (right and b < len(s) and _is_word_char(s[b]))


class _Context:
    """Compiled require/exclude words of one spec.

    A context word with diacritics is searched as written. For a ``fold`` spec its
    diacritic-free spelling is searched too, but only where the text itself is
    typed without diacritics: when the hit matched a folded term, or when the
    stretch of text around the hit has no diacritics at all. Otherwise ordinary
    accented text would supply folded words that mean something else ("nấm" →
    "nam" in "Việt Nam", "chữa" → "chua" in "sữa chua").
    """

    __slots__ = ("exclude", "exclude_folded", "reach", "require", "window")

    def __init__(self, spec: TermSpec) -> None:
        def variants(word: str) -> tuple[str, str | None]:
            norm = normalize_term(word)
            if not norm:
                return "", None
            folded = fold(norm) if spec.fold else norm
            return norm, (folded if folded != norm else None)

        self.window = max(spec.window, 0)
        # (form with diacritics, which also names the word; folded form or None)
        self.require = tuple(
            (norm, folded) for norm, folded in (variants(w) for w in spec.require_any) if norm
        )
        pairs = [variants(w) for w in spec.exclude_any]
        self.exclude = tuple(norm for norm, _ in pairs if norm)
        self.exclude_folded = tuple(folded for _, folded in pairs if folded)
        lengths = [len(n) for n, _ in self.require] + [len(v) for v in self.exclude]
        self.reach = self.window + max(lengths, default=0)

    def _near(self, s: str, word: str, a: int, b: int) -> bool:
        lo = max(0, a - self.reach)
        hi = min(len(s), b + self.reach)
        i = s.find(word, lo, hi)
        left = word[0].isalnum()
        right = word[-1].isalnum()
        while i >= 0:
            j = i + len(word)
            if (
                i <= b + self.window
                and j >= a - self.window
                and (i, j) != (a, b)
                and _on_boundary(s, i, j, left, right)
            ):
                return True
            i = s.find(word, i + 1, hi)
        return False

    def _folded_near(self, s: str, word: str, a: int, b: int, folded: bool) -> bool:
        if not self._near(s, word, a, b):
            return False
        if folded:
            return True
        chunk = s[max(0, a - self.reach) : b + self.reach]
        return fold(chunk) == chunk

    def check(
        self, views: list[tuple[str, int, int]], folded: bool = False
    ) -> tuple[str, ...] | None:
        """Return the require words found, or None when the hit must be dropped.

        Args:
            views: ``(text, start, end)`` of the hit in each string to search.
            folded: The hit matched the diacritic-free spelling of its term.
        """
        for word in self.exclude:
            if any(self._near(s, word, a, b) for s, a, b in views):
                return None
        # A folded word counts only where the text around the hit has no diacritics;
        # that is checked only once the word is found, which is rare.
        for word in self.exclude_folded:
            if any(self._folded_near(s, word, a, b, folded) for s, a, b in views):
                return None
        if not self.require:
            return ()
        found: list[str] = []
        for word, fword in self.require:
            if any(self._near(s, word, a, b) for s, a, b in views) or (
                fword is not None
                and any(self._folded_near(s, fword, a, b, folded) for s, a, b in views)
            ):
                found.append(word)
        return tuple(found) or None


# --- de-obfuscation -----------------------------------------------------------------

_SEPS = ".-_*·'`|/~"
_LEET = {"@": "a", "4": "a", "3": "e", "0": "o", "1": "i", "!": "i", "$": "s", "5": "s", "7": "t"}
# Letters of the Vietnamese alphabet, with and without tone marks.
_VI_BASE = "abcdefghijklmnopqrstuvwxyzăâêôơưđ"
_VI_LETTERS = _VI_BASE + "".join(
    unicodedata.normalize("NFC", v + t)
    for v in "aăâeêioôơuưy"
    for t in "\u0300\u0301\u0309\u0303\u0323"
)
_HINT_SINGLES = 1  # " x y": two one-letter words in a row
_HINT_SEP = 2  # separator then letter: "c.ầ", "t-h"
_HINT_LEET = 3  # letter, leet character, letter: "c4n", "f@k"
_HINT_EDGE = 4  # a word whose second character is leet, after a space: "s4", "g14"
_HINT_DECO = 5  # an emoji after a space, a quote before or after a word: "x 😂", " 'y"
_CHUNK_RE = re.compile(r"[^\W_]+(?:[" + re.escape(_SEPS) + r"]{1,2}[^\W_]+)+")
_SPLIT_RE = re.compile("([" + re.escape(_SEPS) + "]{1,2})")
_LEET_INSIDE_RE = re.compile(r"[013457@$!](?<=[^\W\d_].)(?=[^\W\d_])")
_TLDS = frozenset(
    {
        "vn", "com", "net", "org", "info", "biz", "io", "co", "me", "xyz", "vip", "shop",
        "store", "online", "site", "top", "asia", "edu", "gov", "tv", "cc", "us", "uk",
        "jp", "kr", "cn", "html", "htm", "php",
    }
)  # fmt: skip


# Characters by frequency in Vietnamese shop text. pyahocorasick looks a child up by
# a linear scan in insertion order, so keys are inserted sorted by this order: the
# common characters then sit first in every node (about 15% faster scans).
_FREQ_ORDER = (
    " nhticgamoupsrlàđáedbkv,yư.ảấệạớê0ôóế1x-ộốầq2ểơíợẩúềờụịăậãâùắồữ3ặ5ìfọứựé4()ừửổ6:"
    "789wjz/%+&'\"!?;@$*_~|`·#<>=[]{}^\\"
)
_RANK = str.maketrans({c: chr(i + 1) for i, c in enumerate(_FREQ_ORDER)})


def _insertion_order(keys: Iterable[str]) -> list[str]:
    return [k for _, k in sorted((k.translate(_RANK), k) for k in keys)]


@cache
def _hint_keys() -> dict[str, int]:
    """Extra automaton keys that flag possible obfuscation during the main scan.

    Finding the hints with the same Aho–Corasick pass costs nothing extra on clean
    text, where a separate regex pass would cost as much as the scan itself.
    """
    keys: dict[str, int] = {}
    for x in _VI_LETTERS:
        for y in _VI_LETTERS:
            keys[f" {x} {y}"] = _HINT_SINGLES
        for sep in _SEPS:
            keys[sep + x] = _HINT_SEP
    # Every key here makes the automaton bigger and the scan of clean text slower
    # (tone-marked letters after the leet and 3-character word starts cost 30%), so
    # a word's second character stands for the rest: " t1" finds "t1ền" and "g14".
    for x in _VI_BASE:
        for y in _VI_BASE:
            for c in _LEET:
                keys[x + c + y] = _HINT_LEET
    for c in _LEET:
        for y in _VI_BASE:
            keys[" " + c + y] = _HINT_LEET  # a word that starts with leet: 4uth
    for x in _VI_BASE:
        for c in _LEET:
            keys.setdefault(" " + x + c, _HINT_EDGE)  # s4, g14, t1ền
    # Emoji after a space and quotes at a word's edge tell the decoration pass to
    # run. Only the BMP emoji: 2,800 more keys for the astral ones would slow the
    # scan by 8%, and a text holding any astral character is told in O(1) (_wide).
    for lo, hi in _EMOJI_RANGES:
        for cp in range(lo, min(hi, 0xFFFF) + 1):
            keys[" " + chr(cp)] = _HINT_DECO
    for q in _QUOTES:
        keys[" " + q] = _HINT_DECO
        keys[q + " "] = _HINT_DECO
    return keys


def _is_domain_like(frags: list[str], seps: list[str]) -> bool:
    if any(s != "." for s in seps):
        return False
    if any(f in ("www", "http", "https") for f in frags):
        return True
    return frags[-1] in _TLDS and any(len(f) >= 3 for f in frags[:-1])


def _separator_deletions(text: str, lo: int, hi: int) -> list[int]:
    """Separators to drop inside text[lo:hi] (one word with its separators)."""
    out: list[int] = []
    for m in _CHUNK_RE.finditer(text, lo, hi):
        parts = _SPLIT_RE.split(m.group())
        frags = parts[0::2]
        seps = parts[1::2]
        if _is_domain_like(frags, seps):
            continue
        pos = m.start()
        for k, sep in enumerate(seps):
            left, right = frags[k], frags[k + 1]
            pos += len(left)
            # Split letters ("c.ầ", "thuố.c"), not numbers ("2.5kg", "0909.123"),
            # and not two-letter abbreviations with a slash ("p/s", "m/l", "s/p").
            short = min(len(left), len(right)) <= 2
            abbrev = "/" in sep and len(frags) < 3 and max(len(left), len(right)) < 3
            if (left[-1].isalpha() or right[0].isalpha()) and short and not abbrev:
                out.extend(range(pos, pos + len(sep)))
            pos += len(sep)
    return out


def _is_lone_letter(text: str, i: int) -> bool:
    return (
        0 <= i < len(text)
        and text[i].isalpha()
        and (i == 0 or not _is_word_char(text[i - 1]))
        and (i + 1 >= len(text) or not _is_word_char(text[i + 1]))
    )


def _single_letter_run(text: str, x: int) -> tuple[int, int]:
    """First and last letter of the run of one-letter words through text[x]."""
    first = x
    while first >= 2 and text[first - 1] == " " and _is_lone_letter(text, first - 2):
        first -= 2
    last = x
    while last + 2 < len(text) and text[last + 1] == " " and _is_lone_letter(text, last + 2):
        last += 2
    return first, last


def _leet_kind(tok: str) -> int:
    """How to read leet in a word: 0 not at all, 2 yes, 1 only beside a 2 word."""
    letters = [i for i, c in enumerate(tok) if c.isalpha()]
    if not letters or len(letters) == len(tok):
        return 0
    if any(not c.isalpha() and c not in _LEET for c in tok):
        return 0  # other digits: covid19, b52, h2o
    first, last = letters[0], letters[-1]
    if first == 1 and last == len(tok) - 1 and len(letters) == len(tok) - 1 >= 3:
        return 2  # one leading leet character before a word: 4uth, 5uper, $ale
    inner = tok[first : last + 1]
    if any(not c.isalpha() for c in inner):
        # Leet between letters: f@ke, r3p, sup3r; at most two in a row, and not
        # more leet than letters (that is a code, not a word).
        runs = "".join("x" if not c.isalpha() else " " for c in inner).split()
        ok = max(len(r) for r in runs) <= 2 and len(tok) - len(letters) <= len(letters)
        return 2 if ok else 0
    return 1 if len(tok) <= 3 else 0  # s4: only next to a clear leet word


def _word_span(text: str, i: int) -> tuple[int, int]:
    a = i
    while a > 0 and (text[a - 1].isalnum() or text[a - 1] in "@$!"):
        a -= 1
    b = i
    while b < len(text) and (text[b].isalnum() or text[b] in "@$!"):
        b += 1
    return a, b


def _leet_word_edits(text: str, a: int, b: int, edits: dict[int, str]) -> None:
    for i in range(a, b):
        c = text[i]
        if not c.isalpha() and c in _LEET:
            edits[i] = _LEET[c]


def _leet_edits_at(text: str, i: int, edits: dict[int, str]) -> int:
    """Read the word around text[i] (and short neighbours) as leet; return its end."""
    a, b = _word_span(text, i)
    if _leet_kind(text[a:b]) != 2:
        return b
    _leet_word_edits(text, a, b, edits)
    if a >= 2 and text[a - 1] == " ":
        pa, _ = _word_span(text, a - 2)
        if _leet_kind(text[pa : a - 1]) == 1:
            _leet_word_edits(text, pa, a - 1, edits)
    if b + 1 < len(text) and text[b] == " ":
        _, nb = _word_span(text, b + 1)
        if _leet_kind(text[b + 1 : nb]) == 1:
            _leet_word_edits(text, b + 1, nb, edits)
    return b


def _obfuscation_edits(
    text: str, hints: list[tuple[int, int]], phrase_words: frozenset[str]
) -> tuple[dict[int, str], frozenset[int]]:
    """Turn scan hints into edits: position -> replacement ("" deletes).

    Also returns the weak edits: leet read in a short word only because it ends
    in leet ("s4" in "cần s4"), with no clear leet word beside it. A hit made by
    weak edits alone must be a term of several words ("cần sa"), so that codes
    such as "S4", "A4" or "M3" never become a one-word term by themselves; so a
    weak word is read only when it becomes a word of such a term (``phrase_words``):
    sizes and codes ("m2", "a5") are not rescanned.
    """
    edits: dict[int, str] = {}
    edge: dict[int, str] = {}
    done = {_HINT_SINGLES: -1, _HINT_SEP: -1, _HINT_LEET: -1, _HINT_EDGE: -1}
    n = len(text)
    for kind, last in hints:
        if kind == _HINT_DECO:
            continue  # read by _decoration_edits
        if last <= done[kind]:
            continue
        if kind == _HINT_SINGLES:
            # Most hits are a one-letter word before an ordinary word ("ở đây").
            if last + 1 < n and _is_word_char(text[last + 1]):
                continue
            if not _is_lone_letter(text, last):
                continue
            first, end = _single_letter_run(text, last - 2)
            done[kind] = end
            if end - first >= 4:  # three letters or more
                for p in range(first + 1, end, 2):
                    edits[p] = ""
        elif kind == _HINT_SEP:
            # The space-delimited word around the hint, capped for space-less text.
            space = text.rfind(" ", max(0, last - 64), last)
            lo = space + 1 if space >= 0 else max(0, last - 64)
            space = text.find(" ", last, last + 64)
            hi = space if space >= 0 else min(n, last + 64)
            done[kind] = hi
            for p in _separator_deletions(text, lo, hi):
                edits[p] = ""
        elif kind == _HINT_LEET:
            done[kind] = _leet_edits_at(text, last - 1, edits)
        else:
            a, b = _word_span(text, last)
            done[kind] = b
            leet = _leet_kind(text[a:b])
            if leet == 2:  # "t1ền": leet between letters, one with a tone mark
                done[kind] = _leet_edits_at(text, last, edits)
            elif leet == 1 and "".join(_LEET.get(c, c) for c in text[a:b]) in phrase_words:
                _leet_word_edits(text, a, b, edge)
    weak = frozenset(p for p in edge if p not in edits)
    for p in weak:
        edits[p] = edge[p]
    return edits, weak


# Emoji and pictographs, with their joiners and variation selectors.
_EMOJI_RANGES: Final = ((0x1F000, 0x1FAFF), (0x2600, 0x27BF), (0x2B00, 0x2BFF))
_EMOJI: Final = "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _EMOJI_RANGES) + "\ufe0f\u200d"
_QUOTES: Final = "'\"\u2018\u2019\u201c\u201d\u00ab\u00bb"


def _wide(text: str) -> bool:
    """Whether ``text`` holds a character beyond U+FFFF (most emoji), in O(1).

    CPython stores such a string with four bytes per character, at most two
    otherwise; the header is under 100 bytes. Short texts are simply answered yes.
    """
    return len(text) < 100 or sys.getsizeof(text) - 4 * len(text) > 0


def _decoration_re(seconds: Iterable[str]) -> re.Pattern[str] | None:
    """An emoji run or a quote run, an optional space, and a word of ``seconds``.

    The word is matched in the lookahead, as a trie of the words that follow another
    word in some term, so a run no term continues is rejected without Python work.
    """
    from ecomcheck.validate._textprep import trie_pattern

    words = sorted(set(seconds))
    if not words:
        return None
    trie = trie_pattern(words, fold=False)
    return re.compile(f"(?:([{_EMOJI}]+)|([{_QUOTES}]+))( ?)(?=({trie})(?![^\\W_]))")


_DECORATION_CHARS: Final = frozenset(
    [chr(c) for lo, hi in _EMOJI_RANGES for c in range(lo, min(hi, 0xFFFF) + 1)]
    + list(_QUOTES + "\ufe0f\u200d")
)
_ASTRAL_RE: Final = re.compile("[\U00010000-\U0010ffff]")


def _decoration_starts(text: str, hints: list[tuple[int, int]]) -> list[int]:
    """Where runs of emoji or quotes start that may sit inside a term.

    From the scan's hints (an emoji after a space, a quote at a word's edge) and,
    in a text that holds astral characters, from a search for those: the decoration
    pattern is then tried there only, not at every position of the page.
    """
    found = {last - 1 if text[last] == " " else last for k, last in hints if k == _HINT_DECO}
    if _wide(text):
        found.update(m.start() for m in _ASTRAL_RE.finditer(text))
    starts = set()
    for p in found:
        while p > 0 and (text[p - 1] in _DECORATION_CHARS or ord(text[p - 1]) > 0xFFFF):
            p -= 1
        starts.add(p)
    return sorted(starts)


def _decoration_edits(
    text: str,
    pairs: frozenset[tuple[str, str]],
    pattern: re.Pattern[str],
    starts: Iterable[int],
) -> dict[int, str]:
    """Deletions of emoji between words and of quotes around words.

    Sellers break a term with an emoji ("Bóng 😂 cười") or quote one of its words
    ("bột 'vàng' tạo nạc"); neither is a separator a reader would notice. An emoji run
    counts between two words ("x 😂 y", the space after it goes too); a quote counts
    before a word after a space ("x 'y") or after a word before a space ("y' z").
    Only where the two words are consecutive words of some term (``pairs``; the
    ``pattern`` of :func:`_decoration_re` already wants a second word): a page full
    of emoji and quoted reviews is not rescanned for nothing. ``starts``: where to
    try the pattern (see :func:`_decoration_starts`).
    """
    edits: dict[int, str] = {}
    for p in starts:
        m = pattern.match(text, p)
        if m is None:
            continue
        after = m.group(4)
        a = m.start()
        if a < 2:
            continue
        space = bool(m.group(3))
        if m.group(1) is not None:  # emoji: " x 😂 y" or "x 😂y"
            if text[a - 1] != " ":
                continue
            before_end, cut = a - 1, m.end()
        elif text[a - 1] == " " and not space:  # opening quote: "x 'y"
            before_end, cut = a - 1, m.end(2)
        elif space and text[a - 1].isalnum():  # closing quote: "y' z"
            before_end, cut = a, m.end(2)
        else:
            continue
        # The word before: back to the last space (a word glued to punctuation, as
        # in "x, 'y", is no term's word, so the pair is not found either).
        before = text[text.rfind(" ", max(0, before_end - 40), before_end) + 1 : before_end]
        if (before.lstrip(_QUOTES), after) in pairs:  # "“cần” sa": the word is quoted
            edits.update(dict.fromkeys(range(a, cut), ""))
    return edits


def _apply_leet_inside(view: str, replaced: list[int]) -> str:
    """Leet pass over a view whose separators are gone ("c.4.n" is now "c4n")."""
    if not _LEET_INSIDE_RE.search(view):
        return view
    edits: dict[int, str] = {}
    for m in _LEET_INSIDE_RE.finditer(view):
        if m.start() not in edits:
            _leet_edits_at(view, m.start(), edits)
    if not edits:
        return view
    chars = list(view)
    for i, c in edits.items():
        chars[i] = c
    replaced.extend(edits)
    return "".join(chars)


# --- partly accented spellings ------------------------------------------------------

# Folded syllables that no Vietnamese word is spelt as: "iê"/"yê" and "uô"/"ươ"
# never occur without their marks (the u of "qu" is part of the onset: "quoc" could
# be a plain spelling). Such a syllable shows the writer dropped the diacritics.
_UNACCENTED_TELL_RE = re.compile(r"ie|ye|(?<!q)uo")
# A term with more accented words than this gets no partly accented spellings
# (2**n - 2 of them); no real term comes near it.
_MAX_MIXED_WORDS = 8


def _mixed_spellings(term: str) -> list[str]:
    """Spellings of a term with the diacritics dropped from some of its words only.

    Text typed partly without diacritics ("Thuốc la dien tu", "thuoc lá điện tử")
    mixes accented and bare words. A spelling is kept only when a bare word in it
    cannot be read as a Vietnamese word with those letters ("dien", "thuoc"):
    otherwise correct accented text would match, such as "nam thần" (a handsome
    man) for the term "nấm thần" (magic mushrooms), whose "nam" is a word as typed.
    """
    words = term.split(" ")
    accented = [i for i, w in enumerate(words) if fold(w) != w]
    if len(accented) < 2 or len(accented) > _MAX_MIXED_WORDS:
        return []
    out: list[str] = []
    # Every proper, non-empty subset of the accented words is bared.
    for mask in range(1, 2 ** len(accented) - 1):
        bare = [i for k, i in enumerate(accented) if mask >> k & 1]
        if not any(_UNACCENTED_TELL_RE.search(fold(words[i])) for i in bare):
            continue
        out.append(" ".join(fold(w) if i in bare else w for i, w in enumerate(words)))
    return out


# --- the matcher --------------------------------------------------------------------


class TermMatcher:
    """Find the terms of many specs in normalised text in one pass.

    The automaton is compiled once in the constructor; :meth:`find` keeps no
    state, so one matcher can serve many texts and threads.
    """

    def __init__(self, specs: Iterable[TermSpec]) -> None:
        """Compile the specs.

        Args:
            specs: The entries to match. Terms that normalise to nothing are
                ignored.
        """
        self._specs = tuple(specs)
        self._contexts = tuple(_Context(s) for s in self._specs)
        table: dict[str, dict[tuple[int, str], _Entry]] = {}

        def add(key: str, entry: _Entry) -> None:
            slot = table.setdefault(key, {})
            old = slot.get(entry[:2])
            # Prefer the plainest route to a key (exact over folded or spaceless).
            if old is None or (entry[2], entry[3]) < (old[2], old[3]):
                slot[entry[:2]] = entry

        for idx, spec in enumerate(self._specs):
            for raw in spec.terms:
                term = normalize_term(raw)
                if not term:
                    continue
                forms = [(term, False)]
                if spec.fold and fold(term) != term:
                    forms.append((fold(term), True))
                for form, folded in forms:
                    add(form, (idx, term, folded, False))
                    joined = form.replace(" ", "")
                    if joined != form and len(joined) >= 4:
                        add(joined, (idx, term, folded, True))
                if spec.fold:
                    for form in _mixed_spellings(term):
                        add(form, (idx, term, True, False))

        self._max_len = max((len(k) for k in table), default=0)
        self._automaton: Any = None
        # Consecutive word pairs of the terms: an emoji or a quote between two words
        # matters only where the two words could be part of one term.
        self._pairs = frozenset(
            pair for key in table for pair in itertools.pairwise(key.split(" "))
        )
        self._decoration = _decoration_re(second for _, second in self._pairs)
        self._phrase_words = frozenset(w for pair in self._pairs for w in pair)
        # Diacritic-free spellings of every accented term, read only where leet was.
        leet_table: dict[str, dict[tuple[int, str], None]] = {}
        for slot in table.values():
            for idx, term, folded, spaceless in slot.values():
                if not folded and not spaceless and fold(term) != term:
                    leet_table.setdefault(fold(term), {})[(idx, term)] = None
        self._leet_automaton: Any = None
        if leet_table:
            leet_auto = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
            for key in _insertion_order(leet_table):
                leet_auto.add_word(key, (len(key), tuple(leet_table[key])))
            leet_auto.make_automaton()
            self._leet_automaton = leet_auto
        if table:
            hints = _hint_keys()
            auto = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
            for key in _insertion_order(table.keys() | hints.keys()):
                entries = tuple(table[key].values()) if key in table else ()
                payload: _Payload = (
                    len(key),
                    key[0].isalnum(),
                    key[-1].isalnum(),
                    entries,
                    hints.get(key, 0),
                )
                auto.add_word(key, payload)
            auto.make_automaton()
            self._automaton = auto

    def _scan(
        self, s: str, hints: list[tuple[int, int]] | None = None
    ) -> list[tuple[int, int, _Entry]]:
        out: list[tuple[int, int, _Entry]] = []
        n = len(s)
        payload: _Payload
        for last, payload in self._automaton.iter(s):
            klen, left, right, entries, hint = payload
            if hint and hints is not None:
                hints.append((hint, last))
            if not entries:
                continue
            a = last - klen + 1
            b = last + 1
            if left and a > 0 and _is_word_char(s[a - 1]):
                continue
            if right and b < n and _is_word_char(s[b]):
                continue
            for entry in entries:
                out.append((a, b, entry))
        return out

    def find(self, nt: NormalizedText) -> list[TermHit]:
        """Find every term of every spec in a normalised text.

        Args:
            nt: The output of :func:`~ecomcheck.text.normalize.normalize`.

        Returns:
            Hits sorted by start offset in the original. Overlapping hits of the
            same key are merged into the longest one.
        """
        if self._automaton is None:
            return []
        text = nt.text
        cands: list[_Cand] = []
        plain: dict[int, list[tuple[int, int]]] = {}
        hints: list[tuple[int, int]] = []
        if len(text) > 1 and (text[0] in _LEET) != (text[1] in _LEET):
            # The " x4" and " 4x" keys need a space before the word; the text's
            # first word has none ("t1ền g14 …", "4uth …").
            hints.append((_HINT_EDGE, 1) if text[1] in _LEET else (_HINT_LEET, 1))
        for a, b, (idx, term, folded, spaceless) in self._scan(text, hints):
            plain.setdefault(idx, []).append((a, b))
            ctx = self._contexts[idx].check([(text, a, b)], folded)
            if ctx is not None:
                cands.append((a, b, idx, term, folded, spaceless, ctx))
        edits: dict[int, str] = {}
        weak: frozenset[int] = frozenset()
        if hints:
            edits, weak = _obfuscation_edits(text, hints, self._phrase_words)
        decorations: dict[int, str] = {}
        if self._decoration is not None:
            starts = _decoration_starts(text, hints)
            if starts:
                decorations = _decoration_edits(text, self._pairs, self._decoration, starts)
        if decorations:
            edits = {**decorations, **edits}
        if edits:
            cands.extend(self._find_obfuscated(text, edits, weak, plain))
        return self._finish(nt, cands)

    def find_text(self, s: str) -> list[TermHit]:
        """Normalise a string and find the terms in it.

        Args:
            s: Any text.

        Returns:
            The same as ``find(normalize(s))``.
        """
        return self.find(normalize(s))

    def _windows(self, text: str, positions: list[int]) -> list[tuple[int, int, list[int]]]:
        """Group sorted edit positions into stretches of text a term could span.

        Each stretch starts after a space and ends at a space where there is one
        nearby, so words are not cut; in long text without spaces it may start or
        end inside a word (see :meth:`_find_obfuscated`).
        """
        reach = self._max_len + 1
        n = len(text)
        windows: list[tuple[int, int, list[int]]] = []
        for p in positions:
            if windows and p - reach <= windows[-1][1]:
                lo, _, ps = windows[-1]
                ps.append(p)
                windows[-1] = (lo, p + reach, ps)
            else:
                start = max(0, p - reach)
                space = text.rfind(" ", max(0, start - 64), start)
                windows.append((space + 1 if space >= 0 else max(0, start - 64), p + reach, [p]))
        out = []
        for lo, hi, ps in windows:
            hi = min(hi, n)
            space = text.find(" ", hi, hi + 64)
            out.append((lo, space if space >= 0 else min(n, hi + 64), ps))
        return out

    def _find_obfuscated(
        self,
        text: str,
        edits: dict[int, str],
        weak: frozenset[int],
        plain: dict[int, list[tuple[int, int]]],
    ) -> list[_Cand]:
        out: list[_Cand] = []
        # Plain matches by spec, sorted by start, to skip hits the scan already has.
        plain_starts = {idx: sorted(spans) for idx, spans in plain.items()}
        for lo, hi, positions in self._windows(text, sorted(edits)):
            # Build the de-obfuscated view of text[lo:hi] and, for each of its
            # characters, the position in the normalised text it came from.
            pieces: list[str] = []
            origin: list[int] = []
            replaced: list[int] = []
            weak_view: set[int] = set()
            prev = lo
            for p in positions:
                pieces.append(text[prev:p])
                origin.extend(range(prev, p))
                rep = edits[p]
                if rep:
                    if p in weak:
                        weak_view.add(len(origin))
                    replaced.append(len(origin))
                    pieces.append(rep)
                    origin.append(p)
                prev = p + 1
            pieces.append(text[prev:hi])
            origin.extend(range(prev, hi))
            view = "".join(pieces)
            if len(view) < hi - lo:
                view = _apply_leet_inside(view, replaced)
                replaced.sort()
            # A stretch cut inside a word: its edges are not word boundaries.
            cut_left = lo > 0 and _is_word_char(text[lo - 1])
            cut_right = hi < len(text) and _is_word_char(text[hi])
            found = [(a, b, idx, term, folded) for a, b, (idx, term, folded, _) in self._scan(view)]
            if replaced and self._leet_automaton is not None:
                # Leet has no diacritics: a word read from leet ("g14", "ng@") may
                # stand for the accented word of a term ("tiền g14" = "tiền giả").
                found.extend(
                    (a, b, idx, term, False)
                    for a, b, idx, term in self._scan_leet_folded(view, set(replaced))
                )
            for a, b, idx, term, folded in found:
                if (cut_left and a == 0) or (cut_right and b == len(view)):
                    continue
                na = origin[a]
                nb = origin[b - 1] + 1
                # Only hits that the de-obfuscation created are new.
                k = bisect_left(replaced, a)
                inside = replaced[k : bisect_left(replaced, b)]
                if nb - na == b - a and not inside:
                    continue
                if nb - na == b - a and " " not in term and all(r in weak_view for r in inside):
                    continue  # "S4", "A4": a code, not a one-word term
                if self._overlaps(plain_starts.get(idx), na, nb):
                    continue
                ctx = self._contexts[idx].check([(text, na, nb), (view, a, b)], folded)
                if ctx is not None:
                    out.append((na, nb, idx, term, folded, True, ctx))
        return out

    def _scan_leet_folded(self, view: str, replaced: set[int]) -> list[tuple[int, int, int, str]]:
        """Terms whose diacritic-free spelling matches ``view`` where leet was read.

        Every word of the match must equal the term's word as written, or contain
        a character read from leet (only such a word may lack diacritics).
        """
        out: list[tuple[int, int, int, str]] = []
        fview = fold(view)
        for last, (klen, entries) in self._leet_automaton.iter(fview):
            a = last - klen + 1
            b = last + 1
            if not _on_boundary(fview, a, b, True, True):
                continue
            for idx, term in entries:
                pos = a
                ok = False
                for vw, tw in zip(view[a:b].split(" "), term.split(" "), strict=True):
                    leet = any(p in replaced for p in range(pos, pos + len(vw)))
                    if vw != tw and not leet:
                        break
                    ok = ok or leet
                    pos += len(vw) + 1
                else:
                    if ok:
                        out.append((a, b, idx, term))
        return out

    def _overlaps(self, spans: list[tuple[int, int]] | None, a: int, b: int) -> bool:
        if not spans:
            return False
        # Spans are at most _max_len long, so only those starting shortly before
        # a can reach into [a, b).
        k = bisect_left(spans, (a - self._max_len, -1))
        while k < len(spans) and spans[k][0] < b:
            if spans[k][1] > a:
                return True
            k += 1
        return False

    def _finish(self, nt: NormalizedText, cands: list[_Cand]) -> list[TermHit]:
        by_key: dict[str, list[_Cand]] = {}
        for c in cands:
            by_key.setdefault(self._specs[c[2]].key, []).append(c)
        hits: list[TermHit] = []
        for key, group in by_key.items():
            group.sort(key=lambda c: (c[0], -c[1]))
            best: _Cand | None = None
            cluster_end = -1
            for c in group:
                if best is not None and c[0] < cluster_end:
                    if c[1] - c[0] > best[1] - best[0]:
                        best = c
                    cluster_end = max(cluster_end, c[1])
                    continue
                if best is not None:
                    hits.append(self._hit(nt, key, best))
                best = c
                cluster_end = c[1]
            if best is not None:
                hits.append(self._hit(nt, key, best))
        hits.sort(key=lambda h: (h.start, -h.end, h.key))
        return hits

    @staticmethod
    def _hit(nt: NormalizedText, key: str, c: _Cand) -> TermHit:
        a, b, _, term, folded, obfuscated, ctx = c
        start, end = nt.to_original(a, b)
        return TermHit(
            key=key,
            term=term,
            start=start,
            end=end,
            matched=nt.original[start:end],
            folded=folded,
            obfuscated=obfuscated,
            context=ctx,
        )
