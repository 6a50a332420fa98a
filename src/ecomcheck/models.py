"""Report contract: findings, evidence, legal references, rule runs and the report.

These models are the stable JSON contract of ``ecomcheck`` (design §4). Field names
and enum values must not change without a new ``schema_version``.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1"


class Category(StrEnum):
    """The fixed vocabulary of finding categories (design §3)."""

    BUSINESS_REGISTRATION = "business_registration"
    MOIT_NOTIFICATION = "moit_notification"
    CONTACT = "contact"
    POLICY = "policy"
    ORIGIN = "origin"
    RESTRICTED_GOODS = "restricted_goods"
    COUNTERFEIT = "counterfeit"
    SMUGGLING = "smuggling"
    PRICE = "price"
    HEALTH_CLAIM = "health_claim"


class Outcome(StrEnum):
    """What a finding asserts: a clear violation, or something a person must look at."""

    FAIL = "fail"
    NEEDS_REVIEW = "needs_review"


class RunStatus(StrEnum):
    """How one rule ended on one subject."""

    FAIL = "fail"
    NEEDS_REVIEW = "needs_review"
    PASS = "pass"
    NOT_APPLICABLE = "not_applicable"
    NOT_ASSESSED = "not_assessed"
    ERROR = "error"


class Severity(StrEnum):
    """How much a finding matters, lowest first."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """Ordinal of the severity (info = 0 … critical = 4)."""
        return _SEVERITY_ORDER.index(self)


_SEVERITY_ORDER = [Severity.INFO, Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL]


class Confidence(StrEnum):
    """How sure the rule is that the finding is right."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, use_enum_values=False)


class Evidence(_Model):
    """Where in the original input a finding comes from.

    ``start``/``end`` are character offsets into the subject's original visible text
    (pages) or into the original string of the field named by ``pointer`` (profiles).
    """

    url: str | None = None
    selector: str | None = Field(default=None, description="CSS selector of the element")
    pointer: str | None = Field(default=None, description="JSON Pointer into a profile")
    snippet: str = Field(default="", description="Original text around the match")
    start: int | None = None
    end: int | None = None
    matched: str | None = Field(default=None, description="The original text that matched")
    entry_id: str | None = Field(default=None, description="Data entry that fired, if any")
    context: list[str] = Field(default_factory=list, description="Context words that decided")
    record: str | None = Field(default=None, description="Archive record the input came from")


class LegalRef(_Model):
    """A legal provision a rule rests on."""

    id: str
    citation: str
    article: str | None = None
    url: str | None = None
    source_quality: str | None = Field(
        default=None, description="P primary, S secondary, G unverified note, K unconfirmed"
    )


class Finding(_Model):
    """One problem (or one thing to review) found on a subject."""

    rule_id: str
    rule_name: str
    category: Category
    outcome: Outcome
    severity: Severity
    confidence: Confidence
    message: str
    message_id: str
    params: dict[str, Any] = Field(default_factory=dict)
    remediation: str = ""
    evidence: list[Evidence] = Field(default_factory=list)
    legal_basis: list[LegalRef] = Field(default_factory=list)
    fingerprint: str
    suppressed: bool = False
    suppression: SuppressionInfo | None = Field(
        default=None, description="The suppression entry that applies, when suppressed"
    )


class SuppressionInfo(_Model):
    """Why a finding is suppressed and until when (from a suppressions file)."""

    reason: str
    expires: dt.date
    owner: str | None = None
    source: str | None = Field(default=None, description="The suppressions file")


class RuleRun(_Model):
    """How one rule ended."""

    status: RunStatus
    reason: str | None = None
    reason_id: str | None = Field(
        default=None, description="Catalogue id of the reason, to render it in another language"
    )
    reason_params: dict[str, Any] = Field(default_factory=dict)


class Subject(_Model):
    """What was checked."""

    kind: str = Field(description="page, profile or site")
    url: str | None = None
    sha256: str | None = None
    name: str | None = None
    platform: str | None = Field(
        default=None,
        description="Where a seller profile sells (shopee, facebook, website, other, ...)",
    )
    page_kind: str | None = None
    encoding: str | None = None
    warnings: list[str] = Field(default_factory=list)


class Summary(_Model):
    """Counts over the findings of a report."""

    fail: int = 0
    needs_review: int = 0
    suppressed: int = 0
    by_category: dict[str, int] = Field(default_factory=dict)
    by_severity: dict[str, int] = Field(default_factory=dict)


class Report(_Model):
    """The result of checking one subject."""

    schema_version: str = SCHEMA_VERSION
    ecomcheck_version: str
    subject: Subject
    checked_at: dt.datetime
    as_of: dt.date
    lang: str = "vi"
    status: RunStatus = Field(
        default=RunStatus.PASS,
        description="fail/needs_review/pass for the subject, not_assessed when unreadable, "
        "or error when nothing was found but some rules could not run",
    )
    reason: str | None = None
    reason_id: str | None = Field(
        default=None, description="Catalogue id of the reason, to render it in another language"
    )
    reason_params: dict[str, Any] = Field(default_factory=dict)
    findings: list[Finding] = Field(default_factory=list)
    rule_runs: dict[str, RuleRun] = Field(default_factory=dict)
    summary: Summary = Field(default_factory=Summary)
    fetch: FetchInfo | None = Field(
        default=None, description="How the page was fetched, in a whole-site check"
    )

    def failed(self, at_or_above: Severity = Severity.LOW) -> list[Finding]:
        """Return the unsuppressed ``fail`` findings at or above a severity."""
        return [
            f
            for f in self.findings
            if f.outcome is Outcome.FAIL
            and not f.suppressed
            and f.severity.rank >= at_or_above.rank
        ]


def summarize(findings: list[Finding]) -> Summary:
    """Count findings by outcome, category and severity (suppressed ones apart)."""
    s = Summary()
    for f in findings:
        if f.suppressed:
            s.suppressed += 1
            continue
        if f.outcome is Outcome.FAIL:
            s.fail += 1
        else:
            s.needs_review += 1
        s.by_category[f.category.value] = s.by_category.get(f.category.value, 0) + 1
        s.by_severity[f.severity.value] = s.by_severity.get(f.severity.value, 0) + 1
    return s


# --- whole-site checks ------------------------------------------------------------------


class RedirectHop(_Model):
    """One redirect followed while fetching a document."""

    url: str
    status: int
    location: str
    record: str | None = Field(default=None, description="WARC-Record-ID of the redirect")


class FetchInfo(_Model):
    """Provenance of one fetched document: what was asked, what came back, when."""

    requested_url: str
    final_url: str | None = None
    redirects: list[RedirectHop] = Field(default_factory=list)
    status: int | None = Field(default=None, description="HTTP status of the final response")
    content_type: str | None = None
    fetched_at: dt.datetime | None = None
    sha256: str | None = Field(default=None, description="SHA-256 of the decoded body")
    size: int | None = Field(default=None, description="Bytes of the decoded body")
    truncated: bool = False
    error: str | None = Field(default=None, description="Why it was not fetched (fetch.* id)")
    detail: str | None = None
    role: str | None = Field(
        default=None, description="Why it was fetched: home, about, contact, policy, listing, …"
    )
    found_on: str | None = Field(default=None, description="The page that linked to it")
    record: str | None = Field(default=None, description="WARC-Record-ID of the response")
    request_record: str | None = Field(default=None, description="WARC-Record-ID of the request")
    warc_offset: int | None = None
    warc_length: int | None = None


class SiteFact(_Model):
    """A fact of the shop found on one page (provenance of the site-level judgement)."""

    kind: str = Field(
        description="registration_number, owner_name, issuer, issue_date, other_licence, "
        "phone, email, online_contact, address, badge_link or badge_problem"
    )
    value: str
    detail: str | None = None
    evidence: Evidence


class PolicyCheck(_Model):
    """How one required policy was established across the site."""

    policy: str
    status: str = Field(
        description="verified (a fetched page is about it), section (a heading on a page), "
        "unverified (linked, but the target could not be fetched), or missing"
    )
    label: str | None = None
    url: str | None = Field(default=None, description="The page that shows or links it")
    target: str | None = Field(default=None, description="The linked page, for links")
    record: str | None = None
    rejected: list[str] = Field(
        default_factory=list,
        description="Links that were not counted, with the reason (e.g. 'url: HTTP 404')",
    )


class SkippedUrl(_Model):
    """A link the crawl chose not to request, and why."""

    url: str
    reason: str = Field(description="fetch.* or crawl.* id")
    role: str | None = None
    found_on: str | None = None


class CrawlInfo(_Model):
    """How the site was crawled."""

    start_url: str
    user_agent: str
    limits: dict[str, Any] = Field(default_factory=dict)
    requests: int = 0
    pages: int = 0
    robots: list[FetchInfo] = Field(default_factory=list)
    archive: str | None = Field(default=None, description="The WARC file written or read")
    replayed: bool = Field(default=False, description="Re-checked offline from an archive")
    started_at: dt.datetime | None = None
    duration_s: float | None = None


class SiteReport(_Model):
    """The result of checking a whole site: a site verdict and one report per page.

    Site-level findings (business registration, contact, notification, policies)
    are judged on the facts of all pages together and listed in ``findings``;
    findings about goods, origin and prices stay in the report of their page.
    ``summary`` counts both.
    """

    schema_version: str = SCHEMA_VERSION
    ecomcheck_version: str
    subject: Subject
    checked_at: dt.datetime
    as_of: dt.date
    lang: str = "vi"
    status: RunStatus = Field(
        default=RunStatus.PASS,
        description="Site verdict: fail/needs_review/pass, or not_assessed with a reason",
    )
    reason: str | None = None
    reason_id: str | None = None
    reason_params: dict[str, Any] = Field(default_factory=dict)
    findings: list[Finding] = Field(default_factory=list)
    rule_runs: dict[str, RuleRun] = Field(default_factory=dict)
    summary: Summary = Field(default_factory=Summary)
    facts: list[SiteFact] = Field(default_factory=list)
    policies: list[PolicyCheck] = Field(default_factory=list)
    pages: list[Report] = Field(default_factory=list)
    skipped: list[SkippedUrl] = Field(default_factory=list)
    skipped_omitted: dict[str, int] = Field(
        default_factory=dict,
        description="Links not fetched and not listed in skipped, counted by reason "
        "(skipped lists at most 200 per reason)",
    )
    crawl: CrawlInfo

    def all_findings(self) -> list[Finding]:
        """Site-level findings followed by every page's findings."""
        return [*self.findings, *(f for p in self.pages for f in p.findings)]

    def failed(self, at_or_above: Severity = Severity.LOW) -> list[Finding]:
        """Return the unsuppressed ``fail`` findings at or above a severity, site and pages."""
        return [
            f
            for f in self.all_findings()
            if f.outcome is Outcome.FAIL
            and not f.suppressed
            and f.severity.rank >= at_or_above.rank
        ]
