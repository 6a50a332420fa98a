"""Lines of a text, normalised together, with offsets back to the original text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ecomcheck.text.normalize import NormalizedText, fold, normalize


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
