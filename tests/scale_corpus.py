"""Generated shops for the scale tests: pages, a WARC of them, and a server on 127.0.0.1.

Every page is built from a seed, so the same call always gives the same bytes. Each
site has a few problems of its own (no tax code, a bad check digit, a badge linking
nowhere, a retired phone number, missing policies, hidden prices, counterfeit
wording), so the scans have findings of several rules to compare.
"""

from __future__ import annotations

import contextlib
import http.server
import io
import random
import socketserver
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import ClassVar

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

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
]

# (company line, tax-code line, phone line, badge href or None, policy links, extra text)
PROBLEMS = (
    {},
    {"mst": "MST: 0101248142"},  # wrong check digit
    {"mst": None},  # no identity at all
    {"badge": "#"},  # badge linking nowhere
    {"phone": "Hotline 0168 456 7890"},  # retired 11-digit mobile
    {"policies": ("Chính sách bảo mật",)},  # most policies missing
    {"extra": "Hàng rep 1:1 like auth, giá ib shop nhé."},
    {"badge": None, "phone": "Hotline 0168 456 7890"},
)


def _sentence(rng: random.Random, n: int = 16) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def page(rng: random.Random, site: str, path: str, problem: dict[str, object], size: int) -> bytes:
    """One shop page of about ``size`` paragraphs, with the site's problems."""
    mst = problem.get(
        "mst", "MST: 0101248141 do Sở Kế hoạch và Đầu tư TP Hà Nội cấp ngày 10/02/2015"
    )
    phone = problem.get("phone", "Hotline 0909 123 456")
    badge = problem.get("badge", "http://online.gov.vn/Home/WebDetails/68464")
    policies = problem.get(
        "policies",
        (
            "Chính sách đổi trả",
            "Chính sách bảo mật",
            "Vận chuyển và kiểm hàng",
            "Thanh toán",
            "Khiếu nại",
            "Điều khoản",
        ),
    )
    links = "".join(
        f"<a href='/pages/p{i}'>{name}</a>"
        for i, name in enumerate(policies)  # type: ignore[arg-type]
    )
    badge_html = (
        f"<a href='{badge}'><img src='/logoSaleNoti.png' alt='Đã thông báo Bộ Công Thương'></a>"
        if badge is not None
        else ""
    )
    body = "".join(f"<p>{_sentence(rng, 24)}</p>" for _ in range(size))
    cards = "".join(
        f"<div class='product-card'><a href='/products/p{i}'>Áo mẫu {i}</a>"
        f"<span class='price'>{199 + i}.000₫</span></div>"
        for i in range(6)
    )
    nav = "".join(f"<a href='/{site}/{i}'>Trang {i}</a>" for i in range(3))
    html = (
        "<!doctype html><html lang='vi'><head><meta charset='utf-8'>"
        f"<title>Áo sơ mi {path} – {site}</title></head><body>"
        f"<header><nav>{nav}</nav></header><main><h1>Áo sơ mi nam {path}</h1>"
        "<span class='price'>389.000₫</span><button class='btn'>Thêm vào giỏ</button>"
        "<table><tr><th>Xuất xứ</th><td>Việt Nam</td></tr></table>"
        f"<p>{problem.get('extra', '')}</p>{body}{cards}</main>"
        f"<footer><p>CÔNG TY TNHH {site.upper()}</p>"
        + (f"<p>{mst}</p>" if mst else "")
        + "<p>Địa chỉ: 25 Hàng Bài, phường Hoàn Kiếm, Hà Nội</p>"
        f"<p>{phone}</p>{links}{badge_html}</footer></body></html>"
    )
    return html.encode("utf-8")


def shop_pages(
    n_sites: int = 8, pages_per_site: int = 4, *, seed: int = 7, size: int = 12
) -> list[tuple[str, bytes]]:
    """``(path, html)`` for every page of ``n_sites`` generated shops.

    Paths look like ``/shop-3/p1``; prefix them with a base URL.
    """
    rng = random.Random(seed)
    out = []
    for s in range(n_sites):
        site = f"shop-{s}"
        problem = PROBLEMS[s % len(PROBLEMS)]
        for p in range(pages_per_site):
            out.append((f"/{site}/p{p}", page(rng, site, f"p{p}", problem, size)))
    return out


def site_urls(pages: Sequence[tuple[str, bytes]], base: str) -> list[tuple[str, bytes]]:
    """Give each page a URL on its own host: ``/shop-3/p1`` -> ``{base}/shop-3/p1``."""
    return [(base.rstrip("/") + path, html) for path, html in pages]


def write_warc(
    path: Path, pages: Sequence[tuple[str, bytes]], *, gzip: bool = True, extras: bool = True
) -> Path:
    """Write the pages as WARC ``response`` records (with requests and an image between)."""
    with path.open("wb") as fh:
        w = WARCWriter(fh, gzip=gzip)
        w.write_record(w.create_warcinfo_record(path.name, {"software": "ecomcheck tests"}))
        for i, (url, html) in enumerate(pages):
            if extras:
                req = StatusAndHeaders(
                    "GET / HTTP/1.1", [("Host", "127.0.0.1")], is_http_request=True
                )
                w.write_record(w.create_warc_record(url, "request", http_headers=req))
            headers = StatusAndHeaders(
                "200 OK",
                [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(html)))],
                protocol="HTTP/1.1",
            )
            w.write_record(
                w.create_warc_record(
                    url, "response", payload=io.BytesIO(html), http_headers=headers
                )
            )
            if extras and i % 3 == 0:
                img = StatusAndHeaders(
                    "200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1"
                )
                w.write_record(
                    w.create_warc_record(
                        url + ".png",
                        "response",
                        payload=io.BytesIO(b"\x89PNG...."),
                        http_headers=img,
                    )
                )
    return path


class _Handler(http.server.BaseHTTPRequestHandler):
    pages: ClassVar[dict[str, bytes]] = {}

    def do_GET(self) -> None:
        if self.path == "/":
            links = "".join(f"<a href='{p}'>{p}</a>" for p in sorted(self.pages))
            body = f"<html><body>{links}</body></html>".encode()
        elif self.path in self.pages:
            body = self.pages[self.path]
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(pages: Sequence[tuple[str, bytes]]) -> Iterator[str]:
    """Serve the pages (by path) and an index linking them all on 127.0.0.1; yield the base URL."""
    handler = type("Handler", (_Handler,), {"pages": dict(pages)})
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


_CRAWL_DRIVER = r"""
import importlib.util, json, sys
from scrapy.crawler import CrawlerProcess


def main():
    spider_file, spider_name, settings, kwargs, stats_path = sys.argv[1:6]
    spec = importlib.util.spec_from_file_location("crawl_spider_module", spider_file)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    settings = json.loads(settings)
    base = getattr(mod, spider_name)
    # The test's settings win over the spider's own (custom_settings outrank the process's).
    spider = type(base.__name__, (base,), {"custom_settings": {**(base.custom_settings or {}), **settings}})
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(spider)
    process.crawl(crawler, **json.loads(kwargs))
    process.start()
    with open(stats_path, "w") as fh:
        json.dump(crawler.stats.get_stats(), fh, default=str)


if __name__ == "__main__":  # check processes (ECOMCHECK_PROCESSES) re-import this file
    main()
"""


def run_crawl(
    workdir: Path,
    spider_file: Path,
    spider_name: str,
    settings: dict[str, object],
    kwargs: dict[str, object],
    *,
    timeout: float = 120,
) -> tuple[list[dict[str, object]], dict[str, object]]:
    """Run a real Scrapy crawl in a subprocess; return the exported items and the stats.

    A subprocess because Twisted's reactor cannot be restarted within one process.
    """
    import json
    import subprocess
    import sys

    driver = workdir / "crawl_driver.py"
    driver.write_text(_CRAWL_DRIVER)
    feed = workdir / "items.jsonl"
    stats = workdir / "stats.json"
    settings = {
        "FEEDS": {str(feed): {"format": "jsonlines", "overwrite": True}},
        "LOG_LEVEL": "WARNING",
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "AUTOTHROTTLE_ENABLED": False,
        "ROBOTSTXT_OBEY": False,
        "TELNETCONSOLE_ENABLED": False,
        **settings,
    }
    proc = subprocess.run(
        [
            sys.executable,
            str(driver),
            str(spider_file),
            spider_name,
            json.dumps(settings),
            json.dumps(kwargs),
            str(stats),
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    items = [json.loads(line) for line in feed.read_text().splitlines() if line.strip()]
    return items, json.loads(stats.read_text())
