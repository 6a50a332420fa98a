"""Throughput of checking at scale: one process, ``ecomcheck scan`` on 1..N cores, Spark, Scrapy.

Builds a WARC of seeded shop pages (the product page of ``bench_page.py``, about
55 KB, with one in ten a 360 KB page with reviews and a related grid), each shop
with problems of its own, then measures:

- ``loop``: :func:`ecomcheck.scan.check_record` over the WARC's records in one
  process (the floor: no dispatch at all);
- ``scan -j K`` for K = 1 .. cores: the multi-process scan writing JSON Lines, timed
  over the middle 80% of its results (so the workers' start-up, about a second, is
  left out; it is reported apart), with the peak resident memory of each worker;
- ``--spark``: the PySpark job in ``local[*]`` over the same WARC (after a warm-up
  job, so the JVM's start-up is left out);
- ``--scrapy``: a real Scrapy crawl of the same pages served on 127.0.0.1 with the
  example spider: without the item pipeline (the crawl's own cost), with it checking
  in threads of the crawl's process, and with it checking in one process per core
  (``ECOMCHECK_PROCESSES``).

Usage: ``python benchmarks/bench_scale.py [--pages 600] [--rounds 3] [--spark] [--scrapy]
[--json FILE]``. Rounds are interleaved and the median is reported; the host's speed
drifts, so trust the ratios more than the absolute numbers.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_page import FOOTER, product_page

# The tests' generated-shop helpers (a WARC writer, a 127.0.0.1 server) serve here too.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from ecomcheck import Checker, Config
from ecomcheck.scan import check_record, iter_warc, scan
from scale_corpus import serve, site_urls, write_warc

ROOT = Path(__file__).resolve().parent.parent

# Each shop gets one of these footer edits (old, new); the first leaves it clean.
PROBLEMS: list[list[tuple[str, str]]] = [
    [],
    [("0101248141", "0101248142")],
    [("<p>MST: 0101248141 do Sở Kế hoạch và Đầu tư TP Hà Nội cấp ngày 10/02/2015</p>", "")],
    [("http://online.gov.vn/Home/WebDetails/68464", "#")],
    [("Hotline 0909 123 456", "Hotline 0168 456 7890")],
    [
        ("<a href='/pages/chinh-sach-doi-tra'>Chính sách đổi trả</a>", ""),
        ("<a href='/pages/khieu-nai'>Khiếu nại</a>", ""),
    ],
    [("</footer>", "<p>Hàng rep 1:1 like auth, giá ib shop.</p></footer>")],
]


def shop_pages(n: int, seed: int = 20261129) -> list[tuple[str, bytes]]:
    """``n`` pages over n/20 shops: 9 in 10 about 55 KB, 1 in 10 about 360 KB."""
    rng = random.Random(seed)
    small = product_page(rng, reviews=100, related=30, state=380)
    large = product_page(rng, reviews=800, related=260, state=3200)
    out = []
    for i in range(n):
        shop = i // 20
        html = large if i % 10 == 9 else small
        footer = FOOTER
        for old, new in PROBLEMS[shop % len(PROBLEMS)]:
            footer = footer.replace(old, new)
        html = html.replace(FOOTER, footer).replace("Áo sơ mi nam Oxford", f"Áo sơ mi nam mẫu {i}")
        out.append((f"/shop-{shop}/products/p{i}", html.encode("utf-8")))
    return out


def bench_loop(warc: Path, config: Config) -> float:
    checker = Checker(config)
    with warc.open("rb") as fh:
        records = list(iter_warc(fh, str(warc)))
    t0 = time.perf_counter()
    for r in records:
        check_record(checker, r)
    return len(records) / (time.perf_counter() - t0)


def bench_scan(warc: Path, workers: int, out: Path, config: Config) -> dict[str, Any]:
    """Pages/s of a scan from its first result to its last; start-up and peak RSS apart."""
    stamps: list[float] = []

    class Clock(io.RawIOBase):
        # A sink that notes when each result is written (one write per record).
        def writable(self) -> bool:
            return True

        def write(self, b: Any) -> int:
            stamps.append(time.perf_counter())
            return len(b)

    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    res = scan([str(warc)], output=None, stdout=Clock(), config=config, workers=workers)  # type: ignore[arg-type]
    total = time.perf_counter() - t0
    # Steady state: the middle 80% of the results, past the workers' start-up (they
    # start one after the other) and before the last few records leave cores idle.
    n = len(stamps)
    lo, hi = n // 10, n - 1 - n // 10
    rate = (hi - lo) / (stamps[hi] - stamps[lo])
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime)
    return {
        "pages_per_s": rate,
        "worker_cpu_s": cpu,
        "wall_s": total,
        "startup_s": stamps[0] - t0,
        "peak_rss_mb": [round(k / 1024, 1) for k in res.peak_rss_kb],
        "checked": res.checked,
    }


def bench_scrapy(
    pages: list[tuple[str, bytes]], tmp: Path, check: bool = True, processes: int = 0
) -> dict[str, Any]:
    """A real crawl with the example spider; pages/s from Scrapy's own elapsed time.

    With ``check=False`` the pipeline is switched off: the crawl's own cost. With
    ``processes`` the pipeline checks in that many processes.
    """
    with serve(pages) as base:
        cmd = [
            sys.executable, "-m", "scrapy", "runspider",
            str(ROOT / "examples" / "scrapy_spider.py"),
            "-a", f"start_url={base}/", "-O", str(tmp / "items.jsonl"),
            "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "ROBOTSTXT_OBEY=False",
            "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "-s", "LOG_LEVEL=INFO",
            # The index links every page; links found on the pages lead nowhere here.
            "-s", "DEPTH_LIMIT=1", "-s", "CLOSESPIDER_PAGECOUNT=0",
        ]  # fmt: skip
        if not check:
            cmd += ["-s", "ECOMCHECK_ENABLED=False"]
        cmd += ["-s", f"ECOMCHECK_PROCESSES={processes}"]
        r = subprocess.run(cmd, capture_output=True, text=True, check=False)
    m = re.search(r"'elapsed_time_seconds': ([0-9.]+)", r.stderr)
    n = re.search(r"'item_scraped_count': (\d+)", r.stderr)
    if r.returncode or not m or not n:
        raise RuntimeError(r.stderr[-3000:])
    elapsed, items = float(m.group(1)), int(n.group(1))
    return {"pages_per_s": items / elapsed, "elapsed_s": elapsed, "pages": items}


def bench_spark(warc: Path, tmp: Path, config: Config) -> dict[str, Any]:
    from ecomcheck.integrations.spark import JobOptions, run_job, spark_session

    spark = spark_session("local[*]")
    spark.sparkContext.setLogLevel("ERROR")
    listing = tmp / "warc.paths"
    listing.write_text(f"{warc}\n")
    cores = os.cpu_count() or 1
    opts = JobOptions(config=config)
    # Warm-up: the JVM, the Python workers and the Parquet writer start once.
    run_job(spark, str(listing), str(tmp / "warm"), options=opts, num_input_partitions=1)
    # Several copies of the WARC so that every core gets a partition.
    copies = []
    for i in range(cores):
        c = tmp / f"copy{i}.warc.gz"
        c.write_bytes(warc.read_bytes())
        copies.append(str(c))
    listing.write_text("\n".join(copies) + "\n")
    t0 = time.perf_counter()
    counts = run_job(spark, str(listing), str(tmp / "out"), options=opts,
                     num_input_partitions=cores, num_output_partitions=1)  # fmt: skip
    elapsed = time.perf_counter() - t0
    spark.stop()
    n = counts["records_processed"]
    return {"pages_per_s": n / elapsed, "elapsed_s": elapsed, "pages": n, "cores": cores}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=600)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--spark", action="store_true")
    ap.add_argument("--scrapy", action="store_true")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    cores = (
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    )
    config = Config()
    pages = shop_pages(args.pages)
    result: dict[str, Any] = {"pages": len(pages), "cores": cores}
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        warc = tmp / "shops.warc.gz"
        write_warc(warc, site_urls(pages, "https://shop.example.vn"), extras=False)
        mb = sum(len(h) for _, h in pages) / 1e6
        result["warc_mb"] = round(warc.stat().st_size / 1e6, 1)
        result["html_mb"] = round(mb, 1)
        loops: list[float] = []
        scans: dict[int, list[dict[str, Any]]] = {k: [] for k in range(1, cores + 1)}
        for _ in range(args.rounds):
            loops.append(bench_loop(warc, config))
            for k in scans:
                scans[k].append(bench_scan(warc, k, tmp / "out.jsonl", config))
        loop = statistics.median(loops)
        result["loop_pages_per_s"] = round(loop, 1)
        print(
            f"{len(pages)} pages, {mb:.1f} MB of HTML, WARC {result['warc_mb']} MB, {cores} cores"
        )
        head = f"{'setup':<22} {'pages/s':>9} {'per core':>9} {'speed-up':>9} {'vs loop':>8}"
        print(head + "  peak RSS/worker")
        print(f"{'one process (loop)':<22} {loop:>9.1f} {loop:>9.1f} {'':>9} {1.0:>8.2f}")
        one = statistics.median(r["pages_per_s"] for r in scans[1])
        result["scan"] = {}
        for k, runs in scans.items():
            rate = statistics.median(r["pages_per_s"] for r in runs)
            rss = max(max(r["peak_rss_mb"]) for r in runs)
            startup = statistics.median(r["startup_s"] for r in runs)
            # CPU seconds the workers spent per page (start-up included): other load on
            # the host slows the wall clock but not this.
            cpu_per_page = statistics.median(r["worker_cpu_s"] / r["checked"] for r in runs)
            result["scan"][k] = {
                "pages_per_s": round(rate, 1),
                "per_core": round(rate / k, 1),
                "speedup_vs_1": round(rate / one, 2),
                "peak_rss_mb_per_worker": rss,
                "startup_s": round(startup, 2),
                "pages_per_worker_cpu_s": round(1 / cpu_per_page, 1),
            }
            print(
                f"{f'scan -j {k}':<22} {rate:>9.1f} {rate / k:>9.1f} {rate / one:>9.2f} "
                f"{rate / loop:>8.2f}  {rss:.0f} MB (start-up {startup:.1f} s; "
                f"{1 / cpu_per_page:.1f} pages per worker CPU-second)"
            )
        if args.spark:
            s = bench_spark(warc, tmp, config)
            result["spark"] = s
            rate = s["pages_per_s"]
            print(f"{'spark local[*]':<22} {rate:>9.1f} {rate / s['cores']:>9.1f}")
        if args.scrapy:
            runs = {
                "scrapy crawl alone": bench_scrapy(pages, tmp, check=False),
                "scrapy + check": bench_scrapy(pages, tmp),
                f"scrapy + check ({cores} p)": bench_scrapy(pages, tmp, processes=cores),
            }
            result["scrapy"] = runs
            for name, c in runs.items():
                rate = c["pages_per_s"]
                print(f"{name:<22} {rate:>9.1f}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
