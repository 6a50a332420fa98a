"""Check Vietnamese online shops and sellers for compliance problems.

Public API::

    import ecomcheck
    report = ecomcheck.check_page(html, url="https://shop.example/")
    report = ecomcheck.check_profile({"platform": "facebook", "display_name": "…"})
    checker = ecomcheck.Checker(ecomcheck.Config(lang="en"))  # reuse for many pages
    site = ecomcheck.check_site("https://shop.example")  # needs the "site" extra
"""

from __future__ import annotations

__version__ = "0.1.0"

from ecomcheck.config import Config
from ecomcheck.engine import Checker, check_page, check_profile, list_rules, rerender
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
    SiteReport,
    Subject,
    Summary,
)
from ecomcheck.profile import Listing, Platform, SellerProfile
from ecomcheck.rules.base import RuleMeta
from ecomcheck.site import check_archive, check_site

__all__ = [
    "Category",
    "Checker",
    "Confidence",
    "Config",
    "Evidence",
    "Finding",
    "LegalRef",
    "Listing",
    "Outcome",
    "PageDocument",
    "Platform",
    "Report",
    "RuleMeta",
    "RuleRun",
    "RunStatus",
    "SellerProfile",
    "Severity",
    "SiteReport",
    "Subject",
    "Summary",
    "__version__",
    "check_archive",
    "check_page",
    "check_profile",
    "check_site",
    "list_rules",
    "rerender",
]
