"""Goods phrasings sellers use around the data entries: smuggled cigarettes, made-to-order
papers, stun guns, precursors, drug code words, copies boasted as identical, tax dodges,
leet and unaccented spellings; each family with look-alikes that must stay silent."""

from __future__ import annotations

import pytest

from ecomcheck.extract.goods import analyze_fields, compile_goods

GM = compile_goods()


def found(text: str) -> set[str]:
    """Categories of the kept hits of one listing title (fail or needs_review)."""
    hits = analyze_fields([("/listings/0/title", text)], GM, offer=True)
    return {h.category for h in hits if h.kept}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Smuggled cigarettes: restricted tobacco and smuggled goods at once.
        ("Thuốc lá Capital lậu, cây 10 gói, 180k", {"restricted_goods", "smuggling"}),
        ("Bao thuốc Mevius lậu giá rẻ hơn đại lý", {"restricted_goods", "smuggling"}),
        ("thuoc la esse lau cay 10 goi gia si", {"restricted_goods", "smuggling"}),
        ("Thuốc Hero về hàng, lấy sỉ theo cây", {"restricted_goods", "smuggling"}),
        ("Thuốc lá ngoại lậu đủ loại, giao tận nhà", {"restricted_goods", "smuggling"}),
        ("Thuốc lá Esse hàng Lào cây 10 gói, giao nhanh", {"restricted_goods", "smuggling"}),
        # Papers made to order.
        ("Nhận làm bằng cử nhân các trường, có hồ sơ gốc, ib", {"restricted_goods"}),
        ("nhan lam bang cao dang, lay nhanh 7 ngay", {"restricted_goods"}),
        ("Làm sổ hộ khẩu, CMND trọn gói, zalo", {"restricted_goods"}),
        ("Làm giấy tờ các loại: bằng lái, bằng cấp, có dấu đỏ", {"restricted_goods"}),
        ("Bằng đại học phôi thật, lấy sau 10 ngày", {"restricted_goods"}),
        # Stun guns.
        ("Bút chích điện tự vệ cho nữ, giá 350k", {"restricted_goods"}),
        ("Súng chích điện mini sạc pin, ship toàn quốc", {"restricted_goods"}),
        # Precursors in bulk.
        ("Pseudoephedrine dạng bột 1kg, giá sỉ, inbox", {"restricted_goods"}),
        # Drug code words, two signals together.
        ("Kẹo dẻo phê vị nho, 1 viên bay 5 tiếng, ship kín", {"restricted_goods"}),
        ("Nước trái cây có tẩm đồ, uống xong phê, ib", {"restricted_goods"}),
        ("Bóng bơm sẵn khí giao quán bar, anh em quẩy thì ib", {"restricted_goods"}),
        ("Ke, kẹo đủ cả, anh em quẩy thì nhắn", {"restricted_goods"}),
        # Copies and piracy.
        ("Túi LV fake loại đẹp, 650k", {"counterfeit"}),
        ("Son Dior vỏ giống hệt, giá 90k", {"counterfeit"}),
        ("Đĩa phim Hàn chép lậu, 10 đĩa 50k", {"counterfeit"}),
        # Tax dodges.
        ("Máy ảnh Leica không có giấy tờ nhập khẩu nên giá mềm", {"smuggling"}),
        (
            "Rượu vang Pháp mang về, shop bớt tiền thuế cho anh em",
            {"restricted_goods", "smuggling"},
        ),
        # Leet and unaccented spellings.
        ("Nhẫn ng@ v0i bọc vàng 18k, giá 2tr", {"restricted_goods"}),
        ("t1ền g14 mệnh giá 500k, ship kín", {"restricted_goods"}),
        ("bán cần s4 loại 1, ib", {"restricted_goods"}),
        ("vong tay nga voi phong thuy, gia 3tr", {"restricted_goods"}),
        ("phao no loai 36 qua hang trung quoc co san", {"restricted_goods"}),
        ("Pháo tép hàng về, 150k một bánh", {"restricted_goods"}),
        ("W-e-e-d hàng Cali 2gr, giao tay", {"restricted_goods"}),
    ],
)
def test_offer_phrasings_are_found(text: str, expected: set[str]) -> None:
    assert found(text) >= expected


@pytest.mark.parametrize(
    "text",
    [
        # Gonorrhoea, long-time smokers, wiping, border tourism.
        "Thuốc đặc trị bệnh lậu, kháng sinh theo đơn bác sĩ",
        "Kháng sinh trị lậu: kiêng rượu bia khi điều trị",
        "Khan lau xe Honda Hero chuyen dung, 3 cai",
        "Tour du lịch Campuchia 4 ngày 3 đêm, giá 5tr",
        "Máy phun thuốc Jet 25 lít chạy điện cho vườn",
        # 'làm bằng' = made of; ID photos, law offices, visa agencies, ID covers.
        "Bát làm bằng tay, gốm sứ Bát Tràng",
        "Khung bằng tốt nghiệp làm bằng gỗ sồi A4",
        "Chụp ảnh thẻ làm CCCD lấy ngay 5 phút, 30k",
        "Văn phòng luật sư nhận làm lại giấy khai sinh, trích lục hộ tịch",
        "Dịch vụ làm hộ chiếu, visa du lịch nhanh gọn",
        "Bao da đựng CCCD, bằng lái, thẻ ATM, 25k",
        "Phôi chìa khóa thật bằng đồng, cắt theo mẫu",
        # Farm tools and bug zappers.
        "Máy chích điện lùa trâu bò, gậy dài 80cm",
        "Vợt muỗi điện sạc pin kiêm đèn ngủ, 120k",
        # Cold medicine sold by pharmacies.
        "Thuốc cảm có pseudoephedrine theo đơn, hộp 10 viên",
        # Party balloons, candy, ice, fried dough sticks.
        "Bóng bay sinh nhật bơm sẵn khí heli, giao tận nơi",
        "Kẹo dẻo hình máy bay cho bé, gói 100g",
        "Đá bào, đá viên sạch giao tận quán, 20k/bao",
        "Quẩy nóng giòn ăn kèm phở, 5k một cái",
        "Bình lắc pha đồ uống protein 700ml",
        # Toys and honest photos.
        "Mô hình xe Ferrari tỉ lệ 1:18 giống hệt hàng thật",
        "Shop chụp ảnh thật, hàng giống ảnh 99%",
        # Codes with leet at the edge.
        "Samsung Galaxy S4 cũ pin trâu giá 900k",
        # Colours and news typed without diacritics.
        "Vong tay nhua mau trang nga voi cho be",
        "Tin tuc: xac nhan Nga voi My dam phan",
        "Phao boi tre em 36 qua bong, bom phao no cang",
        # A prevention campaign.
        "Sừng tê giác không phải thuốc: hãy nói không với ngà voi và sừng tê giác",
    ],
)
def test_look_alikes_stay_silent(text: str) -> None:
    # A medicine listing may make its own health claim; that is another rule.
    assert found(text) - {"health_claim"} == set()


def test_a_campaign_slogan_beside_a_priced_offer_still_reports_it() -> None:
    hits = analyze_fields(
        [("/listings/0/title", "Hãy nói không với hàng giả! Vape chính hãng giá 300k")],
        GM,
        offer=True,
    )
    assert {h.entry_id: h.outcome for h in hits if h.kept} == {"rg.e_cigarette.vape": "fail"}
