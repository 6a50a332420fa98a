"""Imports every rule module of this package so that its rules register."""

import importlib
import pkgutil

import ecomcheck.rules as _pkg

_NOT_RULES = frozenset({"base", "catalog", "common"})

for _mod in pkgutil.iter_modules(_pkg.__path__):
    if _mod.name not in _NOT_RULES and not _mod.name.startswith("_"):
        importlib.import_module(f"ecomcheck.rules.{_mod.name}")
