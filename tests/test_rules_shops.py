"""Whole-page fixtures from real platform templates: which identity rules fire, and where."""

import datetime as dt
from pathlib import Path

import pytest

from ecomcheck import Checker, Config, Outcome, Report

HERE = Path(__file__).resolve().parent
SHOPS = HERE / "fixtures" / "shops"
EXAMPLES = HERE.parent / "examples"
IDENTITY = ("business_registration", "moit_notification", "contact", "policy")


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(Config(select=IDENTITY, strict=True, as_of=dt.date(2026, 11, 29)))


def _check(checker: Checker, path: Path, url: str | None = None) -> Report:
    return checker.check_page(path.read_bytes(), url=url)


def _ids(report: Report, outcome: Outcome | None = None) -> set[str]:
    return {f.message_id for f in report.findings if outcome is None or f.outcome is outcome}


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("haravan-product.html", "https://myphamhoamai.vn/products/kem-chong-nang-anessa-60ml"),
        ("woocommerce-household.html", "https://matongdaklak.vn/san-pham/mat-ong-hoa-ca-phe/"),
        ("english-shop.html", "https://saigoncraft.vn/products/pour-over-set"),
    ],
)
def test_compliant_shops_have_no_findings(checker: Checker, name: str, url: str) -> None:
    report = _check(checker, SHOPS / name, url)
    assert report.findings == [], [f.message for f in report.findings]
    assert report.rule_runs["moit_notification.badge_missing"].status.value == "pass"
    assert report.rule_runs["business_registration.identity_missing"].status.value == "pass"


def test_clean_example_passes(checker: Checker) -> None:
    report = _check(checker, EXAMPLES / "shop-clean.html", "https://moclan.vn/products/ao")
    assert report.findings == []


def test_allcaps_legacy_badge_and_missing_inspection(checker: Checker) -> None:
    report = _check(checker, SHOPS / "sapo-allcaps.html", "https://dongho.vn/dong-ho-nam")
    assert _ids(report, Outcome.FAIL) == {"policy.inspection"}
    assert _ids(report, Outcome.NEEDS_REVIEW) == {"moit_notification.transition.legacy"}
    legacy = next(f for f in report.findings if f.rule_id == "moit_notification.transition")
    assert legacy.params["record"] == "40360"


def test_legacy_badge_after_transition_needs_review() -> None:
    c = Checker(Config(select=("moit_notification",), as_of=dt.date(2027, 7, 1)))
    report = _check(c, SHOPS / "sapo-allcaps.html")
    assert _ids(report) == {"moit_notification.transition.expired"}


def test_badge_before_new_regime_is_plain_pass() -> None:
    c = Checker(Config(select=("moit_notification",), as_of=dt.date(2026, 3, 1)))
    report = _check(c, SHOPS / "sapo-allcaps.html")
    assert report.findings == []
    assert report.rule_runs["moit_notification.transition"].status.value == "pass"


def test_handmade_shop_hides_everything(checker: Checker) -> None:
    report = _check(checker, SHOPS / "handmade-violations.html", "https://dogiadung.vn/")
    fails = _ids(report, Outcome.FAIL)
    assert {
        "business_registration.identity_missing.none",
        "contact.no_contact",
        "contact.no_address",
        "moit_notification.badge_bad_link.lookalike_host",
        "moit_notification.text_claim",
        "policy.returns",
        "policy.privacy",
        "policy.shipping",
        "policy.payment",
    } <= fails
    assert "moit_notification.badge_missing" not in fails
    lookalike = next(f for f in report.findings if f.message_id.endswith("lookalike_host"))
    assert lookalike.evidence[0].matched and "online-gov.vn" in lookalike.evidence[0].matched


def test_problem_example_findings_point_at_the_page(checker: Checker) -> None:
    report = _check(checker, EXAMPLES / "shop-problems.html", "https://giayhungphat.vn/hp-88")
    fails = _ids(report, Outcome.FAIL)
    assert {
        "business_registration.check_digit",
        "business_registration.issuer_date.both",
        "contact.phone_invalid.retired",
        "moit_notification.badge_bad_link.dead_link",
        "policy.returns",
        "policy.shipping",
    } <= fails
    assert "policy.privacy" not in fails
    assert "business_registration.identity_missing" not in {f.rule_id for f in report.findings}
    digit = next(f for f in report.findings if f.rule_id == "business_registration.check_digit")
    ev = digit.evidence[0]
    assert ev.matched == "0101248142"
    assert ev.selector and "footer" in ev.selector
    assert ev.start is not None and ev.end is not None
    retired = next(f for f in report.findings if f.message_id == "contact.phone_invalid.retired")
    assert "0168 456 7890" in (retired.evidence[0].snippet or "")


def test_fingerprints_ignore_layout(checker: Checker) -> None:
    html = (EXAMPLES / "shop-problems.html").read_text("utf-8")
    moved = html.replace(
        '<div class="footer-widget">', '<div class="x"><div class="footer-widget">'
    )
    moved = moved.replace(
        "<p>MST: 0101248142</p>", "<p>Khuyến mãi tháng 12</p><p>MST: 0101248142</p>"
    )
    a = checker.check_page(html, url="https://giayhungphat.vn/hp-88")
    b = checker.check_page(moved, url="https://giayhungphat.vn/hp-88")
    fa = {f.rule_id: f.fingerprint for f in a.findings}
    fb = {f.rule_id: f.fingerprint for f in b.findings}
    assert fa["business_registration.check_digit"] == fb["business_registration.check_digit"]
    sel_a = next(f for f in a.findings if f.rule_id == "business_registration.check_digit")
    sel_b = next(f for f in b.findings if f.rule_id == "business_registration.check_digit")
    assert sel_a.evidence[0].start != sel_b.evidence[0].start


@pytest.mark.parametrize(
    "href",
    [
        r"http:\\online.gov.vn\Home\WebDetails\12345",
        r"https:\\www.online.gov.vn\Home\AppDetails\77",
        r"http://online.gov.vn\Home\WebDetails\12345",
    ],
)
def test_badge_link_written_with_backslashes_is_read_as_a_browser_does(href: str) -> None:
    sell = '<h1>Áo thun</h1><span class="price">199.000₫</span><button>Thêm vào giỏ hàng</button>'
    page = (
        f'<html><body>{sell}<footer><a href="{href}"><img src="/logoSaleNoti.png" '
        'alt="Đã thông báo Bộ Công Thương"></a></footer></body></html>'
    )
    report = Checker(Config(select=("moit_notification",))).check_page(page, url="https://abc.vn/")
    assert not report.findings


def test_backslashes_stay_in_other_schemes_and_queries() -> None:
    from ecomcheck.extract.document import _resolve

    base = "https://shop.vn/p/1"
    assert _resolve(base, "mailto:a\\b@x.vn") == "mailto:a\\b@x.vn"
    assert _resolve(base, "\\doi-tra?q=a\\b", "https://shop.vn") == "https://shop.vn/doi-tra?q=a\\b"


@pytest.mark.parametrize(
    ("style", "hidden"),
    [
        ('style="display:none"', True),
        ('style="margin:0; DISPLAY : none"', True),
        ('style="visibility: hidden"', True),
        ('style="opacity: 0"', True),
        ('class="footer-badge d-none"', True),
        ('class="hidden"', True),
        ('class="sr-only"', True),
        ('class="visually-hidden"', True),
        ('style="display:block"', False),
        ('style="opacity:0.8"', False),
        ('class="d-none d-md-block"', False),
        ('class="hidden lg:flex"', False),
        ('class="hidden-xs"', False),
        ('class="overflow-hidden"', False),
        ('aria-hidden="true"', False),
        ("", False),
    ],
)
def test_a_badge_hidden_by_a_style_or_class_is_for_review(style: str, hidden: bool) -> None:
    sell = '<h1>Áo thun</h1><span class="price">199.000₫</span><button>Thêm vào giỏ hàng</button>'
    page = (
        f'<html><body>{sell}<footer><div {style}><a href="http://online.gov.vn/Home/WebDetails/'
        '12345"><img src="/logoSaleNoti.png" alt="Đã thông báo Bộ Công Thương"></a></div>'
        "</footer></body></html>"
    )
    report = Checker(Config(select=("moit_notification",))).check_page(page, url="https://abc.vn/")
    found = [(f.message_id, f.outcome) for f in report.findings]
    if hidden:
        assert found == [("moit_notification.badge_missing.hidden", Outcome.NEEDS_REVIEW)]
        assert report.findings[0].evidence[0].matched == (
            "http://online.gov.vn/Home/WebDetails/12345"
        )
    else:
        assert found == []
