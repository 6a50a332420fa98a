"""Findings of page and site reports as flat rows, shared by the SARIF, CSV and HTML writers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ecomcheck.models import Category, Finding, Report, RunStatus, SiteReport

__all__ = [
    "FindingRow",
    "as_list",
    "errored_rules",
    "iter_errors",
    "iter_findings",
    "rules_by_category",
]


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


def errored_rules(report: Report | SiteReport) -> list[str]:
    """Ids of the rules whose run on this report (not its pages) ended in ``error``."""
    return sorted(rid for rid, run in report.rule_runs.items() if run.status is RunStatus.ERROR)


def iter_errors(
    reports: Iterable[Report | SiteReport],
) -> Iterator[tuple[Report | SiteReport, str]]:
    """(report, rule id) of every rule run that ended in ``error``, sites before their pages.

    Such a rule's findings are missing from the report: writers say so rather than
    let the report read as complete.
    """
    for r in reports:
        for rid in errored_rules(r):
            yield r, rid
        if isinstance(r, SiteReport):
            for page in r.pages:
                for rid in errored_rules(page):
                    yield page, rid


def rules_by_category(rule_ids: Iterable[str]) -> list[tuple[str, list[str]]]:
    """Group rule ids by their category (its value), in the order of :class:`Category`.

    A rule no longer registered (a stored report read by another version) is placed
    by the category its id starts with, or under ``""``.
    """
    from ecomcheck.engine import list_rules

    known = {m.id: m.category.value for m in list_rules()}
    values = [c.value for c in Category]
    groups: dict[str, list[str]] = {}
    for rid in rule_ids:
        prefix = rid.split(".", 1)[0]
        category = known.get(rid) or (prefix if prefix in values else "")
        groups.setdefault(category, []).append(rid)
    order = {v: i for i, v in enumerate(values)}
    return sorted(groups.items(), key=lambda kv: order.get(kv[0], len(order)))
