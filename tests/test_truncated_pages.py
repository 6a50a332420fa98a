"""A page cut short: what is missing may be in the lost part, what is shown still counts."""

from __future__ import annotations

from pathlib import Path

from ecomcheck import check_page
from ecomcheck.models import Confidence, Outcome

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

_ABSENCE_RULES = ("business_registration.identity_missing", "moit_notification.badge_missing")


def test_absences_on_a_cut_page_are_for_review() -> None:
    page = (EXAMPLES / "shop-clean.html").read_bytes()
    whole = check_page(page, url="https://shop.example.vn/")
    assert not whole.findings
    cut = check_page(page[:2272], url="https://shop.example.vn/")
    assert "truncated_document" in cut.subject.warnings
    assert cut.findings, "the cut page lost its footer: absences are reported"
    assert all(f.outcome is Outcome.NEEDS_REVIEW for f in cut.findings)
    assert all(f.confidence is Confidence.LOW for f in cut.findings)
    assert {f.rule_id for f in cut.findings} >= set(_ABSENCE_RULES)


_SELL = '<h1>Áo thun</h1><span class="price">199.000₫</span><button>Thêm vào giỏ hàng</button>'


def test_what_is_shown_on_a_cut_page_still_fails() -> None:
    # 0101248142: the check digit is wrong (0101248141 is right); the page stops mid-tag.
    page = (
        f"<html><body>{_SELL}<footer><p>Công ty TNHH ABC - MST: 0101248142 do Sở KH&amp;ĐT "
        "Hà Nội cấp ngày 01/01/2020</p><p>Hotline 0168 456 7890</p><div class="
    )
    report = check_page(page, url="https://abc.vn/p/1")
    assert "truncated_document" in report.subject.warnings
    by_rule = {f.rule_id: f.outcome for f in report.findings}
    assert by_rule["business_registration.check_digit"] is Outcome.FAIL
    assert by_rule["contact.phone_invalid"] is Outcome.FAIL
    assert by_rule["moit_notification.badge_missing"] is Outcome.NEEDS_REVIEW


def test_a_whole_page_keeps_its_absence_fails() -> None:
    page = f"<html><body>{_SELL}<footer><p>Liên hệ qua trang Facebook.</p></footer></body></html>"
    report = check_page(page, url="https://abc.vn/p/1")
    assert "truncated_document" not in report.subject.warnings
    by_rule = {f.rule_id: f.outcome for f in report.findings}
    assert by_rule["moit_notification.badge_missing"] is Outcome.FAIL
    assert by_rule["business_registration.identity_missing"] is Outcome.FAIL
