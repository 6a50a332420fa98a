"""Seller identity, address and policy checks: branch codes, table layouts, own sites,
placeholder addresses, inspection sentences, dead policy links, full-width digits."""

import datetime as dt

import pytest

from ecomcheck import Checker, Config, Report
from ecomcheck.extract.contacts import extract_contacts
from ecomcheck.extract.document import PageDocument
from ecomcheck.extract.identity import extract_identity
from ecomcheck.validate import parse_personal_id, parse_tax_code
from ecomcheck.validate.phone import find_phones, parse_phone

SELL = '<h1>Áo thun</h1><span class="price">199.000₫</span><button>Thêm vào giỏ hàng</button>'


def run(footer: str, select: str, url: str = "https://anphat.vn/p/ao-thun") -> Report:
    html = f"<html><body><main>{SELL}</main><footer>{footer}</footer></body></html>"
    cfg = Config(select=(select,), strict=True, as_of=dt.date(2026, 11, 29))
    return Checker(cfg).check_page(html, url=url)


def status(report: Report, rule_id: str) -> str:
    return report.rule_runs[rule_id].status.value


# --- branch and business-location codes ---------------------------------------------


@pytest.mark.parametrize(
    "label",
    [
        "Mã số chi nhánh:",
        "Mã số địa điểm kinh doanh:",
        "MSCN:",
        "Mã số đơn vị phụ thuộc",
        "Mã số thuế chi nhánh:",
        "Branch code:",
    ],
)
def test_branch_code_is_an_identity(label: str) -> None:
    footer = (
        f"<p>CHI NHÁNH CÔNG TY CỔ PHẦN ABC - {label} 0101248141-001 do Sở KH&amp;ĐT Hà Nội "
        "cấp ngày 01/01/2020</p>"
    )
    r = run(footer, "business_registration.identity_missing")
    assert status(r, "business_registration.identity_missing") == "pass"
    n = extract_identity(PageDocument.build(footer).text).registration_numbers[0]
    assert (n.kind, n.value) == ("enterprise", "0101248141-001")


def test_branch_code_with_wrong_check_digit_is_still_checked() -> None:
    r = run(
        "<p>Công ty TNHH ABC - Mã số chi nhánh: 0101248142-001</p>",
        "business_registration.check_digit",
    )
    assert status(r, "business_registration.check_digit") == "fail"


@pytest.mark.parametrize(
    "footer",
    [
        "<p>Công ty TNHH Tin Tức ABC - GP số 47/GP-TTĐT do Sở TT&amp;TT cấp</p>",
        "<p>Công ty TNHH ABC - Chi nhánh: 12 Lê Lợi, Quận 1, TP HCM</p>",
    ],
)
def test_other_numbers_are_not_an_identity(footer: str) -> None:
    r = run(footer, "business_registration.identity_missing")
    assert status(r, "business_registration.identity_missing") == "fail"


# --- issue date and issuer in table cells ---------------------------------------------


def test_issue_date_and_issuer_in_adjacent_cells() -> None:
    html = (
        "<table><tr><td>Công ty TNHH ABC</td></tr>"
        "<tr><td>Mã số doanh nghiệp</td><td>0101248141</td></tr>"
        "<tr><td>Ngày cấp</td><td>01/01/2020</td></tr>"
        "<tr><td>Nơi cấp</td><td>Sở Tài chính TP Hà Nội</td></tr></table>"
    )
    n = extract_identity(PageDocument.build(html).text).registration_numbers[0]
    assert n.issue_date is not None and n.issue_date.date == dt.date(2020, 1, 1)
    assert n.issuer is not None and n.issuer.kind == "finance"
    r = run(html, "business_registration.issuer_date")
    assert status(r, "business_registration.issuer_date") == "pass"


def test_header_row_cells_are_not_values() -> None:
    html = (
        "<table><tr><th>Mã số doanh nghiệp</th><th>Ngày cấp</th><th>Nơi cấp</th></tr>"
        "<tr><td>0101248141</td><td>không rõ</td><td>12345</td></tr></table>"
    )
    facts = extract_identity(PageDocument.build(html).text)
    assert facts.issue_dates == ()
    assert all(i.raw != "0101248141" for i in facts.issuers)


def test_label_with_text_after_it_does_not_read_the_next_cell() -> None:
    html = "<table><tr><td>Ngày cấp sẽ cập nhật</td><td>01/01/2020</td></tr></table>"
    assert extract_identity(PageDocument.build(html).text).issue_dates == ()


# --- an operator's number on its own site ---------------------------------------------

SHOPEE = (
    "<p>Công ty TNHH Shopee - Mã số doanh nghiệp: 0106773786 do Sở KH&amp;ĐT TP Hà Nội cấp "
    "lần đầu ngày 10/02/2015</p>"
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://shopee.vn/ao-thun-i.1.2", "pass"),
        ("https://banhang.shopee.vn/", "pass"),
        ("https://shopee.vn.example.com/", "needs_review"),
        ("https://fakeshopee.vn/", "needs_review"),
        ("https://tiki.vn/ao", "needs_review"),
        ("https://anphat.vn/", "needs_review"),
    ],
)
def test_platform_number_on_operator_site(url: str, expected: str) -> None:
    r = run(SHOPEE, "business_registration.platform_number", url=url)
    assert status(r, "business_registration.platform_number") == expected


# --- placeholder and bare-place addresses ----------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "đang cập nhật",
        "Việt Nam",
        "Hà Nội",
        "TP.HCM",
        "Thành phố Hồ Chí Minh, Việt Nam",
        "Tỉnh Bà Rịa - Vũng Tàu",
        "Huế",
        "Tỉnh Gia Lai",
        "Đang cập nhật...",
    ],
)
def test_placeholder_or_bare_place_is_not_an_address(value: str) -> None:
    assert extract_contacts(f"Địa chỉ: {value}").addresses == ()
    r = run(f"<p>Địa chỉ: {value}</p><p>Hotline: 0912 345 678</p>", "contact.no_address")
    assert status(r, "contact.no_address") == "fail"


@pytest.mark.parametrize(
    "value",
    [
        "25 Hàng Bài, Hà Nội",
        "Quận 1, TP.HCM",
        "Hoàn Kiếm, Hà Nội",
        "Số 12 Lê Lợi",
        "Phường Bến Nghé, TP HCM",
        "Thôn 3, xã Ia Grai, Gia Lai",
    ],
)
def test_real_addresses_still_count(value: str) -> None:
    assert len(extract_contacts(f"Địa chỉ: {value}").addresses) == 1


# --- inspection stated in a sentence -----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Khách hàng được kiểm tra hàng trước khi nhận.",
        "Quý khách được kiểm tra hàng trước khi thanh toán",
        "Hỗ trợ đồng kiểm khi giao hàng.",
        "Shop cho xem hàng trước khi nhận.",
        "Khi nhận hàng, quý khách vui lòng kiểm tra kỹ sản phẩm.",
        "Không hỗ trợ đồng kiểm.",  # a refusal states the policy too
        "Customers may inspect the goods before paying.",
    ],
)
def test_inspection_sentence_counts(text: str) -> None:
    r = run(f"<p>{text}</p>", "policy.inspection")
    assert status(r, "policy.inspection") == "pass"


@pytest.mark.parametrize(
    "text",
    [
        "Chúng tôi kiểm tra hàng kỹ trước khi giao cho đơn vị vận chuyển.",
        "Kiểm tra hàng tồn kho mỗi ngày.",
        "Xem hàng mới về khi nhận thông báo qua email.",
        "Khi nhận được đơn hàng, chúng tôi sẽ kiểm tra tồn kho.",
        "Tìm kiếm hàng hóa trước khi nhận ưu đãi.",
    ],
)
def test_other_sentences_do_not_count(text: str) -> None:
    r = run(f"<p>{text}</p>", "policy.inspection")
    assert status(r, "policy.inspection") == "fail"


# --- policy links that go nowhere ---------------------------------------------------------


@pytest.mark.parametrize(
    ("footer", "expected"),
    [
        ("<a href='#'>Chính sách đổi trả</a>", "fail"),
        ("<a href='javascript:void(0)'>Chính sách đổi trả</a>", "fail"),
        ("<a href='javascript:;'>Chính sách đổi trả</a>", "fail"),
        ("<a href='#' data-toggle='modal' data-target='#m'>Chính sách đổi trả</a>", "pass"),
        ("<a href='#' onclick='openPolicy()'>Chính sách đổi trả</a>", "pass"),
        ("<a href='/chinh-sach-doi-tra'>Chính sách đổi trả</a>", "pass"),
        ("<a href='#doi-tra'>Chính sách đổi trả</a>", "pass"),
        ("<a href='#'>Chính sách đổi trả</a><h3>Chính sách đổi trả</h3>", "pass"),
    ],
)
def test_dead_policy_links(footer: str, expected: str) -> None:
    r = run(footer, "policy.returns")
    assert status(r, "policy.returns") == expected


# --- full-width digits ----------------------------------------------------------------------


def test_full_width_tax_code_and_phone() -> None:
    text = "Công ty TNHH ABC - MST: ０１０１２４８１４１ - Hotline: ０９１２ ３４５ ６７８"
    n = extract_identity(text).registration_numbers[0]
    assert (n.kind, n.value, n.valid_check_digit) == ("enterprise", "0101248141", True)
    assert text[n.start : n.end] == "０１０１２４８１４１"
    (ph,) = find_phones(text)
    assert (ph.national, ph.kind) == ("0912345678", "mobile")
    assert text[ph.start : ph.end] == ph.raw == "０９１２ ３４５ ６７８"
    assert parse_tax_code("０１０１２４８１４１") is not None
    assert parse_personal_id("００１０９９０１２３４５") is not None
    p = parse_phone("tel:０９１２３４５６７８")
    assert p is not None and p.national == "0912345678"


def test_full_width_wrong_tax_code_still_fails_check_digit() -> None:
    r = run(
        "<p>Công ty TNHH ABC - MST: ０１０１２４８１４２</p>", "business_registration.check_digit"
    )
    assert status(r, "business_registration.check_digit") == "fail"


def test_every_statement_pattern_needs_one_of_the_prefilter_words() -> None:
    # Only lines holding one of these words are read for statements; each pattern's
    # alternatives must each contain one, or some statements would never be seen.
    import tomllib
    from importlib import resources

    from ecomcheck.extract.policy import _STATEMENT_WORDS

    words = _STATEMENT_WORDS[0]
    data = tomllib.loads(resources.files("ecomcheck.data").joinpath("policies.toml").read_text())
    statements = [str(x) for spec in data["policy"].values() for x in spec.get("statements", ())]
    assert statements
    for pattern in statements:
        # Every alternative of a pattern's first word group must hold a word.
        assert any(w in pattern for w in words), pattern[:80]


@pytest.mark.parametrize(
    "markup",
    [
        "<p>Quý khách được</p><p>kiểm tra hàng trước khi nhận.</p>",  # split over blocks: not one sentence
    ],
)
def test_a_statement_does_not_run_across_blocks(markup: str) -> None:
    r = run(markup, "policy.inspection")
    assert status(r, "policy.inspection") == "pass"  # the second block alone states it
