"""Contact facts: phones, e-mails, online contacts, addresses."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecomcheck.extract.contacts import (
    ContactFacts,
    classify_online_url,
    extract_contacts,
)


def _assert_offsets(text: str, facts: ContactFacts) -> None:
    for group in (facts.phones, facts.emails, facts.online):
        for item in group:
            if item.source == "text":
                assert item.start is not None and item.end is not None
                assert text[item.start : item.end] == item.raw
            else:
                assert item.start is None and item.end is None and item.href is not None
    for a in facts.addresses:
        assert text[a.start : a.end] == a.raw


# Haravan/Sapo-like footer: blocks as a text extractor emits them.
HARAVAN = """THỜI TRANG XINH
Địa chỉ: 123 Nguyễn Huệ, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh
Hotline: 0913 456 789 - 028 3822 1234
Email: cskh@thoitrangxinh.vn
© Bản quyền thuộc về Thời Trang Xinh | Cung cấp bởi Haravan"""


def test_haravan_footer() -> None:
    facts = extract_contacts(HARAVAN, ["https://zalo.me/0913456789", "tel:0913456789"])
    _assert_offsets(HARAVAN, facts)
    assert [(p.raw, p.kind) for p in facts.phones] == [
        ("0913 456 789", "mobile"),
        ("028 3822 1234", "landline"),
    ]
    assert [e.address for e in facts.emails] == ["cskh@thoitrangxinh.vn"]
    assert [(o.kind, o.handle) for o in facts.online] == [("zalo", "0913456789")]
    (addr,) = facts.addresses
    assert addr.label == "Địa chỉ"
    assert addr.raw == "123 Nguyễn Huệ, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh"
    assert facts.has_valid_phone and facts.has_contact_method


SAPO = """Cửa hàng Mẹ và Bé An Nhiên
Showroom 1: 45 Lê Lợi, Q.1, TP.HCM - Showroom 2: 78 Trần Hưng Đạo, Hoàn Kiếm, Hà Nội
Kho hàng: Lô B2, KCN Tân Bình, Quận Tân Phú, TP.HCM
ĐT/Zalo: 0988.123.456 | Tổng đài CSKH: 1900 6035
Giờ mở cửa: 8h - 22h"""


def test_sapo_footer_with_several_addresses() -> None:
    facts = extract_contacts(SAPO)
    _assert_offsets(SAPO, facts)
    assert [(a.label, a.raw) for a in facts.addresses] == [
        ("Showroom 1", "45 Lê Lợi, Q.1, TP.HCM"),
        ("Showroom 2", "78 Trần Hưng Đạo, Hoàn Kiếm, Hà Nội"),
        ("Kho hàng", "Lô B2, KCN Tân Bình, Quận Tân Phú, TP.HCM"),
    ]
    assert [(p.national, p.kind, p.labelled) for p in facts.phones] == [
        ("0988123456", "mobile", True),
        ("19006035", "hotline", True),
    ]


WOO = """Về chúng tôi
Trụ sở chính: Tầng 5, Tòa nhà Vincom, 72 Lê Thánh Tôn, Phường Bến Nghé, Quận 1, TP.HCM
Văn phòng Hà Nội: Số 50 Phố Huế, Quận Hai Bà Trưng, Hà Nội
Điện thoại: (024) 3974 3410 • Email: info@shop.vn
Theo dõi chúng tôi trên Facebook"""


def test_woocommerce_footer() -> None:
    hrefs = [
        "https://www.facebook.com/shopvn",
        "https://www.facebook.com/sharer/sharer.php?u=https://shop.vn",
        "https://m.me/shopvn",
        "mailto:info@shop.vn",
        "mailto:sales@Shop.VN?subject=Hi",
        "https://embed.tawk.to/5f0/default",
        "https://shop.vn/gioi-thieu",
    ]
    facts = extract_contacts(WOO, hrefs)
    _assert_offsets(WOO, facts)
    assert [a.label for a in facts.addresses] == ["Trụ sở chính", "Văn phòng Hà Nội"]
    assert [p.e164 for p in facts.phones] == ["+842439743410"]
    assert [(e.address, e.source) for e in facts.emails] == [
        ("info@shop.vn", "text"),
        ("sales@shop.vn", "href"),
    ]
    assert [(o.kind, o.handle) for o in facts.online] == [
        ("facebook", "shopvn"),
        ("messenger", "shopvn"),
        ("chat_widget", "embed.tawk.to"),
    ]


def test_english_shop() -> None:
    text = (
        "Contact us\nHead office: 12 Ly Thuong Kiet Street, Hoan Kiem District, Hanoi\n"
        "Phone: +84 24 3974 3410 | Hotline: 1800 6868 | WhatsApp: wa.me/84913456789\n"
        "Email: hello@vietshop.com"
    )
    facts = extract_contacts(text)
    _assert_offsets(text, facts)
    assert [a.raw for a in facts.addresses] == [
        "12 Ly Thuong Kiet Street, Hoan Kiem District, Hanoi"
    ]
    assert [p.kind for p in facts.phones] == ["landline", "hotline"]
    assert [(o.kind, o.handle) for o in facts.online] == [("whatsapp", "84913456789")]


def test_all_caps_footer() -> None:
    text = "ĐỊA CHỈ: 12 LÊ LỢI, PHƯỜNG 4, QUẬN GÒ VẤP, TP.HCM. ĐT: 028 3822 1234. EMAIL: A@B.VN"
    facts = extract_contacts(text)
    _assert_offsets(text, facts)
    assert [a.raw for a in facts.addresses] == ["12 LÊ LỢI, PHƯỜNG 4, QUẬN GÒ VẤP, TP.HCM"]
    assert [p.kind for p in facts.phones] == ["landline"]
    assert [e.address for e in facts.emails] == ["A@b.vn"]


@pytest.mark.parametrize("label", ["Đ/c", "ĐC", "Địa chỉ", "Address", "Trụ sở", "Cửa hàng"])
def test_address_labels(label: str) -> None:
    text = f"{label}: 25 Trần Phú, Phường Điện Biên, Quận Ba Đình, Hà Nội - Hotline 0913456789"
    (addr,) = extract_contacts(text).addresses
    assert (addr.label, addr.raw) == (label, "25 Trần Phú, Phường Điện Biên, Quận Ba Đình, Hà Nội")


def test_address_value_on_the_next_block() -> None:
    text = "Địa chỉ:\nSố 50, Xóm Sen, Xã Võng Xuyên, Huyện Phúc Thọ, TP. Hà Nội"
    (addr,) = extract_contacts(text).addresses
    assert addr.raw.startswith("Số 50") and addr.label == "Địa chỉ"


def test_unlabelled_address_lines() -> None:
    text = (
        "Công ty TNHH ABC\n"
        "Tầng 5, Tòa nhà A, Lô D.01, Đường Tân Thuận, Phường Tân Thuận Đông, Quận 7, "
        "Thành phố Hồ Chí Minh\n"
        "Shop ABC - 88 Hai Bà Trưng, P. Bến Nghé, Q.1, TP.HCM - 0913 456 789"
    )
    facts = extract_contacts(text)
    _assert_offsets(text, facts)
    assert [(a.label, a.raw[:12]) for a in facts.addresses] == [
        (None, "Tầng 5, Tòa "),
        (None, "88 Hai Bà Tr"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Giao hàng miễn phí tại 12 quận nội thành TP.HCM và Hà Nội",
        "Địa chỉ email: hello@shop.vn",
        "Địa chỉ giao hàng:",
        "Văn phòng phẩm giá rẻ tại Hà Nội",
        "Mạng xã hội lớn nhất tỉnh",
        "Cửa hàng mở cửa 8h-22h",
    ],
)
def test_not_addresses(text: str) -> None:
    assert extract_contacts(text).addresses == ()


def test_no_contact_at_all() -> None:
    text = "Áo thun cotton 100%, size S-M-L. Giá 150.000đ. Mã SP 874809-730."
    facts = extract_contacts(text)
    assert facts == ContactFacts()
    assert not facts.has_contact_method


def test_retired_mobile() -> None:
    facts = extract_contacts("Hotline: 0168 123 4567")
    (p,) = facts.phones
    assert (p.kind, p.successor, p.valid) == ("retired", "+84381234567", False)
    assert not facts.has_valid_phone


def test_hotline_1900() -> None:
    (p,) = extract_contacts("Tổng đài hỗ trợ 1900 6035 (1.000đ/phút)").phones
    assert (p.national, p.kind) == ("19006035", "hotline")


def test_phone_like_numbers_do_not_count() -> None:
    text = (
        "MST: 0303217354\nMã số thuế: 0359888777\nSKU 874809-730, giá 150.000đ, "
        "1.290.000₫\nMã đơn hàng #0912345678\nSTK 0011004123456 Vietcombank\n"
        "Số tài khoản: 0913456789"
    )
    facts = extract_contacts(text)
    assert facts.phones == ()


def test_tel_and_mailto_hrefs() -> None:
    facts = extract_contacts(
        "",
        ["tel:+84-913-456-789", "tel:01681234567", "sms:0988123456", "mailto:logo@2x.png"],
    )
    assert [(p.e164, p.kind, p.source) for p in facts.phones] == [
        ("+84913456789", "mobile", "href"),
        ("+841681234567", "retired", "href"),
        ("+84988123456", "mobile", "href"),
    ]
    assert facts.emails == ()
    _assert_offsets("", facts)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://zalo.me/0913456789", ("zalo", "0913456789")),
        ("https://oa.zalo.me/home", ("zalo", "home")),
        ("https://m.me/shopabc", ("messenger", "shopabc")),
        ("https://www.messenger.com/t/shopabc", ("messenger", "shopabc")),
        ("https://www.facebook.com/messages/t/12345", ("messenger", "12345")),
        ("https://fb.com/shopabc", ("facebook", "shopabc")),
        ("https://web.facebook.com/profile.php?id=1000", ("facebook", "1000")),
        ("https://wa.me/84913456789", ("whatsapp", "84913456789")),
        ("https://api.whatsapp.com/send?phone=84913456789", ("whatsapp", "84913456789")),
        ("https://t.me/shopabc", ("telegram", "shopabc")),
        ("https://www.instagram.com/shopabc/", ("instagram", "shopabc")),
        ("https://embed.tawk.to/abc/default", ("chat_widget", "embed.tawk.to")),
        ("https://www.livechat.com/chat-with/123/", ("chat_widget", "livechat.com")),
        ("https://widget.subiz.net/x", ("chat_widget", "widget.subiz.net")),
        ("skype:shopabc?chat", ("skype", "shopabc")),
        ("viber://chat?number=84913456789", ("viber", "84913456789")),
        ("https://www.facebook.com/sharer/sharer.php?u=x", None),
        ("https://www.facebook.com/", None),
        ("https://zalo.me/", None),
        ("https://t.me/share/url?url=x", None),
        ("https://www.instagram.com/p/abc/", None),
        ("https://shopee.vn/shop", None),
        ("not a url", None),
    ],
)
def test_classify_online_url(url: str, expected: tuple[str, str | None] | None) -> None:
    assert classify_online_url(url) == expected


def test_online_urls_in_text() -> None:
    text = "Nhắn tin: zalo.me/0913456789 hoặc m.me/shopabc; fanpage: https://fb.com/shopabc."
    facts = extract_contacts(text, ["https://fb.com/shopabc"])
    _assert_offsets(text, facts)
    assert [(o.kind, o.raw) for o in facts.online] == [
        ("zalo", "zalo.me/0913456789"),
        ("messenger", "m.me/shopabc"),
        ("facebook", "https://fb.com/shopabc"),
    ]


def test_decomposed_text() -> None:
    nfd = unicodedata.normalize("NFD", HARAVAN)
    facts = extract_contacts(nfd)
    _assert_offsets(nfd, facts)
    assert len(facts.addresses) == 1 and len(facts.phones) == 2


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Địa chỉ: ", "12 Lê Lợi", ", Quận 1", ", TP.HCM", "\n", " - ", "Hotline ",
                "0913 456 789", "a@b.vn", "zalo.me/09", "Showroom 1:", "İ", "o\u0302\u0301",
                "Phường 4", "MST:", "0106773786", "|", "1900 6035",
            ]
        ),
        max_size=25,
    ).map("".join)
)  # fmt: skip
def test_never_raises_and_offsets_hold(text: str) -> None:
    _assert_offsets(text, extract_contacts(text, ["tel:" + text[:15], text[:30]]))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200), st.lists(st.text(max_size=40), max_size=3))
def test_arbitrary_text(text: str, hrefs: list[str]) -> None:
    _assert_offsets(text, extract_contacts(text, hrefs))


_HREF_SCHEMES = [
    "", " ", "tel:", "TEL:", "sms:", "mailto:", "skype:", "viber://chat?number=", "zalo:",
    "whatsapp://send?phone=", "https://", "https://www.", "/",
]  # fmt: skip
_HREF_BODIES = [
    "0913456789", "a@b.vn", "zalo.me/0913456789", "m.me/shop", "fb.com/shop", "t.me/shop",
    "facebook.com/sharer.php", "wa.me/84913456789", "tawk.to/chat", "shop.vn/products/1",
    "İx", "\u212aa", "",
]  # fmt: skip
_HREFS = st.tuples(st.sampled_from(_HREF_SCHEMES), st.sampled_from(_HREF_BODIES)).map("".join)


def _without_prefilter(hrefs: list[str]) -> ContactFacts:
    from ecomcheck.extract import contacts

    real = contacts._hrefs_to_classify
    try:
        contacts._hrefs_to_classify = lambda h: h  # type: ignore[assignment]
        return contacts.extract_contacts("", hrefs)
    finally:
        contacts._hrefs_to_classify = real  # type: ignore[assignment]


@pytest.mark.parametrize("scheme", _HREF_SCHEMES)
def test_href_prefilter_each_kind(scheme: str) -> None:
    """Each kind of contact link is still found among many plain links."""
    for body in _HREF_BODIES:
        hrefs = [f"/products/{i}" for i in range(10)] + [scheme + body]
        assert extract_contacts("", hrefs) == _without_prefilter(hrefs)


@settings(max_examples=300, deadline=None)
@given(st.lists(_HREFS | st.text(max_size=12), min_size=4, max_size=30))
def test_href_prefilter_keeps_every_contact(hrefs: list[str]) -> None:
    """Skipping hrefs without a contact marker must not change the result."""
    assert extract_contacts("", hrefs) == _without_prefilter(hrefs)
