"""Shop markup as site builders publish it: SVG-drawn footers, landing pages without
an ``<h1>``, badges opened by script, registration lines in the forms real footers
use. Each fix has a passing case, a failing case and a look-alike."""

import datetime as dt

import pytest

from ecomcheck import Checker, Config, Report
from ecomcheck.extract.document import PageDocument
from ecomcheck.extract.identity import extract_identity
from ecomcheck.extract.pagekind import PageKind

PRODUCT = (
    "<h1>Bình giữ nhiệt inox 500ml</h1><span class='price'>189.000₫</span>"
    "<p>Xuất xứ: Việt Nam</p><button class='btn add-to-cart'>Thêm vào giỏ hàng</button>"
)
OWNER = "<p>Công ty TNHH Gia Dụng An Phát</p>"
CONTACT = "<p>Địa chỉ: 25 Hàng Bài, phường Hoàn Kiếm, Hà Nội</p><p>Hotline: 0912 345 678</p>"
BADGE = (
    "<a href='http://online.gov.vn/Home/WebDetails/68464'><img alt='' "
    "src='http://online.gov.vn/Content/EndUser/LogoCCDVSaleNoti/logoSaleNoti.png'/></a>"
)
ID_LINE = "<p>MST: 0101248141 do Sở KH&amp;ĐT Hà Nội cấp ngày 10/02/2015</p>"


def page(footer: str, body: str = PRODUCT) -> str:
    return (
        "<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>Shop</title></head>"
        f"<body><header><nav><a href='/'>Trang chủ</a> <a href='/cart'>Giỏ hàng</a></nav>"
        f"</header><main>{body}</main><footer>{footer}</footer></body></html>"
    )


def run(html: str, select: str) -> Report:
    checker = Checker(Config(select=(select,), strict=True, as_of=dt.date(2026, 11, 29)))
    return checker.check_page(html, url="https://anphat.vn/products/binh")


def outcomes(report: Report, rule: str) -> list[tuple[str, str]]:
    return [(f.message_id, f.outcome.value) for f in report.findings if f.rule_id == rule]


def status(report: Report, rule: str) -> str:
    return report.rule_runs[rule].status.value


# --- identity: a failing check digit on a certificate dated after the 2010 reform


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # Issued in 2020: no old-format number exists then, the code is wrong.
        ("Giấy chứng nhận ĐKKD số 0316123457 do Sở KH&amp;ĐT TP.HCM cấp ngày 05/03/2020",
         [("business_registration.check_digit", "fail")]),
        ("Số ĐKKD: 0316123457 – đăng ký lần đầu ngày 15/03/2012 tại Sở KH&amp;ĐT TP.HCM",
         [("business_registration.check_digit", "fail")]),
        # Issued in 2005: may be a pre-2010 certificate number, a person should look.
        ("Giấy chứng nhận ĐKKD số 0316123457 do Sở KH&amp;ĐT TP.HCM cấp ngày 05/03/2005",
         [("business_registration.check_digit.old_format", "needs_review")]),
        # Only an amendment date after 2010: the first certificate may be older.
        ("Số ĐKKD: 0316123457, đăng ký thay đổi lần 3 ngày 20/06/2019",
         [("business_registration.check_digit.old_format", "needs_review")]),
        ("Giấy chứng nhận ĐKKD số 0316123456 do Sở KH&amp;ĐT TP.HCM cấp ngày 05/03/2020", []),
    ],
)  # fmt: skip
def test_dated_certificate_decides_old_format_or_wrong_code(
    line: str, expected: list[tuple[str, str]]
) -> None:
    report = run(page(OWNER + f"<p>{line}</p>" + CONTACT + BADGE), "business_registration")
    assert outcomes(report, "business_registration.check_digit") == expected


# --- identity: issue date written after the authority's name


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ("GPKD số: 01D8012345 cấp bởi Phòng Tài chính - Kế hoạch quận Đống Đa ngày 11/11/2018",
         True),
        ("Số ĐKKD: 41N8012345 do UBND Quận 3, ngày 12/04/2019", True),
        ("Business registration No. 0101248141 issued by Hanoi DPI on 12 October 2019", True),
        ("MST 0101248141 | Sở KH&ĐT TP.HCM cấp 05/03/2020", True),
        ("MST: 0101248141 do Sở KH&ĐT TP.HCM cấp vào ngày 05/03/2020", True),
        ("MST: 0101248141 do Sở KH&ĐT TP.HCM cấp. Giao hàng 05/03/2020", False),
        ("MST: 0101248141, cấp bởi Sở KH&ĐT TP.HCM năm 2020", False),
        # A date further on that is not the certificate's.
        ("GPKD số: 01D8012345 cấp bởi UBND quận Đống Đa. Khai trương cửa hàng mới ngày 11/11/2018",
         False),
        ("GPKD số: 01D8012345 do UBND quận Đống Đa cấp – giao hàng trong ngày 11/11/2018", False),
    ],
)  # fmt: skip
def test_issue_date_after_the_authority_name(line: str, found: bool) -> None:
    facts = extract_identity("Hộ kinh doanh Phụ kiện Hải Nam\n" + line)
    (n,) = facts.registration_numbers
    assert n.has_issuer
    assert n.has_issue_date is found


# --- identity: an individual's personal tax code has no issuer or date


def test_personal_tax_code_needs_no_issuer_or_date() -> None:
    footer = (
        "<p>Chủ sở hữu website: Nguyễn Thị Hoa – MST cá nhân: 8012345677 – Địa chỉ thường "
        "trú: 12 Lê Lợi, Huế</p><p>Hotline: 0912 345 678</p>" + BADGE
    )
    report = run(page(footer), "business_registration")
    assert status(report, "business_registration.issuer_date") == "not_applicable"
    assert status(report, "business_registration.identity_missing") == "pass"
    english = footer.replace("MST cá nhân", "Personal tax code")
    report = run(page(english), "business_registration")
    assert status(report, "business_registration.issuer_date") == "not_applicable"


def test_company_tax_code_still_needs_issuer_and_date() -> None:
    footer = OWNER + "<p>MST: 0101248141</p><p>Người đại diện: Nguyễn Văn An</p>" + CONTACT
    report = run(page(footer), "business_registration.issuer_date")
    assert outcomes(report, "business_registration.issuer_date") == [
        ("business_registration.issuer_date.both", "fail")
    ]


# --- identity read from text drawn in SVG (Wix footers)


def test_registration_drawn_in_svg_counts() -> None:
    footer = (
        "<svg viewBox='0 0 600 80'><g><text x='0' y='20'>HỘ KINH DOANH GỐM AN NHIÊN</text>"
        "<text x='0' y='40'>Số ĐKHKD: 01A8019876 do UBND huyện Gia Lâm cấp ngày 20/05/2020"
        "</text></g></svg>" + CONTACT + BADGE
    )
    report = run(page(footer), "business_registration")
    assert status(report, "business_registration.identity_missing") == "pass"
    assert status(report, "business_registration.issuer_date") == "pass"
    # The same words inside <defs> or <title> are not drawn: nothing is shown.
    hidden = footer.replace("<g>", "<defs>").replace("</g>", "</defs>")
    report = run(page(hidden), "business_registration.identity_missing")
    assert outcomes(report, "business_registration.identity_missing") == [
        ("business_registration.identity_missing.none", "fail")
    ]


# --- English inspection-on-delivery wording


@pytest.mark.parametrize(
    ("text", "stated"),
    [
        ("<a href='/pages/policy'>Inspect your order before payment</a>", True),
        ("<p>You may open your parcel upon delivery and check it.</p>", True),
        ("<p>We check your order before shipping it to you.</p>", False),
    ],
)
def test_english_inspection_statements(text: str, stated: bool) -> None:
    report = run(page(OWNER + ID_LINE + CONTACT + BADGE + text), "policy.inspection")
    assert (status(report, "policy.inspection") == "pass") is stated


# --- badge opened by script


@pytest.mark.parametrize(
    ("anchor", "expected"),
    [
        ("<a href='javascript:void(0)' onclick=\"window.open('http://online.gov.vn/Home/"
         "WebDetails/98765')\">", []),
        ("<a href='#' data-href='https://online.gov.vn/Home/WebDetails/98765'>", []),
        # A script that opens something else, or a look-alike host, proves nothing.
        ("<a href='javascript:void(0)' onclick=\"window.open('/gioi-thieu')\">",
         [("moit_notification.badge_bad_link.dead_link", "fail")]),
        ("<a href='javascript:void(0)' onclick=\"window.open('http://online.gov.vn.xacnhan.com/"
         "Home/WebDetails/98765')\">", [("moit_notification.badge_bad_link.dead_link", "fail")]),
    ],
)  # fmt: skip
def test_badge_link_opened_by_script(anchor: str, expected: list[tuple[str, str]]) -> None:
    badge = anchor + "<img src='/bct.png' alt='Đã thông báo Bộ Công Thương'></a>"
    report = run(page(OWNER + ID_LINE + CONTACT + badge), "moit_notification")
    found = [(f.message_id, f.outcome.value) for f in report.findings]
    assert found == expected


# --- landing pages: one product, no <h1>


LANDING = (
    "<div class='ladi-section'><div class='ladi-element' style='position:absolute'>"
    "<h3 class='ladi-headline'>MÁY&nbsp;MASSAGE&nbsp;CỔ&nbsp;VAI&nbsp;GÁY&nbsp;OKINA</h3></div>"
    "<div class='ladi-paragraph'>Giá&nbsp;chỉ:&nbsp;<span>890.000</span><span>đ</span> "
    "<del>1.590.000đ</del></div><form class='ladi-form'><input name='phone'>"
    "<div class='ladi-button'><p class='ladi-headline'>ĐẶT&nbsp;HÀNG&nbsp;NGAY</p></div>"
    "</form></div>"
)


def test_landing_page_without_h1_is_a_product_page() -> None:
    doc = PageDocument.from_str(page(OWNER + ID_LINE + CONTACT + BADGE, body=LANDING))
    assert doc.page_kind is PageKind.PRODUCT
    report = run(page(OWNER + ID_LINE + CONTACT + BADGE, body=LANDING), "origin.missing")
    (finding,) = report.findings
    assert finding.params["product"] == "MÁY MASSAGE CỔ VAI GÁY OKINA"


@pytest.mark.parametrize(
    "body",
    [
        # No price: a lead form, not an offer.
        LANDING.replace("890.000", "").replace("1.590.000đ", ""),
        # Many prices without an <h1>: a home page or a price list, not one product.
        "<h3>Bảng giá</h3>"
        + "".join(f"<p>Gói {i}: {i}00.000đ</p>" for i in range(1, 6))
        + "<button>Đặt hàng</button>",
    ],
)
def test_pages_that_are_not_single_product_landings(body: str) -> None:
    doc = PageDocument.from_str(page(OWNER + ID_LINE + CONTACT + BADGE, body=body))
    assert doc.page_kind is not PageKind.PRODUCT


# --- badge address typed without http://


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("online.gov.vn/Home/WebDetails/98765", ["moit_notification.badge_bad_link.no_scheme"]),
        ("www.online.gov.vn/HomePage/CustomWebsiteDisplay.aspx?DocId=19176",
         ["moit_notification.badge_bad_link.no_scheme"]),
        # Protocol-relative and full addresses open the record.
        ("//online.gov.vn/Home/WebDetails/98765", []),
        ("https://online.gov.vn/Home/WebDetails/98765", []),
        # The registry's home page without a scheme is no record either way.
        ("online.gov.vn/", ["moit_notification.badge_bad_link.other_target"]),
    ],
)  # fmt: skip
def test_badge_address_without_scheme(href: str, expected: list[str]) -> None:
    badge = f"<a href='{href}'><img src='/bct.png' alt='Đã thông báo Bộ Công Thương'></a>"
    report = run(page(OWNER + ID_LINE + CONTACT + badge), "moit_notification")
    assert [f.message_id for f in report.findings] == expected


# --- invisible characters pasted into labels and numbers


@pytest.mark.parametrize("zw", ["\u200b", "\u00ad", "\u2060", "\ufeff"])
def test_invisible_characters_inside_label_and_number(zw: str) -> None:
    line = f"<p>M{zw}ST: 0101{zw}248141 do Sở KH&amp;ĐT Hà Nội cấp ngày 10/02/2015</p>"
    report = run(page(OWNER + line + CONTACT + BADGE), "business_registration")
    assert status(report, "business_registration.identity_missing") == "pass"
    assert status(report, "business_registration.issuer_date") == "pass"
    facts = extract_identity(f"Công ty TNHH A\nM{zw}ST: 0101{zw}248141")
    (n,) = facts.registration_numbers
    assert n.value == "0101248141"
    assert n.raw == f"0101{zw}248141"  # evidence keeps the page's own characters


def test_a_visible_separator_still_splits_a_label() -> None:
    # "M-ST" or "M ST" is not the label: only characters nobody sees are dropped.
    for sep in ("-", " ", "."):
        facts = extract_identity(f"Công ty TNHH A\nM{sep}ST 0101248141")
        assert facts.registration_numbers == ()


# --- footers filled in by a script


def shell(after_main: str) -> str:
    return (
        "<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>Shop</title></head>"
        f"<body><header><nav><a href='/'>Trang chủ</a></nav></header><main>{PRODUCT}</main>"
        f"{after_main}</body></html>"
    )


@pytest.mark.parametrize(
    "after_main",
    [
        "<div id='footer-placeholder'></div>",
        "<footer class='site-footer'></footer>",
        "<div id='ft'></div><script>$('#ft').load('/footer.html')</script>",
        "<div id='app-bottom'></div><script>fetch('/partials/footer.html').then(r => r.text())"
        ".then(h => document.getElementById('app-bottom').innerHTML = h)</script>",
    ],
)
def test_footer_loaded_by_script_turns_absences_into_review(after_main: str) -> None:
    html = shell(after_main)
    assert "footer_by_script" in PageDocument.from_str(html).warnings
    report = run(html, "business_registration")
    assert outcomes(report, "business_registration.identity_missing") == [
        ("business_registration.identity_missing.none", "needs_review")
    ]
    report = run(html, "moit_notification.badge_missing")
    assert [f.outcome.value for f in report.findings] == ["needs_review"]


@pytest.mark.parametrize(
    "after_main",
    [
        # No footer and nothing that fills one in: the page shows no identity.
        "",
        "<script>var cart = []; document.title = 'Shop';</script>",
        # A footer that is there is read as it is, whatever a script adds to it.
        "<footer><p>Hotline: 0912 345 678</p><div id='footer-widget'></div></footer>"
        "<script>document.getElementById('footer-widget').innerHTML = '<b>Chat</b>'</script>",
        # An empty footer holding only the badge picture is a footer.
        f"<footer>{BADGE}</footer>",
        # The empty footer of a dialog or a card is not the page's footer.
        "<div class='modal fade'><div class='modal-content'><div class='modal-footer'></div>"
        "</div></div>",
        "<div class='card'><div class='card-footer'></div></div>",
        "<div class='product-footer-note'></div>",
    ],
)
def test_pages_whose_footer_is_not_missing_by_script(after_main: str) -> None:
    html = shell(after_main)
    assert "footer_by_script" not in PageDocument.from_str(html).warnings
    report = run(html, "business_registration.identity_missing")
    assert [f.outcome.value for f in report.findings] == ["fail"]


def test_present_violations_stay_failures_when_the_footer_is_scripted() -> None:
    # Only what is missing becomes uncertain; a wrong number shown in the page is wrong.
    body = PRODUCT + OWNER + "<p>MST: 0316123457 do Sở KH&amp;ĐT TP.HCM cấp ngày 05/03/2020</p>"
    html = shell("<div id='footer'></div>").replace(PRODUCT, body)
    report = run(html, "business_registration.check_digit")
    assert outcomes(report, "business_registration.check_digit") == [
        ("business_registration.check_digit", "fail")
    ]
