"""WARC archives: every request and response recorded, findings name their records,
and an offline re-check of the archive reproduces the live run."""

from __future__ import annotations

import datetime as dt
import io
import socket
from collections import Counter
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from ecomcheck import Config, check_archive, check_site
from ecomcheck.archive import ArchiveReader, is_archive_path
from ecomcheck.fetch import CrawlLimits
from ecomcheck.models import Report, RunStatus, SiteReport
from shop_server import Resp, ShopServer, no_proxy_env, shop_routes

__all__ = ["no_proxy_env"]

LIMITS = CrawlLimits(
    delay=0, timeout=0.3, deadline=2, max_bytes=1_000_000, refuse_private=False, max_products=10
)
# A retired 11-digit mobile number in the footer of one product page only: a site
# finding whose evidence must name that page and its record.
RETIRED = '<p class="hotline">Hotline: 0168 123 4567</p></footer>'


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> tuple[SiteReport, Path, list[str]]:
    path = tmp_path_factory.mktemp("warc") / "shop.warc.gz"
    with ShopServer() as other, ShopServer() as shop:
        routes = shop_routes(other.base, remove=("/chinh-sach-doi-tra",))
        page = routes["/products/ao-thun-xanh"]
        assert isinstance(page.body, bytes)
        page.body = page.body.replace(b"</footer>", RETIRED.encode())
        shop.routes = routes
        report = check_site(shop.base, config=Config(strict=True), limits=LIMITS, archive=path)
        paths = shop.paths()
    return report, path, paths


def _records(path: Path) -> list[tuple[str, str, str, dict[str, str]]]:
    out = []
    with open(path, "rb") as fh:
        for rec in ArchiveIterator(fh, check_digests=True):
            h = rec.rec_headers
            out.append(
                (
                    rec.rec_type,
                    h.get_header("WARC-Record-ID"),
                    h.get_header("WARC-Target-URI") or "",
                    dict(h.headers),
                )
            )
            rec.content_stream().read()
    return out


def test_every_request_and_response_is_recorded(live: tuple[SiteReport, Path, list[str]]) -> None:
    _, path, paths = live
    records = _records(path)
    kinds = Counter(r[0] for r in records)
    assert records[0][0] == "warcinfo"
    # One request record per request the server saw; the slow page got no response.
    assert kinds["request"] == len(paths)
    assert kinds["response"] == len(paths) - 1
    assert kinds["metadata"] == 1
    requested = sorted(r[2].split("/", 3)[-1] for r in records if r[0] == "request")
    assert requested == sorted(p.lstrip("/") for p in paths)
    digests = [r[3].get("WARC-Payload-Digest", "") for r in records if r[0] == "response"]
    assert all(d.startswith("sha256:") for d in digests)
    truncated = [r for r in records if r[0] == "response" and "WARC-Truncated" in r[3]]
    assert {r[2].rsplit("/", 1)[-1] for r in truncated} == {"ao-thun-lon", "ao-thun-lon-2"}


def test_findings_name_their_records(live: tuple[SiteReport, Path, list[str]]) -> None:
    report, path, _ = live
    responses = {r[1]: r[2] for r in _records(path) if r[0] == "response"}
    ids = sorted(f.rule_id for f in report.findings)
    assert ids == ["contact.phone_invalid", "policy.returns"]
    for f in report.all_findings():
        for ev in f.evidence:
            assert ev.record in responses, (f.rule_id, ev)
            assert responses[ev.record] == ev.url
    phone = next(f for f in report.findings if f.rule_id == "contact.phone_invalid")
    assert phone.evidence[0].url.endswith("/products/ao-thun-xanh")
    for page in report.pages:
        fetch = page.fetch
        assert fetch is not None
        if fetch.status is not None:
            assert fetch.record in responses and fetch.request_record
            assert fetch.warc_offset is not None and fetch.warc_length


def test_offline_recheck_reproduces_findings(
    live: tuple[SiteReport, Path, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    report, path, _ = live

    def no_network(*args: object, **kw: object) -> None:
        raise AssertionError("the re-check touched the network")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    again = check_archive(path, config=Config(strict=True))
    assert again.crawl.replayed and again.crawl.archive == str(path)
    assert [f.model_dump() for f in again.findings] == [f.model_dump() for f in report.findings]
    assert again.summary == report.summary
    for old, new in zip(report.pages, again.pages, strict=True):
        assert _identity(new) == _identity(old), old.subject.url
    assert [p.fetch for p in again.pages] == [p.fetch for p in report.pages]
    assert [(p.status, p.reason) for p in again.pages] == [
        (p.status, p.reason) for p in report.pages
    ]
    assert again.facts == report.facts and again.policies == report.policies
    assert again.skipped == report.skipped and again.status is report.status
    assert again.as_of == report.as_of


def _identity(page: Report) -> list[tuple[str, str, str, str]]:
    """What makes page findings the same: rule, fingerprint, outcome, severity.

    (Which product a page-wide price finding quotes as its example may vary between
    runs of the offer extractor; the finding itself does not.)
    """
    return sorted(
        (f.rule_id, f.fingerprint, f.outcome.value, f.severity.value) for f in page.findings
    )


def test_archive_metadata(live: tuple[SiteReport, Path, list[str]]) -> None:
    report, path, _ = live
    reader = ArchiveReader(path)
    assert reader.start_url == report.crawl.start_url
    assert reader.limits() == LIMITS
    assert reader.as_of() == report.as_of
    assert reader.info["software"].startswith("ecomcheck/")
    assert is_archive_path(path) and is_archive_path("X.WARC") and not is_archive_path("a.html")


def test_refusals_replay_without_dns(tmp_path: Path) -> None:
    path = tmp_path / "refused.warc.gz"
    with ShopServer(shop_routes()) as shop:
        live = check_site(shop.base, limits=CrawlLimits(delay=0), archive=path)
        assert shop.paths() == []
    again = check_archive(path)
    assert live.status is again.status is RunStatus.NOT_ASSESSED
    assert again.reason == live.reason and again.pages[0].fetch.error == "private_address"


def test_foreign_archive_without_warcinfo(tmp_path: Path) -> None:
    """A WARC from another crawler: chunked body kept, no robots.txt, no warcinfo."""
    path = tmp_path / "other.warc"
    page = (
        '<html><body><a href="/cart">Giỏ hàng</a><p>Áo 100.000đ</p>'
        '<a href="/chinh-sach-doi-tra">Chính sách đổi trả</a></body></html>'
    ).encode()
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(page), page)
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=False)
        headers = StatusAndHeaders(
            "200 OK",
            [("Content-Type", "text/html; charset=utf-8"), ("Transfer-Encoding", "chunked")],
            protocol="HTTP/1.1",
        )
        writer.write_record(
            writer.create_warc_record(
                "https://shop.example.vn/",
                "response",
                payload=io.BytesIO(chunked),
                length=len(chunked),
                http_headers=headers,
            )
        )
    report = check_archive(path, config=Config(as_of=dt.date(2026, 11, 29)))
    assert report.status is RunStatus.FAIL
    assert report.subject.url == "https://shop.example.vn/"
    home = report.pages[0]
    assert home.status is not RunStatus.NOT_ASSESSED and home.fetch.sha256
    policy = next(p for p in report.policies if p.policy == "returns")
    assert policy.status == "unverified"  # linked, but the page is not in the archive
    assert "policy.returns" not in [f.rule_id for f in report.findings]


def test_not_an_archive(tmp_path: Path) -> None:
    bad = tmp_path / "x.warc.gz"
    bad.write_bytes(b"not a warc at all")
    with pytest.raises(ValueError):
        check_archive(bad)


def test_replay_serves_recorded_redirects(tmp_path: Path) -> None:
    path = tmp_path / "r.warc.gz"
    routes = {
        "/": Resp.redirect("/home"),
        "/home": Resp.html("<html><body><p>Xin chào</p></body></html>"),
    }
    with ShopServer(routes) as shop:
        live = check_site(shop.base, limits=LIMITS, archive=path)
    again = check_archive(path)
    assert live.pages[0].fetch.redirects and again.pages[0].fetch == live.pages[0].fetch
