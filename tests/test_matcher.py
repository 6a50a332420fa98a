import random
import re
import unicodedata
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecomcheck.text.matcher import (
    TermHit,
    TermMatcher,
    TermSpec,
    _decoration_edits,
    _decoration_starts,
)
from ecomcheck.text.normalize import fold, normalize

SPECS = [
    TermSpec(
        "ecig", ("thuốc lá điện tử", "thuốc lá", "vape"), fold=True, exclude_any=("jumbo vape",)
    ),
    TermSpec("pod", ("pod",), require_any=("tinh dầu", "vị", "puff", "salt nic")),
    TermSpec("cannabis", ("cần sa",), fold=True),
    TermSpec("fake", ("hàng giả", "fake", "super fake", "like auth", "rep 1:1", "rep")),
    TermSpec("smuggled", ("xách tay",), exclude_any=("túi xách tay", "cặp xách tay")),
    TermSpec("firecracker", ("pháo",), exclude_any=("cà pháo",)),
]
MATCHER = TermMatcher(SPECS)


def keys(text: str, matcher: TermMatcher = MATCHER) -> list[str]:
    return [h.key for h in matcher.find_text(text)]


def only(text: str, matcher: TermMatcher = MATCHER) -> TermHit:
    hits = matcher.find_text(text)
    assert len(hits) == 1, hits
    return hits[0]


# --- boundaries and diacritics ------------------------------------------------------


def test_word_boundaries() -> None:
    assert keys("mua pod vị xoài") == ["pod"]
    assert keys("airpods vị mới, puff") == []
    assert keys("bán cần sang nhượng") == []
    assert keys("bán cần sa.") == ["cannabis"]
    assert keys("(vape)") == ["ecig"]
    assert keys("vapes") == []
    assert keys("Prep 1:1") == []


def test_diacritics_are_significant() -> None:
    assert keys("hàng giá rẻ") == []
    assert keys("hang gia") == []  # fold=False: needs the diacritics
    assert keys("HÀNG GIẢ") == ["fake"]


def test_folded_terms_match_text_without_diacritics() -> None:
    hit = only("ban thuoc la dien tu gia re")
    assert (hit.key, hit.term, hit.folded, hit.matched) == (
        "ecig",
        "thuốc lá điện tử",
        True,
        "thuoc la dien tu",
    )
    # The text is never folded: other diacritics do not turn into the term.
    assert keys("thuộc lả điển tư") == []


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("Thuốc la dien tu chinh hang", "Thuốc la dien tu"),
        ("thuoc lá điện tử giá rẻ", "thuoc lá điện tử"),
        ("mua THUỐC LÁ DIEN TU", "THUỐC LÁ DIEN TU"),
    ],
)
def test_fold_terms_match_text_typed_partly_without_diacritics(text: str, matched: str) -> None:
    hit = only(text)
    assert (hit.key, hit.term, hit.folded, hit.matched) == (
        "ecig",
        "thuốc lá điện tử",
        True,
        matched,
    )
    assert text[hit.start : hit.end] == matched


def test_partly_accented_match_needs_a_word_that_shows_missing_marks() -> None:
    m = TermMatcher([TermSpec("shroom", ("nấm thần",), fold=True)])
    # "nam thần" is correct Vietnamese (a handsome man): "nam" is a word as typed.
    assert keys("Áo khoác nam thần Hàn Quốc", m) == []
    assert keys("nam than", m) == ["shroom"]  # wholly unaccented: as before
    # "thuốc la" alone gives no sign of missing marks: "la" is a word as typed.
    assert keys("thuốc la", TermMatcher([TermSpec("t", ("thuốc lá",), fold=True)])) == []


def test_partly_accented_text_only_matches_fold_terms() -> None:
    m = TermMatcher(
        [
            TermSpec("fake", ("hàng giả điện tử",)),
            TermSpec("ecig", ("thuốc lá điện tử",), fold=True),
        ]
    )
    assert keys("hàng gia dien tu", m) == []
    assert keys("hàng giả dien tu", m) == []
    assert keys("thuốc lá dien tu", m) == ["ecig"]
    # Other marks than the term's are still a different word, partly accented or not.
    assert keys("thuộc lá dien tu", m) == []
    assert keys("hàng gia re", MATCHER) == []


def test_tone_placement_variants_match() -> None:
    m = TermMatcher([TermSpec("chem", ("hoá chất",))])
    assert keys("Hóa chất độc", m) == ["chem"]
    assert keys("HOÁ CHẤT", m) == ["chem"]


def test_overlapping_hits_of_one_key_merge_to_longest() -> None:
    hit = only("Thuốc lá điện tử giá rẻ")
    assert hit.term == "thuốc lá điện tử"
    assert hit.matched == "Thuốc lá điện tử"


# --- de-obfuscation -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key", "term", "matched"),
    [
        ("Bình Xịt Khử mùi Thuố.c L.á Sukkiri", "ecig", "thuốc lá", "Thuố.c L.á"),
        ("bán c.ầ.n s.a giá rẻ", "cannabis", "cần sa", "c.ầ.n s.a"),
        ("t-h-u-ố-c lá", "ecig", "thuốc lá", "t-h-u-ố-c lá"),
        ("mua v a p e ngay", "ecig", "vape", "v a p e"),
        ("hàng f@ke", "fake", "fake", "f@ke"),
        ("giày r3p 1:1", "fake", "rep 1:1", "r3p 1:1"),
        ("c4n s4", "cannabis", "cần sa", "c4n s4"),
        ("sup3r f4ke", "fake", "super fake", "sup3r f4ke"),
        ("túi l!ke auth", "fake", "like auth", "l!ke auth"),
        ("Nike like 4uth đủ size", "fake", "like auth", "like 4uth"),
        ("hàng 5uper f4ke", "fake", "super fake", "5uper f4ke"),
        ("5uper f4ke giá rẻ", "fake", "super fake", "5uper f4ke"),
        ("r3p 1:1 giày", "fake", "rep 1:1", "r3p 1:1"),
        ("cầnsa loại 1", "cannabis", "cần sa", "cầnsa"),
        ("#superfake", "fake", "super fake", "superfake"),
        ("c ầ n s a", "cannabis", "cần sa", "c ầ n s a"),
    ],
)
def test_obfuscations_fire(text: str, key: str, term: str, matched: str) -> None:
    hit = only(text)
    assert (hit.key, hit.term, hit.matched, hit.obfuscated) == (key, term, matched, True)
    assert text[hit.start : hit.end] == matched


LEET_SPECS = [
    TermSpec("money", ("tiền giả",)),
    TermSpec("ivory", ("ngà voi",)),
    TermSpec("cannabis", ("cần sa",), fold=True),
    TermSpec("ketamine", ("ke",)),
    TermSpec("galaxy", ("sa",)),
]
LEET_MATCHER = TermMatcher(LEET_SPECS)


@pytest.mark.parametrize(
    ("text", "key", "matched"),
    [
        ("Bán t1ền g14 loại 200k", "money", "t1ền g14"),
        ("t1en g14 ship kin", "money", "t1en g14"),
        ("Vòng ng@ v0i thật", "ivory", "ng@ v0i"),
        ("Nhan ng4 v0i boc vang", "ivory", "ng4 v0i"),
        ("Can s4 loai 1", "cannabis", "Can s4"),
        ("bán cần s4 giá rẻ", "cannabis", "cần s4"),
    ],
)
def test_leet_words_match_without_diacritics(text: str, key: str, matched: str) -> None:
    hit = only(text, LEET_MATCHER)
    assert (hit.key, hit.matched, hit.obfuscated) == (key, matched, True)


@pytest.mark.parametrize(
    "text",
    [
        # A word not written in leet keeps its diacritics: "gia" is "giá" (price).
        "tiền gia r3 lắm",
        "t1ền gia rẻ",
        # Codes with leet at the edge never become a one-word term on their own.
        "Samsung Galaxy S4 cũ giá 900k",
        "Giấy A4, k3 sách, mp3",
        # Plain unaccented words are no leet: "nga voi" is also "Nga với".
        "Tin Nga voi My",
    ],
)
def test_leet_lookalikes_do_not_match(text: str) -> None:
    assert LEET_MATCHER.find_text(text) == []


def test_plain_hit_is_not_marked_obfuscated() -> None:
    hit = only("thuốc lá")
    assert not hit.obfuscated


@pytest.mark.parametrize(
    "text",
    [
        "Túi xách tay nữ da thật",
        "Cặp xách tay công sở",
        "Mắm cà pháo Dì Cẩn",
        "Bình xịt Jumbo Vape diệt muỗi",
        "Tai nghe AirPods Pro chính hãng",
        "Cần sang nhượng cửa hàng",
        "Giấy A4, bút bi, v.v. giá tốt",
        "iPhone 14 Pro Max 256GB",
        "Hotline 0909.123.456, www.shop.vn, ngày 10/02/2015",
        "Email shop@gmail.com, size M/L, áo T-shirt, 2.5kg, 500ml, 4G, covid19",
        "Tp.HCM, Q.1, P.4, s/p chính hãng, Wi-Fi, mp3, Galaxy S4",
        "ừ à e k bt, ở ý",
        "khách sạn 5sao, combo 3ngày 2đêm, 4life, 1chiếc, 7up",
        "4pod, 5vape",
    ],
)
def test_lookalikes_and_ordinary_text_do_not_fire(text: str) -> None:
    assert MATCHER.find_text(text) == []


def test_slash_abbreviations_are_not_joined() -> None:
    m = TermMatcher([TermSpec("abbr", ("ps", "ml", "sp"))])
    assert m.find_text("Kem đánh răng P/S, size M/L, s/p chính hãng") == []
    assert keys("t/h/u/ố/c lá") == ["ecig"]


def test_exclusion_also_applies_to_obfuscated_view() -> None:
    assert keys("túi x.á.c.h tay") == []
    assert keys("hàng x.á.c.h tay") == ["smuggled"]


# --- offsets ------------------------------------------------------------------------


def test_offsets_point_into_the_original() -> None:
    src = "Shop bán " + unicodedata.normalize("NFD", "Cầ\u200bn Sa") + " nhé"
    hit = only(src)
    assert hit.key == "cannabis"
    assert src[hit.start : hit.end] == hit.matched
    assert hit.matched == unicodedata.normalize("NFD", "Cầ\u200bn Sa")


def test_offsets_with_obfuscation_and_whitespace() -> None:
    src = "Mua\u00a0\u00a0ngay  Thuố.c\u200b L.á\n!"
    hit = only(src)
    assert hit.matched == "Thuố.c\u200b L.á"
    assert src[hit.start : hit.end] == hit.matched


# --- context ------------------------------------------------------------------------


def test_require_any() -> None:
    hit = only("pod tinh dầu vị dâu")
    assert hit.context == ("tinh dầu", "vị")
    assert keys("pod salt nic 30mg") == ["pod"]
    assert keys("máy pod 1000 puff") == ["pod"]
    assert keys("pod sạc nhanh") == []
    far = "pod " + "x" * 60 + " tinh dầu"
    assert keys(far) == []


def test_require_any_uses_folded_words_for_fold_specs() -> None:
    m = TermMatcher([TermSpec("k", ("thuốc lá",), fold=True, require_any=("điện tử",))])
    assert keys("thuoc la dien tu", m) == ["k"]
    assert keys("thuốc lá thơm", m) == []


def test_folded_context_words_only_match_text_without_diacritics() -> None:
    # Regression: folded context forms were searched in accented text, so "nấm"
    # ("nam") vetoed hits near "Việt Nam" and "chữa" ("chua") was found in "sữa chua".
    veto = TermMatcher([TermSpec("k", ("linh chi",), fold=True, exclude_any=("nấm",))])
    assert keys("Trà linh chi Việt Nam hộp 20 gói", veto) == ["k"]
    assert keys("Nấm linh chi đỏ hộp 500g", veto) == []
    assert keys("nam linh chi do hop 500g", veto) == []  # typed without diacritics
    need = TermMatcher([TermSpec("k", ("dứt điểm",), fold=True, require_any=("chữa",))])
    assert keys("Sữa chua uống dứt điểm cơn thèm ngọt", need) == []
    assert keys("Cao gừng chữa dứt điểm đau lưng", need) == ["k"]
    hit = only("tra chua dut diem dau da day", need)
    assert (hit.folded, hit.context) == (True, ("chữa",))


def test_folded_context_for_unaccented_term_needs_unaccented_text() -> None:
    # "pod" has no diacritics, so a hit is never folded; the window decides.
    m = TermMatcher([TermSpec("pod", ("pod",), fold=True, require_any=("vị",))])
    assert keys("pod vi nho 30mg ship toan quoc", m) == ["pod"]
    assert keys("Bộ pod Vi Tính Văn Phòng", m) == []
    assert keys("pod vị nho", m) == ["pod"]


def test_exclude_phrase_overlapping_hit() -> None:
    assert keys("hàng xách tay Mỹ") == ["smuggled"]
    assert keys("pháo hoa") == ["firecracker"]
    # An exclude word anywhere in the window vetoes, by design of TermSpec.
    assert keys("túi xách tay đẹp, hàng xách tay Nhật") == []


# --- scale, concurrency, robustness -------------------------------------------------


def _synthetic_specs(n: int, seed: int) -> list[TermSpec]:
    rng = random.Random(seed)
    letters = "bcdghklmnpqrstvxyz"
    out = []
    for i in range(n):
        words = ["".join(rng.choice(letters) for _ in range(rng.randint(3, 7))) for _ in range(2)]
        out.append(TermSpec(f"syn-{i}", (" ".join(words),), fold=bool(i % 2)))
    return out


def test_many_terms_give_same_hits_as_few() -> None:
    text = (
        "Hàng xách tay Nhật. Shop bán thuốc lá điện tử, pod tinh dầu, hàng f@ke và "
        "c.ầ.n s.a. Túi xách tay đẹp. Mắm cà pháo. rep 1:1. "
        "Liên hệ ngay hôm nay để được tư vấn miễn phí. "
    ) * 20
    few = TermMatcher(SPECS).find_text(text)
    many = TermMatcher(SPECS + _synthetic_specs(5000, 7)).find_text(text)
    assert few == many
    assert len(few) == 20 * 6


def test_find_is_thread_safe() -> None:
    texts = [f"đơn {i}: bán c.ầ.n s.a và thuốc lá, pod vị nho" for i in range(200)]
    expected = [MATCHER.find_text(t) for t in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(MATCHER.find_text, texts))
    assert got == expected


def test_find_text_equals_find_on_normalized() -> None:
    text = "THUỐC LÁ  điện\u200b tử"
    assert MATCHER.find_text(text) == MATCHER.find(normalize(text))


def test_empty_matcher_and_empty_terms() -> None:
    assert TermMatcher([]).find_text("thuốc lá") == []
    assert TermMatcher([TermSpec("x", ("  ", "\u200b"))]).find_text("thuốc lá") == []


_PLAIN_SPECS = [
    TermSpec("a", ("thuốc lá", "thuốc lá điện tử")),
    TermSpec("b", ("lá", "điện")),
    TermSpec("c", ("cần sa",), fold=True),
]
_PLAIN = TermMatcher(_PLAIN_SPECS)


def _brute_force(text: str) -> set[tuple[str, int, int]]:
    found: dict[str, list[tuple[int, int]]] = {}
    for spec in _PLAIN_SPECS:
        forms = [normalize(t).text.strip() for t in spec.terms]
        if spec.fold:
            forms += [fold(f) for f in forms]
        for form in forms:
            for m in re.finditer(re.escape(form), text):
                a, b = m.span()
                if (a == 0 or not text[a - 1].isalnum()) and (
                    b == len(text) or not text[b].isalnum()
                ):
                    found.setdefault(spec.key, []).append((a, b))
    out = set()
    for key, spans in found.items():
        spans.sort(key=lambda x: (x[0], -x[1]))
        best, end = spans[0], spans[0][1]
        for sp in spans[1:]:
            if sp[0] < end:
                best = max(best, sp, key=lambda x: x[1] - x[0])
                end = max(end, sp[1])
            else:
                out.add((key, *best))
                best, end = sp, sp[1]
        out.add((key, *best))
    return out


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["thuốc", "lá", "điện", "tử", "cần", "sa", "can", "sang", "xx", ","]),
        max_size=25,
    ).map(" ".join)
)
def test_plain_hits_equal_brute_force(text: str) -> None:
    # The text is already normalised, so original offsets equal normalised ones.
    assert normalize(text).text == text
    got = {(h.key, h.start, h.end) for h in _PLAIN.find_text(text)}
    assert got == _brute_force(text)


_alphabet = st.sampled_from(
    [
        *"thuốc lá cần sa vape pod fake rep 1:1 .-_*·'`|/~@$!0134579 \u200b\u0301\n",
        *["c.ầ.n", "v a p e", "f@ke", "tinh dầu", "túi xách tay", "\ud800", "😀"],
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.lists(_alphabet, max_size=30).map("".join), st.text(max_size=60)))
def test_find_never_raises_and_spans_are_in_bounds(text: str) -> None:
    nt = normalize(text)
    hits = MATCHER.find(nt)
    assert hits == sorted(hits, key=lambda h: (h.start, -h.end, h.key))
    for h in hits:
        assert 0 <= h.start < h.end <= len(text)
        assert text[h.start : h.end] == h.matched


def test_genuine_cyrillic_and_greek_text_finds_no_goods_terms() -> None:
    from ecomcheck.extract.goods import compile_goods

    matcher = compile_goods().matcher
    for text in [
        "СОК ТОМАТНЫЙ. СОСТАВ: ТОМАТЫ, СОЛЬ. ХРАНИТЬ ПРИ ТЕМПЕРАТУРЕ НЕ ВЫШЕ 25 °C",
        "Кетчуп Хайнц, Россия. Нет в наличии. Как это работает?",
        "ΚΑΦΕΣ ΕΛΛΗΝΙΚΟΣ ΠΑΡΑΔΟΣΙΑΚΟΣ, ΜΕ ΤΟ ΧΕΡΙ. ΚΑΙ ΤΟ ΜΕΛΙ ΜΑΣ",
    ]:
        assert matcher.find_text(text) == [], text


# --- emoji and quotes inside a term -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key", "matched"),
    [
        ("bán cần 🌿 sa giá rẻ", "cannabis", "cần 🌿 sa"),
        ("thuốc 🔥🔥 lá điện tử", "ecig", "thuốc 🔥🔥 lá điện tử"),
        ("hàng 'giả' loại 1", "fake", "hàng 'giả"),
        ("bán \u201ccần\u201d sa", "cannabis", "cần\u201d sa"),
    ],
)
def test_emoji_and_quotes_inside_a_term_are_dropped(text: str, key: str, matched: str) -> None:
    hit = only(text)
    assert (hit.key, hit.matched, hit.obfuscated) == (key, matched, True)


@pytest.mark.parametrize(
    "text",
    [
        "cần 🌿 sang tên xe gấp",  # the emoji goes, the words stay as written
        "hàng 'giá' rẻ",  # diacritics still count
        "cần 😂 sạch sẽ",
        "túi xách 🎒 tay da bò",  # a veto still applies once the emoji is gone
    ],
)
def test_emoji_and_quotes_do_not_create_other_words(text: str) -> None:
    assert keys(text) == []


def test_decorations_are_read_through_only_between_words_of_one_term() -> None:
    # Reviews full of quotes and emoji: nothing to rescan unless two words around a
    # decoration are consecutive words of some term.
    m = MATCHER
    assert m._decoration is not None

    def cut(s: str) -> dict[int, str]:
        text = normalize(s).text
        hints: list[tuple[int, int]] = []
        m._scan(text, hints)
        starts = _decoration_starts(text, hints)
        assert starts  # the decorations are seen, then judged
        return _decoration_edits(text, m._pairs, m._decoration, starts)

    assert cut('khách khen "đẹp lắm" 😍 giao nhanh, "chất" vải tốt 👍 sẽ ủng hộ') == {}
    text = normalize("bán cần 🌿 sa, hàng 'giả' loại 1").text
    edits = cut(text)
    assert (
        "".join(c for i, c in enumerate(text) if i not in edits) == "bán cần sa, hàng giả' loại 1"
    )


@pytest.mark.parametrize("emoji", ["😂", "❤️", "⭐"])
def test_emoji_inside_a_term_in_a_long_text(emoji: str) -> None:
    # Long texts decide whether to look at all from the scan's hints (BMP emoji,
    # quotes) or from how the string is stored (astral emoji).
    text = "áo thun nam cổ tròn giá tốt, " * 10 + f"bán cần {emoji} sa giá rẻ"
    hit = only(text)
    assert (hit.key, hit.obfuscated) == ("cannabis", True)
    assert text[hit.start : hit.end].startswith("cần") and text[hit.start : hit.end].endswith("sa")
