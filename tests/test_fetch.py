"""Polite, bounded fetching: robots.txt, pacing, caps, redirects, refusals, provenance."""

from __future__ import annotations

import gzip
import hashlib
import itertools
import socket

import pytest

from ecomcheck.fetch import (
    USER_AGENT,
    CrawlLimits,
    Fetcher,
    canonical_url,
    decode_content,
    same_site,
)
from shop_server import BIG, Resp, ShopServer, no_proxy_env, shop_routes

__all__ = ["no_proxy_env"]

FAST = CrawlLimits(delay=0, timeout=0.5, deadline=2, max_bytes=1_000_000, refuse_private=False)


@pytest.fixture(scope="module")
def shop() -> ShopServer:
    with ShopServer(shop_routes()) as server:
        yield server


def test_user_agent_names_the_tool(shop: ShopServer) -> None:
    with Fetcher(FAST) as f:
        rec = f.fetch(shop.url("/"), site=shop.url("/"))
    assert rec.ok
    agents = {h.user_agent for h in shop.hits}
    assert agents == {USER_AGENT}
    assert USER_AGENT.startswith("ecomcheck/") and "+http" in USER_AGENT


def test_record_has_provenance(shop: ShopServer) -> None:
    with Fetcher(FAST) as f:
        rec = f.fetch(shop.url("/gioi-thieu"), site=shop.url("/"))
    assert rec.ok and rec.status == 200
    assert rec.requested_url == shop.url("/gioi-thieu")
    assert rec.final_url == shop.url("/pages/gioi-thieu")
    assert [(h.url, h.status, h.location) for h in rec.redirects] == [
        (shop.url("/gioi-thieu"), 301, shop.url("/pages/gioi-thieu"))
    ]
    assert rec.sha256 == hashlib.sha256(rec.body).hexdigest()
    assert rec.fetched_at is not None and rec.fetched_at.tzinfo is not None
    assert rec.content_type == "text/html; charset=utf-8"


def test_robots_disallowed_is_never_requested() -> None:
    with ShopServer(shop_routes()) as server, Fetcher(FAST) as f:
        rec = f.fetch(server.url("/private/chinh-sach-dai-ly"), site=server.url("/"))
        assert rec.error == "robots_disallowed" and rec.status is None
        assert server.paths() == ["/robots.txt"]
        assert f.check(server.url("/products/hang-noi-bo"))[0] == "robots_disallowed"
        assert f.check(server.url("/products/ao-thun-trang")) == (None, "")
        assert server.paths() == ["/robots.txt"]  # robots.txt read once per origin


@pytest.mark.parametrize(
    ("robots", "allowed"),
    [
        (Resp(404, b"nope", {"Content-Type": "text/plain"}), True),  # RFC 9309: 4xx, allow
        (Resp(503, b"busy", {"Content-Type": "text/plain"}), False),  # 5xx: disallow all
        (Resp(200, b"User-agent: ecomcheck\nDisallow: /\n", {}), False),
        (Resp(200, b"User-agent: otherbot\nDisallow: /\n", {}), True),
    ],
)
def test_robots_status_rules(robots: Resp, allowed: bool) -> None:
    routes = {"/robots.txt": robots, "/": Resp.html("<p>ok</p>")}
    with ShopServer(routes) as server, Fetcher(FAST) as f:
        rec = f.fetch(server.url("/"))
        assert (rec.error is None) is allowed
        assert ("/" in server.paths()) is allowed


def test_crawl_delay_and_rate_limit() -> None:
    routes = {"/robots.txt": Resp(200, b"User-agent: *\nCrawl-delay: 0.3\n", {})}
    routes |= {f"/{i}": Resp.html(f"<p>{i}</p>") for i in range(3)}
    with ShopServer(routes) as server, Fetcher(FAST.model_copy(update={"delay": 0.1})) as f:
        for i in range(3):
            assert f.fetch(server.url(f"/{i}")).ok
        times = [h.at for h in server.hits if h.path != "/robots.txt"]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert all(g >= 0.25 for g in gaps), gaps  # Crawl-delay 0.3 beats delay 0.1


def test_slow_page_times_out(shop: ShopServer) -> None:
    with Fetcher(FAST.model_copy(update={"timeout": 0.3})) as f:
        rec = f.fetch(shop.url("/products/ao-thun-cham"))
    assert rec.error == "timeout" and rec.status is None


@pytest.mark.parametrize("path", ["/products/ao-thun-lon", "/products/ao-thun-lon-2"])
def test_size_cap(shop: ShopServer, path: str) -> None:
    with Fetcher(FAST) as f:
        rec = f.fetch(shop.url(path))
    assert rec.error == "too_large" and rec.truncated
    assert rec.status == 200 and rec.body == b""
    assert f.limits.max_bytes < BIG


def test_redirect_loop_and_cap() -> None:
    routes = {f"/r{i}": Resp.redirect(f"/r{i + 1}") for i in range(10)}
    with ShopServer(shop_routes() | routes) as server, Fetcher(FAST) as f:
        loop = f.fetch(server.url("/products/vong-lap"))
        assert loop.error == "redirect_loop" and len(loop.redirects) == 2
        many = f.fetch(server.url("/r0"))
        assert many.error == "too_many_redirects"
        assert len(many.redirects) == FAST.max_redirects + 1
        assert server.paths().count("/r7") == 0


def test_scheme_and_off_site_refused() -> None:
    with ShopServer() as other:
        routes = {"/away": Resp.redirect(other.url("/x")), "/ftp": Resp.redirect("ftp://x/y")}
        with ShopServer(routes) as server, Fetcher(FAST) as f:
            assert f.fetch("ftp://example.vn/file").error == "scheme_refused"
            assert f.fetch("javascript:alert(1)").error == "scheme_refused"
            away = f.fetch(server.url("/away"), site=server.url("/"))
            assert away.error == "off_site_redirect" and away.redirects[0].location == other.url(
                "/x"
            )
            assert f.fetch(other.url("/x"), site=server.url("/")).error == "off_site"
            assert f.fetch(server.url("/ftp")).error == "scheme_refused"
        assert other.paths() == []


def test_private_addresses_refused_before_any_request() -> None:
    with ShopServer(shop_routes()) as server:
        with Fetcher(CrawlLimits(delay=0)) as f:  # the default refuses
            rec = f.fetch(server.url("/"))
            assert rec.error == "private_address" and "127.0.0.1" in rec.detail
            assert f.fetch("http://localhost:1/").error == "private_address"

        def resolver(host: str, port: int, *args: object) -> list[tuple[object, ...]]:
            ip = {"shop.example.vn": "10.1.2.3", "public.example.vn": "93.184.216.34"}[host]
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))]

        with Fetcher(CrawlLimits(delay=0), resolver=resolver) as f:
            assert f._address_refusal("http://shop.example.vn/") == (
                "private_address",
                "shop.example.vn -> 10.1.2.3",
            )
            assert f._address_refusal("http://public.example.vn/") == (None, "")
        assert server.paths() == []


def test_unreachable_host() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    with Fetcher(FAST) as f:
        rec = f.fetch(f"http://127.0.0.1:{port}/")
    assert rec.error == "connect_error"
    assert "robots.txt" in rec.detail


def test_gzip_body_is_decoded_and_capped() -> None:
    page = b"<html><body><p>" + "Xin chào".encode() * 100 + b"</p></body></html>"
    bomb = gzip.compress(b"a" * 3_000_000)
    routes = {
        "/z": Resp(
            200, gzip.compress(page), {"Content-Type": "text/html", "Content-Encoding": "gzip"}
        ),
        "/bomb": Resp(200, bomb, {"Content-Type": "text/html", "Content-Encoding": "gzip"}),
    }
    with ShopServer(routes) as server, Fetcher(FAST) as f:
        rec = f.fetch(server.url("/z"))
        assert rec.ok and rec.body == page
        assert rec.sha256 == hashlib.sha256(page).hexdigest()
        assert f.fetch(server.url("/bomb")).error == "too_large"
    assert decode_content("br", b"xx", 100) == (b"", "bad_encoding")


def test_url_helpers() -> None:
    assert canonical_url("HTTPS://Shop.VN:443/a#x") == "https://shop.vn/a"
    assert canonical_url("http://shop.vn") == "http://shop.vn/"
    assert canonical_url("mailto:a@b.vn") is None
    assert same_site("https://www.shop.com.vn/a", "http://shop.com.vn/")
    assert not same_site("https://shop.com.vn/", "https://othershop.com.vn/")
    assert same_site("http://127.0.0.1:8000/a", "http://127.0.0.1:8000/b")
    assert not same_site("http://127.0.0.1:8000/", "http://127.0.0.1:8001/")
