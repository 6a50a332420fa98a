"""Whole-site checks on awkward shops: many links, files as policies, non-ASCII addresses."""

from __future__ import annotations

import httpx

from ecomcheck import Config, check_site
from ecomcheck.fetch import CrawlLimits, Fetcher, canonical_url, same_site
from ecomcheck.models import RunStatus, SiteReport
from ecomcheck.render.html import render_html
from shop_server import Resp, ShopServer, no_proxy_env, shop_routes
from test_site import LIMITS

__all__ = ["no_proxy_env"]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _replace_links(routes: dict[str, Resp], old: str, new: str) -> dict[str, Resp]:
    """The same shop with one footer link pointing elsewhere on every page."""
    out = dict(routes)
    for path, r in routes.items():
        if isinstance(r.body, bytes) and f'href="{old}"'.encode() in r.body:
            body = r.body.replace(f'href="{old}"'.encode(), f'href="{new}"'.encode())
            out[path] = Resp(r.status, body, r.headers, r.delay)
    out.pop(old, None)
    return out


def _crawl(routes_of: object) -> tuple[SiteReport, list[str], str]:
    with ShopServer() as other, ShopServer() as shop:
        shop.routes = routes_of(other.base)  # type: ignore[operator]
        report = check_site(shop.base, config=Config(strict=True), limits=LIMITS)
        return report, shop.paths(), shop.base


# --- a home page with thousands of links ------------------------------------------------------


class _MemoryShop(httpx.BaseTransport):
    """Answers from a dict, without a network: the crawl's own cost is what is measured."""

    def __init__(self, pages: dict[str, str]) -> None:
        self.pages = pages
        self.paths: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.raw_path.decode())
        markup = self.pages.get(request.url.raw_path.decode())
        if markup is None:
            return httpx.Response(404, content=b"", request=request)
        headers = {"Content-Type": "text/html; charset=utf-8"}
        return httpx.Response(200, content=markup.encode(), headers=headers, request=request)


def _product(n: int) -> str:
    return (f"<html><head><title>Áo {n}</title></head><body><h1>Áo thun {n}</h1>"
            "<p>Giá 100.000đ</p><button>Thêm vào giỏ</button></body></html>")  # fmt: skip


def test_twenty_thousand_product_links_are_queued_in_link_order() -> None:
    cards = "".join(f'<a href="/products/sp-{i}">Áo thun {i}</a> ' for i in range(20_000))
    home = (f"<html><head><title>Shop</title></head><body>{cards}"
            '<footer><a href="/chinh-sach-doi-tra">Chính sách đổi trả</a></footer>'
            "</body></html>")  # fmt: skip
    pages = {"/": home, "/robots.txt": ""} | {f"/products/sp-{i}": _product(i) for i in range(5)}
    transport = _MemoryShop(pages)
    limits = CrawlLimits(delay=0, refuse_private=False, max_products=3)
    with Fetcher(limits, transport=transport, trust_env=False) as fetcher:
        report = check_site("http://shop.example/", fetcher=fetcher)
    fetched = [p for p in transport.paths if p.startswith("/products/")]
    assert fetched == ["/products/sp-0", "/products/sp-1", "/products/sp-2"]
    # The policy link (higher priority) came before any product, whatever its place.
    assert transport.paths.index("/chinh-sach-doi-tra") < transport.paths.index("/products/sp-0")
    # The report lists the first 200 links left out and counts the rest.
    budget = [s.url for s in report.skipped if s.reason == "crawl.budget"]
    assert len(budget) == 200 and budget[0] == "http://shop.example/products/sp-3"
    assert report.skipped_omitted == {"crawl.budget": 19_797}
    html = render_html(report)
    assert "… và 19797 liên kết khác" in html and "(19997)" in html


# --- policies published as files ---------------------------------------------------------------


def test_policy_published_as_a_pdf_link_is_unverified_not_missing() -> None:
    def routes(other: str) -> dict[str, Resp]:
        r = _replace_links(shop_routes(other), "/chinh-sach-doi-tra", "/files/doi-tra.pdf")
        r["/files/doi-tra.pdf"] = Resp(200, PDF, {"Content-Type": "application/pdf"})
        return r

    report, paths, base = _crawl(routes)
    assert "/files/doi-tra.pdf" not in paths  # files are never requested
    assert report.rule_runs["policy.returns"].status is RunStatus.PASS
    check = next(p for p in report.policies if p.policy == "returns")
    assert check.status == "unverified" and check.target == base + "/files/doi-tra.pdf"
    assert check.rejected == [f"{base}/files/doi-tra.pdf: crawl.file"]


def test_policy_page_that_is_a_pdf_or_a_picture_is_unverified() -> None:
    def routes(other: str) -> dict[str, Resp]:
        r = shop_routes(other)
        r["/chinh-sach-doi-tra"] = Resp(200, PDF, {"Content-Type": "application/pdf"})
        r["/chinh-sach-bao-mat"] = Resp(200, b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
                                        {"Content-Type": "image/png"})  # fmt: skip
        return r

    report, _, base = _crawl(routes)
    for kind, path in (("returns", "/chinh-sach-doi-tra"), ("privacy", "/chinh-sach-bao-mat")):
        assert report.rule_runs[f"policy.{kind}"].status is RunStatus.PASS
        check = next(p for p in report.policies if p.policy == kind)
        assert check.status == "unverified"
        assert check.rejected == [f"{base}{path}: crawl.not_html"]


def test_html_page_about_something_else_still_does_not_count() -> None:
    def routes(other: str) -> dict[str, Resp]:
        r = shop_routes(other)
        r["/chinh-sach-doi-tra"] = Resp.html(
            "<html><head><title>Tin tức</title></head><body><h1>Tin tức</h1></body></html>"
        )
        return r

    report, _, _ = _crawl(routes)
    assert report.rule_runs["policy.returns"].status is RunStatus.FAIL


# --- non-ASCII addresses ---------------------------------------------------------------------


def test_canonical_url_writes_idn_hosts_and_paths_as_sent() -> None:
    idn = "http://xn--cahng-tqa2694c.vn/"
    assert canonical_url("http://CỬAHÀNG.vn") == idn
    assert canonical_url("http://cửahàng.vn/chính-sách?q=áo thun#x") == (
        idn + "ch%C3%ADnh-s%C3%A1ch?q=%C3%A1o%20thun"
    )
    assert canonical_url("http://shop.vn/ch%c3%adnh-s%C3%A1ch") == (
        "http://shop.vn/ch%C3%ADnh-s%C3%A1ch"
    )
    assert same_site(canonical_url("http://www.cửahàng.vn/") or "", idn)
    # ASCII URLs are unchanged, reserved escapes stay escaped.
    assert canonical_url("http://shop.vn/p?a=1&b=%2F") == "http://shop.vn/p?a=1&b=%2F"
    assert canonical_url("http://[::1]:8080/x") == "http://[::1]:8080/x"
    assert not same_site(idn, "http://xn--cahng-tqa2694c.com/")


def test_vietnamese_path_written_two_ways_is_fetched_once() -> None:
    encoded = "/ch%C3%ADnh-s%C3%A1ch-%C4%91%E1%BB%95i-tr%E1%BA%A3"

    def routes(other: str) -> dict[str, Resp]:
        r = _replace_links(shop_routes(other), "/chinh-sach-doi-tra", "/chính-sách-đổi-trả")
        home = r["/"]
        assert isinstance(home.body, bytes)
        body = home.body.replace(
            b"<h2>", f'<p><a href="{encoded}">Chính sách đổi trả</a></p><h2>'.encode(), 1
        )
        r["/"] = Resp(200, body, home.headers)
        r[encoded] = Resp.html(
            "<html><head><title>Chính sách đổi trả</title></head>"
            "<body><h1>Chính sách đổi trả</h1></body></html>"
        )
        return r

    report, paths, base = _crawl(routes)
    assert paths.count(encoded) == 1
    check = next(p for p in report.policies if p.policy == "returns")
    assert check.status == "verified" and check.target == base + encoded


def test_idn_shop_redirecting_to_its_punycode_host_is_assessed() -> None:
    home = ("<html><head><title>Cửa Hàng</title></head><body><p>Áo thun 100.000đ</p>"
            '<footer><a href="https://xn--cahng-tqa2694c.vn/chinh-sach-doi-tra">'
            "Chính sách đổi trả</a></footer></body></html>")  # fmt: skip
    policy = ("<html><head><title>Chính sách đổi trả</title></head><body>"
              "<h1>Chính sách đổi trả</h1></body></html>")  # fmt: skip

    def handler(request: httpx.Request) -> httpx.Response:
        host, path = request.url.raw_host.decode("ascii"), request.url.path
        if request.url.scheme == "http":
            return httpx.Response(301, headers={"Location": f"https://{host}{path}"})
        pages = {"/": home, "/chinh-sach-doi-tra": policy}
        if path not in pages:
            return httpx.Response(404)
        return httpx.Response(200, text=pages[path], headers={"Content-Type": "text/html"})

    limits = CrawlLimits(delay=0, refuse_private=False)
    transport = httpx.MockTransport(handler)
    with Fetcher(limits, transport=transport, trust_env=False) as fetcher:
        report = check_site("http://cửahàng.vn", fetcher=fetcher)
    assert report.status is not RunStatus.NOT_ASSESSED, report.reason
    assert report.pages[0].fetch is not None
    assert report.pages[0].fetch.final_url == "https://xn--cahng-tqa2694c.vn/"
    check = next(p for p in report.policies if p.policy == "returns")
    assert check.status == "verified"


def test_fetcher_reads_responses_a_transport_already_holds_in_memory() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(200, content=b"<html>" + b"x" * 5000, request=request)

    limits = CrawlLimits(delay=0, refuse_private=False, max_bytes=2048)
    with Fetcher(limits, transport=httpx.MockTransport(handler), trust_env=False) as f:
        whole = f.fetch("http://shop.example/a")
        assert whole.error == "too_large" and whole.truncated
    limits = CrawlLimits(delay=0, refuse_private=False)
    with Fetcher(limits, transport=httpx.MockTransport(handler), trust_env=False) as f:
        rec = f.fetch("http://shop.example/a")
        assert rec.ok and rec.body == b"<html>" + b"x" * 5000


def test_home_page_redirecting_to_another_site_names_the_new_address() -> None:
    def routes(other: str) -> dict[str, Resp]:
        return {"/": Resp.redirect("http://shop-moi.example/", 301)}

    report, _, base = _crawl(routes)
    assert report.status is RunStatus.NOT_ASSESSED
    assert report.reason_id == "site.home_moved"
    assert report.reason_params == {"url": base + "/", "target": "http://shop-moi.example/"}
    assert "http://shop-moi.example/" in (report.reason or "")


def test_home_page_that_cannot_be_fetched_keeps_the_generic_reason() -> None:
    report, _, _ = _crawl(lambda other: {"/": Resp.redirect("/a"), "/a": Resp.redirect("/")})
    assert report.reason_id == "site.home_failed"
    assert report.reason_params["why_id"] == "fetch.redirect_loop"


def test_redirect_to_a_raw_utf8_vietnamese_path_is_followed() -> None:
    encoded = "/ch%C3%ADnh-s%C3%A1ch-%C4%91%E1%BB%95i-tr%E1%BA%A3"
    # The server writes the UTF-8 bytes of the path into the header, unencoded.
    raw = "/chính-sách-đổi-trả".encode().decode("latin-1")
    limits = CrawlLimits(delay=0, refuse_private=False)
    with ShopServer() as shop:
        shop.routes = {
            "/old": Resp(301, b"", {"Location": raw}),
            "/cu": Resp(301, b"", {"Location": "/caf\xe9"}),  # Latin-1, as it is
            encoded: Resp.html("<h1>Chính sách đổi trả</h1>"),
            "/caf%C3%A9": Resp.html("<h1>Café</h1>"),
        }
        with Fetcher(limits) as f:
            rec = f.fetch(shop.url("/old"), site=shop.base)
            latin = f.fetch(shop.url("/cu"), site=shop.base)
    assert rec.ok and rec.final_url == shop.base + encoded
    assert rec.redirects[0].location == shop.base + encoded
    assert latin.ok and latin.final_url == shop.base + "/caf%C3%A9"
