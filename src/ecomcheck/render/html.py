"""A single-file HTML report for people: verdict, what to fix first, evidence, legal basis.

The file stands alone: inline CSS, no script, no font, no picture, no request of
any kind (a Content-Security-Policy forbids them), so it can be mailed, archived
and opened offline. It reads on a phone (one column, tables fold into cards) and
prints. Every piece of text from a checked page is escaped; only http(s) URLs
become links. Vietnamese by default.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Sequence
from typing import Any

from ecomcheck import __version__
from ecomcheck.models import (
    Category,
    Finding,
    Outcome,
    Report,
    RunStatus,
    SiteReport,
)
from ecomcheck.render.flatten import as_list, errored_rules, iter_errors, rules_by_category
from ecomcheck.render.messages import render

__all__ = ["render_html"]

_FIX_FIRST = 7
_EVIDENCE_SHOWN = 3

_CSS = """
:root{--fail:#b3261e;--review:#7a4f00;--pass:#1b6e3a;--na:#5f6368;--line:#d8dadf;
--bg:#f4f5f7;--ink:#1d1d1f;--muted:#5b5f66}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);
font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif}
.wrap{max-width:56rem;margin:0 auto;padding:0 1rem}
header.top{color:#fff;padding:1.25rem 0 1rem}
.st-fail{background:var(--fail)}.st-needs_review{background:var(--review)}
.st-pass{background:var(--pass)}.st-not_assessed,.st-error,.st-not_applicable{background:var(--na)}
.kicker{margin:0;font-size:.85rem;opacity:.9}
h1{font-size:1.35rem;line-height:1.3;margin:.2rem 0 .4rem;overflow-wrap:anywhere}
.verdict{display:inline-block;margin:0 0 .4rem;padding:.15rem .6rem;border:2px solid #fff;
border-radius:6px;font-weight:700;font-size:1.1rem;letter-spacing:.02em}
.reason{margin:.25rem 0;font-weight:600}
.counts{margin:.25rem 0;font-size:.95rem}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .75rem;margin:.5rem 0 0;
font-size:.85rem}
dl.meta dt{opacity:.85}dl.meta dd{margin:0;overflow-wrap:anywhere}
header.top a{color:#fff}
section{background:#fff;border:1px solid var(--line);border-radius:10px;padding:.9rem 1rem;
margin:1rem 0}
h2{font-size:1.15rem;margin:0 0 .5rem}
h3{font-size:1rem;margin:1rem 0 .25rem;color:var(--muted)}
.note{color:var(--muted);font-size:.9rem;margin:.25rem 0 .5rem}
.errors{border-left:4px solid var(--fail);padding:.1rem .75rem;margin:.5rem 0}
ol.fix li{margin:.4rem 0}
.finding{border:1px solid var(--line);border-left:5px solid var(--na);border-radius:8px;
padding:.6rem .8rem;margin:.6rem 0;background:#fff}
.finding.out-fail{border-left-color:var(--fail)}.finding.out-needs_review{border-left-color:var(--review)}
.finding.suppressed{opacity:.75;border-left-style:dashed}
.finding p{margin:.25rem 0}
.msg{font-weight:600}
.tags{font-size:.8rem}
.tag{display:inline-block;padding:0 .45rem;margin:0 .25rem .2rem 0;border-radius:999px;
background:#eceef1;color:var(--ink)}
.tag.fail{background:var(--fail);color:#fff}.tag.needs_review{background:#f3e2bd}
.tag.sev-critical,.tag.sev-high{font-weight:700}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.8rem;
overflow-wrap:anywhere;word-break:break-word}
.ev ul,.legal ul{margin:.25rem 0;padding-left:1.1rem}
.ev li{margin:.3rem 0}
q{quotes:"\\201C" "\\201D";background:#fff7d6}
.where{color:var(--muted);font-size:.82rem;overflow-wrap:anywhere}
a{color:#0b57d0;overflow-wrap:anywhere}
details{margin:.4rem 0}summary{cursor:pointer;font-weight:600}
details.page{border-top:1px solid var(--line);padding-top:.4rem}
details.page>summary{font-weight:400}
.pill{display:inline-block;min-width:5.5rem;text-align:center;padding:0 .4rem;margin-right:.35rem;
border-radius:4px;color:#fff;font-size:.78rem;font-weight:700}
table{width:100%;border-collapse:collapse;font-size:.9rem}
th,td{border-bottom:1px solid var(--line);text-align:left;padding:.35rem .4rem;vertical-align:top;
overflow-wrap:anywhere}
th{background:#f0f1f4}
footer{color:var(--muted);font-size:.8rem;padding:1rem 0 2rem}
@media (max-width:40rem){
body{font-size:15px}
table,thead,tbody,tr,th,td{display:block}thead{display:none}
tr{border-bottom:1px solid var(--line);padding:.35rem 0}td{border:0;padding:.05rem 0}
td[data-label]::before{content:attr(data-label) ": ";font-weight:600;color:var(--muted)}
}
@media print{body{background:#fff}section{border:0;padding:0}details>summary{list-style:none}
header.top{color:#000;background:none!important;border-bottom:3px solid #000}
.verdict{border-color:#000}}
"""


class _T:
    """Renders catalogue strings of one language, escaped for HTML."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, key: str, **params: Any) -> str:
        return _e(render(self.lang, key, params))


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _when(moment: dt.datetime | None) -> str:
    if moment is None:
        return "–"
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
        return _e(moment.strftime("%Y-%m-%d %H:%M:%S UTC"))
    return _e(moment.isoformat(sep=" "))


def _link(url: str | None, text: str | None = None) -> str:
    """A link for http(s) URLs only; anything else is shown as text."""
    if not url:
        return ""
    label = _e(text if text is not None else url)
    if url.lower().startswith(("http://", "https://")):
        return f'<a href="{_e(url)}" rel="noopener noreferrer nofollow">{label}</a>'
    return f'<span class="mono">{label}</span>'


def _counts(findings: Iterable[Finding]) -> tuple[int, int, int]:
    fail = review = suppressed = 0
    for f in findings:
        if f.suppressed:
            suppressed += 1
        elif f.outcome is Outcome.FAIL:
            fail += 1
        else:
            review += 1
    return fail, review, suppressed


def _finding(f: Finding, t: _T) -> str:
    classes = f"finding out-{f.outcome.value}" + (" suppressed" if f.suppressed else "")
    parts = [f'<article class="{classes}">']
    parts.append(
        '<p class="tags">'
        f'<span class="tag {f.outcome.value}">{t("outcome." + f.outcome.value)}</span>'
        f'<span class="tag sev-{f.severity.value}">{t("severity." + f.severity.value)}</span>'
        f"<code>{_e(f.rule_id)}</code></p>"
    )
    parts.append(f'<p class="msg">{_e(f.message)}</p>')
    if f.suppressed and f.suppression is not None:
        parts.append(
            '<p class="note">'
            + t(
                "html.suppression",
                reason=f.suppression.reason,
                expires=f.suppression.expires.isoformat(),
            )
            + "</p>"
        )
    if f.remediation:
        parts.append(f"<p><strong>{t('html.fix')}:</strong> {_e(f.remediation)}</p>")
    if f.evidence:
        items = []
        for ev in f.evidence[:_EVIDENCE_SHOWN]:
            bits = []
            if ev.snippet:
                bits.append(f"<q>{_e(ev.snippet)}</q>")
            elif ev.matched:
                bits.append(f"<q>{_e(ev.matched)}</q>")
            where = [x for x in (_link(ev.url), _e(ev.selector or ev.pointer or "")) if x]
            if where:
                bits.append(f'<span class="where">{t("html.where")}: {" · ".join(where)}</span>')
            if ev.record:
                bits.append(
                    f'<span class="where">{t("html.record")}: <code>{_e(ev.record)}</code></span>'
                )
            items.append("<li>" + "<br>".join(bits) + "</li>")
        more = len(f.evidence) - _EVIDENCE_SHOWN
        if more > 0:
            items.append(f'<li class="note">{t("html.more_evidence", count=more)}</li>')
        parts.append(
            f'<div class="ev"><strong>{t("html.evidence")}</strong><ul>{"".join(items)}</ul></div>'
        )
    if f.legal_basis:
        refs = []
        for lb in f.legal_basis:
            article = f", {_e(lb.article)}" if lb.article else ""
            source = f" {_link(lb.url, '↗')}" if lb.url else ""
            refs.append(f"<li>{_e(lb.citation)}{article}{source}</li>")
        parts.append(
            f'<details class="legal"><summary>{t("html.legal")}</summary>'
            f"<ul>{''.join(refs)}</ul></details>"
        )
    parts.append(f'<p class="where">{t("html.fingerprint")}: <code>{_e(f.fingerprint)}</code></p>')
    parts.append("</article>")
    return "".join(parts)


def _by_category(findings: Sequence[Finding], t: _T) -> str:
    shown = [f for f in findings if not f.suppressed]
    if not shown:
        return f'<p class="note">{t("html.no_findings")}</p>'
    out = []
    order = {c: i for i, c in enumerate(Category)}
    groups: dict[Category, list[Finding]] = {}
    for f in sorted(
        shown, key=lambda f: (order[f.category], f.outcome is not Outcome.FAIL, -f.severity.rank)
    ):
        groups.setdefault(f.category, []).append(f)
    for cat, items in groups.items():
        out.append(f"<h3>{t('category.' + cat.value)}</h3>")
        out.extend(_finding(f, t) for f in items)
    return "".join(out)


def _fix_first(rows: list[tuple[Finding, str | None]], t: _T) -> str:
    fails = [(f, where) for f, where in rows if f.outcome is Outcome.FAIL and not f.suppressed]
    if not fails:
        return (
            f'<section id="fix-first"><h2>{t("html.fix_first")}</h2>'
            f'<p class="note">{t("html.fix_first_none")}</p></section>'
        )
    # One line per kind of problem: the same rule on many products or pages is one fix.
    grouped: dict[tuple[str, str], list[tuple[Finding, str | None]]] = {}
    for f, where in sorted(fails, key=lambda x: -x[0].severity.rank):
        grouped.setdefault((f.rule_id, f.message_id), []).append((f, where))
    items = []
    for group in list(grouped.values())[:_FIX_FIRST]:
        f, _ = group[0]
        places = list(dict.fromkeys(w for _, w in group if w))
        shown = ", ".join(_link(w) for w in places[:3])
        if len(places) > 3:
            shown += " " + t("html.more_places", count=len(places) - 3)
        more = f' <span class="where">(×{len(group)})</span>' if len(group) > 1 else ""
        items.append(
            f'<li><span class="tag sev-{f.severity.value}">'
            f"{t('severity.' + f.severity.value)}</span> "
            f"<strong>{_e(f.message)}</strong>{more}"
            + (f"<br>{_e(f.remediation)}" if f.remediation else "")
            + (f'<br><span class="where">{shown}</span>' if shown else "")
            + "</li>"
        )
    return (
        f'<section id="fix-first"><h2>{t("html.fix_first")}</h2>'
        f'<ol class="fix">{"".join(items)}</ol></section>'
    )


def _errors(rule_ids: list[str], t: _T) -> str:
    """Say which checks crashed: their findings are missing, not absent."""
    if not rule_ids:
        return ""
    rows = "".join(
        f"<li>{t('category.' + cat) if cat else t('text.other_rules')}: "
        f"{', '.join(f'<code>{_e(r)}</code>' for r in ids)}</li>"
        for cat, ids in rules_by_category(rule_ids)
    )
    return (
        f'<div class="errors" role="alert"><p><strong>{t("text.errors", n=len(rule_ids))}'
        f'</strong></p><ul>{rows}</ul><p class="note">{t("text.errors_hint")}</p></div>'
    )


def _pill(status: RunStatus, t: _T) -> str:
    return f'<span class="pill st-{status.value}">{t("status." + status.value)}</span>'


def _fetch_table(page: Report, t: _T) -> str:
    fi = page.fetch
    if fi is None:
        return ""
    rows = [
        ("html.requested", _link(fi.requested_url)),
        ("html.final_url", _link(fi.final_url)),
        ("html.http_status", _e(fi.status) if fi.status is not None else "–"),
        ("html.fetched_at", _when(fi.fetched_at)),
        ("html.sha256", f"<code>{_e(fi.sha256)}</code>" if fi.sha256 else "–"),
    ]
    if fi.redirects:
        chain = " → ".join(f"{_e(h.status)} {_link(h.url)}" for h in fi.redirects)
        rows.insert(2, ("html.redirects", chain))
    if fi.record:
        rows.append(("html.record", f"<code>{_e(fi.record)}</code>"))
    body = "".join(
        f'<tr><th scope="row">{t(k)}</th><td data-label="{t(k)}">{v}</td></tr>' for k, v in rows
    )
    return (
        f"<details><summary>{t('html.fetch')}</summary>"
        f"<table><tbody>{body}</tbody></table></details>"
    )


def _page_section(page: Report, t: _T, open_: bool) -> str:
    role = page.fetch.role if page.fetch and page.fetch.role else None
    label = f"{t('role.' + role)} · " if role else ""
    url = page.subject.url or page.subject.name or t("text.unnamed")
    fail, review, _ = _counts(page.findings)
    counts = f" ({fail}/{review})" if fail or review else ""
    head = (
        f"<summary>{_pill(page.status, t)}{label}"
        f'<span class="mono">{_e(url)}</span>{counts}</summary>'
    )
    body = []
    if page.status is RunStatus.NOT_ASSESSED:
        body.append(f'<p class="note">{_e(page.reason or "")}</p>')
    else:
        body.append(_errors(errored_rules(page), t))
        body.append(_by_category(page.findings, t))
    body.append(_fetch_table(page, t))
    attr = " open" if open_ else ""
    return f'<details class="page"{attr}>{head}{"".join(body)}</details>'


def _policies(report: SiteReport, t: _T) -> str:
    if not report.policies:
        return ""
    rows = []
    for p in report.policies:
        where = _link(p.target or p.url) if (p.target or p.url) else "–"
        label = f"{_e(p.label)}<br>" if p.label else ""
        rows.append(
            f'<tr><td data-label="{t("html.policy")}">{t("policy_name." + p.policy)}</td>'
            f'<td data-label="{t("html.status")}">{t("policy_status." + p.status)}</td>'
            f'<td data-label="{t("html.found_on")}">{label}{where}'
            + "".join(f'<br><span class="where">✗ {_e(r)}</span>' for r in p.rejected)
            + "</td></tr>"
        )
    return (
        f'<section id="policies"><h2>{t("html.policies")}</h2><table><thead><tr>'
        f"<th>{t('html.policy')}</th><th>{t('html.status')}</th><th>{t('html.found_on')}</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


def _facts(report: SiteReport, t: _T) -> str:
    if not report.facts:
        return ""
    rows = []
    for fact in report.facts:
        ev = fact.evidence
        rows.append(
            f'<tr><td data-label="{t("html.fact")}">{t("fact." + fact.kind)}</td>'
            f'<td data-label="{t("html.value")}">{_e(fact.value)}</td>'
            f'<td data-label="{t("html.found_on")}">{_link(ev.url)}'
            + (f'<br><span class="where">{_e(ev.selector)}</span>' if ev.selector else "")
            + "</td></tr>"
        )
    return (
        f'<section id="facts"><h2>{t("html.facts")}</h2><table><thead><tr>'
        f"<th>{t('html.fact')}</th><th>{t('html.value')}</th><th>{t('html.found_on')}</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


def _suppressed(findings: list[Finding], t: _T) -> str:
    items = [f for f in findings if f.suppressed]
    if not items:
        return ""
    return (
        '<section id="suppressed"><details>'
        f"<summary>{t('html.suppressed')} ({len(items)})</summary>"
        + "".join(_finding(f, t) for f in items)
        + "</details></section>"
    )


def _crawl(report: SiteReport, t: _T) -> str:
    parts = []
    if report.skipped:
        rows = "".join(
            f'<tr><td data-label="URL">{_link(s.url)}</td>'
            f'<td data-label="{t("html.reason")}">{t(s.reason)}</td></tr>'
            for s in report.skipped
        )
        rows += "".join(
            f'<tr><td data-label="URL">{t("html.skipped_more", count=n)}</td>'
            f'<td data-label="{t("html.reason")}">{t(reason)}</td></tr>'
            for reason, n in report.skipped_omitted.items()
        )
        total = len(report.skipped) + sum(report.skipped_omitted.values())
        parts.append(
            f"<details><summary>{t('html.skipped')} ({total})</summary>"
            f"<table><thead><tr><th>URL</th><th>{t('html.reason')}</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></details>"
        )
    meta = []
    for r in report.crawl.robots:
        meta.append(
            f"<li>{t('html.robots')}: {_link(r.requested_url)} ({_e(r.status or r.error)})</li>"
        )
    if report.crawl.archive:
        meta.append(f"<li>{t('html.archive')}: <code>{_e(report.crawl.archive)}</code></li>")
    if report.crawl.replayed:
        meta.append(f"<li>{t('html.replayed')}</li>")
    meta.append(f"<li>User-Agent: <code>{_e(report.crawl.user_agent)}</code></li>")
    parts.append(f'<ul class="note">{"".join(meta)}</ul>')
    return f'<section id="crawl">{"".join(parts)}</section>'


def _header(
    title: str,
    status: RunStatus,
    reason: str | None,
    counts: str,
    meta: list[tuple[str, str]],
    t: _T,
    errors: int = 0,
) -> str:
    dl = "".join(f"<dt>{t(k)}</dt><dd>{v}</dd>" for k, v in meta)
    reason_html = f'<p class="reason">{_e(reason)}</p>' if reason else ""
    if errors:  # some checks crashed: the verdict rests on part of the rules only
        reason_html += f'<p class="reason">{t("text.incomplete", n=errors)}</p>'
    return (
        f'<header class="top st-{status.value}"><div class="wrap">'
        f'<p class="kicker">{t("html.title")}</p><h1>{_e(title)}</h1>'
        f'<p class="verdict">{t("status." + status.value)}</p>{reason_html}'
        f'<p class="counts">{counts}</p><dl class="meta">{dl}</dl></div></header>'
    )


def _site_body(report: SiteReport, t: _T) -> tuple[str, str]:
    findings = report.all_findings()
    fail, review, suppressed = _counts(findings)
    counts = t(
        "html.counts", fail=fail, review=review, suppressed=suppressed, pages=len(report.pages)
    )
    meta = [
        ("html.site", _link(report.subject.url)),
        ("html.checked_at", _when(report.checked_at)),
        ("html.as_of", _e(report.as_of.isoformat())),
    ]
    title = report.subject.name or report.subject.url or ""
    errors = sum(1 for _ in iter_errors([report]))
    header = _header(title, report.status, report.reason, counts, meta, t, errors)
    rows: list[tuple[Finding, str | None]] = [(f, report.subject.url) for f in report.findings]
    for p in report.pages:
        rows.extend((f, p.subject.url) for f in p.findings)
    sections = [_fix_first(rows, t)] if report.status is not RunStatus.NOT_ASSESSED else []
    if report.status is not RunStatus.NOT_ASSESSED:
        sections.append(
            f'<section id="site"><h2>{t("html.site_findings")}</h2>'
            f'<p class="note">{t("html.site_findings_note")}</p>'
            f"{_errors(errored_rules(report), t)}"
            f"{_by_category(report.findings, t)}</section>"
        )
        sections.append(_policies(report, t))
        sections.append(_facts(report, t))
    pages = "".join(
        _page_section(
            p, t, open_=any(not f.suppressed for f in p.findings) or bool(errored_rules(p))
        )
        for p in report.pages
    )
    sections.append(f'<section id="pages"><h2>{t("html.pages")}</h2>{pages}</section>')
    sections.append(_suppressed(findings, t))
    sections.append(_crawl(report, t))
    return header, "".join(s for s in sections if s)


def _pages_body(reports: list[Report], t: _T) -> tuple[str, str]:
    findings = [f for r in reports for f in r.findings]
    fail, review, suppressed = _counts(findings)
    counts = t("html.counts", fail=fail, review=review, suppressed=suppressed, pages=len(reports))
    statuses = [r.status for r in reports]
    worst = next(
        (
            s
            for s in (
                RunStatus.FAIL,
                RunStatus.NEEDS_REVIEW,
                RunStatus.NOT_ASSESSED,
                RunStatus.ERROR,
            )
            if s in statuses
        ),
        RunStatus.PASS,
    )
    first = reports[0] if reports else None
    title = (first.subject.url or first.subject.name or "") if first and len(reports) == 1 else ""
    meta = []
    if first is not None:
        meta = [
            ("html.checked_at", _when(first.checked_at)),
            ("html.as_of", _e(first.as_of.isoformat())),
        ]
    reason = first.reason if first is not None and len(reports) == 1 else None
    errors = sum(1 for _ in iter_errors(reports))
    header = _header(title or t("html.pages"), worst, reason, counts, meta, t, errors)
    rows = [(f, r.subject.url or r.subject.name) for r in reports for f in r.findings]
    pages = "".join(_page_section(r, t, open_=True) for r in reports)
    body = _fix_first(rows, t) + f'<section id="pages"><h2>{t("html.pages")}</h2>{pages}</section>'
    return header, body + _suppressed(findings, t)


def render_html(
    reports: Report | SiteReport | Iterable[Report | SiteReport], lang: str | None = None
) -> str:
    """Render reports as one self-contained HTML document.

    Args:
        reports: A site report, a page report, or several (each site report gets its
            own part of the document).
        lang: Language of the document (``vi`` or ``en``); findings are re-rendered
            in it when they were stored in the other. None keeps the reports' own.
    """
    from ecomcheck.engine import rerender
    from ecomcheck.site import rerender_site

    items = as_list(reports)
    use = lang or (items[0].lang if items else "vi")
    fixed: list[Report | SiteReport] = []
    for r in items:
        if r.lang != use:
            r = rerender_site(r, use) if isinstance(r, SiteReport) else rerender(r, use)
        fixed.append(r)
    t = _T(use)
    parts: list[str] = []
    titles: list[str] = []
    sites = [r for r in fixed if isinstance(r, SiteReport)]
    pages = [r for r in fixed if isinstance(r, Report)]
    for s in sites:
        header, body = _site_body(s, t)
        parts.append(f'{header}<main class="wrap">{body}</main>')
        titles.append(s.subject.url or "")
    if pages:
        header, body = _pages_body(pages, t)
        parts.append(f'{header}<main class="wrap">{body}</main>')
        titles.extend(p.subject.url or p.subject.name or "" for p in pages[:1])
    head_title = f"{t('html.title')} – {_e(', '.join(x for x in titles if x)[:120])}"
    footer = f'<footer class="wrap">{t("html.tool", version=__version__)}</footer>'
    return (
        f'<!doctype html>\n<html lang="{_e(use)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'\">"
        '<meta name="referrer" content="no-referrer">'
        f'<meta name="generator" content="ecomcheck {_e(__version__)}">'
        f"<title>{head_title}</title><style>{_CSS}</style></head>"
        f"<body>{''.join(parts)}{footer}</body></html>\n"
    )
