"""Configuration of a check: which rules run, severity overrides, language, legal date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ecomcheck.models import Severity

LANGUAGES = ("vi", "en")


class Config(BaseModel):
    """Options for a :class:`~ecomcheck.Checker`.

    Attributes:
        select: Rule ids or prefixes to run (``"contact"`` selects every ``contact.*``
            rule, ``"business_registration.check_digit"`` one rule). Empty means all.
        ignore: Rule ids or prefixes never to run; wins over ``select``.
        severity_overrides: Rule id (or prefix) to the severity its findings get.
        lang: Language of rendered messages, ``"vi"`` (default) or ``"en"``.
        as_of: The date whose legal regime applies; ``None`` means today.
        strict: Re-raise exceptions from rules instead of recording an ``error`` run
            (for tests).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity_overrides: dict[str, Severity] = Field(default_factory=dict)
    lang: str = "vi"
    as_of: dt.date | None = None
    strict: bool = False

    @field_validator("lang")
    @classmethod
    def _known_lang(cls, v: str) -> str:
        if v not in LANGUAGES:
            raise ValueError(f"unknown language {v!r}; use one of {', '.join(LANGUAGES)}")
        return v

    @field_validator("select", "ignore", mode="before")
    @classmethod
    def _split(cls, v: object) -> object:
        if isinstance(v, str):
            return tuple(p.strip() for p in v.split(",") if p.strip())
        return v

    def effective_date(self) -> dt.date:
        """Return ``as_of`` or today's date."""
        return self.as_of or dt.date.today()

    def selects(self, rule_id: str) -> bool:
        """Tell whether a rule id is selected by ``select``/``ignore``."""
        if _matches_any(rule_id, self.ignore):
            return False
        return not self.select or _matches_any(rule_id, self.select)

    def severity_for(self, rule_id: str, default: Severity) -> Severity:
        """Return the overridden severity of a rule, the most specific prefix winning."""
        best: tuple[int, Severity] | None = None
        for key, sev in self.severity_overrides.items():
            if _matches(rule_id, key) and (best is None or len(key) > best[0]):
                best = (len(key), sev)
        return best[1] if best else default


def _matches(rule_id: str, pattern: str) -> bool:
    return rule_id == pattern or rule_id.startswith(pattern.rstrip(".") + ".")


def _matches_any(rule_id: str, patterns: Iterable[str]) -> bool:
    return any(_matches(rule_id, p) for p in patterns)
