"""find_offers: the main product, product cards, spec rows, origins and prices, located."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecomcheck import PageDocument
from ecomcheck.extract.offers import (
    Offer,
    countries_compatible,
    find_offers,
    listing_offer,
    title_key,
)
from ecomcheck.profile import Listing

HERE = Path(__file__).resolve().parent
PAGES = HERE / "fixtures" / "offer_pages"
PRODUCT_URL = "https://shop.vn/products/binh-giu-nhiet"


def page(body: str, head: str = "", footer: str = "<p>Shop ABC</p>") -> str:
    return (
        f"<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>Shop</title>{head}"
        "</head><body><header class='site-header'><nav><a href='/'>Trang chủ</a> "
        f"<a href='/cart'>Giỏ hàng</a></nav></header><main>{body}</main>"
        f"<footer class='site-footer'>{footer}</footer></body></html>"
    )


BUY = (
    "<h1>Bình giữ nhiệt inox 500ml</h1><span class='price'>189.000₫</span>"
    "<button class='btn add-to-cart'>Thêm vào giỏ hàng</button>"
)


def offers(html: str, url: str | None = PRODUCT_URL) -> list[Offer]:
    return find_offers(PageDocument.from_str(html, url=url))


def main_offer(html: str, url: str | None = PRODUCT_URL) -> tuple[PageDocument, Offer]:
    doc = PageDocument.from_str(html, url=url)
    found = find_offers(doc)
    assert found and found[0].role == "main", found
    return doc, found[0]


# --- the main product ----------------------------------------------------------------


def test_main_title_and_price_are_located() -> None:
    doc, o = main_offer(page(BUY))
    assert o.title is not None and o.name == "Bình giữ nhiệt inox 500ml"
    assert doc.text[o.title.start : o.title.end] == o.name
    (p,) = [p for p in o.prices if p.source == "text"]
    assert p.value is not None and p.value.amount == 189_000
    assert doc.text[p.start : p.end] == "189.000₫"
    assert o.has_price and o.full_offer


@pytest.mark.parametrize(
    ("spec", "layout"),
    [
        ("<table><tr><th>Xuất xứ</th><td>Hàn Quốc</td></tr></table>", "table"),
        ("<table><tr><td>Xuất xứ (Made in)</td><td><p>Hàn Quốc</p></td></tr></table>", "table"),
        ("<dl><dt>Xuất xứ:</dt><dd>Hàn Quốc</dd></dl>", "list"),
        (
            "<div class='row'><div class='col-4'>Xuất xứ</div><div class='col-8'>Hàn Quốc</div>"
            "</div>",
            "columns",
        ),
        ("<ul><li><strong>Xuất xứ:</strong> Hàn Quốc</li></ul>", "line"),
        ("<p>- Xuất xứ : Hàn Quốc</p>", "line"),
    ],
)
def test_specification_rows(spec: str, layout: str) -> None:
    doc, o = main_offer(page(BUY + spec))
    rows = [s for s in o.specs if "Xuất xứ" in s.label]
    assert [s.layout for s in rows] == [layout]
    row = rows[0]
    assert doc.text[row.label_start : row.label_end] == row.label
    assert doc.text[row.value_start : row.value_end] == row.value
    (f,) = o.origins
    assert (f.kind, f.country, f.source) == ("origin", "KR", "spec")
    assert f.start is not None and f.value_start is not None and f.value_end is not None
    assert doc.text[f.value_start : f.value_end] == "Hàn Quốc"


def test_two_buttons_or_a_heading_and_a_table_are_no_row() -> None:
    body = (
        BUY + "<div><button>Thêm vào giỏ</button><button>Mua ngay</button></div>"
        "<div><h3>Thông tin</h3><table><tr><td>Chất liệu</td><td>Inox</td></tr></table></div>"
    )
    _, o = main_offer(page(body))
    labels = {s.label for s in o.specs}
    assert "Thông tin" not in labels and "Thêm vào giỏ" not in labels
    assert "Chất liệu" in labels


def test_free_text_origin_and_english_made_in() -> None:
    body = BUY + "<div class='desc'><p>Bình inox 304. Made in Japan.</p></div>"
    doc, o = main_offer(page(body))
    (f,) = o.origins
    assert (f.kind, f.country, f.source) == ("origin", "JP", "text")
    assert f.start is not None and doc.text[f.start : f.end] == "Made in Japan"


def test_title_wording_is_read_as_title() -> None:
    body = BUY.replace("inox 500ml", "hàng Quảng Châu")
    _, o = main_offer(page(body))
    (f,) = o.origins
    assert (f.kind, f.country, f.source) == ("origin_hint", "CN", "title")


def test_chrome_reviews_and_related_cards_are_not_the_offer() -> None:
    body = (
        BUY + "<div class='product-reviews'><p>Tưởng hàng Quảng Châu mà xịn. Giá: liên hệ</p></div>"
        "<section class='related'><div class='product-item'><h3><a href='/products/x'>Ly sứ"
        "</a></h3><span class='price'>Liên hệ</span><p>Made in China</p></div>"
        "<div class='product-item'><h3><a href='/products/y'>Ly thủy tinh</a></h3>"
        "<span class='price'>35.000đ</span></div></section>"
    )
    html = page(body, footer="<p>Xuất xứ: Hàn Quốc</p>")
    (main,) = offers(html)  # related products are offered on their own pages
    assert main.origins == () and main.hidden_prices == ()
    # The same boxes on a listing page are its cards.
    cards = offers(html, "https://shop.vn/collections/ly")
    assert [c.name for c in cards] == ["Ly sứ", "Ly thủy tinh"]
    assert all(c.role == "card" for c in cards)
    assert [p.text for p in cards[0].hidden_prices] == ["Liên hệ"]
    assert [f.country for f in cards[0].origins] == ["CN"]


def test_woocommerce_product_div_is_the_main_product_not_a_card() -> None:
    html = (PAGES / "woocommerce-vague.html").read_text("utf-8")
    (main,) = offers(html, "https://huongthomshop.vn/san-pham/nuoc-hoa-nu-rose-garden-50ml/")
    assert main.role == "main" and main.name == "Nước hoa nữ Rose Garden 50ml"
    # As a shop page, the product div holding two products is a grid, not a card.
    cards = offers(html, "https://huongthomshop.vn/shop/")
    assert [o.name for o in cards] == ["Nước hoa nam Ocean 100ml", "Nước hoa mini 10ml"]
    assert all(o.full_offer and o.order_button for o in cards)


def test_title_inside_a_header_block() -> None:
    html = (PAGES / "tiki-contradiction.html").read_text("utf-8")
    doc, o = main_offer(html, "https://tiki.vn/ao-khoac-p274519331.html")
    assert o.title is not None and o.title.source == "title" and o.title.start is not None
    assert "hàng Quảng Châu" in doc.text[o.title.start : o.title.end]


def test_shipping_threshold_is_not_the_price() -> None:
    body = "<h1>Áo sơ mi</h1><p>Freeship đơn từ 500.000đ</p><div class='price'>Liên hệ</div>"
    _, o = main_offer(page(body + "<button>Đặt hàng</button>"))
    assert not o.has_price
    assert [(p.kind, p.entry, p.source) for p in o.hidden_prices] == [
        ("hidden", "price_slot", "slot")
    ]


# --- structured data --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "country"),
    [('"Việt Nam"', "VN"), ('{"@type": "Country", "name": "Japan"}', "JP"), ('["KR"]', "KR")],
)
def test_jsonld_country_of_origin(value: str, country: str) -> None:
    ld = (
        '<script type="application/ld+json">{"@context":"https://schema.org","@type":"Product",'
        f'"name":"Bình giữ nhiệt","countryOfOrigin":{value},"offers":{{"@type":"Offer",'
        '"price":"189000","priceCurrency":"VND"}}</script>'
    )
    _, o = main_offer(page(BUY, head=ld))
    (f,) = o.origins
    assert (f.kind, f.country, f.source, f.start) == ("origin", country, "jsonld", None)
    assert f.pointer is not None and f.pointer.startswith("/jsonld/0/countryOfOrigin")
    assert o.has_structured_price


def test_jsonld_assembly_property_vat_and_shipping() -> None:
    ld = (
        '<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{'
        '"@type":"Product","name":"Quạt điện","countryOfAssembly":"Việt Nam",'
        '"additionalProperty":[{"@type":"PropertyValue","name":"Xuất xứ","value":"Thái Lan"}],'
        '"offers":{"@type":"Offer","price":450000,"priceCurrency":"VND",'
        '"priceSpecification":{"@type":"PriceSpecification","valueAddedTaxIncluded":true},'
        '"shippingDetails":{"@type":"OfferShippingDetails"}}}]}</script>'
    )
    _, o = main_offer(page(BUY, head=ld))
    assert [(f.kind, f.country) for f in o.origins] == [("finishing", "VN"), ("origin", "TH")]
    assert o.origins[1].pointer == "/jsonld/0/additionalProperty/0"
    assert o.tax_included is True and o.shipping_stated


def test_open_graph_price() -> None:
    head = '<meta property="product:price:amount" content="189000">'
    _, o = main_offer(page(BUY.replace("189.000₫", ""), head=head))
    assert not o.has_price and o.has_structured_price


def test_microdata_cards_carry_their_own_origin() -> None:
    html = (PAGES / "microdata-grid.html").read_text("utf-8")
    found = offers(html, "https://mevabeankhang.vn/danh-muc/sua-bot")
    assert [o.name for o in found] == [
        "Sữa Meiji số 0 800g",
        "Sữa Aptamil Úc số 1 900g",
        "Sữa bột pha sẵn Vinamilk Grow Plus",
    ]
    assert [[(f.country, f.source) for f in o.origins] for o in found] == [
        [("JP", "microdata")],
        [("AU", "spec")],
        [],
    ]
    assert all(o.full_offer for o in found)


# --- cards ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "url", "names"),
    [
        (
            "category-grid.html",
            "https://myphamhoamai.vn/collections/kem-chong-nang",
            [
                "Kem chống nắng Anessa 60ml",
                "Kem chống nắng Skin Aqua hàng nội địa Nhật",
                "Kem chống nắng La Roche-Posay 50ml",
            ],
        ),
        (
            "sapo-grid-lienhe.html",
            "https://senvoiducanh.vn/collections/thiet-bi-ve-sinh",
            ["Bồn cầu Inax C-504VAN", "Sen tắm Toto TBS03301V", "Lavabo Caesar LF5130"],
        ),
        (
            "handmade-lienhe-grid.html",
            "http://dienuocminhphat.vn/may-loc-nuoc.html",
            [
                "Máy lọc nước RO 10 lõi",
                "Máy lọc nước nóng lạnh",
                "Lõi lọc số 1 PP 5 micron",
                "Máy lọc nước công nghiệp 500 lít/giờ",
            ],
        ),
        (
            "home.html",
            "https://myphamhoamai.vn/",
            [
                "Kem chống nắng Anessa 60ml",
                "Sữa rửa mặt CeraVe 236ml",
                "Nước tẩy trang Bioderma 500ml",
            ],
        ),
    ],
)
def test_cards_in_page_order(name: str, url: str, names: list[str]) -> None:
    html = (PAGES / name).read_text("utf-8")
    for _ in range(3):  # the same order every time
        found = offers(html, url)
        assert [o.name for o in found] == names
        assert all(o.role == "card" and not o.full_offer for o in found)


def test_card_title_evidence_points_at_the_card() -> None:
    html = (PAGES / "handmade-lienhe-grid.html").read_text("utf-8")
    doc = PageDocument.from_str(html, url="http://dienuocminhphat.vn/may-loc-nuoc.html")
    for o in find_offers(doc):
        assert o.title is not None and o.title.start is not None
        assert doc.text[o.title.start : o.title.end] == o.name
        assert o.start is not None and o.end is not None
        assert o.start <= o.title.start < o.end
        assert o.url and o.url.endswith(".html")


def test_price_glued_to_the_name_is_read_from_its_element() -> None:
    cards = "".join(
        f"<div class='product-card'><a href='/products/{i}'>Áo thun {i}</a>"
        f"<span class='price'>{150 + i}.000đ</span><button class='btn'>Thêm vào giỏ</button></div>"
        for i in range(3)
    )
    found = offers(page(f"<h1>Áo thun</h1>{cards}"), "https://shop.vn/collections/ao")
    assert [o.order_button for o in found] == ["Thêm vào giỏ"] * 3
    for i, o in enumerate(found):
        assert o.has_price and o.full_offer
        assert o.prices[0].value is not None and o.prices[0].value.amount == (150 + i) * 1000


def test_tiki_like_cards() -> None:
    html = (PAGES / "tiki-contradiction.html").read_text("utf-8")
    assert [o.role for o in offers(html, "https://tiki.vn/ao-khoac-p274519331.html")] == ["main"]
    cards = offers(html, "https://tiki.vn/search?q=ao-khoac")
    assert [o.name for o in cards] == ["Áo khoác gió nam 2 lớp", "Áo khoác bomber nam"]
    assert cards[0].url == "https://tiki.vn/ao-khoac-gio-nam-p2001.html"


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("blog-post.html", "https://myphamhoamai.vn/blogs/news/top-5"),
        ("policy.html", "https://myphamhoamai.vn/pages/chinh-sach-doi-tra"),
    ],
)
def test_informational_pages_offer_nothing(name: str, url: str) -> None:
    assert offers((PAGES / name).read_text("utf-8"), url) == []


def test_unreadable_and_empty_pages_offer_nothing() -> None:
    assert find_offers(PageDocument.from_bytes(b"\x00\x01\x02" * 100)) == []
    assert offers("<html><body></body></html>") == []


def test_page_notes_on_tax_and_shipping_are_shared() -> None:
    _, o = main_offer(page(BUY, footer="<p>Giá đã bao gồm VAT. Miễn phí vận chuyển.</p>"))
    assert {(n.topic, n.includes) for n in o.tax_shipping} == {("tax", True), ("shipping", True)}


# --- seller-profile listings ----------------------------------------------------------


def test_listing_offer_points_into_its_fields() -> None:
    li = Listing(
        title="Áo thun hàng Quảng Châu",
        description="Size M, L. Giá: ib shop\nXuất xứ: Trung Quốc",
        price=None,
        origin="TQ",
    )
    o = listing_offer(li, 3)
    assert o.role == "listing" and o.full_offer and o.name == li.title
    assert o.title is not None and o.title.field == "/listings/3/title"
    fields = {"title": li.title, "description": li.description, "origin": li.origin or ""}
    got = []
    for f in o.origins:
        assert f.field is not None and f.start is not None
        text = fields[f.field.rsplit("/", 1)[-1]]
        got.append((f.field, f.kind, f.country, text[f.start : f.end]))
    assert got == [
        ("/listings/3/origin", "origin", "CN", "TQ"),
        ("/listings/3/title", "origin_hint", "CN", "hàng Quảng Châu"),
        ("/listings/3/description", "origin", "CN", "Xuất xứ: Trung Quốc"),
    ]
    (h,) = o.hidden_prices
    assert h.field == "/listings/3/description" and h.start is not None
    assert li.description[h.start : h.end] == "Giá: ib"
    assert not o.has_price


def test_listing_price_field() -> None:
    o = listing_offer(Listing(title="Nồi", price=250000), 0)
    assert o.has_price and o.prices[0].field == "/listings/0/price"
    zero = listing_offer(Listing(title="Nồi", price=0), 0)
    assert not zero.has_price and zero.hidden_prices[0].entry == "zero_price"


# --- helpers ----------------------------------------------------------------------------


def test_title_key_and_compatible_countries() -> None:
    assert title_key("  Áo  THUN  Nam ") == title_key("áo thun nam")
    assert countries_compatible("EU", "DE") and countries_compatible("FR", "EU")
    assert not countries_compatible("CN", "VN") and not countries_compatible("EU", "US")
