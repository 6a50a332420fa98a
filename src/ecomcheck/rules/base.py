"""Rule metadata, the rule registry and the context a rule reports through.

A rule is metadata plus a small pure function ``check(ctx)``: it reads facts from
``ctx.subject`` and reports with ``ctx.fail``/``ctx.review``/``ctx.not_applicable``.
It never parses HTML, performs I/O or keeps state between calls.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ecomcheck.models import Category, Confidence, Evidence, Outcome, Severity

if TYPE_CHECKING:
    from ecomcheck.subject import PageSubject


@dataclass(frozen=True)
class RuleMeta:
    """Everything the docs, ``ecomcheck rules`` and the report need to know of a rule.

    Attributes:
        id: Stable dotted id, ``<category>.<name>``.
        name: Short English name.
        category: The finding category.
        severity: Default severity of its findings.
        confidence: Default confidence of its findings.
        legal_keys: Keys into ``data/legal_refs.toml``.
        summary: One line on what it checks (English).
        rationale: Why it matters (English).
        limitations: Known limitations (English).
        subjects: Subject kinds the rule applies to.
    """

    id: str
    name: str
    category: Category
    severity: Severity
    confidence: Confidence
    legal_keys: tuple[str, ...]
    summary: str
    rationale: str
    limitations: str = ""
    subjects: frozenset[str] = frozenset({"page"})


CheckFn = Callable[["RuleContext"], None]


@dataclass(frozen=True)
class Rule:
    """A registered rule: metadata and its check function."""

    meta: RuleMeta
    check: CheckFn


_REGISTRY: dict[str, Rule] = {}


def rule(meta: RuleMeta) -> Callable[[CheckFn], CheckFn]:
    """Register a check function under its metadata (decorator)."""
    if not meta.id.startswith(meta.category.value + "."):
        raise ValueError(f"rule id {meta.id!r} must start with its category")

    def register(fn: CheckFn) -> CheckFn:
        if meta.id in _REGISTRY:
            raise ValueError(f"duplicate rule id {meta.id!r}")
        _REGISTRY[meta.id] = Rule(meta, fn)
        return fn

    return register


def registry() -> dict[str, Rule]:
    """Return every registered rule by id (imports the rule modules once)."""
    import ecomcheck.rules.catalog  # noqa: F401  (registers the rules)

    return dict(sorted(_REGISTRY.items()))


@dataclass
class Draft:
    """A finding as a rule reports it, before the engine renders and fingerprints it."""

    outcome: Outcome
    message_id: str
    params: dict[str, Any]
    evidence: list[Evidence]
    severity: Severity | None
    confidence: Confidence | None
    value: str
    # The legal references this finding cites; empty: every reference of the rule.
    legal_keys: tuple[str, ...] = ()
    # The finding rests on something not being on the page (see RuleContext.fail).
    absent: bool = False


class RunEnd(Exception):
    """Raised by ``not_applicable``/``not_assessed`` to end a rule early."""

    def __init__(self, status: str, reason_id: str, params: dict[str, Any]) -> None:
        super().__init__(reason_id)
        self.status = status
        self.reason_id = reason_id
        self.params = params


@dataclass
class RuleContext:
    """What a rule sees: the subject, the legal date, and the reporting methods."""

    meta: RuleMeta
    subject: PageSubject
    as_of: dt.date
    drafts: list[Draft] = field(default_factory=list)
    pass_reason: tuple[str, dict[str, Any]] | None = None

    def fail(
        self,
        message_id: str,
        evidence: list[Evidence] | None = None,
        *,
        value: str = "",
        severity: Severity | None = None,
        confidence: Confidence | None = None,
        legal_keys: Iterable[str] = (),
        absent: bool = False,
        **params: Any,
    ) -> None:
        """Report a clear violation.

        Args:
            message_id: Catalogue id of the message (usually the rule id or
                ``<rule id>.<variant>``).
            evidence: Where it was seen; empty for absences.
            value: The normalised value that identifies this finding for the
                fingerprint (e.g. the tax code); never an offset or a selector.
            severity: Overrides the rule's default severity.
            confidence: Overrides the rule's default confidence.
            legal_keys: The legal references this finding rests on, when it rests on
                only some of the rule's ``legal_keys``; keys the rule does not list
                are ignored. Empty: the finding cites every reference of the rule.
            absent: The violation is that something is missing from the page (an
                identity, a badge, a policy). On a page that looks cut off, or whose
                footer a script fills in, such a finding is reported as
                ``needs_review``: the part not in the markup may hold it.
            **params: Parameters of the message.
        """
        self._add(
            Outcome.FAIL,
            message_id,
            evidence,
            value,
            severity,
            confidence,
            legal_keys,
            params,
            absent,
        )

    def review(
        self,
        message_id: str,
        evidence: list[Evidence] | None = None,
        *,
        value: str = "",
        severity: Severity | None = None,
        confidence: Confidence | None = None,
        legal_keys: Iterable[str] = (),
        **params: Any,
    ) -> None:
        """Report something a person must look at (same arguments as :meth:`fail`)."""
        self._add(
            Outcome.NEEDS_REVIEW,
            message_id,
            evidence,
            value,
            severity,
            confidence,
            legal_keys,
            params,
        )

    def _add(
        self,
        outcome: Outcome,
        message_id: str,
        evidence: list[Evidence] | None,
        value: str,
        severity: Severity | None,
        confidence: Confidence | None,
        legal_keys: Iterable[str],
        params: dict[str, Any],
        absent: bool = False,
    ) -> None:
        self.drafts.append(
            Draft(
                outcome,
                message_id,
                params,
                evidence or [],
                severity,
                confidence,
                value,
                tuple(legal_keys),
                absent,
            )
        )

    def passed(self, reason_id: str, **params: Any) -> None:
        """Record why the rule passed (shown in ``rule_runs``)."""
        self.pass_reason = (reason_id, params)

    def not_applicable(self, reason_id: str, **params: Any) -> None:
        """End the rule: it does not apply to this subject (reason is a catalogue id)."""
        raise RunEnd("not_applicable", reason_id, params)

    def not_assessed(self, reason_id: str, **params: Any) -> None:
        """End the rule: the subject could not be judged (reason is a catalogue id)."""
        raise RunEnd("not_assessed", reason_id, params)
