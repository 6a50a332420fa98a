"""The checker: resolves rules once, builds one subject per input, runs and contains rules."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ecomcheck import __version__
from ecomcheck.config import Config
from ecomcheck.models import (
    Finding,
    LegalRef,
    Outcome,
    Report,
    RuleRun,
    RunStatus,
    summarize,
)
from ecomcheck.render.messages import render
from ecomcheck.rules.base import Draft, Rule, RuleContext, RuleMeta, RunEnd, registry
from ecomcheck.terms import LegalRefEntry, load_legal_refs

if TYPE_CHECKING:
    from ecomcheck.extract.document import PageDocument
    from ecomcheck.subject import PageSubject

log = logging.getLogger("ecomcheck")


def list_rules() -> list[RuleMeta]:
    """Return the metadata of every rule, sorted by id."""
    return [r.meta for r in registry().values()]


def legal_refs_for(keys: Iterable[str], lang: str = "vi") -> list[LegalRef]:
    """Resolve legal-reference keys to report objects (unknown keys raise KeyError)."""
    refs = load_legal_refs()
    return [_legal_ref(k, refs[k], lang) for k in keys]


def _legal_ref(key: str, e: LegalRefEntry, lang: str) -> LegalRef:
    citation = e.citation_en if lang == "en" and e.citation_en else e.citation
    return LegalRef(
        id=key, citation=citation, article=e.article, url=e.url, source_quality=e.quality
    )


def fingerprint(rule_id: str, subject_key: str, value: str) -> str:
    """Identity of a finding that ignores layout: rule, subject and matched value."""
    raw = "\x1f".join((rule_id, subject_key, " ".join(value.casefold().split())))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


class Checker:
    """Runs the selected rules on pages; compile once, reuse for many pages.

    A ``Checker`` holds only read-only compiled data after construction, so one
    instance may be shared by threads.

    Args:
        config: Which rules run, language, legal date, severity overrides.

    Example:
        >>> checker = Checker(Config(lang="en"))
        >>> report = checker.check_page("<html>…</html>", url="https://shop.example/")
    """

    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()
        self.rules: list[Rule] = [r for r in registry().values() if self.config.selects(r.meta.id)]
        refs = load_legal_refs()
        missing = {k for r in self.rules for k in r.meta.legal_keys if k not in refs}
        if missing:
            raise ValueError(f"rules cite unknown legal references: {sorted(missing)}")
        self._legal: dict[str, list[LegalRef]] = {
            r.meta.id: [_legal_ref(k, refs[k], self.config.lang) for k in r.meta.legal_keys]
            for r in self.rules
        }
        # Compile shared matchers now, not on the first page, so threads never race.
        from ecomcheck.subject import compile_resources

        self._resources = compile_resources()

    def check_page(
        self,
        page: PageDocument | str | bytes | Any,
        *,
        url: str | None = None,
        content_type: str | None = None,
    ) -> Report:
        """Check one page.

        Args:
            page: HTML as ``str`` or ``bytes``, a BeautifulSoup object, or a
                :class:`~ecomcheck.extract.document.PageDocument`.
            url: The page's URL, used for links, page kind and evidence.
            content_type: The HTTP ``Content-Type`` header, if known (its charset
                is used for ``bytes``).

        Returns:
            The report; a page that cannot be read gets status ``not_assessed``.
        """
        from ecomcheck.extract.document import PageDocument
        from ecomcheck.subject import PageSubject

        doc = (
            page
            if isinstance(page, PageDocument)
            else PageDocument.build(page, url=url, content_type=content_type)
        )
        return self.check_subject(PageSubject(doc, self._resources))

    def check_subject(self, subject: PageSubject) -> Report:
        """Run every selected rule on a prepared subject and assemble the report."""
        as_of = self.config.effective_date()
        report = Report(
            ecomcheck_version=__version__,
            subject=subject.describe(),
            checked_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
            as_of=as_of,
            lang=self.config.lang,
        )
        unreadable = subject.unreadable_reason()
        if unreadable is not None:
            reason = render(self.config.lang, unreadable)
            report.status = RunStatus.NOT_ASSESSED
            report.reason = reason
            for r in self.rules:
                report.rule_runs[r.meta.id] = RuleRun(status=RunStatus.NOT_ASSESSED, reason=reason)
            return report
        for r in self.rules:
            if subject.kind not in r.meta.subjects:
                continue
            run, findings = self._run(r, subject, as_of)
            report.rule_runs[r.meta.id] = run
            report.findings.extend(findings)
        report.summary = summarize(report.findings)
        report.status = _overall(report)
        return report

    def _run(self, r: Rule, subject: PageSubject, as_of: dt.date) -> tuple[RuleRun, list[Finding]]:
        lang = self.config.lang
        ctx = RuleContext(meta=r.meta, subject=subject, as_of=as_of)
        try:
            r.check(ctx)
        except RunEnd as end:
            return RuleRun(
                status=RunStatus(end.status), reason=render(lang, end.reason_id, end.params)
            ), []
        except Exception as exc:  # a broken rule must not break the crawl
            if self.config.strict:
                raise
            log.exception("rule %s failed", r.meta.id)
            return RuleRun(status=RunStatus.ERROR, reason=f"{type(exc).__name__}: {exc}"), []
        findings = [self._finding(r.meta, d, subject) for d in ctx.drafts]
        if any(f.outcome is Outcome.FAIL for f in findings):
            status = RunStatus.FAIL
        elif findings:
            status = RunStatus.NEEDS_REVIEW
        else:
            status = RunStatus.PASS
        reason = render(lang, *ctx.pass_reason) if ctx.pass_reason and not findings else None
        return RuleRun(status=status, reason=reason), findings

    def _finding(self, meta: RuleMeta, d: Draft, subject: PageSubject) -> Finding:
        lang = self.config.lang
        severity = self.config.severity_for(meta.id, d.severity or meta.severity)
        fix_id = meta.id + ".fix"
        return Finding(
            rule_id=meta.id,
            rule_name=meta.name,
            category=meta.category,
            outcome=d.outcome,
            severity=severity,
            confidence=d.confidence or meta.confidence,
            message=render(lang, d.message_id, d.params),
            message_id=d.message_id,
            params=d.params,
            remediation=render(lang, fix_id, d.params),
            evidence=d.evidence,
            legal_basis=list(self._legal[meta.id]),
            fingerprint=fingerprint(meta.id, subject.key, d.value or d.message_id),
        )


def _overall(report: Report) -> RunStatus:
    if report.summary.fail:
        return RunStatus.FAIL
    if report.summary.needs_review:
        return RunStatus.NEEDS_REVIEW
    return RunStatus.PASS


def rerender(report: Report, lang: str) -> Report:
    """Return a copy of a stored report with messages rendered in another language."""
    out = report.model_copy(deep=True)
    out.lang = lang
    for f in out.findings:
        f.message = render(lang, f.message_id, f.params)
        f.remediation = render(lang, f.rule_id + ".fix", f.params)
        f.legal_basis = legal_refs_for([lb.id for lb in f.legal_basis], lang)
    return out


def check_page(
    html: PageDocument | str | bytes | Any,
    *,
    url: str | None = None,
    content_type: str | None = None,
    config: Config | None = None,
) -> Report:
    """Check one page with a one-off :class:`Checker` (build a Checker to check many).

    Args:
        html: HTML as ``str`` or ``bytes``, a BeautifulSoup object, or a PageDocument.
        url: The page's URL, if known.
        content_type: The HTTP ``Content-Type`` header, if known.
        config: Options; defaults to all rules, Vietnamese messages, today's regime.

    Returns:
        The report.
    """
    return Checker(config).check_page(html, url=url, content_type=content_type)
