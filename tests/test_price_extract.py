import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ecomcheck.extract.price import (
    NEAR_PRICE_CHARS,
    PriceValue,
    find_hidden_price,
    find_prices,
    parse_price,
    price_slot_placeholder,
    scan_prices,
    tax_shipping_note,
)
from ecomcheck.text.normalize import normalize

# --- parse_price ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("150.000đ", 150_000),
        ("150.000 ₫", 150_000),
        ("₫150,000", 150_000),
        ("1.250.000 VND", 1_250_000),
        ("1.250.000 VNĐ", 1_250_000),
        ("1,250,000đ", 1_250_000),
        ("150 000 ₫", 150_000),
        ("150.000 đồng", 150_000),
        ("150.000,00 đ", 150_000),
        ("150.000d", 150_000),
        ("150k", 150_000),
        ("150K", 150_000),
        ("150.5k", 150_500),
        ("150 nghìn", 150_000),
        ("1tr2", 1_200_000),
        ("1tr250", 1_250_000),
        ("1.5tr", 1_500_000),
        ("1,5 triệu", 1_500_000),
        ("2 triệu", 2_000_000),
        ("1 triệu 2", 1_200_000),
        ("2 củ", 2_000_000),
        ("1,2 tỷ đồng", 1_200_000_000),
        ("150.000đ/hộp", 150_000),
    ],
)
def test_parse_vnd(text: str, amount: int) -> None:
    assert parse_price(text) == PriceValue(amount, "VND", False)


def test_parse_label_without_currency_infers_vnd() -> None:
    assert parse_price("Giá: 389.000") == PriceValue(389_000, "VND", True)
    assert parse_price("Giá bán: 1.290.000") == PriceValue(1_290_000, "VND", True)
    assert parse_price("Giá: 389.000đ") == PriceValue(389_000, "VND", False)


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("$19.99", Decimal("19.99"), "USD"),
        ("19.99$", Decimal("19.99"), "USD"),
        ("19.99 USD", Decimal("19.99"), "USD"),
        ("US$ 1,299.99", Decimal("1299.99"), "USD"),
        ("20 đô", Decimal("20.00"), "USD"),
        ("€15", Decimal("15.00"), "EUR"),
    ],
)
def test_parse_other_currencies(text: str, amount: Decimal, currency: str) -> None:
    value = parse_price(text)
    assert value is not None
    assert (value.amount, value.currency) == (amount, currency)


@pytest.mark.parametrize(
    "text", ["", "abc", "Giá: 5", "5d", "liên hệ", "150.000đ và 200.000đ", "1.2345.000đ"]
)
def test_parse_rejects(text: str) -> None:
    assert parse_price(text) is None


def test_parse_zero() -> None:
    assert parse_price("0đ") == PriceValue(0, "VND", False)


# --- find_prices ------------------------------------------------------------------------


def test_find_prices_with_offsets() -> None:
    text = "Áo thun nam\nGiá: 389.000\nGiá gốc 450.000đ, giảm còn 1tr2 hoặc $19.99"
    got = [(p.text, p.value.amount, p.value.currency) for p in find_prices(text)]
    assert got == [
        ("389.000", 389_000, "VND"),
        ("450.000đ", 450_000, "VND"),
        ("1tr2", 1_200_000, "VND"),
        ("$19.99", Decimal("19.99"), "USD"),
    ]
    for p in find_prices(text):
        assert text[p.start : p.end] == p.text


@pytest.mark.parametrize(
    "text",
    [
        "Đã bán 5k+",
        "5k lượt xem",
        "Tivi Samsung 4K 55 inch",
        "Màn hình 4k UHD",
        "Pin 5000 mAh",
        "Hotline 0909 123 456",
        "Model KX-TS500MX",
        "Giảm 27%",
        "Bảo hành 12 tháng",
        "Nghỉ 5d",
        "Ví Da Bò Thật Kiểu Đứng VND22",
        "Đánh giá 4.8 683 Đã bán",
    ],
)
def test_find_prices_look_alikes(text: str) -> None:
    assert find_prices(text) == []


def test_find_prices_keeps_zero() -> None:
    (p,) = find_prices("Giá: 0đ")
    assert p.value.amount == 0


# --- hidden prices ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "entry", "kind", "explicit"),
    [
        ("ib giá", "inbox_price", "hidden", True),
        ("Inbox giá sỉ", "inbox_price", "hidden", True),
        ("IB để biết giá", "inbox_price", "hidden", True),
        ("Nhắn tin để biết giá", "inbox_price", "hidden", True),
        ("Liên hệ để biết giá", "inbox_price", "hidden", True),
        ("Giá: liên hệ", "price_contact", "hidden", True),
        ("Giá liên hệ", "price_contact", "hidden", True),
        ("Giá: LH 0909 123 456", "price_contact", "hidden", True),
        ("giá sỉ ib", "price_contact", "hidden", True),
        ("Giá: Call", "price_contact", "hidden", True),
        ("giá tốt nhất liên hệ", "price_contact", "hidden", True),
        ("Contact for price", "contact_for_price", "hidden", True),
        ("Price on request", "contact_for_price", "hidden", True),
        ("Giá: 0đ", "zero_price", "hidden", True),
        ("0₫", "zero_price", "hidden", True),
        ("check ib nhé", "check_inbox", "hidden", False),
        ("ib mình nhé", "inbox", "hidden", False),
        ("inbox", "inbox", "hidden", False),
        ("Báo giá", "quote", "quote", True),
        ("Nhận báo giá", "quote", "quote", True),
        ("Yêu cầu báo giá thi công", "quote", "quote", True),
        ("Liên hệ báo giá", "quote", "quote", True),
    ],
)
def test_hidden_price(text: str, entry: str, kind: str, explicit: bool) -> None:
    (h,) = find_hidden_price(text)
    assert (h.entry, h.kind, h.explicit) == (entry, kind, explicit)
    assert text[h.start : h.end] == h.text
    assert not h.near_price


@pytest.mark.parametrize(
    "text",
    [
        "Liên hệ",
        "Trang chủ\nSản phẩm\nLiên hệ\nGiỏ hàng",
        "Thông tin liên hệ: 0909 123 456",
        "LH 0909123456 để đặt hàng",
        "Thuốc Ibuprofen 400mg",
        "Khách sạn Ibis Saigon",
        "Chương trình IB quốc tế",
        "Phí ship: 0đ",
        "Freeship, phí vận chuyển 0đ",
        "Trả góp 0đ",
        "Giảm 100.000đ",
    ],
)
def test_hidden_price_look_alikes(text: str) -> None:
    assert find_hidden_price(text) == []


def test_inbox_for_advice_near_a_price() -> None:
    (h,) = find_hidden_price("Inbox để được tư vấn size. Giá 150.000đ")
    assert (h.entry, h.explicit, h.near_price) == ("inbox", False, True)
    (h,) = find_hidden_price("inbox để được tư vấn size")
    assert not h.near_price


def test_near_price_distance() -> None:
    pad = "x" * (NEAR_PRICE_CHARS + 5)
    (h,) = find_hidden_price(f"ib giá {pad} 150.000đ")
    assert not h.near_price
    (h,) = find_hidden_price("ib giá sỉ, giá lẻ 150.000đ")
    assert h.near_price


# --- tax and shipping -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Giá đã bao gồm VAT", [("tax", True)]),
        ("Giá chưa bao gồm thuế", [("tax", False)]),
        ("Giá: 1.200.000đ (chưa VAT)", [("tax", False)]),
        ("1.200.000đ + VAT", [("tax", False)]),
        ("Price includes VAT", [("tax", True)]),
        ("VAT included", [("tax", True)]),
        ("Giá đã gồm phí vận chuyển", [("shipping", True)]),
        ("Giá chưa gồm phí ship", [("shipping", False)]),
        ("Phí ship tính riêng", [("shipping", False)]),
        ("Miễn phí vận chuyển toàn quốc", [("shipping", True)]),
        ("Freeship đơn từ 300k", [("shipping", True)]),
        ("Đã bao gồm thuế VAT và phí vận chuyển", [("tax", True), ("shipping", True)]),
        ("chưa nhận được hàng, ship lại giúp em", []),
        ("Shop đã ship hàng cho khách", []),
        ("Thuế nhập khẩu do khách chịu", []),
    ],
)
def test_tax_shipping(text: str, expected: list[tuple[str, bool]]) -> None:
    notes = tax_shipping_note(text)
    assert [(n.topic, n.includes) for n in notes] == expected
    for n in notes:
        assert text[n.start : n.end] == n.text


def test_tiki_boilerplate_tax_and_shipping() -> None:
    text = (
        "Giá sản phẩm trên Tiki đã bao gồm thuế theo luật hiện hành. Bên cạnh đó, tuỳ vào "
        "loại sản phẩm, hình thức và địa chỉ giao hàng mà có thể phát sinh thêm chi phí khác "
        "như phí vận chuyển, phụ phí hàng cồng kềnh, thuế nhập khẩu"
    )
    notes = tax_shipping_note(text)
    assert [(n.topic, n.includes) for n in notes] == [("tax", True), ("shipping", False)]
    assert [n.entry for n in notes] == ["included", "excluded"]


def test_free_shipping_entry() -> None:
    (n,) = tax_shipping_note("FREESHIP toàn quốc")
    assert n.entry == "free_shipping"


# --- properties -------------------------------------------------------------------------

_PIECES = [
    "150.000", "đ", "₫", "k", "tr", "triệu", " ", "\n", "Giá", ":", "ib", "inbox", "liên hệ",
    "0", "1", ",", ".", "$", "VAT", "chưa", "đã bao gồm", "ship", "\u0301", "\u200b", "İ",
]  # fmt: skip
_text = st.one_of(
    st.text(max_size=60), st.lists(st.sampled_from(_PIECES), max_size=14).map("".join)
)
_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(_text)
@example("Giá: 0đ\u0301")
@example("1" * 40 + "đ")
def test_price_functions_never_raise_and_offsets_are_sound(text: str) -> None:
    for p in find_prices(text):
        assert 0 <= p.start < p.end <= len(text)
        assert text[p.start : p.end] == p.text and p.text
    for h in find_hidden_price(text):
        assert 0 <= h.start < h.end <= len(text)
        assert text[h.start : h.end] == h.text
    for n in tax_shipping_note(text):
        assert 0 <= n.start < n.end <= len(text)
        assert text[n.start : n.end] == n.text
    parse_price(text)


@_SETTINGS
@given(_text)
@example("Giá: ib\n150k\nx" * 3)
def test_scan_prices_is_find_prices_and_find_hidden_price(text: str) -> None:
    assert scan_prices(text) == (find_prices(text), find_hidden_price(text))


@_SETTINGS
@given(st.lists(_text, max_size=5).map("\n".join))
def test_reading_lines_together_or_apart_agrees(text: str) -> None:
    # Several lines are normalised in one call; each line alone must give the same.
    pos = 0
    together = find_prices(text)
    apart = []
    for line in text.split("\n"):
        apart += [(p.value, p.start + pos, p.end + pos) for p in find_prices(line)]
        pos += len(line) + 1
    assert [p.value for p in together] == [v for v, _, _ in apart]
    for p, (_, start, end) in zip(together, apart, strict=True):
        # The two ways may cut a character cluster at different ends.
        assert (p.start, p.end) == (start, end) or not text[p.start : end + 1].isascii()
        assert text[p.start : p.end] == p.text and "\n" not in p.text


# --- price slots ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "entry", "matched"),
    [
        ("Liên hệ", "price_slot", "Liên hệ"),
        ("  LIÊN HỆ ", "price_slot", "LIÊN HỆ"),
        ("Giá: Liên hệ", "price_slot", "Giá: Liên hệ"),
        ("LH", "price_slot", "LH"),
        ("Call", "price_slot", "Call"),
        ("Gọi ngay", "price_slot", "Gọi ngay"),
        ("Liên hệ / Zalo", "price_slot", "Liên hệ / Zalo"),
        ("Liên hệ: 0909 123 456", "price_slot", "Liên hệ: 0909 123 456"),
        ("(Liên hệ)", "price_slot", "Liên hệ"),
        ("Thỏa thuận", "price_slot", "Thỏa thuận"),
        ("Đang cập nhật", "price_slot", "Đang cập nhật"),
        ("Price on request", "price_slot", "Price on request"),
        ("0₫", "zero_price", "0₫"),
        ("Giá: 0đ", "zero_price", "Giá: 0đ"),
    ],
)
def test_price_slot_placeholder(text: str, entry: str, matched: str) -> None:
    h = price_slot_placeholder(text)
    assert h is not None and (h.kind, h.entry, h.explicit) == ("hidden", entry, True)
    assert text[h.start : h.end] == h.text == matched


@pytest.mark.parametrize(
    "text",
    ["150.000đ", "Liên hệ với chúng tôi", "Chi tiết", "Hết hàng", "Xem thêm", "", "Liên hệ " * 20],
)
def test_price_slot_placeholder_look_alikes(text: str) -> None:
    assert price_slot_placeholder(text) is None


_TAXSHIP_PIECES = [
    "Giao hàng", "GIAO", "ship", "Miễn phí", "thuế", "VAT", "đã bao gồm", "chưa", "tính riêng",
    "+", " ", "  ", "\n", "\t", "hoá", "khoẻ", "quý", "xoá", "\u00a0", "€", "😀", "™", "ı", "Ð",
    "\u0301", "\u200b", "İ", "a", "0đ", ":",
]  # fmt: skip
_taxship_text = st.lists(
    st.one_of(st.sampled_from(_TAXSHIP_PIECES), st.text(max_size=8)), max_size=20
).map("".join)


@_SETTINGS
@given(_taxship_text)
@example("Giao hàng\nĐã bao gồm VAT\nx\u0301 ship miễn phí\nship free")
def test_lines_with_words_are_split_lines_that_hold_them(text: str) -> None:
    # Only the lines holding the words are normalised (when the text allows): each must
    # read, and map back, as when all lines are normalised together.
    from ecomcheck.extract.price import _TAXSHIP_HINT, _TAXSHIP_WORDS
    from ecomcheck.text.lines import Line, lines_with, split_lines

    def holds(text: str) -> bool:
        return all(any(w in text for w in group) for group in _TAXSHIP_WORDS)

    def view(lines: list[Line]) -> list[tuple[int, str, str, list[tuple[int, int]]]]:
        return [
            (ln.start, ln.original, ln.text, [ln.span(i, j) for i in range(len(ln.text) + 1)
                                              for j in range(i, len(ln.text) + 1)])
            for ln in lines
        ]  # fmt: skip

    every = [ln for ln in split_lines(text, keep=_TAXSHIP_HINT) if holds(ln.text)]
    assert view(lines_with(text, _TAXSHIP_WORDS, keep=_TAXSHIP_HINT)) == view(every)


@_SETTINGS
@given(_taxship_text, st.sampled_from([(("ship", "giao"),), (("ship",), ("gồm", "ship")), ((),)]))
@example("ship\nship giao\n", (("ship", "giao"),))
def test_lines_with_other_groups(text: str, groups: tuple[tuple[str, ...], ...]) -> None:
    # Overlapping groups, one group, an empty group: the one-scan search picks the lines
    # that hold a word of each group, as testing every line would.
    from ecomcheck.text.lines import lines_with, split_lines

    def holds(text: str) -> bool:
        return all(any(w in text for w in group) for group in groups)

    every = [(ln.start, ln.text) for ln in split_lines(text) if holds(ln.text)]
    keep = re.compile("")
    assert [(ln.start, ln.text) for ln in lines_with(text, groups, keep=keep)] == every


_HIDDEN_PIECES = [
    "giá", "ib", "inbox", "inb", " ", "liên hệ", "báo giá", "check", "price", "on request",
    "contact us for price", "quote", "0đ", "Giá: ", "0", "\n", "-", "lh", "trường",
]  # fmt: skip


@_SETTINGS
@given(st.lists(st.one_of(st.sampled_from(_HIDDEN_PIECES), st.text(max_size=4)), max_size=14))
def test_hidden_gates_skip_only_patterns_that_cannot_match(pieces: list[str]) -> None:
    # Each pattern is run only on lines holding a word it needs: that word must be in
    # every match it can make.
    from ecomcheck.extract.price import _HIDDEN, _HIDDEN_NEEDS

    text = normalize("".join(pieces)).text
    for entry, _, _, pattern in _HIDDEN:
        for m in pattern.finditer(text):
            assert any(w in m.group() for w in _HIDDEN_NEEDS[entry])
