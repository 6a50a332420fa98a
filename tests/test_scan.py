"""``ecomcheck scan``: inputs, budgets, workers, streaming output, resume and summary."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("warcio")

from warcio.archiveiterator import ArchiveIterator

from ecomcheck import Checker, Config
from ecomcheck import scan as scanmod
from ecomcheck.scan import (
    FLAT_COLUMNS,
    Record,
    SweepSummary,
    UsageError,
    check_record,
    flat_rows,
    iter_inputs,
    iter_warc,
    scan,
)
from scale_corpus import page, shop_pages, write_warc

AS_OF = dt.date(2026, 11, 29)
CONFIG = Config(as_of=AS_OF)


def multi_site_pages(n_sites: int = 8, per_site: int = 3) -> list[tuple[str, bytes]]:
    """Pages on one host per shop: https://shop-3.vn/p1."""
    return [
        (f"https://{path.split('/')[1]}.vn/{path.split('/')[2]}", html)
        for path, html in shop_pages(n_sites, per_site)
    ]


def findings_by_key(
    rows: list[dict[str, Any]], by: str = "url"
) -> dict[str, set[tuple[str, str, str]]]:
    return {
        r[by]: {(f["rule_id"], f["fingerprint"], f["outcome"]) for f in r["findings"]} for r in rows
    }


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(CONFIG)


@pytest.fixture(scope="module")
def warc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_warc(tmp_path_factory.mktemp("warc") / "shops.warc.gz", multi_site_pages())


# ------------------------------------------------------------------ the per-record function


def test_check_record_points_evidence_at_the_archive_record(checker: Checker) -> None:
    html = page(
        __import__("random").Random(1), "shop-x", "p0", {"phone": "Hotline 0168 456 7890"}, 3
    )
    rec = Record(
        key="a.warc.gz@100",
        source="a.warc.gz",
        payload=html,
        url="https://www.shop-x.vn/p0",
        content_type="text/html; charset=utf-8",
        offset=100,
        length=2000,
    )
    row = check_record(checker, rec)
    assert row["site"] == "shop-x.vn"
    assert row["status"] == "fail"
    assert (row["offset"], row["length"], row["bytes"]) == (100, 2000, len(html))
    phone = [f for f in row["findings"] if f["rule_id"] == "contact.phone_invalid"]
    assert phone and phone[0]["evidence"][0]["record"] == "a.warc.gz#100+2000"
    assert phone[0]["evidence"][0]["matched"] == "0168 456 7890"
    # The same bytes through the plain API give the same findings.
    report = checker.check_page(html, url=rec.url, content_type=rec.content_type)
    assert {f.fingerprint for f in report.findings} == {f["fingerprint"] for f in row["findings"]}


def test_check_record_with_error_is_not_assessed_unchecked(checker: Checker) -> None:
    row = check_record(checker, Record(key="k", source="s", url="https://a.vn/", error="too big"))
    assert row["status"] == "not_assessed"
    assert row["reason"] == "too big"
    assert row["findings"] == []


def test_check_record_contains_a_record_that_breaks_the_checker(checker: Checker) -> None:
    rec = Record(key="k", source="s", kind="profile", profile=["not", "a", "profile"])  # type: ignore[arg-type]
    row = check_record(checker, rec)
    assert row["status"] == "not_assessed"
    assert row["reason"].startswith("không kiểm tra được (ValidationError")
    with pytest.raises(ValueError):
        check_record(Checker(Config(strict=True)), rec)


def test_flat_rows_one_row_per_finding_and_one_for_none(checker: Checker) -> None:
    pages = multi_site_pages(3, 1)
    rows = [check_record(checker, Record(key=u, source=u, payload=h, url=u)) for u, h in pages]
    clean, dirty = rows[0], rows[1]
    assert clean["findings"] == []
    flat = flat_rows(clean)
    assert len(flat) == 1 and flat[0]["n_findings"] == 0 and flat[0]["rule_id"] is None
    flat = flat_rows(dirty)
    assert len(flat) == len(dirty["findings"]) >= 1
    assert all(set(r) == set(FLAT_COLUMNS) for r in flat)
    assert {r["fingerprint"] for r in flat} == {f["fingerprint"] for f in dirty["findings"]}


def test_full_report_is_the_report(checker: Checker) -> None:
    u, h = multi_site_pages(2, 1)[1]
    row = check_record(checker, Record(key=u, source=u, payload=h, url=u), full_report=True)
    assert row["report"]["schema_version"] == "1"
    assert len(row["report"]["findings"]) == len(row["findings"])


def test_soft_time_budget_makes_a_slow_record_not_assessed(checker: Checker) -> None:
    rng = __import__("random").Random(3)
    huge = page(rng, "shop-big", "p0", {}, 2500)  # about 0.5 MB of paragraphs
    rec = Record(key="big", source="big", payload=huge, url="https://big.vn/")
    row = check_record(checker, rec, time_budget=0.005)
    assert row["status"] == "not_assessed"
    assert "vượt quá thời gian kiểm tra" in row["reason"]
    # The budget does not leak into the next record.
    ok = check_record(
        checker,
        Record(
            key="ok",
            source="ok",
            payload=huge[:4000] + b"</p></main></body></html>",
            url="https://ok.vn/",
        ),
    )
    assert ok["status"] != "not_assessed"
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None, signal.default_int_handler)


# ------------------------------------------------------------------------ inputs


@pytest.mark.parametrize("gzip", [True, False])
def test_iter_warc_keeps_html_responses_with_exact_offsets(tmp_path: Path, gzip: bool) -> None:
    pages = multi_site_pages(4, 2)
    path = write_warc(tmp_path / ("x.warc.gz" if gzip else "x.warc"), pages, gzip=gzip)
    with path.open("rb") as fh:
        recs = list(iter_warc(fh, str(path)))
    assert [r.url for r in recs] == [u for u, _ in pages]
    assert [r.payload for r in recs] == [h for _, h in pages]
    with path.open("rb") as fh:
        for r in recs:
            assert r.offset is not None and r.length is not None
            fh.seek(r.offset)
            chunk = io.BytesIO(fh.read(r.length))
            (again,) = list(ArchiveIterator(chunk))
            assert again.rec_headers.get_header("WARC-Target-URI") == r.url


def test_iter_warc_size_budget(tmp_path: Path) -> None:
    pages = multi_site_pages(2, 1)
    path = write_warc(tmp_path / "x.warc.gz", pages)
    with path.open("rb") as fh:
        recs = list(iter_warc(fh, str(path), max_bytes=1000))
    assert len(recs) == 2
    assert all(r.payload is None and r.error and "size budget" in r.error for r in recs)
    # The report states the reason in the checker's language; logs keep the English.
    vi = check_record(Checker(Config(lang="vi")), recs[0])
    assert vi["status"] == "not_assessed"
    assert vi["reason"] == "nội dung vượt giới hạn dung lượng 1000 byte"
    assert check_record(Checker(Config(lang="en")), recs[0])["reason"] == recs[0].error


def test_scan_reasons_follow_the_report_language(tmp_path: Path) -> None:
    broken = Record(key="k", source="s", kind="profile", profile=["x"])  # type: ignore[arg-type]
    vi = check_record(Checker(Config(lang="vi")), broken)
    assert vi["reason"].startswith("không kiểm tra được (ValidationError")
    (tmp_path / "p.jsonl").write_text('{"platform": "shopee"}\nnot json\n', encoding="utf-8")
    recs = list(iter_inputs([str(tmp_path / "p.jsonl")]))
    bad = [r for r in recs if r.error]
    assert bad and bad[0].error_id == "scan.invalid_record"
    row = check_record(Checker(Config(lang="vi")), bad[0])
    assert row["reason"].startswith("bản ghi không hợp lệ: ")
    assert row["reason"].endswith(bad[0].error or "")
    assert check_record(Checker(Config(lang="en")), bad[0])["reason"] == bad[0].error


def test_scan_reads_html_dirs_jsonl_profiles_and_warcs(tmp_path: Path, warc: Path) -> None:
    site = tmp_path / "saved" / "shop-a.vn"
    site.mkdir(parents=True)
    pages = shop_pages(3, 1)
    for i, (_, html) in enumerate(pages):
        (site / f"p{i}.html").write_bytes(html)
    (site / "style.css").write_text("body{}")
    (site / "manifest.json").write_text('{"name": "a web app manifest", "icons": []}')
    profiles = tmp_path / "sellers.jsonl"
    profiles.write_text(
        json.dumps(
            {
                "platform": "facebook",
                "url": "https://www.facebook.com/shopabc",
                "display_name": "Shop ABC",
                "phones": ["0168 456 7890"],
            },
            ensure_ascii=False,
        )
        + "\n\n{not json\n"
        + json.dumps(
            {
                "platform": "shopee",
                "display_name": "Gốm",
                "listings": [{"title": "Bình gốm", "price": None, "description": "ib giá"}],
            },
            ensure_ascii=False,
        )
        + "\n"
    )
    out = tmp_path / "out.jsonl"
    res = scan(
        [str(tmp_path / "saved"), str(profiles), str(warc)], output=out, config=CONFIG, workers=0
    )
    rows = read_jsonl(out)
    keys = [r["key"] for r in rows]
    assert len(keys) == len(set(keys)) == 3 + 3 + 24
    html_rows = [r for r in rows if r["source"].endswith(".html")]
    assert {r["site"] for r in html_rows} == {"shop-a.vn"}  # the folder names the site
    prof = {r["key"]: r for r in rows if r["kind"] == "profile"}
    assert set(prof) == {f"{profiles}:1", f"{profiles}:3", f"{profiles}:4"}
    assert prof[f"{profiles}:3"]["status"] == "not_assessed"
    assert "JSON" in prof[f"{profiles}:3"]["reason"]
    assert prof[f"{profiles}:1"]["site"] == "facebook.com/shopabc"
    assert prof[f"{profiles}:4"]["site"] == "shopee:Gốm"
    assert res.checked == 30 and res.exit_code == 1


def test_base_url_gives_html_files_their_url(tmp_path: Path) -> None:
    d = tmp_path / "mirror" / "shop-b.vn" / "products"
    d.mkdir(parents=True)
    (d / "ao.html").write_bytes(shop_pages(1, 1)[0][1])
    out = tmp_path / "o.jsonl"
    scan([str(tmp_path / "mirror")], output=out, config=CONFIG, workers=0, base_url="https://")
    (row,) = read_jsonl(out)
    assert row["url"] == "https://shop-b.vn/products/ao.html"
    assert row["site"] == "shop-b.vn"


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        scan([str(tmp_path / "nope")], output=tmp_path / "o.jsonl", workers=0)


def test_damaged_archives_never_end_the_scan(tmp_path: Path, warc: Path) -> None:
    data = warc.read_bytes()
    torn = tmp_path / "torn.warc.gz"
    torn.write_bytes(data[: len(data) // 2] + b"garbage" * 100)  # a crawl killed mid-write
    bogus = tmp_path / "bogus.warc.gz"
    bogus.write_bytes(b"<html>not an archive</html>" * 50)
    out = tmp_path / "o.jsonl"
    res = scan([str(torn), str(bogus), str(warc)], output=out, config=CONFIG, workers=0)
    assert [e.path for e in res.input_errors] == [str(bogus)]
    assert res.exit_code == 2
    rows = read_jsonl(out)
    assert sum(r["source"] == str(warc) for r in rows) == 24  # the good file is complete
    assert 0 < sum(r["source"] == str(torn) for r in rows) < 24  # records before the damage


# ------------------------------------------------------------------------ workers


def hang_on_marker(checker: Checker, record: Record, **kw: Any) -> dict[str, Any]:
    """A record the worker's own timer cannot interrupt (the watchdog must)."""
    if record.payload and b"HANG-HERE" in record.payload:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(600)
    return check_record(checker, record, **kw)


def crash_on_marker(checker: Checker, record: Record, **kw: Any) -> dict[str, Any]:
    """A record that kills its worker (as a segfault or the OOM killer would)."""
    if record.payload and b"CRASH-HERE" in record.payload:
        os._exit(3)
    return check_record(checker, record, **kw)


def test_pool_gives_the_same_results_as_one_process(tmp_path: Path, warc: Path) -> None:
    one, many = tmp_path / "one.jsonl", tmp_path / "many.jsonl"
    scan([str(warc)], output=one, config=CONFIG, workers=0)
    res = scan([str(warc)], output=many, config=CONFIG, workers=2)
    assert res.workers == 2 and len(res.peak_rss_kb) == 2 and max(res.peak_rss_kb) > 10_000
    assert findings_by_key(read_jsonl(one), "key") == findings_by_key(read_jsonl(many), "key")


def test_watchdog_restarts_a_stuck_worker_and_the_scan_finishes(tmp_path: Path) -> None:
    pages = multi_site_pages(4, 2)
    url, html = pages[3]
    pages[3] = (url, html.replace(b"</main>", b"<p>HANG-HERE</p></main>"))
    url, html = pages[5]
    pages[5] = (url, html.replace(b"</main>", b"<p>CRASH-HERE</p></main>"))
    warc = write_warc(tmp_path / "x.warc.gz", pages)
    out = tmp_path / "o.jsonl"
    t0 = time.monotonic()
    res = scan(
        [str(warc)], output=out, config=CONFIG, workers=2, time_budget=0.5, record_fn=hang_on_marker
    )
    assert time.monotonic() - t0 < 30
    rows = {r["url"]: r for r in read_jsonl(out)}
    assert len(rows) == len(pages)
    assert rows[pages[3][0]]["status"] == "not_assessed"
    assert "đã được khởi động lại" in rows[pages[3][0]]["reason"]
    assert sum(r["status"] == "not_assessed" for r in rows.values()) == 1
    assert res.worker_restarts == 1

    out2 = tmp_path / "o2.jsonl"
    res = scan([str(warc)], output=out2, config=CONFIG, workers=2, record_fn=crash_on_marker)
    rows = {r["url"]: r for r in read_jsonl(out2)}
    assert len(rows) == len(pages)
    assert rows[pages[5][0]]["status"] == "not_assessed"
    assert "bị dừng đột ngột (mã thoát 3)" in rows[pages[5][0]]["reason"]
    assert res.worker_restarts == 1 and res.not_assessed == 1


# ------------------------------------------------------------------------ output and resume


def test_existing_output_needs_resume_or_force(tmp_path: Path, warc: Path) -> None:
    out = tmp_path / "o.jsonl"
    out.write_text("{}\n")
    with pytest.raises(UsageError, match="--resume"):
        scan([str(warc)], output=out, workers=0)
    scan([str(warc)], output=out, workers=0, overwrite=True, config=CONFIG)
    assert len(read_jsonl(out)) == 24


def test_resume_jsonl_cuts_a_torn_line_and_adds_no_duplicates(tmp_path: Path, warc: Path) -> None:
    full = tmp_path / "full.jsonl"
    scan([str(warc)], output=full, config=CONFIG, workers=0)
    lines = full.read_bytes().splitlines(keepends=True)
    part = tmp_path / "part.jsonl"
    part.write_bytes(b"".join(lines[:10]) + lines[10][:37])  # killed mid-write
    res = scan([str(warc)], output=part, config=CONFIG, workers=0, resume=True)
    assert (res.previous, res.skipped, res.checked) == (10, 10, 14)
    rows = read_jsonl(part)
    assert len(rows) == 24 == len({r["key"] for r in rows})
    assert findings_by_key(rows, "key") == findings_by_key(read_jsonl(full), "key")
    # The summary counts the earlier run's records too.
    assert res.summary.records == 24
    again = scan([str(warc)], output=part, config=CONFIG, workers=0, resume=True)
    assert again.checked == 0 and again.skipped == 24 and len(read_jsonl(part)) == 24


def test_csv_output_and_resume(tmp_path: Path, warc: Path) -> None:
    full = tmp_path / "full.csv"
    scan([str(warc)], output=full, fmt="csv", config=CONFIG, workers=0)
    text = full.read_text("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(FLAT_COLUMNS)
    assert len({r["key"] for r in rows}) == 24
    for key in {r["key"] for r in rows}:
        group = [r for r in rows if r["key"] == key]
        assert len(group) == max(1, int(group[0]["n_findings"]))
    # Cut inside a record's group of rows: the whole record is checked again.
    lines = full.read_bytes().splitlines(keepends=True)
    multi = next(i for i, r in enumerate(rows) if int(r["n_findings"]) > 1)
    part = tmp_path / "part.csv"
    part.write_bytes(b"".join(lines[: multi + 2]))  # header + rows up to the group's first row
    res = scan([str(warc)], output=part, fmt="csv", config=CONFIG, workers=0, resume=True)
    again = list(csv.DictReader(io.StringIO(part.read_text("utf-8"))))
    assert sorted(tuple(r[c] for c in ("key", "rule_id", "fingerprint")) for r in again) == sorted(
        tuple(r[c] for c in ("key", "rule_id", "fingerprint")) for r in rows
    )
    assert res.previous == len({r["key"] for r in rows[:multi]})


def test_killed_scan_resumes_to_the_full_result(tmp_path: Path) -> None:
    pages = [
        (f"https://shop-{i % 9}.vn/p{i}", h) for i, (_, h) in enumerate(shop_pages(12, 40, size=40))
    ]
    warc = write_warc(tmp_path / "big.warc.gz", pages, extras=False)
    out = tmp_path / "out.jsonl"
    cmd = [
        sys.executable,
        "-m",
        "ecomcheck.scan",
        str(warc),
        "-o",
        str(out),
        "-j",
        "2",
        "--as-of",
        AS_OF.isoformat(),
        "-q",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if out.exists() and out.read_bytes().count(b"\n") >= 60:
                break
            time.sleep(0.01)
        children = _children(proc.pid)
        proc.send_signal(signal.SIGKILL)  # the parent only: workers must notice and leave
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    written = out.read_bytes().count(b"\n")
    assert 60 <= written < len(pages), "the scan was not killed halfway"
    assert len(children) >= 2  # the workers (and multiprocessing's resource tracker)
    _wait_gone(children)

    res = subprocess.run([*cmd, "--resume"], capture_output=True, text=True, timeout=120)
    assert res.returncode == 1, res.stderr
    rows = read_jsonl(out)
    assert len(rows) == len(pages) == len({r["key"] for r in rows})
    with warc.open("rb") as fh:
        records = list(iter_warc(fh, str(warc)))
    assert {r["key"] for r in rows} == {r.key for r in records}
    # Results from both runs are right: compare a sample spread over the file.
    checker = Checker(CONFIG)
    sample = [check_record(checker, r) for r in records[::16]]
    got = findings_by_key(rows, "key")
    assert {k: got[k] for k in findings_by_key(sample, "key")} == findings_by_key(sample, "key")


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        kids += [int(k) for k in text]
    return kids


def _wait_gone(pids: list[int], timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = []
        for pid in pids:
            try:
                state = Path(f"/proc/{pid}/status").read_text()
            except FileNotFoundError:
                continue
            if "\nState:\tZ" not in state:
                alive.append(pid)
        if not alive:
            return
        time.sleep(0.1)
    raise AssertionError(f"worker processes outlived their parent: {alive}")


# ------------------------------------------------------------------------ summary and CLI


def test_summary_per_site_and_prevalence() -> None:
    s = SweepSummary()
    s.add("a.vn", "fail", [("policy.returns", "fail", "medium")])
    s.add("a.vn", "pass", [])
    s.add("b.vn", "needs_review", [("origin.missing", "needs_review", "low")])
    s.add("c.vn", "not_assessed", [])
    s.add(
        "d.vn",
        "fail",
        [("policy.returns", "fail", "medium"), ("contact.no_address", "fail", "info")],
    )
    d = s.to_dict()
    assert d["sites"] == {"total": 4, "flagged": 2, "not_flagged": 1, "not_assessable": 1}
    assert d["prevalence"] == [
        {
            "rule_id": "policy.returns",
            "sites": 2,
            "share_of_assessable_sites": round(2 / 3, 4),
            "records": 2,
        }
    ]  # contact.no_address is below fail_on=low
    assert d["per_site"]["a.vn"] == {
        "verdict": "flagged",
        "records": 2,
        "flagged": 1,
        "to_review": 0,
        "clean": 1,
        "not_assessed": 0,
        "rules": {"policy.returns": 1},
    }
    assert d["per_site"]["b.vn"]["verdict"] == "not_flagged"
    assert d["per_site"]["c.vn"]["verdict"] == "not_assessable"
    text = s.render_text()
    assert "Sites: 4 checked: 2 flagged (50%)" in text and "policy.returns" in text


def _run_cli(*argv: str) -> subprocess.CompletedProcess[str]:
    r = subprocess.run(
        [sys.executable, "-m", "ecomcheck.scan", *argv], capture_output=True, timeout=120
    )
    # Decoded by hand: text mode would turn the progress line's "\r" into "\n".
    return subprocess.CompletedProcess(r.args, r.returncode, r.stdout.decode(), r.stderr.decode())


def test_cli_exit_codes_summary_and_progress(tmp_path: Path, warc: Path) -> None:
    summary = tmp_path / "s.json"
    r = _run_cli(
        str(warc), "-j", "1", "--as-of", "2026-11-29", "--summary", str(summary), "--progress"
    )
    assert r.returncode == 1
    rows = [json.loads(line) for line in r.stdout.splitlines()]  # stdout is pure JSON Lines
    assert len(rows) == 24
    assert "\r[" in r.stderr and "/s" in r.stderr and "ETA" in r.stderr  # progress on stderr
    assert "100%  24 records" in r.stderr
    assert "Sites: 8 checked: 7 flagged" in r.stderr
    data = json.loads(summary.read_text())
    assert data["sites"]["flagged"] == 7 and data["run"]["checked"] == 24
    assert data["per_site"]["shop-0.vn"]["verdict"] == "not_flagged"

    r = _run_cli(str(warc), "-j", "0", "--select", "contact.no_address", "-q", "--no-progress")
    assert r.returncode == 0 and r.stderr == ""
    r = _run_cli(str(warc), "-j", "0", "--fail-on", "critical", "-q")
    assert r.returncode == 0
    r = _run_cli(str(tmp_path / "missing.warc.gz"))
    assert r.returncode == 2 and "no such file" in r.stderr
    r = _run_cli(str(warc), "--select", "no.such.rule")
    assert r.returncode == 2


def test_add_parser_wires_scan_into_a_cli(tmp_path: Path, warc: Path) -> None:
    p = argparse.ArgumentParser(prog="ecomcheck")
    sub = p.add_subparsers(dest="command", required=True)
    scanmod.add_parser(sub)
    out = tmp_path / "o.csv"
    args = p.parse_args(
        ["scan", str(warc), "-o", str(out), "-j", "0", "-q", "--as-of", "2026-11-29"]
    )
    assert args.func is scanmod.run
    assert args.func(args) == 1
    assert out.read_text("utf-8").startswith(",".join(FLAT_COLUMNS))
