"""WARC archives of a whole-site check: writing them live, reading and replaying them.

:class:`ArchiveWriter` records every request and response of a crawl as WARC 1.1
``request``/``response`` records (gzip per record, SHA-256 digests), a ``warcinfo``
record describing the run, and a ``metadata`` record for each request that got no
response (timeout, refused connection) or was refused before it was sent (a host
resolving to a private address). Each finding's evidence names the
``WARC-Record-ID`` of the response its page came from.

:class:`ReplayFetcher` answers a crawl from a saved archive instead of the network,
with the same robots.txt, redirect and decoding logic as the live fetcher, so a
re-check of the archive takes the same decisions and reproduces the findings.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

from ecomcheck import __version__
from ecomcheck.fetch import (
    CrawlLimits,
    Exchange,
    Fetcher,
    _Robots,
    canonical_url,
)

__all__ = ["ArchiveReader", "ArchiveWriter", "ReplayFetcher", "is_archive_path"]

_ARCHIVE_SUFFIXES = (".warc", ".warc.gz")
_FAILURE_TYPE = "application/vnd.ecomcheck.fetch-failure+json"


def is_archive_path(target: str | Path) -> bool:
    """Tell whether a path names a WARC file (``.warc`` or ``.warc.gz``)."""
    return str(target).lower().endswith(_ARCHIVE_SUFFIXES)


def _warc_date(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse_warc_date(value: str | None) -> dt.datetime:
    if not value:
        return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    text = value.strip().rstrip("Z")
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed


def _new_id() -> str:
    return f"<urn:uuid:{uuid.uuid4()}>"


def _writer_class() -> Any:
    from warcio.utils import Digester
    from warcio.warcwriter import WARCWriter

    class _SHA256Writer(WARCWriter):  # type: ignore[misc]
        # SHA-1 is warcio's default; evidence kept for years deserves SHA-256.
        @staticmethod
        def _create_digester() -> Any:
            return Digester("sha256")

    return _SHA256Writer


class ArchiveWriter:
    """Writes the exchanges of one crawl to a WARC file (gzip per record).

    Args:
        target: A path (``.warc.gz`` gives a compressed file, ``.warc`` a plain one)
            or a binary file object opened for writing.
        info: Fields of the ``warcinfo`` record (run parameters); values are
            written as text, dicts and lists as JSON.

    Example:
        >>> with ArchiveWriter("shop.warc.gz", info={"ecomcheck-start-url": url}) as w:
        ...     fetcher = Fetcher(limits, archive=w)
    """

    def __init__(self, target: str | Path | IO[bytes], info: Mapping[str, Any] | None = None):
        if isinstance(target, str | Path):
            self.path: Path | None = Path(target)
            self._fh: IO[bytes] = open(self.path, "wb")  # noqa: SIM115 (closed in close())
            gzip = str(target).lower().endswith(".gz")
            name = self.path.name
        else:
            self.path = None
            self._fh = target
            gzip = True
            name = "ecomcheck.warc.gz"
        self._writer = _writer_class()(self._fh, gzip=gzip, warc_version="1.1")
        fields: dict[str, str] = {
            "software": f"ecomcheck/{__version__}",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/"
            "warc-format/warc-1.1/",
        }
        for key, value in (info or {}).items():
            if value is None:
                continue
            fields[key] = (
                json.dumps(value, ensure_ascii=False, sort_keys=True)
                if isinstance(value, dict | list)
                else str(value)
            )
        record = self._writer.create_warcinfo_record(name, fields)
        self.warcinfo_id: str = record.rec_headers.get_header("WARC-Record-ID")
        self._writer.write_record(record)
        self.records = 1

    def __enter__(self) -> ArchiveWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Flush and close the file (when this writer opened it)."""
        self._fh.flush()
        if self.path is not None:
            self._fh.close()

    def _write(
        self, uri: str, rec_type: str, payload: bytes, headers: dict[str, str]
    ) -> tuple[int, int]:
        warc_headers = {"WARC-Target-URI": uri, **headers}
        content_type = warc_headers.pop("Content-Type", "")
        record = self._writer.create_warc_record(
            uri,
            rec_type,
            payload=io.BytesIO(payload),
            length=len(payload),
            warc_content_type=content_type,
            warc_headers_dict=warc_headers,
        )
        offset = self._fh.tell()
        self._writer.write_record(record)
        self.records += 1
        return offset, self._fh.tell() - offset

    def _write_request(self, ex: Exchange, concurrent_to: str) -> str:
        request_id = _new_id()
        p = ex.url.split("://", 1)[-1]
        target = "/" + p.split("/", 1)[1] if "/" in p else "/"
        lines = [f"GET {target} HTTP/1.1"]
        lines += [f"{k}: {v}" for k, v in ex.request_headers]
        self._write(
            ex.url,
            "request",
            ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace"),
            {
                "WARC-Record-ID": request_id,
                "WARC-Date": _warc_date(ex.fetched_at),
                "WARC-Concurrent-To": concurrent_to,
                "Content-Type": "application/http; msgtype=request",
            },
        )
        return request_id

    def write_exchange(self, ex: Exchange) -> None:
        """Write a request and its response; set the record ids and offsets on ``ex``."""
        response_id = _new_id()
        ex.request_record = self._write_request(ex, response_id)
        version = ex.http_version if ex.http_version in ("HTTP/1.0", "HTTP/1.1") else "HTTP/1.1"
        lines = [f"{version} {ex.status} {ex.reason or ''}".rstrip()]
        # The body is stored de-chunked, so the chunked marker would mislead readers.
        lines += [f"{k}: {v}" for k, v in ex.headers if k.lower() != "transfer-encoding"]
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")
        headers = {
            "WARC-Record-ID": response_id,
            "WARC-Date": _warc_date(ex.fetched_at),
            "WARC-Concurrent-To": ex.request_record,
            "Content-Type": "application/http; msgtype=response",
        }
        if ex.truncated:
            headers["WARC-Truncated"] = ex.truncated
        ex.offset, ex.length = self._write(ex.url, "response", head + ex.raw, headers)
        ex.record = response_id

    def write_failure(self, ex: Exchange) -> None:
        """Write the request (if one was sent) and a metadata record saying what failed."""
        metadata_id = _new_id()
        headers = {
            "WARC-Record-ID": metadata_id,
            "WARC-Date": _warc_date(ex.fetched_at),
            "Content-Type": _FAILURE_TYPE,
        }
        if ex.request_headers:
            ex.request_record = self._write_request(ex, metadata_id)
            headers["WARC-Concurrent-To"] = ex.request_record
        body = json.dumps(
            {"error": ex.error, "detail": ex.detail, "sent": not ex.refused},
            ensure_ascii=False,
        ).encode("utf-8")
        ex.offset, ex.length = self._write(ex.url, "metadata", body, headers)
        ex.record = metadata_id


class ArchiveReader:
    """Reads a WARC file into exchanges by URL, in the order they were made.

    Works on archives written by :class:`ArchiveWriter` and, for ``response``
    records, on archives of other crawlers.

    Args:
        path: The ``.warc`` or ``.warc.gz`` file.

    Raises:
        ValueError: The file is not a readable WARC archive.
    """

    def __init__(self, path: str | Path) -> None:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed

        self.path = Path(path)
        #: Fields of the first ``warcinfo`` record.
        self.info: dict[str, str] = {}
        #: Exchanges (responses and failures) by canonical URL, in archive order.
        self.exchanges: dict[str, list[Exchange]] = {}
        #: Refusals taken before sending (private addresses, DNS), by canonical URL.
        self.refusals: dict[str, tuple[str, str]] = {}
        #: URL of the first response record (the start of a foreign archive).
        self.first_url: str | None = None
        self._request_headers: dict[str, tuple[tuple[str, str], ...]] = {}
        try:
            with open(self.path, "rb") as fh:
                it = ArchiveIterator(fh)
                for record in it:
                    self._read(record, it)
        except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
            raise ValueError(f"{self.path}: not a readable WARC archive ({exc})") from exc
        for items in self.exchanges.values():
            for ex in items:
                if ex.request_record and ex.request_record in self._request_headers:
                    ex.request_headers = self._request_headers[ex.request_record]

    def _read(self, record: Any, it: Any) -> None:
        rh = record.rec_headers
        kind = record.rec_type
        if kind == "warcinfo" and not self.info:
            text = record.content_stream().read().decode("utf-8", "replace")
            for line in text.splitlines():
                key, sep, value = line.partition(":")
                if sep:
                    self.info[key.strip()] = value.strip()
            return
        uri = rh.get_header("WARC-Target-URI") or ""
        canon = canonical_url(uri)
        if canon is None:
            return
        record_id = rh.get_header("WARC-Record-ID")
        when = _parse_warc_date(rh.get_header("WARC-Date"))
        if kind == "request" and record.http_headers is not None:
            self._request_headers[record_id] = tuple(
                (str(k), str(v)) for k, v in record.http_headers.headers
            )
            return
        if kind == "metadata" and (rh.get_header("Content-Type") or "") == _FAILURE_TYPE:
            try:
                data = json.loads(record.content_stream().read().decode("utf-8"))
            except ValueError:
                return
            error, detail = str(data.get("error") or "network_error"), str(data.get("detail", ""))
            if not data.get("sent", True):
                self.refusals.setdefault(canon, (error, detail))
                return
            ex = Exchange(canon, when, error=error, detail=detail, record=record_id)
            ex.request_record = rh.get_header("WARC-Concurrent-To")
            ex.offset, ex.length = it.get_record_offset(), it.get_record_length()
            self.exchanges.setdefault(canon, []).append(ex)
            return
        if kind != "response" or record.http_headers is None:
            return
        http = record.http_headers
        headers = tuple((str(k), str(v)) for k, v in http.headers)
        chunked = any(
            k.lower() == "transfer-encoding" and "chunked" in v.lower() for k, v in headers
        )
        if chunked:
            # Another crawler kept the chunked transfer coding: let warcio undo it
            # (and the content coding with it).
            raw = record.content_stream().read()
            drop = {"transfer-encoding", "content-encoding"}
            headers = tuple((k, v) for k, v in headers if k.lower() not in drop)
        else:
            raw = record.raw_stream.read()
        statusline = str(http.statusline or "")
        code, _, reason = statusline.partition(" ")
        ex = Exchange(
            canon,
            when,
            status=int(code) if code.isdigit() else None,
            reason=reason,
            http_version=str(http.protocol or "HTTP/1.1"),
            headers=headers,
            raw=raw,
            truncated=rh.get_header("WARC-Truncated"),
            record=record_id,
            request_record=rh.get_header("WARC-Concurrent-To"),
        )
        if ex.status is None:
            ex.error, ex.detail = "network_error", statusline[:100]
        ex.offset, ex.length = it.get_record_offset(), it.get_record_length()
        self.exchanges.setdefault(canon, []).append(ex)
        if self.first_url is None:
            self.first_url = canon

    @property
    def start_url(self) -> str | None:
        """The URL the archived check started from (or the first response's URL)."""
        return self.info.get("ecomcheck-start-url") or self.first_url

    def limits(self) -> CrawlLimits | None:
        """The crawl limits the archived check used, if recorded."""
        raw = self.info.get("ecomcheck-limits")
        if not raw:
            return None
        try:
            return CrawlLimits.model_validate_json(raw)
        except ValueError:
            return None

    def as_of(self) -> dt.date | None:
        """The legal date the archived check used, if recorded."""
        raw = self.info.get("ecomcheck-as-of")
        try:
            return dt.date.fromisoformat(raw) if raw else None
        except ValueError:
            return None


class ReplayFetcher(Fetcher):
    """A :class:`~ecomcheck.fetch.Fetcher` that answers from an archive, offline.

    Every decision (robots.txt, redirects, caps, refusals) is taken by the same
    code as in the live run, on the archived answers; nothing is sent anywhere.

    Args:
        reader: The archive.
        limits: The limits to apply (use the archived ones to reproduce a run).
    """

    def __init__(self, reader: ArchiveReader, limits: CrawlLimits | None = None) -> None:
        super().__init__(limits, sleep=lambda _s: None)
        self.reader = reader
        self._served: dict[str, int] = {}

    def _exchange(self, url: str, *, max_bytes: int | None = None) -> Exchange:
        canon = canonical_url(url) or url
        items = self.reader.exchanges.get(canon)
        if not items:
            return Exchange(canon, _epoch(), error="not_in_archive", detail=canon)
        i = self._served.get(canon, 0)
        self._served[canon] = i + 1
        self.requests += 1
        return items[min(i, len(items) - 1)]

    def _address_refusal(self, url: str) -> tuple[str | None, str]:
        refusal = self.reader.refusals.get(canonical_url(url) or url)
        return refusal if refusal is not None else (None, "")

    def _load_robots(self, robots_url: str) -> _Robots:
        canon = canonical_url(robots_url) or robots_url
        if canon not in self.reader.exchanges and canon not in self.reader.refusals:
            # Nothing is fetched in a replay: an archive without robots.txt (from
            # another crawler) is read as it stands.
            return _Robots(None)
        return super()._load_robots(robots_url)


def _epoch() -> dt.datetime:
    return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
