"""Settings files (ecomcheck.toml, [tool.ecomcheck]) and suppressions with expiry."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from ecomcheck import Config, Severity, check_page
from ecomcheck.fetch import CrawlLimits
from ecomcheck.models import CrawlInfo, Report, RunStatus, SiteReport, Subject
from ecomcheck.settings import (
    Settings,
    SettingsError,
    Suppression,
    apply_suppressions,
    find_settings_file,
    load_settings,
    load_suppressions,
)

PAGE = (
    '<html><body><a href="/cart">Giỏ hàng</a><p>Áo thun 150.000đ</p>'
    "<p>Hotline: 0168 123 4567</p></body></html>"
)
TODAY = dt.date(2026, 11, 29)


def _report() -> Report:
    return check_page(PAGE, url="https://shop.example.vn/", config=Config(as_of=TODAY))


def test_ecomcheck_toml(tmp_path: Path) -> None:
    (tmp_path / "ecomcheck.toml").write_text(
        """
select = ["policy", "contact"]
ignore = "policy.terms"
lang = "en"
as_of = 2026-07-01
fail_on = "medium"
suppressions = "sup.toml"

[severity]
"policy.returns" = "high"

[crawl]
max_pages = 7
delay = 0.5
refuse_private = false
""",
        encoding="utf-8",
    )
    (tmp_path / "sup.toml").write_text(
        '[[suppression]]\nfingerprint = "abcdef0123"\nreason = "accepted"\nexpires = 2027-01-01\n',
        encoding="utf-8",
    )
    s = load_settings(tmp_path / "ecomcheck.toml")
    assert s.config.select == ("policy", "contact") and s.config.ignore == ("policy.terms",)
    assert s.config.lang == "en" and s.config.as_of == dt.date(2026, 7, 1)
    assert s.config.severity_for("policy.returns", Severity.LOW) is Severity.HIGH
    assert s.limits.max_pages == 7 and s.limits.delay == 0.5 and not s.limits.refuse_private
    assert s.fail_on is Severity.MEDIUM
    assert [x.fingerprint for x in s.suppressions] == ["abcdef0123"]
    assert s.suppressions_file == (tmp_path / "sup.toml").resolve()


def test_pyproject_table_and_discovery(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.ecomcheck]\nignore = ["moit_notification"]\n'
        "[tool.ecomcheck.crawl]\nmax_products = 3\n",
        encoding="utf-8",
    )
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    assert find_settings_file(sub) == tmp_path / "pyproject.toml"
    s = load_settings(start=sub)
    assert s.config.ignore == ("moit_notification",) and s.limits.max_products == 3
    # ecomcheck.toml nearer wins; a pyproject without the table does not count.
    (sub / "pyproject.toml").write_text('[project]\nname = "y"\n', encoding="utf-8")
    (tmp_path / "a" / "ecomcheck.toml").write_text('lang = "en"\n', encoding="utf-8")
    assert find_settings_file(sub) == tmp_path / "a" / "ecomcheck.toml"


def test_no_file_means_defaults(tmp_path: Path) -> None:
    s = load_settings(start=tmp_path)
    assert s.source is None and s.config == Config() and s.limits == CrawlLimits()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("selct = ['policy']\n", "selct"),
        ('lang = "fr"\n', "unknown language"),
        ("[crawl]\nmax_pages = 0\n", "max_pages"),
        ("[crawl]\nspeed = 3\n", "speed"),
        ('[severity]\n"policy.returns" = "huge"\n', "severity"),
        ("select = [\n", "invalid TOML"),
    ],
)
def test_bad_settings_have_one_line_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "ecomcheck.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError, match=message) as info:
        load_settings(path)
    assert "\n" not in str(info.value)


def test_overrides_win_over_the_file() -> None:
    s = Settings(config=Config(select=("policy",), lang="en"), limits=CrawlLimits(max_pages=5))
    o = s.with_overrides(lang="vi", select=(), max_pages=9, fail_on="high", as_of=None)
    assert o.config.lang == "vi" and o.config.select == ("policy",)
    assert o.limits.max_pages == 9 and o.fail_on is Severity.HIGH
    with pytest.raises(SettingsError):
        s.with_overrides(colour="red")
    with pytest.raises(SettingsError):
        s.with_overrides(max_pages=-1)


def test_suppressions_files(tmp_path: Path) -> None:
    toml = tmp_path / "s.toml"
    toml.write_text(
        '[[suppression]]\nfingerprint = "0123456789"\nreason = "checked by phone"\n'
        'expires = 2026-12-31\nowner = "Đội 5"\n',
        encoding="utf-8",
    )
    assert load_suppressions(toml)[0].owner == "Đội 5"
    js = tmp_path / "s.json"
    js.write_text(
        json.dumps(
            {
                "suppressions": [
                    {"fingerprint": "0123456789", "reason": "ok, seen", "expires": "2026-12-31"}
                ]
            }
        ),
        encoding="utf-8",
    )
    assert load_suppressions(js)[0].expires == dt.date(2026, 12, 31)
    for bad, msg in [
        ('[[suppression]]\nfingerprint = "0123456789"\nexpires = 2026-12-31\n', "reason"),
        ('[[suppression]]\nfingerprint = "0123456789"\nreason = "x y"\n', "expires"),
        (
            '[[suppression]]\nfingerprint = "0123456789"\nreason = "x y"\nexpires = "soon"\n',
            "expires",
        ),
        (
            '[[suppression]]\nfingerprint = "0123456789"\nreason = "abc"\nexpires = 2026-12-31\n'
            * 2,
            "twice",
        ),
    ]:
        toml.write_text(bad, encoding="utf-8")
        with pytest.raises(SettingsError, match=msg):
            load_suppressions(toml)


def test_suppressed_findings_are_kept_counted_and_expire() -> None:
    report = _report()
    target = next(f for f in report.findings if f.rule_id == "contact.phone_invalid")
    before = report.summary.fail
    sup = Suppression(fingerprint=target.fingerprint, reason="number moved", expires=TODAY)
    other = Suppression(fingerprint="ffffffffffff", reason="old", expires=dt.date(2026, 1, 1))
    fixed = Suppression(fingerprint="eeeeeeeeeeee", reason="fixed since", expires=TODAY)
    result = apply_suppressions(report, [sup, other, fixed], today=TODAY, source="s.toml")
    assert result.suppressed == 1 and result.applied == [sup]
    assert result.expired == [other] and result.unused == [fixed]
    assert target in report.findings and target.suppressed
    assert target.suppression is not None and target.suppression.reason == "number moved"
    assert target.suppression.source == "s.toml"
    assert report.summary.suppressed == 1 and report.summary.fail == before - 1
    assert target not in report.failed()
    # The day after its expiry date the finding is back.
    result = apply_suppressions(report, [sup], today=TODAY + dt.timedelta(days=1))
    assert result.expired == [sup] and not target.suppressed and target.suppression is None
    assert report.summary.suppressed == 0 and report.summary.fail == before


def test_rule_id_guard() -> None:
    report = _report()
    target = report.findings[0]
    wrong = Suppression(fingerprint=target.fingerprint, reason="typo", expires=TODAY, rule_id="x.y")
    assert apply_suppressions(report, [wrong], today=TODAY).suppressed == 0


def test_suppressing_everything_makes_a_site_pass() -> None:
    page = _report()
    site = SiteReport(
        ecomcheck_version="0",
        subject=Subject(kind="site", url="https://shop.example.vn/"),
        checked_at=page.checked_at,
        as_of=page.as_of,
        pages=[page],
        crawl=CrawlInfo(start_url="https://shop.example.vn/", user_agent="x"),
    )
    sups = [
        Suppression(fingerprint=f.fingerprint, reason="ok ok", expires=TODAY) for f in page.findings
    ]
    result = apply_suppressions([site], sups, today=TODAY)
    assert result.suppressed == len(page.findings) > 0
    assert site.status is RunStatus.PASS and page.status is RunStatus.PASS
    assert site.summary.suppressed == len(page.findings) and site.summary.fail == 0
    assert json.loads(site.model_dump_json())["pages"][0]["findings"][0]["suppressed"] is True
