"""``lines_with``: one lower-casing and one word scan per page text, shared by its callers."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecomcheck.extract.policy import _STATEMENT_HINT, _STATEMENT_WORDS
from ecomcheck.extract.price import _TAXSHIP_HINT, _TAXSHIP_WORDS
from ecomcheck.text import lines
from ecomcheck.text.lines import lines_with, split_lines
from ecomcheck.validate import _textprep

_GROUPS: list[tuple[tuple[tuple[str, ...], ...], re.Pattern[str]]] = [
    (_TAXSHIP_WORDS, _TAXSHIP_HINT),
    (_STATEMENT_WORDS, _STATEMENT_HINT),
    ((("ship", "giao"),), re.compile("")),
    ((("ship",), ("gồm", "ship")), re.compile("")),
    (((),), re.compile("")),
]
_PIECES = [
    "Giao hàng", "đã bao gồm VAT", "ship", "miễn phí", "kiểm tra hàng", "cho xem", "check",
    "gồm", "İ", "\uff11", "x\u0301", " ", "\n", "\n", "thuế", "Mở hộp",
]  # fmt: skip
_text = st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=4)), max_size=16).map("".join)


def _every(
    text: str, groups: tuple[tuple[str, ...], ...], keep: re.Pattern[str]
) -> list[lines.Line]:
    return [
        ln
        for ln in split_lines(text, keep=keep)
        if all(any(w in ln.text for w in group) for group in groups)
    ]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_text, st.permutations(range(len(_GROUPS))), st.booleans())
def test_shared_scan_gives_each_caller_its_own_lines(
    text: str, order: list[int], fresh: bool
) -> None:
    # Whatever the order of the callers, and whether the page's scan was made for them
    # or is already there, each gets the lines testing every line would give.
    if fresh:
        lines._last_page[0] = None
    for k in order:
        groups, keep = _GROUPS[k]
        got = [(ln.start, ln.original, ln.text) for ln in lines_with(text, groups, keep=keep)]
        assert got == [(ln.start, ln.original, ln.text) for ln in _every(text, groups, keep)]


def test_one_scan_serves_every_known_group(monkeypatch: pytest.MonkeyPatch) -> None:
    for groups, keep in _GROUPS[:2]:
        lines_with("giao hàng\nkiểm tra", groups, keep=keep)  # both groups are known
    scans = []
    real = lines._scan

    def counted(low: str, keys: tuple[lines._Key, ...]) -> dict[lines._Key, list[tuple[int, int]]]:
        scans.append(keys)
        return real(low, keys)

    monkeypatch.setattr(lines, "_scan", counted)
    text = "Giá đã bao gồm VAT\nĐược kiểm tra hàng trước khi nhận\nGiao hàng toàn quốc"
    taxes = lines_with(text, _TAXSHIP_WORDS, keep=_TAXSHIP_HINT)
    statements = lines_with(text, _STATEMENT_WORDS, keep=_STATEMENT_HINT)
    assert len(scans) == 1
    assert [ln.original for ln in taxes] == ["Giá đã bao gồm VAT"]
    assert [ln.original for ln in statements] == ["Được kiểm tra hàng trước khi nhận"]
    # Another text is scanned anew.
    lines_with(text + "\n", _TAXSHIP_WORDS, keep=_TAXSHIP_HINT)
    assert len(scans) == 2


def test_page_text_is_lower_cased_once_for_all_readers() -> None:
    # The identity and contact extractors prepare the same text lines_with reads.
    text = "Công ty TNHH ABC\nGiá đã bao gồm VAT"
    lines_with(text, _TAXSHIP_WORDS, keep=_TAXSHIP_HINT)
    assert lines._page(text).prepared is _textprep.prepare(text)
    assert lines._page(text).low is _textprep.prepare(text).low


def test_text_that_is_not_plain_is_read_line_by_line() -> None:
    # A wide digit or "İ" changes how lower-casing lines up with normalising: no scan.
    for text in ("Giá đã bao gồm VAT \uff11\ngiao hàng", "İ\nGiá đã bao gồm VAT"):
        assert lines._page(text).low is None
        got = lines_with(text, _TAXSHIP_WORDS, keep=_TAXSHIP_HINT)
        assert [ln.original for ln in got] == [text.split("\n")[text.startswith("İ")]]
        assert [ln.text for ln in got] == [
            ln.text for ln in _every(text, _TAXSHIP_WORDS, _TAXSHIP_HINT)
        ]
