"""Seller identity facts from a page's visible text.

Decree 52/2013 Art. 29 asks a selling website for the owner's name, the number,
issue date and issuing authority of its business registration, and a contact. This
module finds those facts as they are printed in footers and "about" pages:

* registration numbers after their labels (MSDN, MST, GPKD, ĐKKD, Giấy CNĐKDN,
  "Business Registration No.", household labels, branch and business-location
  codes…), classified and checksummed;
* look-alike licences (GP-BTTTT, GCNĐT, ĐKSP…) kept apart in ``other_licences``;
* issuing authorities, issue dates and owner names, with an association from each
  registration number to the nearest ones.

All matching runs once over the lower-cased text with a single trie-shaped,
literal-first pattern; every fact keeps offsets into the original text.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from ecomcheck.validate._textprep import (
    PAGE_PHRASES,
    PhraseMatcher,
    Prepared,
    alt,
    ascii_fold,
    is_word_end,
    is_word_start,
    line_bounds,
    prepare,
    trie_pattern,
)
from ecomcheck.validate.household import HouseholdNumber, parse_household_number
from ecomcheck.validate.personal_id import parse_personal_id
from ecomcheck.validate.taxcode import TaxCode, parse_tax_code

__all__ = [
    "KNOWN_OPERATORS",
    "KNOWN_OPERATOR_SITES",
    "IdentityFacts",
    "IssueDate",
    "Issuer",
    "OtherLicence",
    "OwnerName",
    "RegistrationKind",
    "RegistrationNumber",
    "extract_identity",
]

RegistrationKind = Literal["enterprise", "household", "personal_id", "old_format", "unknown"]
IssuerKind = Literal["dpi", "finance", "registration_office", "district", "tax", "other"]
DateKind = Literal["first_issue", "issue", "change"]
OwnerKind = Literal["company", "private_enterprise", "household", "person"]
LicenceKind = Literal[
    "investment_certificate",
    "information_licence",
    "social_network_licence",
    "product_declaration",
    "icp",
    "licence",
]

#: Tax codes of well-known marketplace operators, as printed in their own footers.
#: A seller site showing one of these is showing someone else's identity.
KNOWN_OPERATORS: dict[str, str] = {
    "0106773786": "Shopee",
    "0309532909": "Tiki",
    "0308808576": "Lazada",
    "0303217354": "Thế Giới Di Động",
    "0312776486": "Sendo",
}

#: Registrable domains where each operator's number is the page's own identity.
KNOWN_OPERATOR_SITES: dict[str, tuple[str, ...]] = {
    "0106773786": ("shopee.vn",),
    "0309532909": ("tiki.vn",),
    "0308808576": ("lazada.vn",),
    "0303217354": ("thegioididong.com", "dienmayxanh.com", "topzone.vn"),
    "0312776486": ("sendo.vn",),
}

# Associations: a fact belongs to a number in the same block or this close to it.
_NEAR = 200

# Since Decree 43/2010 (in force 01/06/2010) the number on a registration certificate
# is the enterprise code (= tax code). A certificate first issued (or issued) after
# this date cannot carry an old-format number, so a failing check digit is an error.
_ENTERPRISE_CODE_ERA = _dt.date(2011, 1, 1)


@dataclass(frozen=True, slots=True)
class Issuer:
    """An issuing authority ("do Sở KH&ĐT TP HCM cấp", "Nơi cấp: …").

    Attributes:
        raw: The authority as written (without "do"/"cấp"/"Nơi cấp:").
        start: Offset of ``raw`` in the original text.
        end: End offset of ``raw``.
        kind: ``dpi`` (Sở Kế hoạch và Đầu tư), ``finance`` (Sở Tài chính, after the
            2025 reorganisation), ``registration_office`` (Phòng Đăng ký kinh
            doanh), ``district`` (UBND / Phòng Tài chính – Kế hoạch: household
            businesses), ``tax`` (Cục/Chi cục Thuế) or ``other``.
    """

    raw: str
    start: int
    end: int
    kind: IssuerKind


@dataclass(frozen=True, slots=True)
class IssueDate:
    """An issue or amendment date of a registration.

    Attributes:
        raw: The date as written.
        start: Offset of ``raw`` in the original text.
        end: End offset of ``raw``.
        date: The parsed date, or ``None`` if it does not exist (``31/02/2015``).
        kind: ``first_issue`` ("cấp lần đầu", "first issued"), ``issue`` or
            ``change`` ("thay đổi lần thứ 5", "đăng ký lần thứ 18").
    """

    raw: str
    start: int
    end: int
    date: _dt.date | None
    kind: DateKind


@dataclass(frozen=True, slots=True)
class OwnerName:
    """A business or owner name.

    Attributes:
        raw: The whole mention ("Công ty TNHH Shopee", "Shopee Company Limited").
        start: Offset of ``raw`` in the original text.
        end: End offset of ``raw``.
        kind: ``company``, ``private_enterprise`` (DNTN), ``household`` (hộ kinh
            doanh) or ``person`` ("Chủ hộ:", "Chủ sở hữu:").
        legal_form: The legal-form words as written ("TNHH", "Cổ phần", "Co., Ltd"),
            or ``None``.
        name: The name without the legal form ("Shopee").
    """

    raw: str
    start: int
    end: int
    kind: OwnerKind
    legal_form: str | None
    name: str


@dataclass(frozen=True, slots=True)
class OtherLicence:
    """A licence or certificate number that is not a business registration.

    Attributes:
        raw: The number as written ("47/GP-TTĐT", "411032000105").
        start: Offset of ``raw`` in the original text.
        end: End offset of ``raw``.
        label: The label as written.
        label_start: Offset of the label.
        kind: What the label or number shape says it is.
    """

    raw: str
    start: int
    end: int
    label: str
    label_start: int
    kind: LicenceKind


@dataclass(frozen=True, slots=True)
class RegistrationNumber:
    """A business registration number (enterprise code, tax code, household code).

    Attributes:
        raw: The number as written ("010 6411 810", "0108977908-001").
        start: Offset of ``raw`` in the original text.
        end: End offset of ``raw``.
        label: The label as written ("Mã số doanh nghiệp", "MST/ĐKKD", "Số ĐKKD").
        label_start: Offset of the label.
        kind: ``enterprise`` (10/13-digit code), ``household``, ``personal_id``
            (12-digit number used as tax code since 07/2025), ``old_format`` (a
            registration-certificate number failing the checksum, likely pre-2010)
            or ``unknown`` (malformed: wrong length, letters).
        value: Normalised value ("0101248141-001", 12 digits, "41A8012345"; the
            bare digits for ``unknown``).
        tax_code: Parsed tax code for 10/13-digit values.
        household: Parsed household number for ``household``.
        valid_check_digit: Check-digit result for 10/13-digit values, else ``None``.
        operator: Marketplace operator owning this number (see ``KNOWN_OPERATORS``).
        issuer: The nearest issuing authority in the block or within ~200 chars.
        issue_date: The nearest issue date (first issue preferred) likewise.
        owner: The nearest owner name before it (or after it in the same block).
    """

    raw: str
    start: int
    end: int
    label: str
    label_start: int
    kind: RegistrationKind
    value: str
    tax_code: TaxCode | None
    household: HouseholdNumber | None
    valid_check_digit: bool | None
    operator: str | None
    issuer: Issuer | None = None
    issue_date: IssueDate | None = None
    owner: OwnerName | None = None

    @property
    def has_issuer(self) -> bool:
        """True when an issuing authority was found near the number."""
        return self.issuer is not None

    @property
    def has_issue_date(self) -> bool:
        """True when an issue date was found near the number."""
        return self.issue_date is not None


@dataclass(frozen=True, slots=True)
class IdentityFacts:
    """Everything :func:`extract_identity` found, each list in text order."""

    registration_numbers: tuple[RegistrationNumber, ...] = ()
    other_licences: tuple[OtherLicence, ...] = ()
    issuers: tuple[Issuer, ...] = ()
    issue_dates: tuple[IssueDate, ...] = ()
    owner_names: tuple[OwnerName, ...] = ()

    @property
    def empty(self) -> bool:
        """True when no identity fact at all was found."""
        return not (
            self.registration_numbers
            or self.other_licences
            or self.issuers
            or self.issue_dates
            or self.owner_names
        )


# --------------------------------------------------------------------------- anchors
# category, sub-kind. Categories: reg (registration label), lic (other licence
# label), iss (issuer label), auth (authority name), date (date anchor), own
# (owner form before a name), ownlab (owner label), ownsfx (English suffix after
# a name).

_CERT_LABELS = (
    "gpkd", "gpđkkd", "giấy phép kinh doanh", "giấy phép đkkd", "giấy phép đăng ký kinh doanh",
    "giấy cnđkdn", "giấy cn đkdn", "gcnđkdn", "gcn đkdn", "cnđkdn", "giấy đkdn", "đkdn",
    "gcnđkkd", "gcn đkkd", "giấy cnđkkd", "giấy cn đkkd", "cnđkkd", "giấy đkkd", "đkkd",
    "giấy chứng nhận đăng ký doanh nghiệp", "giấy chứng nhận đăng ký kinh doanh",
    "giấy chứng nhận kinh doanh", "giấy chứng nhận đkkd", "giấy chứng nhận đkdn",
    "số đăng ký kinh doanh", "số đăng ký doanh nghiệp", "đăng ký kinh doanh số",
    "mã số đăng ký kinh doanh", "mã số đăng ký doanh nghiệp",
)  # fmt: skip
_ANCHOR_TABLE: dict[str, tuple[str, tuple[str, ...]]] = {
    "reg:enterprise": ("reg", (
        "mã số doanh nghiệp", "mã doanh nghiệp", "msdn", "mã số dn", "mã số đkdn",
        "enterprise code", "enterprise id", "enterprise number", "enterprise registration number",
        "enterprise registration code", "enterprise registration certificate",
        "enterprise registration certificate number", "enterprise registration certificate no",
    )),
    "reg:tax": ("reg", (
        "mã số thuế", "mã số thuế cá nhân", "mst", "mst cá nhân", "tax code", "tax id",
        "tax identification number", "tax number", "tax no", "tax registration number",
        "personal tax code", "personal tax id", "personal tax number",
    )),
    "reg:cert": ("reg", _CERT_LABELS + tuple("số " + x for x in _CERT_LABELS if x[:2] != "số") + (
        "business registration", "business registration number", "business registration no",
        "business registration code", "business registration certificate",
        "business registration certificate number", "business registration certificate no",
        "certificate of business registration", "certificate of enterprise registration",
        "business license", "business licence", "business license number",
        "business license no", "business licence number", "business licence no",
        "company registration number", "company registration no", "company registration code",
    )),
    "reg:household": ("reg", (
        "mã số hộ kinh doanh", "mã hộ kinh doanh", "số đăng ký hộ kinh doanh",
        "mã số đăng ký hộ kinh doanh", "giấy chứng nhận đăng ký hộ kinh doanh",
        "giấy đăng ký hộ kinh doanh", "giấy cn đkhkd", "giấy cnđkhkd", "gcnđkhkd", "đkhkd",
        "mã số hkd", "household business registration", "household business registration number",
        "household business registration no", "household business registration certificate",
        "household business code",
    )),
    # Dependent units (branch, business location, representative office) have the
    # parent's code plus "-NNN" as their own enterprise / tax code.
    "reg:branch": ("reg", (
        "mã số chi nhánh", "mã chi nhánh", "mscn", "mst chi nhánh", "mã số thuế chi nhánh",
        "mã số địa điểm kinh doanh", "mã địa điểm kinh doanh", "mã số địa điểm",
        "mã số đơn vị phụ thuộc", "mã số thuế đơn vị phụ thuộc", "mã số văn phòng đại diện",
        "mã số vpđd", "branch code", "branch tax code", "branch number", "branch id",
        "business location code",
    )),
    "reg:generic": ("reg", ("mã số đăng ký",)),
    "lic:investment_certificate": ("lic", (
        "gcnđt", "gcn đt", "giấy cnđt", "giấy cn đt", "gcnđkđt", "giấy chứng nhận đầu tư",
        "giấy chứng nhận đăng ký đầu tư", "investment certificate",
        "investment registration certificate",
    )),
    "lic:social_network_licence": ("lic", (
        "giấy phép thiết lập mạng xã hội", "giấy phép mạng xã hội", "giấy phép mxh", "gp mxh",
        "social network licence", "social network license",
    )),
    "lic:information_licence": ("lic", (
        "giấy phép thiết lập trang thông tin điện tử",
        "giấy phép thiết lập trang thông tin điện tử tổng hợp", "giấy phép ttđt",
        "giấy phép cung cấp thông tin", "giấy phép cung cấp dịch vụ",
    )),
    "lic:product_declaration": ("lic", (
        "đksp", "số tự công bố", "số công bố", "số tcb", "số đăng ký sản phẩm",
        "số tiếp nhận", "sđk",
    )),
    "lic:icp": ("lic", ("icp", "giấy phép icp", "icp license", "icp licence")),
    "lic:licence": ("lic", (
        "giấy phép", "gp", "license", "licence", "license no", "licence no",
        "license number", "licence number",
    )),
    "iss:label": ("iss", (
        "nơi cấp", "cơ quan cấp", "issued by", "first issued by", "place of issue",
        "issuing authority", "issuing agency",
    )),
    "auth:dpi": ("auth", (
        "sở kế hoạch", "sở kh&đt", "sở kh & đt", "sở kh và đt", "sở khđt", "sở kh-đt",
        "sở kh - đt", "sở kh đt", "sở kh&amp;đt", "sở kế hoạch đầu tư",
        "department of planning and investment", "department of planning & investment",
        "department of planning", "dpi",
    )),
    "auth:finance": ("auth", ("sở tài chính", "department of finance")),
    "auth:registration_office": ("auth", (
        "phòng đăng ký kinh doanh", "phòng đkkd", "business registration office",
    )),
    "auth:district": ("auth", (
        "ubnd", "ủy ban nhân dân", "uỷ ban nhân dân", "phòng tài chính", "phòng kinh tế",
        "people's committee", "people\u2019s committee",
    )),
    "auth:tax": ("auth", ("cục thuế", "chi cục thuế", "tax department")),
    "date:first_issue": ("date", (
        "cấp lần đầu", "đăng ký lần đầu", "first issued", "first issued on", "first registered",
        "initially issued",
    )),
    "date:issue": ("date", (
        "cấp ngày", "ngày cấp", "ngày đăng ký", "issued on", "date of issue", "issue date",
        "issued date", "date of issuance", "registered on", "date of registration",
        "registration date",
    )),
    "date:change": ("date", (
        "thay đổi lần", "sửa đổi lần", "đăng ký thay đổi", "đăng ký lần thứ", "cấp lần thứ",
        "amended on", "last amended", "changed on",
    )),
    "own:company": ("own", ("công ty", "cty", "tổng công ty")),
    "own:private_enterprise": ("own", ("doanh nghiệp tư nhân", "dntn")),
    "own:household": ("own", ("hộ kinh doanh", "hkd")),
    "ownlab:person": ("ownlab", (
        "chủ hộ", "chủ hộ kinh doanh", "chủ sở hữu", "chủ sở hữu website", "chủ doanh nghiệp",
        "cá nhân kinh doanh", "người bán", "chủ shop", "chủ cửa hàng", "người đại diện",
        "người đại diện theo pháp luật", "owner", "business owner", "website owner",
        "legal representative",
    )),
    "ownlab:company": ("ownlab", (
        "tên doanh nghiệp", "tên công ty", "đơn vị chủ quản", "company name", "tên đơn vị",
    )),
    "ownlab:household": ("ownlab", ("tên hộ kinh doanh",)),
    "ownsfx:company": ("ownsfx", (
        "company limited", "co., ltd", "co.,ltd", "co. ltd", "co.ltd", "co ltd", "co., ltd.",
        "co.,ltd.", "jsc", "joint stock company", "limited liability company", "llc",
        "corporation", "joint-stock company",
    )),
}  # fmt: skip


def _build_anchor_index() -> tuple[list[str], dict[str, tuple[str, str]]]:
    index: dict[str, tuple[str, str]] = {}
    phrases: list[str] = []
    for key, (cat, words) in _ANCHOR_TABLE.items():
        sub = key.split(":", 1)[1]
        for w in words:
            folded = ascii_fold(w)
            prev = index.get(folded)
            if prev is not None and prev != (cat, sub):
                raise ValueError(f"ambiguous anchor {w!r}: {prev} vs {(cat, sub)}")
            index[folded] = (cat, sub)
            phrases.append(w)
    return phrases, index


_ANCHOR_PHRASES, _ANCHOR_INDEX = _build_anchor_index()
# Whole-text scan, shared with the contact extractor's address labels.
_ANCHOR_SLOT = PAGE_PHRASES.add(PhraseMatcher(_ANCHOR_PHRASES))
_ANCHOR_RE = re.compile(trie_pattern(_ANCHOR_PHRASES))  # small windows only

# -------------------------------------------------------------------------- values
_FILLER_RE = re.compile(
    r"[\s:：.#\-–()]*(?:"
    + alt("số", "no", "nr", "number", "num", "là")
    + r"(?![^\W\d_])\.?[\s:：.#]*)?(?:\()?\s*"
)
_VALUE_RE = re.compile(
    r"(?P<lic>[0-9]{1,6}(?: ?/ ?[0-9a-zđ]+(?:[-–.][0-9a-zđ]+)*)+)"
    r"|(?P<num>[0-9]{8,13}|[0-9]{2,4}(?:[ .][0-9]{2,4}){1,4})"
    r"(?P<branch> ?[-–] ?[0-9]{3})?(?![0-9a-zđ])"
    r"|(?P<alnum>[0-9]{2}[a-z]{1,2}[0-9]{4,7})(?![0-9a-zđ])"
)
# Between two labels naming the same number ("Mã số doanh nghiệp/Mã số thuế:").
_LABEL_JOIN_RE = re.compile(
    r"[\s/&,\-–():]*(?:" + alt("hoặc", "và", "or", "and") + r"[\s/&,\-–():]*)?"
)
_NON_DIGIT = re.compile(r"[^0-9]")

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MON = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_RE = re.compile(
    r"(?P<d1>[0-9]{1,2}) ?(?P<s>[/.\-]) ?(?P<m1>[0-9]{1,2}) ?(?P=s) ?(?P<y1>[0-9]{4})(?![0-9])"
    rf"|(?P<d2>[0-9]{{1,2}})\s+{alt('tháng')}\s+(?P<m2>[0-9]{{1,2}}),?\s+{alt('năm')}\s+"
    r"(?P<y2>[0-9]{4})"
    rf"|(?P<d3>[0-9]{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mo3>{_MON})\.?,?\s+(?P<y3>[0-9]{{4}})"
    rf"|(?P<mo4>{_MON})\.?\s+(?P<d4>[0-9]{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y4>[0-9]{{4}})"
    r"|(?P<y5>[0-9]{4})-(?P<m5>[0-9]{2})-(?P<d5>[0-9]{2})"
)

# Where an authority name or an owner name stops (on lower-cased text).
_STOP_WORDS = (
    "cấp", "ngày", "đăng ký", "địa chỉ", "điện thoại", "hotline", "email", "e-mail", "mst",
    "mã số", "msdn", "gpkd", "website", "chịu trách nhiệm", "người đại diện", "đại diện",
    "tel", "phone", "address", "first", "issued", "on", "dated", "tax", "bản quyền",
    "copyright", "all rights", "giấy", "gcnđkdn", "số đkkd", "đkkd", "trụ sở", "văn phòng",
)  # fmt: skip
_STOP_RE = re.compile(
    r"[|;(\n•·©]|\s/\s|\.\s*$|\.\s+(?=[a-zđ]+\s*:)|:\s"
    r"|,?\s+(?:" + trie_pattern(_STOP_WORDS) + r")(?![^\W\d_])",
    re.M,
)
# Owner names also stop at dashes and commas; authority names may contain them
# ("Phòng Đăng ký kinh doanh – Sở Tài chính", "Phòng Kinh tế, Hạ tầng và Đô thị").
_NAME_STOP_EXTRA = re.compile(
    r"\s+" + alt("do", "là", "được", "thành viên", "với", "có", "tại", "bởi") + r"(?![^\W\d_])"
    r"|\s[-–—]|[-–—]\s|\.\s|\.$|,",
    re.M,
)
_FUNCTION_WORDS = frozenset(
    [
        "là", "được", "có", "của", "cho", "sẽ", "không", "các", "những", "này", "chúng",
        "tôi", "bạn", "với", "khi", "nếu", "thì", "mà",
    ]
)  # fmt: skip
_FORM_RE = re.compile(
    r"\s*("
    + trie_pattern(
        (
            "tnhh một thành viên",
            "tnhh mtv",
            "tnhh hai thành viên trở lên",
            "tnhh 2 thành viên",
            "tnhh",
            "trách nhiệm hữu hạn một thành viên",
            "trách nhiệm hữu hạn",
            "cổ phần",
            "cp",
            "hợp danh",
            "tnhh một thành viên (mtv)",
        )
    )
    + r")(?![^\W\d_])"
)
_CONNECTORS = frozenset({"&", "and", "of", "for", "-", "–"})
_ON_RE = re.compile(r"\s+on\s+")
# A full stop after a word that is no address abbreviation ("TP.", "Q.", "P."): the
# authority's sentence ended, so a later date is not its issue date.
_SENTENCE_END = re.compile(r"(?<![^\W_])(?!(?:tp|q|p|tx|tt|h|x|ph|kp|st)\.)[^\W\d_]+\.\s+[^\W\d_]")
_DATE_LEAD_RE = re.compile(
    r"\s*,?\s*(?:(?:cấp|đăng ký)\s+(?:vào\s+)?(?:ngày\s+)?|(?:vào\s+)?ngày\s+|on\s+)"
)

# Typed views of the anchor sub-kinds.
_ISSUER_KINDS: dict[str, IssuerKind] = {
    "dpi": "dpi",
    "finance": "finance",
    "registration_office": "registration_office",
    "district": "district",
    "tax": "tax",
}
_DATE_KINDS: dict[str, DateKind] = {
    "first_issue": "first_issue",
    "issue": "issue",
    "change": "change",
}
_OWNER_KINDS: dict[str, OwnerKind] = {
    "company": "company",
    "private_enterprise": "private_enterprise",
    "household": "household",
    "person": "person",
}
_LICENCE_KINDS: dict[str, LicenceKind] = {
    "investment_certificate": "investment_certificate",
    "information_licence": "information_licence",
    "social_network_licence": "social_network_licence",
    "product_declaration": "product_declaration",
    "icp": "icp",
    "licence": "licence",
}


# --------------------------------------------------------------------------- helpers
def _date_from(m: re.Match[str]) -> _dt.date | None:
    g = m.groupdict()
    try:
        if g["y1"]:
            return _dt.date(int(g["y1"]), int(g["m1"]), int(g["d1"]))
        if g["y2"]:
            return _dt.date(int(g["y2"]), int(g["m2"]), int(g["d2"]))
        if g["y3"]:
            return _dt.date(int(g["y3"]), _MONTHS[g["mo3"]], int(g["d3"]))
        if g["y4"]:
            return _dt.date(int(g["y4"]), _MONTHS[g["mo4"]], int(g["d4"]))
        return _dt.date(int(g["y5"]), int(g["m5"]), int(g["d5"]))
    except ValueError:
        return None


def _stop(low: str, start: int, limit: int, extra: re.Pattern[str] | None = None) -> int:
    """End of a name starting at ``start``: the first stop before ``limit``."""
    end = limit
    m = _STOP_RE.search(low, start, limit)
    if m is not None:
        end = m.start()
    if extra is not None:
        m2 = extra.search(low, start, end)
        if m2 is not None:
            end = m2.start()
    while end > start and low[end - 1] in " \t\u00a0.,;:-–—":
        end -= 1
    return end


def _caps_before(text: str, end: int, floor: int) -> int:
    """Start of the run of capitalised words that ends at ``end`` ("Dong Da District")."""
    start = end
    pos = end
    while True:
        j = pos
        while j > floor and text[j - 1] in " \t\u00a0":
            j -= 1
        i = j
        while i > floor and not text[i - 1].isspace():
            i -= 1
        tok = text[i:j]
        if not tok or i >= j:
            break
        if tok[-1] in ",:;|©" or tok in ("-", "–", "|"):
            break
        if tok[0].isupper() or (tok[0].isdigit() and not tok.isdigit()):
            start = i
        elif tok.lower() not in _CONNECTORS:
            break
        pos = i
    return start


def _looks_like_name(s: str, *, strict: bool = False) -> bool:
    """True for a capitalised name, or a short one without sentence words."""
    if len(s) < 2 or not any(c.isalpha() for c in s):
        return False
    words = s.split()
    if any(w[0].isupper() for w in words):
        return True
    if strict:
        return False
    # All lower case (CSS text-transform is lost in visible text): accept short
    # names that do not read like a sentence.
    nfc = {unicodedata.normalize("NFC", w) for w in words}
    return len(words) <= 8 and not _FUNCTION_WORDS.intersection(nfc)


# ------------------------------------------------------------------------ extraction
@dataclass(slots=True)
class _Anchor:
    cat: str
    sub: str
    start: int  # in low
    end: int


_COLON_NEXT = re.compile(r"\s*:")
_VI_ISSUER_LABELS = frozenset({"noi cap", "co quan cap"})


def _scan(p: Prepared) -> list[_Anchor]:
    low = p.low
    out: list[_Anchor] = []
    last_end = 0
    for s, e in PAGE_PHRASES.spans(low, _ANCHOR_SLOT):
        if s < last_end:
            continue
        # Word boundaries: "co ltd" inside "taco ltd", "mst" inside "mstore".
        if not (is_word_start(low, s) and is_word_end(low, e)):
            continue
        folded = ascii_fold(low[s:e])
        key = _ANCHOR_INDEX.get(folded)
        if key is None:
            continue
        if folded in _VI_ISSUER_LABELS and low[s:e].isascii() and not _COLON_NEXT.match(low, e):
            continue  # unaccented "Ha Noi cap lan dau" is not "Nơi cấp"
        out.append(_Anchor(key[0], key[1], s, e))
        last_end = e
    return out


_CELL_FILL = " \t\u00a0:："


def _next_cell(low: str, end: int, le: int) -> tuple[int, int] | None:
    """The next line, when a label ends its line alone (a table cell or a ``<dt>``).

    Args:
        low: The prepared text.
        end: End of the label.
        le: End of the label's line.

    Returns:
        Start and end of the next line, or ``None`` when the label's line goes on.
    """
    if le >= len(low) or any(c not in _CELL_FILL for c in low[end:le]):
        return None
    return le + 1, line_bounds(low, le + 1)[1]


class _Builder:
    def __init__(self, text: str) -> None:
        self.p = prepare(text)
        self.low = self.p.low
        self.regs: list[tuple[int, int, int, int, set[str], re.Match[str]]] = []
        self.lics: list[OtherLicence] = []
        self.issuers: list[Issuer] = []
        self.dates: list[IssueDate] = []
        self.owners: list[OwnerName] = []
        self.household_marks: list[int] = []

    # offsets ---------------------------------------------------------------
    def o(self, i: int) -> int:
        return self.p.orig(i)

    # registration labels -----------------------------------------------------
    def value_after(self, end: int) -> re.Match[str] | None:
        low = self.low
        f = _FILLER_RE.match(low, end)
        pos = f.end() if f is not None else end
        if low.count("\n", end, pos) > 1:
            return None
        return _VALUE_RE.match(low, pos)

    def handle_labels(self, anchors: list[_Anchor]) -> None:
        pending: tuple[int, set[str], int] | None = None  # label start, kinds, end
        for a in anchors:
            if a.cat not in ("reg", "lic"):
                continue
            kinds = {f"{a.cat}:{a.sub}"}
            lstart = a.start
            if pending is not None and _LABEL_JOIN_RE.fullmatch(self.low, pending[2], a.start):
                lstart, kinds = pending[0], pending[1] | kinds
            pending = None
            vm = self.value_after(a.end)
            if vm is None:
                pending = (lstart, kinds, a.end)
                continue
            self.regs.append((lstart, a.end, vm.start(), vm.end(), kinds, vm))

    # issuers ---------------------------------------------------------------
    def handle_issuers(self, anchors: list[_Anchor]) -> None:
        low = self.low
        last_end = -1
        # An authority name counts only near a registration label, an issuer label
        # or an issue date: "UBND phường" in an address is not an issuer.
        context = [x.start for x in anchors if x.cat in ("reg", "iss", "date")]
        for a in anchors:
            if a.cat not in ("iss", "auth") or a.start < last_end:
                continue
            if a.cat == "auth" and not any(abs(c - a.start) <= _NEAR for c in context):
                continue
            ls, le = line_bounds(low, a.start)
            kind: IssuerKind = "other"
            if a.cat == "iss":
                cell = _next_cell(low, a.end, le)
                if cell is not None:
                    # "Nơi cấp" alone in a table cell: the authority fills the next
                    # cell, unless that is a number or another label (a header row).
                    nxt = _ANCHOR_RE.match(low, cell[0])
                    key = _ANCHOR_INDEX.get(ascii_fold(nxt.group())) if nxt else None
                    value = low[cell[0] : cell[1]]
                    if (key is not None and key[0] != "auth") or not any(
                        c.isalpha() for c in value
                    ):
                        continue
                    a = _Anchor(a.cat, a.sub, a.start, cell[0])
                    le = cell[1]
                colon = low.find(":", a.end, min(le, a.end + 60))
                start = colon + 1 if colon >= 0 else a.end
                while start < le and low[start] in " \t\u00a0:":
                    start += 1
                if low.startswith("the ", start):
                    start += 4
                sub = _ANCHOR_RE.search(low, start, min(le, start + 80))
                if sub is not None:
                    key = _ANCHOR_INDEX.get(ascii_fold(sub.group()))
                    if key is not None and key[0] == "auth":
                        kind = _ISSUER_KINDS.get(key[1], "other")
                end = _stop(low, start, min(le, start + 150))
                if a.sub == "label" and end > start:
                    self.date_after_issuer(end, le, "first" in low[a.start : a.end])
            else:
                kind = _ISSUER_KINDS.get(a.sub, "other")
                start = a.start
                if low.startswith(("department", "dpi", "people"), a.start):
                    # English: "Hanoi DPI", "Dong Da District People's Committee".
                    start = self.p.orig(a.start)
                    start = _caps_before(self.p.text, start, self.o(ls))
                    start = self._to_low(start, a.start)
                    if a.sub == "dpi" and start == a.start and low[a.start : a.end] == "dpi":
                        continue  # "300 dpi" is a resolution
                end = _stop(low, a.end, min(le, a.start + 150))
                end = max(end, a.end)
                if _SENTENCE_END.search(low, a.end, end) is None:
                    self.date_after_authority(end, le)
            if end - start < 3:
                continue
            last_end = end
            self.issuers.append(Issuer(self.p.raw(start, end), self.o(start), self.o(end), kind))

    def _to_low(self, orig_pos: int, fallback: int) -> int:
        if self.p.pos is None:
            return orig_pos
        # Rare path (a character whose lower case is longer): search the map.
        for i in range(fallback, -1, -1):
            if self.p.pos[i] <= orig_pos:
                return i
        return fallback

    def date_after_issuer(self, end: int, le: int, first: bool) -> None:
        m = _ON_RE.match(self.low, end, le)
        if m is None:
            return
        dm = _DATE_RE.match(self.low, m.end(), le)
        if dm is not None:
            self.add_date(dm, "first_issue" if first else "issue")

    def date_after_authority(self, end: int, le: int) -> None:
        # "… do Sở KH&ĐT Hà Nội cấp ngày …" has its own anchor; "cấp bởi UBND quận 3
        # ngày 12/04/2019", "Sở KH&ĐT cấp 05/03/2020", "… cấp vào ngày …" and "issued
        # by Hanoi DPI on …" put the date right after the name.
        m = _DATE_LEAD_RE.match(self.low, end, le)
        if m is None:
            return
        dm = _DATE_RE.match(self.low, m.end(), le)
        if dm is not None:
            self.add_date(dm, "issue")

    # dates -----------------------------------------------------------------
    def add_date(self, dm: re.Match[str], kind: DateKind) -> None:
        s, e = dm.span()
        if any(d.start == self.o(s) for d in self.dates):
            return
        self.dates.append(IssueDate(self.p.raw(s, e), self.o(s), self.o(e), _date_from(dm), kind))

    def handle_dates(self, anchors: list[_Anchor]) -> None:
        low = self.low
        for a in anchors:
            if a.cat != "date":
                continue
            _, le = line_bounds(low, a.start)
            cell = _next_cell(low, a.end, le)
            if cell is not None:
                # "Ngày cấp" alone in a table cell: the date must fill the next cell.
                vs = cell[0]
                while vs < cell[1] and low[vs] in _CELL_FILL:
                    vs += 1
                dm = _DATE_RE.match(low, vs, cell[1])
                if dm is not None:
                    self.add_date(dm, _DATE_KINDS[a.sub])
                continue
            limit = min(le, a.end + (60 if a.sub != "change" else 45))
            dm = _DATE_RE.search(low, a.end, limit)
            if dm is None:
                continue
            # The date must belong to this anchor, not to a later labelled number.
            between = _ANCHOR_RE.search(low, a.end, dm.start())
            if between is not None:
                key = _ANCHOR_INDEX.get(ascii_fold(between.group()))
                if key is not None and key[0] in ("reg", "lic"):
                    continue
            self.add_date(dm, _DATE_KINDS[a.sub])

    # owners ----------------------------------------------------------------
    def handle_owners(self, anchors: list[_Anchor]) -> None:
        low, text = self.low, self.p.text
        last_end = -1
        for a in anchors:
            if a.cat in ("reg",) and a.sub == "household":
                self.household_marks.append(a.start)
            if a.cat not in ("own", "ownlab", "ownsfx") or a.start < last_end:
                continue
            ls, le = line_bounds(low, a.start)
            if a.cat == "own":
                if a.sub == "household":
                    self.household_marks.append(a.start)
                form_m = _FORM_RE.match(low, a.end) if a.sub == "company" else None
                if a.sub == "company" and form_m is None:
                    continue  # "công ty chúng tôi": no legal form, no name
                name_start = form_m.end() if form_m is not None else a.end
                while name_start < le and low[name_start] in " \t\u00a0:":
                    name_start += 1
                end = _stop(low, name_start, min(le, name_start + 120), _NAME_STOP_EXTRA)
                name = self.p.raw(name_start, end).strip()
                # Only a legal form makes an all-lower-case name believable.
                if not _looks_like_name(name, strict=form_m is None):
                    continue
                form = self.p.raw(*form_m.span(1)) if form_m is not None else None
                if form is None and a.sub != "company":
                    form = self.p.raw(a.start, a.end)
                kind = _OWNER_KINDS[a.sub]
                start = a.start
            elif a.cat == "ownlab":
                if a.sub == "household":
                    self.household_marks.append(a.start)
                vs = a.end
                while vs < le and low[vs] in " \t\u00a0:":
                    vs += 1
                if vs == a.end or low[a.end : vs].find(":") < 0:
                    continue  # owner labels need a colon ("Chủ hộ: …")
                nxt = _ANCHOR_RE.match(low, vs)
                if nxt is not None:
                    key = _ANCHOR_INDEX.get(ascii_fold(nxt.group()))
                    if key is not None and key[0] == "own":
                        continue  # the value is itself "Công ty …": let that anchor speak
                end = _stop(low, vs, min(le, vs + 120), _NAME_STOP_EXTRA)
                name = self.p.raw(vs, end).strip()
                if not _looks_like_name(name):
                    continue
                form, start = None, vs
                kind = _OWNER_KINDS[a.sub]
            else:  # English suffix after the name
                os_ = _caps_before(text, self.o(a.start), self.o(ls))
                start = self._to_low(os_, a.start)
                if start >= a.start:
                    continue
                end = a.end
                if low.endswith("ltd", a.start, end) and low.startswith(".", end):
                    end += 1  # "Co., Ltd."
                name = self.p.raw(start, a.start).strip(" ,-–")
                if not _looks_like_name(name):
                    continue
                form = self.p.raw(a.start, a.end)
                kind = "company"
            if start < last_end:
                continue
            last_end = end
            self.owners.append(
                OwnerName(self.p.raw(start, end), self.o(start), self.o(end), kind, form, name)
            )

    # registration numbers ----------------------------------------------------
    def build_numbers(self) -> list[RegistrationNumber]:
        out: list[RegistrationNumber] = []
        for lstart, lend, vs, ve, kinds, vm in self.regs:
            label = self.p.raw(lstart, lend)
            raw = self.p.raw(vs, ve)
            ostart, oend, olab = self.o(vs), self.o(ve), self.o(lstart)
            subs = {k.split(":", 1)[1] for k in kinds}
            cats = {k.split(":", 1)[0] for k in kinds}
            lic_kinds = [k.split(":", 1)[1] for k in kinds if k.startswith("lic:")]
            lic_kind = _LICENCE_KINDS[lic_kinds[0]] if lic_kinds else "licence"
            if vm["lic"] is not None:
                self.lics.append(OtherLicence(raw, ostart, oend, label, olab, lic_kind))
                continue
            if "reg" not in cats:
                tc = parse_tax_code(raw) if vm["num"] is not None else None
                if not (subs == {"licence"} and tc is not None and tc.valid_check_digit):
                    self.lics.append(OtherLicence(raw, ostart, oend, label, olab, lic_kind))
                    continue
            hh_label = "household" in subs
            near_hh = hh_label or any(abs(m - vs) <= 300 for m in self.household_marks)
            kind: RegistrationKind = "unknown"
            tax: TaxCode | None = None
            hh: HouseholdNumber | None = None
            valid: bool | None = None
            if vm["alnum"] is not None:
                value = raw.upper()
                if hh_label or "cert" in subs or ("generic" in subs and near_hh):
                    hh = parse_household_number(raw)
                    if hh is not None:
                        kind, value = "household", hh.normalized
            else:
                digits = _NON_DIGIT.sub("", vm["num"])
                branch = vm["branch"]
                value = digits + ("-" + _NON_DIGIT.sub("", branch) if branch else "")
                if len(digits) == 13 and branch is None:
                    tax = parse_tax_code(digits)
                elif len(digits) == 10:
                    tax = parse_tax_code(value)
                if tax is not None:
                    valid = tax.valid_check_digit
                    value = tax.normalized
                    if near_hh and (hh_label or tax.branch is not None or "tax" in subs):
                        hh = parse_household_number(value)
                        kind = "household"
                    elif valid or subs & {"tax", "enterprise", "household", "branch"}:
                        kind = "enterprise"
                    elif subs & {"cert", "generic"}:
                        kind = "old_format"
                elif len(digits) == 12 and branch is None:
                    pid = parse_personal_id(digits)
                    if pid is not None:
                        if hh_label:
                            hh = parse_household_number(digits)
                            kind = "household"
                        else:
                            kind = "personal_id"
            operator = KNOWN_OPERATORS.get(tax.digits) if tax is not None else None
            out.append(
                RegistrationNumber(
                    raw, ostart, oend, label, olab, kind, value, tax, hh, valid, operator
                )
            )
        return out


def _near(a_start: int, a_end: int, b_start: int, b_end: int, text: str) -> int | None:
    """Distance between two spans if they share a block or are within ``_NEAR``."""
    if b_start >= a_end:
        gap = b_start - a_end
    elif a_start >= b_end:
        gap = a_start - b_end
    else:
        return 0
    if gap <= _NEAR:
        return gap
    lo, hi = (a_end, b_start) if b_start >= a_end else (b_end, a_start)
    return gap if text.find("\n", lo, hi) < 0 else None


_DATE_RANK = {"first_issue": 0, "issue": 1, "change": 2}


def _associate(
    numbers: Iterable[RegistrationNumber],
    issuers: list[Issuer],
    dates: list[IssueDate],
    owners: list[OwnerName],
    text: str,
) -> list[RegistrationNumber]:
    out = []
    for n in numbers:
        best_i: tuple[int, Issuer] | None = None
        for i in issuers:
            d = _near(n.label_start, n.end, i.start, i.end, text)
            if d is not None and (best_i is None or d < best_i[0]):
                best_i = (d, i)
        best_d: tuple[tuple[int, int], IssueDate] | None = None
        for dt in dates:
            d = _near(n.label_start, n.end, dt.start, dt.end, text)
            if d is not None:
                rank = (_DATE_RANK[dt.kind], d)
                if best_d is None or rank < best_d[0]:
                    best_d = (rank, dt)
        best_o: tuple[int, OwnerName] | None = None
        for ow in owners:
            dist: int | None = None
            if ow.end <= n.label_start:  # before: footers name the owner first
                dist = n.label_start - ow.end
                if dist > 300 and text.find("\n", ow.end, n.label_start) >= 0:
                    dist = None
            elif ow.start >= n.end and text.find("\n", n.end, ow.start) < 0:
                dist = ow.start - n.end + _NEAR  # after, same block: second choice
            if dist is not None and (best_o is None or dist < best_o[0]):
                best_o = (dist, ow)
        out.append(
            RegistrationNumber(
                n.raw, n.start, n.end, n.label, n.label_start, n.kind, n.value, n.tax_code,
                n.household, n.valid_check_digit, n.operator,
                best_i[1] if best_i else None,
                best_d[1] if best_d else None,
                best_o[1] if best_o else None,
            )
        )  # fmt: skip
    return out


def _dated_old_format(n: RegistrationNumber) -> RegistrationNumber:
    """An "old-format" number whose certificate was issued after the reform is a code."""
    d = n.issue_date
    if (
        n.kind == "old_format"
        and d is not None
        and d.kind != "change"
        and d.date is not None
        and d.date >= _ENTERPRISE_CODE_ERA
    ):
        return dataclasses.replace(n, kind="enterprise")
    return n


def extract_identity(text: str) -> IdentityFacts:
    r"""Find registration numbers, licences, issuers, issue dates and owner names.

    Args:
        text: Visible text of a page, blocks separated by ``"\\n"``, original case.

    Returns:
        The facts, each with offsets into ``text`` and the raw text. Registration
        numbers carry the nearest issuer, issue date and owner name.
    """
    if not text:
        return IdentityFacts()
    b = _Builder(text)
    anchors = _scan(b.p)
    if not anchors:
        return IdentityFacts()
    b.handle_owners(anchors)
    b.handle_labels(anchors)
    b.handle_issuers(anchors)
    b.handle_dates(anchors)
    numbers = b.build_numbers()
    dates = sorted(b.dates, key=lambda d: d.start)
    numbers = [_dated_old_format(n) for n in _associate(numbers, b.issuers, dates, b.owners, text)]
    return IdentityFacts(
        tuple(numbers), tuple(b.lics), tuple(b.issuers), tuple(dates), tuple(b.owners)
    )
