"""Validators: tax code, household number, personal id, phone, e-mail, domain."""

from __future__ import annotations

import itertools
import socket
import unicodedata
from pathlib import Path
from typing import Any

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecomcheck.validate import domain as domain_mod
from ecomcheck.validate._textprep import (
    PAGE_PHRASES,
    PhraseMatcher,
    SharedPhraseScan,
    ascii_fold,
)
from ecomcheck.validate.domain import host_of, registrable_domain, same_site
from ecomcheck.validate.email import find_emails, is_valid_email
from ecomcheck.validate.household import parse_household_number
from ecomcheck.validate.personal_id import is_personal_id, mask_id, parse_personal_id
from ecomcheck.validate.phone import RETIRED_MOBILE_PREFIXES, find_phones, parse_phone
from ecomcheck.validate.taxcode import (
    is_valid_tax_code,
    mst_check_digit,
    parse_tax_code,
)

WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)

# legal-vn §6.1: real, public codes (all must pass) …
REAL_CODES = [
    "0106773786",  # Shopee
    "0300588569",  # Vinamilk
    "0101248141",  # FPT
    "0100109106",  # Viettel
    "0100283873",  # MB Bank
    "0100047516",  # worked example of the circular
    "0107833607",  # An Phú footer
    "0313808998",  # DYOSS footer
    "4201794039",  # DT Food footer
    "2800817718",  # Tân Thanh Phương footer
    "0110124791",  # BK Việt Nam footer
    "0108977908",  # household business (0108977908-001)
    "0309532909",  # Tiki
    "0303217354",  # Thế Giới Di Động
    "0308808576",  # Lazada
    "0100112437",  # Vietcombank
    "0100684378",  # VNPT
    "0300583659",  # Sabeco
]
# … and the invented placeholders found in code (all must fail).
FAKE_CODES = ["0107654321", "0109876543", "0101234567", "0100109107"]


def _remainder(first9: str) -> int:
    return sum(w * int(c) for w, c in zip(WEIGHTS, first9, strict=True)) % 11


def _first9_with_remainder(r: int) -> str:
    for digits in itertools.product("0123456789", repeat=4):
        first9 = "01" + "".join(digits) + "123"
        if _remainder(first9) == r:
            return first9
    raise AssertionError(r)


# ----------------------------------------------------------------------- tax code
@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_have_valid_check_digit(code: str) -> None:
    tc = parse_tax_code(code)
    assert tc is not None and tc.valid_check_digit
    assert mst_check_digit(code[:9]) == int(code[9])
    assert is_valid_tax_code(code)


@pytest.mark.parametrize("code", FAKE_CODES)
def test_fake_placeholders_fail(code: str) -> None:
    tc = parse_tax_code(code)
    assert tc is not None and not tc.valid_check_digit
    assert not is_valid_tax_code(code)


def test_worked_example_of_the_circular() -> None:
    assert _remainder("010004751") == 4
    assert mst_check_digit("010004751") == 6


def test_not_the_eleven_minus_r_variant() -> None:
    # (11 - r) % 11 gives 10 for Vinamilk (r = 1) and 2 for FPT (r = 9): it
    # rejects real codes. Ours gives the printed digits.
    assert _remainder("030058856") == 1 and mst_check_digit("030058856") == 9
    assert _remainder("010124814") == 9 and mst_check_digit("010124814") == 1
    wrong = [c for c in REAL_CODES if (11 - _remainder(c[:9])) % 11 != int(c[9])]
    assert wrong, "the real codes must tell the two formulas apart"
    assert all(is_valid_tax_code(c) for c in wrong)


def test_remainder_zero_is_never_issued_not_zero() -> None:
    # (10 - r) % 10 maps r = 0 to check digit 0 and accepts never-issued codes.
    first9 = _first9_with_remainder(0)
    assert mst_check_digit(first9) is None
    for d in "0123456789":
        tc = parse_tax_code(first9 + d)
        assert tc is not None and not tc.valid_check_digit


def test_remainder_ten_gives_zero() -> None:
    first9 = _first9_with_remainder(10)
    assert mst_check_digit(first9) == 0
    assert is_valid_tax_code(first9 + "0")


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_check_digit_matches_reference(first9: str) -> None:
    r = _remainder(first9)
    expected = None if r == 0 else (0 if r == 10 else 10 - r)
    assert mst_check_digit(first9) == expected
    if expected is not None:
        assert is_valid_tax_code(first9 + str(expected))


@pytest.mark.parametrize("bad", ["", "12345678", "1234567890", "a23456789", "١٢٣٤٥٦٧٨٩"])
def test_check_digit_rejects_bad_input(bad: str) -> None:
    with pytest.raises(ValueError):
        mst_check_digit(bad)


@pytest.mark.parametrize(
    ("printed", "normalized", "branch"),
    [
        ("0101248141", "0101248141", None),
        ("0101248141-001", "0101248141-001", "001"),
        ("0101248141 - 001", "0101248141-001", "001"),
        ("0101248141–002", "0101248141-002", "002"),
        ("0101248141001", "0101248141-001", "001"),
        ("010 6411 810", "0106411810", None),
        ("010.7467.693", "0107467693", None),
        ("  0106773786 ", "0106773786", None),
    ],
)
def test_parse_tax_code_forms(printed: str, normalized: str, branch: str | None) -> None:
    tc = parse_tax_code(printed)
    assert tc is not None
    assert tc.normalized == normalized
    assert tc.branch == branch
    assert tc.is_branch is (branch is not None)
    assert len(tc.digits) == 10


@pytest.mark.parametrize(
    "bad", ["010124814", "01012481411", "0101248141-000", "0101248141-01", "MST0101248141", "x"]
)
def test_parse_tax_code_rejects_other_shapes(bad: str) -> None:
    assert parse_tax_code(bad) is None


# -------------------------------------------------------------- household / CCCD
@pytest.mark.parametrize(
    ("printed", "form", "valid"),
    [
        ("0108977908-001", "branch_of_personal_tax_code", True),
        ("8340125748-002", "branch_of_personal_tax_code", True),
        ("0108977908", "tax_code", True),
        ("0107654321", "tax_code", False),
        ("034088018267", "personal_id", None),
        ("41A8012345", "alphanumeric", None),
        ("01N8001234", "alphanumeric", None),
        ("01r8017431", "alphanumeric", None),
    ],
)
def test_household_forms(printed: str, form: str, valid: bool | None) -> None:
    hh = parse_household_number(printed)
    assert hh is not None
    assert hh.form == form
    assert hh.valid_check_digit is valid


@pytest.mark.parametrize("bad", ["889528016-001", "19006021", "ABC12345", "4A80123", "41A80123456"])
def test_household_malformed(bad: str) -> None:
    assert parse_household_number(bad) is None


def test_personal_id_structure() -> None:
    pid = parse_personal_id("079203012345")
    assert pid is not None
    assert (pid.place_code, pid.place_kind, pid.sex, pid.birth_year) == (
        "079",
        "province",
        "male",
        2003,
    )
    f = parse_personal_id("001 185 012 345")
    assert f is not None and f.sex == "female" and f.birth_year == 1985
    abroad = parse_personal_id("840090123456")
    assert abroad is not None and abroad.place_kind == "country"


@pytest.mark.parametrize("bad", ["000203012345", "079403012345", "07920301234", "0792030123456"])
def test_personal_id_impossible(bad: str) -> None:
    assert not is_personal_id(bad)


def test_personal_id_max_birth_year() -> None:
    assert parse_personal_id("079299012345", max_birth_year=2026) is None
    assert parse_personal_id("079299012345") is not None


def test_mask_id_keeps_only_last_three_digits() -> None:
    assert mask_id("079203012345") == "•••••••••345"
    assert mask_id("079203012345", "*") == "*********345"
    assert mask_id("079 203 012 345") == "••• ••• ••• 345"
    assert mask_id("12") == "12"
    pid = parse_personal_id("079203012345")
    assert pid is not None and pid.masked.endswith("345")


# -------------------------------------------------------------------------- phone
VALID = [
    ("0913 456 789", "mobile", "+84913456789"),
    ("0913.456.789", "mobile", "+84913456789"),
    ("0913-456-789", "mobile", "+84913456789"),
    ("+84 913 456 789", "mobile", "+84913456789"),
    ("(+84) 913456789", "mobile", "+84913456789"),
    ("0359 888 777", "mobile", "+84359888777"),
    ("(028) 3822 1234", "landline", "+842838221234"),
    ("024 3974 3410", "landline", "+842439743410"),
    ("1800 1234", "hotline", "+8418001234"),
    ("1800 6868", "hotline", "+8418006868"),
    ("1900 6035", "hotline", "+8419006035"),
    ("1900 1234", "hotline", "+8419001234"),
    ("1900.636.648", "hotline", "+841900636648"),
]


@pytest.mark.parametrize(("raw", "kind", "e164"), VALID)
def test_find_valid_phones(raw: str, kind: str, e164: str) -> None:
    text = f"Liên hệ đặt hàng: {raw}. Cảm ơn!"
    found = find_phones(text)
    assert len(found) == 1
    m = found[0]
    assert (m.raw, m.kind, m.e164) == (raw, kind, e164)
    assert text[m.start : m.end] == raw
    assert m.valid


@pytest.mark.parametrize(("raw", "kind", "e164"), VALID)
def test_kinds_agree_with_phonenumbers(raw: str, kind: str, e164: str) -> None:
    num = phonenumbers.parse(raw, "VN")
    assert phonenumbers.is_valid_number(num)
    assert phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164) == e164


@pytest.mark.parametrize(
    ("raw", "successor"),
    [
        ("0168 123 4567", "+84381234567"),
        ("0126 555 1234", "+84765551234"),
        ("0199 123 4567", "+84591234567"),
        ("0188 765 4321", "+84587654321"),
        ("0186 111 2222", "+84561112222"),
        ("0123 456 7890", "+84834567890"),
        ("01621234567", "+84321234567"),
        ("0169.123.4567", "+84391234567"),
    ],
)
def test_retired_eleven_digit_mobiles(raw: str, successor: str) -> None:
    found = find_phones(f"SĐT: {raw}")
    assert [(m.raw, m.kind, m.successor) for m in found] == [(raw, "retired", successor)]
    assert not found[0].valid


def test_every_retired_prefix_is_eleven_digits_and_invalid_today() -> None:
    for old, new in RETIRED_MOBILE_PREFIXES.items():
        number = old + "1234567"
        assert not phonenumbers.is_valid_number(phonenumbers.parse(number, "VN"))
        assert phonenumbers.is_valid_number(phonenumbers.parse(new + "1234567", "VN"))
        pm = parse_phone(number)
        assert pm is not None and pm.kind == "retired"


def test_numbers_that_cannot_exist_are_flagged_when_labelled() -> None:
    found = find_phones("Điện thoại: 0241234567\nHotline: 0123456789\nĐT: 091345678")
    assert [m.kind for m in found] == ["invalid", "invalid", "invalid"]
    assert all(m.labelled for m in found)
    # without a phone label an impossible number is not a phone claim
    assert find_phones("Mã tham chiếu 0241234567 đã lưu") == []


@pytest.mark.parametrize(
    "text",
    [
        "MST: 0303217354",
        "Mã số thuế: 0359888777",
        "MÃ SỐ THUẾ: 0359888777",
        "Ma so thue: 0359888777",
        "MSDN 0388808576",
        "GPKD số 0359 888 777",
        "Mã số doanh nghiệp: 0913456789 do Sở KH&ĐT cấp",
        "Tax code: 0359888777",
        "STK: 0913456789 Vietcombank",
        "Số tài khoản 0359888777",
        "Mã đơn hàng: 0912345678",
        "SKU 874809-730",
        "SKU: 0913456789",
        "Giá 150.000đ, giảm còn 1.500.000đ",
        "Mã số thuế:\n0359888777",
        "Tài khoản 19036012345019 Techcombank",
        "Email: 0913456789@gmail.com",
        "Mã SP 0913456789-01",
    ],
)
def test_not_phones(text: str) -> None:
    assert find_phones(text) == []


def test_unlabelled_tax_code_shape_is_not_reported() -> None:
    # 0106773786 passes the MST checksum and is no phone: it stays silent.
    assert find_phones("Công ty TNHH Shopee 0106773786") == []


def test_tax_label_covers_only_its_own_number() -> None:
    text = "MST: 0106773786 - Hotline: 0913 456 789 - 0988 123 456"
    found = find_phones(text)
    assert [m.raw for m in found] == ["0913 456 789", "0988 123 456"]
    assert all(m.labelled for m in found)


def test_several_numbers_on_one_line() -> None:
    text = "Hotline: 0913456789 0988123456, (028) 3822 1234 / 1900 6035"
    assert [m.national for m in find_phones(text)] == [
        "0913456789",
        "0988123456",
        "02838221234",
        "19006035",
    ]


def test_intl_with_trunk_zero() -> None:
    (m,) = find_phones("Call +84 (0) 913 456 789 now")
    assert m.e164 == "+84913456789"


@pytest.mark.parametrize(
    ("value", "e164", "kind"),
    [
        ("tel:+84913456789", "+84913456789", "mobile"),
        ("tel:0913-456-789", "+84913456789", "mobile"),
        ("tel:1900%206035", "+8419006035", "hotline"),
        ("84913456789", "+84913456789", "mobile"),
        ("0084 913 456 789", "+84913456789", "mobile"),
        ("01681234567", "+841681234567", "retired"),
        ("0241234567", "+84241234567", "invalid"),
    ],
)
def test_parse_phone(value: str, e164: str, kind: str) -> None:
    pm = parse_phone(value)
    assert pm is not None and (pm.e164, pm.kind) == (e164, kind)


@pytest.mark.parametrize("value", ["", "tel:", "hello", "+1 415 555 0100", "12345"])
def test_parse_phone_rejects(value: str) -> None:
    assert parse_phone(value) is None


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789 .-+()\n:MSTĐđHotlinegiáđ", max_size=120))
def test_find_phones_never_raises_and_offsets_hold(text: str) -> None:
    for m in find_phones(text):
        assert text[m.start : m.end] == m.raw
        assert m.e164.startswith("+84")


# -------------------------------------------------------------------------- email
def test_find_emails() -> None:
    text = "Email: CSKH@Shop.COM.VN, sales.vn@gmail.com. Ảnh: logo@2x.png; nội bộ: admin@localhost"
    assert [e.address for e in find_emails(text)] == ["CSKH@shop.com.vn", "sales.vn@gmail.com"]
    for e in find_emails(text):
        assert text[e.start : e.end] == e.raw


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("info@abc.vn", True),
        ("first.last+tag@sub.example.com.vn", True),
        ("name@domain", False),
        ("logo@2x.png", False),
        ("icon@3x.webp", False),
        (".a@b.vn", False),
        ("a..b@b.vn", False),
        ("a@b", False),
        ("no-at-sign", False),
    ],
)
def test_is_valid_email(value: str, ok: bool) -> None:
    assert is_valid_email(value) is ok


# ------------------------------------------------------------------------- domain
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://shop.abc-store.com.vn/p/1", "abc-store.com.vn"),
        ("shop.abc-store.com.vn", "abc-store.com.vn"),
        ("HTTPS://WWW.Shopee.VN:443/x?y", "shopee.vn"),
        ("//cdn.tiki.vn/a.js", "tiki.vn"),
        ("online.gov.vn", "online.gov.vn"),
        ("abc.myshopify.com", "abc.myshopify.com"),
        ("localhost", None),
        ("192.168.1.1", None),
        ("", None),
    ],
)
def test_registrable_domain(value: str, expected: str | None) -> None:
    assert registrable_domain(value) == expected


def test_same_site() -> None:
    assert same_site("https://a.shopee.vn/x", "shopee.vn")
    assert not same_site("https://shopee.vn", "https://shopee.vn.fake-shop.com")
    assert not same_site("a.myshopify.com", "b.myshopify.com")
    assert same_site("http://127.0.0.1:8000/a", "127.0.0.1")
    assert not same_site("localhost", "")


def test_host_of() -> None:
    assert host_of("https://User@Shop.Example.vn.:8080/p") == "shop.example.vn"
    assert host_of("   ") is None


def test_domain_never_touches_network_or_disk(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("TLDEXTRACT_CACHE", str(tmp_path / "tld"))
    monkeypatch.setattr(domain_mod, "_extractor", None)  # force a fresh extractor
    assert registrable_domain("https://shop.abc-store.com.vn/") == "abc-store.com.vn"
    assert same_site("a.tiki.vn", "tiki.vn")
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- shared phrase scan
def _page_phrase_lists() -> tuple[tuple[str, ...], tuple[str, ...]]:
    from ecomcheck.extract import contacts, identity

    return tuple(identity._ANCHOR_PHRASES), tuple(contacts._CONTACT_PHRASES)


_ID_PHRASES, _CONTACT_PHRASES = _page_phrase_lists()
_SCAN = SharedPhraseScan()
_MATCHERS = (PhraseMatcher(_ID_PHRASES), PhraseMatcher(_CONTACT_PHRASES))
_SLOTS = tuple(_SCAN.add(m) for m in _MATCHERS)


def _spellings(p: str) -> list[str]:
    return [p, unicodedata.normalize("NFD", p), ascii_fold(p), p.replace(" ", " \n\t")]


_PIECES = st.one_of(
    st.sampled_from(_ID_PHRASES + _CONTACT_PHRASES).flatmap(
        lambda p: st.sampled_from(_spellings(p))
    ),
    st.text(alphabet="abcdhopqrstwđơôạấ /-:.\n", max_size=6),
)


def _assert_same_spans(text: str) -> None:
    for m, slot in zip(_MATCHERS, _SLOTS, strict=True):
        assert _SCAN.spans(text, slot) == tuple(m.spans(text))


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=30), st.sampled_from(["", " ", "x"]))
def test_shared_phrase_scan_gives_each_matchers_own_spans(pieces: list[str], sep: str) -> None:
    _assert_same_spans(sep.join(pieces))


def test_shared_phrase_scan_keeps_each_matchers_overlap_rule() -> None:
    # A rejected "cơ quan cấp" hides the "cấp lần thứ" inside it from the identity
    # matcher's own scan, but not the contact matcher's "cơ sở" right after it.
    _assert_same_spans("xcơ quan cấp lần thứ 2, cơ sở 1")
    _assert_same_spans("shopshop showroom cửa hàng cs kho hàng")
    _assert_same_spans("")


def test_page_phrases_cache_follows_the_text_object() -> None:
    from ecomcheck.extract import contacts, identity

    a = "địa chỉ: 1 lê lợi, mã số thuế 0101234567"
    b = "".join(["địa chỉ: 2 lê lợi", ", mst 0101234567"])
    for text in (a, b, a):
        got = PAGE_PHRASES.spans(text, identity._ANCHOR_SLOT)
        assert PAGE_PHRASES.spans(text, contacts._CONTACT_SLOT) == tuple(
            PAGE_PHRASES._members[contacts._CONTACT_SLOT].spans(text)
        )
        assert got == tuple(PAGE_PHRASES._members[identity._ANCHOR_SLOT].spans(text))
