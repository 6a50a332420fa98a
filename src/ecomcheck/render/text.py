"""Plain-text report for people: grouped by category, evidence and what to do."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ecomcheck.models import Category, Outcome, Report, RunStatus, Severity
from ecomcheck.render.messages import render

_MARK = {
    Severity.CRITICAL: "!!!",
    Severity.HIGH: "!! ",
    Severity.MEDIUM: "!  ",
    Severity.LOW: ".  ",
    Severity.INFO: "i  ",
}


def render_text(reports: Iterable[Report], lang: str = "vi") -> str:
    """Render reports as text a shop owner or an officer reads top to bottom."""
    return "\n".join(_one(r, lang) for r in reports)


def _one(report: Report, lang: str) -> str:
    def t(key: str, **p: Any) -> str:
        return render(lang, key, p)

    out: list[str] = []
    name = report.subject.url or report.subject.name or t("text.unnamed")
    out.append("=" * 72)
    out.append(f"{t('text.subject')}: {name}")
    if report.subject.page_kind:
        out.append(f"{t('text.page_kind')}: {t('page_kind.' + report.subject.page_kind)}")
    out.append(f"{t('text.verdict')}: {t('status.' + report.status.value)}")
    if report.status is RunStatus.NOT_ASSESSED:
        out.append(f"  {report.reason or ''}")
        return "\n".join(out) + "\n"
    s = report.summary
    out.append(t("text.counts", fail=s.fail, review=s.needs_review, suppressed=s.suppressed))
    for w in report.subject.warnings:
        out.append(f"  ({t('warning.' + w)})")
    by_cat: dict[Category, list[int]] = {}
    for i, f in enumerate(report.findings):
        if not f.suppressed:
            by_cat.setdefault(f.category, []).append(i)
    for cat in Category:
        idx = by_cat.get(cat)
        if not idx:
            continue
        out.append("")
        out.append(f"## {t('category.' + cat.value)}")
        findings = sorted(
            (report.findings[i] for i in idx),
            key=lambda f: (f.outcome is not Outcome.FAIL, -f.severity.rank),
        )
        for f in findings:
            label = t("outcome." + f.outcome.value)
            out.append(
                f"{_MARK[f.severity]}[{label} · {t('severity.' + f.severity.value)}] "
                f"{f.message}  ({f.rule_id})"
            )
            for ev in f.evidence[:3]:
                where = ev.selector or ev.pointer or ""
                snippet = ev.snippet.strip()
                if snippet:
                    out.append(f"     {t('text.evidence')}: \u201c{snippet}\u201d")
                if where:
                    out.append(f"     {t('text.where')}: {where}")
            if len(f.evidence) > 3:
                out.append(f"     (+{len(f.evidence) - 3})")
            if f.remediation:
                out.append(f"     {t('text.fix')}: {f.remediation}")
            if f.legal_basis:
                cites = "; ".join(
                    f"{lb.citation}{', ' + lb.article if lb.article else ''}"
                    for lb in f.legal_basis[:2]
                )
                out.append(f"     {t('text.legal')}: {cites}")
    if not any(by_cat.values()):
        out.append("")
        out.append(t("text.no_findings"))
    return "\n".join(out) + "\n"
