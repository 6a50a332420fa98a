"""Whole-site checks: a policy link that leads to an error page or to the home page."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecomcheck import Confidence, Config, check_page, check_site
from ecomcheck.models import Finding, Outcome, RunStatus, SiteReport
from ecomcheck.site import rerender_site
from shop_server import Resp, ShopServer, no_proxy_env, shop_routes
from test_site import LIMITS

__all__ = ["no_proxy_env"]

RETURNS = "/chinh-sach-doi-tra"
NOT_FOUND = b"<html><head><title>Not found</title></head><body><h1>404</h1></body></html>"


def _site(extra: dict[str, Resp], remove: tuple[str, ...] = ()) -> tuple[SiteReport, str]:
    with ShopServer() as other, ShopServer() as shop:
        shop.routes = shop_routes(other.base, remove=remove) | extra
        report = check_site(shop.base, config=Config(strict=True), limits=LIMITS)
        return report, shop.base


def _policy(report: SiteReport, rule_id: str = "policy.returns") -> list[Finding]:
    return [f for f in report.findings if f.rule_id == rule_id]


def _status(code: int) -> Resp:
    return Resp(code, NOT_FOUND, {"Content-Type": "text/html"})


@pytest.mark.parametrize("code", [404, 410, 403])
def test_dead_policy_link_names_the_link_and_the_status(code: int) -> None:
    report, base = _site({RETURNS: _status(code)})
    (f,) = _policy(report)
    assert f.outcome is Outcome.FAIL and report.rule_runs["policy.returns"].status is RunStatus.FAIL
    assert f.message_id == "policy.returns.link_dead"
    assert f.params["status"] == code and f.params["url"] == base + RETURNS
    assert f.params["label"] == "Chính sách đổi trả"
    assert '"Chính sách đổi trả"' in f.message and f"HTTP {code}" in f.message
    assert "không mở được" in f.message and base + RETURNS in f.message
    assert f.remediation.startswith("Sửa liên kết")
    # The same severity as "missing"; the link on the home page, then the answer.
    assert f.severity.value == "medium"
    assert [ev.url for ev in f.evidence] == [base + "/", base + RETURNS]
    assert f.evidence[0].matched == base + RETURNS and f.evidence[1].snippet == f"HTTP {code}"
    assert f.evidence[1].record is None and f.evidence[0].selector
    check = next(p for p in report.policies if p.policy == "returns")
    assert check.status == "missing" and check.rejected == [f"{base + RETURNS}: HTTP {code}"]
    # Only the dead policy is reported; the other policies are verified.
    assert [x.rule_id for x in report.findings if x.rule_id.startswith("policy.")] == [
        "policy.returns"
    ]


def test_dead_link_keeps_the_missing_policy_fingerprint_and_rerenders() -> None:
    report, base = _site({RETURNS: _status(404)})
    (f,) = _policy(report)
    page = check_page(
        '<html><body><a href="/cart">Giỏ hàng</a> <p>Giá 100.000đ</p></body></html>',
        url=base + "/",
        config=Config(select=("policy.returns",)),
    )
    assert page.findings[0].fingerprint == f.fingerprint  # suppressions keep working
    en = _policy(rerender_site(report, "en"))[0]
    assert en.message == (
        'The link "Chính sách đổi trả" to the returns and refunds policy leads to a page '
        f"that does not load (HTTP 404): {base + RETURNS}."
    )
    assert en.remediation.startswith('Repair the link "Chính sách đổi trả"')
    assert "publish the returns and refunds policy page" in en.remediation


def test_server_error_on_a_policy_page_is_for_review_not_a_pass() -> None:
    report, _ = _site({RETURNS: _status(503)})
    (f,) = _policy(report)
    assert f.outcome is Outcome.NEEDS_REVIEW and f.confidence is Confidence.LOW
    assert f.message_id == "policy.returns.link_dead" and f.params["status"] == 503
    assert report.rule_runs["policy.returns"].status is RunStatus.NEEDS_REVIEW


def test_redirect_to_the_home_page_is_reported_with_the_redirect() -> None:
    report, base = _site({RETURNS: Resp.redirect("/", 302)})
    (f,) = _policy(report)
    assert f.outcome is Outcome.FAIL and f.message_id == "policy.returns.link_home"
    assert f.params["status"] == 302 and f.params["url"] == base + RETURNS
    assert "trang chủ" in f.message
    hop = f.evidence[1]
    assert hop.url == base + RETURNS and hop.snippet == f"HTTP 302 → {base}/"
    assert hop.matched == base + "/"


def test_link_straight_to_the_home_page_is_reported() -> None:
    # Every page's footer links the returns policy to the home page.
    routes = {
        path: Resp(
            r.status, r.body.replace(b'href="/chinh-sach-doi-tra"', b'href="/#doi-tra"'), r.headers
        )
        for path, r in shop_routes().items()
        if isinstance(r.body, bytes) and b'href="/chinh-sach-doi-tra"' in r.body
    }
    report, base = _site(routes, remove=(RETURNS,))
    (f,) = _policy(report)
    assert f.message_id == "policy.returns.link_home" and f.params["url"] == base + "/"


def test_mixed_dead_links_fail_on_the_lasting_one() -> None:
    # The home page links a 503 page; the footer of every page links a 404 one.
    home = shop_routes()["/"]
    assert isinstance(home.body, bytes)
    markup = home.body.decode().replace(
        "<h2>", '<p><a href="/doi-tra-hang">Chính sách đổi trả hàng</a></p><h2>', 1
    )
    report, base = _site({"/": Resp.html(markup), "/doi-tra-hang": _status(500),
                          RETURNS: _status(404)})  # fmt: skip
    (f,) = _policy(report)
    assert f.outcome is Outcome.FAIL and f.params["status"] == 404
    assert {ev.url for ev in f.evidence} >= {base + RETURNS, base + "/doi-tra-hang"}


# --- counter-examples -------------------------------------------------------------------------


def test_a_working_policy_page_passes() -> None:
    report, _ = _site({})
    assert _policy(report) == []
    assert report.rule_runs["policy.returns"].status is RunStatus.PASS


def test_page_about_something_else_stays_a_plain_missing_policy() -> None:
    other = Resp.html("<html><head><title>Khuyến mãi</title></head><body><h1>Khuyến mãi</h1>"
                      "<p>Giảm giá 50% tất cả sản phẩm.</p></body></html>")  # fmt: skip
    report, base = _site({RETURNS: other})
    (f,) = _policy(report)
    assert f.outcome is Outcome.FAIL and f.message_id == "policy.returns"
    assert [ev.url for ev in f.evidence] == [base + "/", base + RETURNS]
    assert f.evidence[1].snippet == "Khuyến mãi"


def test_a_dead_duplicate_link_does_not_hide_a_working_one() -> None:
    home = shop_routes()["/"]
    assert isinstance(home.body, bytes)
    markup = home.body.decode().replace(
        "<h2>", '<p><a href="/doi-tra-cu">Chính sách đổi trả (cũ)</a></p><h2>', 1
    )
    report, _ = _site({"/": Resp.html(markup), "/doi-tra-cu": _status(404)})
    assert _policy(report) == []
    check = next(p for p in report.policies if p.policy == "returns")
    assert check.status == "verified" and any("HTTP 404" in r for r in check.rejected)


def test_a_timeout_on_a_policy_page_gets_the_benefit_of_the_doubt() -> None:
    slow = Resp.html("<html><head><title>Chính sách đổi trả</title></head></html>", delay=1.0)
    report, _ = _site({RETURNS: slow})
    assert _policy(report) == []
    check = next(p for p in report.policies if p.policy == "returns")
    assert check.status == "unverified"


def test_archive_replay_reproduces_dead_and_home_links(tmp_path: Path) -> None:
    from ecomcheck.site import check_archive

    path = tmp_path / "shop.warc.gz"
    extra = {RETURNS: _status(404), "/chinh-sach-bao-mat": Resp.redirect("/", 301)}
    with ShopServer() as other, ShopServer() as shop:
        shop.routes = shop_routes(other.base) | extra
        live = check_site(shop.base, config=Config(strict=True), limits=LIMITS, archive=path)
    again = check_archive(path, config=Config(strict=True))
    ids = [(f.message_id, f.fingerprint) for f in live.findings]
    assert ("policy.returns.link_dead" in {i for i, _ in ids}) and (
        "policy.privacy.link_home" in {i for i, _ in ids}
    )
    assert [(f.message_id, f.fingerprint) for f in again.findings] == ids
    # Evidence names the archive records of the link's page and of the answer.
    dead = next(f for f in live.findings if f.rule_id == "policy.returns")
    assert all(ev.record for ev in dead.evidence)
    home = next(f for f in again.findings if f.rule_id == "policy.privacy")
    assert home.evidence[1].record and home.evidence[1].context == [
        f"HTTP 301 → {home.evidence[1].matched}"
    ]
