import unicodedata

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ecomcheck.text.normalize import NormalizedText, fold, normalize, normalize_term

# Text biased towards the characters normalisation cares about, plus anything at all.
_SPECIAL = (
    "aăâeêioôơuưyđ AĂÂEÊIOÔƠUƯYĐ qhkt"
    "àáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ"
    "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b"
    "\u200b\u200d\u2060\ufeff\u00ad\u202e\u2067\u00a0\u3000\t\n\r  "
    "ÐðƉаеорсхуіѕјԁոνοαρτκιΣİı"
    "АВЕКМНОРСТХІΑΒΕΗΚΜΝΡΤΥΧвнтмμ"
    "ＶＡＰＥａ０！"
    ".-_*·'`|/~@$!0134579"
)
_text = st.one_of(
    st.text(alphabet=st.sampled_from(_SPECIAL), max_size=40),
    st.text(max_size=40),
    st.lists(st.sampled_from(["hoá", "hòa", "quý", "uý", "thuỷ", "khoẻ", "oà", "n", " ", "q"])).map(
        "".join
    ),
)
_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _spans(n: int) -> list[tuple[int, int]]:
    """All spans of short texts; a grid plus every single character for longer ones."""
    step = max(1, n // 16)
    grid = {(i, j) for i in range(0, n + 1, step) for j in range(i, n + 1, step)}
    return sorted(grid | {(i, i + 1) for i in range(n)} | {(0, n)})


# --- properties ---------------------------------------------------------------------


@_SETTINGS
@given(_text)
@example("e\u200b\u0301")
@example("ΑΣ Σ")
@example("\ud800x")
@example("hoán quý")
def test_normalize_is_idempotent(s: str) -> None:
    once = normalize(s).text
    assert normalize(once).text == once
    assert unicodedata.is_normalized("NFC", once)


@_SETTINGS
@given(_text)
@example("hoán")
@example("quý")
@example("hoá\u200bn")
@example(unicodedata.normalize("NFD", "Thuốc LÁ hoá"))
def test_offsets_round_trip(s: str) -> None:
    nt = normalize(s)
    n = len(nt.text)
    spans = _spans(n)
    prev: tuple[int, int] | None = None
    for i, j in spans:
        a, b = nt.to_original(i, j)
        assert 0 <= a <= b <= len(s)
        if i == j:
            continue
        piece = nt.text[i:j].strip(" ")
        assert piece in normalize(nt.original_slice(i, j)).text
    # Monotone in both ends.
    for i in range(n + 1):
        cur = nt.to_original(i, n)
        if prev is not None:
            assert cur[0] >= prev[0]
        prev = cur
    ends = [nt.to_original(0, j)[1] for j in range(n + 1)]
    assert ends == sorted(ends)


@_SETTINGS
@given(st.text(max_size=60))
def test_fold_never_raises_and_is_idempotent(s: str) -> None:
    once = fold(s)
    assert fold(once) == once
    norm = normalize(s).text
    assert len(fold(norm)) == len(norm)


# --- examples -----------------------------------------------------------------------


def test_nfd_input_composes_and_maps_back() -> None:
    src = unicodedata.normalize("NFD", "Mua thuốc lá")
    nt = normalize(src)
    assert nt.text == "mua thuốc lá"
    i = nt.text.index("thuốc")
    assert nt.original_slice(i, i + len("thuốc")) == unicodedata.normalize("NFD", "thuốc")
    a, b = nt.to_original(i, i + 5)
    assert (a, b) == (4, 4 + len(unicodedata.normalize("NFD", "thuốc")))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("HOÁ", "hóa"),
        ("hoá", "hóa"),
        ("thuỷ", "thủy"),
        ("khoẻ", "khỏe"),
        ("oà", "òa"),
        ("uý", "úy"),
        ("hoá chất", "hóa chất"),
        ("Hoà.", "hòa."),
    ],
)
def test_tone_placement_is_unified(old: str, new: str) -> None:
    assert normalize(old).text == new
    assert normalize(new).text == new


@pytest.mark.parametrize("word", ["hoàn", "thuyền", "khuya", "quý", "quỳ", "hoạt", "toán", "khoản"])
def test_tone_placement_leaves_other_syllables(word: str) -> None:
    assert normalize(word).text == word


def test_tone_swap_maps_to_both_vowels() -> None:
    nt = normalize("Hoá đơn")
    assert nt.text == "hóa đơn"
    assert nt.original_slice(0, 3) == "Hoá"
    assert nt.original_slice(1, 2) == "oá"


def test_eth_lookalike() -> None:
    assert normalize("\u00d0iện thoại").text == "điện thoại"
    assert normalize("\u0189iện").text == "điện"
    assert normalize("ðiện").text == "điện"


def test_cyrillic_and_greek_lookalikes() -> None:
    nt = normalize("v\u0430pe")
    assert nt.text == "vape"
    assert nt.original_slice(0, 4) == "v\u0430pe"
    assert normalize("\u0440\u03bfd").text == "pod"


@pytest.mark.parametrize(
    ("src", "out"),
    [
        ("КЕТАМІNЕ", "ketamine"),  # Cyrillic К Е Т А М І Е with a Latin N
        ("ΜDMA", "mdma"),  # Greek capital mu
        ("Cart ТНС", "cart thc"),  # Cyrillic Т Н С
        ("SALT ΝIC", "salt nic"),  # Greek capital nu is an N, not a v
        ("ΥΑΝG", "yang"),  # Greek capital upsilon is a Y, not a u
        ("ВАРЕ", "bape"),  # Cyrillic В is a B by its shape
        ("ѴАРЕ", "vape"),  # Cyrillic izhitsa is the V look-alike
    ],
)
def test_capital_lookalikes_map_by_their_capital_shape(src: str, out: str) -> None:
    nt = normalize(src)
    assert nt.text == out
    assert nt.original_slice(0, len(out)) == src
    assert normalize(out).text == out


def test_lower_case_cyrillic_and_greek_keep_their_shape() -> None:
    # Lower-case в н т м and ν υ do not look like b h t m and n y: they stay or
    # map by their own shape, so genuine Russian text is not made Latin wholesale.
    assert normalize("вн тм").text == "вн тм"
    assert normalize("ν υ").text == "v u"
    assert normalize("СОК томатный").text == "cok тoмaтный"


def test_full_width() -> None:
    nt = normalize("ＶＡＰＥ ＧＩÁ ＲẺ！")
    assert nt.text == "vape giá rẻ!"
    assert nt.original_slice(0, 4) == "ＶＡＰＥ"


def test_zero_width_inside_word() -> None:
    src = "bán cầ\u200bn sa"
    nt = normalize(src)
    assert nt.text == "bán cần sa"
    i = nt.text.index("cần sa")
    assert nt.original_slice(i, i + 6) == "cầ\u200bn sa"


def test_bidi_and_word_joiner_removed() -> None:
    assert normalize("a\u202eb\u2066c\u2060d\ufeffe").text == "abcde"


def test_soft_hyphen() -> None:
    nt = normalize("thuốc\u00adlá")
    assert nt.text == "thuốclá"
    assert nt.original_slice(0, len(nt.text)) == "thuốc\u00adlá"


def test_nbsp_and_whitespace_runs() -> None:
    nt = normalize("thuốc\u00a0lá \t\n điện\u3000tử")
    assert nt.text == "thuốc lá điện tử"
    assert nt.original_slice(5, 6) == "\u00a0"
    assert nt.original_slice(8, 9) == " \t\n "


def test_leading_and_trailing_whitespace_collapse() -> None:
    assert normalize("  a  ").text == " a "
    assert normalize_term("  Thuốc   LÁ ") == "thuốc lá"


def test_identity_shortcut_and_lowercase() -> None:
    nt = normalize("Mua Ngay")
    assert nt.text == "mua ngay"
    assert nt.to_original(4, 8) == (4, 8)
    assert nt.original_slice(4, 8) == "Ngay"


def test_special_lowercase_stays_one_to_one() -> None:
    assert normalize("İSTANBUL").text == "istanbul"
    assert normalize("ΟΔΟΣ").text == normalize("οδοσ").text


def test_to_original_clamps() -> None:
    nt = normalize("abc")
    assert nt.to_original(-5, 99) == (0, 3)
    assert nt.to_original(2, 1) == (2, 2)
    assert nt.original_slice(3, 3) == ""


def test_never_raises_on_odd_input() -> None:
    for s in ["", "\ud800", "\x00\x01", "😀🚭", "\u0301", "\u1100\u1161\u11a8", "x" * 5000]:
        assert isinstance(normalize(s), NormalizedText)


def test_fold() -> None:
    assert fold("thuốc lá điện tử") == "thuoc la dien tu"
    assert fold("đường ươn ăn ân êm ôm") == "duong uon an an em om"
    assert fold("ĐƯỜNG") == "DUONG"
    assert fold(fold("hàng giả")) == "hang gia"
