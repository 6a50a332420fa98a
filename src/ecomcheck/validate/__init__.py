"""Validators for Vietnamese identifiers, phones, e-mail addresses and domains."""

from ecomcheck.validate.domain import host_of, registrable_domain, same_site
from ecomcheck.validate.email import EmailMatch, find_emails, is_valid_email
from ecomcheck.validate.household import HouseholdNumber, parse_household_number
from ecomcheck.validate.personal_id import PersonalId, is_personal_id, mask_id, parse_personal_id
from ecomcheck.validate.phone import PhoneKind, PhoneMatch, find_phones, parse_phone
from ecomcheck.validate.taxcode import (
    TaxCode,
    is_valid_tax_code,
    mst_check_digit,
    parse_tax_code,
)

__all__ = [
    "EmailMatch",
    "HouseholdNumber",
    "PersonalId",
    "PhoneKind",
    "PhoneMatch",
    "TaxCode",
    "find_emails",
    "find_phones",
    "host_of",
    "is_personal_id",
    "is_valid_email",
    "is_valid_tax_code",
    "mask_id",
    "mst_check_digit",
    "parse_household_number",
    "parse_personal_id",
    "parse_phone",
    "parse_tax_code",
    "registrable_domain",
    "same_site",
]
