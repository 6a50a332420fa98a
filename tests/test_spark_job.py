"""The PySpark job: the partition function alone, then one small job in local mode."""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("warcio")

from ecomcheck import Checker, Config
from ecomcheck.integrations.spark import JobOptions, process_warcs
from ecomcheck.scan import FLAT_COLUMNS, check_record, flat_rows, iter_warc
from scale_corpus import shop_pages, write_warc

CONFIG = Config(as_of=dt.date(2026, 11, 29))


def pages(first: int, n_sites: int) -> list[tuple[str, bytes]]:
    return [
        (f"https://{p.split('/')[1].replace('shop-', f'shop-{first}')}.vn/{p.split('/')[2]}", h)
        for p, h in shop_pages(n_sites, 2, seed=first)
    ]


@pytest.fixture(scope="module")
def warcs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    d = tmp_path_factory.mktemp("warcs")
    return [
        write_warc(d / "a.warc.gz", pages(1, 4)),
        write_warc(d / "b.warc", pages(2, 4), gzip=False),
    ]


def expected_rows(warcs: list[Path]) -> list[tuple[Any, ...]]:
    checker = Checker(CONFIG)
    rows = []
    for w in warcs:
        with w.open("rb") as fh:
            for rec in iter_warc(fh, str(w)):
                rows += [
                    tuple(r[c] for c in FLAT_COLUMNS) for r in flat_rows(check_record(checker, rec))
                ]
    return rows


def identity(rows: list[tuple[Any, ...]]) -> Counter[tuple[Any, ...]]:
    """What must match: the record and each finding, not the timing."""
    cols = [
        FLAT_COLUMNS.index(c)
        for c in (
            "key",
            "url",
            "offset",
            "length",
            "status",
            "rule_id",
            "fingerprint",
            "outcome",
            "record",
        )
    ]
    return Counter(tuple(r[i] for i in cols) for r in rows)


class Acc:
    def __init__(self) -> None:
        self.value = 0

    def add(self, n: int) -> None:
        self.value += n


def test_partition_function_without_spark(warcs: list[Path], tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.warc.gz"
    bogus.write_bytes(b"not a warc at all" * 10)
    processed, failed, records = Acc(), Acc(), Acc()
    uris = [
        "# a comment",
        str(warcs[0]),
        "",
        f"file://{warcs[1]}",
        str(tmp_path / "missing.warc"),
        str(bogus),
    ]
    rows = list(
        process_warcs(
            uris,
            JobOptions(config=CONFIG),
            warc_processed=processed,
            warc_failed=failed,
            records_processed=records,
        )
    )
    assert (processed.value, failed.value) == (4, 2)
    assert records.value > 16  # requests, images and the warcinfo are read too
    got = identity(rows)
    want = identity(expected_rows(warcs))
    # file:// URIs keep their spelling in the output; compare the other file as is.
    assert {k: v for k, v in got.items() if not str(k[0]).startswith("file://")} == {
        k: v for k, v in want.items() if str(k[0]).startswith(str(warcs[0]))
    }
    assert sum(v for k, v in got.items() if str(k[0]).startswith("file://")) == sum(
        v for k, v in want.items() if str(k[0]).startswith(str(warcs[1]))
    )


def test_relative_paths_use_the_base_url(warcs: list[Path]) -> None:
    opts = JobOptions(config=CONFIG, input_base_url=str(warcs[0].parent))
    rows = list(process_warcs([warcs[0].name], opts))
    assert {r[FLAT_COLUMNS.index("source")] for r in rows} == {warcs[0].name}
    assert len({r[FLAT_COLUMNS.index("key")] for r in rows}) == 8


@pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs a Java runtime")
def test_spark_local_job_writes_the_findings_as_parquet(warcs: list[Path], tmp_path: Path) -> None:
    pytest.importorskip("pyspark")
    pq = pytest.importorskip("pyarrow.parquet")
    from ecomcheck.integrations.spark import run_job, spark_session

    listing = tmp_path / "warc.paths"
    listing.write_text(
        "\n".join([str(warcs[0]), str(warcs[1]), str(tmp_path / "missing.warc.gz")]) + "\n"
    )
    out = tmp_path / "findings.parquet"
    spark = spark_session("local[2]", quick_start=True)
    counts = run_job(
        spark,
        str(listing),
        str(out),
        options=JobOptions(config=CONFIG),
        num_input_partitions=2,
        num_output_partitions=1,
    )
    assert counts["warc_processed"] == 3 and counts["warc_failed"] == 1
    table = pq.read_table(out)
    assert table.column_names == list(FLAT_COLUMNS)
    assert str(table.schema.field("offset").type) == "int64"
    rows = [tuple(r[c] for c in FLAT_COLUMNS) for r in table.to_pylist()]
    assert identity(rows) == identity(expected_rows(warcs))
    with pytest.raises(Exception, match="already exists"):
        run_job(
            spark, str(listing), str(out), options=JobOptions(config=CONFIG), num_input_partitions=1
        )
