"""Vietnamese enterprise code / tax code (mã số doanh nghiệp, mã số thuế, MST).

Structure (Circular 105/2020/TT-BTC Art. 5, kept by Circular 86/2024/TT-BTC):
``N1N2 N3..N9 N10`` with an optional ``-N11N12N13`` suffix numbering dependent units
(branches, business locations, some household businesses). ``N10`` is a check
digit: modulus 11 with weights 31, 29, 23, 19, 17, 13, 7, 5, 3.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ecomcheck.validate._textprep import ascii_digits

__all__ = ["TaxCode", "is_valid_tax_code", "mst_check_digit", "parse_tax_code"]

_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)

# 10 digits, optionally grouped by single spaces or dots ("010 6411 810",
# "010.7467.693"), then an optional 3-digit unit suffix with a dash or glued on.
_TAX_RE = re.compile(
    r"(?P<main>[0-9](?:[ .]?[0-9]){9})"
    r"(?:\s*[-\u2010-\u2015]\s*(?P<branch>[0-9]{3})|(?P<glued>[0-9]{3}))?"
)


def mst_check_digit(first9: str) -> int | None:
    """Compute the check digit (N10) of a tax code from its first nine digits.

    ``S = 31·N1 + 29·N2 + 23·N3 + 19·N4 + 17·N5 + 13·N6 + 7·N7 + 5·N8 + 3·N9``,
    ``r = S mod 11``. The check digit is ``10 - r``; ``r == 10`` gives 0. When
    ``r == 0`` the tax authority skips the sequence, so no code starts with these
    nine digits. (``(11 - r) % 11`` and ``(10 - r) % 10`` are known wrong variants.)

    Args:
        first9: Exactly nine ASCII digits.

    Returns:
        The check digit 0–9, or ``None`` when these nine digits are never issued.

    Raises:
        ValueError: If ``first9`` is not nine ASCII digits.
    """
    if len(first9) != 9 or not (first9.isascii() and first9.isdigit()):
        raise ValueError(f"expected 9 ASCII digits, got {first9!r}")
    r = sum(w * (ord(c) - 48) for w, c in zip(_WEIGHTS, first9, strict=True)) % 11
    if r == 0:
        return None
    return 10 - r  # r == 10 gives 0 here, as the circular requires


@dataclass(frozen=True, slots=True)
class TaxCode:
    """A parsed 10- or 13-digit tax code.

    Attributes:
        digits: The ten main digits.
        branch: The three-digit dependent-unit suffix, or ``None``.
        valid_check_digit: Whether digit 10 matches :func:`mst_check_digit`.
        normalized: ``"0101248141"`` or ``"0101248141-001"``.
    """

    digits: str
    branch: str | None
    valid_check_digit: bool
    normalized: str

    @property
    def is_branch(self) -> bool:
        """True for a dependent unit (13-digit form)."""
        return self.branch is not None


def parse_tax_code(s: str) -> TaxCode | None:
    """Parse a tax code as printed on a page.

    Accepts ``"0101248141"``, ``"0101248141-001"``, ``"0101248141 - 001"``,
    ``"0101248141001"``, ``"010 6411 810"`` and ``"010.7467.693"``. The check digit
    is not required to be right: see :attr:`TaxCode.valid_check_digit`.

    Args:
        s: The code, surrounding whitespace allowed.

    Returns:
        The parsed code, or ``None`` if the shape is not a tax code (wrong number
        of digits, letters, branch ``000``).
    """
    m = _TAX_RE.fullmatch(ascii_digits(s).strip())
    if m is None:
        return None
    digits = m["main"].replace(" ", "").replace(".", "")
    branch = m["branch"] or m["glued"]
    if branch == "000":
        return None
    check = mst_check_digit(digits[:9])
    valid = check is not None and check == ord(digits[9]) - 48
    normalized = digits if branch is None else f"{digits}-{branch}"
    return TaxCode(digits, branch, valid, normalized)


def is_valid_tax_code(s: str) -> bool:
    """True when ``s`` parses as a tax code with a correct check digit."""
    tc = parse_tax_code(s)
    return tc is not None and tc.valid_check_digit
