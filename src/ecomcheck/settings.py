"""Project settings from ``ecomcheck.toml`` (or ``[tool.ecomcheck]``), and suppressions.

A settings file holds what would otherwise be repeated on every command line::

    # ecomcheck.toml  (or the same keys under [tool.ecomcheck] in pyproject.toml)
    select = ["business_registration", "contact", "policy"]
    ignore = ["moit_notification.transition"]
    lang = "vi"
    fail_on = "medium"
    suppressions = "ecomcheck-suppressions.toml"

    [severity]
    "policy.terms" = "info"

    [crawl]
    max_pages = 25
    delay = 1.0

A suppressions file lists findings a person has looked at and accepted for a time,
each by fingerprint, with a reason and an expiry date::

    [[suppression]]
    fingerprint = "3f9c0d…"
    reason = "Returns policy is on the marketplace page; confirmed with the seller"
    expires = 2027-03-31
    owner = "QLTT Đội 5"          # optional

Suppressed findings stay in the report, marked ``suppressed`` with their entry, and
are counted in the summary; an entry past its expiry date no longer applies, so the
finding comes back.
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ecomcheck.config import Config
from ecomcheck.fetch import CrawlLimits
from ecomcheck.models import (
    Finding,
    Report,
    RunStatus,
    Severity,
    SiteReport,
    SuppressionInfo,
    summarize,
)

__all__ = [
    "CONFIG_FILES",
    "Settings",
    "SettingsError",
    "Suppression",
    "SuppressionResult",
    "apply_suppressions",
    "find_settings_file",
    "load_settings",
    "load_suppressions",
]

#: File names searched for, in each directory from the start directory upwards.
CONFIG_FILES = ("ecomcheck.toml", ".ecomcheck.toml", "pyproject.toml")


class SettingsError(ValueError):
    """A settings or suppressions file is unreadable or invalid (one-line message)."""


class _FileSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    select: list[str] | str = Field(default_factory=list)
    ignore: list[str] | str = Field(default_factory=list)
    severity: dict[str, Severity] = Field(default_factory=dict)
    lang: str | None = None
    as_of: dt.date | None = None
    fail_on: Severity | None = None
    suppressions: str | None = None
    crawl: dict[str, Any] = Field(default_factory=dict)


class Suppression(BaseModel):
    """One accepted finding: its fingerprint, why, until when, and who decided.

    Attributes:
        fingerprint: The finding's ``fingerprint``.
        reason: Why it is accepted (required: a suppression nobody can explain is a bug).
        expires: Last day the entry applies.
        owner: Who decided, optionally.
        rule_id: The finding's rule, optionally (a safety check: it must match).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    fingerprint: str = Field(min_length=8)
    reason: str = Field(min_length=3)
    expires: dt.date
    owner: str | None = None
    rule_id: str | None = None

    def active(self, today: dt.date) -> bool:
        """Whether the entry still applies on a date (the expiry day included)."""
        return today <= self.expires


@dataclass
class Settings:
    """Everything a settings file provides.

    Attributes:
        config: Rule selection, severity overrides, language and legal date.
        limits: Crawl limits for whole-site checks.
        fail_on: Lowest severity that makes the command fail, if set.
        suppressions: The entries of the suppressions file, if one is named.
        source: The file the settings came from, or None for defaults.
        suppressions_file: The suppressions file, resolved against ``source``.
    """

    config: Config = field(default_factory=Config)
    limits: CrawlLimits = field(default_factory=CrawlLimits)
    fail_on: Severity | None = None
    suppressions: list[Suppression] = field(default_factory=list)
    source: Path | None = None
    suppressions_file: Path | None = None

    def with_overrides(self, **changes: Any) -> Settings:
        """Return settings with command-line values applied over the file's.

        ``None`` and empty values mean "not given". Keys of :class:`Config`
        (``select``, ``ignore``, ``lang``, ``as_of``, ``strict``), of
        :class:`~ecomcheck.fetch.CrawlLimits` and ``fail_on`` are accepted.

        Raises:
            SettingsError: An unknown key or an invalid value.
        """
        given = {k: v for k, v in changes.items() if v is not None and v != () and v != []}
        config_keys = set(Config.model_fields)
        limit_keys = set(CrawlLimits.model_fields)
        unknown = set(given) - config_keys - limit_keys - {"fail_on"}
        if unknown:
            raise SettingsError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        try:
            config = Config(
                **{
                    **self.config.model_dump(),
                    **{k: v for k, v in given.items() if k in config_keys},
                }
            )
            limits = CrawlLimits(
                **{
                    **self.limits.model_dump(),
                    **{k: v for k, v in given.items() if k in limit_keys},
                }
            )
        except ValidationError as exc:
            raise SettingsError(_first_error(exc)) from exc
        fail_on = Severity(given["fail_on"]) if "fail_on" in given else self.fail_on
        return Settings(
            config, limits, fail_on, list(self.suppressions), self.source, self.suppressions_file
        )


def find_settings_file(start: str | Path | None = None) -> Path | None:
    """Find the settings file for a directory: itself or its nearest parent.

    ``ecomcheck.toml`` and ``.ecomcheck.toml`` always count; ``pyproject.toml``
    only when it has a ``[tool.ecomcheck]`` table.
    """
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in CONFIG_FILES:
            path = folder / name
            if not path.is_file():
                continue
            if name != "pyproject.toml" or "ecomcheck" in _read_toml(path).get("tool", {}):
                return path
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: cannot read ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: invalid TOML ({exc})") from exc


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(x) for x in err.get("loc", ()))
    return f"{where}: {err['msg']}" if where else str(err["msg"])


def _ids(value: list[str] | str) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else value
    return tuple(x.strip() for x in items if x.strip())


def load_settings(path: str | Path | None = None, *, start: str | Path | None = None) -> Settings:
    """Load settings from a file, or from the file found from ``start`` upwards.

    Args:
        path: An explicit ``ecomcheck.toml`` or ``pyproject.toml``; None searches.
        start: Where the search begins (default: the current directory).

    Returns:
        The settings; defaults when no file is found.

    Raises:
        SettingsError: The file is unreadable or has unknown keys or bad values.
    """
    file = Path(path) if path is not None else find_settings_file(start)
    if file is None:
        return Settings()
    if not file.is_file():
        raise SettingsError(f"{file}: no such settings file")
    data = _read_toml(file)
    if file.name == "pyproject.toml":
        data = data.get("tool", {}).get("ecomcheck", {})
    try:
        raw = _FileSettings.model_validate(data)
        config = Config(
            select=_ids(raw.select),
            ignore=_ids(raw.ignore),
            severity_overrides=raw.severity,
            lang=raw.lang or "vi",
            as_of=raw.as_of,
        )
        limits = CrawlLimits.model_validate(raw.crawl)
    except ValidationError as exc:
        raise SettingsError(f"{file}: {_first_error(exc)}") from exc
    suppressions: list[Suppression] = []
    sup_file: Path | None = None
    if raw.suppressions:
        sup_file = (file.parent / raw.suppressions).resolve()
        suppressions = load_suppressions(sup_file)
    return Settings(config, limits, raw.fail_on, suppressions, file, sup_file)


def load_suppressions(path: str | Path) -> list[Suppression]:
    """Read a suppressions file (TOML ``[[suppression]]`` tables, or JSON).

    JSON may be a list of entries or ``{"suppressions": [...]}``.

    Raises:
        SettingsError: The file is unreadable, or an entry lacks a fingerprint,
            a reason or a valid expiry date, or a fingerprint appears twice.
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{file}: cannot read ({exc})") from exc
    entries: Any
    if file.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise SettingsError(f"{file}: invalid JSON ({exc})") from exc
        entries = (
            data.get("suppressions", data.get("suppression")) if isinstance(data, dict) else data
        )
    else:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"{file}: invalid TOML ({exc})") from exc
        entries = data.get("suppression", data.get("suppressions", []))
    if not isinstance(entries, list):
        raise SettingsError(f"{file}: expected a list of suppression entries")
    out: list[Suppression] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries, 1):
        try:
            sup = Suppression.model_validate(entry)
        except ValidationError as exc:
            raise SettingsError(f"{file}: entry {i}: {_first_error(exc)}") from exc
        if sup.fingerprint in seen:
            raise SettingsError(f"{file}: entry {i}: fingerprint {sup.fingerprint} listed twice")
        seen.add(sup.fingerprint)
        out.append(sup)
    return out


@dataclass
class SuppressionResult:
    """What applying suppressions did.

    Attributes:
        applied: Entries that matched at least one finding.
        expired: Entries past their expiry date (their findings are back).
        unused: Active entries that matched no finding (fixed, or a typo).
        suppressed: Number of findings marked suppressed.
    """

    applied: list[Suppression] = field(default_factory=list)
    expired: list[Suppression] = field(default_factory=list)
    unused: list[Suppression] = field(default_factory=list)
    suppressed: int = 0


def _findings_of(reports: Iterable[Report | SiteReport]) -> list[Finding]:
    out: list[Finding] = []
    for r in reports:
        out.extend(r.all_findings() if isinstance(r, SiteReport) else r.findings)
    return out


def apply_suppressions(
    reports: Report | SiteReport | Sequence[Report | SiteReport],
    suppressions: Sequence[Suppression],
    *,
    today: dt.date | None = None,
    source: str | None = None,
) -> SuppressionResult:
    """Mark the findings that active suppressions name; recount summaries and verdicts.

    Findings are changed in place: ``suppressed`` and ``suppression`` are set (or
    cleared, for a finding whose entry expired), so applying a newer file to a
    stored report is safe.

    Args:
        reports: Page or site reports.
        suppressions: The entries.
        today: The date expiry is judged on (default: today).
        source: The suppressions file, recorded on each suppressed finding.

    Returns:
        Which entries applied, expired or matched nothing.
    """
    items: list[Report | SiteReport] = (
        [reports] if isinstance(reports, Report | SiteReport) else list(reports)
    )
    day = today or dt.date.today()
    active = {s.fingerprint: s for s in suppressions if s.active(day)}
    result = SuppressionResult(expired=[s for s in suppressions if not s.active(day)])
    used: set[str] = set()
    for f in _findings_of(items):
        sup = active.get(f.fingerprint)
        if sup is not None and (sup.rule_id is None or sup.rule_id == f.rule_id):
            f.suppressed = True
            f.suppression = SuppressionInfo(
                reason=sup.reason, expires=sup.expires, owner=sup.owner, source=source
            )
            used.add(sup.fingerprint)
            result.suppressed += 1
        else:
            f.suppressed = False
            f.suppression = None
    result.applied = [s for s in suppressions if s.fingerprint in used]
    result.unused = [s for s in active.values() if s.fingerprint not in used]
    for r in items:
        _recount(r)
    return result


def _recount(report: Report | SiteReport) -> None:
    if isinstance(report, SiteReport):
        from ecomcheck.site import finalize_site

        finalize_site(report)
        return
    report.summary = summarize(report.findings)
    if report.status is RunStatus.NOT_ASSESSED:
        return
    if report.summary.fail:
        report.status = RunStatus.FAIL
    elif report.summary.needs_review:
        report.status = RunStatus.NEEDS_REVIEW
    else:
        report.status = RunStatus.PASS
