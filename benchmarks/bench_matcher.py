"""Throughput of normalize() and TermMatcher.find() on synthetic Vietnamese text.

Run: python benchmarks/bench_matcher.py [--mb 1.0] [--rounds 9] [--real DIR]

Generates seeded Vietnamese-like text (at least 1 MB of UTF-8 by default), builds
matchers with 500 and 5,000 terms and prints MB/s (1 MB = 10**6 bytes of UTF-8,
median of several runs, one core) for:

* ``normalize`` on NFC input;
* ``find`` on already-normalised text with few hits (the common case), i.e.
  matching alone, with the text normalised once beforehand;
* ``normalize + find`` (``find_text``): the whole cost of matching a raw string;
* ``find`` on text where about 1 sentence in 25 is disguised (``c.ầ.n s.a``,
  ``v a p e``, ``f@ke`` …), so the de-obfuscation view is built and scanned.

With ``--real DIR`` (the shared ``corpus/real`` folder; it is read in place, never
copied) the same rates are also measured on the visible text of the real Tiki
product descriptions (about 0.5 MB), for find() alone and normalize + find.

The rate should be nearly flat in the number of terms: Aho–Corasick does not depend
on it, although pyahocorasick's per-node child lookup makes bigger automata a little
slower. The host is shared and drifts, so the variants run interleaved and the
medians of rounds are reported; compare rows of one run rather than absolute numbers.
"""

from __future__ import annotations

import argparse
import gc
import html
import json
import random
import re
import statistics
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

from ecomcheck.text.matcher import TermMatcher, TermSpec
from ecomcheck.text.normalize import normalize

SEED = 20261129


def words(s: str) -> list[str]:
    return s.split()


# Common syllables for the running text.
TEXT_SYLLABLES = words("""
và của có không là được cho một những các với này người trong đã khi để thì
sản phẩm giá rẻ chất lượng cao hàng chính hãng mới bảo hành tháng giao nhanh
toàn quốc mua ngay miễn phí vận chuyển đổi trả ngày khách hàng đánh giá tốt
màu sắc kích thước size áo quần váy giày dép túi ví đồng hồ điện thoại máy tính
bảng tai nghe sạc cáp pin dự phòng loa mỹ phẩm kem dưỡng da sữa rửa mặt son
nước hoa dầu gội xả sữa tắm bàn chải đánh răng thực phẩm bánh kẹo trà cà phê
gạo mì nấu ăn nhà bếp nồi chảo dao thớt ly cốc bình giữ nhiệt đèn ngủ quạt
nhập khẩu xuất xứ việt nam hàn quốc nhật bản thái lan thông tin chi tiết mô tả
hướng dẫn sử dụng lưu ý bảo quản nơi khô ráo thoáng mát tránh ánh nắng trực
tiếp trẻ em người lớn nam nữ thời trang phong cách hiện đại trẻ trung năng động
chất liệu vải cotton thun co giãn thấm hút mồ hôi mềm mại bền đẹp thiết kế tinh
tế sang trọng tiện lợi nhỏ gọn dễ dàng mang theo du lịch công ty cửa hàng địa
chỉ hotline liên hệ hỗ trợ tư vấn đặt hàng thanh toán khi nhận hàng chuyển khoản
hoàn tiền quý khách vui lòng kiểm tra hoá đơn thuỷ tinh khoẻ mạnh hòa hợp
""")

ROOT_TERMS = [
    "thuốc lá điện tử",
    "thuốc lá nung nóng",
    "vape",
    "pod",
    "cần sa",
    "ma túy",
    "pháo nổ",
    "súng hơi",
    "hàng giả",
    "hàng nhái",
    "super fake",
    "like auth",
    "rep 1:1",
    "hàng lậu",
    "sừng tê giác",
    "bằng lái giả",
]

DISGUISED = [
    "c.ầ.n s.a",
    "v a p e",
    "f@ke",
    "sup3r f4ke",
    "l!ke auth",
    "Thuố.c L.á đ.iện t.ử",
    "t-h-u-ố-c l-á",
    "c4n s4",
    "r3p 1:1",
]

# Ordinary tokens that look a little like obfuscation and must not create hits.
LOOKALIKES = [
    "iPhone 14",
    "size M/L",
    "A4",
    "v.v.",
    "www.shop.vn",
    "10/02/2015",
    "T-shirt",
    "500ml",
]

ONSETS = words("b c ch d đ g gh h k kh l m n ng nh p ph qu r s t th tr v x")
NUCLEI = words("a ă â e ê i o ô ơ u ư y ia iê oa oe ua uô ươ uy")
CODAS = ["", "", "c", "ch", "m", "n", "ng", "nh", "p", "t", "i", "o", "u"]
TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]


def pseudo_syllable(rng: random.Random) -> str:
    s = rng.choice(ONSETS) + rng.choice(NUCLEI) + rng.choice(CODAS)
    i = next((k for k, c in enumerate(s) if c in "aăâeêioôơuưy"), 0)
    return unicodedata.normalize("NFC", s[: i + 1] + rng.choice(TONES) + s[i + 1 :])


def make_terms(k: int, rng: random.Random) -> list[TermSpec]:
    """ROOT_TERMS plus synthetic 2–4 syllable terms that do not occur in the text."""
    text_vocab = set(TEXT_SYLLABLES)
    specs = [TermSpec(f"root-{i}", (t,), fold=True) for i, t in enumerate(ROOT_TERMS)]
    seen = set(ROOT_TERMS)
    while len(specs) < k:
        sylls = [pseudo_syllable(rng) for _ in range(rng.randint(2, 4))]
        if any(s in text_vocab for s in sylls):
            continue
        term = " ".join(sylls)
        if term in seen:
            continue
        seen.add(term)
        specs.append(TermSpec(f"syn-{len(specs)}", (term,), fold=rng.random() < 0.5))
    return specs


def sentence(rng: random.Random) -> str:
    ws = [rng.choice(TEXT_SYLLABLES) for _ in range(rng.randint(6, 18))]
    r = rng.random()
    if r < 0.15:
        ws.insert(rng.randrange(len(ws)), f"{rng.randint(1, 999)}.000đ")
    elif r < 0.25:
        phone = f"0{rng.randint(900, 999)}.{rng.randint(100, 999)}.{rng.randint(100, 999)}"
        ws.insert(rng.randrange(len(ws)), phone)
    elif r < 0.3:
        ws.insert(rng.randrange(len(ws)), rng.choice(LOOKALIKES))
    s = " ".join(ws)
    return s[0].upper() + s[1:] + rng.choice([". ", ". ", ", ", "!\n", ".\n"])


def make_text(mb: float, rng: random.Random, plant_every: int, disguise_every: int) -> str:
    parts: list[str] = []
    size = 0
    n = 0
    while size < mb * 1_000_000:
        s = sentence(rng)
        n += 1
        if plant_every and n % plant_every == 0:
            s = rng.choice(ROOT_TERMS) + " " + s
        if disguise_every and n % disguise_every == 0:
            s = rng.choice(DISGUISED) + " " + s
        parts.append(s)
        size += len(s.encode())
    return "".join(parts)


def real_text(folder: Path) -> str:
    """Visible text of the Tiki descriptions in the shared real corpus (read in place)."""
    parts = []
    for name in ("tiki_products_110.json", "tiki_beauty_health_55.json"):
        for item in json.loads((folder / "tiki_scraper_descriptions" / name).read_text()):
            body = re.sub(r"<[^>]+>", " ", item.get("disciption") or "")
            parts.append(f"{item.get('title') or ''}\n{html.unescape(body)}\n")
    return "".join(parts)


def interleaved(fns: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Median seconds per call, running the variants round-robin (the host drifts)."""
    for fn in fns.values():
        fn()  # warm-up
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            gc.collect()
            t = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t)
    return {name: statistics.median(ts) for name, ts in times.items()}


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--mb", type=float, default=1.0)
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--real", type=Path, help="path to the shared corpus/real folder")
    args = ap.parse_args()

    rng = random.Random(SEED)
    clean = make_text(args.mb, rng, plant_every=400, disguise_every=0)
    disguised = make_text(args.mb, rng, plant_every=400, disguise_every=25)
    nfd = unicodedata.normalize("NFD", clean[:100_000])
    real = real_text(args.real) if args.real else ""
    size = {
        "clean": len(clean.encode()) / 1e6,
        "disguised": len(disguised.encode()) / 1e6,
        "nfd": len(nfd.encode()) / 1e6,
        "real": len(real.encode()) / 1e6,
    }
    print(
        f"text: clean {size['clean']:.2f} MB, disguised {size['disguised']:.2f} MB,"
        f" NFD sample {size['nfd']:.2f} MB (seed {SEED}); median of {args.rounds} rounds"
    )

    t0 = time.perf_counter()
    TermMatcher([TermSpec("warm-up", ("x",))])
    print(f"one-off set-up on first TermMatcher: {(time.perf_counter() - t0) * 1e3:.0f} ms")
    normalize(nfd)  # one-off: compiles the NFC tables

    matchers: dict[int, TermMatcher] = {}
    builds: dict[int, float] = {}
    for k in (500, 5000):
        specs = make_terms(k, random.Random(SEED + k))
        t0 = time.perf_counter()
        matchers[k] = TermMatcher(specs)
        builds[k] = time.perf_counter() - t0

    nt_clean = normalize(clean)
    nt_disg = normalize(disguised)
    nt_real = normalize(real)
    fns: dict[str, Callable[[], object]] = {
        "normalize clean": lambda: normalize(clean),
        "normalize nfd": lambda: normalize(nfd),
    }
    if real:
        fns["normalize real"] = lambda: normalize(real)
    for k, m in matchers.items():
        fns[f"find clean {k}"] = lambda m=m: m.find(nt_clean)
        fns[f"find disguised {k}"] = lambda m=m: m.find(nt_disg)
        fns[f"find_text clean {k}"] = lambda m=m: m.find_text(clean)
        if real:
            fns[f"find real {k}"] = lambda m=m: m.find(nt_real)
            fns[f"find_text real {k}"] = lambda m=m: m.find_text(real)
    t = interleaved(fns, args.rounds)

    def rate(name: str, text: str) -> str:
        return f"{size[text] / t[name]:6.1f} MB/s ({t[name] * 1e3:5.1f} ms)"

    print("normalize() alone:")
    print(f"  clean synthetic text, NFC         {rate('normalize clean', 'clean')}")
    print(f"  NFD sample (decomposed marks)     {rate('normalize nfd', 'nfd')}")
    if real:
        print(
            f"  real Tiki descriptions            {rate('normalize real', 'real')}"
            f"  ({size['real']:.2f} MB)"
        )
    for k, m in matchers.items():
        hits_c = m.find(nt_clean)
        hits_d = m.find(nt_disg)
        n_obf = sum(h.obfuscated for h in hits_d)
        print(f"K={k} terms (build {builds[k] * 1e3:.0f} ms):")
        print(
            f"  find() on normalised clean text   {rate(f'find clean {k}', 'clean')}"
            f"  {len(hits_c)} hits"
        )
        print(
            f"  find() on normalised disguised    {rate(f'find disguised {k}', 'disguised')}"
            f"  {len(hits_d)} hits, {n_obf} obfuscated"
        )
        if real:
            n_real = len(m.find(nt_real))
            print(
                f"  find() on normalised real Tiki    {rate(f'find real {k}', 'real')}"
                f"  {n_real} hits"
            )
        print(f"  normalize + find, clean text      {rate(f'find_text clean {k}', 'clean')}")
        if real:
            print(f"  normalize + find, real Tiki text  {rate(f'find_text real {k}', 'real')}")
    roots = {
        k: [(h.start, h.end, h.key) for h in m.find(nt_clean) if h.key.startswith("root")]
        for k, m in matchers.items()
    }
    print(f"planted-term hits identical for K=500 and K=5000: {roots[500] == roots[5000]}")


if __name__ == "__main__":
    main()
