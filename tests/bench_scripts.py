"""Load the benchmark scripts as modules, for the tests that exercise them."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def load_accuracy() -> ModuleType:
    """``benchmarks/accuracy.py`` as the module ``accuracy``."""
    spec = importlib.util.spec_from_file_location("accuracy", ROOT / "benchmarks" / "accuracy.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["accuracy"] = mod
    spec.loader.exec_module(mod)
    return mod
