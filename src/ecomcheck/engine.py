"""The checker: resolves rules once, builds one subject per input, runs and contains rules."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

from ecomcheck import __version__
from ecomcheck.config import Config
from ecomcheck.models import (
    Confidence,
    Evidence,
    Finding,
    LegalRef,
    Outcome,
    Report,
    RuleRun,
    RunStatus,
    Subject,
    summarize,
)
from ecomcheck.privacy import mask_ids_in_text
from ecomcheck.render.messages import catalog, has, render, render_reason
from ecomcheck.rules.base import Draft, Rule, RuleContext, RuleMeta, RunEnd, registry
from ecomcheck.terms import LegalRefEntry, load_legal_refs

if TYPE_CHECKING:
    from ecomcheck.extract.document import PageDocument
    from ecomcheck.profile import SellerProfile
    from ecomcheck.profile_subject import ProfileSubject
    from ecomcheck.subject import PageSubject

    AnySubject = PageSubject | ProfileSubject

log = logging.getLogger("ecomcheck")

# Page warnings under which "missing" cannot be told from "not in the markup": the
# page was cut short, or its footer (identity, badge, contacts, policy links) is
# filled in by a script.
_INCOMPLETE_PAGE = frozenset({"truncated_document", "footer_by_script"})


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


def fix_id(lang: str, rule_id: str, message_id: str) -> str:
    """The catalogue id of a finding's remediation.

    A message variant may carry its own advice (``<message id>.fix``, e.g. for a
    seller profile rather than a page); otherwise the rule's (``<rule id>.fix``).
    """
    own = message_id + ".fix"
    return own if message_id != rule_id and has(lang, own) else rule_id + ".fix"


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
        catalog(self.config.lang)

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
        from ecomcheck.extract.document import PageDocument, cycle_collector_paused
        from ecomcheck.subject import PageSubject

        # Paused for the whole check, not only the document's walk: 2% of a 400 KB
        # page's check and 13% of a 3 MB page's (benchmarks/bench_page.py).
        with cycle_collector_paused():
            doc = (
                page
                if isinstance(page, PageDocument)
                else PageDocument.build(page, url=url, content_type=content_type)
            )
            return self.check_subject(PageSubject(doc, self._resources))

    def check_profile(
        self,
        profile: SellerProfile | Mapping[str, Any],
        *,
        show_personal_data: bool = False,
        record: str | None = None,
        sha256: str | None = None,
    ) -> Report:
        """Check one seller profile (design §5).

        Args:
            profile: A :class:`~ecomcheck.profile.SellerProfile` or a mapping with
                its fields (validated here).
            show_personal_data: Show personal identity numbers and personal phone
                numbers in evidence and messages, for an authorised officer. By
                default they are masked; fingerprints never contain them.
            record: Where the profile came from ("sellers.jsonl:57"), copied into
                each evidence item.
            sha256: Hash of the input as received, for the report's subject.

        Returns:
            The report; a profile with no field filled in gets ``not_assessed``.

        Raises:
            pydantic.ValidationError: A mapping is not a valid profile; each error
                names its field (``listings.3.price``).
        """
        from ecomcheck.profile import SellerProfile
        from ecomcheck.profile_subject import ProfileSubject

        p = profile if isinstance(profile, SellerProfile) else SellerProfile.model_validate(profile)
        subject = ProfileSubject(
            p, self._resources, mask=not show_personal_data, record=record, sha256=sha256
        )
        return self.check_subject(subject)

    def not_assessed(
        self,
        subject: Subject,
        reason: str,
        *,
        reason_id: str | None = None,
        reason_params: Mapping[str, Any] | None = None,
    ) -> Report:
        """A report for an input that could not be read at all (a malformed record).

        Args:
            subject: What the input was, as far as it is known.
            reason: Why it could not be read (already rendered, one line).
            reason_id: The catalogue id ``reason`` was rendered from, if any, so that
                :func:`rerender` can render it in another language.
            reason_params: The parameters of ``reason_id``.

        Returns:
            A ``not_assessed`` report in which every selected rule is ``not_assessed``.
        """
        report = Report(
            ecomcheck_version=__version__,
            subject=subject,
            checked_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
            as_of=self.config.effective_date(),
            lang=self.config.lang,
            status=RunStatus.NOT_ASSESSED,
            reason=reason,
            reason_id=reason_id,
            reason_params=dict(reason_params or {}),
        )
        for r in self.rules:
            report.rule_runs[r.meta.id] = RuleRun(
                status=RunStatus.NOT_ASSESSED,
                reason=reason,
                reason_id=reason_id,
                reason_params=dict(reason_params or {}),
            )
        return report

    def check_subject(self, subject: AnySubject) -> Report:
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
            report.reason, report.reason_id = reason, unreadable
            for r in self.rules:
                report.rule_runs[r.meta.id] = RuleRun(
                    status=RunStatus.NOT_ASSESSED, reason=reason, reason_id=unreadable
                )
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

    def _run(self, r: Rule, subject: AnySubject, as_of: dt.date) -> tuple[RuleRun, list[Finding]]:
        lang = self.config.lang
        # Rules are typed against pages; profile rules branch on ``subject.kind``.
        ctx = RuleContext(meta=r.meta, subject=cast("PageSubject", subject), as_of=as_of)
        try:
            r.check(ctx)
        except RunEnd as end:
            return RuleRun(
                status=RunStatus(end.status),
                reason=render(lang, end.reason_id, end.params),
                reason_id=end.reason_id,
                reason_params=end.params,
            ), []
        except Exception as exc:  # a broken rule must not break the crawl
            if self.config.strict:
                raise
            log.exception("rule %s failed", r.meta.id)
            return RuleRun(status=RunStatus.ERROR, reason=f"{type(exc).__name__}: {exc}"), []
        drafts = ctx.drafts
        # Profiles have no page; a whole site's pages are judged one by one.
        warnings = getattr(getattr(subject, "doc", None), "warnings", ())
        if not _INCOMPLETE_PAGE.isdisjoint(warnings):
            # What is missing from a page cut short, or from one whose footer a script
            # fills in, may sit in the part that is not in the markup.
            drafts = [
                replace(d, outcome=Outcome.NEEDS_REVIEW, confidence=Confidence.LOW)
                if d.absent and d.outcome is Outcome.FAIL
                else d
                for d in drafts
            ]
        findings = [self._finding(r.meta, d, subject) for d in drafts]
        if getattr(subject, "mask", True):  # a profile may be checked unmasked on request
            for f in findings:
                _mask_evidence(f.evidence)
        if any(f.outcome is Outcome.FAIL for f in findings):
            status = RunStatus.FAIL
        elif findings:
            status = RunStatus.NEEDS_REVIEW
        else:
            status = RunStatus.PASS
        if ctx.pass_reason and not findings:
            reason_id, params = ctx.pass_reason
            return RuleRun(
                status=status,
                reason=render(lang, reason_id, params),
                reason_id=reason_id,
                reason_params=params,
            ), findings
        return RuleRun(status=status), findings

    def _legal_basis(self, meta: RuleMeta, d: Draft) -> list[LegalRef]:
        """The references a finding cites: those its rule picked, else all the rule's."""
        refs = self._legal[meta.id]
        if not d.legal_keys:
            return list(refs)
        # Only the rule's own keys, which were checked to exist at start-up.
        by_key = {r.id: r for r in refs}
        picked = [by_key[k] for k in dict.fromkeys(d.legal_keys) if k in by_key]
        return picked or list(refs)

    def _finding(self, meta: RuleMeta, d: Draft, subject: AnySubject) -> Finding:
        lang = self.config.lang
        severity = self.config.severity_for(meta.id, d.severity or meta.severity)
        params = _shown_params(subject, d.params)
        return Finding(
            rule_id=meta.id,
            rule_name=meta.name,
            category=meta.category,
            outcome=d.outcome,
            severity=severity,
            confidence=d.confidence or meta.confidence,
            message=render(lang, d.message_id, params),
            message_id=d.message_id,
            params=params,
            remediation=render(lang, fix_id(lang, meta.id, d.message_id), params),
            evidence=d.evidence,
            legal_basis=self._legal_basis(meta, d),
            fingerprint=fingerprint(meta.id, subject.key, d.value or d.message_id),
        )


# Parameters that hold business identifiers, never personal data; a tax code such as
# 0312776486 has a mobile number's shape and must stay readable.
_BUSINESS_PARAMS = frozenset({"number", "operator", "entry", "url"})


def _shown_params(subject: AnySubject, params: dict[str, Any]) -> dict[str, Any]:
    """Mask personal numbers in the message parameters of a masked profile subject.

    Shared rules (goods, origin, price) quote titles and phrases of listings, which
    may carry the seller's mobile number or identity number.
    """
    if subject.kind != "profile" or not getattr(subject, "mask", False):
        return params
    from ecomcheck.profile_subject import mask_personal

    return {
        k: mask_personal(v) if isinstance(v, str) and k not in _BUSINESS_PARAMS else v
        for k, v in params.items()
    }


def _mask_evidence(evidence: list[Evidence]) -> None:
    """Mask personal identification numbers in evidence a rule built by hand.

    Evidence made by the subject is masked already; this is the net for the rest (a
    badge link's text, a phone taken from a link), so no rule can leak one.
    """
    for ev in evidence:
        snippet = mask_ids_in_text(ev.snippet)
        if snippet is not ev.snippet:
            ev.snippet = snippet
        if ev.matched:
            matched = mask_ids_in_text(ev.matched)
            if matched is not ev.matched:
                ev.matched = matched


def _overall(report: Report) -> RunStatus:
    if report.summary.fail:
        return RunStatus.FAIL
    if report.summary.needs_review:
        return RunStatus.NEEDS_REVIEW
    # Nothing found is not a pass when some rules could not run.
    if any(run.status is RunStatus.ERROR for run in report.rule_runs.values()):
        return RunStatus.ERROR
    return RunStatus.PASS


def rerender(report: Report, lang: str) -> Report:
    """Return a copy of a stored report with messages rendered in another language."""
    out = report.model_copy(deep=True)
    out.lang = lang
    for f in out.findings:
        f.message = render(lang, f.message_id, f.params)
        f.remediation = render(lang, fix_id(lang, f.rule_id, f.message_id), f.params)
        f.legal_basis = legal_refs_for([lb.id for lb in f.legal_basis], lang)
    # Reasons stored with their id; older reports (and rule errors) keep their text.
    for run in out.rule_runs.values():
        if run.reason_id:
            run.reason = render_reason(lang, run.reason_id, run.reason_params)
    if out.reason_id:
        out.reason = render_reason(lang, out.reason_id, out.reason_params)
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


def check_profile(
    profile: SellerProfile | Mapping[str, Any],
    *,
    show_personal_data: bool = False,
    config: Config | None = None,
) -> Report:
    """Check one seller profile with a one-off :class:`Checker` (build one to check many).

    Args:
        profile: A :class:`~ecomcheck.profile.SellerProfile` or a mapping with its
            fields (design §5).
        show_personal_data: Show personal identity numbers and personal phone
            numbers unmasked (for an authorised officer).
        config: Options; defaults to all rules, Vietnamese messages, today's regime.

    Returns:
        The report.

    Raises:
        pydantic.ValidationError: The mapping is not a valid profile.

    Example:
        >>> report = check_profile({"platform": "facebook", "display_name": "Shop A"})
        >>> report.subject.kind
        'profile'
    """
    return Checker(config).check_profile(profile, show_personal_data=show_personal_data)
