"""SARIF 2.1.0 output: one run, every rule described, findings as results.

Findings carry no line numbers (evidence points into a page's visible text and its
elements), so each location names the page (``artifactLocation.uri``), the element
(``logicalLocations``, its CSS selector) and the snippet (``message``); the full
evidence, the legal basis and the archive record are in ``properties``. Findings
for review are ``kind: "review"``. Suppressed findings stay in the output with a
SARIF ``suppressions`` entry (``external``, ``accepted``) and its justification.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from ecomcheck import __version__
from ecomcheck.fetch import PROJECT_URL
from ecomcheck.models import Finding, Outcome, Report, RunStatus, Severity, SiteReport
from ecomcheck.render.flatten import as_list, iter_errors, iter_findings
from ecomcheck.render.messages import render

__all__ = ["SARIF_SCHEMA", "render_sarif", "sarif_log"]

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
_MAX_LOCATIONS = 10


def _rules(lang: str) -> tuple[list[dict[str, Any]], dict[str, int]]:
    from ecomcheck.engine import list_rules

    descriptors: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for meta in list_rules():
        index[meta.id] = len(descriptors)
        descriptors.append(
            {
                "id": meta.id,
                "name": meta.name,
                "shortDescription": {"text": meta.name},
                "fullDescription": {"text": meta.summary},
                "help": {"text": render(lang, meta.id + ".fix")},
                "helpUri": f"{PROJECT_URL}/blob/main/docs/rules/{meta.id}.md",
                "defaultConfiguration": {"level": _LEVEL[meta.severity]},
                "properties": {
                    "category": meta.category.value,
                    "severity": meta.severity.value,
                    "confidence": meta.confidence.value,
                    "legal_basis": list(meta.legal_keys),
                    "tags": [meta.category.value, "vn", "e-commerce"],
                },
            }
        )
    return descriptors, index


def _locations(f: Finding, fallback: str | None) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for ev in f.evidence[:_MAX_LOCATIONS]:
        uri = ev.url or fallback
        loc: dict[str, Any] = {}
        if uri:
            loc["physicalLocation"] = {"artifactLocation": {"uri": uri}}
        where = ev.selector or ev.pointer
        if where:
            loc["logicalLocations"] = [
                {"fullyQualifiedName": where, "kind": "element" if ev.selector else "object"}
            ]
        text = ev.snippet or ev.matched
        if text:
            loc["message"] = {"text": text}
        if ev.record:
            loc["properties"] = {"record": ev.record}
        if loc:
            out.append(loc)
    if not out and fallback:
        out.append({"physicalLocation": {"artifactLocation": {"uri": fallback}}})
    return out


def _result(f: Finding, page: str | None, scope: str, index: dict[str, int]) -> dict[str, Any]:
    review = f.outcome is Outcome.NEEDS_REVIEW
    result: dict[str, Any] = {
        "ruleId": f.rule_id,
        "kind": "review" if review else "fail",
        # SARIF: a result whose kind is not "fail" has level "none".
        "level": "none" if review else _LEVEL[f.severity],
        "message": {"text": f.message},
        "locations": _locations(f, page),
        "partialFingerprints": {"ecomcheck/v1": f.fingerprint},
        "properties": {
            "message_id": f.message_id,
            "params": f.params,
            "category": f.category.value,
            "severity": f.severity.value,
            "confidence": f.confidence.value,
            "outcome": f.outcome.value,
            "scope": scope,
            "remediation": f.remediation,
            "legal_basis": [lb.model_dump(mode="json", exclude_none=True) for lb in f.legal_basis],
            "evidence": [ev.model_dump(mode="json", exclude_none=True) for ev in f.evidence],
        },
    }
    if f.rule_id in index:
        result["ruleIndex"] = index[f.rule_id]
    if f.suppressed:
        sup: dict[str, Any] = {"kind": "external", "status": "accepted"}
        if f.suppression is not None:
            sup["justification"] = f.suppression.reason
            sup["properties"] = f.suppression.model_dump(mode="json", exclude_none=True)
        result["suppressions"] = [sup]
    return result


def _artifacts(reports: list[Report | SiteReport]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    pages: list[Report] = []
    for r in reports:
        pages.extend(r.pages if isinstance(r, SiteReport) else [r])
    seen: set[str] = set()
    for p in pages:
        uri = (p.fetch.final_url if p.fetch else None) or p.subject.url
        if not uri or uri in seen:
            continue
        seen.add(uri)
        art: dict[str, Any] = {"location": {"uri": uri}}
        sha = (p.fetch.sha256 if p.fetch else None) or p.subject.sha256
        if sha:
            art["hashes"] = {"sha-256": sha}
        if p.fetch is not None:
            if p.fetch.content_type:
                art["mimeType"] = p.fetch.content_type.split(";", 1)[0].strip() or None
                if not art["mimeType"]:
                    del art["mimeType"]
            art["properties"] = p.fetch.model_dump(mode="json", exclude_none=True)
        out.append(art)
    return out


def _notifications(reports: list[Report | SiteReport]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for r in reports:
        scopes: list[Report | SiteReport] = [r]
        if isinstance(r, SiteReport):
            scopes += r.pages
        for item in scopes:
            if item.status is RunStatus.NOT_ASSESSED:
                where = item.subject.url or item.subject.name or ""
                out.append(
                    {
                        "level": "warning",
                        "message": {"text": f"{where}: {item.reason or 'not assessed'}"},
                        "properties": {"status": "not_assessed", "subject": where},
                    }
                )
    for item, rid in iter_errors(reports):
        where = item.subject.url or item.subject.name or ""
        reason = item.rule_runs[rid].reason or "error"
        out.append(
            {
                "level": "error",
                "message": {"text": f"{where}: {rid}: {reason}"},
                "associatedRule": {"id": rid},
                "properties": {"status": "error", "subject": where},
            }
        )
    return out


def sarif_log(
    reports: Report | SiteReport | Iterable[Report | SiteReport], lang: str = "vi"
) -> dict[str, Any]:
    """Build the SARIF 2.1.0 log of page and site reports as a dict.

    Args:
        reports: One report or several.
        lang: Language of the rule help texts (findings keep their own language).
    """
    items = as_list(reports)
    descriptors, index = _rules(lang)
    results = [_result(row.finding, row.page, row.scope, index) for row in iter_findings(items)]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "ecomcheck",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": PROJECT_URL,
                "language": lang,
                "rules": descriptors,
            }
        },
        "invocations": [
            {
                "executionSuccessful": True,
                "toolExecutionNotifications": _notifications(items),
            }
        ],
        "language": lang,
        "results": results,
        "properties": {
            "reports": [
                {
                    "kind": r.subject.kind,
                    "url": r.subject.url,
                    "status": r.status.value,
                    "reason": r.reason,
                    "checked_at": r.checked_at.isoformat(),
                    "as_of": r.as_of.isoformat(),
                    "suppressed": r.summary.suppressed,
                }
                for r in items
            ]
        },
    }
    artifacts = _artifacts(items)
    if artifacts:
        run["artifacts"] = artifacts
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render_sarif(
    reports: Report | SiteReport | Iterable[Report | SiteReport], lang: str = "vi"
) -> str:
    """Render page and site reports as a SARIF 2.1.0 JSON document."""
    return json.dumps(sarif_log(reports, lang), ensure_ascii=False, indent=2) + "\n"
