"""Offset-preserving normalisation of Vietnamese text.

Matching runs on a normalised copy of the visible text, while evidence must point
into the original. :func:`normalize` returns both strings together with an offset
map, so any span of the normalised text can be mapped back to the smallest span of
the original that produced it.

What :func:`normalize` does, in this order:

1. Lower-cases the text (``str.lower``; ``İ`` and ``Σ`` are pre-mapped so that
   lower-casing is one-to-one and context-free). Capital Cyrillic, Greek and
   Armenian letters that look like Latin capitals are mapped by that shape first
   (``ВАРЕ → bape``, ``ΜDMA → mdma``, ``ТНС → thc``, Greek ``Ν → n``).
2. Replaces look-alike characters one-to-one: full-width ASCII (U+FF01–FF5E),
   Cyrillic/Greek/Armenian lower-case letters that look like Latin ones (mapped
   wherever they occur, as are the capitals in step 1), small capitals,
   mathematical and circled Latin letters, and ``Ð ð Ɖ ɖ`` (→ ``đ``).
3. Removes zero-width characters, bidi controls and the soft hyphen, and collapses
   every run of whitespace (including NBSP, U+3000, tabs and newlines) to one
   space. Leading and trailing whitespace is collapsed, not stripped.
4. Applies NFC, only when the text is not NFC already, one character cluster at
   a time so that offsets stay exact.
5. Puts the tone mark of the open syllables ``oa``, ``oe`` and ``uy`` on the
   first vowel: ``hoá → hóa``, ``khoẻ → khỏe``, ``thuỷ → thủy``, ``oà → òa``,
   ``uý → úy``. Both placements are correct Vietnamese (the "old" and "new"
   school rules); this one is the more common in web text, and term files should
   use it. Closed or longer syllables keep their spelling (``hoàn``, ``thuyền``,
   ``khuya``), and ``qu`` + ``y`` is not the ``uy`` vowel (``quý`` stays).

Every step but 3 and 4 is one-to-one in length. A step whose result depends on a
neighbouring character (the tone rule looks at the characters around the vowel
pair) maps the affected characters to a span that includes that neighbour, so that
normalising an original slice reproduces the normalised slice.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache, partial
from itertools import accumulate, compress
from operator import is_not, sub

__all__ = ["NormalizedText", "fold", "normalize", "normalize_term"]

# (text_start, text_end, orig_start, orig_end, delta_after): characters
# [text_start, text_end) of a step's output come from [orig_start, orig_end) of its
# input; after the block, output position p maps to input position p + delta_after.
_Block = tuple[int, int, int, int, int]


class _Layer:
    """Offset map of one normalisation step, from its output back to its input.

    Only the places where the step changed something are stored, as sorted blocks;
    everything between blocks is a plain shift, so building the map costs nothing
    on unchanged text and a lookup is one binary search.
    """

    __slots__ = ("_blocks", "_dst_len", "_src_len", "_starts")

    def __init__(self, blocks: list[_Block], src_len: int, dst_len: int) -> None:
        self._blocks = blocks
        self._starts = [b[0] for b in blocks]
        self._src_len = src_len
        self._dst_len = dst_len

    def _char_start(self, k: int) -> int:
        i = bisect_right(self._starts, k) - 1
        if i < 0:
            return k
        _, t1, o0, _, delta = self._blocks[i]
        return o0 if k < t1 else k + delta

    def _char_end(self, k: int) -> int:
        i = bisect_right(self._starts, k) - 1
        if i < 0:
            return k + 1
        _, t1, _, o1, delta = self._blocks[i]
        return o1 if k < t1 else k + delta + 1

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Map the output span [i, j) to the smallest input span covering it."""
        if i >= j:
            p = self._src_len if i >= self._dst_len else self._char_start(i)
            return p, p
        return self._char_start(i), self._char_end(j - 1)


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """A normalised string that remembers where each character came from.

    Attributes:
        original: The input string, unchanged.
        text: The normalised form (see the module docstring).
    """

    original: str
    text: str
    _layers: tuple[_Layer, ...] = field(default=(), repr=False, compare=False)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of :attr:`text` to the original.

        Args:
            start: Start offset in :attr:`text`; clamped to ``[0, len(text)]``.
            end: End offset in :attr:`text`; clamped to ``[start, len(text)]``.

        Returns:
            The smallest ``(start, end)`` span of :attr:`original` that covers
            everything the normalised span was produced from. The mapping is
            monotone in both ends.
        """
        n = len(self.text)
        i = min(max(start, 0), n)
        j = min(max(end, i), n)
        for layer in reversed(self._layers):
            i, j = layer.span(i, j)
        return i, j

    def original_slice(self, start: int, end: int) -> str:
        """Return the original text behind a span of :attr:`text`.

        Args:
            start: Start offset in :attr:`text`.
            end: End offset in :attr:`text`.

        Returns:
            ``original[a:b]`` for ``(a, b) = to_original(start, end)``.
        """
        a, b = self.to_original(start, end)
        return self.original[a:b]


# --- step 1 and 2: lower-casing and one-to-one look-alike replacement ---------------

# Keys are lower-case: the table is applied after str.lower().
_LOOKALIKES: dict[str, str] = {
    # Cyrillic
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y",
    "і": "i", "ѕ": "s", "ј": "j", "ԁ": "d", "һ": "h", "ԛ": "q", "ԝ": "w",
    "ӏ": "l", "к": "k", "ү": "y", "ѵ": "v",
    # Greek
    "α": "a", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "ϲ": "c", "ϳ": "j",
    # Armenian
    "ո": "n", "օ": "o", "ս": "u", "հ": "h", "զ": "q",
    # Latin look-alikes, small capitals and the d-with-stroke family
    "ı": "i", "ȷ": "j", "ɑ": "a", "ɡ": "g", "ɩ": "i",
    "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ɢ": "g", "ʜ": "h",
    "ɪ": "i", "ᴊ": "j", "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o",
    "ᴘ": "p", "ʀ": "r", "ꜱ": "s", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w",
    "ʏ": "y", "ᴢ": "z",
    "ð": "đ", "ɖ": "đ",
}  # fmt: skip
for _cp in range(0xFF01, 0xFF5F):  # full-width ASCII
    _LOOKALIKES[chr(_cp).lower()] = chr(_cp - 0xFEE0).lower()

# Mathematical alphanumerics and circled letters: NFKC gives the plain letter.
_NFKC_RANGES = "\U0001d400-\U0001d7ff\u24b6-\u24e9"
_SUBST_CLASS = re.escape("".join(_LOOKALIKES)) + _NFKC_RANGES
_SUBST_RE = re.compile(f"[{_SUBST_CLASS}]")


def _subst_one(m: re.Match[str]) -> str:
    ch = m.group()
    rep = _LOOKALIKES.get(ch)
    if rep is not None:
        return rep
    rep = unicodedata.normalize("NFKC", ch).lower()
    rep = _LOOKALIKES.get(rep, rep)
    # Keep the map one-to-one: anything that does not reduce to one character stays.
    return rep if len(rep) == 1 else ch


# Capital Cyrillic and Greek letters that look like Latin capitals. They are mapped
# by their capital shape before lower-casing: the lower-case forms of many (в н т м,
# ν υ, μ) do not look Latin, or look like another letter (Greek Ν → ν reads "v").
_UPPER_LOOKALIKES: dict[str, str] = {
    # Cyrillic
    "А": "a", "В": "b", "Е": "e", "К": "k", "М": "m", "Н": "h", "О": "o", "Р": "p",
    "С": "c", "Т": "t", "У": "y", "Х": "x", "І": "i", "Ѕ": "s", "Ј": "j", "Ү": "y",
    "Һ": "h", "Ԛ": "q", "Ԝ": "w", "Ӏ": "i", "Ѵ": "v",
    # Greek
    "Α": "a", "Β": "b", "Ε": "e", "Ζ": "z", "Η": "h", "Ι": "i", "Κ": "k", "Μ": "m",
    "Ν": "n", "Ο": "o", "Ρ": "p", "Τ": "t", "Υ": "y", "Χ": "x", "Ϲ": "c", "Ϳ": "j",
    # Armenian
    "Օ": "o", "Ս": "u",
}  # fmt: skip
# İ lower-cases to two characters and Σ depends on its neighbours; pre-map both so
# lower() is one-to-one and context-free (slices normalise like the whole).
_PRE_LOWER = {"İ": "i", "Σ": "σ", **_UPPER_LOOKALIKES}
_PRE_LOWER_TABLE = str.maketrans(_PRE_LOWER)
_PRE_LOWER_RE = re.compile("[" + re.escape("".join(_PRE_LOWER)) + "]")


def _lower(s: str) -> str:
    # The characters are rare: one C-level search spares the translate() pass.
    if _PRE_LOWER_RE.search(s) is not None:
        s = s.translate(_PRE_LOWER_TABLE)
    low = s.lower()
    if len(low) != len(s):  # only on a future Unicode with new expanding mappings
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in s)
    return low


def _one_to_one(s: str) -> str:
    return _SUBST_RE.sub(_subst_one, _lower(s))


# --- step 3: zero-width removal and whitespace collapsing ---------------------------

_IGNORABLE = "\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
# Every str.isspace() character except the plain space (none lies above U+3000).
_OTHER_SPACE_CHARS = "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c != " ")
# Either a look-alike to substitute or an ignorable character to drop.
_SPECIAL_RE = re.compile(f"[{_SUBST_CLASS}{_IGNORABLE}]")
_IGNORABLE_RE = re.compile(f"[{_IGNORABLE}][\\s{_IGNORABLE}]*")
_RUN_RE = re.compile(f"[\\s{_IGNORABLE}]+")
_HAS_SPACE_RE = re.compile(r"\s")


@cache
def _raw_special_re() -> re.Pattern[str]:
    """Characters of an input that make step 1 or 2 do more than ``str.lower``.

    These are the pre-mapped capitals, the look-alikes and ignorable characters,
    and every character that lower-cases to one of them (``Ａ → ａ``). Text
    without any of them is lower-cased in one call, with no further scan. Built
    on first use (about 15 ms).
    """
    bmp = [c for c in map(chr, range(0x10000)) if _SPECIAL_RE.match(c)]
    # Case mappings into the class only occur in the BMP (the astral ranges of
    # the class have no case).
    targets = set(bmp)
    uppers = [c for c in map(chr, range(0x10000)) if c.lower() in targets]
    cls = re.escape("".join(sorted({*bmp, *uppers, *_PRE_LOWER}))) + _NFKC_RANGES
    return re.compile(f"[{cls}]")


def _squeeze(s: str, ignorables: bool = True) -> tuple[str, _Layer | None]:
    # A lone newline or NBSP becomes a space in place, which keeps offsets; only
    # runs and ignorable characters change the length and need the Python loop.
    # str.replace per character present is about twice as fast as a class sub.
    for c in _OTHER_SPACE_CHARS:
        if c in s:
            s = s.replace(c, " ")
    spans: list[tuple[int, int]] = []
    for m in _IGNORABLE_RE.finditer(s) if ignorables else ():
        a, b = m.span()
        while a > 0 and s[a - 1] == " ":
            a -= 1
        spans.append((a, b))
    i = s.find("  ")
    if i >= 0:
        while i >= 0:
            m2 = _RUN_RE.match(s, i)
            end = m2.end() if m2 else i + 2
            spans.append((i, end))
            i = s.find("  ", end)
        spans.sort()
    if not spans:
        return s, None
    pieces: list[str] = []
    blocks: list[_Block] = []
    pos = 0  # input consumed
    out_len = 0
    for a, b in spans:
        if a < pos:  # overlaps the previous run: extend it
            if b <= pos:
                continue
            t0, _, o0, _, _ = blocks.pop()
            pieces.pop()
            a = o0
            out_len = t0
        else:
            pieces.append(s[pos:a])
            out_len += a - pos
        rep = " " if _HAS_SPACE_RE.search(s, a, b) else ""
        pieces.append(rep)
        t0 = out_len
        out_len += len(rep)
        blocks.append((t0, out_len, a, b, b - out_len))
        pos = b
    pieces.append(s[pos:])
    out = "".join(pieces)
    return out, _Layer(blocks, len(s), len(out))


# --- step 4: NFC, cluster by cluster ------------------------------------------------


_NFC = partial(unicodedata.normalize, "NFC")
# Tone marks, circumflex, breve and horn, as typed by "Unicode tổ hợp" keyboards.
_VI_MARKS = "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b"


def _char_class(cps: set[int]) -> str:
    ranges: list[list[int]] = []
    for cp in sorted(cps):
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)


@cache
def _nfc_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Patterns for the NFC step, built on first use (about 40 ms).

    *Joining* characters (combining marks and the second halves of canonical
    compositions) may merge with the character before them; *unstable* ones change
    under NFC on their own. Any other character is left alone by NFC and never
    merges with what precedes it, so NFC can be applied piece by piece.

    Returns:
        A pattern for runs of joining or unstable characters (for text with a few
        of them), and one for units of a character plus the joining or unstable
        characters after it (for decomposed text, where nearly every syllable has a
        mark).
    """
    joining: set[int] = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))  # Hangul V, T
    unstable: set[int] = set()
    for cp in range(0x300, 0x1F000):
        if unicodedata.combining(chr(cp)):
            joining.add(cp)
    for cp in range(0xC0, 0x2FA20):
        ch = chr(cp)
        dec = unicodedata.decomposition(ch)
        if not dec or dec.startswith("<"):
            continue
        if len(parts := dec.split()) == 2:
            joining.add(int(parts[1], 16))
        if _NFC(ch) != ch:
            unstable.add(cp)
    # The regex engine tests BMP classes with a lookup table but scans astral
    # ranges one by one, so all astral characters are folded into one range:
    # the pieces get a little larger, which is harmless (NFC is applied per piece).
    # Unstable characters are treated as joining too: some decompose into marks
    # that reorder with the marks before them (Tibetan U+0F73).
    astral = "\U00010000-\U0010ffff"
    cls = _char_class({c for c in joining | unstable if c < 0x10000}) + astral
    return re.compile(f"[{cls}]+"), re.compile(f"(?s).[{cls}]*")


def _nfc_pass(s: str) -> tuple[str, _Layer | None]:
    sparse_re, _ = _nfc_patterns()
    limit = len(s) // 16
    segments: list[list[int]] = []
    for m in sparse_re.finditer(s):
        a, b = m.span()
        # The run may compose with the character before it.
        start = a - 1 if a > 0 else a
        if segments and start <= segments[-1][1]:
            segments[-1][1] = b
        else:
            segments.append([start, b])
            if len(segments) > limit:
                return _nfc_pass_dense(s)
    pieces: list[str] = []
    blocks: list[_Block] = []
    pos = 0
    out_len = 0
    for a, b in segments:
        seg = s[a:b]
        comp = _NFC(seg)
        if comp == seg:
            continue
        pieces.append(s[pos:a])
        out_len += a - pos
        pieces.append(comp)
        t0 = out_len
        out_len += len(comp)
        blocks.append((t0, out_len, a, b, b - out_len))
        pos = b
    if not blocks:
        return s, None
    pieces.append(s[pos:])
    out = "".join(pieces)
    return out, _Layer(blocks, len(s), len(out))


def _nfc_pass_dense(s: str) -> tuple[str, _Layer | None]:
    # Decomposed text has a cluster every few characters, so the work is done
    # with C-level map/accumulate/compress rather than a Python loop per cluster.
    units = _nfc_patterns()[1].findall(s)
    outs = list(map(_NFC, units))
    # unicodedata.normalize returns its argument unchanged when already NFC.
    changed = list(map(is_not, units, outs))
    if not any(changed):
        return s, None
    in_pos = list(accumulate(map(len, units), initial=0))
    out_pos = list(accumulate(map(len, outs), initial=0))
    in_end = list(compress(in_pos[1:], changed))
    out_end = list(compress(out_pos[1:], changed))
    blocks: list[_Block] = list(
        zip(
            compress(out_pos, changed),
            out_end,
            compress(in_pos, changed),
            in_end,
            map(sub, in_end, out_end),
            strict=True,
        )
    )
    out = "".join(outs)
    return out, _Layer(blocks, len(s), len(out))


def _compose(s: str, layers: list[_Layer]) -> str:
    for _ in range(3):
        s, layer = _nfc_pass(s)
        if layer is not None:
            layers.append(layer)
        # Composed characters may need lower-casing or a look-alike replacement.
        # The pass leaves NFC text (it composes every piece NFC could change), so
        # the costly check is only needed when that second step changed something.
        again = _one_to_one(s)
        if again == s or unicodedata.is_normalized("NFC", again):
            return again
        s = again
    # Not reached on real text; give up on fine offsets rather than loop.
    comp = _one_to_one(unicodedata.normalize("NFC", s))
    layers.append(_Layer([(0, len(comp), 0, len(s), len(s) - len(comp))], len(s), len(comp)))
    return comp


# --- step 5: tone placement in oa / oe / uy -----------------------------------------

_TONES = "\u0300\u0301\u0309\u0303\u0323"  # grave, acute, hook, tilde, dot below
_TONED: dict[str, tuple[str, str]] = {}  # toned vowel -> (plain vowel, tone mark)
for _v in "aey":
    for _t in _TONES:
        _TONED[unicodedata.normalize("NFC", _v + _t)] = (_v, _t)
# One pattern per first letter: a literal-first scan is several times faster than
# a scan for the set {o, u}. Matches cannot overlap (the second letter is neither).
_TONE_RES = (
    re.compile("o[" + "".join(k for k, (v, _) in _TONED.items() if v in "ae") + "]"),
    re.compile("u[" + "".join(k for k, (v, _) in _TONED.items() if v == "y") + "]"),
)
# The new spelling of every pair: first vowel with the tone, then the plain vowel.
_RETONED: dict[str, str] = {
    first + toned: unicodedata.normalize("NFC", first + mark) + plain
    for first in "ou"
    for toned, (plain, mark) in _TONED.items()
}


def _tone(s: str) -> tuple[str, _Layer | None]:
    starts = [m.start() for p in _TONE_RES for m in p.finditer(s)]
    if not starts:
        return s, None
    starts.sort()
    blocks: list[_Block] = []
    pieces: list[str] = []
    n = len(s)
    pos = 0
    for k in starts:
        after_q = k > 0 and s[k - 1] == "q"
        nxt = s[k + 2] if k + 2 < n else ""
        closed = bool(nxt) and (nxt.isalpha() or unicodedata.combining(nxt) != 0)
        if not after_q and not closed:
            blocks.append((k, k + 2, k, k + 2, 0))
            pieces.append(s[pos:k])
            pieces.append(_RETONED[s[k : k + 2]])
            pos = k + 2
            continue
        # Unchanged, but the decision looked at a neighbour: map the character next
        # to that neighbour onto it too, so a slice without it normalises the same.
        if after_q:
            blocks.append((k, k + 1, k - 1, k + 1, 0))
        if closed:
            blocks.append((k + 1, k + 2, k + 1, k + 3, 0))
    pieces.append(s[pos:])
    return "".join(pieces), _Layer(blocks, n, n)


# --- public functions ---------------------------------------------------------------


def normalize(s: str) -> NormalizedText:
    """Normalise text for matching, keeping a map back to the original.

    See the module docstring for the steps. The function never raises on a
    ``str`` (lone surrogates, control characters and emoji pass through) and is
    idempotent: ``normalize(normalize(s).text).text == normalize(s).text``.

    Args:
        s: Any string, typically the visible text of a page or a listing.

    Returns:
        The normalised text with its offset map.
    """
    layers: list[_Layer] = []
    # Look-alikes and ignorable characters are rare: one scan of the input for
    # both usually replaces the scans that would handle them (neither step makes
    # the other's), and then a plain lower() does steps 1 and 2.
    if _raw_special_re().search(s) is None:
        t = s.lower()
        if len(t) != len(s):  # only on a future Unicode with new expanding mappings
            t = _lower(s)
        t, layer = _squeeze(t, ignorables=False)
    else:
        t, layer = _squeeze(_SUBST_RE.sub(_subst_one, _lower(s)))
    if layer is not None:
        layers.append(layer)
    # Decomposed Vietnamese marks are a sure sign; looking for them first saves an
    # is_normalized() call, which is slow on text that is not NFC.
    if any(mark in t for mark in _VI_MARKS) or not unicodedata.is_normalized("NFC", t):
        t = _compose(t, layers)
    t, layer = _tone(t)
    if layer is not None:
        layers.append(layer)
    return NormalizedText(s, t, tuple(layers))


def normalize_term(s: str) -> str:
    """Normalise a dictionary term exactly like text, without the offset map.

    Args:
        s: A term or phrase in any case, spelling of tones, or Unicode form.

    Returns:
        The normalised term with surrounding spaces removed.
    """
    return normalize(s).text.strip(" ")


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {ord("đ"): "d", ord("Đ"): "D", ord("ð"): "d", ord("Ð"): "D"}
    for start, end in ((0xC0, 0x250), (0x1E00, 0x1F00)):
        for cp in range(start, end):
            dec = unicodedata.normalize("NFD", chr(cp))
            base, marks = dec[0], dec[1:]
            if (
                base.isascii()
                and base.isalpha()
                and marks
                and all(unicodedata.combining(c) for c in marks)
            ):
                table[cp] = base
    return table


_FOLD = _fold_table()


def fold(s: str) -> str:
    """Remove Vietnamese diacritics from an already-normalised string.

    ``đ → d``, ``ư → u``, ``ơ → o``, ``ă``/``â → a``, ``ê → e``, ``ô → o`` and all
    tone marks are removed; other precomposed Latin letters lose their marks too.
    The result has the same length as the input, so offsets carry over.

    Args:
        s: A string, normally the output of :func:`normalize` or
            :func:`normalize_term`.

    Returns:
        The diacritic-free string.
    """
    return s.translate(_FOLD)
