"""Check Vietnamese online shops and sellers for compliance problems.

Public API::

    import ecomcheck
    report = ecomcheck.check_page(html, url="https://shop.example/")
    checker = ecomcheck.Checker(ecomcheck.Config(lang="en"))  # reuse for many pages
"""

from __future__ import annotations

__version__ = "0.1.0"

from ecomcheck.config import Config
from ecomcheck.engine import Checker, check_page, list_rules, rerender
from ecomcheck.extract.document import PageDocument
from ecomcheck.models import (
    Category,
    Confidence,
    Evidence,
    Finding,
    LegalRef,
    Outcome,
    Report,
    RuleRun,
    RunStatus,
    Severity,
    Subject,
    Summary,
)
from ecomcheck.rules.base import RuleMeta

__all__ = [
    "Category",
    "Checker",
    "Confidence",
    "Config",
    "Evidence",
    "Finding",
    "LegalRef",
    "Outcome",
    "PageDocument",
    "Report",
    "RuleMeta",
    "RuleRun",
    "RunStatus",
    "Severity",
    "Subject",
    "Summary",
    "__version__",
    "check_page",
    "list_rules",
    "rerender",
]
