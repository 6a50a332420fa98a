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


class RuleRun(_Model):
    """How one rule ended."""

    status: RunStatus
    reason: str | None = None


class Subject(_Model):
    """What was checked."""

    kind: str = Field(description="page, profile or site")
    url: str | None = None
    sha256: str | None = None
    name: str | None = None
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
        description="fail/needs_review/pass for the subject, or not_assessed when unreadable",
    )
    reason: str | None = None
    findings: list[Finding] = Field(default_factory=list)
    rule_runs: dict[str, RuleRun] = Field(default_factory=dict)
    summary: Summary = Field(default_factory=Summary)

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
