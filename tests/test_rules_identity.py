"""Rule-by-rule fixtures for the seller-identity categories: fire, pass, look-alikes."""

import datetime as dt

import pytest

from ecomcheck import Checker, Config, Outcome, Report

PRODUCT = """
<h1>Bình giữ nhiệt inox 500ml</h1>
<span class="price">189.000₫</span>
<button class="btn add-to-cart">Thêm vào giỏ hàng</button>
"""
SHOWCASE = "<h1>Giới thiệu xưởng gốm</h1><p>Chúng tôi nhận đặt làm gốm theo yêu cầu.</p>"
GOOD_ID = (
    "<p>Công ty TNHH Gia Dụng An Phát</p>"
    "<p>Mã số doanh nghiệp: 0101248141 do Sở Kế hoạch và Đầu tư TP Hà Nội cấp lần đầu ngày "
    "10/02/2015</p>"
)
GOOD_CONTACT = "<p>Địa chỉ: 25 Hàng Bài, phường Hoàn Kiếm, Hà Nội</p><p>Hotline: 0912 345 678</p>"
BADGE = (
    "<a href='http://online.gov.vn/Home/WebDetails/68464'><img alt='' title='' "
    "src='http://online.gov.vn/Content/EndUser/LogoCCDVSaleNoti/logoSaleNoti.png'/></a>"
)


def page(
    body: str = PRODUCT, footer: str = GOOD_ID + GOOD_CONTACT + BADGE, cart: bool = True
) -> str:
    nav = "<a href='/'>Trang chủ</a> " + ("<a href='/cart'>Giỏ hàng</a>" if cart else "")
    return (
        "<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>Shop</title></head>"
        f"<body><header class='site-header'><nav>{nav}</nav></header><main>{body}</main>"
        f"<footer class='site-footer'>{footer}</footer></body></html>"
    )


def run(html: str, select: str, url: str = "https://anphat.vn/products/binh-giu-nhiet") -> Report:
    checker = Checker(Config(select=(select,), strict=True, as_of=dt.date(2026, 11, 29)))
    return checker.check_page(html, url=url)


def ids(report: Report) -> set[str]:
    return {f.message_id for f in report.findings}


# --- business_registration --------------------------------------------------------


@pytest.mark.parametrize(
    ("footer", "expected"),
    [
        (GOOD_ID, set()),
        ("<p>Địa chỉ: 25 Hàng Bài, Hà Nội</p>", {"business_registration.identity_missing.none"}),
        (
            "<p>Công ty TNHH Gia Dụng An Phát</p>",
            {"business_registration.identity_missing.number_missing"},
        ),
        (
            "<p>Công ty TNHH Tin Tức An Phát</p><p>Giấy phép số 47/GP-TTĐT do Sở TT&TT cấp</p>",
            {"business_registration.identity_missing.other_licence"},
        ),
        (
            "<p>Giấy phép thiết lập mạng xã hội số 22/GP-BTTTT</p>",
            {"business_registration.identity_missing.other_licence"},
        ),
        (
            "<p>MST: 0101248141 do Sở KH&ĐT Hà Nội cấp ngày 10/02/2015</p>",
            {"business_registration.identity_missing.name_missing"},
        ),
        ("<p>HỘ KINH DOANH AN PHÁT - MST: 0108977908-001</p>", set()),
        ("<p>Cá nhân kinh doanh: Trần Thị Hoa</p><p>Mã số thuế cá nhân: 079203012345</p>", set()),
    ],
)
def test_identity_missing(footer: str, expected: set[str]) -> None:
    report = run(page(footer=footer), "business_registration.identity_missing")
    assert ids(report) == expected


def test_identity_not_applicable_on_showcase_page() -> None:
    html = page(body=SHOWCASE, footer="<p>Xưởng gốm Bát Tràng</p>", cart=False)
    report = run(html, "business_registration", url="https://gombattrang.vn/gioi-thieu")
    assert report.findings == []
    run_ = report.rule_runs["business_registration.identity_missing"]
    assert run_.status.value == "not_applicable"
    assert run_.reason


def test_personal_id_is_masked_in_evidence() -> None:
    footer = "<p>MST cá nhân: 079203012345</p>"
    report = run(page(footer=footer), "business_registration.identity_missing")
    (f,) = report.findings
    assert f.message_id == "business_registration.identity_missing.name_missing"
    dumped = f.model_dump_json()
    assert "079203012345" not in dumped
    assert "345" in (f.evidence[0].matched or "")


@pytest.mark.parametrize(
    ("footer", "expected"),
    [
        (GOOD_ID, set()),
        ("<p>Công ty TNHH A</p><p>MST: 0101248142</p>", {"business_registration.check_digit"}),
        ("<p>Công ty TNHH A</p><p>Mã số thuế: 010 6411 810</p>", set()),
        ("<p>Công ty TNHH A</p><p>MSDN: 010.7467.693</p>", set()),
        ("<p>Công ty TNHH A</p><p>MST: 0107654321</p>", {"business_registration.check_digit"}),
        ("<p>Công ty TNHH A</p><p>MST: 0101248141-001</p>", set()),
        (
            "<p>Công ty TNHH A</p><p>MST: 19006021</p>",
            {"business_registration.check_digit.malformed"},
        ),
    ],
)
def test_check_digit(footer: str, expected: set[str]) -> None:
    assert ids(run(page(footer=footer), "business_registration.check_digit")) == expected


def test_hotline_and_licence_numbers_are_not_checked_as_tax_codes() -> None:
    footer = (
        "<p>Công ty TNHH A</p><p>Hotline: 0912345679</p>"
        "<p>Giấy phép ICP số 123/GP-BTTTT</p><p>GCNĐT số: 411032000105</p>"
    )
    report = run(page(footer=footer), "business_registration.check_digit")
    assert report.findings == []


@pytest.mark.parametrize(
    ("footer", "expected"),
    [
        (GOOD_ID, set()),
        ("<p>Công ty TNHH A</p><p>MST: 0101248141</p>", {"business_registration.issuer_date.both"}),
        (
            "<p>Công ty TNHH A</p><p>MST: 0101248141 cấp ngày 10/02/2015</p>",
            {"business_registration.issuer_date.issuer"},
        ),
        (
            "<p>Công ty TNHH A</p><p>MST: 0101248141 do Sở KH&ĐT TP HCM cấp</p>",
            {"business_registration.issuer_date.date"},
        ),
    ],
)
def test_issuer_date(footer: str, expected: set[str]) -> None:
    assert ids(run(page(footer=footer), "business_registration.issuer_date")) == expected


def test_marketplace_operator_number_needs_review() -> None:
    footer = (
        "<p>Công ty TNHH Shopee</p><p>Mã số doanh nghiệp: 0106773786 do Sở Kế hoạch & Đầu "
        "tư TP Hà Nội cấp lần đầu ngày 10/02/2015</p>"
    )
    report = run(page(footer=footer), "business_registration")
    (f,) = report.findings
    assert f.rule_id == "business_registration.platform_number"
    assert f.outcome is Outcome.NEEDS_REVIEW
    assert f.params["operator"] == "Shopee"


# --- moit_notification --------------------------------------------------------------

ICON_FONT = (
    '<a class="bct" aria-label="bộ công thương mwg" '
    'href="http://online.gov.vn/Home/WebDetails/20098"><i class="icontgdd-bct"></i></a>'
)
APP = '<a href="https://online.gov.vn/Home/AppDetails/1101"><img src="/bct.svg"></a>'
INLINE = (
    '<a class="gov-link" href="http://www.online.gov.vn/HomePage/CustomWebsiteDisplay.aspx'
    '?DocId=19306"><img src="data:image/png;base64,iVBORw0KGgo="></a>'
)
RED_HASH = (
    '<a href="#"><img src="http://online.gov.vn/Content/EndUser/LogoCCDVSaleNoti/'
    'logoCCDV.png" alt="Đã đăng ký Bộ Công Thương"></a>'
)
UNLINKED = '<img src="/images/logoSaleNoti.png" alt="">'
BARE = '<a href="http://online.gov.vn"><img src="/img/dathongbao.png" alt="Đã thông báo"></a>'
NEWS = (
    '<a href="http://online.gov.vn/NewsDetail.aspx?CateAlias=thong-bao&DocId=130">Xem thông báo</a>'
)
JS = '<a href="javascript:void(0)"><img src="/img/bo-cong-thuong.png"></a>'
THIRD = (
    '<a href="https://dangkywebsitevoibocongthuong.com/"><img src="https://cdn.'
    'dangkywebsitevoibocongthuong.com/wp-content/uploads/2018/06/logo.png"></a>'
)
TEXT = "<span>Đã đăng ký Bộ Công Thương</span>"
PENDING = "<p>Đang thực hiện thủ tục đăng ký với Bộ Công Thương</p>"
COMMENTED = "<!-- <a href='http://online.gov.vn/Home/WebDetails/1'>badge</a> -->"
NEWS_TEXT = "<p>Bộ Công Thương vừa ban hành thông tư mới về nhãn hàng hóa.</p>"


@pytest.mark.parametrize(
    ("badge", "expected"),
    [
        (BADGE, set()),
        (ICON_FONT, set()),
        (APP, set()),
        (INLINE, {"moit_notification.transition.legacy"}),
        (RED_HASH, {"moit_notification.badge_bad_link.dead_link"}),
        (UNLINKED, {"moit_notification.badge_unlinked"}),
        (BARE, {"moit_notification.badge_bad_link.bare_portal"}),
        (NEWS, {"moit_notification.badge_bad_link.bare_portal"}),
        (JS, {"moit_notification.badge_bad_link.dead_link"}),
        (THIRD, {"moit_notification.badge_bad_link.other_target"}),
        (TEXT, {"moit_notification.text_claim"}),
        (PENDING, {"moit_notification.text_claim"}),
        (COMMENTED, {"moit_notification.badge_missing"}),
        (NEWS_TEXT, {"moit_notification.badge_missing"}),
        ("", {"moit_notification.badge_missing"}),
        (BADGE + TEXT, set()),
    ],
)
def test_badge(badge: str, expected: set[str]) -> None:
    report = run(page(footer=GOOD_ID + GOOD_CONTACT + badge), "moit_notification")
    assert ids(report) == expected


def test_badge_not_applicable_without_ordering() -> None:
    report = run(page(body=SHOWCASE, footer=GOOD_ID, cart=False), "moit_notification")
    assert report.findings == []
    assert report.rule_runs["moit_notification.badge_missing"].status.value == "not_applicable"


def test_unlinked_badge_evidence_names_the_picture() -> None:
    report = run(page(footer=GOOD_ID + UNLINKED), "moit_notification.badge_unlinked")
    (f,) = report.findings
    assert "logoSaleNoti.png" in f.evidence[0].snippet
    assert f.evidence[0].selector and "img" in f.evidence[0].selector


# --- contact ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("footer", "expected"),
    [
        (GOOD_CONTACT, set()),
        ("<p>Địa chỉ: 25 Hàng Bài, Hà Nội</p><p>Email: cskh@anphat.vn</p>", set()),
        (
            "<p>Địa chỉ: 25 Hàng Bài, Hà Nội</p><a href='https://zalo.me/0912345678'>Chat Zalo</a>",
            set(),
        ),
        ("<p>Địa chỉ: 25 Hàng Bài, Hà Nội</p><p>Tổng đài: 1900 6035</p>", set()),
        ("<p>Địa chỉ: 25 Hàng Bài, Hà Nội</p>", {"contact.no_contact"}),
        ("<p>Địa chỉ: 25 Hàng Bài, Hà Nội</p><p>Mã SP: 874809-730</p>", {"contact.no_contact"}),
        (
            "<p>Địa chỉ: 25 Hàng Bài, Hà Nội</p><p>ĐT: 0168 456 7890</p>",
            {"contact.no_contact", "contact.phone_invalid.retired"},
        ),
        ("<p>Hotline: 0912 345 678</p>", {"contact.no_address"}),
    ],
)
def test_contact(footer: str, expected: set[str]) -> None:
    assert ids(run(page(footer=GOOD_ID + footer), "contact")) == expected


# --- policy -----------------------------------------------------------------------------

ALL_POLICIES = (
    "<a href='/pages/doi-tra'>Đổi trả</a><a href='/pages/bao-mat'>Bảo mật</a>"
    "<a href='/pages/giao-hang'>Giao hàng & kiểm hàng</a><a href='/pages/thanh-toan'>Thanh toán</a>"
    "<a href='/pages/khieu-nai'>Khiếu nại</a><a href='/pages/dieu-khoan'>Điều khoản</a>"
)


@pytest.mark.parametrize(
    ("footer", "missing"),
    [
        (ALL_POLICIES, set()),
        (
            "<a href='/policies/refund-policy'><i class='icon-return'></i></a>"
            "<a href='/chinh-sach-bao-mat'>Privacy</a><a href='/shipping'>Ship</a>"
            "<a href='/payment'>Pay</a><a href='/complaints'>Help</a><a href='/terms'>Terms</a>"
            "<a href='/kiem-hang'>Kiểm</a>",
            set(),
        ),
        (
            "<h3>Chính sách đổi trả</h3><p>Đổi trong 7 ngày.</p>"
            + ALL_POLICIES.replace("<a href='/pages/doi-tra'>Đổi trả</a>", ""),
            set(),
        ),
        (
            "<a href='/tra-gop'>Trả góp 0%</a><a href='/tim-kiem'>Tìm kiếm hàng hóa</a>",
            {"returns", "privacy", "shipping", "inspection", "payment", "complaints", "terms"},
        ),
        (
            "<a href='/pages/chinh-sach-giao-hang-va-thanh-toan'>Chính sách giao hàng và thanh toán</a>",
            {"returns", "privacy", "inspection", "complaints", "terms"},
        ),
    ],
)
def test_policies(footer: str, missing: set[str]) -> None:
    report = run(page(footer=GOOD_ID + GOOD_CONTACT + footer), "policy")
    assert ids(report) == {f"policy.{m}" for m in missing}


def test_policies_not_applicable_on_article() -> None:
    html = page(
        body="<article><h1>5 mẹo chọn bình giữ nhiệt</h1><p>Nên chọn inox 304.</p></article>",
        footer=GOOD_ID,
    )
    checker = Checker(Config(select=("policy",), strict=True))
    report = checker.check_page(html, url="https://anphat.vn/blogs/tin-tuc/meo-chon-binh")
    assert report.findings == []
    assert {r.status.value for r in report.rule_runs.values()} == {"not_applicable"}
