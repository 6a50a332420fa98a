"""Command-line failures: one-line usage errors, closed pipes, full devices."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ecomcheck.cli import main

ROOT = Path(__file__).resolve().parents[1]
PROBLEMS = ROOT / "examples" / "shop-problems.html"
CLEAN = ROOT / "examples" / "shop-clean.html"


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "ecomcheck.cli", *args]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    return env


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["check"], ("check: the following arguments are required", "'ecomcheck check --help'")),
        (["check", "x.html", "--format", "xml"], ("check: argument --format", "--help")),
        (["check", "x.html", "--formt", "json"], ("check: unrecognized arguments: --formt",)),
        (["check", "x.html", "--as-of", "2026-13-01"], ("not a date (YYYY-MM-DD)",)),
        ([], ("required: command", "'ecomcheck --help'")),
        (["nope"], ("invalid choice: 'nope'",)),
        (["rules", "--x"], ("rules: unrecognized arguments: --x", "'ecomcheck rules --help'")),
        (["scan"], ("scan: the following arguments are required",)),
    ],
)
def test_usage_error_is_one_line(
    capsys: pytest.CaptureFixture[str], args: list[str], words: tuple[str, ...]
) -> None:
    code = main(args)
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("ecomcheck: ") and "usage:" not in err
    for w in words:
        assert w in err


def test_help_and_version_still_print_usage(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["check", "--help"])
    assert exc.value.code == 0 and "usage: ecomcheck check" in capsys.readouterr().out


def _closed_reader(*args: str) -> tuple[int, bytes]:
    """Run the CLI with a stdout pipe whose reader is gone before anything is written."""
    proc = subprocess.Popen(
        _cli(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(), cwd=ROOT
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read()
    proc.stderr.close()
    return proc.wait(timeout=120), err


@pytest.mark.parametrize("fmt", ["text", "json", "html"])
def test_closed_pipe_keeps_the_exit_code(fmt: str) -> None:
    code, err = _closed_reader("check", str(PROBLEMS), str(PROBLEMS), "--format", fmt)
    assert (code, err) == (1, b"")
    # Counter-example: a clean page still exits 0, an unreadable one still 2.
    assert _closed_reader("check", str(CLEAN), "--format", fmt) == (0, b"")
    code, err = _closed_reader("check", str(CLEAN), "missing.html", "--format", fmt)
    assert code == 2 and err.decode().strip() == "ecomcheck: missing.html: no such file"


def test_closed_pipe_on_json_lines_keeps_the_exit_code() -> None:
    code, err = _closed_reader(
        "check", str(ROOT / "examples" / "sellers.jsonl"), "--format", "json"
    )
    assert err == b"" and code == 1


def test_head_reads_the_first_line_and_the_code_is_kept() -> None:
    cmd = " ".join([*(f"'{a}'" for a in _cli("check", str(PROBLEMS))), "| head -1"])
    proc = subprocess.run(
        ["bash", "-c", cmd + "; exit ${PIPESTATUS[0]}"],
        capture_output=True,
        env=_env(),
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 1 and proc.stdout.startswith(b"====") and proc.stderr == b""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("fmt", ["text", "json", "csv"])
def test_full_device_is_a_one_line_error(fmt: str) -> None:
    with open("/dev/full", "wb") as full:
        proc = subprocess.run(
            _cli("check", str(PROBLEMS), "--format", fmt),
            stdout=full,
            stderr=subprocess.PIPE,
            env=_env(),
            cwd=ROOT,
            check=False,
        )
    err = proc.stderr.decode()
    assert proc.returncode == 2
    assert err == "ecomcheck: cannot write the report: No space left on device\n"


@pytest.mark.parametrize("workers", ["0", "2"])
def test_scan_stops_when_its_reader_leaves_and_keeps_the_exit_code(
    tmp_path: Path, workers: str
) -> None:
    # A scan's reader going away (``| head``) stops it; the records checked until then
    # decide the code: the problem page has fails, so 1, not 0.
    for i in range(30):
        (tmp_path / f"p{i:02}.html").write_bytes(PROBLEMS.read_bytes())
    code, err = _closed_reader("scan", str(tmp_path), "-j", workers, "--quiet")
    assert (code, err) == (1, b"")
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "c.html").write_bytes(CLEAN.read_bytes())
    assert _closed_reader("scan", str(clean), "-j", workers, "--quiet") == (0, b"")
