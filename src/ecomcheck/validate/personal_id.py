"""Twelve-digit personal identification number (số định danh cá nhân, CCCD).

Structure (Decree 137/2015, Circular 07/2016/TT-BCA; kept by the 2023 Law on
Identification): digits 1–3 are the code of the province where the birth was
registered (001–096) or a country code for births registered abroad; digit 4 is
century and sex (0/1 = male/female born 1900–1999, 2/3 = 2000–2099, …); digits 5–6
are the last two digits of the birth year; digits 7–12 are random. There is no
check digit, so only the format can be checked.

Since 01/07/2025 individuals and household businesses use this number as their
tax code, so it legitimately appears after "MST" labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ecomcheck.validate._textprep import ascii_digits

__all__ = ["PersonalId", "is_personal_id", "mask_id", "parse_personal_id"]

# The 63 pre-2025 province codes. Informational only: the legal note warns against
# using the list as a strict filter, so unknown codes are accepted.
_PROVINCE_CODES = frozenset(
    [
        "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019",
        "020", "022", "024", "025", "026", "027", "030", "031", "033", "034", "035", "036",
        "037", "038", "040", "042", "044", "045", "046", "048", "049", "051", "052", "054",
        "056", "058", "060", "062", "064", "066", "067", "068", "070", "072", "074", "075",
        "077", "079", "080", "082", "083", "084", "086", "087", "089", "091", "092", "093",
        "094", "095", "096",
    ]
)  # fmt: skip

_ID_RE = re.compile(r"[0-9]{3}[ .]?[0-9]{3}[ .]?[0-9]{3}[ .]?[0-9]{3}")


@dataclass(frozen=True, slots=True)
class PersonalId:
    """A 12-digit personal identification number that passed the format check.

    Attributes:
        digits: The 12 digits.
        place_code: Digits 1–3.
        place_kind: ``"province"`` for one of the 63 province codes, ``"country"``
            for 100 and above (birth registered abroad), ``"unknown"`` otherwise.
        sex: ``"male"`` or ``"female"`` from digit 4.
        birth_year: Full birth year from digits 4–6.
    """

    digits: str
    place_code: str
    place_kind: Literal["province", "country", "unknown"]
    sex: Literal["male", "female"]
    birth_year: int

    @property
    def masked(self) -> str:
        """The number with all but the last three digits masked (see :func:`mask_id`)."""
        return mask_id(self.digits)


def parse_personal_id(s: str, *, max_birth_year: int | None = None) -> PersonalId | None:
    """Check the format of a 12-digit personal identification number.

    Groups of three separated by one space or dot are accepted.

    Args:
        s: The number.
        max_birth_year: If given, reject numbers encoding a later birth year.

    Returns:
        The parsed number, or ``None`` when the shape is impossible: not 12 digits,
        place code ``000``, or a century digit above 3 (born 2100 or later).
    """
    s = ascii_digits(s).strip()
    if _ID_RE.fullmatch(s) is None:
        return None
    d = s.replace(" ", "").replace(".", "")
    place = d[:3]
    century_sex = ord(d[3]) - 48
    if place == "000" or century_sex > 3:
        return None
    year = 1900 + 100 * (century_sex // 2) + int(d[4:6])
    if max_birth_year is not None and year > max_birth_year:
        return None
    kind: Literal["province", "country", "unknown"]
    if place in _PROVINCE_CODES:
        kind = "province"
    elif place >= "100":
        kind = "country"
    else:
        kind = "unknown"
    return PersonalId(d, place, kind, "male" if century_sex % 2 == 0 else "female", year)


def is_personal_id(s: str) -> bool:
    """True when ``s`` has the format of a 12-digit personal identification number."""
    return parse_personal_id(s) is not None


_DIGIT = re.compile(r"[0-9]")


def mask_id(s: str, mask_char: str = "•") -> str:
    """Mask every digit of an identifier except the last three.

    A published personal ID is personal data, so reports show ``"•••••••••123"``
    rather than the number. Non-digit characters (spaces, dots, dashes) are kept so
    the masked value lines up with the original.

    Args:
        s: The identifier as printed.
        mask_char: Replacement character; ``"•"`` (U+2022) by default, ``"*"`` for
            ASCII-only output.

    Returns:
        The masked identifier; unchanged if it has three digits or fewer.
    """
    n = len(_DIGIT.findall(s))
    if n <= 3:
        return s
    keep_from = n - 3
    count = 0

    def repl(m: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return mask_char if count <= keep_from else m.group()

    return _DIGIT.sub(repl, s)
