"""Message catalogues: message ids plus parameters, rendered late in vi or en."""

from __future__ import annotations

import functools
import string
import tomllib
from importlib import resources
from typing import Any

from ecomcheck.config import LANGUAGES


@functools.cache
def catalog(lang: str) -> dict[str, str]:
    """Return the message catalogue of a language (``vi`` or ``en``)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    raw = resources.files("ecomcheck.render").joinpath("catalog", f"{lang}.toml").read_bytes()
    data = tomllib.loads(raw.decode("utf-8"))
    return {str(k): str(v) for k, v in data.items()}


class _Params(dict[str, Any]):
    """Leaves unknown placeholders visible instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(lang: str, message_id: str, params: dict[str, Any] | None = None) -> str:
    """Render a message id with its parameters.

    An id missing from the catalogue renders as the id itself, so a stored report
    never fails to render; the catalogue-completeness test keeps that from shipping.
    """
    template = catalog(lang).get(message_id)
    if template is None:
        return message_id
    return string.Formatter().vformat(template, (), _Params(params or {}))


def has(lang: str, message_id: str) -> bool:
    """Tell whether a catalogue has a message id."""
    return message_id in catalog(lang)
