"""Batch checking of saved pages, seller profiles and web archives on every core.

``ecomcheck scan PATH...`` turns its inputs into *records* and checks each with
:func:`check_record`, the one per-record function that the scan, the Spark job
(:mod:`ecomcheck.integrations.spark`) and the Scrapy integration share, so the same
page gives the same findings whichever way it is checked.

Inputs:

- directories (walked recursively, in name order) of HTML files (``.html``,
  ``.htm``, ``.xhtml``, ``.shtml``), seller profiles and archives;
- JSON Lines of seller profiles (``.jsonl``, ``.ndjson``) and JSON documents
  (``.json``), read with :mod:`ecomcheck.profile_io`;
- WARC and ARC files, plain or gzipped (``.warc``, ``.warc.gz``, ``.arc.gz``): every
  ``response`` or ``resource`` record with a 2xx status and an HTML payload.

Each record has a stable key (``file`` for an HTML file, ``file:line`` for a
profile, ``file@offset`` for an archive record) that identifies it across runs:
``--resume`` skips the keys already in the output. Findings from an archive point
at their record (``Evidence.record`` is ``file#offset+length``).

Records are checked by long-lived worker processes, each building its
:class:`~ecomcheck.engine.Checker` once. Every record has a size budget (a larger
record is ``not_assessed`` without being parsed) and a time budget: the worker
interrupts a record that runs over it (``not_assessed``), and a watchdog in the
parent kills and replaces a worker that does not come back in twice the budget, so
one pathological record never stalls or kills the job.

Results are written as they come, one JSON line per record or CSV rows (one per
finding, one for a record without findings), flushed after every record and synced
to disk every few seconds, so a killed run keeps what it wrote.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import multiprocessing
import multiprocessing.connection
import os
import queue
import signal
import sys
import threading
import time
import zlib
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final, Literal, Protocol, cast
from urllib.parse import urlsplit

from ecomcheck._cli_args import iso_date, split_ids
from ecomcheck._stdio import discard_stdout
from ecomcheck.config import Config
from ecomcheck.models import Outcome, Report, RunStatus, Severity, Subject
from ecomcheck.render.messages import render

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.context import SpawnContext, SpawnProcess

    from ecomcheck.engine import Checker
    from ecomcheck.profile import SellerProfile

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_TIME_BUDGET",
    "FLAT_COLUMNS",
    "InputError",
    "Inputs",
    "Record",
    "RecordTimeout",
    "ScanResult",
    "SweepSummary",
    "UsageError",
    "WarcCounters",
    "add_parser",
    "check_record",
    "configure_parser",
    "flat_rows",
    "iter_inputs",
    "iter_warc",
    "main",
    "result_row",
    "run",
    "scan",
    "site_of",
]

#: A record larger than this is ``not_assessed`` without being parsed.
DEFAULT_MAX_BYTES: Final = 8 * 1024 * 1024
#: Seconds one record may take before it is ``not_assessed``.
DEFAULT_TIME_BUDGET: Final = 30.0

HTML_SUFFIXES: Final = (".html", ".htm", ".xhtml", ".shtml")
WARC_SUFFIXES: Final = (".warc", ".warc.gz", ".arc", ".arc.gz")
JSONL_SUFFIXES: Final = (".jsonl", ".ndjson", ".jsonlines")
JSON_SUFFIXES: Final = (".json",)
_HTML_TYPES: Final = ("text/html", "application/xhtml+xml")

#: Columns of the flat (one row per finding) form used by CSV and Parquet output.
FLAT_COLUMNS: Final = (
    "key",
    "source",
    "offset",
    "length",
    "url",
    "site",
    "kind",
    "date",
    "status",
    "reason",
    "page_kind",
    "sha256",
    "bytes",
    "ms",
    "n_findings",
    "rule_id",
    "category",
    "outcome",
    "severity",
    "confidence",
    "fingerprint",
    "message_id",
    "message",
    "matched",
    "selector",
    "pointer",
    "record",
)


class UsageError(Exception):
    """Bad arguments or unreadable input paths (exit code 2)."""


class RecordTimeout(BaseException):
    """A record ran over its time budget.

    Derives from ``BaseException`` so that the checker's containment of failing rules
    (``except Exception``) does not swallow it and carry on with the next rule.
    """


# ----------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class Record:
    """One thing to check: a page or a seller profile, and where it came from.

    Attributes:
        key: Stable identity across runs (``file``, ``file:line``, ``file@offset``).
        source: The input file (or URL) the record was read from.
        kind: ``page`` or ``profile``.
        payload: The page's bytes (pages only).
        profile: The validated seller profile (profiles only).
        url: The page's or profile's URL, if known.
        content_type: The HTTP ``Content-Type`` the page was served with.
        offset: Byte offset of the archive record in ``source``.
        length: Byte length of the archive record in ``source``.
        site_hint: The site to count the record under when its URL says nothing.
        date: When the page was captured (``WARC-Date``), if known.
        sha256: Hash of the input as received (profiles).
        error: Why the record cannot be checked, in English; it is then ``not_assessed``.
        error_id: The message id of ``error``, so the report states it in the
            checker's language (see :meth:`error_text`).
        error_params: The parameters of ``error_id``.
    """

    key: str
    source: str
    kind: Literal["page", "profile"] = "page"
    payload: bytes | None = None
    profile: SellerProfile | None = None
    url: str | None = None
    content_type: str | None = None
    offset: int | None = None
    length: int | None = None
    site_hint: str | None = None
    date: str | None = None
    sha256: str | None = None
    error: str | None = None
    error_id: str | None = None
    error_params: tuple[tuple[str, Any], ...] = ()

    @property
    def pointer(self) -> str:
        """Where the record is, for ``Evidence.record``: ``file#offset+length`` or the key."""
        if self.offset is not None and self.length is not None:
            return f"{self.source}#{self.offset}+{self.length}"
        return self.key

    def error_text(self, lang: str) -> str | None:
        """Return :attr:`error` in ``lang`` (``vi`` or ``en``) when its message id is known."""
        if self.error_id is None:
            return self.error
        return render(lang, self.error_id, dict(self.error_params))


def record_error(message_id: str, **params: Any) -> dict[str, Any]:
    """Return ``Record`` keyword arguments for an unreadable record (see ``*.scan.toml``).

    ``error`` gets the English text for logs; the report renders the id in its language.
    """
    return {
        "error": render("en", message_id, params),
        "error_id": message_id,
        "error_params": tuple(params.items()),
    }


def _reason(checker: Checker, message_id: str, **params: Any) -> str:
    return render(checker.config.lang, message_id, params)


@dataclass(frozen=True, slots=True)
class InputError:
    """An input file that could not be read (wholly or from some point on)."""

    path: str
    reason: str


def site_of(url: str | None) -> str | None:
    """Return the host of a URL without ``www.``, or None."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def _profile_site(profile: SellerProfile | None) -> str | None:
    # A seller on a platform is its own "site": facebook.com/shop-a, not facebook.com.
    if profile is None:
        return None
    url = getattr(profile, "url", None)
    if url:
        try:
            p = urlsplit(str(url))
        except ValueError:
            return str(url)
        host = (p.hostname or "").removeprefix("www.")
        first = p.path.strip("/").split("/", 1)[0]
        return f"{host}/{first}" if first else host or None
    name = getattr(profile, "display_name", None) or getattr(profile, "id", None)
    platform = getattr(profile, "platform", None)
    if name:
        return f"{getattr(platform, 'value', platform) or 'other'}:{name}"
    return None


# ----------------------------------------------------------------- the per-record function


@contextlib.contextmanager
def _deadline(seconds: float | None) -> Iterator[None]:
    """Raise :class:`RecordTimeout` in this thread after ``seconds`` (main thread only).

    A signal timer is the only way to interrupt Python code from within; where it is
    unavailable (Windows, other threads) the caller's own watchdog must do it.
    """
    if (
        not seconds
        or seconds <= 0
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return

    def _expire(signum: int, frame: object) -> None:
        raise RecordTimeout

    previous = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        # The timer is one-shot: once disarmed (or fired) no second alarm can come.
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
        finally:
            signal.signal(signal.SIGALRM, previous)


def _subject_of(record: Record) -> Subject:
    return Subject(kind=record.kind, url=record.url, sha256=record.sha256)


def _check(checker: Checker, record: Record) -> tuple[Report, str | None]:
    """Check one readable record; return the report and the site its content names."""
    if record.kind == "profile":
        if record.profile is None:
            reason = _reason(checker, "scan.no_profile")
            subject = _subject_of(record)
            return checker.not_assessed(subject, reason, reason_id="scan.no_profile"), None
        report = checker.check_profile(record.profile, record=record.pointer, sha256=record.sha256)
        return report, _profile_site(record.profile)
    from ecomcheck.extract.document import PageDocument

    doc = PageDocument.build(
        record.payload or b"", url=record.url, content_type=record.content_type
    )
    # Saved pages often carry their own address; it names the site better than a folder.
    named = None if record.url else site_of(doc.canonical) or site_of(doc.meta.get("og:url"))
    return checker.check_page(doc), named


def check_record(
    checker: Checker,
    record: Record,
    *,
    time_budget: float | None = None,
    full_report: bool = False,
) -> dict[str, Any]:
    """Check one record and return its result row (plain JSON-able data).

    This is the function the scan's workers, the Spark job and the Scrapy
    integration all call, so one page gives one result whichever way it came.

    Args:
        checker: A checker built once per process and reused.
        record: The record; one with ``error`` set is ``not_assessed`` unchecked.
        time_budget: Seconds the check may take; when over, the record is
            ``not_assessed``. Enforced only in a process's main thread (a signal
            timer); elsewhere the caller enforces it.
        full_report: Add the whole report under ``"report"``.

    Returns:
        The result row: the record's place (``key``, ``source``, ``offset``,
        ``length``, ``url``, ``site``), ``status`` and ``reason``, ``page_kind``,
        ``sha256``, ``bytes``, ``ms`` and the compact ``findings``.
    """
    t0 = time.perf_counter()
    named: str | None = None
    if record.error is not None:
        reason = record.error_text(checker.config.lang) or record.error
        report = checker.not_assessed(_subject_of(record), reason)
    else:
        try:
            with _deadline(time_budget):
                report, named = _check(checker, record)
        except RecordTimeout:
            params = {"seconds": f"{time_budget:g}"}
            reason = _reason(checker, "scan.time_budget", **params)
            report = checker.not_assessed(
                _subject_of(record), reason, reason_id="scan.time_budget", reason_params=params
            )
        except Exception as exc:
            # One unreadable record must not fail a Spark task or kill a worker.
            if checker.config.strict:
                raise
            detail = f"{type(exc).__name__}: {exc}"
            reason = _reason(checker, "scan.check_failed", detail=detail)
            report = checker.not_assessed(_subject_of(record), reason[:500])
    ms = (time.perf_counter() - t0) * 1000.0
    return result_row(report, record, ms=ms, site=named, full_report=full_report)


def result_row(
    report: Report,
    record: Record,
    *,
    ms: float | None = None,
    site: str | None = None,
    full_report: bool = False,
) -> dict[str, Any]:
    """Turn a report into the compact result row of a record.

    Args:
        report: The record's report.
        record: The record it came from; its pointer goes into every evidence item.
        ms: How long the check took.
        site: The site the page's content names (canonical URL), used when the
            record has no URL.
        full_report: Add the whole report under ``"report"``.

    Returns:
        The result row (see :func:`check_record`).
    """
    pointer = record.pointer
    findings: list[dict[str, Any]] = []
    for f in report.findings:
        evidence = []
        for e in f.evidence:
            if e.record is None:
                e.record = pointer
            evidence.append(e.model_dump(mode="json", exclude_none=True, exclude_defaults=True))
        item: dict[str, Any] = {
            "rule_id": f.rule_id,
            "category": f.category.value,
            "outcome": f.outcome.value,
            "severity": f.severity.value,
            "confidence": f.confidence.value,
            "fingerprint": f.fingerprint,
            "message_id": f.message_id,
            "params": f.params,
            "message": f.message,
            "evidence": evidence,
        }
        if f.suppressed:
            item["suppressed"] = True
        findings.append(item)
    url = record.url or report.subject.url
    row: dict[str, Any] = {
        "key": record.key,
        "source": record.source,
        "offset": record.offset,
        "length": record.length,
        "url": url,
        "site": (
            (_profile_site(record.profile) if record.kind == "profile" else site_of(url))
            or site
            or record.site_hint
            or "(unknown)"
        ),
        "kind": record.kind,
        "date": record.date,
        "status": report.status.value,
        "reason": report.reason,
        "page_kind": report.subject.page_kind,
        "sha256": report.subject.sha256,
        "bytes": len(record.payload) if record.payload is not None else None,
        "ms": round(ms, 3) if ms is not None else None,
        "findings": findings,
    }
    if full_report:
        row["report"] = report.model_dump(mode="json")
    return row


def flat_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Flatten a result row to one row per finding (one row when there is none).

    The columns are :data:`FLAT_COLUMNS`; the record's columns repeat on every row
    and ``n_findings`` tells how many rows belong to the record.

    Args:
        result: A row from :func:`check_record`.

    Returns:
        The flat rows, every value a string, an int, a float or None.
    """
    base = {k: result.get(k) for k in FLAT_COLUMNS[:14]}
    findings = result.get("findings") or []
    base["n_findings"] = len(findings)
    if not findings:
        return [{**base, **dict.fromkeys(FLAT_COLUMNS[15:])}]
    rows = []
    for f in findings:
        ev = (f.get("evidence") or [{}])[0]
        rows.append(
            {
                **base,
                "rule_id": f["rule_id"],
                "category": f["category"],
                "outcome": f["outcome"],
                "severity": f["severity"],
                "confidence": f["confidence"],
                "fingerprint": f["fingerprint"],
                "message_id": f["message_id"],
                "message": f["message"],
                "matched": ev.get("matched"),
                "selector": ev.get("selector"),
                "pointer": ev.get("pointer"),
                "record": ev.get("record"),
            }
        )
    return rows


# ------------------------------------------------------------------------ inputs


def _is_html_type(content_type: str | None) -> bool:
    if not content_type:
        return False
    return content_type.split(";", 1)[0].strip().lower() in _HTML_TYPES


def _looks_like_html(head: bytes) -> bool:
    h = head[:1024].lstrip().lower()
    return h.startswith((b"<!doctype html", b"<html")) or b"<html" in h or b"<body" in h


@dataclass
class WarcCounters:
    """Counts kept while reading archives."""

    records: int = 0
    skipped: int = 0


def iter_warc(
    stream: IO[bytes],
    source: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    counters: WarcCounters | None = None,
) -> Iterator[Record]:
    """Read the HTML page records of a WARC (or ARC) stream, plain or gzipped.

    ``response`` records with a 2xx status and ``resource`` records are kept when
    their payload is HTML (by ``Content-Type``, else by the bytes); everything else
    (requests, metadata, images, redirects, revisits) is skipped. Transfer and
    content encodings are undone. A payload over ``max_bytes`` is not kept: its
    record carries an ``error`` and is reported ``not_assessed``.

    Args:
        stream: The archive, opened in binary.
        source: The name findings point at (the path as given).
        max_bytes: Size budget of one payload.
        counters: Updated with the number of records read and skipped.

    Yields:
        One page :class:`Record` per HTML record, with ``offset`` and ``length``.

    Raises:
        warcio.exceptions.ArchiveLoadFailed: The stream is not a WARC/ARC (from
            the point where it stops being one).
    """
    from warcio.archiveiterator import ArchiveIterator

    counts = counters if counters is not None else WarcCounters()
    _check_signature(stream, source)
    it = ArchiveIterator(stream, arc2warc=True)
    for rec in it:
        counts.records += 1
        rec_type = rec.rec_type
        http = rec.http_headers
        if rec_type == "response" and http is not None:
            status = http.get_statuscode() or ""
            if not status.startswith("2"):
                counts.skipped += 1
                continue
            ctype = http.get_header("Content-Type")
        elif rec_type == "resource":
            ctype = rec.rec_headers.get_header("Content-Type")
        else:
            counts.skipped += 1
            continue
        url = rec.rec_headers.get_header("WARC-Target-URI")
        date = rec.rec_headers.get_header("WARC-Date")
        error: dict[str, Any] = {}
        payload: bytes | None
        try:
            payload = rec.content_stream().read(max_bytes + 1)
        except Exception as exc:  # a broken encoding spoils this record only
            error = record_error("scan.payload_undecodable", detail=type(exc).__name__)
            payload = None
        if payload is not None and not _is_html_type(ctype):
            identified = rec.rec_headers.get_header("WARC-Identified-Payload-Type")
            if not (_is_html_type(identified) or (not ctype and _looks_like_html(payload))):
                counts.skipped += 1
                continue
        if payload is not None and len(payload) > max_bytes:
            payload, error = None, record_error("scan.over_size_budget", limit=max_bytes)
        offset = it.get_record_offset()
        length = it.get_record_length()
        yield Record(
            key=f"{source}@{offset}",
            source=source,
            kind="page",
            payload=payload,
            url=url,
            content_type=ctype,
            offset=offset,
            length=length,
            date=date,
            **error,
        )


def _check_signature(stream: IO[bytes], source: str) -> None:
    """Refuse a stream that does not start like a WARC or ARC file.

    warcio reads nearly anything as a (broken) ARC record; checking the first bytes
    turns a mislabelled file into an input error instead of silence.
    """
    from warcio.exceptions import ArchiveLoadFailed

    try:
        pos = stream.tell()
        head = stream.read(4096)
        stream.seek(pos)
    except (OSError, ValueError, io.UnsupportedOperation):
        return  # not seekable: let the reader decide
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(wbits=31).decompress(head, 64)
        except zlib.error as exc:
            raise ArchiveLoadFailed(f"{source}: not a gzipped WARC ({exc})") from exc
    head = head.lstrip(b"\r\n")
    if head and not head.startswith((b"WARC/", b"filedesc://")):
        raise ArchiveLoadFailed(f"{source}: not a WARC or ARC file")


def _kind_by_name(path: str) -> str | None:
    low = path.lower()
    if low.endswith(WARC_SUFFIXES):
        return "warc"
    if low.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if low.endswith(JSON_SUFFIXES):
        return "json"
    if low.endswith(HTML_SUFFIXES):
        return "html"
    return None


def _kind_by_content(path: str) -> str:
    from ecomcheck.profile_io import sniff

    with open(path, "rb") as fh:
        head = fh.read(65536)
        at_eof = not fh.read(1)
    if head.startswith(b"WARC/") or head.startswith(b"\x1f\x8b"):
        return "warc"
    kind = sniff(head, path, at_eof=at_eof)
    return {"page": "html", "json": "json", "jsonl": "jsonl"}.get(kind, "html")


@dataclass(frozen=True, slots=True)
class _InputFile:
    path: str
    kind: str
    size: int
    url: str | None
    site_hint: str | None
    walked: bool = False  # found in a directory, not named on the command line


def _expand(paths: Sequence[str], base_url: str | None) -> list[_InputFile]:
    files: list[_InputFile] = []
    for given in paths:
        p = os.path.normpath(given)
        if os.path.isdir(p):
            for root, dirs, names in os.walk(p):
                dirs.sort()
                for name in sorted(names):
                    full = os.path.join(root, name)
                    kind = _kind_by_name(name)
                    if kind is None or not os.path.isfile(full):
                        continue
                    rel = os.path.relpath(full, p).replace(os.sep, "/")
                    parts = rel.split("/")
                    hint = parts[0] if len(parts) > 1 else os.path.basename(os.path.abspath(p))
                    url = base_url + rel if base_url and kind == "html" else None
                    size = os.path.getsize(full)
                    files.append(_InputFile(full, kind, size, url, hint, walked=True))
        elif os.path.isfile(p):
            try:
                kind = _kind_by_name(p) or _kind_by_content(p)
            except OSError as exc:
                raise UsageError(f"{given}: cannot read ({exc.strerror or exc})") from exc
            name = os.path.basename(p)
            url = base_url + name if base_url and kind == "html" else None
            folder = os.path.basename(os.path.dirname(os.path.abspath(p))) or None
            files.append(_InputFile(p, kind, os.path.getsize(p), url, folder))
        elif os.path.exists(p):
            raise UsageError(f"{given}: not a regular file or directory")
        else:
            raise UsageError(f"{given}: no such file or directory")
    return files


class Inputs:
    """The records of a list of input paths, read lazily, with progress counters.

    Args:
        paths: Files and directories, as given on the command line.
        max_bytes: Size budget of one record.
        base_url: For HTML files: their URL is this prefix plus the file's path
            relative to the directory given (``https://`` for a ``wget -m`` mirror).

    Raises:
        UsageError: A path does not exist or cannot be read.
    """

    def __init__(
        self,
        paths: Sequence[str],
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        base_url: str | None = None,
    ) -> None:
        self.files = _expand(paths, base_url)
        self.max_bytes = max_bytes
        self.total_bytes = sum(f.size for f in self.files)
        self.consumed = 0
        self.errors: list[InputError] = []
        self.warc = WarcCounters()
        self.records = 0

    def __iter__(self) -> Iterator[Record]:
        done = 0
        for f in self.files:
            try:
                with open(f.path, "rb") as fh:
                    for rec in self._read(f, fh):
                        self.consumed = done + _tell(fh)
                        self.records += 1
                        yield rec
            except Exception as exc:  # an unreadable or corrupt file must not end the scan
                self.errors.append(InputError(f.path, _describe(exc)))
            done += f.size
            self.consumed = done

    def _read(self, f: _InputFile, fh: IO[bytes]) -> Iterator[Record]:
        if f.kind == "warc":
            yield from iter_warc(fh, f.path, max_bytes=self.max_bytes, counters=self.warc)
        elif f.kind in ("jsonl", "json"):
            yield from _iter_profiles(f, fh)
        else:
            data = fh.read(self.max_bytes + 1)
            error: dict[str, Any] = {}
            if len(data) > self.max_bytes:
                data, error = b"", record_error("scan.file_over_size_budget", limit=self.max_bytes)
            yield Record(
                key=f.path,
                source=f.path,
                kind="page",
                payload=data,
                url=f.url,
                site_hint=f.site_hint,
                **error,
            )


def _tell(fh: IO[bytes]) -> int:
    try:
        return fh.tell()
    except (OSError, ValueError):
        return 0


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


_NOT_A_PROFILE: Final = ("not a seller profile", "expected a JSON object")


def _iter_profiles(f: _InputFile, fh: IO[bytes]) -> Iterator[Record]:
    from ecomcheck.profile_io import MAX_DOCUMENT_BYTES, iter_document, iter_jsonl

    if f.kind == "jsonl":
        records = iter_jsonl(fh, f.path)
    else:
        data = fh.read(MAX_DOCUMENT_BYTES + 1)
        if len(data) > MAX_DOCUMENT_BYTES:
            raise ValueError(f"JSON document over {MAX_DOCUMENT_BYTES} bytes")
        records = iter_document(data, f.path)
    for pr in records:
        if f.walked and pr.profile is None and (pr.error or "").startswith(_NOT_A_PROFILE):
            continue  # some other JSON file in a folder of saved pages
        yield Record(
            key=pr.where,
            source=f.path,
            kind="profile",
            profile=pr.profile,
            url=str(pr.profile.url) if pr.profile is not None and pr.profile.url else None,
            site_hint=f.site_hint,
            sha256=pr.sha256,
            **(record_error("scan.invalid_record", detail=pr.error) if pr.error else {}),
        )


def iter_inputs(
    paths: Sequence[str], *, max_bytes: int = DEFAULT_MAX_BYTES, base_url: str | None = None
) -> Iterator[Record]:
    """Yield the records of files and directories (see :class:`Inputs`).

    Args:
        paths: Files and directories.
        max_bytes: Size budget of one record.
        base_url: URL prefix for HTML files.

    Yields:
        The records, file by file, in order.
    """
    yield from Inputs(paths, max_bytes=max_bytes, base_url=base_url)


# ----------------------------------------------------------------------- summary


@dataclass
class _Site:
    pages: int = 0
    flagged: int = 0
    review: int = 0
    clean: int = 0
    not_assessed: int = 0
    rules: Counter[str] = field(default_factory=Counter)


class SweepSummary:
    """Per-site and per-rule counts over the results of a sweep.

    A record is *flagged* when it has a ``fail`` finding at or above ``fail_on``,
    *to review* when it has findings but is not flagged, *clean* otherwise, and
    *not assessable* when it was ``not_assessed``. A site is flagged when one of its
    records is, not assessable when none of its records could be assessed, and not
    flagged otherwise. The prevalence of a rule is the share of assessable sites
    with at least one ``fail`` finding of that rule.

    Args:
        fail_on: Lowest severity of a ``fail`` finding that flags a record.
    """

    def __init__(self, fail_on: Severity = Severity.LOW) -> None:
        self.fail_on = fail_on
        self.sites: dict[str, _Site] = {}
        self.records = 0
        self.statuses: Counter[str] = Counter()
        self.rule_pages: Counter[str] = Counter()

    def add(self, site: str, status: str, findings: Sequence[tuple[str, str, str]]) -> None:
        """Count one record.

        Args:
            site: The record's site.
            status: The report status.
            findings: ``(rule_id, outcome, severity)`` of each unsuppressed finding.
        """
        s = self.sites.setdefault(site, _Site())
        self.records += 1
        self.statuses[status] += 1
        s.pages += 1
        if status == RunStatus.NOT_ASSESSED.value:
            s.not_assessed += 1
            return
        failing = {
            rule
            for rule, outcome, sev in findings
            if outcome == Outcome.FAIL.value and Severity(sev).rank >= self.fail_on.rank
        }
        if failing:
            s.flagged += 1
            s.rules.update(failing)
            self.rule_pages.update(failing)
        elif findings:
            s.review += 1
        else:
            s.clean += 1

    def add_result(self, result: dict[str, Any]) -> None:
        """Count one result row of :func:`check_record`."""
        self.add(
            str(result.get("site") or "(unknown)"),
            str(result.get("status")),
            [
                (f["rule_id"], f["outcome"], f["severity"])
                for f in result.get("findings") or []
                if not f.get("suppressed")
            ],
        )

    @property
    def flagged_records(self) -> int:
        """Number of records with a fail finding at or above ``fail_on``."""
        return sum(s.flagged for s in self.sites.values())

    def to_dict(self) -> dict[str, Any]:
        """Return the summary as JSON-able data."""
        assessable = [n for n, s in self.sites.items() if s.pages > s.not_assessed]
        flagged = [n for n, s in self.sites.items() if s.flagged]
        prevalence = Counter(r for n in assessable for r in self.sites[n].rules)
        return {
            "fail_on": self.fail_on.value,
            "records": self.records,
            "records_by_status": dict(sorted(self.statuses.items())),
            "sites": {
                "total": len(self.sites),
                "flagged": len(flagged),
                "not_flagged": len(assessable) - len(flagged),
                "not_assessable": len(self.sites) - len(assessable),
            },
            "prevalence": [
                {
                    "rule_id": rule,
                    "sites": n,
                    "share_of_assessable_sites": round(n / len(assessable), 4),
                    "records": self.rule_pages[rule],
                }
                for rule, n in sorted(prevalence.items(), key=lambda kv: (-kv[1], kv[0]))
            ],
            "per_site": {
                name: {
                    "verdict": _verdict(s),
                    "records": s.pages,
                    "flagged": s.flagged,
                    "to_review": s.review,
                    "clean": s.clean,
                    "not_assessed": s.not_assessed,
                    "rules": dict(sorted(s.rules.items())),
                }
                for name, s in sorted(self.sites.items())
            },
        }

    def render_text(self, max_sites: int = 30) -> str:
        """Render the summary as a short plain-text table."""
        d = self.to_dict()
        sites = d["sites"]
        total = sites["total"]
        pct = f" ({sites['flagged'] / total:.0%})" if total else ""
        lines = [
            f"Sites: {total} checked: {sites['flagged']} flagged{pct}, "
            f"{sites['not_flagged']} not flagged, {sites['not_assessable']} not assessable "
            f"(flagged = a fail finding at or above {self.fail_on.value})",
        ]
        if self.sites:
            width = min(40, max(len(n) for n in self.sites))
            lines.append(
                f"{'site':<{width}}  {'records':>7}  {'flagged':>7}  {'review':>6}  "
                f"{'clean':>5}  {'n/a':>4}  verdict"
            )
            ordered = sorted(self.sites.items(), key=lambda kv: (-kv[1].flagged, kv[0]))
            for name, s in ordered[:max_sites]:
                lines.append(
                    f"{name[:width]:<{width}}  {s.pages:>7}  {s.flagged:>7}  {s.review:>6}  "
                    f"{s.clean:>5}  {s.not_assessed:>4}  {_verdict(s)}"
                )
            if len(ordered) > max_sites:
                lines.append(f"… and {len(ordered) - max_sites} more sites (see --summary)")
        if d["prevalence"]:
            lines.append("Prevalence (assessable sites with a fail finding of the rule):")
            rw = max(len(p["rule_id"]) for p in d["prevalence"])
            for p in d["prevalence"]:
                lines.append(
                    f"  {p['rule_id']:<{rw}}  {p['sites']:>5} sites  "
                    f"{p['share_of_assessable_sites']:>6.1%}  {p['records']:>6} records"
                )
        return "\n".join(lines) + "\n"


def _verdict(s: _Site) -> str:
    if s.flagged:
        return "flagged"
    if s.pages == s.not_assessed:
        return "not_assessable"
    return "not_flagged"


# ----------------------------------------------------------------------- output


class _Writer(Protocol):
    def write(self, result: dict[str, Any]) -> None: ...
    def close(self) -> None: ...


class _StreamWriter:
    """Streams results as JSON lines or CSV rows; flushes each record, syncs every few s."""

    SYNC_EVERY: Final = 2.0

    def __init__(self, stream: IO[bytes], fmt: str, *, header: bool, fsync: bool) -> None:
        self.stream = stream
        self.fmt = fmt
        self.fsync = fsync
        self._last_sync = time.monotonic()
        if fmt == "csv" and header:
            self._put(_csv_text([list(FLAT_COLUMNS)]))

    def write(self, result: dict[str, Any]) -> None:
        if self.fmt == "csv":
            rows = flat_rows(result)
            text = _csv_text([[_csv_value(r[c]) for c in FLAT_COLUMNS] for r in rows])
        else:
            text = json.dumps(result, ensure_ascii=False, separators=(",", ":"), default=str)
            text += "\n"
        self._put(text)

    def _put(self, text: str) -> None:
        # One write per record, then flush: a killed run loses at most the record being written.
        self.stream.write(text.encode("utf-8"))
        self.stream.flush()
        if self.fsync and time.monotonic() - self._last_sync > self.SYNC_EVERY:
            self._sync()

    def _sync(self) -> None:
        with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
            os.fsync(self.stream.fileno())
        self._last_sync = time.monotonic()

    def close(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.stream.flush()
        if self.fsync:
            self._sync()


def _csv_value(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, str):
        # One row per line, so a resumed run can cut a torn last record by lines.
        return v.replace("\r", " ").replace("\n", " ")
    return v


def _csv_text(rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


@dataclass
class _Previous:
    """What an earlier run left in the output: its complete records."""

    keys: set[str] = field(default_factory=set)
    results: list[dict[str, Any]] = field(default_factory=list)
    good_end: int = 0
    torn: bool = False


def _read_previous_jsonl(path: Path) -> _Previous:
    prev = _Previous()
    pos = 0
    with path.open("rb") as fh:
        for line in fh:
            end = pos + len(line)
            pos = end
            if not line.endswith(b"\n"):
                prev.torn = True
                break
            if not line.strip():
                prev.good_end = end
                continue
            try:
                row = json.loads(line)
            except ValueError:
                prev.torn = True
                continue
            if isinstance(row, dict) and isinstance(row.get("key"), str):
                prev.keys.add(row["key"])
                prev.results.append(_lite(row))
                prev.good_end = end
    return prev


def _lite(row: dict[str, Any]) -> dict[str, Any]:
    # Keep only what the summary and the exit code need: resumed sweeps can be large.
    return {
        "site": row.get("site"),
        "status": row.get("status"),
        "findings": [
            {
                "rule_id": f.get("rule_id"),
                "outcome": f.get("outcome"),
                "severity": f.get("severity"),
                "suppressed": f.get("suppressed", False),
            }
            for f in row.get("findings") or []
        ],
    }


def _read_previous_csv(path: Path) -> _Previous:
    prev = _Previous()
    header = _csv_text([list(FLAT_COLUMNS)]).encode("utf-8")
    pos = 0
    group: list[dict[str, str]] = []
    with path.open("rb") as fh:
        first = fh.readline()
        if not first:
            return prev
        if first != header:
            if not header.startswith(first):
                raise UsageError(f"{path}: not a CSV written by 'ecomcheck scan'")
            prev.torn = True
            return prev
        pos = prev.good_end = len(first)
        for line in fh:
            pos += len(line)
            if not line.endswith(b"\n"):
                prev.torn = True
                break
            try:
                values = next(csv.reader([line.decode("utf-8")]))
                row = dict(zip(FLAT_COLUMNS, values, strict=True))
                want = max(1, int(row["n_findings"] or 0))
            except (ValueError, StopIteration, UnicodeDecodeError):
                prev.torn = True
                break
            if group and group[0]["key"] != row["key"]:
                group = []  # the previous record was torn; it was never complete
            group.append(row)
            if len(group) == want:
                prev.keys.add(row["key"])
                prev.results.append(
                    {
                        "site": row["site"],
                        "status": row["status"],
                        "findings": [
                            {
                                "rule_id": g["rule_id"],
                                "outcome": g["outcome"],
                                "severity": g["severity"],
                            }
                            for g in group
                            if g["rule_id"]
                        ],
                    }
                )
                prev.good_end = pos
                group = []
    if group:
        prev.torn = True
    return prev


# ----------------------------------------------------------------------- workers

RecordFn = Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class _WorkerInit:
    config: Config
    time_budget: float | None
    full_report: bool
    record_fn: RecordFn | None


def _peak_rss_kb() -> int:
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return 0
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _worker_main(tasks: Connection, results: Connection, init: _WorkerInit) -> None:
    """Worker process: build the checker once, then check records until told to stop."""
    # Ctrl-C goes to the whole process group; the parent alone decides what to do.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from ecomcheck.engine import Checker

    checker = Checker(init.config)
    fn = init.record_fn or check_record
    results.send(("ready", os.getpid(), _peak_rss_kb()))
    while True:
        try:
            record = tasks.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        if record is None:
            results.send(("bye", os.getpid(), _peak_rss_kb()))
            return
        result = fn(checker, record, time_budget=init.time_budget, full_report=init.full_report)
        results.send(("done", result, _peak_rss_kb()))


class _Worker:
    """One worker process, its two pipes and a thread that feeds it.

    The feeding thread lets the parent hand over the next record while the worker is
    still busy (so the worker never waits for it) without ever blocking the parent
    on a full pipe.
    """

    def __init__(self, ctx: SpawnContext, init: _WorkerInit) -> None:
        task_r, task_w = ctx.Pipe(duplex=False)
        result_r, result_w = ctx.Pipe(duplex=False)
        self.proc: SpawnProcess = ctx.Process(
            target=_worker_main, args=(task_r, result_w, init), daemon=True, name="ecomcheck-scan"
        )
        self.proc.start()
        task_r.close()
        result_w.close()
        self.tasks = task_w
        self.conn = result_r
        self.ready = False
        self.inflight: deque[Record] = deque()  # sent and not answered, oldest first
        self.started = 0.0  # when the oldest in-flight record started
        self.peak_rss_kb = 0
        self._outbox: queue.SimpleQueue[Record | None] = queue.SimpleQueue()
        self._feeder = threading.Thread(target=self._feed, daemon=True, name="ecomcheck-feed")
        self._feeder.start()

    def _feed(self) -> None:
        while True:
            item = self._outbox.get()
            try:
                self.tasks.send(item)
            except (OSError, ValueError):
                return  # the worker is gone; the parent notices on its side
            if item is None:
                return

    def send(self, record: Record) -> None:
        if not self.inflight:
            self.started = time.monotonic()
        self.inflight.append(record)
        self._outbox.put(record)

    def done(self) -> None:
        self.inflight.popleft()
        if self.inflight:
            self.started = time.monotonic()

    def stop(self) -> None:
        self._outbox.put(None)

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.proc.kill()
        self.proc.join(5)
        self._outbox.put(None)
        for c in (self.tasks, self.conn):
            with contextlib.suppress(Exception):
                c.close()


class _Pool:
    """Long-lived workers with a watchdog; each has one record running and one queued.

    At most one record waits behind the running one, so a worker the watchdog kills
    takes only its running record with it; the queued one is checked elsewhere.
    """

    DEPTH: Final = 2

    def __init__(self, n: int, init: _WorkerInit, hard_limit: float | None) -> None:
        self.ctx = multiprocessing.get_context("spawn")
        self.init = init
        self.hard_limit = hard_limit
        self.workers = [_Worker(self.ctx, init) for _ in range(n)]
        self.restarts = 0
        self.peak_rss_kb: list[int] = []
        self.pending: deque[Record] = deque()

    def run(self, records: Iterator[Record], tick: Callable[[], None]) -> Iterator[dict[str, Any]]:
        pending = self.pending
        exhausted = False
        while True:
            while not exhausted and len(pending) < len(self.workers) * self.DEPTH:
                nxt = next(records, None)
                if nxt is None:
                    exhausted = True
                else:
                    pending.append(nxt)
            for w in self.workers:
                while w.ready and len(w.inflight) < self.DEPTH and pending:
                    w.send(pending.popleft())
            if exhausted and not pending and not any(w.inflight for w in self.workers):
                break
            handles: list[Any] = [w.conn for w in self.workers]
            handles += [w.proc.sentinel for w in self.workers]
            ready = set(multiprocessing.connection.wait(handles, timeout=0.25))
            for i, w in enumerate(list(self.workers)):
                if w.conn in ready:
                    try:
                        msg = w.conn.recv()
                    except (EOFError, OSError):
                        yield from self._replace(i, w, "scan.worker_died")
                        continue
                    yield from self._handle(w, msg)
                elif w.proc.sentinel in ready:
                    # Exited without a word: a crash (segfault, out of memory).
                    yield from self._replace(i, w, "scan.worker_died")
            if self.hard_limit is not None:
                now = time.monotonic()
                for i, w in enumerate(list(self.workers)):
                    if w.inflight and now - w.started > self.hard_limit:
                        yield from self._replace(
                            i, w, "scan.worker_time_budget", seconds=f"{self.hard_limit:g}"
                        )
            tick()

    def _handle(self, w: _Worker, msg: tuple[Any, ...]) -> Iterator[dict[str, Any]]:
        kind = msg[0]
        w.peak_rss_kb = max(w.peak_rss_kb, int(msg[2]))
        if kind == "ready":
            w.ready = True
        elif kind == "done":
            w.done()
            yield msg[1]

    def _replace(
        self, i: int, w: _Worker, message_id: str, **params: Any
    ) -> Iterator[dict[str, Any]]:
        w.kill()
        code = w.proc.exitcode
        if not w.ready:
            raise RuntimeError(f"a scan worker failed to start (exit code {code})")
        self.peak_rss_kb.append(w.peak_rss_kb)
        self.restarts += 1
        self.workers[i] = _Worker(self.ctx, self.init)
        if w.inflight:
            lost = w.inflight.popleft()
            # Records queued behind the lost one go back to the front of the line.
            self.pending.extendleft(reversed(w.inflight))
            yield _failed_result(lost, self.init.config, message_id, code=code, **params)

    def close(self) -> None:
        for w in self.workers:
            if w.proc.is_alive() and w.ready and not w.inflight:
                w.stop()
        for w in self.workers:
            if w.proc.is_alive() and w.ready and not w.inflight:
                with contextlib.suppress(Exception):
                    if w.conn.poll(5):
                        msg = w.conn.recv()
                        w.peak_rss_kb = max(w.peak_rss_kb, int(msg[2]))
                w.proc.join(2)
            # Still starting, busy (an interrupted scan) or not leaving: stop it now.
            if w.proc.is_alive():
                w.kill()
            else:
                w.stop()
            self.peak_rss_kb.append(w.peak_rss_kb)


_PARENT_CHECKER: list[Checker] = []


def _failed_result(
    record: Record, config: Config, message_id: str, **params: Any
) -> dict[str, Any]:
    """The result of a record whose worker was lost: ``not_assessed``, built in the parent."""
    from ecomcheck.engine import Checker

    if not _PARENT_CHECKER or _PARENT_CHECKER[0].config != config:
        _PARENT_CHECKER[:] = [Checker(config)]
    reason = render(config.lang, message_id, params)
    report = _PARENT_CHECKER[0].not_assessed(
        _subject_of(record), reason, reason_id=message_id, reason_params=params
    )
    return result_row(report, record)


# ----------------------------------------------------------------------- progress


class _Progress:
    """A one-line progress display on stderr: records, rate, share of bytes and ETA."""

    INTERVAL: Final = 0.25

    def __init__(self, inputs: Inputs, enabled: bool, stream: IO[str]) -> None:
        self.inputs = inputs
        self.enabled = enabled
        self.stream = stream
        self.t0 = time.monotonic()
        self.last = 0.0
        self.done = 0
        self.skipped = 0
        self.shown = False
        # Input bytes behind the records finished so far, and where checking began
        # (records a resumed run skips go by fast and must not inflate the rate).
        self.position = 0
        self.start: tuple[float, int, int] | None = None

    def finished(self, position: int) -> None:
        if self.start is None:
            # The clock starts at the first result, after the workers' start-up.
            self.start = (time.monotonic(), self.done, self.position)
        self.done += 1
        self.position = max(self.position, position)

    def skipped_to(self, position: int) -> None:
        self.skipped += 1
        self.position = max(self.position, position)

    def tick(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self.last < self.INTERVAL:
            return
        self.last = now
        elapsed = max(now - self.t0, 1e-6)
        total = self.inputs.total_bytes
        frac = min(1.0, self.position / total) if total else 0.0
        eta = "--:--"
        rate = 0.0
        if self.start is not None:
            t_start, d_start, p_start = self.start
            busy = now - t_start
            if busy > 0.05:
                rate = (self.done - d_start - 1) / busy
                if self.position > p_start and frac < 1:
                    eta = _hms(busy * (total - self.position) / (self.position - p_start))
        if frac >= 1:
            eta = "0:00"
        width = 20
        bar = "#" * int(frac * width) + "-" * (width - int(frac * width))
        skipped = f"  {self.skipped} skipped" if self.skipped else ""
        line = (
            f"\r[{bar}] {frac:4.0%}  {self.done} records{skipped}  {rate:.1f}/s  "
            f"{_hms(elapsed)} elapsed  ETA {eta} "
        )
        self.stream.write(line)
        self.stream.flush()
        self.shown = True

    def finish(self) -> None:
        if self.enabled:
            # Records after the last page (images, requests) were read too.
            self.position = max(self.position, self.inputs.consumed)
            self.tick(force=True)
            if self.shown:
                self.stream.write("\n")
                self.stream.flush()


def _hms(seconds: float) -> str:
    s = int(seconds)
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


# ----------------------------------------------------------------------- the scan


@dataclass
class ScanResult:
    """What a scan did.

    Attributes:
        checked: Records checked in this run.
        skipped: Records skipped because the output already had them (resume).
        previous: Complete records found in the output before this run.
        not_assessed: Records of this run that were ``not_assessed``.
        input_errors: Inputs that could not be read (wholly or in part).
        summary: The per-site summary over this run and the resumed records.
        failed: Some record has a ``fail`` finding at or above ``fail_on``.
        elapsed: Seconds the run took.
        workers: Worker processes used (0: checked in this process).
        worker_restarts: Workers replaced after a crash or a blown time budget.
        peak_rss_kb: Peak resident memory of each worker process, in KiB.
        archive_records_skipped: Archive records that are not HTML pages.
        reader_gone: The reader of stdout went away and the scan stopped early.
    """

    checked: int = 0
    skipped: int = 0
    previous: int = 0
    not_assessed: int = 0
    input_errors: list[InputError] = field(default_factory=list)
    summary: SweepSummary = field(default_factory=SweepSummary)
    failed: bool = False
    elapsed: float = 0.0
    workers: int = 0
    worker_restarts: int = 0
    peak_rss_kb: list[int] = field(default_factory=list)
    archive_records_skipped: int = 0
    reader_gone: bool = False

    @property
    def exit_code(self) -> int:
        """0 nothing flagged, 1 something flagged, 2 an input could not be read."""
        if self.input_errors:
            return 2
        return 1 if self.failed else 0


def _default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def scan(
    paths: Sequence[str],
    *,
    output: str | Path | None = None,
    fmt: Literal["jsonl", "csv"] = "jsonl",
    config: Config | None = None,
    workers: int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    time_budget: float | None = DEFAULT_TIME_BUDGET,
    resume: bool = False,
    overwrite: bool = False,
    fail_on: Severity = Severity.LOW,
    base_url: str | None = None,
    full_report: bool = False,
    progress: bool = False,
    progress_stream: IO[str] | None = None,
    record_fn: RecordFn | None = None,
    stdout: IO[bytes] | None = None,
) -> ScanResult:
    """Check every record of the inputs on all cores and stream the results.

    Args:
        paths: Files and directories (HTML, JSON/JSONL profiles, WARC/ARC).
        output: File to write; ``None`` or ``"-"`` writes to ``stdout``.
        fmt: ``jsonl`` (one result per line) or ``csv`` (one row per finding).
        config: Rule selection, language and legal date.
        workers: Worker processes; ``None`` uses every core, ``0`` checks in this
            process (no hard time limit then).
        max_bytes: Size budget of one record.
        time_budget: Seconds one record may take (``None``: no limit).
        resume: Keep the records already in ``output`` and check only the others.
        overwrite: Replace an existing ``output``.
        fail_on: Lowest severity of a ``fail`` finding that flags a record.
        base_url: URL prefix for HTML files (see :class:`Inputs`).
        full_report: Add each record's whole report to JSON Lines output.
        progress: Show progress on ``progress_stream`` (stderr by default).
        progress_stream: Where progress goes.
        record_fn: Replace :func:`check_record` (a picklable top-level function
            with the same signature) to add work per record.
        stdout: Binary stream used when ``output`` is stdout.

    Returns:
        What the scan did, with the per-site summary.

    Note:
        Worker processes are started with ``spawn``: a script that calls this must
        do so under ``if __name__ == "__main__":``.

    Raises:
        UsageError: Unreadable paths, an existing output without ``resume`` or
            ``overwrite``, or an output that is not a scan result.
    """
    config = config or Config()
    n_workers = _default_workers() if workers is None else max(0, workers)
    inputs = Inputs(paths, max_bytes=max_bytes, base_url=base_url)
    result = ScanResult(summary=SweepSummary(fail_on), workers=n_workers)

    to_stdout = output is None or str(output) == "-"
    prev = _Previous()
    if to_stdout:
        if resume:
            raise UsageError("--resume needs --output FILE")
        out_stream: IO[bytes] = stdout or sys.stdout.buffer
        writer = _StreamWriter(out_stream, fmt, header=True, fsync=False)
    else:
        out_path = Path(str(output))
        exists = out_path.exists() and out_path.stat().st_size > 0
        if exists and not (resume or overwrite):
            raise UsageError(f"{out_path}: exists; use --resume to continue it or --force")
        if exists and resume:
            prev = _read_previous_csv(out_path) if fmt == "csv" else _read_previous_jsonl(out_path)
            if prev.torn or prev.good_end < out_path.stat().st_size:
                # Cut the record a killed run was writing; it is checked again below.
                with out_path.open("r+b") as fh:
                    fh.truncate(prev.good_end)
        mode = "ab" if resume else "wb"
        out_stream = out_path.open(mode)
        writer = _StreamWriter(out_stream, fmt, header=out_stream.tell() == 0, fsync=True)

    result.previous = len(prev.keys)
    for row in prev.results:
        _count(result, row, fail_on)
    prev.results.clear()

    bar = _Progress(inputs, progress, progress_stream or sys.stderr)
    t0 = time.monotonic()

    positions: dict[str, int] = {}

    def todo() -> Iterator[Record]:
        for rec in inputs:
            if rec.key in prev.keys:
                result.skipped += 1
                bar.skipped_to(inputs.consumed)
                continue
            positions[rec.key] = inputs.consumed
            yield rec

    def emit(row: dict[str, Any]) -> None:
        gone = False
        try:
            writer.write(row)
        except BrokenPipeError:
            if not to_stdout:
                raise
            # The reader of stdout is gone (``| head``): nobody reads the rest, so stop
            # after this record; the exit code tells what the records checked hold.
            result.reader_gone = gone = True
        result.checked += 1
        bar.finished(positions.pop(row["key"], 0))
        if row.get("status") == RunStatus.NOT_ASSESSED.value:
            result.not_assessed += 1
        _count(result, row, fail_on)
        if gone:
            raise _ReaderGone

    pool: _Pool | None = None
    try:
        if n_workers == 0:
            from ecomcheck.engine import Checker

            checker = Checker(config)
            fn = record_fn or check_record
            for rec in todo():
                emit(fn(checker, rec, time_budget=time_budget, full_report=full_report))
                bar.tick()
        else:
            init = _WorkerInit(config, time_budget, full_report, record_fn)
            hard = 2 * time_budget + 1.0 if time_budget else None
            pool = _Pool(n_workers, init, hard)
            for row in pool.run(todo(), bar.tick):
                emit(row)
    except _ReaderGone:
        pass
    finally:
        if pool is not None:
            pool.close()
            result.worker_restarts = pool.restarts
            result.peak_rss_kb = pool.peak_rss_kb
        writer.close()
        if not to_stdout:
            out_stream.close()
        bar.finish()
    result.elapsed = time.monotonic() - t0
    result.input_errors = list(inputs.errors)
    result.archive_records_skipped = inputs.warc.skipped
    return result


class _ReaderGone(Exception):
    """The reader of the results on stdout closed the pipe."""


def _count(result: ScanResult, row: dict[str, Any], fail_on: Severity) -> None:
    result.summary.add_result(row)
    if not result.failed:
        result.failed = any(
            f["outcome"] == Outcome.FAIL.value
            and not f.get("suppressed")
            and Severity(f["severity"]).rank >= fail_on.rank
            for f in row.get("findings") or []
        )


# ----------------------------------------------------------------------- command line


def _size(text: str) -> int:
    units = {"k": 1024, "m": 1024**2, "g": 1024**3}
    t = text.strip().lower().removesuffix("b").removesuffix("i")
    try:
        if t and t[-1] in units:
            return int(float(t[:-1]) * units[t[-1]])
        return int(t)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a size (e.g. 8M, 500k, 1048576): {text!r}") from exc


def configure_parser(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the ``scan`` options to a parser."""
    p.add_argument("paths", nargs="+", metavar="PATH", help="files and directories to scan")
    p.add_argument("-o", "--output", default="-", help="file to write (default: stdout)")
    p.add_argument(
        "--format",
        choices=("jsonl", "csv"),
        help="jsonl: one result per record; csv: one row per finding "
        "(default: from the output's suffix, else jsonl)",
    )
    p.add_argument("--resume", action="store_true", help="continue an interrupted --output")
    p.add_argument("--force", action="store_true", help="overwrite an existing --output")
    p.add_argument(
        "-j",
        "--workers",
        type=int,
        default=None,
        help="worker processes (default: every core; 0 checks in the main process)",
    )
    p.add_argument(
        "--max-bytes",
        type=_size,
        default=DEFAULT_MAX_BYTES,
        metavar="SIZE",
        help="size budget of one record; larger ones are not_assessed (default 8M)",
    )
    p.add_argument(
        "--time-budget",
        type=float,
        default=DEFAULT_TIME_BUDGET,
        metavar="SECONDS",
        help="time budget of one record; slower ones are not_assessed "
        "(default %(default)s; 0 for none)",
    )
    p.add_argument("--lang", choices=("vi", "en"), default="vi")
    p.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="ID|PREFIX",
        help="run only these rules (repeatable, comma-separated)",
    )
    p.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="ID|PREFIX",
        help="never run these rules (repeatable, comma-separated)",
    )
    p.add_argument(
        "--fail-on",
        choices=[s.value for s in Severity],
        default="low",
        help="lowest severity of a fail finding that flags a record and makes the exit code 1",
    )
    p.add_argument("--as-of", type=iso_date, help="date whose legal regime applies (YYYY-MM-DD)")
    p.add_argument(
        "--base-url",
        help="URL of HTML files: this prefix plus the path under the directory given "
        "(e.g. https:// for a wget mirror)",
    )
    p.add_argument(
        "--full-report", action="store_true", help="add each record's whole report (jsonl)"
    )
    p.add_argument("--summary", metavar="FILE", help="write the per-site summary as JSON")
    prog = p.add_mutually_exclusive_group()
    prog.add_argument(
        "--progress",
        dest="progress",
        action="store_true",
        default=None,
        help="show progress on stderr (default: when stderr is a terminal)",
    )
    prog.add_argument("--no-progress", dest="progress", action="store_false")
    p.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    return p


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``scan`` to the subcommands of the ``ecomcheck`` parser.

    Args:
        subparsers: What ``ArgumentParser.add_subparsers()`` returned.

    Returns:
        The ``scan`` parser (its ``func`` default is :func:`run`).
    """
    p = subparsers.add_parser(
        "scan",
        help="check directories of saved pages, JSONL profiles and WARC files on all cores",
        description="Check saved pages, seller profiles and web archives on every core, "
        "streaming one result per record; --resume continues an interrupted run.",
    )
    configure_parser(p)
    p.set_defaults(func=run)
    return cast(argparse.ArgumentParser, p)


def run(args: argparse.Namespace) -> int:
    """Run ``ecomcheck scan`` with parsed arguments; return the exit code.

    Returns:
        0 no record flagged, 1 some record has a ``fail`` finding at or above
        ``--fail-on``, 2 usage error or an unreadable input (reason on stderr),
        130 interrupted.
    """
    from pydantic import ValidationError

    out = args.output
    fmt: Literal["jsonl", "csv"] = args.format or (
        "csv" if str(out).lower().endswith(".csv") else "jsonl"
    )
    if args.resume and args.force:
        return _usage("--resume and --force exclude each other")
    try:
        config = Config(
            select=split_ids(args.select),
            ignore=split_ids(args.ignore),
            lang=args.lang,
            as_of=args.as_of,
        )
    except ValidationError as exc:
        return _usage(str(exc.errors()[0]["msg"]))
    from ecomcheck.engine import Checker

    if not Checker(config).rules:
        return _usage("--select/--ignore leave no rule to run (see 'ecomcheck rules')")
    progress = args.progress if args.progress is not None else sys.stderr.isatty()
    try:
        res = scan(
            args.paths,
            output=None if out == "-" else out,
            fmt=fmt,
            config=config,
            workers=args.workers,
            max_bytes=args.max_bytes,
            time_budget=args.time_budget or None,
            resume=args.resume,
            overwrite=args.force,
            fail_on=Severity(args.fail_on),
            base_url=args.base_url,
            full_report=args.full_report,
            progress=progress,
        )
    except (UsageError, RuntimeError) as exc:
        return _usage(str(exc))
    except KeyboardInterrupt:
        print(
            "ecomcheck scan: interrupted; what was written is kept (run again with --resume)",
            file=sys.stderr,
        )
        return 130
    except BrokenPipeError:  # the reader left while the header or a message was written
        discard_stdout()
        return 0
    if res.reader_gone:
        discard_stdout()
    for err in res.input_errors:
        print(f"ecomcheck scan: {err.path}: {err.reason}", file=sys.stderr)
    if args.summary:
        data = res.summary.to_dict()
        data["run"] = _run_info(res)
        Path(args.summary).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    if not args.quiet:
        sys.stderr.write(_run_line(res) + res.summary.render_text())
    return res.exit_code


def _run_info(res: ScanResult) -> dict[str, Any]:
    return {
        "checked": res.checked,
        "resumed": res.previous,
        "skipped_already_done": res.skipped,
        "not_assessed": res.not_assessed,
        "archive_records_skipped": res.archive_records_skipped,
        "input_errors": [{"path": e.path, "reason": e.reason} for e in res.input_errors],
        "elapsed_s": round(res.elapsed, 3),
        "workers": res.workers,
        "worker_restarts": res.worker_restarts,
        "peak_rss_kb": res.peak_rss_kb,
    }


def _run_line(res: ScanResult) -> str:
    rate = res.checked / res.elapsed if res.elapsed else 0.0
    parts = [f"{res.checked} records checked in {res.elapsed:.1f} s ({rate:.1f}/s)"]
    if res.previous:
        parts.append(f"{res.previous} kept from the earlier run")
    if res.not_assessed:
        parts.append(f"{res.not_assessed} not assessed")
    if res.worker_restarts:
        parts.append(f"{res.worker_restarts} worker restarts")
    if res.input_errors:
        parts.append(f"{len(res.input_errors)} unreadable inputs")
    return "ecomcheck scan: " + ", ".join(parts) + "\n"


def _usage(msg: str) -> int:
    print(f"ecomcheck scan: {msg}", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``ecomcheck scan`` as a program (``python -m ecomcheck.scan``)."""
    p = configure_parser(argparse.ArgumentParser(prog="ecomcheck scan"))
    return run(p.parse_args(argv))


if __name__ == "__main__":  # pragma: no cover
    # Run the importable module, not this __main__ copy, so that what is sent to
    # worker processes is pickled by reference to ecomcheck.scan.
    from ecomcheck.scan import main as _main

    raise SystemExit(_main())
