"""The three ways of checking at scale find the same things on the same pages.

A shop is served on 127.0.0.1 and crawled with Scrapy (the example spider and the
item pipeline); the same responses are written to a WARC, which ``ecomcheck scan``
checks on every core and the PySpark job checks in local mode. For every page URL,
the sets of (rule id, fingerprint, outcome) must be identical across the three, and
identical to checking the page directly.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("warcio")
pytest.importorskip("scrapy")

from ecomcheck import Checker, Config
from ecomcheck.scan import FLAT_COLUMNS
from scale_corpus import run_crawl, serve, shop_pages, write_warc

AS_OF = "2026-11-29"
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "scrapy_spider.py"
Found = dict[str, set[tuple[str, str, str]]]


@pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs a Java runtime")
def test_scrapy_scan_and_spark_produce_the_same_findings(tmp_path: Path) -> None:
    pytest.importorskip("pyspark")
    pq = pytest.importorskip("pyarrow.parquet")
    from ecomcheck.integrations.spark import JobOptions, run_job, spark_session

    paths = shop_pages(8, 4, seed=11)
    with serve(paths) as base:
        # Checks in two processes, as a crawl that uses both cores would.
        settings = {"ECOMCHECK_AS_OF": AS_OF, "ECOMCHECK_PROCESSES": 2}
        items, stats = run_crawl(
            tmp_path, EXAMPLE, "ShopSpider", settings, {"start_url": base + "/"}
        )
        pages = [(base + p, html) for p, html in paths]
    urls = {u for u, _ in pages}

    # 1. Scrapy: the findings attached to the crawled items.
    by_scrapy: Found = {
        i["url"]: {
            (f["rule_id"], f["fingerprint"], f["outcome"]) for f in i["ecomcheck"]["findings"]
        }
        for i in items
        if i["url"] in urls
    }

    # 2. ecomcheck scan over a WARC of the same responses, on every core.
    warc = write_warc(tmp_path / "crawl.warc.gz", pages)
    out = tmp_path / "scan.jsonl"
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "ecomcheck.scan",
            str(warc),
            "-o",
            str(out),
            "-j",
            "2",
            "--as-of",
            AS_OF,
            "-q",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 1, r.stderr
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    by_scan: Found = {
        row["url"]: {(f["rule_id"], f["fingerprint"], f["outcome"]) for f in row["findings"]}
        for row in rows
    }
    scan_records = {
        row["url"]: {e["record"] for f in row["findings"] for e in f["evidence"][:1]}
        for row in rows
    }

    # 3. The Spark job over the same WARC, in local mode.
    listing = tmp_path / "warc.paths"
    listing.write_text(f"{warc}\n")
    parquet = tmp_path / "findings.parquet"
    config = Config(as_of=dt.date.fromisoformat(AS_OF))
    run_job(
        spark_session("local[2]", quick_start=True),
        str(listing),
        str(parquet),
        options=JobOptions(config=config),
        num_input_partitions=1,
        num_output_partitions=1,
    )
    by_spark: Found = {}
    spark_records: dict[str, set[str]] = {}
    for row in pq.read_table(parquet, columns=list(FLAT_COLUMNS)).to_pylist():
        found = by_spark.setdefault(row["url"], set())
        records = spark_records.setdefault(row["url"], set())
        if row["rule_id"] is not None:
            found.add((row["rule_id"], row["fingerprint"], row["outcome"]))
            if row["record"] is not None:
                records.add(row["record"])

    # The reference: each page checked directly.
    checker = Checker(config)
    direct: Found = {}
    for url, html in pages:
        report = checker.check_page(html, url=url, content_type="text/html; charset=utf-8")
        direct[url] = {(f.rule_id, f.fingerprint, f.outcome.value) for f in report.findings}

    assert stats["ecomcheck/checked"] == len(items)
    assert set(by_scrapy) == set(by_scan) == set(by_spark) == urls
    assert by_scrapy == by_scan == by_spark == direct
    # Non-trivial: several rules fire, some pages are clean.
    assert len({rule for found in direct.values() for rule, _, _ in found}) >= 8
    assert any(not found for found in direct.values())
    # Both archive readers point findings at the same WARC records.
    assert scan_records == spark_records
    assert all(rec.startswith(f"{warc}#") for recs in scan_records.values() for rec in recs)
