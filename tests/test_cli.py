"""The command line: reports, exit codes, schema-valid JSON, clear errors."""

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from ecomcheck.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SCHEMA = json.loads((ROOT / "docs" / "report.schema.json").read_text("utf-8"))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_problem_page_text_report_in_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(EXAMPLES / "shop-problems.html"))
    assert code == 1
    assert "Thông tin đăng ký kinh doanh" in out
    assert "Cách khắc phục" in out
    assert "0101248142" in out


def test_english_and_fail_on(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "check",
        str(EXAMPLES / "shop-problems.html"),
        "--lang",
        "en",
        "--fail-on",
        "critical",
    )
    assert code == 0
    assert "How to fix" in out


def test_clean_page_exit_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run(
        capsys,
        "check",
        str(EXAMPLES / "shop-clean.html"),
        "--url",
        "https://moclan.vn/products/ao",
        "--select",
        "business_registration,contact,policy,moit_notification",
    )
    assert code == 0


@pytest.mark.parametrize("name", ["shop-clean.html", "shop-problems.html"])
def test_json_validates_against_committed_schema(
    capsys: pytest.CaptureFixture[str], name: str
) -> None:
    _, out, _ = run(capsys, "check", str(EXAMPLES / name), "--format", "json")
    jsonschema.validate(json.loads(out), SCHEMA)


def test_several_targets_give_an_array(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(
        capsys,
        "check",
        str(EXAMPLES / "shop-clean.html"),
        str(EXAMPLES / "shop-problems.html"),
        "--format",
        "json",
    )
    data = json.loads(out)
    assert isinstance(data, list) and len(data) == 2
    for report in data:
        jsonschema.validate(report, SCHEMA)


def test_garbage_input_is_not_assessed_and_schema_valid(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    junk = tmp_path / "junk.html"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    code, out, err = run(capsys, "check", str(junk), "--format", "json")
    assert code == 2
    report = json.loads(out)
    jsonschema.validate(report, SCHEMA)
    assert report["status"] == "not_assessed"
    assert {r["status"] for r in report["rule_runs"].values()} == {"not_assessed"}
    assert err.count("\n") == 1 and "not assessed" in err


def test_empty_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    code, out, _ = run(capsys, "check", str(empty), "--format", "json")
    assert code == 2
    assert json.loads(out)["status"] == "not_assessed"


def test_missing_file_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "/no/such/page.html")
    assert code == 2
    assert out == ""
    assert err.strip() == "ecomcheck: /no/such/page.html: no such file"


@pytest.mark.parametrize(
    ("target", "hint"),
    [
        ("shop-missing-1.vn", "; to check a website, give its address: https://shop-missing-1.vn"),
        (
            "www.shop.com.vn/lien-he",
            "; to check a website, give its address: https://www.shop.com.vn/lien-he",
        ),
        ("ftp://shop.vn", "; only http:// and https:// addresses can be checked"),
        ("page.txt", ""),
        ("report.json", ""),
    ],
)
def test_missing_file_that_looks_like_an_address_says_how(
    capsys: pytest.CaptureFixture[str], target: str, hint: str
) -> None:
    code, out, err = run(capsys, "check", target)
    assert (code, out) == (2, "")
    assert err.strip() == f"ecomcheck: {target}: no such file{hint}"


def test_selection_that_leaves_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", str(EXAMPLES / "shop-clean.html"), "--select", "nope")
    assert code == 2
    assert "no rule" in err


def test_rules_and_explain(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0
    assert "business_registration.check_digit" in out
    code, out, _ = run(capsys, "rules", "--format", "json")
    assert any(r["id"] == "contact.no_contact" for r in json.loads(out))
    code, out, _ = run(capsys, "explain", "business_registration.check_digit")
    assert code == 0 and "## Legal basis" in out
    code, _, err = run(capsys, "explain", "check_digit")
    assert code == 2 and "did you mean business_registration.check_digit" in err


def test_stdin_and_console_script(tmp_path: Path) -> None:
    html = (EXAMPLES / "shop-problems.html").read_bytes()
    proc = subprocess.run(
        [sys.executable, "-m", "ecomcheck.cli", "check", "-", "--format", "json"],
        input=html,
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["summary"]["fail"] > 0
