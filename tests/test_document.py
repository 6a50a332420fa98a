"""Tests for ecomcheck.extract.document.PageDocument."""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

import pages
from ecomcheck.extract.document import Image, Link, PageDocument, Region, TextBlock

FIXTURES = Path(__file__).parent / "fixtures" / "pages"
VARIANTS = pages.robustness_variants()


def doc_of(body: str, **kw: Any) -> PageDocument:
    return PageDocument.from_str(f"<html><body>{body}</body></html>", **kw)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --- robustness (perf-baseline §6) ----------------------------------------------------


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_robustness_variant(name: str) -> None:
    doc = PageDocument.from_bytes(VARIANTS[name])
    text = nfc(doc.text)
    for marker in (pages.COMPANY, pages.MST, pages.ADDRESS, pages.HOTLINE, pages.MARKER):
        assert marker in text, (name, marker)
    for leak in pages.LEAK_MARKERS:
        assert leak not in text, (name, leak)
    assert text.count("\ufffd") <= 2
    assert doc.readable
    # The footer facts are where a reader expects them.
    assert doc.region_at(doc.text.index(pages.MST)) is Region.FOOTER
    assert any(link.url == pages.BADGE_URL for link in doc.links)


def test_robustness_warnings() -> None:
    assert "depth_flattened" in PageDocument.from_bytes(VARIANTS["deep_nesting"]).warnings
    assert "truncated_document" in PageDocument.from_bytes(VARIANTS["truncated"]).warnings
    assert "nul_bytes_removed" in PageDocument.from_bytes(VARIANTS["nul_bytes"]).warnings
    assert PageDocument.from_bytes(VARIANTS["cp1258"]).encoding == "cp1258"
    assert PageDocument.from_bytes(VARIANTS["utf8_labelled_latin1"]).encoding == "utf-8"
    clean = PageDocument.from_bytes(pages.shop_page().encode())
    assert clean.warnings == []


def test_deep_nesting_keeps_text_order_and_hides_scripts() -> None:
    deep = "<div>" * 3000 + "<p>đầu</p><script>var leak=1</script><a href='/x'>giữa</a>"
    html = f"<html><body>{deep}{'</div>' * 3000}<footer>cuối</footer></body></html>"
    doc = PageDocument.from_str(html)
    assert "depth_flattened" in doc.warnings
    assert doc.text.split("\n") == ["đầu", "giữa", "cuối"]
    assert [link.href for link in doc.links] == ["/x"]
    assert doc.region_at(doc.text.index("cuối")) is Region.FOOTER


def test_unclosed_spans_past_the_default_depth_limit() -> None:
    doc = PageDocument.from_bytes(VARIANTS["unclosed_spans"])
    assert "depth_flattened" not in doc.warnings  # huge_tree is enough for 400
    assert pages.HOTLINE in doc.text


def test_five_megabytes_on_one_line() -> None:
    line = "<span>Xuất xứ Hàn Quốc</span> " * 190_000
    doc = PageDocument.from_str(f"<html><body><p>{line}</p><footer>{pages.MST}</footer>")
    assert len(doc.html) > 5_000_000
    assert pages.MST in doc.text
    assert doc.text.count("Xuất xứ Hàn Quốc") == 190_000


# --- visible text -------------------------------------------------------------------


def test_inline_tags_do_not_split_words() -> None:
    doc = doc_of("<p>Bán c<b>ần</b> sa, <i>thu</i><em>ốc</em> lá <span>điện</span> tử</p>")
    assert doc.text == "Bán cần sa, thuốc lá điện tử"


def test_block_boundaries_separate() -> None:
    doc = doc_of(
        "<table><tr><th>Xuất xứ</th><td>Hàn Quốc</td></tr></table>"
        "<ul><li>Một</li><li>Hai</li></ul><div>Ba<br>Bốn</div><p>Năm</p>Sáu<h2>Bảy</h2>"
    )
    assert doc.text == "Xuất xứ\nHàn Quốc\nMột\nHai\nBa\nBốn\nNăm\nSáu\nBảy"


def test_whitespace_collapses() -> None:
    doc = doc_of("<p>  Giá\n\t  150.000&nbsp;đ   </p>\n\n<p>\n</p><p>hết </p>")
    assert doc.text == "Giá 150.000 đ\nhết"


def test_invisible_content_is_left_out() -> None:
    doc = PageDocument.from_str(
        "<html><head><title>Tiêu đề</title><style>p{color:red}</style></head><body>"
        "<script>var a='<p>x</p>';</script><noscript>Bật JavaScript</noscript>"
        "<template><p>mẫu</p></template>"
        "<svg><title>biểu tượng</title><defs><text>vẽ</text></defs><path d='M0 0'/></svg>"
        "<iframe>khung</iframe><p>một<!-- chú thích --> hai</p><div hidden>ẩn</div>"
        '<script type="application/json">{"a": 1}</script>'
        '<div id="__NEXT_DATA__">' + '{"props": {"items": [' + '"x",' * 80 + '"y"]}}</div>'
        "<p>ba</p></body></html>"
    )
    assert doc.text == "một hai\nba"
    assert doc.title == "Tiêu đề"


def test_text_drawn_by_svg_is_read_one_line_per_text_element() -> None:
    # Wix and landing-page builders set footers (owner, registration number) in SVG.
    doc = doc_of(
        "<footer><p>Liên hệ</p><svg viewBox='0 0 600 80'><title>logo</title><g>"
        "<text x='0' y='20'>HỘ KINH DOANH GỐM AN NHIÊN</text>"
        "<text x='0' y='40'>Số ĐKHKD: <tspan>01A8019876</tspan></text></g>"
        "<defs><text id='t'>mẫu</text></defs></svg><p>Hết</p></footer>"
    )
    assert doc.text == "Liên hệ\nHỘ KINH DOANH GỐM AN NHIÊN\nSố ĐKHKD: 01A8019876\nHết"
    el = doc.element_at(doc.text.index("01A8"))
    assert el is not None and el.tag == "text"


def test_svg_text_inside_hidden_element_stays_out() -> None:
    doc = doc_of(
        "<p>a</p><div hidden><svg><text>ẩn</text></svg></div><svg hidden><text>ẩn</text></svg>"
    )
    assert doc.text == "a"


def test_text_of_elements_after_hidden_ones_is_kept() -> None:
    doc = doc_of("<p>trước <span hidden>ẩn</span> sau</p>")
    assert doc.text == "trước sau"


@pytest.mark.parametrize(
    ("alt", "kept"),
    [
        ("Đã thông báo Bộ Công Thương", True),
        ("Zalo", True),
        ("", False),
        ("#", False),
        ("img-congthuong.png", False),
        ("logo", False),
        ("banner_2024", False),
        ("ab", False),
        ("DSC0001.JPG", False),
    ],
)
def test_alt_text(alt: str, kept: bool) -> None:
    doc = doc_of(f'<p>A<img src="x.png" alt="{alt}">B</p>')
    if kept:
        assert doc.text == f"A {alt} B"
        img = doc.element_at(doc.text.index(alt))
        assert img is not None and img.tag == "img"
    else:
        assert doc.text == "AB"


def test_title_stands_in_for_empty_alt() -> None:
    doc = doc_of('<a href="/"><img src="b.png" alt="" title="Chứng nhận tín nhiệm"></a>')
    assert doc.text == "Chứng nhận tín nhiệm"
    assert doc.links[0].text == "Chứng nhận tín nhiệm"


def test_submit_inputs_are_text_and_buttons() -> None:
    doc = doc_of(
        '<form action="/cart/add"><input type="hidden" value="1">'
        '<input type="submit" value="Thêm vào giỏ"><button>Mua ngay</button>'
        '<a class="btn btn-primary" href="/checkout">Thanh toán</a>'
        '<div class="btn-group"><span class="button">Đặt mua</span></div>'
        '<button aria-label="Tìm kiếm"><i class="icon"></i></button></form>'
    )
    assert doc.text == "Thêm vào giỏ\nMua ngay\nThanh toán\nĐặt mua"
    labels = [label for label, _ in doc.buttons]
    assert labels == ["Thêm vào giỏ", "Mua ngay", "Thanh toán", "Đặt mua", "Tìm kiếm"]
    for label, start in doc.buttons[:4]:
        assert start is not None and doc.text[start : start + len(label)] == label
    assert doc.buttons[4][1] is None
    assert doc.forms == ["/cart/add"]


# --- blocks, offsets, regions -------------------------------------------------------------


def test_blocks_cover_the_text() -> None:
    doc = PageDocument.from_str(pages.product_page())
    assert doc.blocks
    for block in doc.blocks:
        assert isinstance(block, TextBlock)
        chunk = doc.text[block.start : block.end]
        assert chunk and "\n" not in chunk and chunk == chunk.strip()
    joined = "\n".join(doc.text[b.start : b.end] for b in doc.blocks)
    assert joined == doc.text


def test_block_element_is_the_only_source_when_there_is_one() -> None:
    doc = doc_of("<p><strong>Chính sách đổi trả</strong></p><p>Giá <b>100đ</b></p>")
    assert [b.element.tag for b in doc.blocks] == ["strong", "p"]


def test_element_at_and_tail_owner() -> None:
    doc = doc_of('<p id="a">Hotline <b>0909 123 456</b> hỗ trợ</p>')
    assert doc.element_at(doc.text.index("0909")).tag == "b"  # type: ignore[union-attr]
    assert doc.element_at(doc.text.index("hỗ trợ")).get("id") == "a"  # type: ignore[union-attr]
    assert doc.element_at(0).get("id") == "a"  # type: ignore[union-attr]
    assert doc.element_at(-1) is None
    assert doc.element_at(len(doc.text) + 5) is None


def test_regions_from_tags_and_roles() -> None:
    doc = doc_of(
        "<header>đầu</header><nav>menu</nav><main>chính<aside>bên</aside></main>"
        '<div role="contentinfo">chân</div><div role="banner">biểu ngữ</div>'
        '<div role="complementary">phụ</div><div>khác</div><footer>cuối</footer>'
    )
    expected = {
        "đầu": Region.HEADER,
        "menu": Region.NAV,
        "chính": Region.MAIN,
        "bên": Region.ASIDE,
        "chân": Region.FOOTER,
        "biểu ngữ": Region.HEADER,
        "phụ": Region.ASIDE,
        "khác": Region.OTHER,
        "cuối": Region.FOOTER,
    }
    for word, region in expected.items():
        assert doc.region_at(doc.text.index(word)) is region, word


@pytest.mark.parametrize(
    ("attrs", "region"),
    [
        ('class="footer"', Region.FOOTER),
        ('class="site-footer"', Region.FOOTER),
        ('class="footer-widget col-4"', Region.FOOTER),
        ('class="ft"', Region.FOOTER),
        ('id="siteFooter"', Region.FOOTER),
        ('class="top-bar"', Region.HEADER),
        ('class="header"', Region.HEADER),
        ('class="navbar navbar-expand"', Region.NAV),
        ('class="main-menu"', Region.NAV),
        ('id="main-content"', Region.MAIN),
        ('class="content"', Region.MAIN),
        ('class="sidebar"', Region.ASIDE),
        ('class="headerless"', Region.OTHER),
        ('class="card-footer"', Region.OTHER),
        ('class="modal-header"', Region.OTHER),
        ('class="left"', Region.OTHER),
    ],
)
def test_regions_from_class_names(attrs: str, region: Region) -> None:
    doc = doc_of(f"<div {attrs}><p>chữ</p></div>")
    assert doc.region_at(0) is region


def test_menus_inside_the_footer_stay_footer() -> None:
    doc = doc_of(
        '<div class="footer"><ul class="menu"><li class="menu-item">Chính sách</li></ul>'
        '<div class="content">Công ty</div><nav>Sơ đồ</nav></div>'
    )
    assert doc.region_at(doc.text.index("Chính sách")) is Region.FOOTER
    assert doc.region_at(doc.text.index("Công ty")) is Region.FOOTER
    assert doc.region_at(doc.text.index("Sơ đồ")) is Region.NAV  # a tag is explicit


def test_class_regions_fixture() -> None:
    doc = PageDocument.from_bytes((FIXTURES / "class_regions.html").read_bytes())
    where = {doc.text[b.start : b.end]: b.region for b in doc.blocks}
    assert where["Khuyến mãi tháng 12"] is Region.OTHER
    assert where["Son môi"] is Region.NAV
    assert where["Sản phẩm nổi bật"] is Region.MAIN
    assert where["Danh mục phổ biến"] is Region.ASIDE
    assert where["Hộ kinh doanh Hoa Mai — Số ĐKKD: 41M8012345"] is Region.FOOTER
    assert where["Sơ đồ trang"] is Region.NAV
    assert doc.class_counts == {"price": 1, "card": 1}


def test_footer_identity_block_of_the_shop_page() -> None:
    doc = PageDocument.from_str(pages.shop_page(), url="https://shop.example.vn/")
    for fact in (pages.COMPANY, pages.MST, pages.ADDRESS, pages.HOTLINE):
        start = doc.text.index(fact)
        assert doc.region_at(start) is Region.FOOTER
        assert doc.selector_at(start) is not None
    badge = [link for link in doc.links if link.url == pages.BADGE_URL]
    assert len(badge) == 1 and badge[0].region is Region.FOOTER
    assert badge[0].text == pages.BADGE_ALT


def test_snippet() -> None:
    doc = doc_of("<p>" + "a " * 100 + "</p><p>MST: 0312345678</p><p>" + "b " * 100 + "</p>")
    start = doc.text.index("MST")
    snip = doc.snippet(start, start + 15, pad=10)
    assert snip.startswith("…") and snip.endswith("…")
    assert "MST: 0312345678" in snip and "\n" not in snip
    assert doc.snippet(0, 3, pad=2) == "a a a…"
    assert doc.snippet(-5, 10_000) == doc.text.replace("\n", " ")


# --- selectors --------------------------------------------------------------------------

_STEP = re.compile(
    r'^(?P<tag>[\w:-]+)(?:#(?P<id>[^.:\[]+)|\[id="(?P<qid>(?:[^"\\]|\\.)*)"\])?'
    r"(?:\.(?P<cls>[^:]+))?(?::nth-of-type\((?P<n>\d+)\))?$"
)


def _step_matches(el: Any, step: re.Match[str]) -> bool:
    if el.tag != step["tag"]:
        return False
    ident = step["id"] or (step["qid"] and re.sub(r"\\(.)", r"\1", step["qid"]))
    if ident and el.get("id") != ident:
        return False
    if step["cls"] and step["cls"] not in (el.get("class") or "").split():
        return False
    if step["n"]:
        parent = el.getparent()
        same = [c for c in parent if c.tag == el.tag] if parent is not None else [el]
        if same.index(el) + 1 != int(step["n"]):
            return False
    return True


def resolve_selector(root: Any, selector: str) -> list[Any]:
    """A tiny evaluator for the selector grammar PageDocument emits."""
    steps = [_STEP.match(s) for s in selector.split(" > ")]
    assert all(steps), selector
    found = [el for el in root.iter() if _step_matches(el, steps[0])]  # type: ignore[arg-type]
    for step in steps[1:]:
        found = [c for el in found for c in el if _step_matches(c, step)]  # type: ignore[arg-type]
    return found


def test_selectors_resolve_back_to_their_element() -> None:
    doc = PageDocument.from_str(pages.product_page(reviews=6, related=6))
    elements = [b.element for b in doc.blocks] + [link.element for link in doc.links]
    elements += [img.element for img in doc.images]
    try:
        from lxml.cssselect import CSSSelector
    except ImportError:  # cssselect is optional
        CSSSelector = None
    for el in elements:
        selector = doc.selector(el)
        assert resolve_selector(doc.root, selector) == [el], selector
        if CSSSelector is not None:
            assert CSSSelector(selector)(doc.root) == [el], selector


def test_selector_shapes() -> None:
    doc = doc_of(
        '<footer><div class="info x"><p>a</p><p>MST</p></div></footer>'
        '<div id="box"><span>k</span></div><div id="dup"></div><div id="dup"><b>d</b></div>'
        '<section id="a b"><i>w</i></section>'
    )
    assert doc.selector_at(doc.text.index("MST")) == "footer > div.info > p:nth-of-type(2)"
    assert doc.selector_at(doc.text.index("k")) == "div#box > span"
    assert doc.selector_at(doc.text.index("d")).startswith("body > div:nth-of-type(3)")  # type: ignore[union-attr]
    assert doc.selector_at(doc.text.index("w")) == 'section[id="a b"] > i'
    assert doc.selector(doc.root) == "html"


_SIBLING_TAGS = ("div", "p", "span", "li", "my-card", "o:p", "x_y", "section")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    tags=st.lists(st.sampled_from(_SIBLING_TAGS), min_size=65, max_size=200),
    comments=st.sets(st.integers(0, 200), max_size=10),
    pick=st.integers(0, 199),
)
def test_first_selector_under_a_big_parent_equals_the_indexed_one(
    tags: list[str], comments: set[int], pick: int
) -> None:
    # The first selector under a big parent is counted by XPath, later ones by an index.
    parts = [
        ("<!--c-->" if i in comments else "") + f"<{t}><b>t{i}</b></{t}>"
        for i, t in enumerate(tags)
    ]
    html = f"<html><body><main><div>{''.join(parts)}</div></main></body></html>"
    counted, indexed = PageDocument.from_str(html), PageDocument.from_str(html)
    grid = counted.root.find("body/main/div")
    assert grid is not None
    kids = [el for el in grid if isinstance(el.tag, str)]
    target = kids[pick % len(kids)]
    other = kids[(pick + 1) % len(kids)]
    grid2 = indexed.root.find("body/main/div")
    assert grid2 is not None
    kids2 = [el for el in grid2 if isinstance(el.tag, str)]
    indexed.selector(kids2[(pick + 1) % len(kids2)])
    indexed.selector(kids2[(pick + 2) % len(kids2)])  # the parent is indexed by now
    expected = indexed.selector(kids2[pick % len(kids2)])
    assert counted.selector(target) == expected
    assert counted.selector(other) == indexed.selector(kids2[(pick + 1) % len(kids2)])


# --- links and images -------------------------------------------------------------------


def test_links() -> None:
    doc = PageDocument.from_str(
        '<html><head><base href="/shop/"></head><body><footer>'
        '<a href="chinh-sach" title="Chính sách" aria-label="Đọc chính sách" class="a b">'
        "Đổi <b>trả</b></a>"
        '<a href=" http://online.gov.vn/Home/WebDetails/1 " class="badge">'
        '<picture><source srcset="/b.webp 1x, /b2.webp 2x">'
        '<img src="data:image/gif;base64,R0lG" data-lazy-src="/b.png" alt="Đã thông báo" '
        'title="Bộ Công Thương"></picture></a>'
        '<a href="javascript:void(0)" style="background:url(\'/bg.png\')">'
        '<i class="fa fa-cart"></i><span class="sr">Giỏ</span></a>'
        '<a href="http://[broken/">x</a><a name="no-href">không</a>'
        "</footer></body></html>",
        url="https://www.shop.vn/p/1?x=2",
    )
    assert len(doc.links) == 4
    first, badge, js, broken = doc.links
    assert isinstance(first, Link)
    assert first.url == "https://www.shop.vn/shop/chinh-sach"
    assert first.text == "Đổi trả"
    assert (first.title, first.aria_label, first.classes) == (
        "Chính sách",
        "Đọc chính sách",
        ("a", "b"),
    )
    assert doc.text[first.start : first.end] == "Đổi trả"  # type: ignore[misc]
    assert first.region is Region.FOOTER
    assert badge.url == "http://online.gov.vn/Home/WebDetails/1"
    assert badge.img_srcs[:2] == ("/b.webp", "/b.png")  # document order
    assert badge.img_alts == ("Đã thông báo", "Bộ Công Thương")
    assert badge.text == "Đã thông báo"
    assert js.url == "javascript:void(0)"
    assert js.img_srcs == ("/bg.png",)
    assert js.icon_classes == ("fa", "fa-cart", "sr")
    assert js.text == "Giỏ"
    assert broken.url is None
    assert doc.base_url == "https://www.shop.vn/shop/"


def test_relative_links_without_a_page_url() -> None:
    doc = doc_of('<a href="/a">a</a><a href="https://x.vn/b">b</a><a href="#top">c</a>')
    assert [link.url for link in doc.links] == [None, "https://x.vn/b", None]


def test_images() -> None:
    doc = doc_of(
        '<img src="/a.jpg" alt="Áo thun" class="main big">'
        '<a href="/p"><amp-img src="/amp.jpg" alt=""></amp-img></a>'
        '<img srcset="/s1.jpg 1x, /s2.jpg 2x" title="Ảnh">'
        '<img src="data:image/png;base64,AAAA" data-src="/lazy.jpg">'
    )
    assert [img.src for img in doc.images] == ["/a.jpg", "/amp.jpg", "/s1.jpg", "/lazy.jpg"]
    first = doc.images[0]
    assert isinstance(first, Image)
    assert (first.alt, first.classes, first.link) == ("Áo thun", ("main", "big"), None)
    assert doc.images[1].link == 0
    assert doc.images[2].title == "Ảnh"
    assert doc.images[3].srcs == ("/lazy.jpg", "data:image/png;base64,AAAA")


# --- metadata, JSON-LD, microdata ---------------------------------------------------------


def test_metadata() -> None:
    doc = PageDocument.from_str(pages.product_page(), url="https://shop.example.vn/products/x")
    assert doc.title == "Áo thun cotton nam — Shop ABC"
    assert doc.lang == "vi"
    assert doc.meta["og:type"] == "product"
    assert doc.meta["product:price:amount"] == "150000"
    assert doc.meta["description"].startswith("Áo thun")
    assert doc.canonical == "https://shop.example.vn/products/ao-thun"
    assert doc.h1 == ["Áo thun cotton nam"]


def test_meta_keys_are_lower_cased_and_first_wins() -> None:
    doc = PageDocument.from_str(
        '<html><head><meta name="Description" content=" một "><meta name="description" '
        'content="hai"><meta itemprop="price" content="10"><meta property="OG:Title" '
        'content="T"></head><body></body></html>'
    )
    assert doc.meta == {"description": "một", "price": "10", "og:title": "T"}
    assert doc.lang is None and doc.title == "" and doc.canonical is None


def test_jsonld_flattening_and_tolerance() -> None:
    blocks = [
        '[{"@type": "Organization", "name": "ABC"}, {"@type": "WebSite"}]',
        '{"@context": "https://schema.org", "@graph": [{"@type": "Product", "name": "Áo",}, '
        '{"@type": "BreadcrumbList"}]}',
        '<!-- {"@type": "Article", "headline": "Tin"} -->',
        '//<![CDATA[\n{"@type": "Offer", "price": "150000", "priceCurrency": "VND"}\n//]]>',
        '{"@type": "Event"} {"@type": "Place"}',
        "{not json at all: __import__('os')}",
    ]
    head = "".join(f'<script type="application/ld+json">{b}</script>' for b in blocks)
    doc = PageDocument.from_str(
        f"<html><head>{head}</head><body>"
        '<script type="Application/LD+JSON; charset=utf-8">{"@type": "Person"}</script>'
        "</body></html>"
    )
    types = [obj.get("@type") for obj in doc.jsonld]
    assert types == [
        "Organization",
        "WebSite",
        "Product",
        "BreadcrumbList",
        "Article",
        "Offer",
        "Event",
        "Place",
        "Person",
    ]
    assert doc.jsonld[2]["name"] == "Áo"
    assert "jsonld_invalid" in doc.warnings


@pytest.mark.parametrize("attr", ["itemScope itemType", "ITEMSCOPE ITEMTYPE", "ItemScope ItemType"])
def test_microdata_attribute_names_in_any_case(attr: str) -> None:
    scope, kind = attr.split()
    doc = doc_of(
        f'<div {scope} {kind}="https://schema.org/Product"><h1 itemprop="name">Kem</h1></div>'
    )
    assert [item["props"]["name"] for item in doc.microdata] == [["Kem"]]


def test_microdata() -> None:
    doc = doc_of(
        '<div itemscope itemtype="https://schema.org/Product">'
        '<h1 itemprop="name">Kem <b>dưỡng</b></h1>'
        '<img itemprop="image" src="/k.jpg">'
        '<span itemprop="countryOfOrigin">Nhật Bản</span>'
        '<div itemprop="offers" itemscope itemtype="https://schema.org/Offer">'
        '<meta itemprop="priceCurrency" content="VND">'
        '<span itemprop="price" content="250000">250.000đ</span>'
        '<link itemprop="availability" href="https://schema.org/InStock"></div>'
        '<a itemprop="brand url" href="/brand">Hãng</a></div>'
    )
    product, offer = doc.microdata
    assert product["type"] == "https://schema.org/Product"
    props = product["props"]
    assert props["name"] == ["Kem dưỡng"]
    assert props["image"] == ["/k.jpg"]
    assert props["countryOfOrigin"] == ["Nhật Bản"]
    assert props["brand"] == props["url"] == ["/brand"]
    assert props["offers"] == [offer]
    assert offer["props"] == {
        "priceCurrency": ["VND"],
        "price": ["250000"],
        "availability": ["https://schema.org/InStock"],
    }


# --- inputs of every kind -------------------------------------------------------------------


@pytest.mark.parametrize(
    "blob",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
        random.Random(3).randbytes(10_000),
    ],
)
def test_binary_junk_is_not_readable(blob: bytes) -> None:
    doc = PageDocument.from_bytes(blob)
    assert not doc.readable
    assert "binary_input" in doc.warnings
    assert doc.text == ""
    assert doc.sha256 == hashlib.sha256(blob).hexdigest()


@pytest.mark.parametrize("data", [b"", b"   \n\t ", b"<!-- only a comment -->", b"<html></html>"])
def test_empty_documents(data: bytes) -> None:
    doc = PageDocument.from_bytes(data)
    assert not doc.readable
    assert "empty_document" in doc.warnings
    assert doc.root.tag == "html"
    assert doc.links == [] and doc.blocks == [] and doc.region_at(0) is Region.OTHER


def test_bare_text_file() -> None:
    doc = PageDocument.from_bytes("Chỉ là văn bản, MST: 0312345678\nHotline 0909".encode())
    assert doc.readable
    assert doc.text == "Chỉ là văn bản, MST: 0312345678 Hotline 0909"


def test_entities_and_xml_declaration() -> None:
    html = (
        '<?xml version="1.0" encoding="iso-8859-1"?><html><body>'
        "<p>Xu&#7845;t x&#x1EE9; H&agrave;n Qu&#7889;c &amp; &lt;Nhật&gt;</p></body></html>"
    )
    assert PageDocument.from_str(html).text == "Xuất xứ Hàn Quốc & <Nhật>"
    assert PageDocument.from_bytes(html.encode()).text == "Xuất xứ Hàn Quốc & <Nhật>"


def test_str_input_hash_nul_and_surrogates() -> None:
    html = "<p>a\x00b</p>"
    doc = PageDocument.from_str(html)
    assert doc.text == "ab" and "nul_bytes_removed" in doc.warnings
    assert doc.sha256 == hashlib.sha256(html.encode()).hexdigest()
    odd = PageDocument.from_str("<p>x\ud800y</p>")
    assert odd.text.startswith("x") and odd.text.endswith("y")


def test_marker_characters_in_the_page_do_not_confuse_offsets() -> None:
    doc = doc_of("<p>a\x01b\x02c</p><p>d</p>")
    assert doc.text == "abc\nd"
    assert [doc.text[b.start : b.end] for b in doc.blocks] == ["abc", "d"]


def test_build_dispatch() -> None:
    html = pages.shop_page()
    assert PageDocument.build(html).text == PageDocument.from_str(html).text
    data = html.encode()
    for obj in (data, bytearray(data), memoryview(data)):
        assert PageDocument.build(obj, url="https://a.vn/").text == PageDocument.from_str(html).text
    with pytest.raises(TypeError, match="str, bytes"):
        PageDocument.build(42)
    with pytest.raises(TypeError):
        PageDocument.build(etree.fromstring("<p/>"))


def test_beautifulsoup_input() -> None:
    bs4 = pytest.importorskip("bs4")
    soup = bs4.BeautifulSoup(pages.shop_page(), "html.parser")
    for doc in (PageDocument.from_soup(soup), PageDocument.build(soup, url="https://a.vn/")):
        assert pages.MST in doc.text
        assert doc.sha256 == hashlib.sha256(str(soup).encode()).hexdigest()


def test_normalized_is_lazy_and_cached() -> None:
    pytest.importorskip("ecomcheck.text.normalize")
    doc = PageDocument.from_str(pages.shop_page())
    assert "normalized" not in doc.__dict__
    first = doc.normalized
    assert doc.normalized is first


def test_page_kind_and_commerce_are_cached() -> None:
    doc = PageDocument.from_str(pages.product_page())
    assert doc.page_kind == "product"
    assert doc.commerce is doc.commerce


def test_no_bs4_import() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from ecomcheck.extract.document import PageDocument;"
        "PageDocument.from_str('<p>x</p>').page_kind; assert 'bs4' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- properties ---------------------------------------------------------------------------

_TAGS = ["p", "div", "b", "span", "a", "li", "td", "script", "style", "br", "img", "footer"]
_html_piece = st.one_of(
    st.sampled_from([f"<{t}>" for t in _TAGS] + [f"</{t}>" for t in _TAGS]),
    st.sampled_from(["<a href='/x'>", "<img alt='Ảnh đẹp' src=x>", "&amp;", "&#7845;", "<!--"]),
    st.text(alphabet="aăâbcdđeêơư ếộ\n\t<>&;\"'=/\x00\x01", max_size=12),
)


def _check(doc: PageDocument) -> None:
    text = doc.text
    assert "\x01" not in text and "\x02" not in text
    assert text == text.strip()
    for block in doc.blocks:
        assert 0 <= block.start < block.end <= len(text)
    for link in doc.links:
        if link.start is not None:
            assert 0 <= link.start <= link.end <= len(text)  # type: ignore[operator]
    for i in range(0, len(text), max(1, len(text) // 7)):
        doc.region_at(i)
        element = doc.element_at(i)
        if element is not None:
            doc.selector(element)
    doc.page_kind  # noqa: B018


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_any_bytes_never_raise(data: bytes) -> None:
    _check(PageDocument.from_bytes(data))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_html_piece, max_size=60).map("".join))
def test_any_markup_never_raises(html: str) -> None:
    _check(PageDocument.from_str(html, url="https://shop.vn/a/"))
    _check(PageDocument.from_bytes(html.encode("utf-8", "replace")))


# --- link resolution fast path ---------------------------------------------------------

_BASES = [
    "https://shop.vn/a/b",
    "https://shop.vn",
    "http://Shop.VN:8080/a/b/?q=1#top",
    "HTTPS://shop.vn/a;p?x",
    "https://user:pw@shop.vn/",
    "https://[::1]/a",
    "https://[::1/a",
    "https:///nohost",
    "ftp://files.vn/dir/",
    "file:///tmp/x.html",
    "mailto:a@b.vn",
    "/relative/base",
    "",
]
_href = st.one_of(
    st.text(alphabet="/.?#;:a%é \t\n\x0b[]@\\", max_size=14),
    st.lists(
        st.sampled_from(["/", "//", ".", "..", "a", "b.html", "?", "#", ";", "p=1", " ", "\t"]),
        max_size=8,
    ).map("".join),
)


def _reference_resolve(base: str | None, href: str) -> str | None:
    # The resolution as it was before the fast path, for comparison.
    value = re.sub(r"[\t\n\r]", "", href.strip(" \t\n\r\f"))
    if "\\" in value and not re.match(r"(?!https?:)[A-Za-z][A-Za-z0-9+.-]*:", value):
        # Web URLs: a backslash before the query is a slash, as browsers read it.
        cut = min([i for i in (value.find("?"), value.find("#")) if i >= 0] or [len(value)])
        value = value[:cut].replace("\\", "/") + value[cut:]
    try:
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value):
            if "[" in value:
                urlsplit(value)
            return value
        if not base:
            return None
        return urljoin(base, value)
    except ValueError:
        return None


@settings(max_examples=3000, deadline=None)
@given(st.sampled_from(_BASES), _href)
def test_resolve_fast_path_matches_urljoin(base: str, href: str) -> None:
    from ecomcheck.extract.document import _resolve, _root_of

    expected = _reference_resolve(base or None, href)
    assert _resolve(base or None, href, _root_of(base or None)) == expected
    assert _resolve(base or None, href) == expected


def test_resolve_fast_path_shapes() -> None:
    from ecomcheck.extract.document import _resolve, _root_of

    base = "https://shop.vn/p/1?x=1#y"
    root = _root_of(base)
    assert root == "https://shop.vn"
    for href in ["/a", "/a?", "/a#", "/a?#", "/a?b#c", "/a#b?c", " /a/b.html ", "/a/./b", "/a;x"]:
        assert _resolve(base, href, root) == urljoin(base, href.strip()), href


@settings(max_examples=2000, deadline=None)
@given(
    st.one_of(
        st.text(max_size=20),
        st.text(alphabet="aÁo9_ -.²½\u0301\u00a0/Ⅻ٣", max_size=12),
    )
)
def test_three_letters_anchored_pattern_matches_search(value: str) -> None:
    from ecomcheck.extract.document import _THREE_LETTERS

    searched = re.search(r"[^\W\d_](?:[\W\d_]*[^\W\d_]){2}", value)
    assert bool(_THREE_LETTERS.match(value)) == bool(searched)


def test_header_and_footer_of_an_article_are_not_the_page_s() -> None:
    doc = doc_of(
        "<header>Shop ABC</header><main><article><header><h2>Bài viết</h2></header>"
        "<p>Nội dung</p><footer>Đăng bởi admin</footer></article>"
        "<aside><footer>Xem thêm</footer></aside></main><footer>MST 0101248141</footer>"
    )
    regions = {doc.text[b.start : b.end]: b.region.value for b in doc.blocks}
    assert regions["Shop ABC"] == "header" and regions["MST 0101248141"] == "footer"
    assert regions["Bài viết"] == "main" and regions["Đăng bởi admin"] == "main"
    assert regions["Xem thêm"] == "aside"
    # A role still says what the element is, wherever it sits.
    doc = doc_of('<article><footer role="contentinfo">MST 0101248141</footer></article>')
    assert doc.blocks[0].region.value == "footer"
