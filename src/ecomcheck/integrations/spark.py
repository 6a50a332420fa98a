r"""A PySpark job that checks the HTML pages of WARC files and writes findings as Parquet.

Modelled on Common Crawl's cc-pyspark jobs: the input is a text file listing WARC
paths or URLs, one per line; it is split into input partitions; each task opens its
WARC files, iterates their records and yields rows, with accumulators counting the
WARC files processed and failed and the records read. An invalid or unreachable
WARC is logged and counted, never fatal.

Every page goes through :func:`ecomcheck.scan.check_record` (the function
``ecomcheck scan`` runs) with a :class:`~ecomcheck.engine.Checker` built once per
Python worker, and comes out as the flat rows of :func:`ecomcheck.scan.flat_rows`:
one row per finding, or one row for a page without findings, with
``source``/``offset``/``length`` pointing at the WARC record.

Local run (every core of this machine)::

    python -m ecomcheck.integrations.spark --master 'local[*]' warc.paths out.parquet

On a cluster, ship a packed virtual environment with ecomcheck installed and submit
this file::

    spark-submit --master yarn --archives ecomcheck-env.tar.gz#env \
        --conf spark.pyspark.python=./env/bin/python \
        "$(python -c 'import ecomcheck.integrations.spark as m; print(m.__file__)')" \
        --input-base-url https://data.commoncrawl.org/ --num-input-partitions 400 \
        hdfs:///user/me/warc.paths hdfs:///user/me/ecomcheck-findings/

Paths in the list may be local paths, ``file://`` URIs or ``http(s)://`` URLs
(relative ones are prefixed with ``--input-base-url``, e.g.
``https://data.commoncrawl.org/``); the output may be any path Spark can write.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import shutil
import sys
import tempfile
import urllib.request
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from ecomcheck._cli_args import iso_date
from ecomcheck.config import Config
from ecomcheck.scan import (
    DEFAULT_MAX_BYTES,
    DEFAULT_TIME_BUDGET,
    FLAT_COLUMNS,
    WarcCounters,
    check_record,
    flat_rows,
    iter_warc,
)

if TYPE_CHECKING:
    from ecomcheck.engine import Checker

__all__ = [
    "JobOptions",
    "main",
    "output_schema",
    "process_warcs",
    "run_job",
    "spark_session",
]

log = logging.getLogger("ecomcheck.spark")

_INT_COLUMNS = frozenset({"offset", "length", "bytes", "n_findings"})
_FLOAT_COLUMNS = frozenset({"ms"})


@dataclass(frozen=True)
class JobOptions:
    """What every task needs; shipped to the executors with the job.

    Attributes:
        config: Rule selection, language and legal date.
        max_bytes: Size budget of one record.
        time_budget: Seconds one record may take.
        input_base_url: Prefix for relative paths in the input list.
    """

    config: Config = field(default_factory=Config)
    max_bytes: int = DEFAULT_MAX_BYTES
    time_budget: float | None = DEFAULT_TIME_BUDGET
    input_base_url: str | None = None


class _Counters:
    """Plain counters with the ``add`` method of Spark accumulators."""

    def __init__(self) -> None:
        self.value = 0

    def add(self, n: int) -> None:
        self.value += n


# One checker per Python worker process: Spark reuses its Python workers across
# tasks, so rules are compiled once per executor core, not once per partition.
_CHECKERS: dict[str, Checker] = {}


def _checker(config: Config) -> Checker:
    from ecomcheck.engine import Checker

    key = config.model_dump_json()
    if key not in _CHECKERS:
        _CHECKERS[key] = Checker(config)
    return _CHECKERS[key]


def _resolve(uri: str, base: str | None) -> str:
    if base and "://" not in uri and not os.path.isabs(uri):
        return base.rstrip("/") + "/" + uri.lstrip("/")
    return uri


@contextlib.contextmanager
def _open(uri: str) -> Iterator[IO[bytes]]:
    if uri.startswith(("http://", "https://")):
        # Buffer to disk like cc-pyspark: record offsets need a seekable, tellable stream.
        with tempfile.TemporaryFile() as tmp, urllib.request.urlopen(uri, timeout=60) as resp:
            shutil.copyfileobj(resp, tmp, 1 << 20)
            tmp.seek(0)
            yield tmp
        return
    path = uri.removeprefix("file://") if uri.startswith("file://") else uri
    with open(path, "rb") as fh:
        yield fh


def process_warcs(
    uris: Iterable[str],
    options: JobOptions,
    *,
    warc_processed: Any = None,
    warc_failed: Any = None,
    records_processed: Any = None,
) -> Iterator[tuple[Any, ...]]:
    """Check the HTML pages of WARC files; yield one flat row per finding.

    This is the body of a Spark partition, and plain Python: it runs without Spark.

    Args:
        uris: WARC paths or URLs (one partition's share of the input list).
        options: Budgets, rule configuration and the base URL for relative paths.
        warc_processed: Counter (a Spark accumulator) of WARC files opened.
        warc_failed: Counter of WARC files that failed (wholly or in part).
        records_processed: Counter of WARC records read.

    Yields:
        Tuples in the order of :data:`ecomcheck.scan.FLAT_COLUMNS`.
    """
    processed = warc_processed or _Counters()
    failed = warc_failed or _Counters()
    records = records_processed or _Counters()
    checker = _checker(options.config)
    for line in uris:
        uri = line.strip()
        if not uri or uri.startswith("#"):
            continue
        processed.add(1)
        source = _resolve(uri, options.input_base_url)
        counts = WarcCounters()
        try:
            with _open(source) as stream:
                for rec in iter_warc(stream, uri, max_bytes=options.max_bytes, counters=counts):
                    row = check_record(checker, rec, time_budget=options.time_budget)
                    for flat in flat_rows(row):
                        yield tuple(flat[c] for c in FLAT_COLUMNS)
        except Exception as exc:  # an invalid WARC is counted and logged, not fatal
            failed.add(1)
            log.error("invalid or unreadable WARC %s: %s: %s", uri, type(exc).__name__, exc)
        finally:
            records.add(counts.records)


def output_schema() -> Any:
    """The Spark schema of the output rows (:data:`ecomcheck.scan.FLAT_COLUMNS`)."""
    from pyspark.sql.types import DoubleType, LongType, StringType, StructField, StructType

    return StructType(
        [
            StructField(
                c,
                LongType()
                if c in _INT_COLUMNS
                else DoubleType()
                if c in _FLOAT_COLUMNS
                else StringType(),
                nullable=True,
            )
            for c in FLAT_COLUMNS
        ]
    )


def spark_session(
    master: str | None = None, app_name: str = "ecomcheck", *, quick_start: bool = False
) -> Any:
    """Get (or create) a Spark session with settings that suit this job.

    A ``local`` master stays on 127.0.0.1 (the driver binds to no other interface)
    and runs without the web UI.

    Args:
        master: Spark master (``local[*]``, ``yarn``…); ``None`` leaves it to
            ``spark-submit`` or the environment.
        app_name: The application's name.
        quick_start: Start the local driver's JVM with the quick (C1-only) JIT: about
            half the start-up time, for tests and small runs. Only applies when this
            call starts the JVM.

    Returns:
        The :class:`pyspark.sql.SparkSession`.
    """
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
        if master.startswith("local"):
            builder = (
                builder.config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
            )
            if quick_start:
                builder = builder.config(
                    "spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
                )
    return builder.getOrCreate()


def run_job(
    spark: Any,
    input_list: str,
    output: str,
    *,
    options: JobOptions | None = None,
    num_input_partitions: int = 400,
    num_output_partitions: int = 10,
    compression: str = "zstd",
    overwrite: bool = False,
) -> dict[str, int]:
    """Run the job: check every WARC named in ``input_list``, write Parquet to ``output``.

    Args:
        spark: A :class:`pyspark.sql.SparkSession`.
        input_list: A text file (any path Spark reads) with one WARC path or URL a line.
        output: Directory of the Parquet output.
        options: Budgets, rule configuration, base URL.
        num_input_partitions: Input splits, i.e. parallel tasks over WARC files.
        num_output_partitions: Parquet files written.
        compression: Parquet codec (``zstd``, ``snappy``, ``gzip``, ``none``).
        overwrite: Replace an existing output.

    Returns:
        The counters: ``warc_processed``, ``warc_failed``, ``records_processed``.
    """
    opts = options or JobOptions()
    sc = spark.sparkContext
    warc_processed = sc.accumulator(0)
    warc_failed = sc.accumulator(0)
    records_processed = sc.accumulator(0)

    def partition(_index: int, uris: Iterable[str]) -> Iterator[tuple[Any, ...]]:
        return process_warcs(
            uris,
            opts,
            warc_processed=warc_processed,
            warc_failed=warc_failed,
            records_processed=records_processed,
        )

    rows = sc.textFile(input_list, minPartitions=num_input_partitions).mapPartitionsWithIndex(
        partition
    )
    df = spark.createDataFrame(rows, schema=output_schema())
    (
        df.coalesce(num_output_partitions)
        .write.mode("overwrite" if overwrite else "errorifexists")
        .option("compression", compression)
        .parquet(output)
    )
    counts = {
        "warc_processed": int(warc_processed.value),
        "warc_failed": int(warc_failed.value),
        "records_processed": int(records_processed.value),
    }
    log.info(
        "WARC files processed = %(warc_processed)d, failed = %(warc_failed)d, "
        "records read = %(records_processed)d",
        counts,
    )
    return counts


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m ecomcheck.integrations.spark",
        description="Check the HTML pages of WARC files with ecomcheck; write findings as Parquet.",
    )
    p.add_argument("input", help="text file with one WARC path or URL per line")
    p.add_argument("output", help="directory of the Parquet output")
    p.add_argument("--master", help="Spark master, e.g. local[*] (default: from spark-submit)")
    p.add_argument("--input-base-url", help="prefix for relative paths in the input list")
    p.add_argument("--num-input-partitions", type=int, default=400)
    p.add_argument("--num-output-partitions", type=int, default=10)
    p.add_argument("--compression", default="zstd", help="Parquet codec (default zstd)")
    p.add_argument("--overwrite", action="store_true", help="replace an existing output")
    p.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES)
    p.add_argument("--time-budget", type=float, default=DEFAULT_TIME_BUDGET)
    p.add_argument("--select", default="", help="rule ids or prefixes to run (comma-separated)")
    p.add_argument("--ignore", default="", help="rule ids or prefixes not to run")
    p.add_argument("--lang", choices=("vi", "en"), default="vi")
    p.add_argument("--as-of", type=iso_date, help="date whose legal regime applies (YYYY-MM-DD)")
    p.add_argument("--log-level", default="WARN")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the job from the command line; return the exit code."""
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    options = JobOptions(
        config=Config(select=args.select, ignore=args.ignore, lang=args.lang, as_of=args.as_of),
        max_bytes=args.max_bytes,
        time_budget=args.time_budget or None,
        input_base_url=args.input_base_url,
    )
    spark = spark_session(args.master)
    spark.sparkContext.setLogLevel(args.log_level.upper())
    try:
        counts = run_job(
            spark,
            args.input,
            args.output,
            options=options,
            num_input_partitions=args.num_input_partitions,
            num_output_partitions=args.num_output_partitions,
            compression=args.compression,
            overwrite=args.overwrite,
        )
    finally:
        spark.stop()
    print(
        f"ecomcheck spark: {counts['warc_processed']} WARC files "
        f"({counts['warc_failed']} failed), {counts['records_processed']} records read",
        file=sys.stderr,
    )
    return 1 if counts["warc_failed"] else 0


if __name__ == "__main__":  # pragma: no cover
    # Run the importable module, not this __main__ copy, so that what is sent to
    # worker processes is pickled by reference to ecomcheck.integrations.spark.
    from ecomcheck.integrations.spark import main as _main

    raise SystemExit(_main())
