"""Findings of page and site reports as flat rows, shared by the SARIF, CSV and HTML writers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ecomcheck.models import Finding, Report, SiteReport

__all__ = ["FindingRow", "as_list", "iter_findings"]


@dataclass(frozen=True)
class FindingRow:
    """One finding with where it belongs.

    Attributes:
        site: The site's URL for findings of a site report, else None.
        page: The page's URL (the site's URL for site-level findings).
        scope: ``site`` for site-level findings, ``page`` otherwise.
        report: The report the finding is in.
        finding: The finding.
    """

    site: str | None
    page: str | None
    scope: str
    report: Report | SiteReport
    finding: Finding


def as_list(
    reports: Report | SiteReport | Iterable[Report | SiteReport],
) -> list[Report | SiteReport]:
    """Accept one report or several."""
    if isinstance(reports, Report | SiteReport):
        return [reports]
    return list(reports)


def iter_findings(reports: Iterable[Report | SiteReport]) -> Iterator[FindingRow]:
    """Every finding of the reports, site-level ones before their site's pages."""
    for r in reports:
        if isinstance(r, SiteReport):
            site = r.subject.url
            for f in r.findings:
                yield FindingRow(site, site, "site", r, f)
            for page in r.pages:
                for f in page.findings:
                    yield FindingRow(site, page.subject.url, "page", page, f)
        else:
            for f in r.findings:
                yield FindingRow(None, r.subject.url or r.subject.name, "page", r, f)
