"""Message catalogues: message ids plus parameters, rendered late in vi or en."""

from __future__ import annotations

import functools
import string
import tomllib
from collections.abc import Mapping
from importlib import resources
from typing import Any

from ecomcheck.config import LANGUAGES


@functools.cache
def catalog(lang: str) -> dict[str, str]:
    """Return the message catalogue of a language (``vi`` or ``en``).

    A language's catalogue is ``catalog/<lang>.toml`` plus any ``catalog/<lang>.<area>.toml``
    (one per area of rules); an id defined twice is an error.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    folder = resources.files("ecomcheck.render").joinpath("catalog")
    merged: dict[str, str] = {}
    names = sorted(
        f.name
        for f in folder.iterdir()
        if f.name == f"{lang}.toml" or (f.name.startswith(f"{lang}.") and f.name.endswith(".toml"))
    )
    for name in names:
        data = tomllib.loads(folder.joinpath(name).read_bytes().decode("utf-8"))
        for k, v in data.items():
            if k in merged:
                raise ValueError(f"message id {k!r} defined twice ({name})")
            merged[str(k)] = str(v)
    return merged


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


def render_reason(lang: str, reason_id: str, params: Mapping[str, Any]) -> str:
    """Render a reason whose parameters may name other messages.

    A parameter named ``<name>_id`` holds a message id itself (``"why_id":
    "fetch.timeout"``); it is rendered and passed to the template as ``<name>``.
    """
    resolved = {
        (k[:-3] if k.endswith("_id") else k): (render(lang, v) if k.endswith("_id") else v)
        for k, v in params.items()
    }
    return render(lang, reason_id, resolved)
