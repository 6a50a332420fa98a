"""``ecomcheck check`` on seller profiles: JSON, JSON Lines, bad input, big files."""

import json
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import jsonschema
import pytest

from ecomcheck.cli import main

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "profiles"
EXAMPLES = ROOT / "examples"
SCHEMA = json.loads((ROOT / "docs" / "report.schema.json").read_text("utf-8"))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_one_profile_gives_one_report(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, str(FIXTURES / "bad_check_digit.json"), "--format", "json")
    assert code == 1 and err == ""
    report = json.loads(out)
    jsonschema.validate(report, SCHEMA)
    assert report["subject"]["kind"] == "profile"
    assert report["subject"]["platform"] == "shopee"
    assert report["findings"][0]["evidence"][0]["pointer"] == "/business_registration_number"


def test_clean_profile_exit_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(FIXTURES / "clean.json"))
    assert code == 0
    assert out.startswith("=" * 72 + "\nNgười bán: Gốm Sứ An Phát (shopee)")


def test_recognised_by_content_not_extension(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    odd = tmp_path / "seller.html"
    odd.write_bytes((FIXTURES / "no_registration.json").read_bytes())
    code, out, _ = run(capsys, str(odd), "--format", "json")
    assert code == 1 and json.loads(out)["subject"]["kind"] == "profile"
    page = tmp_path / "page.json"
    page.write_bytes((EXAMPLES / "shop-problems.html").read_bytes())
    code, out, _ = run(capsys, str(page), "--format", "json")
    assert json.loads(out)["subject"]["kind"] == "page"
    lines = tmp_path / "crawl.out"
    lines.write_text((EXAMPLES / "sellers.jsonl").read_text("utf-8"), "utf-8")
    code, out, _ = run(capsys, str(lines), "--format", "json")
    assert len(out.splitlines()) == 5


def test_jsonl_gives_json_lines_and_reports_bad_lines(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, str(FIXTURES / "mixed.jsonl"), "--format", "json")
    assert code == 2
    reports = [json.loads(line) for line in out.splitlines()]
    for r in reports:
        jsonschema.validate(r, SCHEMA)
    assert [r["status"] for r in reports] == [
        "pass",
        "not_assessed",
        "not_assessed",
        "not_assessed",
        "fail",
    ]
    path = str(FIXTURES / "mixed.jsonl")
    assert err.splitlines() == [
        f"ecomcheck: {path}:3: not valid JSON: Expecting property name enclosed in double quotes"
        " (column 51)",
        f"ecomcheck: {path}:4: /listings/0/price: Input should be greater than or equal to 0"
        " (got a number)",
        f"ecomcheck: {path}:5: expected a JSON object (one seller profile), got an array",
    ]
    assert reports[1]["subject"]["name"] == f"{path}:3"
    assert reports[4]["subject"]["name"] == "Thiếu MST"


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ("malformed.json", "not valid JSON: Expecting property name enclosed in double quotes"),
        ("wrong_types.json", "/phones: Input should be a valid list (got a string)"),
        ("empty.json", "empty file: no seller profile in it"),
    ],
)
def test_unreadable_profiles_are_clear(
    capsys: pytest.CaptureFixture[str], fixture: str, message: str
) -> None:
    code, out, err = run(capsys, str(FIXTURES / fixture), "--format", "json")
    assert code == 2
    assert err.count("\n") == 1 and message in err and str(FIXTURES / fixture) in err
    report = json.loads(out)
    jsonschema.validate(report, SCHEMA)
    assert report["status"] == "not_assessed" and message in report["reason"]


def test_unreadable_input_does_not_stop_the_others(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        str(FIXTURES / "malformed.json"),
        "/no/such/sellers.jsonl",
        str(FIXTURES / "no_registration.json"),
        "--format",
        "json",
    )
    assert code == 2
    data = json.loads(out)
    assert [r["status"] for r in data] == ["not_assessed", "fail"]
    assert "/no/such/sellers.jsonl: no such file" in err


def test_array_document(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    arr = tmp_path / "sellers.json"
    items = [
        json.loads((FIXTURES / n).read_text("utf-8")) for n in ("clean.json", "counterfeit.json")
    ]
    arr.write_text(json.dumps(items, ensure_ascii=False), "utf-8")
    code, out, _ = run(capsys, str(arr), "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert [r["status"] for r in data] == ["pass", "fail"]
    assert data[1]["findings"][0]["evidence"][0]["record"] == f"{arr}[1]"


def test_text_names_the_seller_and_each_offending_listing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, str(EXAMPLES / "seller.json"), "--lang", "en")
    assert code == 1
    assert (
        "Seller: Mẹ Bin Shop - Đồ gia dụng Nhật (facebook) — https://www.facebook.com/mebin.shop.hanoi"
        in out
    )
    assert "# The seller" in out
    assert "# Listing 2 (/listings/1): “Viên uống bổ gan Nhật”" in out
    assert "# Listing 3 (/listings/2): “Giày Nike Air Jordan 1 High Rep 1:1”" in out
    assert out.index("# The seller") < out.index("# Listing 2") < out.index("# Listing 3")
    assert "0913 456 789" not in out


def test_show_personal_data(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = json.loads((FIXTURES / "clean.json").read_text("utf-8"))
    data |= {"phones": ["01234 567 890"], "business_registration_number": "079903012345"}
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data), "utf-8")
    _, masked, _ = run(capsys, str(path), "--format", "json")
    assert "01234 567 890" not in masked and "079903012345" not in masked
    _, shown, _ = run(capsys, str(path), "--format", "json", "--show-personal-data")
    assert "01234 567 890" in shown and "079903012345" in shown
    fp = [f["fingerprint"] for f in json.loads(masked)["findings"]]
    assert fp == [f["fingerprint"] for f in json.loads(shown)["findings"]]


def test_url_option_is_for_pages(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, str(FIXTURES / "clean.json"), "--url", "https://x.vn/")
    assert code == 2 and "--url applies to pages" in err


def test_stdin_jsonl_and_exit_codes() -> None:
    data = (EXAMPLES / "sellers.jsonl").read_bytes() + b'{"display_name": \n'
    proc = subprocess.run(
        [sys.executable, "-m", "ecomcheck.cli", "check", "-", "--format", "json"],
        input=data,
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 2
    assert len(proc.stdout.splitlines()) == 6
    assert proc.stderr.decode().startswith("ecomcheck: -:6: not valid JSON")
    assert "\r" not in proc.stderr.decode()  # no progress line when stderr is not a TTY


def test_hundred_megabyte_jsonl_with_one_bad_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A 100 MB crawl with one bad line: streamed in small memory, nothing lost.

    5,000 ordinary profiles come first (line 2,500 is cut short), then 100 records
    that carry about 1 MB of raw crawl HTML each in an extra field (ignored by the
    contract), as crawlers that keep the fetched page do.
    """
    path = tmp_path / "crawl.jsonl"
    small, big, bad_line = 5000, 100, 2500
    pad = "<div class='post'>" + "x" * (1024 * 1024) + "</div>"

    def record(i: int, **extra: str) -> str:
        rec = {
            "platform": "facebook",
            "url": f"https://www.facebook.com/shop{i}",
            "display_name": f"Shop {i}",
            "phones": ["0913 456 789"],
            "address": "25 Hàng Bài, phường Hoàn Kiếm, Hà Nội",
            "business_registration_number": "0101248141",
            "listings": [
                {
                    "title": f"Áo thun mẫu {i}",
                    "description": "Cotton 100%. Giá đã bao gồm VAT.",
                    "price": 150000,
                    "origin": "Việt Nam",
                }
            ],
            **extra,
        }
        return json.dumps(rec, ensure_ascii=False)

    with path.open("w", encoding="utf-8") as f:
        for i in range(1, small + 1):
            line = record(i)
            f.write((line[: len(line) // 2] if i == bad_line else line) + "\n")
        for i in range(small + 1, small + big + 1):
            f.write(record(i, raw_html=pad) + "\n")
    assert path.stat().st_size >= 100 * 1024 * 1024
    out_path = tmp_path / "reports.jsonl"
    t0 = time.perf_counter()
    tracemalloc.start()
    try:
        with out_path.open("w", encoding="utf-8") as out:
            old = sys.stdout
            sys.stdout = out
            try:
                code = main(["check", str(path), "--format", "json"])
            finally:
                sys.stdout = old
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.perf_counter() - t0
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert err.startswith(f"ecomcheck: {path}:{bad_line}: not valid JSON: Unterminated string")
    statuses = []
    with out_path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            report = json.loads(line)
            statuses.append(report["status"])
            if n in (1, bad_line, small + big):
                jsonschema.validate(report, SCHEMA)
    assert len(statuses) == small + big
    assert statuses[bad_line - 1] == "not_assessed"
    assert statuses.count("pass") == small + big - 1
    # Streamed: memory stays a few times one line, far below the file's 100 MB.
    assert peak < 40 * 1024 * 1024, peak
    assert elapsed < 60, elapsed


def test_progress_only_on_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import ecomcheck.cli as cli

    clock = iter(range(0, 10_000, 5))
    monkeypatch.setattr(cli.time, "monotonic", lambda: float(next(clock)))
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    code, out, err = run(capsys, str(EXAMPLES / "sellers.jsonl"), "--format", "json")
    assert code == 1 and len(out.splitlines()) == 5
    assert "\recomcheck: 1 profiles checked" in err
    assert err.endswith("\r\x1b[K")  # the progress line is cleared at the end
