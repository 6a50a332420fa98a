"""Tests for ecomcheck.extract.pagekind."""

from __future__ import annotations

import pytest

import pages
from ecomcheck.extract.document import PageDocument
from ecomcheck.extract.pagekind import (
    CommerceSignals,
    PageKind,
    classify,
    classify_url,
    commerce_signals,
)


def doc_of(body: str, *, url: str | None = None, head: str = "") -> PageDocument:
    return PageDocument.from_str(f"<html><head>{head}</head><body>{body}</body></html>", url=url)


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://shop.vn", PageKind.HOME),
        ("https://shop.vn/", PageKind.HOME),
        ("https://shop.vn/?utm_source=x", PageKind.HOME),
        ("https://shop.vn/index.html", PageKind.HOME),
        ("https://shop.vn/products/ao-thun-nam", PageKind.PRODUCT),
        ("https://shop.vn/collections/ao/products/ao-thun", PageKind.PRODUCT),
        ("https://shop.vn/product/kem-duong", PageKind.PRODUCT),
        ("https://shop.vn/san-pham/son-moi-do", PageKind.PRODUCT),
        ("https://tiki.vn/ao-thun-cotton-p123456.html", PageKind.PRODUCT),
        ("https://shop.vn/p/98765", PageKind.PRODUCT),
        ("https://shopee.vn/Ao-thun-i.123.456", PageKind.PRODUCT),
        ("https://shop.vn/collections/ao-thun", PageKind.LISTING),
        ("https://shop.vn/danh-muc/my-pham", PageKind.LISTING),
        ("https://shop.vn/category/dien-thoai/", PageKind.LISTING),
        ("https://shop.vn/shop", PageKind.LISTING),
        ("https://tiki.vn/dien-thoai/c1789", PageKind.LISTING),
        ("https://shop.vn/san-pham", PageKind.LISTING),
        ("https://shop.vn/products/", PageKind.LISTING),
        ("https://shop.vn/danh-muc-san-pham/son", PageKind.LISTING),
        ("https://shop.vn/search?q=ao", PageKind.LISTING),
        ("https://shop.vn/blogs/news/cach-chon-ao", PageKind.ARTICLE),
        ("https://shop.vn/blog/cach-chon-ao", PageKind.ARTICLE),
        ("https://shop.vn/tin-tuc/khai-truong", PageKind.ARTICLE),
        ("https://shop.vn/news/abc", PageKind.ARTICLE),
        ("https://shop.vn/bai-viet/abc", PageKind.ARTICLE),
        ("https://shop.vn/pages/chinh-sach-doi-tra", PageKind.POLICY),
        ("https://shop.vn/chinh-sach-bao-mat", PageKind.POLICY),
        ("https://shop.vn/policy", PageKind.POLICY),
        ("https://shop.vn/dieu-khoan-su-dung", PageKind.POLICY),
        ("https://shop.vn/pages/lien-he", None),
        ("https://shop.vn/ch%C3%ADnh-s%C3%A1ch", None),
        ("not a url", None),
        (None, None),
    ],
)
def test_classify_url(url: str | None, kind: PageKind | None) -> None:
    assert classify_url(url) == kind


# --- each kind, from the URL and from the content ----------------------------------------

BUILDERS = {
    PageKind.PRODUCT: (pages.product_page, "https://shop.vn/products/ao-thun"),
    PageKind.LISTING: (pages.listing_page, "https://shop.vn/collections/ao-thun"),
    PageKind.ARTICLE: (pages.article_page, "https://shop.vn/blogs/news/cach-chon-ao"),
    PageKind.POLICY: (pages.policy_page, "https://shop.vn/pages/chinh-sach-doi-tra"),
    PageKind.HOME: (pages.home_page, "https://shop.vn/"),
}


@pytest.mark.parametrize("kind", list(BUILDERS))
def test_kind_from_url(kind: PageKind) -> None:
    build, url = BUILDERS[kind]
    assert PageDocument.from_str(build(), url=url).page_kind is kind


@pytest.mark.parametrize("kind", list(BUILDERS))
def test_kind_from_content_alone(kind: PageKind) -> None:
    build, _ = BUILDERS[kind]
    doc = PageDocument.from_str(build())
    assert doc.canonical is None or kind is PageKind.PRODUCT
    assert classify(doc) is kind


def test_kind_from_canonical_when_url_is_unknown() -> None:
    head = '<link rel="canonical" href="https://shop.vn/blogs/tin/abc">'
    assert doc_of("<p>Bài viết</p>", head=head).page_kind is PageKind.ARTICLE


def test_unknown_url_path_falls_back_to_content() -> None:
    doc = PageDocument.from_str(pages.policy_page(), url="https://shop.vn/pages/doi-hang")
    assert doc.page_kind is PageKind.POLICY


def test_other() -> None:
    assert doc_of("<h1>Liên hệ</h1><p>Gọi cho chúng tôi.</p>").page_kind is PageKind.OTHER
    assert PageDocument.from_bytes(b"").page_kind is PageKind.OTHER


# --- look-alikes ------------------------------------------------------------------------


def test_blog_post_about_products_with_prices_is_an_article() -> None:
    for with_jsonld in (False, True):
        doc = PageDocument.from_str(pages.article_page(with_jsonld=with_jsonld))
        assert doc.commerce.price_count >= 5
        assert doc.page_kind is PageKind.ARTICLE
    doc = PageDocument.from_str(pages.article_page(), url="https://shop.vn/blogs/news/x")
    assert doc.page_kind is PageKind.ARTICLE


def test_policy_page_that_talks_about_buying_is_policy() -> None:
    doc = PageDocument.from_str(pages.policy_page())
    assert doc.commerce.price_count >= 1
    assert doc.page_kind is PageKind.POLICY


def test_home_page_with_a_product_grid_is_home_at_root() -> None:
    doc = PageDocument.from_str(pages.listing_page(), url="https://shop.vn/")
    assert doc.commerce.product_cards >= 6
    assert doc.page_kind is PageKind.HOME


def test_product_page_with_related_grid_is_product() -> None:
    doc = PageDocument.from_str(pages.product_page(related=20))
    assert doc.commerce.product_cards >= 20
    assert doc.page_kind is PageKind.PRODUCT


def test_product_from_structure_only() -> None:
    doc = doc_of(
        '<h1>Son lì màu đỏ</h1><span class="price">250.000₫</span>'
        '<button class="btn-buy">Mua ngay</button><p>Mô tả sản phẩm.</p>'
    )
    assert doc.page_kind is PageKind.PRODUCT


def test_product_from_og_type_and_microdata() -> None:
    og = doc_of(
        "<h1>Kem</h1><p>Giá: 99.000đ</p>", head='<meta property="og:type" content="product">'
    )
    assert og.page_kind is PageKind.PRODUCT
    md = doc_of(
        '<div itemscope itemtype="http://schema.org/Product"><h1 itemprop="name">Kem</h1>'
        '<span itemprop="price" content="99000">99.000đ</span></div>'
    )
    assert md.commerce.product_data and md.page_kind is PageKind.PRODUCT


def test_listing_from_jsonld_itemlist() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "ItemList", "itemListElement": '
        '[{"@type": "ListItem", "position": 1}]}</script>'
    )
    assert doc_of("<h1>Áo</h1>", head=head).page_kind is PageKind.LISTING


# --- commerce signals -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "150.000đ",
        "150.000 ₫",
        "1.250.000 VND",
        "1.250.000 vnđ",
        "₫150,000",
        "Giá 99.000 đồng",
        "150k",
        "Giá: 150.000",
    ],
)
def test_price_forms(text: str) -> None:
    signals = commerce_signals(doc_of(f"<p>Áo thun {text} chính hãng</p>"))
    assert signals.price_count == 1, text
    assert signals.has_price


@pytest.mark.parametrize(
    "text",
    ["được giao đi", "Quận 1, TP. HCM đã nhận", "Đà Nẵng 2 Đèn", "12 đôi", "năm 2024", "4k TV"],
)
def test_not_prices(text: str) -> None:
    assert commerce_signals(doc_of(f"<p>{text}</p>")).price_count == 0, text


def test_price_placeholder() -> None:
    signals = commerce_signals(doc_of("<p>Giá: Liên hệ</p>"))
    assert signals.price_placeholder and signals.has_price and signals.price_count == 0


def test_ordering_signals() -> None:
    doc = doc_of(
        '<a href="/gio-hang" class="header-cart"><i class="icon-cart"></i></a>'
        '<button type="submit">Thêm vào giỏ hàng</button><a href="/thanh-toan">Thanh toán</a>'
    )
    signals = doc.commerce
    assert isinstance(signals, CommerceSignals)
    assert signals.order_buttons == ("Thêm vào giỏ hàng", "Thanh toán")
    assert "/gio-hang" in signals.cart_links and "/thanh-toan" in signals.cart_links
    assert signals.has_ordering


def test_cart_form_counts_as_ordering() -> None:
    doc = doc_of('<form action="/cart/add"><input type="hidden" name="id"></form>')
    assert doc.commerce.has_ordering and not doc.commerce.order_buttons


def test_no_ordering_on_plain_pages() -> None:
    signals = PageDocument.from_str(pages.policy_page()).commerce
    assert not signals.order_buttons and not signals.product_data


def test_product_data_sources() -> None:
    head = '<script type="application/ld+json">{"@graph": [{"@type": "Product"}]}</script>'
    signals = doc_of("<p>x</p>", head=head).commerce
    assert signals.product_data and signals.product_items == 1
    head = '<meta property="product:price:amount" content="1">'
    assert doc_of("<p>x</p>", head=head).commerce.product_data


@pytest.mark.parametrize(
    ("href", "is_cart"),
    [
        ("https://shop.vn/cart", True),
        ("//shop.vn/gio-hang?x=1", True),
        ("/checkout#pay", True),
        ("/login?next=https://shop.vn/cart", False),
        ("https://shop.vn/cartier-watch", False),
    ],
)
def test_cart_link_paths(href: str, is_cart: bool) -> None:
    doc = doc_of(f'<a href="{href}">Xem</a>')
    assert bool(doc.commerce.cart_links) is is_cart


def test_product_url_wins_over_policy_words() -> None:
    assert classify_url("https://shop.vn/products/kem-bao-mat-da") is PageKind.PRODUCT


@pytest.mark.parametrize(
    "links",
    [
        '<a href="/huong-dan-mua-hang">Hướng dẫn mua hàng</a>',
        '<a href="/pages/thanh-toan-info">Hình thức thanh toán</a>',
        '<a href="/chinh-sach">Phương thức thanh toán</a>',
        '<a href="/thong-tin">Thanh toán</a><a href="/san-pham">Mua hàng</a>',
        '<a href="tel:0912345678">Gọi đặt hàng</a>',
        '<a href="https://zalo.me/0912345678">Đặt hàng qua Zalo</a>',
        '<a href="/lien-he">Liên hệ đặt hàng</a>',
        '<a href="/quy-trinh">Quy trình đặt hàng</a>',
        "<button>Gọi ngay để đặt hàng</button>",
    ],
)
def test_guide_policy_and_contact_links_are_not_ordering(links: str) -> None:
    # A showcase site with only contact buttons has no online ordering.
    signals = doc_of(f"<h1>Giới thiệu công ty</h1><footer>{links}</footer>").commerce
    assert not signals.order_buttons and not signals.has_ordering


@pytest.mark.parametrize(
    "markup",
    [
        '<a href="/dat-hang?id=3">Đặt hàng</a>',
        '<a href="/p/1">Mua ngay</a>',
        '<a href="/checkout">Thanh toán</a>',
        "<button>Đặt mua</button>",
        "<button>Thanh toán</button>",
    ],
)
def test_order_actions_still_count(markup: str) -> None:
    assert doc_of(f"<h1>Áo thun</h1>{markup}").commerce.has_ordering
