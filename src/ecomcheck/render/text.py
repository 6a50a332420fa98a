"""Plain-text report for people: grouped by category, evidence and what to do.

A seller-profile report names the seller, then lists the seller's own findings by
category and, after them, each offending listing with its title and its findings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from ecomcheck.models import Category, Finding, Outcome, Report, RunStatus, Severity
from ecomcheck.render.flatten import errored_rules, rules_by_category
from ecomcheck.render.messages import render

if TYPE_CHECKING:
    from ecomcheck.profile import SellerProfile

_MARK = {
    Severity.CRITICAL: "!!!",
    Severity.HIGH: "!! ",
    Severity.MEDIUM: "!  ",
    Severity.LOW: ".  ",
    Severity.INFO: "i  ",
}

_T = Callable[..., str]


def render_text(reports: Iterable[Report], lang: str = "vi") -> str:
    """Render reports as text a shop owner or an officer reads top to bottom."""
    return "\n".join(render_report(r, lang) for r in reports)


def render_report(
    report: Report,
    lang: str = "vi",
    *,
    profile: SellerProfile | None = None,
    record: str | None = None,
) -> str:
    """Render one report as text.

    Args:
        report: The report.
        lang: ``vi`` or ``en``.
        profile: For a seller-profile report, the profile it was made from: its
            listing titles name the offending listings (without it, titles come
            from the evidence, or listings are named by number).
        record: Where the input came from ("sellers.jsonl:57"), shown under the name.

    Returns:
        The text, ending with a newline.
    """

    def t(key: str, **p: Any) -> str:
        return render(lang, key, p)

    out: list[str] = []
    is_profile = report.subject.kind == "profile"
    out.append("=" * 72)
    if is_profile:
        name = report.subject.name or t("text.unnamed")
        url = f" \u2014 {report.subject.url}" if report.subject.url else ""
        platform = report.subject.platform
        where = f" ({platform})" if platform and platform != "other" else ""
        out.append(f"{t('text.seller')}: {name}{where}{url}")
    else:
        name = report.subject.url or report.subject.name or t("text.unnamed")
        out.append(f"{t('text.subject')}: {name}")
    if record:
        out.append(f"{t('text.record')}: {record}")
    if report.subject.page_kind:
        out.append(f"{t('text.page_kind')}: {t('page_kind.' + report.subject.page_kind)}")
    errors = errored_rules(report)
    verdict = t("status." + report.status.value)
    if errors and report.status is not RunStatus.NOT_ASSESSED:
        verdict += " " + t("text.incomplete", n=len(errors))
    out.append(f"{t('text.verdict')}: {verdict}")
    if report.status is RunStatus.NOT_ASSESSED:
        out.append(f"  {report.reason or ''}")
        return "\n".join(out) + "\n"
    s = report.summary
    out.append(t("text.counts", fail=s.fail, review=s.needs_review, suppressed=s.suppressed))
    for w in report.subject.warnings:
        out.append(f"  ({t('warning.' + w)})")
    if errors:
        _errors(out, errors, t)
    active = [f for f in report.findings if not f.suppressed]
    if is_profile:
        _profile_body(out, active, t, profile)
    else:
        _by_category(out, active, t)
    if not active:
        out.append("")
        out.append(t("text.no_findings"))
    return "\n".join(out) + "\n"


def _errors(out: list[str], rule_ids: list[str], t: _T) -> None:
    # A rule that crashed has no findings: say which checks are missing, by category,
    # so that an absent section is not read as "nothing wrong there".
    out.append("")
    out.append(f"!! {t('text.errors', n=len(rule_ids))}")
    for category, ids in rules_by_category(rule_ids):
        name = t("category." + category) if category else t("text.other_rules")
        out.append(f"     - {name}: {', '.join(ids)}")
    out.append(f"     {t('text.errors_hint')}")


def _sorted(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.outcome is not Outcome.FAIL, -f.severity.rank))


def _by_category(out: list[str], findings: list[Finding], t: _T) -> None:
    by_cat: dict[Category, list[Finding]] = {}
    for f in findings:
        by_cat.setdefault(f.category, []).append(f)
    for cat in Category:
        group = by_cat.get(cat)
        if not group:
            continue
        out.append("")
        out.append(f"## {t('category.' + cat.value)}")
        for f in _sorted(group):
            _finding(out, f, t)


def _finding(out: list[str], f: Finding, t: _T, *, with_category: bool = False) -> None:
    label = t("outcome." + f.outcome.value)
    cat = f"{t('category.' + f.category.value)}: " if with_category else ""
    out.append(
        f"{_MARK[f.severity]}[{label} · {t('severity.' + f.severity.value)}] "
        f"{cat}{f.message}  ({f.rule_id})"
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
            f"{lb.citation}{', ' + lb.article if lb.article else ''}" for lb in f.legal_basis[:2]
        )
        out.append(f"     {t('text.legal')}: {cites}")


def _listing_of(f: Finding) -> int | None:
    from ecomcheck.profile_subject import listing_index

    for ev in f.evidence:
        i = listing_index(ev.pointer)
        if i is not None:
            return i
    return None


def _listing_heading(i: int, findings: list[Finding], profile: SellerProfile | None) -> str:
    title = url = ""
    if profile is not None and i < len(profile.listings):
        title, url = profile.listings[i].title.strip(), profile.listings[i].url or ""
    else:
        for f in findings:
            for ev in f.evidence:
                if ev.pointer == f"/listings/{i}/title" and ev.snippet and not title:
                    title = ev.snippet.strip()
                if ev.url and not url:
                    url = ev.url
    if len(title) > 100:
        title = title[:99] + "…"
    parts = [f"\u201c{title}\u201d" if title else "", f"<{url}>" if url else ""]
    return " ".join(p for p in parts if p)


def _profile_body(
    out: list[str], findings: list[Finding], t: _T, profile: SellerProfile | None
) -> None:
    seller: list[Finding] = []
    listings: dict[int, list[Finding]] = {}
    for f in findings:
        i = _listing_of(f)
        if i is None:
            seller.append(f)
        else:
            listings.setdefault(i, []).append(f)
    if seller:
        out.append("")
        out.append(f"# {t('text.seller_findings')}")
        _by_category(out, seller, t)
    if listings and profile is not None:
        out.append("")
        out.append(t("text.listings_with_findings", n=len(listings), total=len(profile.listings)))
    for i in sorted(listings):
        group = listings[i]
        out.append("")
        heading = _listing_heading(i, group, profile)
        # Numbered from 1 for people; the pointer (from 0) ties it to the evidence.
        out.append(f"# {t('text.listing', n=i + 1)} (/listings/{i}): {heading}".rstrip(": "))
        for f in _sorted(group):
            _finding(out, f, t, with_category=True)
