"""CSV output for spreadsheets: one row per finding.

The first evidence fills the evidence columns (``evidence_count`` says how many there
are). A rule whose run ended in ``error`` gets a row with outcome ``error`` after the
findings, since its findings are missing. Cells that a spreadsheet would run as a
formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) are
prefixed with an apostrophe: page text is written by the shops being checked. A
byte-order mark lets Excel open Vietnamese text as UTF-8.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from ecomcheck.models import Report, SiteReport
from ecomcheck.render.flatten import as_list, iter_errors, iter_findings
from ecomcheck.render.messages import render

__all__ = ["CSV_COLUMNS", "render_csv"]

CSV_COLUMNS = (
    "site",
    "page",
    "scope",
    "rule_id",
    "rule_name",
    "category",
    "outcome",
    "severity",
    "confidence",
    "message",
    "remediation",
    "evidence_url",
    "selector",
    "snippet",
    "matched",
    "record",
    "evidence_count",
    "legal_basis",
    "fingerprint",
    "suppressed",
    "suppression_reason",
    "suppression_expires",
    "checked_at",
    "as_of",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def render_csv(
    reports: Report | SiteReport | Iterable[Report | SiteReport],
    *,
    bom: bool = True,
    lang: str = "vi",
) -> str:
    """Render the findings of page and site reports as CSV (one row per finding).

    Args:
        reports: One report or several.
        bom: Start with a UTF-8 byte-order mark (for Excel).
        lang: Language of the message of ``error`` rows (findings keep their own).
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    items = as_list(reports)
    for row in iter_findings(items):
        f = row.finding
        ev = f.evidence[0] if f.evidence else None
        sup = f.suppression
        report = row.report
        writer.writerow(
            _cell(v)
            for v in (
                row.site,
                row.page,
                row.scope,
                f.rule_id,
                f.rule_name,
                f.category.value,
                f.outcome.value,
                f.severity.value,
                f.confidence.value,
                f.message,
                f.remediation,
                ev.url if ev else None,
                (ev.selector or ev.pointer) if ev else None,
                ev.snippet if ev else None,
                ev.matched if ev else None,
                ev.record if ev else None,
                len(f.evidence),
                "; ".join(
                    f"{lb.citation}{', ' + lb.article if lb.article else ''}"
                    for lb in f.legal_basis
                ),
                f.fingerprint,
                "yes" if f.suppressed else "no",
                sup.reason if sup else None,
                sup.expires.isoformat() if sup else None,
                report.checked_at.isoformat(),
                report.as_of.isoformat(),
            )
        )
    _error_rows(writer, items, lang)
    return ("\ufeff" if bom else "") + out.getvalue()


def _error_rows(writer: Any, items: list[Report | SiteReport], lang: str) -> None:
    from ecomcheck.engine import list_rules

    metas = {m.id: m for m in list_rules()}
    sites = {id(p): r.subject.url for r in items if isinstance(r, SiteReport) for p in r.pages}
    message = render(lang, "text.rule_error")
    for report, rid in iter_errors(items):
        meta = metas.get(rid)
        run = report.rule_runs[rid]
        if isinstance(report, SiteReport):
            site, page, scope = report.subject.url, report.subject.url, "site"
        else:
            site = sites.get(id(report))
            page, scope = report.subject.url or report.subject.name, "page"
        cells: dict[str, object] = {
            "site": site,
            "page": page,
            "scope": scope,
            "rule_id": rid,
            "rule_name": meta.name if meta else None,
            "category": meta.category.value if meta else None,
            "outcome": "error",
            "message": f"{message} ({run.reason})" if run.reason else message,
            "checked_at": report.checked_at.isoformat(),
            "as_of": report.as_of.isoformat(),
        }
        writer.writerow(_cell(cells.get(c)) for c in CSV_COLUMNS)
