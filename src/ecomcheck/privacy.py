"""Masking of personal data in rendered evidence.

Since 07/2025 individuals and household businesses use their 12-digit personal
identification number (CCCD) as tax code, so pages print it next to "MST". Evidence
must not repeat it: every digit but the last three is replaced by ``*``.

What is masked: a number of exactly 12 digits, written in one run or in equal groups
with one separator ("001099012345", "0010 9901 2345", "001 099 012 345",
"001.099.012.345", "001-099-012-345"; full-width digits too), that has the format of
a personal number (:func:`~ecomcheck.validate.personal_id.parse_personal_id`) and
either starts with a Vietnamese province code (001–096) or follows a label that
names it (MST, CCCD, CMND, căn cước, định danh…; a citizen born abroad has a
country code there). Longer runs (13-digit tax codes, most bank accounts, card
numbers written as one run) and 10-digit phone numbers are not masked; a 12-digit
bank account that starts like a province code is, which costs the reader little.

Masking keeps the length of the text, so offsets into the original page still
point at the same characters.
"""

from __future__ import annotations

import re

from ecomcheck.validate._textprep import ascii_digits
from ecomcheck.validate.personal_id import parse_personal_id

__all__ = ["mask_ids_in_span", "mask_ids_in_text", "personal_id_spans"]

_MASK = "*"
_D = "0-9\uff10-\uff19"  # ASCII and full-width digits
# A chain of digit groups joined by single separators; IDs are looked for inside it.
_CHAIN = re.compile(rf"[{_D}]+(?:[ .\-\u00a0][{_D}]+)*")
_GROUP = re.compile(rf"[{_D}]+")
# Labels that say the number is a personal number, whatever its place code.
_LABEL = re.compile(
    r"(?:\bmst\b|mã số thuế|ma so thue|tax code|\bcccd\b|\bcmnd\b|\bcmt\b|căn cước|can cuoc"
    r"|định danh|dinh danh|chứng minh|personal id)[^0-9\uff10-\uff19]{0,12}$"
)
_LABEL_WINDOW = 40
# Group sizes an ID is printed in: one run of 12, 3×4 or 4×3.
_LAYOUTS = ((12, 1), (4, 3), (3, 4), (6, 2))


def _plausible(digits: str, labelled: bool) -> bool:
    if parse_personal_id(digits) is None:
        return False
    return labelled or "001" <= digits[:3] <= "096"


def personal_id_spans(text: str, *, labelled: bool = False) -> list[tuple[int, int]]:
    """Find the personal identification numbers in a text.

    Args:
        text: Any text (a whole page's visible text, a snippet, an alt text).
        labelled: Treat every number as labelled: accept any place code the format
            allows (used for a span already known to be a personal number).

    Returns:
        ``(start, end)`` of each number, in text order.
    """
    out: list[tuple[int, int]] = []
    for chain in _CHAIN.finditer(text):
        if chain.end() - chain.start() < 12:
            continue
        groups = [g.span() for g in _GROUP.finditer(text, chain.start(), chain.end())]
        i = 0
        while i < len(groups):
            found = _id_at(text, groups, i, labelled)
            if found is None:
                i += 1
                continue
            out.append((groups[i][0], groups[found - 1][1]))
            i = found
    return out


def _id_at(text: str, groups: list[tuple[int, int]], i: int, labelled: bool) -> int | None:
    """Index after the last group of an ID starting at group ``i``, or ``None``."""
    for size, count in _LAYOUTS:
        part = groups[i : i + count]
        if len(part) < count or any(e - s != size for s, e in part):
            continue
        seps = {text[part[k][1]] for k in range(count - 1)}
        if len(seps) > 1:
            continue  # "001 099.012 345" is not one number
        digits = ascii_digits("".join(text[s:e] for s, e in part))
        near_label = labelled or (
            _LABEL.search(text[max(0, part[0][0] - _LABEL_WINDOW) : part[0][0]].lower()) is not None
        )
        if _plausible(digits, near_label):
            return i + count
    return None


def mask_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """Mask every digit but the last three of each span, keeping separators in place."""
    if not spans:
        return text
    chars = list(text)
    for s, e in spans:
        pos = [k for k in range(s, e) if ascii_digits(chars[k]).isdigit()]
        for k in pos[:-3]:
            chars[k] = _MASK
    return "".join(chars)


def mask_ids_in_text(text: str, *, labelled: bool = False) -> str:
    """Mask every personal identification number in a text but its last three digits.

    Args:
        text: Any text.
        labelled: See :func:`personal_id_spans`.

    Returns:
        The text, same length, or the very same object when nothing was masked.
    """
    return mask_spans(text, personal_id_spans(text, labelled=labelled))


# What a chain is made of (see ``_CHAIN``): digits, and single separators between them.
_CHAIN_DIGITS = frozenset("0123456789") | frozenset(chr(c) for c in range(0xFF10, 0xFF1A))
_CHAIN_SEPS = frozenset(" .-\u00a0")


def mask_ids_in_span(text: str, lo: int, hi: int) -> str:
    """``mask_ids_in_text(text)[lo:hi]``, reading only the stretch around the span.

    The stretch is widened to the whole number chains the span's edges touch, and
    reaches back far enough for their labels, so the result is the same as masking
    the whole text: evidence of a long page costs a few hundred characters, not a pass.

    Args:
        text: The whole text.
        lo: Start of the span (clamped to the text).
        hi: End of the span (clamped).

    Returns:
        The span, same length, personal numbers masked.
    """
    n = len(text)
    lo = max(0, min(lo, n))
    hi = max(lo, min(hi, n))
    a, b = lo, hi
    digits, seps = _CHAIN_DIGITS, _CHAIN_SEPS
    while a > 0 and (
        text[a - 1] in digits or (text[a - 1] in seps and a > 1 and text[a - 2] in digits)
    ):
        a -= 1
    while b < n and (
        text[b] in digits or (text[b] in seps and b + 1 < n and text[b + 1] in digits)
    ):
        b += 1
    a = max(0, a - _LABEL_WINDOW)
    local = text[a:b]
    masked = mask_ids_in_text(local)
    return text[lo:hi] if masked is local else masked[lo - a : hi - a]
