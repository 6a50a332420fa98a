"""Whole-site checks: the crawl plan, facts fused across pages, site verdicts."""

from __future__ import annotations

import io
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources

import pytest

from ecomcheck import Category, Confidence, Config, Severity, check_site
from ecomcheck.fetch import CrawlLimits
from ecomcheck.models import Outcome, RunStatus, SiteReport
from ecomcheck.rules.base import _REGISTRY, Rule, RuleContext, RuleMeta
from ecomcheck.site import (
    SITE_CATEGORIES,
    CrawlProgress,
    StderrProgress,
    classify_link,
    is_skipped_url,
)
from shop_server import MST, Resp, ShopServer, _page, no_proxy_env, shop_routes

__all__ = ["no_proxy_env"]

LIMITS = CrawlLimits(
    delay=0, timeout=0.3, deadline=2, max_bytes=1_000_000, refuse_private=False, max_products=10
)
SITE_PREFIXES = tuple(c.value + "." for c in SITE_CATEGORIES)


@dataclass
class Crawl:
    report: SiteReport
    shop_paths: list[str]
    other_paths: list[str]
    base: str


def crawl(
    remove: tuple[str, ...] = (), extra: dict[str, Resp] | None = None, **kw: object
) -> Crawl:
    with ShopServer() as other, ShopServer() as shop:
        shop.routes = shop_routes(other.base, remove=remove) | (extra or {})
        report = check_site(shop.base, config=Config(strict=True), limits=LIMITS)
        return Crawl(report, shop.paths(), other.paths(), shop.base)


@pytest.fixture(scope="module")
def spread() -> Crawl:
    """Registration on /gioi-thieu, address on /lien-he, policies on their own pages."""
    return crawl()


@pytest.fixture(scope="module")
def no_returns() -> Crawl:
    return crawl(remove=("/chinh-sach-doi-tra",))


def _site_ids(report: SiteReport) -> list[str]:
    # Only the site-level categories: other rules (goods, origin, price) judge pages.
    return [f.rule_id for f in report.findings if f.rule_id.startswith(SITE_PREFIXES)]


def test_spread_shop_has_no_identity_or_policy_finding(spread: Crawl) -> None:
    r = spread.report
    assert r.findings == [], [f.rule_id for f in r.findings]
    assert _site_ids(r) == []
    runs = r.rule_runs
    assert runs["business_registration.identity_missing"].status is RunStatus.PASS
    assert runs["contact.no_address"].status is RunStatus.PASS
    assert all(runs[k].status is RunStatus.PASS for k in runs if k.startswith("policy."))


def test_facts_keep_their_page(spread: Crawl) -> None:
    base = spread.base
    where = {(f.kind, f.value): f.evidence.url for f in spread.report.facts}
    assert where[("registration_number", MST)] == base + "/pages/gioi-thieu"
    assert where[("address", "123 Nguyễn Trãi, Phường Bến Thành, Quận 1, TP. Hồ Chí Minh")] == (
        base + "/lien-he"  # decoded from windows-1258
    )
    assert where[("phone", "0909 123 456")] == base + "/lien-he"
    assert where[("badge_link", "http://online.gov.vn/Home/WebDetails/12345")] == base + "/"
    fact = next(f for f in spread.report.facts if f.kind == "registration_number")
    assert fact.evidence.selector and MST in (fact.evidence.snippet or "")


def test_policies_verified_by_their_pages(spread: Crawl) -> None:
    status = {p.policy: p.status for p in spread.report.policies}
    assert status["returns"] == "verified"
    assert status["inspection"] == "section"  # a heading on the shipping page
    returns = next(p for p in spread.report.policies if p.policy == "returns")
    assert returns.target == spread.base + "/chinh-sach-doi-tra"


def test_removed_returns_page_gives_exactly_one_finding(no_returns: Crawl) -> None:
    r = no_returns.report
    assert _site_ids(r) == ["policy.returns"]
    f = r.findings[0]
    assert f.outcome is Outcome.FAIL and r.status is RunStatus.FAIL
    # The evidence shows the footer link and the 404 it leads to.
    urls = [ev.url for ev in f.evidence]
    assert urls == [no_returns.base + "/", no_returns.base + "/chinh-sach-doi-tra"]
    assert f.evidence[0].selector and f.evidence[1].snippet == "HTTP 404"
    check = next(p for p in r.policies if p.policy == "returns")
    assert check.status == "missing" and "HTTP 404" in check.rejected[0]


def test_same_fingerprint_as_a_home_page_check(no_returns: Crawl) -> None:
    from ecomcheck import check_page

    page = check_page(
        '<html><body><a href="/cart">Giỏ hàng</a> <p>Giá 100.000đ</p></body></html>',
        url=no_returns.base + "/",
        config=Config(select=("policy.returns",)),
    )
    assert page.findings[0].fingerprint == no_returns.report.findings[0].fingerprint


def test_off_site_and_disallowed_pages_are_never_requested(spread: Crawl) -> None:
    assert spread.other_paths == []
    assert not any(p.startswith("/private/") for p in spread.shop_paths)
    assert "/products/hang-noi-bo" not in spread.shop_paths
    assert "/cart" not in spread.shop_paths and "/account/login" not in spread.shop_paths
    assert spread.shop_paths[:2] == ["/robots.txt", "/"]
    assert spread.shop_paths.count("/robots.txt") == 1
    reasons = {s.url.rsplit("/", 1)[-1]: s.reason for s in spread.report.skipped}
    assert reasons["chinh-sach-dai-ly"] == "fetch.robots_disallowed"
    assert reasons["hang-noi-bo"] == "fetch.robots_disallowed"
    assert reasons["hang-doi-tac"] == "crawl.off_site"


def test_pages_and_roles(spread: Crawl) -> None:
    by_path = {p.fetch.requested_url.removeprefix(spread.base): p for p in spread.report.pages}
    assert by_path["/"].fetch.role == "home"
    assert by_path["/gioi-thieu"].fetch.role == "about"
    assert by_path["/gioi-thieu"].fetch.redirects[0].status == 301
    assert by_path["/lien-he"].fetch.role == "contact"
    assert by_path["/lien-he"].subject.encoding == "cp1258"
    assert by_path["/collections/all"].fetch.role == "listing"
    assert by_path["/products/ao-thun-den"].fetch.found_on == spread.base + "/collections/all"
    for page in spread.report.pages:
        assert page.fetch is not None and page.fetch.fetched_at is not None
        # Site categories are judged once for the site, never per page.
        assert not any(k.startswith(SITE_PREFIXES) for k in page.rule_runs)


def test_problem_pages_are_not_assessed_with_a_reason(spread: Crawl) -> None:
    pages = {p.fetch.requested_url.removeprefix(spread.base): p for p in spread.report.pages}
    expect = {
        "/products/ao-thun-cham": "timeout",
        "/products/ao-thun-lon": "too_large",
        "/products/ao-thun-lon-2": "too_large",
        "/products/vong-lap": "redirect_loop",
    }
    for path, error in expect.items():
        assert pages[path].status is RunStatus.NOT_ASSESSED, path
        assert pages[path].fetch.error == error
        assert pages[path].reason
    image = pages["/products/ao-thun-anh"]
    assert image.status is RunStatus.NOT_ASSESSED and "image/jpeg" in (image.reason or "")
    octet = pages["/products/ao-thun-octet"]
    assert octet.status is not RunStatus.NOT_ASSESSED
    assert "content_type_mismatch" in octet.subject.warnings


def test_budget_limits_the_sample() -> None:
    limits = LIMITS.model_copy(update={"max_products": 2, "max_listings": 0})
    with ShopServer() as shop:
        shop.routes = shop_routes()
        r = check_site(shop.base, limits=limits)
        paths = shop.paths()
    products = [p for p in paths if p.startswith("/products/")]
    assert products == ["/products/ao-thun-trang", "/products/ao-thun-xanh"]
    assert "/collections/all" not in paths
    assert {s.reason for s in r.skipped} >= {"crawl.budget"}


def test_js_shell_is_not_assessed() -> None:
    shell = (
        '<!doctype html><html><head><script src="/app.js"></script></head>'
        '<body><div id="root"></div><noscript>Bật JavaScript</noscript></body></html>'
    )
    with ShopServer({"/": Resp.html(shell)}) as shop:
        r = check_site(shop.base, limits=LIMITS)
    assert r.status is RunStatus.NOT_ASSESSED
    assert r.reason_id == "site.js_shell" and "JavaScript" in (r.reason or "")
    assert r.findings == [] and r.summary.fail == 0
    assert all(run.status is RunStatus.NOT_ASSESSED for run in r.rule_runs.values())


def test_unreachable_site_is_not_assessed() -> None:
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    r = check_site(f"http://127.0.0.1:{port}/", config=Config(lang="en"), limits=LIMITS)
    assert r.status is RunStatus.NOT_ASSESSED and r.findings == []
    assert (
        r.reason
        == f"The home page http://127.0.0.1:{port}/ could not be fetched: the server could not be reached."
    )
    assert r.pages[0].fetch.error == "connect_error"


def test_private_address_refused_by_default() -> None:
    with ShopServer(shop_routes()) as shop:
        r = check_site(shop.base, limits=CrawlLimits(delay=0))
        assert shop.paths() == []
    assert r.status is RunStatus.NOT_ASSESSED and r.pages[0].fetch.error == "private_address"


@pytest.fixture
def marker_rule() -> Iterator[str]:
    """A page rule in a goods category, to show page findings stay on their page."""
    meta = RuleMeta(
        id="price.test_site_marker",
        name="test marker",
        category=Category.PRICE,
        severity=Severity.LOW,
        confidence=Confidence.HIGH,
        legal_keys=(),
        summary="test",
        rationale="test",
    )

    def check(ctx: RuleContext) -> None:
        text = ctx.subject.doc.text
        i = text.find("Áo thun xanh")
        if ctx.subject.page_kind.value == "product" and i >= 0:
            ctx.fail("price.test_site_marker", [ctx.subject.evidence(i, i + 12)], value="xanh")

    _REGISTRY[meta.id] = Rule(meta, check)
    yield meta.id
    del _REGISTRY[meta.id]


def test_page_findings_stay_with_their_page(marker_rule: str) -> None:
    c = crawl(remove=("/chinh-sach-doi-tra",))
    r = c.report
    assert [f.rule_id for f in r.findings] == ["policy.returns"]
    holders = [p for p in r.pages if any(f.rule_id == marker_rule for f in p.findings)]
    assert [p.subject.url for p in holders] == [c.base + "/products/ao-thun-xanh"]
    ev = holders[0].findings[0].evidence[0]
    assert ev.url == c.base + "/products/ao-thun-xanh"
    # The summary counts site and page findings together.
    assert r.summary.by_category["policy"] == 1
    assert (
        len(r.failed())
        == r.summary.fail
        == sum(1 for f in r.all_findings() if f.outcome is Outcome.FAIL)
    )


def test_progress_goes_to_stderr_only(capsys: pytest.CaptureFixture[str]) -> None:
    events: list[CrawlProgress] = []
    buf = io.StringIO()
    shown = StderrProgress(after=0, stream=buf)

    def both(e: CrawlProgress) -> None:
        events.append(e)
        shown(e)

    with ShopServer() as shop:
        shop.routes = shop_routes()
        check_site(shop.base, limits=LIMITS.model_copy(update={"max_products": 1}), progress=both)
        StderrProgress(after=0)(events[0])
    assert events[0].role == "home" and events[0].done == 1
    assert len(events) >= 5 and "ecomcheck: [1/1] home: " in buf.getvalue()
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("ecomcheck: [1/1] home:")
    quiet = io.StringIO()
    StderrProgress(after=60, stream=quiet)(events[0])
    assert quiet.getvalue() == ""


def test_crawl_vocabulary_examples() -> None:
    data = tomllib.loads(
        resources.files("ecomcheck.data").joinpath("crawl.toml").read_text("utf-8")
    )
    for role, spec in data["link"].items():
        for ex in spec["examples"]:
            assert classify_link(ex, "https://shop.vn/x") == role, ex
        for ex in spec["counter_examples"]:
            assert classify_link(ex, "https://shop.vn/x") != role, ex
    for path in data["skip"]["examples"]:
        assert is_skipped_url("https://shop.vn" + path), path
    for path in data["skip"]["counter_examples"]:
        assert not is_skipped_url("https://shop.vn" + path), path


def test_classify_link() -> None:
    assert classify_link("Áo thun", "https://shop.vn/products/ao-thun") == "product"
    assert classify_link("Chính sách đổi trả", "https://shop.vn/pages/a") == "policy"
    assert classify_link("", "https://shop.vn/chinh-sach-bao-mat") == "policy"
    assert classify_link("Tất cả", "https://shop.vn/collections/all") == "listing"
    assert classify_link("Giới thiệu", "https://shop.vn/pages/about-us") == "about"
    assert classify_link("Giỏ hàng", "https://shop.vn/cart") is None
    assert classify_link("Thanh toán", "https://shop.vn/checkout") is None
    assert classify_link("Blog", "https://shop.vn/blogs/news") is None


def test_bare_host_and_bad_url() -> None:
    with pytest.raises(ValueError):
        check_site("ftp://shop.vn/")


def test_personal_number_facts_are_masked_whatever_their_place_code() -> None:
    # Read under an MST label, 100… is a personal number too (a code outside 001–096).
    about = _page(
        "Giới thiệu",
        "<h1>Giới thiệu</h1><p>Hộ kinh doanh Nguyễn Văn An, MST: 100099012345</p>",
        "http://127.0.0.1:9",
    )
    report = crawl(extra={"/gioi-thieu": Resp.html(about)}).report
    numbers = [f for f in report.facts if f.kind == "registration_number"]
    assert [f.value for f in numbers if f.detail == "personal_id"] == ["*********345"]
    assert all("100099012345" not in (f.evidence.matched or "") for f in numbers)
