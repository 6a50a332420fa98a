"""origin rules on platform fixtures and their look-alikes: fire, pass, not applicable."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from ecomcheck import Checker, Config, Outcome, Report
from ecomcheck.cli import main

HERE = Path(__file__).resolve().parent
PAGES = HERE / "fixtures" / "offer_pages"
URLS = {
    "haravan-table-origin.html": "https://giadunghoasen.vn/products/noi-chien-lock-lock",
    "sapo-no-origin.html": "https://dienmaythanhcong.vn/may-loc-khong-khi-xiaomi-4-lite",
    "woocommerce-vague.html": "https://huongthomshop.vn/san-pham/nuoc-hoa-nu-rose-garden/",
    "tiki-contradiction.html": "https://tiki.vn/ao-khoac-du-nam-p274519331.html",
    "english-made-in.html": "https://hanoiteahouse.com/products/cast-iron-tea-kettle",
    "jsonld-origin-only.html": "https://caphe.vn/products/arabica-cau-dat",
    "microdata-grid.html": "https://mevabeankhang.vn/danh-muc/sua-bot",
    "home.html": "https://myphamhoamai.vn/",
    "blog-post.html": "https://myphamhoamai.vn/blogs/news/top-5-kem-chong-nang",
    "policy.html": "https://myphamhoamai.vn/pages/chinh-sach-doi-tra",
    "category-grid.html": "https://myphamhoamai.vn/collections/kem-chong-nang",
    "quote-service.html": "https://noithatphucan.vn/products/thi-cong-tran-thach-cao",
}
URL = "https://shop.vn/products/binh-giu-nhiet"


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(Config(select=("origin",), strict=True, as_of=dt.date(2026, 11, 29)))


def check(checker: Checker, name: str) -> Report:
    return checker.check_page((PAGES / name).read_bytes(), url=URLS[name])


def page(body: str, head: str = "") -> str:
    return (
        f"<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>Shop</title>{head}"
        "</head><body><header><nav><a href='/'>Trang chủ</a> <a href='/cart'>Giỏ hàng</a></nav>"
        f"</header><main>{body}</main><footer><p>Xuất xứ: Việt Nam</p></footer></body></html>"
    )


def product(extra: str, title: str = "Bình giữ nhiệt inox 500ml", head: str = "") -> str:
    return page(
        f"<h1>{title}</h1><span class='price'>189.000₫</span>"
        f"<button class='add-to-cart'>Thêm vào giỏ hàng</button>{extra}",
        head,
    )


def found(report: Report) -> list[tuple[str, str]]:
    return [(f.message_id, f.outcome.value) for f in report.findings]


# --- the platform fixtures ------------------------------------------------------------


def test_product_without_origin(checker: Checker) -> None:
    report = check(checker, "sapo-no-origin.html")
    assert found(report) == [("origin.missing", "fail")]
    (f,) = report.findings
    assert f.params == {"product": "Máy lọc không khí Xiaomi Air Purifier 4 Lite"}
    assert "Máy lọc không khí Xiaomi Air Purifier 4 Lite" in f.message
    assert f.evidence[0].matched == f.params["product"]
    assert f.evidence[0].selector and f.evidence[0].selector.endswith("h1.title-product")
    # The microdata scope wraps the related products: they are not this product.
    assert report.rule_runs["origin.missing"].status.value == "fail"


def test_vague_origin_in_the_attribute_table(checker: Checker) -> None:
    report = check(checker, "woocommerce-vague.html")
    assert found(report) == [("origin.vague", "fail")]
    (f,) = report.findings
    assert f.params["phrase"] == "Nguồn gốc: Hàng ngoại nhập"
    assert f.evidence[1].matched is not None and "Hàng ngoại nhập" in f.evidence[1].matched


def test_grey_channel_title_contradicts_the_specification(checker: Checker) -> None:
    report = check(checker, "tiki-contradiction.html")
    assert found(report) == [("origin.contradiction", "fail")]
    (f,) = report.findings
    assert f.params["first"] == "Xuất xứ (Made in): Việt Nam"
    assert f.params["second"] == "hàng Quảng Châu"
    assert [e.matched for e in f.evidence][2] == "hàng Quảng Châu"
    assert f.severity.value == "high"


@pytest.mark.parametrize(
    "name", ["haravan-table-origin.html", "english-made-in.html", "jsonld-origin-only.html"]
)
def test_stated_origins_pass(checker: Checker, name: str) -> None:
    report = check(checker, name)
    assert report.findings == [], [f.message for f in report.findings]
    assert report.rule_runs["origin.missing"].status.value == "pass"
    assert report.rule_runs["origin.contradiction"].status.value == "pass"


def test_grid_of_full_offers_is_judged_per_card(checker: Checker) -> None:
    report = check(checker, "microdata-grid.html")
    assert found(report) == [("origin.missing", "fail")]
    assert report.findings[0].params == {"product": "Sữa bột pha sẵn Vinamilk Grow Plus"}


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("home.html", "ô sản phẩm"),
        ("category-grid.html", "ô sản phẩm"),
        ("blog-post.html", "Trang thông tin (article)"),
        ("policy.html", "Trang thông tin (policy)"),
        ("quote-service.html", "báo giá"),
    ],
)
def test_look_alikes_are_not_products_without_origin(
    checker: Checker, name: str, reason: str
) -> None:
    report = check(checker, name)
    assert report.findings == []
    for rule_id in ("origin.missing", "origin.vague", "origin.contradiction"):
        run = report.rule_runs[rule_id]
        assert run.status.value == "not_applicable" and reason in (run.reason or "")


def test_home_page_grid_with_order_buttons_is_judged() -> None:
    html = (
        (PAGES / "home.html")
        .read_text("utf-8")
        .replace("</p></div>", "</p><button class='btn-cart'>Mua ngay</button></div>")
    )
    c = Checker(Config(select=("origin.missing",), as_of=dt.date(2026, 11, 29)))
    report = c.check_page(html, url="https://myphamhoamai.vn/")
    assert [f.params["product"] for f in report.findings] == [
        "Kem chống nắng Anessa 60ml",
        "Sữa rửa mặt CeraVe 236ml",
        "Nước tẩy trang Bioderma 500ml",
    ]
    assert len({f.fingerprint for f in report.findings}) == 3
    starts = [f.evidence[0].start for f in report.findings]
    assert starts == sorted(starts) and None not in starts


# --- each rule on small pages -----------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("<p>Xuất xứ: Hàn Quốc</p>", []),
        ("<table><tr><th>Xuất xứ</th><td>Đang cập nhật</td></tr></table>", ["no_country"]),
        ("<p>Hàng xách tay chính hãng, giao nhanh.</p>", ["hint"]),
        ("<p>Chất liệu inox 304, giữ nhiệt 12 giờ.</p>", ["missing"]),
        ("<p>Nhập khẩu trực tiếp từ Thái Lan.</p>", []),
        ("<p>Thương hiệu Nhật Bản</p>", []),  # origin.brand_only instead
        ("<p>Hàng nhập khẩu chính hãng</p>", []),  # origin.vague instead
    ],
)
def test_missing_variants(checker: Checker, extra: str, expected: list[str]) -> None:
    report = checker.check_page(product(extra), url=URL)
    got = [
        f.message_id.rsplit(".", 1)[-1] for f in report.findings if f.rule_id == "origin.missing"
    ]
    assert got == expected


def test_footer_origin_is_not_the_products(checker: Checker) -> None:
    report = checker.check_page(product(""), url=URL)
    assert "origin.missing" in [f.message_id for f in report.findings]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("<p>Hàng ngoại nhập 100%</p>", ("origin.vague", Outcome.FAIL)),
        ("<p>Xuất xứ: Châu Âu</p>", ("origin.vague.region", Outcome.NEEDS_REVIEW)),
        ("<p>Xuất xứ: nhập khẩu</p>", ("origin.vague", Outcome.FAIL)),
        ("<p>Hàng nhập khẩu chính hãng. Xuất xứ: Pháp</p>", None),
        ("<p>Giá đã bao gồm thuế nhập khẩu.</p>", None),
    ],
)
def test_vague(checker: Checker, extra: str, expected: tuple[str, Outcome] | None) -> None:
    report = checker.check_page(product(extra), url=URL)
    got = [(f.message_id, f.outcome) for f in report.findings if f.rule_id == "origin.vague"]
    assert got == ([expected] if expected else [])


@pytest.mark.parametrize(
    ("extra", "phrases"),
    [
        ("<p>Xuất xứ: TQ</p>", ["Xuất xứ: TQ"]),
        ("<table><tr><td>Xuất xứ</td><td>HQ</td></tr></table>", ["Xuất xứ: HQ"]),
        ("<p>Xuất xứ: Trung Quốc</p>", []),
        ("<p>Made in USA</p>", []),
        ("<p>Xuất xứ: Việt Nam</p><p>Made in VN</p>", []),
    ],
)
def test_abbreviated(checker: Checker, extra: str, phrases: list[str]) -> None:
    report = checker.check_page(product(extra), url=URL)
    hits = [f for f in report.findings if f.rule_id == "origin.abbreviated"]
    assert [f.params["phrase"] for f in hits] == phrases
    assert all(f.outcome is Outcome.NEEDS_REVIEW and f.severity.value == "low" for f in hits)


def test_structured_codes_are_not_abbreviations(checker: Checker) -> None:
    ld = (
        '<script type="application/ld+json">{"@type":"Product","name":"Bình giữ nhiệt inox '
        '500ml","countryOfOrigin":"CN"}</script>'
    )
    report = checker.check_page(product("", head=ld), url=URL)
    assert report.findings == []


@pytest.mark.parametrize(
    ("extra", "review"),
    [
        ("<p>Xuất xứ thương hiệu: Pháp</p>", True),
        ("<p>Thương hiệu: Hada Labo (Nhật Bản)</p>", True),
        ("<p>Xuất xứ thương hiệu: Hàn Quốc</p><p>Sản xuất tại: Trung Quốc</p>", False),
    ],
)
def test_brand_only(checker: Checker, extra: str, review: bool) -> None:
    report = checker.check_page(product(extra), url=URL)
    hits = [f for f in report.findings if f.rule_id == "origin.brand_only"]
    assert bool(hits) is review
    assert all(f.outcome is Outcome.NEEDS_REVIEW for f in hits)


@pytest.mark.parametrize(
    ("title", "extra", "expected"),
    [
        ("Bình giữ nhiệt", "<p>Xuất xứ: Hàn Quốc</p><p>Made in China</p>", "fail"),
        ("Bình giữ nhiệt hàng VNXK", "<p>Xuất xứ: Trung Quốc</p>", "fail"),
        ("Nồi cơm nội địa Nhật", "<p>Xuất xứ: Việt Nam</p>", "fail"),
        ("Bình giữ nhiệt hàng VNXK", "<p>Xuất xứ: Việt Nam</p>", None),
        ("Bình giữ nhiệt", "<p>Xuất xứ thương hiệu: Hàn Quốc</p><p>Xuất xứ: Trung Quốc</p>", None),
        ("Bình giữ nhiệt", "<p>Xuất xứ: Việt Nam</p><p>Đóng gói tại Thái Lan</p>", None),
        ("Sữa tắm", "<p>Sản xuất tại Việt Nam. Muối khoáng nhập từ Đức.</p>", None),
        ("Sữa bột nhập khẩu Đức", "<p>Sản xuất tại: Đức</p>", None),
        ("Sữa bột", "<p>Sản xuất tại: Đức</p><p>Xuất xứ: Châu Âu</p>", None),
        (
            "Combo 2 kem + sữa rửa mặt",
            "<p>Sản xuất tại Pháp</p><p>Made in Italy</p>",
            "needs_review",
        ),
    ],
)
def test_contradiction(checker: Checker, title: str, extra: str, expected: str | None) -> None:
    report = checker.check_page(product(extra, title=title), url=URL)
    hits = [f for f in report.findings if f.rule_id == "origin.contradiction"]
    assert [f.outcome.value for f in hits] == ([expected] if expected else [])


def test_structured_data_contradicts_the_specification(checker: Checker) -> None:
    ld = (
        '<script type="application/ld+json">{"@type":"Product","name":"Bình giữ nhiệt inox '
        '500ml","countryOfOrigin":"CN"}</script>'
    )
    report = checker.check_page(
        product("<table><tr><th>Xuất xứ</th><td>Hàn Quốc</td></tr></table>", head=ld), url=URL
    )
    (f,) = [f for f in report.findings if f.rule_id == "origin.contradiction"]
    assert f.params["first"] == "Xuất xứ: Hàn Quốc" and f.params["second"] == "countryOfOrigin: CN"
    assert f.evidence[2].pointer == "/jsonld/0/countryOfOrigin"
    assert f.evidence[0].matched == "Bình giữ nhiệt inox 500ml"


def test_fingerprint_ignores_layout(checker: Checker) -> None:
    a = checker.check_page(product("<p>Chất liệu inox.</p>"), url=URL)
    b = checker.check_page(
        product("<div><p>Thêm khuyến mãi</p><p>Chất liệu inox.</p></div>"), url=URL
    )
    fa = [f.fingerprint for f in a.findings if f.rule_id == "origin.missing"]
    fb = [f.fingerprint for f in b.findings if f.rule_id == "origin.missing"]
    assert fa and fa == fb


def test_english_messages() -> None:
    c = Checker(Config(select=("origin",), lang="en", as_of=dt.date(2026, 11, 29)))
    report = c.check_page(
        (PAGES / "sapo-no-origin.html").read_bytes(), url=URLS["sapo-no-origin.html"]
    )
    (f,) = report.findings
    assert f.message == (
        'Product "Máy lọc không khí Xiaomi Air Purifier 4 Lite" states no origin (country of '
        "manufacture) anywhere: not in its title, specification or description."
    )
    assert f.remediation.startswith('Add an "Xuất xứ: <country>" line')


# --- the command line -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message_id"),
    [
        ("sapo-no-origin.html", "origin.missing"),
        ("woocommerce-vague.html", "origin.vague"),
        ("tiki-contradiction.html", "origin.contradiction"),
    ],
)
def test_cli_gives_the_origin_finding(
    name: str, message_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "check", str(PAGES / name), "--url", URLS[name], "--format", "json",
            "--select", "origin", "--as-of", "2026-11-29",
        ]
    )  # fmt: skip
    assert code == 1
    report = json.loads(capsys.readouterr().out)
    assert [f["message_id"] for f in report["findings"]] == [message_id]
    assert report["findings"][0]["category"] == "origin"


def test_a_huge_grid_is_summed_up_after_the_cap() -> None:
    from ecomcheck.rules._offers import MAX_PRODUCT_FINDINGS

    n = MAX_PRODUCT_FINDINGS + 25
    cards = "".join(
        f"<div class='product-item'><h3><a href='/products/p{i}'>Áo mẫu {i}</a></h3>"
        f"<span class='price'>{100 + i}.000đ</span><button class='btn-cart'>Mua ngay</button></div>"
        for i in range(n)
    )
    c = Checker(Config(select=("origin.missing",), as_of=dt.date(2026, 11, 29)))
    report = c.check_page(page(f"<h1>Áo</h1>{cards}"), url="https://shop.vn/collections/ao")
    ids = [f.message_id for f in report.findings]
    assert ids == ["origin.missing"] * MAX_PRODUCT_FINDINGS + ["origin.more"]
    assert report.findings[-1].params == {
        "count": 25,
        "rule": "origin.missing",
        "shown": MAX_PRODUCT_FINDINGS,
    }
