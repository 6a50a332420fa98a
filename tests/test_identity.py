"""Identity facts from footers: registration numbers, licences, issuers, dates, owners."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecomcheck.extract.identity import (
    IdentityFacts,
    RegistrationNumber,
    extract_identity,
)


def _only(facts: IdentityFacts) -> RegistrationNumber:
    assert len(facts.registration_numbers) == 1, facts.registration_numbers
    return facts.registration_numbers[0]


def _assert_offsets(text: str, facts: IdentityFacts) -> None:
    for r in facts.registration_numbers:
        assert text[r.start : r.end] == r.raw
        assert text[r.label_start :].startswith(r.label)
    for group in (facts.other_licences, facts.issuers, facts.issue_dates, facts.owner_names):
        for item in group:
            assert text[item.start : item.end] == item.raw


# --------------------------------------------------------------- legal-vn §1.2
SHOPEE = (
    "Công ty TNHH Shopee\n"
    "Địa chỉ: Tầng 4-5-6, Tòa nhà Capital Place, số 29 đường Liễu Giai, Phường Ngọc Khánh, "
    "Quận Ba Đình, Thành phố Hà Nội, Việt Nam.\n"
    "Mã số doanh nghiệp: 0106773786 do Sở Kế hoạch & Đầu tư TP Hà Nội cấp lần đầu ngày "
    "10/02/2015\n© 2015 - Bản quyền thuộc về Công ty TNHH Shopee"
)


def test_shopee_footer() -> None:
    facts = extract_identity(SHOPEE)
    _assert_offsets(SHOPEE, facts)
    r = _only(facts)
    assert (r.label, r.raw, r.kind, r.value) == (
        "Mã số doanh nghiệp",
        "0106773786",
        "enterprise",
        "0106773786",
    )
    assert r.valid_check_digit is True
    assert r.operator == "Shopee"
    assert r.issuer is not None and r.issuer.raw == "Sở Kế hoạch & Đầu tư TP Hà Nội"
    assert r.issuer.kind == "dpi"
    assert r.issue_date is not None
    assert (r.issue_date.date, r.issue_date.kind) == (dt.date(2015, 2, 10), "first_issue")
    assert r.owner is not None and r.owner.name == "Shopee"
    assert r.has_issuer and r.has_issue_date
    assert [o.raw for o in facts.owner_names] == ["Công ty TNHH Shopee", "Công ty TNHH Shopee"]


@pytest.mark.parametrize(
    ("text", "label", "value", "issuer", "date"),
    [
        (
            "Giấy chứng nhận kinh doanh: Số 0313808998 do Phòng Đăng ký Kinh Doanh, Sở KH&ĐT "
            "TP HCM cấp ngày 15/05/2016",
            "Giấy chứng nhận kinh doanh",
            "0313808998",
            "Phòng Đăng ký Kinh Doanh, Sở KH&ĐT TP HCM",
            dt.date(2016, 5, 15),
        ),
        (
            "GPKD Số 4201794039 do Sở KH và ĐT Khánh Hòa cấp",
            "GPKD",
            "4201794039",
            "Sở KH và ĐT Khánh Hòa",
            None,
        ),
        (
            "Mã số doanh nghiệp: 0107833607 / Nơi cấp Giấy chứng nhận đăng ký doanh nghiệp: "
            "Sở Kế hoạch và Đầu tư – Thành phố Hà Nội",
            "Mã số doanh nghiệp",
            "0107833607",
            "Sở Kế hoạch và Đầu tư – Thành phố Hà Nội",
            None,
        ),
        (
            "Mã số doanh nghiệp/Mã số thuế: 0101248141 do Phòng Đăng ký kinh doanh – Sở Tài "
            "chính TP Hà Nội cấp, Ngày cấp: 15-05-2016",
            "Mã số doanh nghiệp/Mã số thuế",
            "0101248141",
            "Phòng Đăng ký kinh doanh – Sở Tài chính TP Hà Nội",
            dt.date(2016, 5, 15),
        ),
        (
            "GCNĐKDN số: 0310625379, cấp ngày 29/01/2011, bởi Sở KHĐT TP. Hồ Chí Minh",
            "GCNĐKDN",
            "0310625379",
            "Sở KHĐT TP. Hồ Chí Minh",
            dt.date(2011, 1, 29),
        ),
        (
            "Giấy CNĐKDN số 0110124791 do Sở KH&ĐT TP Hà Nội cấp ngày 10 tháng 02 năm 2015",
            "Giấy CNĐKDN",
            "0110124791",
            "Sở KH&ĐT TP Hà Nội",
            dt.date(2015, 2, 10),
        ),
        (
            "Số ĐKKD: 0312776486 - Ngày cấp: 13/05/2014, được sửa đổi lần thứ 20, ngày "
            "26/04/2022.\nCơ quan cấp: Sở Kế hoạch và Đầu tư TPHCM.",
            "Số ĐKKD",
            "0312776486",
            "Sở Kế hoạch và Đầu tư TPHCM",
            dt.date(2014, 5, 13),
        ),
        (
            "Giấy chứng nhận đăng ký doanh nghiệp số 2800817718 do Sở Kế hoạch và Đầu tư "
            "tỉnh Thanh Hóa cấp lần đầu ngày 05/07/2019",
            "Giấy chứng nhận đăng ký doanh nghiệp",
            "2800817718",
            "Sở Kế hoạch và Đầu tư tỉnh Thanh Hóa",
            dt.date(2019, 7, 5),
        ),
        (
            "Mã số DN: 0100109106. Nơi cấp: Sở KH&ĐT Hà Nội",
            "Mã số DN",
            "0100109106",
            "Sở KH&ĐT Hà Nội",
            None,
        ),
    ],
)
def test_real_footer_shapes(
    text: str, label: str, value: str, issuer: str, date: dt.date | None
) -> None:
    facts = extract_identity(text)
    _assert_offsets(text, facts)
    r = _only(facts)
    assert (r.label, r.value, r.kind, r.valid_check_digit) == (label, value, "enterprise", True)
    assert r.issuer is not None and r.issuer.raw == issuer
    if date is None:
        assert r.issue_date is None
    else:
        assert r.issue_date is not None and r.issue_date.date == date


def test_sendo_change_date_is_second_choice() -> None:
    text = "Số ĐKKD: 0312776486 - Ngày cấp: 13/05/2014, được sửa đổi lần thứ 20, ngày 26/04/2022."
    facts = extract_identity(text)
    assert [(d.date, d.kind) for d in facts.issue_dates] == [
        (dt.date(2014, 5, 13), "issue"),
        (dt.date(2022, 4, 26), "change"),
    ]
    assert _only(facts).operator == "Sendo"


def test_issuer_on_the_next_block() -> None:
    text = "MSDN: 0107833607\nNơi cấp: Sở Kế hoạch và Đầu tư Thành phố Hà Nội\nNgày cấp: 01/04/2017"
    r = _only(extract_identity(text))
    assert r.issuer is not None and r.issuer.raw == "Sở Kế hoạch và Đầu tư Thành phố Hà Nội"
    assert r.issue_date is not None and r.issue_date.date == dt.date(2017, 4, 1)


def test_far_away_issuer_is_not_associated() -> None:
    text = "MST: 0107833607\n" + "Sản phẩm chính hãng. " * 30 + "\nNơi cấp: Sở KH&ĐT Hà Nội"
    facts = extract_identity(text)
    assert len(facts.issuers) == 1
    assert _only(facts).issuer is None


# ---------------------------------------------------------------- all caps, no marks
def test_all_caps_footer() -> None:
    text = (
        "CÔNG TY CỔ PHẦN THẾ GIỚI DI ĐỘNG - MÃ SỐ THUẾ: 0303217354 - GCNĐKDN DO SỞ KẾ HOẠCH "
        "VÀ ĐẦU TƯ TP.HCM CẤP NGÀY 16/01/2004"
    )
    facts = extract_identity(text)
    _assert_offsets(text, facts)
    r = _only(facts)
    assert (r.label, r.value, r.operator) == ("MÃ SỐ THUẾ", "0303217354", "Thế Giới Di Động")
    assert r.issuer is not None and r.issuer.raw == "SỞ KẾ HOẠCH VÀ ĐẦU TƯ TP.HCM"
    assert r.issue_date is not None and r.issue_date.date == dt.date(2004, 1, 16)
    (owner,) = facts.owner_names
    assert (owner.legal_form, owner.name) == ("CỔ PHẦN", "THẾ GIỚI DI ĐỘNG")


def test_text_without_diacritics() -> None:
    text = (
        "Ma so doanh nghiep: 0106773786 do So Ke hoach va Dau tu TP Ha Noi cap lan dau "
        "ngay 10/02/2015"
    )
    r = _only(extract_identity(text))
    assert r.kind == "enterprise" and r.operator == "Shopee"
    assert r.issuer is not None and r.issuer.raw == "So Ke hoach va Dau tu TP Ha Noi"
    assert r.issue_date is not None and r.issue_date.kind == "first_issue"


def test_decomposed_text_gives_the_same_facts() -> None:
    nfd = unicodedata.normalize("NFD", SHOPEE)
    facts = extract_identity(nfd)
    _assert_offsets(nfd, facts)
    r = _only(facts)
    assert r.value == "0106773786" and r.issuer is not None and r.issue_date is not None
    assert [o.kind for o in facts.owner_names] == ["company", "company"]


# -------------------------------------------------------------------------- English
def test_english_shop() -> None:
    text = (
        "LAB GROUP INTERNATIONAL VIETNAM CO., LTD\n"
        "Business Registration Certificate No.: 0301482205 Issued by the Department of "
        "Planning and Investment of Ho Chi Minh City First issued on September 26, 2008."
    )
    facts = extract_identity(text)
    _assert_offsets(text, facts)
    r = _only(facts)
    assert (r.label, r.value, r.kind) == (
        "Business Registration Certificate No",
        "0301482205",
        "enterprise",
    )
    assert r.issuer is not None
    assert r.issuer.raw == "Department of Planning and Investment of Ho Chi Minh City"
    assert r.issue_date is not None
    assert (r.issue_date.date, r.issue_date.kind) == (dt.date(2008, 9, 26), "first_issue")
    assert r.owner is not None and r.owner.name == "LAB GROUP INTERNATIONAL VIETNAM"
    assert r.owner.legal_form == "CO., LTD"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Tax code: 0106773786", "Tax code"),
        ("Tax ID 0106773786", "Tax ID"),
        ("Enterprise code: 0106773786", "Enterprise code"),
        ("Business Registration No. 0106773786", "Business Registration No"),
        ("Business registration number: 0106773786", "Business registration number"),
        ("Company registration number: 0106773786", "Company registration number"),
        (
            "Business registration certificate number 0106773786",
            "Business registration certificate number",
        ),
    ],
)
def test_english_labels(text: str, label: str) -> None:
    r = _only(extract_identity(text))
    assert (r.label, r.value, r.kind) == (label, "0106773786", "enterprise")


def test_english_issuer_and_date_after_by() -> None:
    text = "Business Registration Certificate No. 0104630479 issued by Hanoi DPI on June 02, 2010"
    r = _only(extract_identity(text))
    assert r.issuer is not None and r.issuer.raw == "Hanoi DPI"
    assert r.issue_date is not None and r.issue_date.date == dt.date(2010, 6, 2)


@pytest.mark.parametrize(
    ("text", "name", "form"),
    [
        ("© 2015 - Copyright belongs to Shopee Company Limited", "Shopee", "Company Limited"),
        ("Vinamilk Joint Stock Company", "Vinamilk", "Joint Stock Company"),
        ("Operated by Tiki JSC.", "Tiki", "JSC"),
        ("ABC Trading Co.,Ltd | Hotline", "ABC Trading", "Co.,Ltd"),
    ],
)
def test_english_owner_names(text: str, name: str, form: str) -> None:
    (owner,) = extract_identity(text).owner_names
    assert (owner.name, owner.legal_form, owner.kind) == (name, form, "company")


@pytest.mark.parametrize(
    ("text", "kind", "name"),
    [
        ("Công ty CP Sữa Việt Nam", "company", "Sữa Việt Nam"),
        ("Cty TNHH TM DV Minh Long - MST: 0101248141", "company", "TM DV Minh Long"),
        ("CÔNG TY TNHH MỘT THÀNH VIÊN ABC", "company", "ABC"),
        ("Doanh nghiệp tư nhân Hoàng Long", "private_enterprise", "Hoàng Long"),
        ("Hộ kinh doanh: BỐP CAMPING", "household", "BỐP CAMPING"),
        ("HKD Minh Anh", "household", "Minh Anh"),
        ("Chủ hộ: Nguyễn Văn A", "person", "Nguyễn Văn A"),
        ("Chủ sở hữu: Trần Thị B", "person", "Trần Thị B"),
    ],
)
def test_vietnamese_owner_names(text: str, kind: str, name: str) -> None:
    (owner,) = extract_identity(text).owner_names
    assert (owner.kind, owner.name) == (kind, name)


def test_sentences_are_not_owner_names() -> None:
    text = (
        "Công ty chúng tôi cam kết chất lượng. Công ty cổ phần là loại hình doanh nghiệp. "
        "Hỗ trợ hộ kinh doanh và doanh nghiệp nhỏ."
    )
    assert extract_identity(text).owner_names == ()


# ----------------------------------------------------------------------- household
def test_household_branch_of_personal_tax_code() -> None:
    text = "HKD Minh Anh - MST: 0108977908-001 - Chủ hộ: Nguyễn Văn A"
    r = _only(extract_identity(text))
    assert (r.kind, r.value, r.valid_check_digit) == ("household", "0108977908-001", True)
    assert r.household is not None and r.household.form == "branch_of_personal_tax_code"
    assert r.tax_code is not None and r.tax_code.branch == "001"
    assert r.owner is not None and r.owner.name == "Minh Anh"


def test_household_footer_with_district_issuer() -> None:
    text = (
        "Hộ kinh doanh LOCAL HOME / Địa chỉ: Số B.07, chung cư Cadif - HP1, Hưng Phú, Q. Cái "
        "Răng, TP. Cần Thơ / Mã số hộ kinh doanh 8340125748-002 do Phòng Tài Chính - Kế Hoạch "
        "Quận Cái Răng cấp lần đầu ngày 13/11/2024. Chịu trách nhiệm nội dung: Trần Kim Tài"
    )
    facts = extract_identity(text)
    _assert_offsets(text, facts)
    r = _only(facts)
    assert (r.kind, r.value) == ("household", "8340125748-002")
    assert r.issuer is not None and r.issuer.kind == "district"
    assert r.issuer.raw == "Phòng Tài Chính - Kế Hoạch Quận Cái Răng"
    assert r.issue_date is not None and r.issue_date.date == dt.date(2024, 11, 13)
    assert r.owner is not None and r.owner.raw == "Hộ kinh doanh LOCAL HOME"


def test_household_twelve_digit_personal_number() -> None:
    text = (
        "Hộ kinh doanh Phở Gà PUBU\nChủ hộ kinh doanh: Đoàn Ngọc Hiến\n"
        "Mã số hộ kinh doanh: 034088018267\nMã số thuế cá nhân: 079203012345"
    )
    facts = extract_identity(text)
    hh, pid = facts.registration_numbers
    assert (hh.kind, hh.value, hh.valid_check_digit) == ("household", "034088018267", None)
    assert hh.household is not None and hh.household.form == "personal_id"
    assert (pid.kind, pid.value) == ("personal_id", "079203012345")
    assert [o.name for o in facts.owner_names] == ["Phở Gà PUBU", "Đoàn Ngọc Hiến"]


@pytest.mark.parametrize(
    "text",
    [
        "Giấy chứng nhận đăng ký hộ kinh doanh số 41A8012345 do UBND quận 1 cấp",
        "Mã số hộ kinh doanh: 01N8001234",
        "Hộ Kinh Doanh Nguyễn Thị Thanh Mừng\nMã số đăng ký: 01R8017431",
        "Business Registration Certificate No. 01E8041877 issued by Dong Da District "
        "People's Committee on 22/02/2024",
        "Giấy chứng nhận đăng ký kinh doanh số: 41K8017383 | Ngày cấp 8 tháng 3 năm 2016 | "
        "Nơi cấp: Ủy Ban Nhân Dân Quận 11",
    ],
)
def test_household_alphanumeric_codes(text: str) -> None:
    r = _only(extract_identity(text))
    assert r.kind == "household"
    assert r.household is not None and r.household.form == "alphanumeric"
    assert r.valid_check_digit is None
    if "UBND" in text or "Committee" in text or "Ủy Ban" in text:
        assert r.issuer is not None and r.issuer.kind == "district"


def test_alphanumeric_code_without_household_context_is_unknown() -> None:
    r = _only(extract_identity("MST: 41A8012345"))
    assert r.kind == "unknown" and r.household is None


def test_malformed_household_numbers() -> None:
    text = "Hộ kinh doanh Bình An - Mã số thuế: 889528016-001 - MST: 19006021"
    a, b = extract_identity(text).registration_numbers
    assert (a.kind, a.value) == ("unknown", "889528016-001")
    assert (b.kind, b.value) == ("unknown", "19006021")


# ------------------------------------------------------------------- number shapes
@pytest.mark.parametrize(
    ("printed", "value"),
    [("010 6411 810", "0106411810"), ("010.7467.693", "0107467693")],
)
def test_grouped_numbers(printed: str, value: str) -> None:
    text = f"Mã số thuế: {printed} - Hotline: 0913 456 789"
    r = _only(extract_identity(text))
    assert (r.raw, r.value, r.valid_check_digit) == (printed, value, True)


def test_wrong_check_digit() -> None:
    r = _only(extract_identity("MST: 0107654321"))
    assert (r.kind, r.valid_check_digit) == ("enterprise", False)
    r = _only(extract_identity("Mã số doanh nghiệp: 0100109107"))
    assert (r.kind, r.valid_check_digit) == ("enterprise", False)


def test_old_format_registration_number() -> None:
    r = _only(extract_identity("Số ĐKKD: 0103012345 do Sở KH&ĐT Hà Nội cấp ngày 12/03/2008"))
    assert (r.kind, r.valid_check_digit) == ("old_format", False)


def test_branch_with_spaces_and_two_labels() -> None:
    text = "Giấy CNĐKDN: 0101248141 - 001 | Tax ID 0300588569"
    a, b = extract_identity(text).registration_numbers
    assert (a.value, a.kind) == ("0101248141-001", "enterprise")
    assert (b.value, b.label) == ("0300588569", "Tax ID")


def test_value_on_the_next_block() -> None:
    r = _only(extract_identity("Mã số thuế:\n0101248141\nĐịa chỉ: 12 Lê Lợi"))
    assert r.value == "0101248141"


# ---------------------------------------------------------------- licence look-alikes
def test_licence_look_alikes_are_not_registration_numbers() -> None:
    text = (
        "Giấy phép thiết lập mạng xã hội số 22/GP-BTTTT do Bộ TTTT cấp.\n"
        "GP số 47/GP-TTĐT. Giấy phép số 123/GP-BTTTT.\n"
        "GCNĐT số: 411032000105. Số ĐKSP: 5438/2024/ĐKSP.\n"
        "Giấy phép ICP số 15/GP-STTTT\n"
        "Hotline: 1900 1234 - ĐT: 0913456789"
    )
    facts = extract_identity(text)
    _assert_offsets(text, facts)
    assert facts.registration_numbers == ()
    assert [(x.raw, x.kind) for x in facts.other_licences] == [
        ("22/GP-BTTTT", "social_network_licence"),
        ("47/GP-TTĐT", "licence"),
        ("123/GP-BTTTT", "licence"),
        ("411032000105", "investment_certificate"),
        ("5438/2024/ĐKSP", "product_declaration"),
        ("15/GP-STTTT", "icp"),
    ]


def test_registration_label_with_licence_shaped_value() -> None:
    facts = extract_identity("Giấy phép kinh doanh số 123/GP-BCT")
    assert facts.registration_numbers == ()
    assert [x.raw for x in facts.other_licences] == ["123/GP-BCT"]


def test_shopee_clone_shows_the_operator_number() -> None:
    text = (
        "Shop Thời Trang Xinh - Hotline 0913456789\n"
        "Công ty TNHH Shopee\nMã số doanh nghiệp: 0106773786 do Sở Kế hoạch & Đầu tư TP Hà Nội "
        "cấp lần đầu ngày 10/02/2015"
    )
    r = _only(extract_identity(text))
    assert r.operator == "Shopee"
    assert r.valid_check_digit is True


@pytest.mark.parametrize(
    ("code", "operator"),
    [
        ("0309532909", "Tiki"),
        ("0308808576", "Lazada"),
        ("0303217354", "Thế Giới Di Động"),
        ("0312776486", "Sendo"),
        ("0101248141", None),
    ],
)
def test_known_operators(code: str, operator: str | None) -> None:
    assert _only(extract_identity(f"MST: {code}")).operator == operator


# ------------------------------------------------------------------------- nothing
@pytest.mark.parametrize(
    "text",
    [
        "",
        "Áo thun cotton 100%, giá 150.000đ. Giao hàng toàn quốc trong 3 ngày.",
        "Hàng cao cấp ngày 20/11 giảm giá. Nhà cung cấp uy tín. Ảnh 300 dpi.",
        "Mstore bán MSTORE-0106773786; mã số sản phẩm 123; SKU 874809-730",
        "Liên hệ Hotline: 0106773786",
    ],
)
def test_text_without_identity(text: str) -> None:
    facts = extract_identity(text)
    assert facts.registration_numbers == ()
    assert facts.issuers == ()
    assert facts.issue_dates == ()
    assert facts.owner_names == ()
    assert facts.empty


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "MST: ", "Mã số thuế", "0106773786", "-001", " do ", "Sở KH&ĐT", " cấp ",
                "ngày 10/02/2015", "Công ty TNHH ", "Shopee", "\n", " ", ":", "GP số 1/GP-A",
                "Hộ kinh doanh", "Co., Ltd", "İ", "e\u0301", "41A8012345", "Nơi cấp:",
            ]
        ),
        max_size=25,
    ).map("".join)
)  # fmt: skip
def test_never_raises_and_offsets_hold(text: str) -> None:
    _assert_offsets(text, extract_identity(text))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text(text: str) -> None:
    _assert_offsets(text, extract_identity(text))
