"""price rules: hidden prices per product, quotations, and what a price includes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ecomcheck import Checker, Confidence, Config, Outcome, Report
from ecomcheck.cli import main

HERE = Path(__file__).resolve().parent
PAGES = HERE / "fixtures" / "offer_pages"
URL = "https://shop.vn/products/ao-so-mi"
AS_OF = dt.date(2026, 11, 29)


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(Config(select=("price",), strict=True, as_of=AS_OF))


def page(body: str, head: str = "", footer: str = "<p>Shop ABC</p>") -> str:
    return (
        f"<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>Shop</title>{head}"
        "</head><body><header><nav><a href='/'>Trang chủ</a> <a href='/lien-he'>Liên hệ</a>"
        f"</nav></header><main>{body}</main><footer>{footer}</footer></body></html>"
    )


def product(price: str, extra: str = "", **kw: str) -> str:
    return page(
        f"<h1>Áo sơ mi nam Oxford</h1>{price}<button class='btn-buy'>Đặt hàng</button>{extra}",
        **kw,
    )


def hits(report: Report, rule_id: str) -> list[tuple[str, str]]:
    return [
        (f.message_id, f.params.get("phrase", "")) for f in report.findings if f.rule_id == rule_id
    ]


# --- price.hidden -----------------------------------------------------------------------


def test_grid_of_lien_he_names_the_products(checker: Checker) -> None:
    report = checker.check_page(
        (PAGES / "handmade-lienhe-grid.html").read_bytes(),
        url="http://dienuocminhphat.vn/may-loc-nuoc.html",
    )
    got = [(f.params["product"], f.params["phrase"]) for f in report.findings]
    assert got == [
        ("Máy lọc nước RO 10 lõi", "Liên hệ"),
        ("Máy lọc nước nóng lạnh", "Liên hệ"),
        ("Máy lọc nước công nghiệp 500 lít/giờ", "Giá: LH"),
    ]
    for f in report.findings:
        assert f.outcome is Outcome.FAIL and f.confidence is Confidence.HIGH
        title, stand_in = f.evidence
        assert title.matched == f.params["product"]
        assert stand_in.matched == f.params["phrase"]
        assert title.selector and "h3" in title.selector
    assert len({f.fingerprint for f in report.findings}) == 3


def test_theme_grid_with_lien_he_and_zero_prices(checker: Checker) -> None:
    report = checker.check_page(
        (PAGES / "sapo-grid-lienhe.html").read_bytes(),
        url="https://senvoiducanh.vn/collections/thiet-bi-ve-sinh",
    )
    assert [(f.params["product"], f.params["phrase"]) for f in report.findings] == [
        ("Bồn cầu Inax C-504VAN", "Liên hệ"),
        ("Lavabo Caesar LF5130", "0₫"),
    ]


@pytest.mark.parametrize(
    ("price", "expected", "confidence"),
    [
        ("<div class='price'>Giá: Liên hệ</div>", ("price.hidden", "Giá: Liên hệ"), "high"),
        ("<p>Giá sỉ ib shop nhé</p>", ("price.hidden", "Giá sỉ ib"), "high"),
        ("<p>Inbox để biết giá</p>", ("price.hidden", "Inbox để biết giá"), "high"),
        ("<div class='price'>Call</div>", ("price.hidden", "Call"), "high"),
        ("<p>Inbox shop nha</p>", ("price.hidden", "Inbox"), "medium"),
        ("<p>Chất liệu cotton.</p>", ("price.hidden.none", ""), "medium"),
        ("<div class='price'>450.000đ</div>", None, ""),
        ("<div class='price'>450.000đ</div><p>Inbox shop để tư vấn size</p>", None, ""),
        (
            "<p>Freeship đơn từ 300k</p><div class='price'>Liên hệ</div>",
            ("price.hidden", "Liên hệ"),
            "high",
        ),
    ],
)
def test_hidden(
    checker: Checker, price: str, expected: tuple[str, str] | None, confidence: str
) -> None:
    report = checker.check_page(product(price), url=URL)
    assert hits(report, "price.hidden") == ([expected] if expected else [])
    for f in report.findings:
        if f.rule_id == "price.hidden":
            assert f.confidence.value == confidence
            assert f.params["product"] == "Áo sơ mi nam Oxford"


def test_structured_price_only_is_not_reported(checker: Checker) -> None:
    head = '<meta property="product:price:amount" content="450000">'
    report = checker.check_page(product("", head=head), url=URL)
    assert hits(report, "price.hidden") == []


def test_visible_stand_in_beats_structured_price(checker: Checker) -> None:
    ld = (
        '<script type="application/ld+json">{"@type":"Product","name":"Áo sơ mi nam Oxford",'
        '"offers":{"@type":"Offer","price":"450000","priceCurrency":"VND"}}</script>'
    )
    report = checker.check_page(product("<div class='price'>Liên hệ</div>", head=ld), url=URL)
    assert hits(report, "price.hidden") == [("price.hidden", "Liên hệ")]


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("home.html", "https://myphamhoamai.vn/"),
        ("category-grid.html", "https://myphamhoamai.vn/collections/kem-chong-nang"),
        ("haravan-table-origin.html", "https://giadunghoasen.vn/products/noi-chien-lock-lock"),
    ],
)
def test_priced_pages_pass(checker: Checker, name: str, url: str) -> None:
    report = checker.check_page((PAGES / name).read_bytes(), url=url)
    assert hits(report, "price.hidden") == [] and hits(report, "price.quote") == []
    assert report.rule_runs["price.hidden"].status.value == "pass"


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("blog-post.html", "https://myphamhoamai.vn/blogs/news/top-5-kem-chong-nang"),
        ("policy.html", "https://myphamhoamai.vn/pages/chinh-sach-doi-tra"),
    ],
)
def test_informational_pages_are_not_applicable(checker: Checker, name: str, url: str) -> None:
    report = checker.check_page((PAGES / name).read_bytes(), url=url)
    assert report.findings == []
    for rule_id in ("price.hidden", "price.quote", "price.tax_shipping"):
        assert report.rule_runs[rule_id].status.value == "not_applicable"


def test_related_products_are_judged_on_their_own_pages(checker: Checker) -> None:
    # The Haravan page's related carousel holds a "Liên hệ" card.
    report = checker.check_page(
        (PAGES / "haravan-table-origin.html").read_bytes(),
        url="https://giadunghoasen.vn/products/noi-chien-lock-lock",
    )
    assert report.findings == []


# --- price.quote ----------------------------------------------------------------------------


def test_quotation_service_needs_review(checker: Checker) -> None:
    report = checker.check_page(
        (PAGES / "quote-service.html").read_bytes(),
        url="https://noithatphucan.vn/products/thi-cong-tran-thach-cao",
    )
    assert [(f.message_id, f.outcome) for f in report.findings] == [
        ("price.quote", Outcome.NEEDS_REVIEW)
    ]
    assert report.findings[0].params["phrase"] == "Liên hệ báo giá"


def test_hidden_price_is_not_a_quotation(checker: Checker) -> None:
    report = checker.check_page(product("<p>Ib giá. Nhận báo giá sỉ.</p>"), url=URL)
    assert hits(report, "price.quote") == []
    assert hits(report, "price.hidden") == [("price.hidden", "Ib giá")]


# --- price.tax_shipping -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("footer", "head", "fails"),
    [
        ("<p>Shop ABC</p>", "", True),
        ("<p>Giá đã bao gồm VAT.</p>", "", False),
        ("<p>Miễn phí vận chuyển toàn quốc.</p>", "", False),
        ("<p>Giá chưa gồm phí ship.</p>", "", False),
        (
            "<p>Shop ABC</p>",
            '<script type="application/ld+json">{"@type":"Product","name":"Áo sơ mi nam Oxford",'
            '"offers":{"@type":"Offer","price":"450000","valueAddedTaxIncluded":"true"}}</script>',
            False,
        ),
    ],
)
def test_tax_shipping(checker: Checker, footer: str, head: str, fails: bool) -> None:
    report = checker.check_page(
        product("<div class='price'>450.000đ</div>", footer=footer, head=head), url=URL
    )
    got = [f for f in report.findings if f.rule_id == "price.tax_shipping"]
    assert bool(got) is fails
    if got:
        (f,) = got
        assert f.severity.value == "low" and f.params == {
            "product": "Áo sơ mi nam Oxford",
            "count": 1,
        }
        assert [e.matched for e in f.evidence] == ["Áo sơ mi nam Oxford", "450.000đ"]


def test_tax_shipping_applies_from_the_new_regime() -> None:
    c = Checker(Config(select=("price.tax_shipping",), as_of=dt.date(2026, 6, 30)))
    report = c.check_page(product("<div class='price'>450.000đ</div>"), url=URL)
    run = report.rule_runs["price.tax_shipping"]
    assert run.status.value == "not_applicable" and "Điều 31" in (run.reason or "")


def test_tax_shipping_needs_a_price(checker: Checker) -> None:
    report = checker.check_page(product("<div class='price'>Liên hệ</div>"), url=URL)
    assert report.rule_runs["price.tax_shipping"].status.value == "not_applicable"


# --- the command line -----------------------------------------------------------------------


def test_cli_text_report_names_the_products(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "check", str(PAGES / "handmade-lienhe-grid.html"), "--select", "price",
            "--url", "http://dienuocminhphat.vn/may-loc-nuoc.html", "--as-of", "2026-11-29",
        ]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 1
    for name in ("Máy lọc nước RO 10 lõi", "Máy lọc nước nóng lạnh"):
        assert f'Sản phẩm "{name}" không niêm yết giá, chỉ ghi "Liên hệ".' in out
    assert 'Sản phẩm "Lõi lọc số 1' not in out
