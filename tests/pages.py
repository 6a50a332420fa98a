"""Page builders for tests and benchmarks.

Everything here is generated from a seed, so the same call always returns the same
page. The robustness variants mirror the broken pages of the performance baseline
(perf-baseline §6) without committing binary fixtures.
"""

from __future__ import annotations

import json
import random
import unicodedata

# Facts every generated shop page carries; tests look for them in the visible text.
COMPANY = "CÔNG TY TNHH ABC"
MST = "MST: 0312345678"
ADDRESS = "Địa chỉ: 123 Nguyễn Trãi, Phường Bến Thành, Quận 1, TP. Hồ Chí Minh"
HOTLINE = "Hotline 0909 123 456"
MARKER = "Sản phẩm được bảo hành chính hãng mười hai tháng trên toàn quốc."
BADGE_URL = "http://online.gov.vn/Home/WebDetails/12345"
BADGE_ALT = "Đã thông báo Bộ Công Thương"

# Strings that only occur inside scripts and styles: none may reach the visible text.
LEAK_MARKERS = (
    "__INITIAL_STATE__",
    "function(",
    "gtag(",
    "dataLayer",
    "font-family",
    "{color:",
    "@context",
    "innerHTML",
)

_VOCABULARY = (
    "sản phẩm chất lượng cao được nhập khẩu chính hãng từ Hàn Quốc với thiết kế hiện "
    "đại phù hợp cho mọi lứa tuổi giao hàng nhanh toàn quốc đổi trả miễn phí trong "
    "bảy ngày chất liệu vải cotton thoáng mát mềm mại thấm hút mồ hôi tốt không phai "
    "màu khi giặt kích thước đa dạng màu sắc trẻ trung năng động bảo hành một đổi một "
    "nếu có lỗi người mua đánh giá rất hài lòng đóng gói cẩn thận shop tư vấn nhiệt "
    "tình sẽ ủng hộ tiếp hàng đẹp như hình giá hợp lý kem dưỡng da ban đêm giúp làm "
    "sáng mịn và cấp ẩm"
)
_WORDS = _VOCABULARY.split()

_TEEN = ("sp dep lam nha", "ok shop oi", "hàng xịn xò lắm", "giao nhanh vl", "đc lắm ạ")

_CSS = (
    "body{margin:0;font-family:Arial,Helvetica,sans-serif;color:#333}"
    ".header{background:#fff}.btn-buy{color:#fff;background:#e00}"
    ".product-card{display:inline-block;width:24%}a:hover{color:#f60}"
    "@media (max-width:768px){.product-card{width:48%}}.footer a{color:#999}"
)

_GTM = (
    "window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}"
    "gtag('js',new Date());gtag('config','G-XXXX');"
)

_MINIFIED = (
    "!function(e){var t={};function n(r){if(t[r])return t[r].exports;var o=t[r]={i:r,l:!1,"
    "exports:{}};return e[r].call(o.exports,o,o.exports,n),o.l=!0,o.exports}n.m=e}([function"
    "(e,t){document.getElementById('mini').innerHTML='<div class=\"x\">'+e+'</div><p>Giá: "
    "0đ</p>'}]);"
)

_SVG_ICON = (
    '<svg class="icon" viewBox="0 0 24 24" width="16" height="16"><title>icon cart</title>'
    '<path d="M7 18c-1.1 0-2 .9-2 2s.9 2 2 2 2-.9 2-2-.9-2-2-2zM1 2v2h2l3.6 7.59-1.35 2.45c'
    '-.16.28-.25.61-.25.96 0 1.1.9 2 2 2h12v-2H7.42"/></svg>'
)


def _sentence(rng: random.Random, n: int = 14) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(max(3, n - 6), n + 6))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _price(rng: random.Random) -> str:
    return f"{rng.randint(50, 2500) * 1000:,}".replace(",", ".") + "đ"


def header_html() -> str:
    """Return a site header with a logo, a search form, a cart link and a mega-menu."""
    cats = ["Thời trang nam", "Thời trang nữ", "Mỹ phẩm", "Đồ gia dụng", "Điện thoại"]
    items = []
    for i, cat in enumerate(cats):
        subs = "".join(
            f'<li class="menu-item"><a href="/collections/c{i}-{j}">{cat} loại {j}</a></li>'
            for j in range(6)
        )
        items.append(
            f'<li class="menu-item has-sub"><a href="/collections/c{i}">{cat}</a>'
            f'<ul class="sub-menu">{subs}</ul></li>'
        )
    return (
        '<header class="site-header"><div class="top-bar">Miễn phí vận chuyển cho đơn từ '
        "500.000đ</div>"
        '<div class="logo"><a href="/"><img src="/static/logo.png" alt="logo"></a></div>'
        '<form class="search" action="/search"><input name="q" placeholder="Tìm kiếm">'
        '<button type="submit">Tìm</button></form>'
        f'<a class="cart-link" href="/cart"><i class="fa fa-shopping-cart"></i>{_SVG_ICON}'
        "<span>Giỏ hàng</span></a>"
        f'<nav class="main-menu"><ul>{"".join(items)}</ul></nav></header>'
    )


def footer_html() -> str:
    """Return a footer with the company identity block, policy links and the badge."""
    return (
        '<footer id="footer" class="site-footer"><div class="footer-widget">'
        "<h3>Chính sách</h3><ul>"
        '<li><a href="/pages/chinh-sach-doi-tra">Chính sách đổi trả</a></li>'
        '<li><a href="/pages/chinh-sach-bao-mat">Chính sách bảo mật</a></li>'
        '<li><a href="/pages/chinh-sach-van-chuyen">Chính sách vận chuyển</a></li>'
        "</ul></div>"
        f'<div class="info"><p><strong>{COMPANY}</strong></p><p>{MST} — cấp ngày 01/02/2020 '
        f"tại Sở KH&amp;ĐT TP. Hồ Chí Minh</p><p>{ADDRESS}</p><p>{HOTLINE}</p></div>"
        f'<div class="badge"><a href="{BADGE_URL}" target="_blank">'
        f'<img src="/static/img-congthuong.png" data-src="/static/img-congthuong.png" '
        f'alt="{BADGE_ALT}"></a></div>'
        '<p class="copyright">© 2024 ABC. All rights reserved.</p></footer>'
    )


def shop_page(
    body: str = "",
    *,
    title: str = "Shop ABC — Thời trang chính hãng",
    charset: str | None = "utf-8",
    head_extra: str = "",
    lang: str = "vi",
) -> str:
    """Return a small shop page: header, nav, ``body`` inside ``<main>``, footer.

    Args:
        body: markup placed inside ``<main>``; defaults to the marker paragraph.
        title: the document title.
        charset: the ``<meta charset>`` to declare, or None for none.
        head_extra: more markup for ``<head>``.
        lang: the ``lang`` attribute of ``<html>``.
    """
    meta = f'<meta charset="{charset}">' if charset else ""
    main = body or f"<p>{MARKER}</p>"
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head>{meta}<title>{title}</title>'
        f"<style>{_CSS}</style><script>{_GTM}</script>{head_extra}</head><body>"
        f'{header_html()}<main id="main" class="main-content">{main}</main>'
        f"{footer_html()}<script>{_MINIFIED}</script></body></html>"
    )


def product_card(rng: random.Random, i: int) -> str:
    """Return one product card of a grid: picture, name, price, buy button."""
    name = f"{_sentence(rng, 6)[:-1]} {i}"
    return (
        f'<div class="product-card"><a class="product-link" href="/products/sp-{i}">'
        f'<img class="lazy" src="data:image/gif;base64,R0lGOD" data-src="/img/p{i}.jpg" '
        f'alt="{name}"></a><h3 class="product-name"><a href="/products/sp-{i}">{name}</a></h3>'
        f'<div class="price"><span class="price-new">{_price(rng)}</span> '
        f'<del class="price-old">{_price(rng)}</del></div>'
        '<button class="btn btn-add-cart">Thêm vào giỏ</button></div>'
    )


def _review(rng: random.Random, i: int) -> str:
    teen = rng.choice(_TEEN)
    return (
        f'<div class="review" id="rv{i}"><div class="review-author"><span>Khách hàng {i}</span>'
        f'<span class="stars">{"★" * rng.randint(3, 5)}</span></div>'
        f"<p>{_sentence(rng)} {teen}. <b>{_sentence(rng, 6)}</b> {_sentence(rng)}</p></div>"
    )


def _state_blob(rng: random.Random, n: int) -> str:
    items = [
        {
            "id": i,
            "name": _sentence(rng, 6),
            "price": rng.randint(50, 2500) * 1000,
            "html": "<div class='d'>" + _sentence(rng) + "</div>",
            "tags": [rng.choice(_WORDS) for _ in range(5)],
        }
        for i in range(n)
    ]
    return "window.__INITIAL_STATE__=" + json.dumps({"items": items}, ensure_ascii=False) + ";"


def product_page(*, reviews: int = 20, related: int = 12, seed: int = 0) -> str:
    """Return a realistic product page: specs table, description, reviews, related grid.

    The share of script/style/JSON is close to the pages of the performance baseline
    (about 40%), and the footer carries the identity block and the badge.
    """
    rng = random.Random(seed)
    jsonld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "Product",
            "name": "Áo thun cotton nam",
            "offers": {"@type": "Offer", "price": "150000", "priceCurrency": "VND"},
            "countryOfOrigin": "Hàn Quốc",
        },
        ensure_ascii=False,
    )
    desc = "".join(
        f"<p>{_sentence(rng)} <strong>{_sentence(rng, 5)}</strong> {_sentence(rng)}</p>"
        for _ in range(max(4, reviews // 4))
    )
    grid = "".join(product_card(rng, i) for i in range(related))
    revs = "".join(_review(rng, i) for i in range(reviews))
    body = (
        '<nav class="breadcrumb"><a href="/">Trang chủ</a> / <a href="/collections/ao">Áo</a>'
        "</nav>"
        '<div class="product-detail"><div class="gallery">'
        + "".join(
            f'<img src="/img/main{i}.jpg" data-lazy-src="/img/main{i}@2x.jpg" alt="">'
            for i in range(4)
        )
        + '</div><h1 class="product-title">Áo thun cotton nam</h1>'
        '<div class="price-box"><span class="price">150.000đ</span></div>'
        '<form action="/cart/add" method="post"><input type="hidden" name="id" value="1">'
        '<button type="submit" class="btn btn-buy">Mua ngay</button>'
        '<input type="submit" value="Thêm vào giỏ hàng"></form>'
        '<table class="specs"><tr><th>Xuất xứ</th><td>Hàn Quốc</td></tr>'
        "<tr><th>Chất liệu</th><td>Cotton</td></tr><tr><th>Thương hiệu</th><td>ABC</td></tr>"
        f'</table><p class="marker">{MARKER}</p><div class="description">{desc}</div>'
        f'<div class="reviews">{revs}</div></div>'
        f'<section class="related"><h2>Sản phẩm liên quan</h2><div class="grid">{grid}</div>'
        "</section>"
    )
    head = (
        '<meta property="og:type" content="product">'
        '<meta name="description" content="Áo thun cotton nam nhập khẩu Hàn Quốc">'
        '<meta property="product:price:amount" content="150000">'
        '<link rel="canonical" href="https://shop.example.vn/products/ao-thun">'
        f'<script type="application/ld+json">{jsonld}</script>'
        f"<script>{_state_blob(rng, max(10, reviews * 2))}</script>"
    )
    return shop_page(body, title="Áo thun cotton nam — Shop ABC", head_extra=head)


def big_page(target_bytes: int = 400_000, seed: int = 1) -> str:
    """Return a product page of about ``target_bytes`` bytes of UTF-8."""
    n = 40
    page = product_page(reviews=n, related=n // 2, seed=seed)
    while len(page.encode()) < target_bytes:
        n = int(n * target_bytes / len(page.encode()) * 1.02) + 1
        page = product_page(reviews=n, related=n // 2, seed=seed)
    return page


# --- robustness variants (perf-baseline §6) -------------------------------------------

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def encode_cp1258(text: str) -> bytes:
    """Encode Vietnamese text as windows-1258, splitting off tone marks as combining marks.

    The code page has the base letters (ă, â, ê, ô, ơ, ư, đ) and the five tone marks
    as combining characters, but not most precomposed toned letters.
    """
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        base = "".join(c for c in decomposed if c not in _TONES)
        tones = "".join(c for c in decomposed if c in _TONES)
        out += (unicodedata.normalize("NFC", base) + tones).encode(
            "cp1258", errors="xmlcharrefreplace"
        )
    return bytes(out)


def _entities(text: str) -> str:
    """Write every non-ASCII letter of the visible text as a character reference."""
    named = {"à": "&agrave;", "á": "&aacute;", "â": "&acirc;", "ê": "&ecirc;", "ô": "&ocirc;"}
    out = []
    for i, ch in enumerate(text):
        if ord(ch) < 128:
            out.append(ch)
        elif ch in named:
            out.append(named[ch])
        else:
            out.append(f"&#{ord(ch)};" if i % 2 else f"&#x{ord(ch):x};")
    return "".join(out)


def _entity_page(html: str) -> str:
    # Replace only outside tags and scripts: simplest is to rebuild from parts.
    out, i = [], 0
    while i < len(html):
        j = html.find("<", i)
        if j < 0:
            out.append(_entities(html[i:]))
            break
        out.append(_entities(html[i:j]))
        k = html.find(">", j)
        tag = html[j : k + 1]
        out.append(tag)
        i = k + 1
        if tag.startswith(("<script", "<style")):
            end = html.find("</", i)
            out.append(html[i:end])
            i = end
    return "".join(out)


def _tag_soup(html: str) -> str:
    soup = html.replace("</p>", "").replace("</li>", "").replace("</td>", "")
    soup = soup.replace("<strong>", "<B><I>").replace("</strong>", "</B></I>")
    soup = soup.replace('class="price"', "class=price").replace(
        '<div class="info">', "</div></span><DIV class=info>"
    )
    return soup.replace("<table", "<table><caption>Thông số<p>kỹ thuật</caption", 1)


def robustness_variants(seed: int = 0) -> dict[str, bytes]:
    """Return the 11 broken-page variants of a product page, as bytes with no HTTP charset.

    Keys: ``cp1258``, ``deep_nesting``, ``entities``, ``nfd``, ``nul_bytes``, ``tag_soup``,
    ``truncated``, ``unclosed_spans``, ``utf8_bom``, ``utf8_labelled_latin1``,
    ``utf8_no_charset``.
    """
    base = product_page(reviews=12, related=8, seed=seed)
    rng = random.Random(seed)
    no_meta = base.replace('<meta charset="utf-8">', "")
    main_start = base.index('<main id="main"')
    footer_start = base.index('<footer id="footer"')

    deep = (
        base[:main_start]
        + "<div>" * 3000
        + base[main_start:footer_start]
        + "</div>" * 3000
        + base[footer_start:]
    )
    spans = base[:main_start] + "<span>" * 400 + base[main_start:]

    nul = bytearray(base.encode())
    for _ in range(40):
        pos = rng.randrange(len(nul))
        nul[pos:pos] = b"\x00"
    # One NUL inside a word of the marker, which must still read as one word.
    marker_at = nul.find(MARKER.encode())
    nul[marker_at + 2 : marker_at + 2] = b"\x00"

    end_of_footer = base.index("</footer>") + len("</footer>")
    # Cut inside a two-byte letter, in text after the footer, with no closing tags.
    truncated = (base[:end_of_footer] + "<div class=late><p>Cảm ơn quý khách đã mua hà").encode()
    truncated = truncated[:-1]

    cp1258_html = base.replace('<meta charset="utf-8">', '<meta charset="windows-1258">')
    return {
        "cp1258": encode_cp1258(cp1258_html),
        "deep_nesting": deep.encode(),
        "entities": _entity_page(base).encode(),
        "nfd": unicodedata.normalize("NFD", base).encode(),
        "nul_bytes": bytes(nul),
        "tag_soup": _tag_soup(base).encode(),
        "truncated": truncated,
        "unclosed_spans": spans.encode(),
        "utf8_bom": b"\xef\xbb\xbf" + base.encode(),
        "utf8_labelled_latin1": base.replace(
            '<meta charset="utf-8">',
            '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">',
        ).encode(),
        "utf8_no_charset": no_meta.encode(),
    }


# --- pages of each kind (for page-kind tests) -----------------------------------------


def listing_page(cards: int = 12, seed: int = 2) -> str:
    """Return a category page: a heading, sort options, a grid of cards, pagination."""
    rng = random.Random(seed)
    grid = "".join(product_card(rng, i) for i in range(cards))
    body = (
        '<nav class="breadcrumb"><a href="/">Trang chủ</a> / <span>Áo thun</span></nav>'
        f"<h1>Áo thun nam</h1><p>{cards} sản phẩm</p>"
        '<select name="sort"><option>Sắp xếp: Mới nhất</option><option>Giá tăng dần</option>'
        f'</select><div class="grid">{grid}</div>'
        '<div class="pagination"><a href="?page=1">1</a><a href="?page=2">2</a></div>'
    )
    return shop_page(body, title="Áo thun nam — Shop ABC")


def home_page(cards: int = 12, seed: int = 3) -> str:
    """Return a home page: a banner, sections with product grids, no ``<h1>``."""
    rng = random.Random(seed)
    sections = "".join(
        f'<section class="home-section"><h2>Bộ sưu tập {s}</h2><div class="grid">'
        + "".join(product_card(rng, s * 100 + i) for i in range(cards // 2))
        + "</div></section>"
        for s in range(2)
    )
    body = (
        '<div class="banner"><a href="/collections/sale"><img src="/b.jpg" '
        'alt="Siêu sale cuối năm giảm đến 50%"></a></div>' + sections
    )
    return shop_page(body, title="Shop ABC — Thời trang chính hãng")


def article_page(*, with_jsonld: bool = False, seed: int = 4) -> str:
    """Return a blog post that talks about products and quotes prices in its text."""
    rng = random.Random(seed)
    paragraphs = "".join(
        f"<p>{_sentence(rng, 20)} Mẫu áo này có giá {_price(rng)} và {_sentence(rng, 16)}</p>"
        for _ in range(10)
    )
    head = ""
    if with_jsonld:
        head = (
            '<script type="application/ld+json">{"@context":"https://schema.org",'
            '"@type":"BlogPosting","headline":"Cách chọn áo thun"}</script>'
        )
    body = (
        f"<article><h1>Cách chọn áo thun cotton cho mùa hè</h1>{paragraphs}"
        '<p><a href="/products/ao-thun-cotton">Xem sản phẩm</a></p></article>'
    )
    return shop_page(body, title="Cách chọn áo thun — Blog Shop ABC", head_extra=head)


def policy_page() -> str:
    """Return a returns-policy page (which mentions buying and money, but sells nothing)."""
    body = (
        "<h1>Chính sách đổi trả</h1>"
        "<p>Khách hàng mua hàng tại Shop ABC được đổi trả trong vòng 7 ngày kể từ ngày nhận "
        "hàng. Phí vận chuyển 30.000đ do khách hàng chi trả nếu đổi ý.</p>"
        "<h2>Điều kiện đổi trả</h2><ul><li>Sản phẩm còn nguyên tem mác.</li>"
        "<li>Có hóa đơn mua hàng.</li></ul>"
    )
    return shop_page(body, title="Chính sách đổi trả — Shop ABC")
