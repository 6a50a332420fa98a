"""Hostile values inside otherwise normal pages: never a crashed rule, always a report."""

from __future__ import annotations

import csv
import io
import json
import time

import pytest

from ecomcheck import Checker, Config, PageDocument, RunStatus
from ecomcheck.extract.badge import extract_badges
from ecomcheck.extract.offers import find_offers
from ecomcheck.fetch import CrawlLimits, Fetcher
from ecomcheck.models import RuleRun
from ecomcheck.render.formats import render_reports, render_site_text
from ecomcheck.render.sarif import sarif_log
from ecomcheck.render.text import render_report
from shop_server import Resp, ShopServer, no_proxy_env

__all__ = ["no_proxy_env"]

STRICT = Checker(Config(strict=True))
SELL = '<h1>Áo thun</h1><span class="price">199.000₫</span><button>Thêm vào giỏ hàng</button>'


def _ld(offers: str) -> str:
    return (
        '<html><body><script type="application/ld+json">'
        f'{{"@type":"Product","name":"Áo","countryOfOrigin":"Việt Nam","offers":{offers}}}'
        f"</script>{SELL}</body></html>"
    )


def _errors(report: object) -> dict[str, RuleRun]:
    runs: dict[str, RuleRun] = report.rule_runs  # type: ignore[attr-defined]
    return {k: v for k, v in runs.items() if v.status is RunStatus.ERROR}


def _ld_prices(html: str) -> list[object]:
    doc = PageDocument.from_str(html)
    return [p.value for o in find_offers(doc) for p in o.prices if p.source == "jsonld"]


# --- JSON-LD and structured prices ---------------------------------------------------


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e400", "-1e400"])
@pytest.mark.parametrize("currency", ['"VND"', '"USD"', "Infinity", "NaN", "0"])
def test_non_finite_jsonld_price_is_no_price(value: str, currency: str) -> None:
    html = _ld(f'{{"price":{value},"priceCurrency":{currency}}}')
    report = STRICT.check_page(html)  # strict: any rule exception would raise here
    assert not _errors(report)
    assert "jsonld_nonfinite" in report.subject.warnings
    assert _ld_prices(html) == []
    # The rest of the block is still read: its origin counts.
    assert report.rule_runs["origin.missing"].status is RunStatus.PASS


def test_non_finite_value_elsewhere_keeps_the_block() -> None:
    html = _ld('{"price":250000,"priceCurrency":"VND","ratingValue":NaN}')
    doc = PageDocument.from_str(html)
    assert doc.warnings == ["jsonld_nonfinite"]
    assert doc.jsonld[0]["offers"]["ratingValue"] is None
    assert [v.amount for v in _ld_prices(html)] == [250000]  # type: ignore[attr-defined]


def test_finite_jsonld_prices_are_unchanged() -> None:
    # Counter-examples: ordinary, exponent-written and decimal prices stay prices.
    for raw, amount in (("250000", 250000), ("2.5e5", 250000), ('"199000"', 199000)):
        html = _ld(f'{{"price":{raw},"priceCurrency":"VND"}}')
        assert [v.amount for v in _ld_prices(html)] == [amount]  # type: ignore[attr-defined]
        assert "jsonld_nonfinite" not in PageDocument.from_str(html).warnings
    usd = _ld('{"price":19.99,"priceCurrency":"USD"}')
    assert [str(v.amount) for v in _ld_prices(usd)] == ["19.99"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("raw", ["1e30", "100000000000000000000", '"1000000000000000000"'])
def test_absurd_structured_amount_is_no_price(raw: str) -> None:
    for currency in ("VND", "USD"):
        html = _ld(f'{{"price":{raw},"priceCurrency":"{currency}"}}')
        assert not _errors(STRICT.check_page(html))
        assert _ld_prices(html) == []
    # Just under the cap (15 digits) is still read.
    html = _ld('{"price":999999999999999,"priceCurrency":"VND"}')
    assert [v.amount for v in _ld_prices(html)] == [999999999999999]  # type: ignore[attr-defined]


def test_huge_integer_literal_makes_the_block_invalid_not_a_crash() -> None:
    report = STRICT.check_page(_ld('{"price":' + "9" * 5000 + "}"))
    assert not _errors(report) and "jsonld_invalid" in report.subject.warnings


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e400", "1E400", "inf"])
@pytest.mark.parametrize("currency", ["VND", "USD", "", "INF"])
def test_microdata_and_meta_non_finite_strings(value: str, currency: str) -> None:
    micro = (
        '<html><body><div itemscope itemtype="https://schema.org/Product">'
        '<h1 itemprop="name">Áo</h1><span itemprop="offers" itemscope '
        'itemtype="https://schema.org/Offer">'
        f'<meta itemprop="price" content="{value}">'
        f'<meta itemprop="priceCurrency" content="{currency}"></span></div>{SELL}</body></html>'
    )
    og = (
        f'<html><head><meta property="product:price:amount" content="{value}">'
        f'<meta property="product:price:currency" content="{currency}"></head>'
        f"<body>{SELL}</body></html>"
    )
    for html in (micro, og):
        assert not _errors(STRICT.check_page(html))
        doc = PageDocument.from_str(html)
        structured = [p for o in find_offers(doc) for p in o.prices if p.source != "text"]
        assert all(p.source not in ("microdata", "og") for p in structured)


def test_cli_nan_price_has_no_traceback(
    tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    from pathlib import Path

    from ecomcheck.cli import main

    page = Path(str(tmp_path)) / "nan.html"
    page.write_text(_ld('{"price":NaN,"priceCurrency":"VND"}'), "utf-8")
    code = main(["check", str(page), "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 1 and err == ""
    assert not [r for r in json.loads(out)["rule_runs"].values() if r["status"] == "error"]


# --- malformed URLs -----------------------------------------------------------------

BADGE_PAGE = (
    '<html><body><h1>Áo</h1><span class="price">199.000đ</span>'
    "<button>Thêm vào giỏ hàng</button><footer>"
    '<a href="https://dichvu.vn/"><img src="/logoSaleNoti.png" '
    'alt="Đã thông báo Bộ Công Thương"></a></footer></body></html>'
)
BAD_URLS = ["http://[::1", "http://[x]/", "http://a]b/", "//[", "http://shop.vn:port/", "http://["]


@pytest.mark.parametrize("url", BAD_URLS)
def test_malformed_page_url_is_read_as_no_url(url: str) -> None:
    report = STRICT.check_page(BADGE_PAGE, url=url)
    assert not _errors(report)
    assert "url_invalid" in report.subject.warnings
    assert report.subject.url is None
    # Same findings as a page checked without a URL.
    plain = STRICT.check_page(BADGE_PAGE)
    assert sorted(f.rule_id for f in report.findings) == sorted(f.rule_id for f in plain.findings)
    assert report.rule_runs["moit_notification.badge_bad_link"].status is RunStatus.FAIL


@pytest.mark.parametrize(
    "url", ["https://shop.vn/ao", "http://[::1]/ao", "https://shop.vn:8443/ao", "ao.html"]
)
def test_valid_page_urls_are_kept(url: str) -> None:
    report = STRICT.check_page(BADGE_PAGE, url=url)
    assert report.subject.url == url and "url_invalid" not in report.subject.warnings


def test_badge_link_with_broken_target_is_dead() -> None:
    from ecomcheck.extract.badge import _is_dead

    assert _is_dead("http://[x", "https://shop.vn/", "http://[x")
    assert not _is_dead("https://dichvu.vn/", "http://[::1", "https://dichvu.vn/")
    # Counter-example: a link back to the shop's own home page is dead, another page not.
    assert _is_dead("/", "https://shop.vn/p", "https://shop.vn/")
    assert not _is_dead("/ve-chung-toi", "https://shop.vn/p", "https://shop.vn/ve-chung-toi")


def test_broken_hrefs_and_base_do_not_crash() -> None:
    links = "".join(
        f'<a href="{h}">x</a><a href="{h}"><img src="{h}" alt="Đã thông báo Bộ Công Thương"></a>'
        for h in [*BAD_URLS, "https://online.gov.vn:xx/Home/WebDetails/1", "mailto:["]
    )
    html = (
        '<html><head><base href="http://[::1"><link rel="canonical" href="http://[x]/">'
        f"</head><body>{SELL}<footer>{links}</footer></body></html>"
    )
    for url in (None, "https://shop.vn/p/1", "http://[::1"):
        report = STRICT.check_page(html, url=url)
        assert not _errors(report)
        extract_badges(PageDocument.from_str(html, url=url))


def test_cli_malformed_url(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    from pathlib import Path

    from ecomcheck.cli import main

    page = Path(str(tmp_path)) / "ipv6.html"
    page.write_text(BADGE_PAGE, "utf-8")
    code = main(["check", str(page), "--url", "http://[::1"])
    out, err = capsys.readouterr()
    assert code == 1 and err == ""
    assert "không hợp lệ" in out and "moit_notification" not in out.split("## ", 1)[0]
    assert "Thông báo website" in out  # the badge section is there, not lost to an error


def test_redirect_to_unparsable_location_is_an_invalid_url() -> None:
    fast = CrawlLimits(delay=0, timeout=0.5, deadline=2, refuse_private=False)
    routes = {
        "/a": Resp.redirect("http://a]b/"),  # urljoin raised ValueError on these
        "/b": Resp.redirect("//["),
        "/port": Resp.redirect("http://h:99999/"),  # was called "scheme_refused"
        "/ftp": Resp.redirect("ftp://x/y"),
    }
    with ShopServer(routes) as server, Fetcher(fast) as f:
        for path, location in (("/a", "http://a]b/"), ("/b", "//["), ("/port", "http://h:99999/")):
            rec = f.fetch(server.url(path))
            assert rec.error == "invalid_url" and rec.redirects[0].location == location
        assert f.fetch(server.url("/ftp")).error == "scheme_refused"  # counter-example


# --- rule errors in the reports -----------------------------------------------------


def _errored_report() -> object:
    report = Checker().check_page(BADGE_PAGE, url="https://shop.vn/ao")
    for rid in ("origin.missing", "price.hidden"):
        report.rule_runs[rid] = RuleRun(status=RunStatus.ERROR, reason="ValueError: boom")
    return report


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("vi", ("chưa đầy đủ", "không chạy được", "Xuất xứ hàng hóa: origin.missing")),
        ("en", ("incomplete", "could not run", "Origin of goods: origin.missing")),
    ],
)
def test_text_report_names_rules_that_errored(lang: str, words: tuple[str, ...]) -> None:
    text = render_report(_errored_report(), lang)  # type: ignore[arg-type]
    head = text.split("\n## ", 1)[0]
    for w in words:
        assert w in head
    assert "price.hidden" in head


def test_text_report_without_errors_says_nothing_about_them() -> None:
    report = Checker().check_page(BADGE_PAGE)
    for lang, word in (("vi", "chưa đầy đủ"), ("en", "incomplete")):
        assert word not in render_report(report, lang)


def test_clean_verdict_with_errors_is_marked_incomplete() -> None:
    report = Checker(Config(select=("moit_notification",))).check_page(BADGE_PAGE)
    report.findings.clear()
    report.summary.fail = 0
    report.status = RunStatus.PASS
    report.rule_runs["moit_notification.badge_missing"] = RuleRun(
        status=RunStatus.ERROR, reason="X"
    )
    verdict = next(line for line in render_report(report, "en").splitlines() if "Verdict" in line)
    assert verdict == "Verdict: PASS (incomplete: 1 checks could not run)"


def test_html_csv_sarif_show_rule_errors() -> None:
    report = _errored_report()
    html = render_reports(report, "html", "en")  # type: ignore[arg-type]
    assert "could not run" in html and "<code>origin.missing</code>" in html
    rows = list(csv.DictReader(io.StringIO(render_reports(report, "csv", "en").lstrip("\ufeff"))))  # type: ignore[arg-type]
    errors = [r for r in rows if r["outcome"] == "error"]
    assert {r["rule_id"] for r in errors} == {"origin.missing", "price.hidden"}
    assert all("could not run" in r["message"] and "boom" in r["message"] for r in errors)
    assert errors[0]["category"] == "origin" and errors[0]["page"] == "https://shop.vn/ao"
    notes = sarif_log(report)["runs"][0]["invocations"][0]["toolExecutionNotifications"]  # type: ignore[arg-type]
    assert {n["associatedRule"]["id"] for n in notes if n["level"] == "error"} == {
        "origin.missing",
        "price.hidden",
    }
    # Counter-example: no error, no error rows or notes.
    clean = Checker().check_page(BADGE_PAGE)
    assert "could not run" not in render_reports(clean, "html", "en")
    assert ",error," not in render_reports(clean, "csv", "en")


def test_site_text_lists_a_page_whose_rules_errored() -> None:
    from ecomcheck.models import SiteReport

    page = _errored_report()
    page.findings.clear()  # type: ignore[attr-defined]
    site = SiteReport.model_validate(
        {
            "ecomcheck_version": "0",
            "subject": {"kind": "site", "url": "https://shop.vn/"},
            "checked_at": "2026-01-01T00:00:00Z",
            "as_of": "2026-01-01",
            "crawl": {"start_url": "https://shop.vn/", "user_agent": "t"},
            "pages": [json.loads(page.model_dump_json())],  # type: ignore[attr-defined]
        }
    )
    text = render_site_text(site, "en")
    assert "could not run" in text and "origin.missing" in text
    assert "could not run" in render_reports(site, "html", "en")


# --- pathological markup ------------------------------------------------------------


def _many_attributes(n: int, name: str = "data-a") -> str:
    attrs = " ".join(f'{name}{i}="x"' for i in range(n))
    return f"<html><body><h1 {attrs}>Áo thun</h1>{SELL[len('<h1>Áo thun</h1>') :]}</body></html>"


def test_element_with_100000_attributes_is_checked_fast() -> None:
    start = time.perf_counter()
    report = STRICT.check_page(_many_attributes(100_000))
    assert time.perf_counter() - start < 10  # was over a minute inside libxml2
    assert "attributes_capped" in report.subject.warnings
    assert report.status is RunStatus.FAIL and not _errors(report)


def test_attribute_cap_keeps_the_first_attributes_and_the_text() -> None:
    doc = PageDocument.from_str(_many_attributes(5000))
    h1 = doc.root.find(".//h1")
    assert h1 is not None and len(h1.attrib) == 1000 and "data-a0" in h1.attrib
    assert "Áo thun" in doc.text
    # Boolean attributes and bytes input take the same path.
    bools = "<p " + " ".join(f"b{i}" for i in range(3000)) + ">Xin chào</p>"
    assert "attributes_capped" in PageDocument.from_bytes(bools.encode()).warnings


def test_many_attributes_below_the_cap_and_long_tags_are_untouched() -> None:
    doc = PageDocument.from_str(_many_attributes(999))
    assert "attributes_capped" not in doc.warnings
    assert len(doc.root.find(".//h1").attrib) == 999  # type: ignore[union-attr]
    # A long tag with few attributes (an inline picture) is no problem.
    big = '<img src="data:image/png;base64,' + "A" * 50_000 + '" alt="x">'
    long_tag = PageDocument.from_bytes(f"<html><body>{big}<p>Xin chào</p></body></html>".encode())
    assert "attributes_capped" not in long_tag.warnings


@pytest.mark.parametrize(
    "href", ["whatsapp://[x/", "viber://[x?number=1", "whatsapp://send?phone=[x"]
)
def test_unparsable_messenger_links_do_not_break_contact_rules(href: str) -> None:
    page = (
        '<h1>Áo</h1><span class="price">199.000đ</span><button>Thêm vào giỏ hàng</button>'
        f'<footer><a href="{href}">Chat</a></footer>'
    )
    report = Checker(Config(strict=True)).check_page(page, url="https://abc.vn/p/1")
    assert all(run.status is not RunStatus.ERROR for run in report.rule_runs.values())


def test_messenger_link_query_is_read_without_urlsplit() -> None:
    from ecomcheck.extract.contacts import classify_online_url

    assert classify_online_url("whatsapp://send?phone=84912345678") == ("whatsapp", "84912345678")
    assert classify_online_url("viber://chat?number=%2B84912345678#x") == ("viber", "+84912345678")
    assert classify_online_url("whatsapp://[x/") == ("whatsapp", None)
