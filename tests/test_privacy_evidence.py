"""Personal identification numbers are masked in the evidence of every rule."""

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecomcheck import Checker, Config, Report
from ecomcheck.privacy import mask_ids_in_span, mask_ids_in_text, personal_id_spans

SELL = '<h1>Áo thun</h1><span class="price">199.000₫</span><button>Thêm vào giỏ hàng</button>'


def check(footer: str, body: str = SELL) -> Report:
    html = f"<html><body><main>{body}</main><footer>{footer}</footer></body></html>"
    cfg = Config(strict=True, as_of=dt.date(2026, 11, 29))
    return Checker(cfg).check_page(html, url="https://anphat.vn/p/ao-thun")


def _leaks(report: Report, digits: str) -> list[str]:
    """Evidence strings that show more than the last three digits of ``digits``."""
    head = digits[:-3]
    out = []
    for f in report.findings:
        for e in f.evidence:
            for s in (e.snippet, e.matched or ""):
                flat = re.sub(r"[^0-9０-９]", "", s).translate(
                    str.maketrans("０１２３４５６７８９", "0123456789")
                )
                # Any run of five or more digits of the number's head is a leak.
                if any(head[i : i + 5] in flat for i in range(len(head) - 4)):
                    out.append(f"{f.rule_id}: {s}")
    return out


@pytest.mark.parametrize(
    "written",
    [
        "001099012345",
        "0010 9901 2345",
        "001 099 012 345",
        "001.099.012.345",
        "001-099-012-345",
        "001099 012345",
        "００１０９９０１２３４５",
    ],
)
def test_personal_tax_code_masked_in_every_finding(written: str) -> None:
    r = check(f"<p>Hộ kinh doanh Nguyễn Văn An - MST: {written} - ĐT: 0168 456 7890</p>")
    assert r.findings
    assert any(f.rule_id == "contact.phone_invalid" for f in r.findings)
    assert _leaks(r, "001099012345") == []
    tail = written[-3:]
    shown = [e.snippet for f in r.findings for e in f.evidence if tail in e.snippet]
    assert shown, "the last three digits stay readable"


def test_unlabelled_number_and_alt_text_masked() -> None:
    r = check(
        "<p>Liên hệ anh An 079203001234 - ĐT: 0168 456 7890</p>"
        "<img src='/cccd.png' alt='Căn cước 079 203 001 234 của chủ shop'>"
    )
    assert _leaks(r, "079203001234") == []


def test_offsets_point_into_the_original_text() -> None:
    r = check("<p>Hộ kinh doanh Nguyễn Văn An - MST: 0010 9901 2345 - ĐT: 0168 456 7890</p>")
    ev = next(e for f in r.findings if f.rule_id == "contact.phone_invalid" for e in f.evidence)
    assert ev.matched == "0168 456 7890"
    assert ev.start is not None and ev.end is not None
    assert "MST: **** **** *345" in ev.snippet


def test_snippet_cut_inside_a_number_shows_no_part_of_it() -> None:
    filler = "x" * 55
    r = check(f"<p>MST: 001099012345 {filler} ĐT: 0168 456 7890</p>")
    ev = next(e for f in r.findings if f.rule_id == "contact.phone_invalid" for e in f.evidence)
    assert ev.snippet.startswith("…")
    assert _leaks(r, "001099012345") == []


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("MST: 001099012345", "MST: *********345"),
        ("MST 0010 9901 2345", "MST **** **** *345"),
        ("001.099.012.345", "***.***.***.345"),
        ("001-099-012-345-001", "***-***-***-345-001"),
        ("001099012345-001", "*********345-001"),
        ("CCCD 001099012345 0912345678", "CCCD *********345 0912345678"),
        # Labelled numbers with a country code (born abroad) are masked too.
        ("CCCD: 840099012345", "CCCD: *********345"),
    ],
)
def test_masking(text: str, masked: str) -> None:
    assert mask_ids_in_text(text) == masked
    assert len(mask_ids_in_text(text)) == len(text)


@pytest.mark.parametrize(
    "text",
    [
        "Hotline: 0912 345 678",  # a phone: 10 digits
        "MST: 0101248141-001",  # an enterprise branch code
        "STK: 0011004123456 Vietcombank",  # 13-digit bank account
        "GCNĐT số: 411032000105",  # investment certificate, not a province code
        "Tài khoản 9704 2292 0123 4567",  # card number: 16 digits, no province code
        "Giá 1.200.000.000.000đ",  # a price
        "Mã 000099012345",  # place code 000 does not exist
        "Mã 001999012345",  # century digit 9: not issued before 2300
        "001099012345678",  # 15 digits in one run
    ],
)
def test_not_masked(text: str) -> None:
    assert mask_ids_in_text(text) is text
    assert personal_id_spans(text) == []


def test_identity_rule_shows_only_last_digits() -> None:
    r = check("<p>Hộ kinh doanh Nguyễn Văn An - MST 0010 9901 2345</p>")
    assert _leaks(r, "001099012345") == []


def test_evidence_a_rule_builds_by_hand_is_masked_by_the_engine() -> None:
    # Some rules build evidence from a link rather than through the subject; the engine
    # masks every finding's evidence once more, keeping lengths.
    from ecomcheck.engine import _mask_evidence
    from ecomcheck.models import Evidence

    ev = Evidence(snippet="CCCD 001099012345 - ĐT 0912345678", matched="001 099 012 345")
    _mask_evidence([ev])
    assert ev.snippet == "CCCD *********345 - ĐT 0912345678"
    assert ev.matched is not None and "001" not in ev.matched and ev.matched.endswith("345")
    plain = Evidence(snippet="MST 0101248141", matched="0101248141")
    _mask_evidence([plain])
    assert plain.snippet == "MST 0101248141" and plain.matched == "0101248141"


@settings(max_examples=1500, deadline=None)
@given(
    st.text(alphabet="0123456789 .-\u00a0mstMST:cd\uff10\uff11x\n", max_size=80),
    st.integers(0, 80),
    st.integers(0, 40),
)
def test_masking_a_stretch_matches_masking_the_whole_text(text: str, lo: int, size: int) -> None:
    # Evidence masks only the text around its span; it must equal the whole text masked.
    text = "MST: 001099012345, CCCD 079 203 000 111 " + text + " 0010 9901 2345"
    lo = min(lo, len(text))
    hi = min(len(text), lo + size)
    assert mask_ids_in_span(text, lo, hi) == mask_ids_in_text(text)[lo:hi]
