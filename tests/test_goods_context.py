"""Context judgement of goods hits: negation scope, warnings, news sections, notice."""

from __future__ import annotations

import pytest

from ecomcheck.extract.document import PageDocument
from ecomcheck.extract.goods import GoodsHit, analyze_fields, analyze_page, compile_goods

GM = compile_goods()


def kept(text: str, *, offer: bool = True) -> dict[str, str]:
    """Entry id -> outcome of the kept hits of one listing title."""
    hits = analyze_fields([("/listings/0/title", text)], GM, offer=offer)
    return {h.entry_id: h.outcome for h in hits if h.kept}


def page(html: str, url: str = "https://shop.example/") -> list[GoodsHit]:
    return [h for h in analyze_page(PageDocument.build(html, url=url), GM) if h.kept]


def doc(main: str, *, head: str = "", aside: str = "", footer: str = "") -> str:
    return (
        "<!doctype html><html lang='vi'><head><meta charset='utf-8'>"
        f"<title>Shop</title></head><body><header><nav><a href='/'>Trang chủ</a></nav>"
        f"</header>{aside}<main>{head}{main}</main><footer>{footer}</footer></body></html>"
    )


def product(body: str, *, aside: str = "", footer: str = "") -> str:
    head = (
        "<h1>Kem chống nắng Anessa 60ml</h1><span class='price'>495.000đ</span>"
        "<button class='add-to-cart'>Thêm vào giỏ</button>"
    )
    return doc(f"<div class='description'>{body}</div>", head=head, aside=aside, footer=footer)


# --- negation over a list of goods, colloquial negations ---------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Chúng tôi cam kết 100% không kinh doanh hàng giả, hàng nhái",
        "Shop cam kết không bán hàng lậu, hàng không rõ nguồn gốc",
        "Cam kết không bán hàng giả, hàng nhái, hàng không rõ nguồn gốc",
        "Không có hàng nhái, hàng giả tại shop",
        "Không nhận order hàng xách tay, hàng lậu, hàng trôi nổi",
        "Shop ko bán vape, pod nha khách ơi",
        "Shop k bán hàng fake, hàng rep nhé",
        "Shop hok bán thuốc lá điện tử đâu nha",
        "Bên em hông bán pháo nổ nha",
        "Shop chẳng bán hàng fake bao giờ",
        "Shop ko kinh doanh rượu ngoại",
        "Shop khong ban vape, pod",
        "Không chứa corticoid, không kem trộn",
        "Không có chất cấm, không ma túy",
        # Items joined by "hay"/"hoặc"/"và" inside the hit's own clause.
        "Son Dior chính hãng, không bán hàng chiết, hàng fake hay hàng rep",
        "Shop không bán hàng chiết hay hàng fake hoặc hàng rep nhé",
        "Cam kết không kinh doanh hàng xách tay, hàng lậu và hàng trôi nổi",
        # Grade words right after a brand are negated like any goods word.
        "Shop không bán son MAC fake",
        "Không bán túi LV rep",
        "Nói không với Laneige nhái",
        "Shop không bán túi LV rép hay hàng 11",
        "Son MAC chính hãng, fake đền gấp 10",
        "Nón MLB chính hãng, chống fake bằng tem QR",
    ],
)
def test_negation_covers_the_whole_list(text: str) -> None:
    assert kept(text) == {}


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        # A joined item that is not negated: the list conjunction carries no negation.
        ("Không cần cọc, túi auth hay hàng rep 1:1 đều có", "cf.replica_slang.rep_1_1"),
        ("Túi LV chính hãng hay hàng rep 1:1 đều có, giá 650k", "cf.replica_slang.rep_1_1"),
        # The joined item before the hit is a clause with a price, not a goods item.
        ("Không bán lẻ, giá sỉ 200k hay hàng rep 1:1 giá 650k", "cf.replica_slang.rep_1_1"),
    ],
)
def test_joined_list_without_negation_still_fails(text: str, entry: str) -> None:
    assert kept(text).get(entry) == "fail"


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        # A new verb starts a new clause of its own: not an item of the list.
        ("Không bán hàng auth, chỉ bán rep 1:1 giá rẻ", "cf.replica_slang.rep_1_1"),
        ("Không phải hàng chợ, đây là rep 1:1 cao cấp", "cf.replica_slang.rep_1_1"),
        # A price in the item's own clause: never dropped for a cue of another clause.
        ("Cam kết không bán hàng giả, hàng rep 1:1 giá 650k", "cf.replica_slang.rep_1_1"),
        # "k" after a number is "thousand", not a negation.
        ("Vape giá 150 k bán chạy nhất", "rg.e_cigarette.vape"),
        ("Pod 1 lần giá 99k bán sỉ lẻ", "rg.e_cigarette.pod_system"),
        # A colloquial negation of another verb does not negate the goods.
        ("Ko cần cọc, pháo nổ ship tận nhà", "rg.fireworks.phao_no"),
    ],
)
def test_offer_next_to_a_negated_list_still_fails(text: str, entry: str) -> None:
    assert kept(text).get(entry) == "fail"


def test_health_claim_is_not_an_item_of_a_negated_list() -> None:
    # "nói không với thuốc tây" negates the medicine, not the supplement after it.
    assert kept("Nói không với thuốc tây, TPCN chữa dứt điểm gout")


def test_refund_promise_negates_a_fake() -> None:
    assert kept("Đồng hồ Casio chính hãng, hàng fake đền 10 lần, giá 1tr2") == {}
    assert kept("Phát hiện hàng fake hoàn tiền 200%") == {}
    # Not a refund promise for fakes: the replica is offered.
    assert kept("Giày rep 1:1 giá 650k, sai hoàn tiền")["cf.replica_slang.rep_1_1"] == "fail"
    assert kept("Túi fake loại 1 giá 500k, đổi trả 7 ngày")


# --- scope of a negation ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("Không bán hàng chợ chuyên rep 1:1 Jordan giá 650k", "cf.replica_slang.rep_1_1"),
        ("Không có hàng nào rẻ hơn vape Relx tại shop giá 350k", "rg.e_cigarette.vape"),
        ("Tinh dầu không chứa nicotine cho pod Relx, vị dưa lưới giá 120k", "rg.e_cigarette.pod"),
        (
            "Hỗ trợ cai thuốc lá hiệu quả với thuốc lá điện tử Relx giá 350k",
            "rg.e_cigarette.thuoc_la_dien_tu",
        ),
    ],
)
def test_negation_governs_its_own_object_only(text: str, entry: str) -> None:
    assert kept(text).get(entry) == "fail"


@pytest.mark.parametrize(
    "text",
    [
        "Sản phẩm này không phải là thuốc lá điện tử",
        "Không dùng chung với rượu bia",
        "Không bán thuốc lá cho trẻ em dưới 18 tuổi",
        "Sản phẩm không chứa cần sa hay chất gây nghiện",
        "Hỗ trợ cai thuốc lá điện tử hiệu quả",
        "Shop không kinh doanh rượu bia cho người dưới 18 tuổi",
    ],
)
def test_negation_in_scope_still_drops(text: str) -> None:
    assert kept(text) == {}


# --- warning words ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("Vape pod giá sỉ cho đại lý, uy tín không lừa đảo", "rg.e_cigarette.vape"),
        ("Pod 1 lần vị xoài, uy tín không lừa đảo, giá 150k", "rg.e_cigarette.pod_system"),
        ("IQOS Iluma giảm 95% tác hại, giá 2tr5 ship hỏa tốc", "rg.heated_tobacco.brands"),
        ("Hàng cấm pháo nổ giá rẻ inbox", "rg.fireworks.phao_no"),
        ("Không lo bị thu giữ, pháo nổ ship kín toàn quốc", "rg.fireworks.phao_no"),
    ],
)
def test_sellers_words_are_not_warnings(text: str, entry: str) -> None:
    assert kept(text).get(entry) == "fail"


@pytest.mark.parametrize(
    "text",
    [
        "Cảnh giác lừa đảo khi mua vape trên mạng",
        "Thuốc lá điện tử không giảm tác hại như quảng cáo",
        "Tác hại của thuốc lá điện tử với giới trẻ",
        "Cơ quan chức năng thu giữ 2 tấn pháo nổ",
        "Đừng ham rẻ mà mua phải hàng fake",
        "Nghiêm cấm mua bán pháo nổ dưới mọi hình thức",
    ],
)
def test_warnings_still_drop(text: str) -> None:
    assert kept(text) == {}


def test_warning_of_another_clause_caps_a_priced_offer_at_review() -> None:
    # A headline warning with a price in the hit's own clause: a person judges it.
    hits = analyze_fields(
        [("/t", "Cảnh báo: pháo nổ giá rẻ bán tràn lan trên mạng")], GM, offer=True
    )
    [hit] = [h for h in hits if h.kept]
    assert hit.outcome == "needs_review"
    assert "warning_nearby" in hit.reason
    # The same warning in the hit's own clause drops it.
    assert kept("Cảnh báo pháo nổ giá rẻ bán tràn lan trên mạng") == {}


# --- gold karats are not prices -----------------------------------------------------


def test_gold_karat_is_not_a_price() -> None:
    # "vang trang" (unaccented "vàng trắng") is a wine term; "18K" is the karat.
    assert kept("Lac tay vang trang 14k", offer=False) == {}
    assert kept("Bong tai vang Y 10K cho be", offer=False) == {}
    # Real prices next to wine still count.
    assert kept("Rượu vang 10k một ly", offer=False)["rg.alcohol_online.wine"] == "fail"
    assert kept("Rượu vang Ý 750ml giá 18k", offer=False)["rg.alcohol_online.wine"] == "fail"


# --- pages: footers, shop news, sidebar menus ---------------------------------------


def test_commitments_on_product_page_are_silent() -> None:
    html = product(
        "<p>Shop cam kết không bán hàng giả, hàng nhái, hàng không rõ nguồn gốc.</p>"
        "<p>Sản phẩm không chứa corticoid, không kem trộn, an toàn cho da nhạy cảm.</p>"
        "<p>Phát hiện hàng fake đền gấp 10 lần giá trị sản phẩm.</p>",
        footer="<p>Shop ko bán hàng xách tay không rõ nguồn gốc, hàng lậu.</p>",
    )
    assert page(html, "https://shop.example/products/anessa") == []


NEWS_BLOCK = (
    "<section class='news'><h2>Tin tức &amp; sự kiện</h2>"
    "<article><h3><a href='/tin-tuc/q7'>Khai trương chi nhánh Quận 7 rực rỡ pháo hoa</a></h3>"
    "<p>Tối 20/12 chi nhánh mới đã khai trương với màn bắn pháo hoa rực rỡ, mỗi khách "
    "được tặng một ly rượu vang.</p></article></section>"
)
CAKES = (
    "<section><h2>Sản phẩm nổi bật</h2>"
    "<div class='product-card'><h3>Bánh mì hoa cúc</h3><span class='price'>85.000đ</span>"
    "<button class='add-to-cart'>Thêm vào giỏ</button></div></section>"
)


def test_news_section_of_a_home_page_is_silent() -> None:
    assert page(doc(CAKES + NEWS_BLOCK)) == []


def test_shop_event_page_is_silent() -> None:
    html = doc(
        "<p>Tối 20/12, chi nhánh mới đã khai trương, màn bắn pháo hoa rực rỡ thu hút "
        "đông đảo khách hàng.</p><p>Khách đến dự được tặng rượu vang và bánh ngọt.</p>"
        "<p>Xem thêm sản phẩm: Bánh mì hoa cúc giá 85.000đ.</p>",
        head="<h1>Chi nhánh Quận 7 – Rộn ràng quà tặng</h1>",
    )
    assert page(html, "https://bepnhamay.vn/khai-truong-chi-nhanh-quan-7") == []
    # The same text under a news headline, at any URL.
    titled = html.replace("<h1>Chi nhánh", "<h1>Khai trương chi nhánh")
    assert page(titled, "https://bepnhamay.vn/p/123") == []
    # Without either, the prices of the page make it an offer page: reported.
    assert page(html, "https://bepnhamay.vn/p/123")


def test_priced_offer_in_news_section_is_kept_for_review() -> None:
    news = "<section><h2>Tin tức</h2><p>Pháo nổ Tết giá 150k, ship kín toàn quốc.</p></section>"
    [hit] = page(doc(CAKES + news))
    assert (hit.entry_id, hit.outcome) == ("rg.fireworks.phao_no", "needs_review")
    assert "event_news" in hit.reason


def test_fireworks_listing_under_event_heading_still_fails() -> None:
    cards = "".join(
        f"<div class='product-card'><h3>{name}</h3><span class='price'>{price}</span>"
        "<button class='add-to-cart'>Thêm vào giỏ</button></div>"
        for name, price in (("Pháo nổ bi đỏ 100 viên", "150.000đ"), ("Pháo trứng 50 quả", "200k"))
    )
    html = doc(f"<h2>Pháo sự kiện, khai trương</h2>{cards}", head="<h1>Pháo Tết 2026</h1>")
    for url in ("https://phao.example/khai-truong", "https://phao.example/danh-muc/phao"):
        outcomes = {h.outcome for h in page(html, url) if h.entry_id == "rg.fireworks.phao_no"}
        assert outcomes == {"fail"}, url
    # Products after a news block: a price between the news heading and the hit
    # ends the news section.
    html = doc(NEWS_BLOCK + cards)
    assert {h.outcome for h in page(html) if h.entry_id == "rg.fireworks.phao_no"} == {"fail"}


def test_sidebar_category_links_are_labels() -> None:
    aside = (
        "<aside class='sidebar'><h3>Danh mục</h3><ul><li><a href='/c/pod'>Pod</a></li>"
        "<li><a href='/c/vape'>Vape</a></li><li><a href='/c/rep'>Hàng rep 1:1</a></li></ul></aside>"
    )
    hits = analyze_page(PageDocument.build(product("<p>Da mềm mịn.</p>", aside=aside)), GM)
    assert [h for h in hits if h.kept] == []
    assert {h.reason for h in hits} == {("link_label",)}
    # A sidebar paragraph that sells is not a label.
    aside = "<aside><p>Vape Relx giá 350k, ship COD toàn quốc</p></aside>"
    assert page(product("<p>Da mềm mịn.</p>", aside=aside))


# --- supplement notice --------------------------------------------------------------


@pytest.mark.parametrize(
    "claim",
    [
        "không phải thuốc tây, 100% thảo dược",
        "không phải thuốc tân dược",
        "không phải là thuốc nam trôi nổi",
    ],
)
def test_not_western_medicine_is_not_the_notice(claim: str) -> None:
    text = f"Thực phẩm chức năng Tiểu Đường Hoàng Gia giá 450k – {claim}"
    assert kept(text)["hc.supplement_listing.tpbvsk"] == "fail"


def test_a_teen_code_claim_of_not_western_medicine_is_not_the_notice() -> None:
    claim = "ko phải thuốc tây, 100% thảo dược"
    text = f"Thực phẩm chức năng Tiểu Đường Hoàng Gia giá 450k – {claim}"
    assert kept(text)["hc.supplement_listing.tpbvsk"] == "fail"


@pytest.mark.parametrize(
    "notice",
    [
        "Thực phẩm này không phải là thuốc, không có tác dụng thay thế thuốc chữa bệnh.",
        "Thực phẩm này không phải là thuốc và không có tác dụng thay thế thuốc chữa bệnh.",
        "Sản phẩm này không phải là thuốc không có tác dụng thay thế thuốc chữa bệnh",
        "Sản phẩm không phải là thuốc.",
        "San pham khong phai la thuoc, khong co tac dung thay the thuoc chua benh",
        # Teen-code spellings of the notice.
        "(Sp này ko phải là thuốc, ko có tác dụng thay thế thuốc chữa bệnh)",
        "Tpcn ko phải thuốc, k có tác dụng thay thế thuốc.",
    ],
)
def test_notice_variants_still_count(notice: str) -> None:
    assert kept(f"Thực phẩm chức năng Tiểu Đường Hoàng Gia giá 450k. {notice}") == {}


# --- the supplement notice on a page of several cards ---------------------------------

_NOTICE_P = "<p>Thực phẩm này không phải là thuốc, không có tác dụng thay thế thuốc chữa bệnh.</p>"


def _supplement_card(name: str, notice: bool) -> str:
    return (
        f'<div class="product-card"><a href="/san-pham/{name.lower()}"><h3>Thực phẩm bảo vệ '
        f'sức khỏe {name} hộp 60 viên</h3></a><span class="price">450.000đ</span>'
        f"{_NOTICE_P if notice else ''}<button>Thêm vào giỏ</button></div>"
    )


def _supplement_listing(cards: str, after: str = "") -> list[str]:
    from ecomcheck import Checker, Config

    page = f"<html><body><main><h1>Thực phẩm chức năng</h1>{cards}</main>{after}</body></html>"
    report = Checker(Config(select=("health_claim",))).check_page(
        page, url="https://shop.vn/collections/tpcn"
    )
    return [
        ev.matched or ""
        for f in report.findings
        if f.rule_id == "health_claim.supplement_notice"
        for ev in f.evidence
    ]


def test_a_notice_in_one_card_does_not_cover_the_others() -> None:
    cards = "".join(_supplement_card(n, n == "Omega") for n in ("Omega", "Canxi", "Vitamin"))
    assert _supplement_listing(cards).count("Thực phẩm bảo vệ sức khỏe") == 2


def test_a_notice_in_every_card_or_outside_the_cards_covers_them() -> None:
    each = "".join(_supplement_card(n, True) for n in ("Omega", "Canxi", "Vitamin"))
    assert _supplement_listing(each) == []
    none = "".join(_supplement_card(n, False) for n in ("Omega", "Canxi", "Vitamin"))
    assert _supplement_listing(none).count("Thực phẩm bảo vệ sức khỏe") == 3
    # A page-wide notice (a banner or the footer) covers every card on the page.
    assert _supplement_listing(none, f"<footer>{_NOTICE_P}</footer>") == []


# --- a page that lists goods not to be sold ----------------------------------------------


def _goods_findings(page: str, url: str) -> list[str]:
    from ecomcheck import Checker, Config

    cats = ("restricted_goods", "counterfeit", "smuggling", "health_claim")
    return [f.rule_id for f in Checker(Config(select=cats)).check_page(page, url=url).findings]


_PROHIBITED_LIST = (
    "<ul><li>Thuốc lá điện tử, pod, tinh dầu vape</li><li>Pháo nổ, pháo hoa</li>"
    "<li>Hàng giả, hàng nhái, hàng rep 1:1</li><li>Ngà voi, sừng tê giác, mật gấu</li></ul>"
)


@pytest.mark.parametrize(
    "heading",
    [
        "Danh mục hàng hóa không được đăng bán",
        "Quy định về hàng hóa cấm kinh doanh trên sàn",
        "Danh sách hàng cấm",
        "Prohibited items",
    ],
)
def test_a_prohibited_goods_list_outside_a_policy_url_is_silent(heading: str) -> None:
    page = f"<html><body><main><h1>{heading}</h1>{_PROHIBITED_LIST}</main></body></html>"
    assert _goods_findings(page, "https://cho.vn/trang/quy-dinh-dang-tin") == []


def test_a_seller_page_naming_forbidden_goods_still_offers() -> None:
    page = (
        "<html><body><main><h1>Pháo nổ hàng cấm giá rẻ</h1><p>Pháo nổ Bi Ngô giá 350k, "
        "ship kín toàn quốc, inbox shop.</p></main></body></html>"
    )
    assert "restricted_goods.fireworks" in _goods_findings(page, "https://shop.vn/phao")


# --- a seller's boast, a ranger's fine ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Túi Gucci replica cao cấp ạ, tem mác khó phân biệt lắm, giá 1tr2",
        "Đồng hồ Rolex replica máy Nhật, rất khó nhận biết với hàng thật, ship cod",
    ],
)
def test_hard_to_tell_apart_is_a_boast_not_a_warning(text: str) -> None:
    assert kept(text).get("cf.replica_slang.replica") in ("fail", "needs_review")


@pytest.mark.parametrize(
    "text",
    [
        "Cách phân biệt túi Gucci replica với hàng thật, giá 1tr2",
        "Mẹo nhận biết đồng hồ Rolex replica máy Nhật trước khi mua",
    ],
)
def test_telling_apart_still_warns(text: str) -> None:
    assert "cf.replica_slang.replica" not in kept(text)


@pytest.mark.parametrize(
    "text",
    [
        "Kiểm lâm phát hiện đối tượng rao bán sừng tê giác qua mạng, phạt 120 triệu đồng",
        "Kiểm lâm tỉnh lập biên bản người bán móng gấu trên Facebook",
    ],
)
def test_rangers_are_enforcement_and_a_fine_is_not_a_price(text: str) -> None:
    assert kept(text, offer=False) == {}


def test_a_price_next_to_a_wildlife_item_still_offers() -> None:
    assert kept("Bán vòng móng hổ thật, giá 80 triệu đồng, ship kín")


def test_an_amount_after_phat_is_not_a_price() -> None:
    from ecomcheck.extract.goods import _prices

    assert _prices("bị phạt 80 triệu đồng") == []
    assert _prices("phạt tiền 15 triệu") == []
    assert _prices("giá 80 triệu đồng")


# --- works and objects about a topic -------------------------------------------------


def fields(title: str, description: str = "") -> dict[str, str]:
    """Entry id -> outcome of the kept hits of one listing (title and description)."""
    f = [("/listings/0/title", title)]
    if description:
        f.append(("/listings/0/description", description))
    return {h.entry_id: h.outcome for h in analyze_fields(f, GM) if h.kept}


def product_page(title: str, body: str = "", cards: str = "") -> str:
    head = (
        f"<h1>{title}</h1><span class='price'>199.000₫</span>"
        "<button class='add-to-cart'>Thêm vào giỏ hàng</button>"
    )
    return doc(f"<p>{body}</p>{cards}", head=head)


@pytest.mark.parametrize(
    ("title", "description"),
    [
        ("Sách Chiến Tranh Nha Phiến - lịch sử Trung Hoa cận đại giá rẻ", ""),
        ("[FREESHIP] Sách Cần Sa Và Y Học: Tranh Luận Khoa Học giá rẻ", ""),
        ("Sach Can sa va y hoc - chuyen khao", ""),
        ("Bộ 3 cuốn sách Hút Thuốc Lá Điện Tử - Hiểm Họa Cho Giới Trẻ", ""),
        ("Sách Hỏi đáp Luật Phòng, chống ma túy 2021 giá rẻ", ""),
        ("Tiểu thuyết Vang Bóng Một Thời - hút thuốc phiện, thả thơ", ""),
        ("Sách Sherlock Holmes Toàn Tập", "Thám tử Holmes tiêm cocaine lúc buồn chán. Giá 120k"),
        ("DVD phim Narcos trọn bộ 3 mùa", "Series về trùm cocaine Pablo Escobar. Ship COD"),
        ("Đĩa game PS5 Call of Duty giá rẻ", "Game bắn súng, lựu đạn, súng trường giá 990k"),
        ("Mô hình lính chì tỷ lệ 1:35 kèm súng trường giá rẻ", ""),
        ("Mô hình nhân vật lính Mỹ tỷ lệ 1:6", "Kèm phụ kiện: súng trường M16, lựu đạn mô hình."),
        ("Que thử ma túy 4 chân giá rẻ", ""),
        ("Biển báo cấm hút thuốc lá, thuốc lá điện tử mica giá rẻ", ""),
        ("Thú nhồi bông rùa biển 40cm, chất liệu bông gòn an toàn", ""),
        ("Gấu bông hổ con dễ thương giá rẻ", ""),
        ("Mô hình súng AK47 chất liệu hợp kim giá rẻ", "Súng trường tỉ lệ 1:6, không bắn được."),
    ],
)
def test_goods_terms_about_a_work_are_its_topic(title: str, description: str) -> None:
    assert fields(title, description) == {}


@pytest.mark.parametrize(
    ("title", "description", "entry"),
    [
        # A second item after the work is goods again.
        ("Sách hướng dẫn + tặng kèm pod vape giá 150k", "", "rg.e_cigarette.vape"),
        ("Sách dạy pha chế, tặng kèm vape pod", "", "rg.e_cigarette.vape"),
        ("Sách kèm súng trường giá rẻ", "", "rg.weapons.sung_hoi"),
        ("Sách Bố Già", "Shop còn bán cần sa, ship kín", "rg.narcotics.can_sa"),
        # A "model" that works is the thing itself.
        ("Mô hình súng ngắn Glock bắn đạn thật", "", "rg.weapons.sung_hoi"),
        # A statue or model made of the goods is the goods.
        ("Tượng Phật bằng ngà voi thật nguyên khối", "", "rg.wildlife.nga_voi"),
        ("Tượng Quan Âm chế tác từ sừng tê giác giá rẻ", "", "rg.wildlife.sung_te_giac"),
        ("Tượng Phật Di Lặc để bàn", "Chất liệu: ngà voi thật 100%.", "rg.wildlife.nga_voi"),
        # Piracy and works that are banned goods themselves.
        ("Sách Đắc Nhân Tâm bản photo lậu giá 30k", "", "cf.ip_piracy.sach_lau"),
        ("Sách ebook lậu Harry Potter giá 20k", "", "cf.ip_piracy.sach_lau"),
        ("Đĩa game PS5 GTA V bản crack giá rẻ", "", "cf.ip_piracy.phan_mem_crack"),
        ("Phim bom tấn chiếu rạp chép sẵn USB 64GB", "", "cf.ip_piracy.usb_phim"),
        # Not a work: "tranh chấp" is a dispute, a work named later is no head.
        ("Tranh chấp vape pod giá rẻ", "", "rg.e_cigarette.vape"),
        ("Pod vape giá rẻ", "Sách hướng dẫn sử dụng đi kèm", "rg.e_cigarette.vape"),
    ],
)
def test_goods_beside_a_work_are_still_goods(title: str, description: str, entry: str) -> None:
    assert entry in fields(title, description)


def test_a_banned_publication_is_not_its_own_topic() -> None:
    assert "rg.cultural_products.sach_cam" in fields("Tài liệu phản động chống phá nhà nước")


def test_counterfeit_and_smuggling_words_in_a_work_go_to_review() -> None:
    got = fields("Sách Buôn Lậu, Gian Lận Thương Mại Và Hàng Giả - chuyên khảo giá rẻ")
    assert got and set(got.values()) == {"needs_review"}


def test_a_product_page_of_a_book_drops_its_topic() -> None:
    html = product_page(
        "Sách Chiến Tranh Thuốc Phiện - Julia Lovell",
        "Cuốn sách kể lại cuộc chiến thuốc phiện và cocaine, giá 199k ship COD toàn quốc",
    )
    assert page(html) == []


def test_a_product_page_of_a_vape_is_not_a_work() -> None:
    html = product_page("Pod vape 8000 hơi vị dưa hấu", "Sách hướng dẫn đi kèm. Giá 199k")
    assert any(h.outcome == "fail" for h in page(html))


def test_related_cards_on_a_book_page_are_other_products() -> None:
    cards = (
        "<section><h2>Sản phẩm liên quan</h2>"
        "<div class='product-card'><h3>Pod vape 8000 hơi</h3><span class='price'>250.000₫</span></div>"
        "<div class='product-card'><h3>Sách Cần Sa Và Y Học</h3><span class='price'>99.000₫</span></div>"
        "</section>"
    )
    html = product_page("Sách Chiến Tranh Nha Phiến", "Lịch sử cận đại.", cards)
    d = PageDocument.build(html, url="https://shop.example/")
    text = d.text
    spans = []
    for name in ("Pod vape 8000 hơi", "Sách Cần Sa Và Y Học"):
        a = text.index(name)
        spans.append((a, text.index("₫", a) + 1))
    found = [h for h in analyze_page(d, GM, lambda: spans) if h.kept]
    assert {h.entry_id for h in found} >= {"rg.e_cigarette.vape"}
    assert "rg.narcotics.can_sa" not in {h.entry_id for h in found}


# --- questions and replies, nouns that look like cues ----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Đồng hồ này có phải hàng fake không shop? — Dạ không ạ, hàng chính hãng có thẻ bảo hành.",
        "Giày này hàng xách tay hả shop? - Dạ không phải ạ, hàng phân phối chính thức.",
        "Trà này uống có khỏi tiểu đường không ạ?\nDạ không ạ, sản phẩm chỉ hỗ trợ ăn kiêng.",
    ],
)
def test_denied_question_is_not_an_offer(text: str) -> None:
    assert kept(text) == {}


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        # No denial: the question stands, the goods are still on the page.
        (
            "Đồng hồ này có phải hàng fake không shop? Hàng fake loại 1 giá 900k",
            "cf.fake_grade.hang_fake",
        ),
        # The question asks about something else than the hit ("có nicotine không").
        (
            "Vape này có nicotine không shop? — Dạ không ạ, vape 8000 hơi giá 250k",
            "rg.e_cigarette.vape",
        ),
        # A denial that starts a sentence of its own is no reply.
        (
            "Shop có vape không? Không biết hỏi ai, bán vape 8000 hơi giá 250k",
            "rg.e_cigarette.vape",
        ),
    ],
)
def test_question_without_denial_keeps_the_offer(text: str, entry: str) -> None:
    assert kept(text).get(entry) in ("fail", "needs_review")


def test_affirmed_question_is_an_offer_even_without_a_page_offer() -> None:
    text = "Bên mình có thuốc lá điện tử không ạ? — Dạ có, nhiều vị lắm"
    assert kept(text, offer=False).get("rg.e_cigarette.thuoc_la_dien_tu") == "fail"
    asked = kept("Bên mình có thuốc lá điện tử không ạ?", offer=False)
    assert asked.get("rg.e_cigarette.thuoc_la_dien_tu") != "fail"


def test_anti_counterfeit_stamp_is_a_noun_not_a_negation() -> None:
    text = "Tem chống hàng giả các hãng phụ tùng, giống tem hãng, nhận in số lượng lớn"
    assert kept(text).get("cf.passing_off.ban_nhu_hang_hang") == "fail"
    # A real prohibition still negates.
    assert kept("Chống hàng giả: shop không bán hàng fake") == {}


def test_stock_from_before_a_ban_is_no_prohibition() -> None:
    text = "Thuốc cỏ Paraquat can 5 lít, hàng nhập trước khi bị cấm, giá 300k"
    assert kept(text).get("rg.chemicals.pesticide_banned") == "fail"
    assert kept("Paraquat đã bị cấm sử dụng tại Việt Nam từ 2017") == {}


def test_hit_starting_with_its_own_negator_is_not_negated() -> None:
    text = "Kem bôi trị vảy nến, cam kết không tái phát, giá 350k"
    assert kept(text).get("hc.cure_claim.dut_diem") == "fail"
    assert kept("Cam kết không bán hàng fake") == {}


@pytest.mark.parametrize(
    "text",
    [
        "Shop KHÔNG bán hàng giả, hàng nhái, hàng trôi nổi không rõ nguồn gốc.",
        "Không kinh doanh hàng fake, đồ xách tay không hóa đơn",
    ],
)
def test_negated_list_covers_a_last_item_with_a_head_noun(text: str) -> None:
    assert kept(text) == {}


def test_negated_list_does_not_reach_a_clause_that_is_no_goods_item() -> None:
    assert (
        kept("Không bán hàng giả, đây là hàng rep 1:1 giá 500k")["cf.replica_slang.rep_1_1"]
        == "fail"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Chương trình bắn pháo hoa đêm giao thừa tại 30 điểm, người dân xem miễn phí",
        "Xịt thơm miệng Median 15ml, hơi thở thơm mát suốt 4 giờ",
        "Dịch vụ order Taobao về Hà Nội, nhập khẩu theo đường chính ngạch, có hóa đơn đầy đủ",
        "Mật ong rừng nhà làm, chai không nhãn, ship toàn quốc",
        "Thông báo: công ty khuyến cáo người tiêu dùng cẩn thận với hàng nhái nhãn hiệu",
    ],
)
def test_look_alikes_of_blind_misses_are_silent(text: str) -> None:
    assert kept(text) == {}
