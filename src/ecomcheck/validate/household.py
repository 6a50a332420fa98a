"""Household-business (hộ kinh doanh, HKD) registration numbers.

Forms seen on sites (legal-vn §6.3):

* a 10-digit tax code, or the 13-digit dependent-unit form of the owner's personal
  tax code (``0108977908-001``), both checksummed like any tax code;
* since 01/07/2025 the owner's 12-digit personal identification number;
* older registration codes of some provinces: two digits, one or two letters and
  digits, 8–10 characters (``41A8012345``, ``01N8001234``). These are only
  trusted when the label says "hộ kinh doanh" and have no check digit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ecomcheck.validate.personal_id import parse_personal_id
from ecomcheck.validate.taxcode import parse_tax_code

__all__ = ["HouseholdForm", "HouseholdNumber", "parse_household_number"]

HouseholdForm = Literal["tax_code", "branch_of_personal_tax_code", "personal_id", "alphanumeric"]

_ALNUM_RE = re.compile(r"[0-9]{2}[A-Za-z]{1,2}[0-9]{4,7}")


@dataclass(frozen=True, slots=True)
class HouseholdNumber:
    """A household-business registration number that passed the format rules.

    Attributes:
        normalized: Canonical text (``"0108977908-001"``, 12 digits, or the
            upper-cased alphanumeric code).
        form: Which of the accepted forms it has.
        valid_check_digit: For the tax-code forms, whether the check digit is
            right; ``None`` for forms without a check digit.
    """

    normalized: str
    form: HouseholdForm
    valid_check_digit: bool | None


def parse_household_number(s: str) -> HouseholdNumber | None:
    """Parse a household-business registration number.

    Call it only for values labelled as a household registration: the
    alphanumeric form is too loose to be recognised without a label.

    Args:
        s: The number as printed.

    Returns:
        The parsed number, or ``None`` for malformed values such as the 9-digit
        ``889528016-001`` or an 8-digit hotline printed as "MST".
    """
    s = s.strip()
    tc = parse_tax_code(s)
    if tc is not None:
        form: HouseholdForm = "tax_code" if tc.branch is None else "branch_of_personal_tax_code"
        return HouseholdNumber(tc.normalized, form, tc.valid_check_digit)
    pid = parse_personal_id(s)
    if pid is not None:
        return HouseholdNumber(pid.digits, "personal_id", None)
    compact = s.replace(" ", "").replace(".", "")
    if 8 <= len(compact) <= 10 and _ALNUM_RE.fullmatch(compact):
        return HouseholdNumber(compact.upper(), "alphanumeric", None)
    return None
