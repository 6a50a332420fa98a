"""Any bytes or text in, a valid report out: never a traceback."""

import json
from pathlib import Path

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecomcheck import Checker, Config, RunStatus

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[1] / "docs" / "report.schema.json").read_text("utf-8")
)
CHECKER = Checker(Config(strict=True))

html_fragments = st.lists(
    st.sampled_from(
        [
            "<div>",
            "</div>",
            "<span>",
            "<b>",
            "</b>",
            "<table><tr><td>",
            "<a href='#'>",
            "<a href='http://online.gov.vn/Home/WebDetails/12'>",
            "<img src='logoSaleNoti.png'>",
            "MST: 0101248141",
            "Hotline: 0912 345 678",
            "Địa chỉ: 12 Lê Lợi, Q1, TP.HCM",
            "Giá: 150.000đ",
            "Thêm vào giỏ",
            "thuốc lá điện tử",
            "c\u0323",
            "\x00",
            "&amp;",
            "<script>var a='<div>';</script>",
            "<!--",
            "-->",
            "<footer>",
            "\u200b",
            "\ufeff",
        ]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_any_bytes_give_a_valid_report(data: bytes) -> None:
    report = CHECKER.check_page(data)
    jsonschema.validate(json.loads(report.model_dump_json()), SCHEMA)
    assert all(r.status is not RunStatus.ERROR for r in report.rule_runs.values())


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=500), html_fragments))
def test_any_text_gives_a_valid_report(text: str) -> None:
    report = CHECKER.check_page(text, url="https://shop.example/products/x")
    jsonschema.validate(json.loads(report.model_dump_json()), SCHEMA)
    assert all(r.status is not RunStatus.ERROR for r in report.rule_runs.values())


def test_deep_nesting_keeps_the_footer_identity() -> None:
    html = (
        "<html><body><h1>Sản phẩm</h1><span class='price'>150.000đ</span>"
        "<button>Thêm vào giỏ</button>"
        + "<span>" * 3000
        + "x"
        + "<footer><p>Công ty TNHH ABC</p><p>MST: 0101248142</p></footer></body></html>"
    )
    report = Checker(Config(select=("business_registration",))).check_page(html)
    assert any(f.rule_id == "business_registration.check_digit" for f in report.findings)
    assert "depth_flattened" in report.subject.warnings


def test_windows_1258_page() -> None:
    html = (
        "<html><head><meta charset='windows-1258'></head><body><h1>Giày</h1>"
        "<span class='price'>150.000đ</span><button>Đặt hàng</button>"
        "<footer><p>Công ty TNHH Giày Việt</p><p>Mã số thuế: 0101248141 do Sở Kế hoạch và Đầu "
        "tư Hà Nội cấp ngày 10/02/2015</p><p>Địa chỉ: 12 phố Huế, Hà Nội</p></footer></body></html>"
    )
    from pages import encode_cp1258

    data = encode_cp1258(html)
    assert "Công".encode() not in data  # really windows-1258 bytes
    report = Checker(Config(select=("business_registration",))).check_page(data)
    assert report.findings == []
    assert report.rule_runs["business_registration.identity_missing"].status.value == "pass"
