"""End-to-end page check against lxml parsing plus text extraction on the same page.

Generates seeded shop pages of about 60 KB, 400 KB and 3 MB (a product page, a product
page with reviews and a related grid, a category listing with ~1,300 cards), then
measures, interleaved round-robin, the median time of:

- ``lxml``: ``etree.HTMLParser(huge_tree=True)`` on the bytes plus ``itertext`` joined,
  the floor any HTML checker pays;
- ``document``: building the :class:`~ecomcheck.PageDocument` (decode, parse, visible
  text, blocks, links, regions);
- ``check``: a full ``Checker.check_page`` with every rule, report included.

Usage: ``python benchmarks/bench_page.py [--rounds 7] [--write-samples DIR]``. Trust the
ratios more than the absolute numbers: the host's speed drifts.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from ecomcheck import Checker, Config, PageDocument

WORDS = [
    "áo",
    "sơ",
    "mi",
    "nam",
    "chất",
    "liệu",
    "cotton",
    "thoáng",
    "mát",
    "phù",
    "hợp",
    "đi",
    "làm",
    "đi",
    "chơi",
    "giao",
    "hàng",
    "toàn",
    "quốc",
    "đổi",
    "trả",
    "trong",
    "bảy",
    "ngày",
    "sản",
    "phẩm",
    "chính",
    "hãng",
    "bảo",
    "hành",
    "mười",
    "hai",
    "tháng",
    "màu",
    "sắc",
    "kích",
    "thước",
    "khách",
    "hàng",
    "đánh",
    "giá",
    "rất",
    "tốt",
    "đóng",
    "gói",
    "cẩn",
    "thận",
    "shop",
    "tư",
    "vấn",
    "nhiệt",
    "tình",
    "hàng",
    "đẹp",
    "như",
    "hình",
    "giá",
    "tốt",
    "chất",
    "lượng",
    "cao",
    "thiết",
    "kế",
    "hiện",
    "đại",
    "trẻ",
    "trung",
    "năng",
    "động",
]


def _sentence(rng: random.Random, n: int = 14) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def _head(rng: random.Random, title: str, state_items: int) -> str:
    # Real pages carry as much script/JSON as visible text (perf-baseline: 38-53%).
    state = ",".join(f'"k{i}":"{_sentence(rng, 6)}"' for i in range(state_items))
    return (
        f"<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>{title}</title>"
        "<meta property='og:type' content='product'>"
        "<style>" + ".c{color:red;margin:0 auto}" * 200 + "</style>"
        '<script type=\'application/ld+json\'>{"@context":"https://schema.org",'
        '"@type":"Product","name":"Áo sơ mi","offers":{"price":"389000"}}</script>'
        f"<script>window.__INITIAL_STATE__={{{state}}};var t='<div>';</script></head><body>"
    )


def _header() -> str:
    menu = "".join(f"<li><a href='/collections/c{i}'>Danh mục {i}</a></li>" for i in range(40))
    return (
        "<header class='site-header'><div class='top-bar'>Hotline: 0909 123 456</div>"
        f"<nav class='main-menu'><ul>{menu}</ul></nav><a href='/cart'>Giỏ hàng</a></header>"
    )


FOOTER = (
    "<footer class='site-footer'><p>CÔNG TY TNHH THỜI TRANG ABC</p>"
    "<p>MST: 0101248141 do Sở Kế hoạch và Đầu tư TP Hà Nội cấp ngày 10/02/2015</p>"
    "<p>Địa chỉ: 25 Hàng Bài, phường Hoàn Kiếm, Hà Nội</p><p>Hotline 0909 123 456</p>"
    "<a href='/pages/chinh-sach-doi-tra'>Chính sách đổi trả</a>"
    "<a href='/pages/chinh-sach-bao-mat'>Chính sách bảo mật</a>"
    "<a href='/pages/van-chuyen'>Vận chuyển và kiểm hàng</a>"
    "<a href='/pages/thanh-toan'>Thanh toán</a><a href='/pages/khieu-nai'>Khiếu nại</a>"
    "<a href='/pages/dieu-khoan'>Điều khoản</a>"
    "<a href='http://online.gov.vn/Home/WebDetails/68464'><img src='/logoSaleNoti.png' "
    "alt='Đã thông báo Bộ Công Thương'></a></footer></body></html>"
)


def product_page(rng: random.Random, reviews: int, related: int, state: int) -> str:
    parts = [_head(rng, "Áo sơ mi nam", state), _header(), "<main><h1>Áo sơ mi nam Oxford</h1>"]
    parts.append("<span class='price'>389.000₫</span><button class='btn'>Thêm vào giỏ</button>")
    parts.append(
        "<table><tr><th>Xuất xứ</th><td>Việt Nam</td></tr>"
        "<tr><th>Chất liệu</th><td>Cotton</td></tr></table>"
    )
    parts.extend(f"<p>{_sentence(rng, 30)}</p>" for _ in range(20))
    for i in range(reviews):
        parts.append(f"<div class='review'><b>Khách {i}</b><p>{_sentence(rng, 25)}</p></div>")
    for i in range(related):
        parts.append(
            f"<div class='product-card'><a href='/products/p{i}'><img src='/i/{i}.jpg' "
            f"alt='Áo {i}'>Áo sơ mi mẫu {i}</a><span class='price'>{199 + i}.000₫</span></div>"
        )
    parts.append("</main>" + FOOTER)
    return "".join(parts)


def listing_page(rng: random.Random, cards: int, state: int) -> str:
    parts = [_head(rng, "Danh mục áo", state), _header(), "<main><h1>Áo sơ mi</h1>"]
    for i in range(cards):
        svg = "<svg viewBox='0 0 10 10'><path d='M0 0L10 10'/></svg>"
        parts.append(
            f"<div class='product-card'><a href='/products/p{i}'><img src='/i/{i}.jpg' "
            f"alt='Áo {i}'>{svg}<h3>Áo sơ mi mẫu {i} {_sentence(rng, 8)}</h3></a>"
            f"<span class='price'>{199 + i % 500}.000₫</span>"
            "<button class='btn add-to-cart'>Thêm vào giỏ</button></div>"
        )
    parts.append("</main>" + FOOTER)
    return "".join(parts)


def samples() -> dict[str, bytes]:
    """The three seeded sample pages, by name."""
    rng = random.Random(20261129)
    return {
        "60k": product_page(rng, reviews=100, related=30, state=380).encode("utf-8"),
        "400k": product_page(rng, reviews=800, related=260, state=3200).encode("utf-8"),
        "3m": listing_page(rng, cards=7500, state=11000).encode("utf-8"),
    }


def lxml_floor(data: bytes) -> int:
    """Parse with lxml and join the text: what any HTML checker pays at least."""
    parser = etree.HTMLParser(huge_tree=True, remove_comments=True)
    root = etree.fromstring(data, parser)
    return len(" ".join(root.itertext())) if root is not None else 0


def measure(fns: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Median seconds per call of each function, interleaved round-robin."""
    per: dict[str, list[float]] = {k: [] for k in fns}
    for fn in fns.values():
        fn()  # warm-up
    for _ in range(rounds):
        for name, fn in fns.items():
            gc.collect()
            n, t0 = 0, time.perf_counter()
            while True:
                fn()
                n += 1
                if (elapsed := time.perf_counter() - t0) > 0.2:
                    break
            per[name].append(elapsed / n)
    return {k: statistics.median(v) for k, v in per.items()}


def main() -> None:
    """Run the benchmark and print a table."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--write-samples", type=Path)
    args = ap.parse_args()
    pages = samples()
    if args.write_samples:
        args.write_samples.mkdir(parents=True, exist_ok=True)
        for name, data in pages.items():
            (args.write_samples / f"page_{name}.html").write_bytes(data)
    checker = Checker(Config())
    print(
        f"{'page':>6} {'bytes':>10} {'lxml ms':>9} {'document ms':>12} {'check ms':>9} "
        f"{'doc/lxml':>9} {'check/lxml':>11} {'findings':>9}"
    )
    for name, data in pages.items():
        url = "https://shop.example/products/ao" if name != "3m" else "https://shop.example/c/ao"
        r = measure(
            {
                "lxml": lambda d=data: lxml_floor(d),
                "document": lambda d=data, u=url: PageDocument.from_bytes(d, url=u).text,
                "check": lambda d=data, u=url: checker.check_page(d, url=u),
            },
            args.rounds,
        )
        findings = len(checker.check_page(data, url=url).findings)
        print(
            f"{name:>6} {len(data):>10} {r['lxml'] * 1e3:>9.2f} {r['document'] * 1e3:>12.2f} "
            f"{r['check'] * 1e3:>9.2f} {r['document'] / r['lxml']:>9.2f} "
            f"{r['check'] / r['lxml']:>11.2f} {findings:>9}"
        )


if __name__ == "__main__":
    main()
