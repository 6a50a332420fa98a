"""Goods term data (restricted goods, counterfeit, smuggling, health claims) and legal refs.

The keyword knowledge behind the goods rules lives in versioned TOML files under
``ecomcheck/data/goods/`` (one file per finding category) and the legal references
they cite live in ``ecomcheck/data/legal_refs.toml``. This module reads and validates
both; it does no matching itself (see :mod:`ecomcheck.text.matcher`).

Example:
    >>> from ecomcheck.terms import load_terms
    >>> entries = load_terms(["counterfeit"])
    >>> all(e.id.startswith("cf.") for e in entries)
    True
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

__all__ = [
    "CATEGORY_PREFIXES",
    "GOODS_CATEGORIES",
    "SCHEMA_VERSION",
    "LegalRefEntry",
    "TermEntry",
    "TermsDataError",
    "load_legal_refs",
    "load_terms",
]

SCHEMA_VERSION = 1

#: Category of a goods term file and the id prefix its entries must carry.
CATEGORY_PREFIXES: Mapping[str, str] = {
    "restricted_goods": "rg",
    "counterfeit": "cf",
    "smuggling": "sm",
    "health_claim": "hc",
}

#: The categories that have a term file, in a stable order.
GOODS_CATEGORIES: tuple[str, ...] = tuple(CATEGORY_PREFIXES)

Tier = Literal["high", "medium", "low"]
Quality = Literal["P", "S", "G", "K"]
Regime = Literal["old", "new", "both"]


class TermsDataError(ValueError):
    """A packaged data file is malformed; the message names the file and the entry."""


class TermEntry(BaseModel):
    """One group of surface forms that signal the same kind of offer.

    Attributes:
        id: Stable id, ``<prefix>.<subcategory>.<slug>``, unique across all files.
        category: Finding category of the file the entry comes from.
        subcategory: Finer grouping (``e_cigarette``, ``replica_slang``, …).
        terms: Surface forms sellers use; matched as whole words.
        tier: ``high`` near-certain offer, ``medium`` needs context, ``low`` weak.
        legal: Keys of ``legal_refs.toml``.
        fold: Whether the terms may match text typed without diacritics.
        require_context: At least one must occur within ``window`` characters.
        exclude_context: Vetoes a hit when within ``window`` characters.
        window: Context window in characters.
        examples: Texts the matcher must hit for this entry.
        counter_examples: Look-alikes the matcher must not hit for this entry.
        context_counter_examples: Negated or informational mentions that the
            matcher may hit but a rule must not report (decided by page context).
        note: Why the entry exists and where it is ambiguous.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z]{2}\.[a-z0-9_]+\.[a-z0-9_]+$")
    category: str
    subcategory: str = Field(pattern=r"^[a-z0-9_]+$")
    terms: tuple[str, ...] = Field(min_length=1)
    tier: Tier
    legal: tuple[str, ...] = Field(min_length=1)
    fold: bool = False
    require_context: tuple[str, ...] = ()
    exclude_context: tuple[str, ...] = ()
    window: int = Field(default=40, ge=1, le=400)
    examples: tuple[str, ...] = Field(min_length=1)
    counter_examples: tuple[str, ...] = ()
    context_counter_examples: tuple[str, ...] = ()
    note: str = ""

    @field_validator(
        "terms",
        "require_context",
        "exclude_context",
        "examples",
        "counter_examples",
        "context_counter_examples",
    )
    @classmethod
    def _no_blank(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        # A blank term would match everywhere; a blank example tests nothing.
        if any(not item.strip() for item in value):
            raise ValueError("blank string in list")
        return value

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str) -> str:
        if value not in CATEGORY_PREFIXES:
            raise ValueError(f"unknown category {value!r}")
        return value

    @property
    def prefix(self) -> str:
        """The id prefix, e.g. ``rg``."""
        return self.id.split(".", 1)[0]


class LegalRefEntry(BaseModel):
    """One legal reference from ``legal_refs.toml``.

    Attributes:
        key: The table key, e.g. ``vn.d52.art29``.
        citation: Vietnamese citation.
        citation_en: English citation.
        article: Article or clause, when known.
        url: Where the text (or a secondary account of it) can be read.
        quality: Source quality: P primary, S secondary, G unverified repository
            note, K unconfirmed background knowledge.
        regime: ``old``, ``new`` or ``both`` e-commerce regimes.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    citation: str = Field(min_length=1)
    citation_en: str = Field(min_length=1)
    article: str | None = None
    url: str | None = None
    quality: Quality
    regime: Regime


def _data_text(*parts: str) -> tuple[str, str]:
    """Read a packaged data file; returns its display name and its text."""
    node = resources.files("ecomcheck").joinpath("data")
    for part in parts:
        node = node.joinpath(part)
    return "data/" + "/".join(parts), node.read_text(encoding="utf-8")


def _parse_toml(name: str, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TermsDataError(f"{name}: invalid TOML: {exc}") from exc


def _load_category(category: str) -> tuple[TermEntry, ...]:
    name, text = _data_text("goods", f"{category}.toml")
    doc = _parse_toml(name, text)
    if doc.get("schema_version") != SCHEMA_VERSION:
        raise TermsDataError(
            f"{name}: schema_version must be {SCHEMA_VERSION}, got {doc.get('schema_version')!r}"
        )
    if doc.get("category") != category:
        raise TermsDataError(f"{name}: category must be {category!r}, got {doc.get('category')!r}")
    raw_entries = doc.get("entry", [])
    if not isinstance(raw_entries, list) or not raw_entries:
        raise TermsDataError(f"{name}: no [[entry]] tables")
    prefix = CATEGORY_PREFIXES[category]
    entries: list[TermEntry] = []
    for index, raw in enumerate(raw_entries):
        entry_id = raw.get("id", f"#{index}") if isinstance(raw, dict) else f"#{index}"
        try:
            entry = TermEntry.model_validate({**raw, "category": category})
        except ValidationError as exc:
            raise TermsDataError(f"{name}: entry {entry_id!r}: {exc}") from exc
        if entry.prefix != prefix:
            raise TermsDataError(
                f"{name}: entry {entry.id!r}: id must start with {prefix!r}. for {category}"
            )
        entries.append(entry)
    return tuple(entries)


@functools.cache
def _load_cached(categories: tuple[str, ...]) -> tuple[TermEntry, ...]:
    entries: list[TermEntry] = []
    seen: dict[str, str] = {}
    for category in categories:
        for entry in _load_category(category):
            if entry.id in seen:
                # Ids are evidence keys in stored reports, so they must stay unique.
                raise TermsDataError(
                    f"data/goods/{category}.toml: entry {entry.id!r}: duplicate id "
                    f"(also in {seen[entry.id]})"
                )
            seen[entry.id] = category
            entries.append(entry)
    return tuple(entries)


def load_terms(categories: Iterable[str] | None = None) -> list[TermEntry]:
    """Load goods term entries from the packaged TOML files.

    Args:
        categories: Categories to load (``restricted_goods``, ``counterfeit``,
            ``smuggling``, ``health_claim``); all of them when ``None``.

    Returns:
        The entries in file order, categories in the order given.

    Raises:
        TermsDataError: A category is unknown, or a file or entry is malformed
            (the message names the file and the entry id).
    """
    wanted = GOODS_CATEGORIES if categories is None else tuple(dict.fromkeys(categories))
    for category in wanted:
        if category not in CATEGORY_PREFIXES:
            raise TermsDataError(f"unknown goods category {category!r}")
    return list(_load_cached(wanted))


@functools.cache
def _load_legal_cached() -> Mapping[str, LegalRefEntry]:
    name, text = _data_text("legal_refs.toml")
    doc = _parse_toml(name, text)
    refs = doc.get("refs")
    if not isinstance(refs, dict):
        raise TermsDataError(f"{name}: no [refs] tables")
    out: dict[str, LegalRefEntry] = {}
    for key, raw in refs.items():
        if not isinstance(raw, dict):
            raise TermsDataError(f"{name}: ref {key!r}: not a table")
        try:
            out[key] = LegalRefEntry.model_validate({**raw, "key": key})
        except ValidationError as exc:
            raise TermsDataError(f"{name}: ref {key!r}: {exc}") from exc
    return out


def load_legal_refs() -> dict[str, LegalRefEntry]:
    """Load ``data/legal_refs.toml``.

    Returns:
        A fresh dict from key (e.g. ``vn.d52.art29``) to its reference.

    Raises:
        TermsDataError: The file or a reference in it is malformed.
    """
    return dict(_load_legal_cached())
