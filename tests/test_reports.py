"""Reports people use: HTML (with a headless-Chromium screenshot), SARIF 2.1.0, CSV, JSON."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import jsonschema
import pytest

from ecomcheck import Config, check_page, check_site
from ecomcheck.fetch import CrawlLimits
from ecomcheck.models import Evidence, Finding, Report, RunStatus, SiteReport
from ecomcheck.render.csv import CSV_COLUMNS, render_csv
from ecomcheck.render.formats import FORMATS, render_reports
from ecomcheck.render.html import render_html
from ecomcheck.render.sarif import render_sarif
from ecomcheck.settings import Suppression, apply_suppressions
from ecomcheck.site import rerender_site
from shop_server import ShopServer, no_proxy_env, shop_routes

__all__ = ["no_proxy_env"]

FIXTURES = Path(__file__).parent / "fixtures"
LIMITS = CrawlLimits(
    delay=0, timeout=0.3, deadline=2, max_bytes=1_000_000, refuse_private=False, max_products=3
)
TODAY = dt.date(2026, 11, 29)
HOSTILE = '&lt;script&gt;alert("x")&lt;/script&gt; =HYPERLINK("http://evil.example")'


@pytest.fixture(scope="module")
def site() -> SiteReport:
    """The shop without its returns page, a retired number (and hostile text) on one page."""
    with ShopServer() as shop:
        routes = shop_routes(remove=("/chinh-sach-doi-tra",))
        page = routes["/products/ao-thun-trang"]
        assert isinstance(page.body, bytes)
        line = f'<p class="hotline">Hotline: 0168 123 4567 {HOSTILE}</p></footer>'
        page.body = page.body.replace(b"</footer>", line.encode())
        shop.routes = routes
        report = check_site(shop.base, config=Config(as_of=TODAY), limits=LIMITS)
    phone = next(f for f in report.findings if f.rule_id == "contact.phone_invalid")
    sup = Suppression(fingerprint=phone.fingerprint, reason="số đã đổi", expires=TODAY)
    apply_suppressions(report, [sup], today=TODAY, source="ecomcheck-suppressions.toml")
    assert report.summary.suppressed == 1
    return report


# --- SARIF ------------------------------------------------------------------------------


def test_sarif_validates_against_the_schema(site: SiteReport) -> None:
    schema = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text("utf-8"))
    page = check_page("<html><body><p>Giá 10.000đ</p><a href='/cart'>Giỏ</a></body></html>",
                      url="https://a.vn/")  # fmt: skip
    log = json.loads(render_sarif([site, page]))
    jsonschema.Draft4Validator(schema).validate(log)
    assert log["version"] == "2.1.0"
    results = log["runs"][0]["results"]
    assert len(results) == len(site.all_findings()) + len(page.findings)
    by_rule = {r["ruleId"]: r for r in results[: len(site.findings)]}
    returns = by_rule["policy.returns"]
    assert returns["kind"] == "fail" and returns["level"] == "warning"
    fingerprints = {f.rule_id: f.fingerprint for f in site.findings}
    assert returns["partialFingerprints"]["ecomcheck/v1"] == fingerprints["policy.returns"]
    assert (
        returns["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == site.subject.url
    )
    phone = by_rule["contact.phone_invalid"]
    assert phone["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "số đã đổi",
            "properties": {
                "reason": "số đã đổi",
                "expires": TODAY.isoformat(),
                "source": "ecomcheck-suppressions.toml",
            },
        }
    ]
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert rules[returns["ruleIndex"]]["id"] == "policy.returns"
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert any(
        "ao-thun" in n["message"]["text"] or "127.0.0.1" in n["message"]["text"] for n in notes
    )
    artifacts = log["runs"][0]["artifacts"]
    assert all(len(a["hashes"]["sha-256"]) == 64 for a in artifacts if "hashes" in a)


# --- CSV --------------------------------------------------------------------------------


def test_csv_one_row_per_finding(site: SiteReport) -> None:
    text = render_csv(site)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == len(site.all_findings())
    assert list(rows[0]) == list(CSV_COLUMNS)
    phone = next(r for r in rows if r["rule_id"] == "contact.phone_invalid")
    assert phone["suppressed"] == "yes" and phone["suppression_reason"] == "số đã đổi"
    assert phone["scope"] == "site" and phone["evidence_url"].endswith("/products/ao-thun-trang")
    assert phone["legal_basis"] and phone["fingerprint"]


def test_csv_defuses_formulas() -> None:
    report = check_page("<p>x</p>", url="https://a.vn/")
    report.findings = [f.model_copy() for f in _any_findings()]
    report.findings[0].message = '=HYPERLINK("http://evil")'
    report.findings[0].evidence = [Evidence(snippet="+1+1", matched="@SUM(A1)")]
    row = next(csv.DictReader(io.StringIO(render_csv(report, bom=False))))
    assert row["message"].startswith("'=") and row["snippet"] == "'+1+1"
    assert row["matched"] == "'@SUM(A1)"


def _any_findings() -> list[Finding]:
    page = check_page('<a href="/cart">Giỏ hàng</a><p>Giá 100.000đ</p>', url="https://a.vn/")
    assert page.findings
    return page.findings


# --- JSON -------------------------------------------------------------------------------


def test_json_round_trip_and_schema(site: SiteReport) -> None:
    data = json.loads(render_reports(site, "json"))
    jsonschema.Draft202012Validator(SiteReport.model_json_schema()).validate(data)
    again = SiteReport.model_validate(data)
    assert again == site
    assert data["pages"][0]["fetch"]["role"] == "home"
    both = json.loads(render_reports([site, site.pages[0]], "json"))
    assert isinstance(both, list) and both[1]["subject"]["kind"] == "page"


def test_every_format_renders(site: SiteReport) -> None:
    for fmt in FORMATS:
        assert render_reports(site, fmt, "en")
    with pytest.raises(ValueError):
        render_reports(site, "pdf")
    text = render_reports(site, "text")
    assert "CÓ VI PHẠM" in text and "policy.returns" in text


# --- HTML -------------------------------------------------------------------------------


def test_html_is_one_safe_file(site: SiteReport) -> None:
    doc = render_html(site)
    assert doc.startswith("<!doctype html>") and '<html lang="vi">' in doc
    assert "<script" not in doc.lower()  # the shop's text is escaped, and nothing is loaded
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in doc or "&lt;script&gt;" in doc
    assert not re.search(r"<(?:link|img|iframe|object|embed)\b", doc)
    assert not re.search(r"\bsrc\s*=", doc) and "@import" not in doc and "url(" not in doc
    assert "default-src 'none'" in doc and 'name="viewport"' in doc
    hrefs = re.findall(r'href="([^"]*)"', doc)
    assert hrefs and all(h.startswith(("http://", "https://")) for h in hrefs)
    # Verdict, what to fix first, evidence, legal basis, per-page sections.
    for needle in ("CÓ VI PHẠM", "Cần khắc phục trước", "Bằng chứng", "Căn cứ pháp lý",
                   "Kết quả theo từng trang", "HTTP 404", "Đã bỏ qua"):  # fmt: skip
        assert needle in doc, needle


def test_html_in_english_rerenders_findings(site: SiteReport) -> None:
    doc = render_html(site, lang="en")
    assert '<html lang="en">' in doc and "Fix these first" in doc
    en = rerender_site(site, "en")
    assert en.findings[0].message != site.findings[0].message
    assert render_html(en) == doc


def test_html_for_not_assessed_site() -> None:
    report = check_site("http://127.0.0.1:9/", config=Config(as_of=TODAY), limits=LIMITS)
    assert report.status is RunStatus.NOT_ASSESSED
    doc = render_html(report)
    assert "KHÔNG ĐÁNH GIÁ ĐƯỢC" in doc and "Cần khắc phục trước" not in doc


def test_html_for_page_reports() -> None:
    page: Report = check_page(
        '<a href="/cart">Giỏ hàng</a><p>Giá 100.000đ</p>', url="https://a.vn/"
    )
    doc = render_html([page, page])
    assert "https://a.vn/" in doc and "CÓ VI PHẠM" in doc


def _chromium() -> str | None:
    override = os.environ.get("ECOMCHECK_CHROMIUM")
    if override:
        return override
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """A minimal PNG reader (8-bit RGB/RGBA, not interlaced): width, height, rows."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    height = depth = color = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert depth == 8 and color in (2, 6)
    bpp = 3 if color == 2 else 4
    raw, stride = zlib.decompress(idat), width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        ftype, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 255
            elif ftype == 2:
                line[i] = (line[i] + b) & 255
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(b"".join(bytes(line[j * bpp : j * bpp + 3]) for j in range(width)))
        prev = line
    return width, height, rows


def test_html_screenshot_in_headless_chromium(site: SiteReport, tmp_path: Path) -> None:
    browser = _chromium()
    if browser is None:
        pytest.skip(
            "no chromium binary on PATH (apt-get install chromium, or set ECOMCHECK_CHROMIUM)"
        )
    page = tmp_path / "report.html"
    page.write_text(render_html(site), encoding="utf-8")
    shot = tmp_path / "report.png"
    cmd = [
        browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}", "--hide-scrollbars", "--window-size=412,900",
        f"--screenshot={shot}", page.as_uri(),
    ]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, timeout=120, check=False)
    assert shot.exists(), done.stderr.decode("utf-8", "replace")[-2000:]
    width, height, rows = _png_pixels(shot.read_bytes())
    assert (width, height) == (412, 900)
    red = bytes((0xB3, 0x26, 0x1E))
    # The verdict banner spans the phone's width: the layout fits the screen.
    assert rows[8][0:3] == red and rows[8][(width - 2) * 3 : (width - 1) * 3] == red
    # And the page below it holds text: plenty of dark pixels, not a blank.
    dark = sum(
        1
        for y in range(200, height, 4)
        for x in range(0, width * 3, 12)
        if rows[y][x] < 100 and rows[y][x + 1] < 100 and rows[y][x + 2] < 100
    )
    assert dark > 50, dark
