"""One entry point for every output format, for page reports and site reports alike."""

from __future__ import annotations

from collections.abc import Iterable

from ecomcheck.models import Report, RunStatus, SiteReport
from ecomcheck.render.flatten import as_list, errored_rules
from ecomcheck.render.messages import render

__all__ = ["FORMATS", "render_reports", "render_site_text"]

#: The formats :func:`render_reports` writes.
FORMATS = ("text", "json", "html", "sarif", "csv")


def render_site_text(report: SiteReport, lang: str = "vi") -> str:
    """Render a site report as plain text: the site's findings, then each page's."""
    from ecomcheck.render.text import render_text

    shell = Report(
        ecomcheck_version=report.ecomcheck_version,
        subject=report.subject,
        checked_at=report.checked_at,
        as_of=report.as_of,
        lang=report.lang,
        status=report.status,
        reason=report.reason,
        findings=report.findings,
        rule_runs=report.rule_runs,
        summary=report.summary,
    )
    out = [render_text([shell], lang)]
    if report.status is RunStatus.NOT_ASSESSED and not report.pages:
        return out[0]
    noisy = [
        p
        for p in report.pages
        if p.findings or p.status is RunStatus.NOT_ASSESSED or errored_rules(p)
    ]
    if noisy:
        out.append(render_text(noisy, lang))
    quiet = [p for p in report.pages if p not in noisy]
    if quiet:
        lines = [f"-- {render(lang, 'html.pages')} ({render(lang, 'status.pass')}):"]
        lines += [f"   {p.subject.url}" for p in quiet]
        out.append("\n".join(lines) + "\n")
    return "\n".join(out)


def render_reports(
    reports: Report | SiteReport | Iterable[Report | SiteReport], fmt: str, lang: str = "vi"
) -> str:
    """Render reports in one of :data:`FORMATS`.

    Args:
        reports: One report or several (page and site reports may be mixed).
        fmt: ``text``, ``json``, ``html``, ``sarif`` or ``csv``.
        lang: Language of the human-readable parts.

    Raises:
        ValueError: An unknown format.
    """
    items = as_list(reports)
    if fmt == "json":
        if len(items) == 1:
            return items[0].model_dump_json(indent=2) + "\n"
        return "[\n" + ",\n".join(r.model_dump_json(indent=2) for r in items) + "\n]\n"
    if fmt == "text":
        from ecomcheck.render.text import render_text

        parts = [
            render_site_text(r, lang) if isinstance(r, SiteReport) else render_text([r], lang)
            for r in items
        ]
        return "\n".join(parts)
    if fmt == "html":
        from ecomcheck.render.html import render_html

        return render_html(items, lang)
    if fmt == "sarif":
        from ecomcheck.render.sarif import render_sarif

        return render_sarif(items, lang)
    if fmt == "csv":
        from ecomcheck.render.csv import render_csv

        return render_csv(items, lang=lang)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
