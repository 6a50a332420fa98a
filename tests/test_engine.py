"""The checker: selection, overrides, containment, re-rendering, thread safety."""

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import ecomcheck
from ecomcheck import Checker, Config, RunStatus, Severity
from ecomcheck.rules import base

PROBLEMS = (Path(__file__).resolve().parents[1] / "examples" / "shop-problems.html").read_bytes()
URL = "https://giayhungphat.vn/hp-88"


def test_select_and_ignore_by_prefix() -> None:
    checker = Checker(Config(select=("contact", "policy"), ignore=("policy.inspection",)))
    ids = {r.meta.id for r in checker.rules}
    assert ids and all(i.startswith(("contact.", "policy.")) for i in ids)
    assert "policy.inspection" not in ids
    report = checker.check_page(PROBLEMS, url=URL)
    assert set(report.rule_runs) == ids


def test_severity_override_most_specific_wins() -> None:
    cfg = Config(
        select=("policy",),
        severity_overrides={"policy": Severity.HIGH, "policy.terms": Severity.INFO},
    )
    report = Checker(cfg).check_page(PROBLEMS, url=URL)
    sev = {f.rule_id: f.severity for f in report.findings}
    assert sev["policy.returns"] is Severity.HIGH
    assert sev["policy.terms"] is Severity.INFO


def test_unknown_language_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        Config(lang="fr")


def test_crashing_rule_is_contained(monkeypatch: pytest.MonkeyPatch) -> None:
    rule = base.registry()["contact.no_address"]

    def boom(ctx: base.RuleContext) -> None:
        raise RuntimeError("broken rule")

    monkeypatch.setitem(base._REGISTRY, "contact.no_address", base.Rule(rule.meta, boom))
    report = Checker(Config(select=("contact",))).check_page(PROBLEMS, url=URL)
    run = report.rule_runs["contact.no_address"]
    assert run.status is RunStatus.ERROR
    assert "broken rule" in (run.reason or "")
    assert report.rule_runs["contact.no_contact"].status is RunStatus.FAIL
    with pytest.raises(RuntimeError):
        Checker(Config(select=("contact",), strict=True)).check_page(PROBLEMS, url=URL)
    assert report.status is RunStatus.FAIL  # what was found still decides


def test_nothing_found_with_a_crashed_rule_is_not_a_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    rule = base.registry()["contact.no_address"]

    def boom(ctx: base.RuleContext) -> None:
        raise RuntimeError("broken rule")

    monkeypatch.setitem(base._REGISTRY, "contact.no_address", base.Rule(rule.meta, boom))
    clean = (Path(__file__).resolve().parent.parent / "examples" / "shop-clean.html").read_bytes()
    report = Checker(Config(select=("contact",))).check_page(clean, url=URL)
    assert not report.findings
    assert report.status is RunStatus.ERROR


def test_rerender_switches_language_without_rechecking() -> None:
    vi = ecomcheck.check_page(PROBLEMS, url=URL, config=Config(select=("contact",)))
    en = ecomcheck.rerender(vi, "en")
    assert en.lang == "en"
    assert [f.fingerprint for f in en.findings] == [f.fingerprint for f in vi.findings]
    assert all(a.message != b.message for a, b in zip(vi.findings, en.findings, strict=True))
    fresh = ecomcheck.check_page(PROBLEMS, url=URL, config=Config(select=("contact",), lang="en"))
    assert [f.message for f in fresh.findings] == [f.message for f in en.findings]


def test_as_of_is_reported() -> None:
    report = Checker(Config(as_of=dt.date(2027, 1, 2))).check_page(PROBLEMS, url=URL)
    assert report.as_of == dt.date(2027, 1, 2)


def test_one_checker_shared_by_threads() -> None:
    checker = Checker()
    pages = [PROBLEMS, PROBLEMS.replace(b"0101248142", b"0101248141")] * 8
    with ThreadPoolExecutor(max_workers=4) as pool:
        reports = list(pool.map(lambda p: checker.check_page(p, url=URL), pages))
    first = {f.fingerprint for f in reports[0].findings}
    second = {f.fingerprint for f in reports[1].findings}
    assert first != second
    for i, r in enumerate(reports):
        assert {f.fingerprint for f in r.findings} == (first if i % 2 == 0 else second)


def test_beautifulsoup_input() -> None:
    bs4 = pytest.importorskip("bs4")
    soup = bs4.BeautifulSoup(PROBLEMS.decode("utf-8"), "html.parser")
    a = ecomcheck.check_page(soup, url=URL)
    b = ecomcheck.check_page(PROBLEMS, url=URL)
    assert {f.fingerprint for f in a.findings} == {f.fingerprint for f in b.findings}


def test_list_rules_metadata_complete() -> None:
    metas = ecomcheck.list_rules()
    assert len({m.id for m in metas}) == len(metas)
    for m in metas:
        assert m.summary and m.rationale and m.legal_keys
        assert m.id.split(".")[0] == m.category.value


def test_rerender_renders_rule_reasons_and_report_reason() -> None:
    report = ecomcheck.check_page(
        (Path(__file__).resolve().parent.parent / "examples" / "shop-problems.html").read_bytes()
    )
    assert report.lang == "vi"
    runs = [r for r in report.rule_runs.values() if r.reason_id]
    assert runs, "pass and not_applicable runs carry their reason id"
    en = ecomcheck.rerender(report, "en")
    assert report.rule_runs["contact.no_address"].reason == "Đã có địa chỉ."
    assert en.rule_runs["contact.no_address"].reason != "Đã có địa chỉ."
    for rid, run in report.rule_runs.items():
        if run.reason_id:
            assert en.rule_runs[rid].reason != run.reason or run.reason_params
    back = ecomcheck.rerender(en, "vi")
    assert {k: r.reason for k, r in back.rule_runs.items()} == {
        k: r.reason for k, r in report.rule_runs.items()
    }
    junk = ecomcheck.check_page(b"\x00\x01\x02\xff" * 400)
    assert junk.reason_id and ecomcheck.rerender(junk, "en").reason != junk.reason
