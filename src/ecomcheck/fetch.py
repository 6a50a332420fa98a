"""Polite, bounded HTTP fetching with a provenance record for every document.

One :class:`Fetcher` serves one crawl. Before any request it checks the scheme
(http/https only), the site (redirects never leave the registrable domain the
caller names), the address (optionally refusing private and loopback addresses)
and robots.txt (RFC 9309, for the ``ecomcheck`` user agent). Requests to one host
are paced, every response is streamed under a size cap and a deadline, and
redirects are followed by hand so each hop is recorded. With an archive attached,
every request and response is written as WARC records as it happens.

The network part is one method, :meth:`Fetcher._exchange`; everything else (robots
decisions, redirects, decoding) is shared with the replay of a saved archive, which
is how a re-check of an archive reproduces the live run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import re
import socket
import threading
import time
import urllib.robotparser
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field

from ecomcheck import __version__

if TYPE_CHECKING:
    import httpx

__all__ = [
    "FETCH_ERRORS",
    "PROJECT_URL",
    "USER_AGENT",
    "CrawlLimits",
    "Exchange",
    "ExchangeSink",
    "FetchRecord",
    "Fetcher",
    "Hop",
    "canonical_url",
    "same_site",
]

#: Where people who see the crawler in their logs can read what it is.
PROJECT_URL = "https://github.com/ecomcheck/ecomcheck"
#: The User-Agent of every request; its first token is what robots.txt groups match.
USER_AGENT = f"ecomcheck/{__version__} (+{PROJECT_URL}; compliance checker)"
ROBOTS_AGENT = "ecomcheck"

#: Why a document could not be fetched; each code has a message ``fetch.<code>``.
FETCH_ERRORS = (
    "invalid_url",
    "scheme_refused",
    "off_site",
    "off_site_redirect",
    "robots_disallowed",
    "robots_unavailable",
    "private_address",
    "dns_error",
    "connect_error",
    "timeout",
    "network_error",
    "too_large",
    "redirect_loop",
    "too_many_redirects",
    "bad_encoding",
    "not_in_archive",
)

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 asks parsers to read at least 500 KiB
_ROBOTS_REDIRECTS = 5


class CrawlLimits(BaseModel):
    """Bounds and politeness settings of a whole-site check.

    Attributes:
        max_pages: Documents fetched at most (robots.txt not counted).
        max_info_pages: About, contact and policy pages fetched at most.
        max_listings: Category pages fetched at most.
        max_products: Product pages fetched at most (a sample, in link order).
        delay: Seconds between two requests to the same host; a larger
            ``Crawl-delay`` in robots.txt wins, up to ``max_crawl_delay``.
        max_crawl_delay: Largest ``Crawl-delay`` honoured, in seconds.
        timeout: Seconds to connect, and to wait for each read.
        deadline: Seconds one response may take in all (headers and body).
        max_bytes: Bytes of one response body read at most; a larger one is not
            assessed.
        max_redirects: Redirects followed at most for one document.
        refuse_private: Refuse hosts that resolve to private, loopback,
            link-local or other non-public addresses (keep on for URLs given by
            others; turn off to check a shop on a local network).
        user_agent: The User-Agent header.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_pages: int = Field(default=25, ge=1, le=1000)
    max_info_pages: int = Field(default=15, ge=0, le=500)
    max_listings: int = Field(default=2, ge=0, le=100)
    max_products: int = Field(default=5, ge=0, le=500)
    delay: float = Field(default=1.0, ge=0, le=60)
    max_crawl_delay: float = Field(default=10.0, ge=0, le=120)
    timeout: float = Field(default=10.0, gt=0, le=300)
    deadline: float = Field(default=30.0, gt=0, le=600)
    max_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    max_redirects: int = Field(default=5, ge=0, le=20)
    refuse_private: bool = True
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Hop:
    """One redirect: the URL requested, its status and where it pointed.

    Attributes:
        url: The URL requested.
        status: The redirect status (301, 302, 303, 307 or 308).
        location: The absolute URL it redirected to.
        record: WARC-Record-ID of the redirect response, when archived.
    """

    url: str
    status: int
    location: str
    record: str | None = None


@dataclass
class Exchange:
    """One HTTP request and what came back (no redirect following).

    Attributes:
        url: The URL requested.
        fetched_at: When the request was sent (UTC).
        status: HTTP status, or None when no response arrived.
        reason: The reason phrase of the status line.
        http_version: e.g. ``HTTP/1.1``.
        headers: Response headers as received, in order.
        request_headers: Request headers as sent, in order.
        raw: The body as received (content-encoded, de-chunked), possibly cut.
        truncated: Why the body was cut (``length``, ``time``, ``disconnect``), or None.
        error: A :data:`FETCH_ERRORS` code when no usable response arrived.
        detail: A short technical detail for the error.
        record: WARC-Record-ID of the response (or of the failure's metadata record).
        request_record: WARC-Record-ID of the request record.
        offset: Offset of the response record in the archive file.
        length: Length of the response record in the archive file.
        refused: Refused before sending (a private address, a DNS failure).
    """

    url: str
    fetched_at: dt.datetime
    status: int | None = None
    reason: str = ""
    http_version: str = "HTTP/1.1"
    headers: tuple[tuple[str, str], ...] = ()
    request_headers: tuple[tuple[str, str], ...] = ()
    raw: bytes = b""
    truncated: str | None = None
    error: str | None = None
    detail: str = ""
    record: str | None = None
    request_record: str | None = None
    offset: int | None = None
    length: int | None = None
    refused: bool = False

    def header(self, name: str) -> str | None:
        """Return the first response header of that name (case-insensitive)."""
        low = name.lower()
        return next((v for k, v in self.headers if k.lower() == low), None)


@dataclass
class FetchRecord:
    """A fetched document with its provenance, or the reason it was not fetched.

    Attributes:
        requested_url: The URL asked for.
        final_url: The URL of the last request made (after redirects).
        redirects: Every redirect followed, in order.
        status: HTTP status of the final response, or None.
        headers: Headers of the final response.
        fetched_at: When the final request was sent (UTC).
        body: The decoded body (content-encoding removed).
        sha256: Hex SHA-256 of ``body``.
        error: A :data:`FETCH_ERRORS` code, or None.
        detail: A short technical detail for the error.
        truncated: The body was cut at the size cap or the deadline.
        record: WARC-Record-ID of the final response, when archived.
        request_record: WARC-Record-ID of the final request, when archived.
        warc_offset: Offset of the final response record in the archive.
        warc_length: Length of that record.
    """

    requested_url: str
    final_url: str
    redirects: tuple[Hop, ...] = ()
    status: int | None = None
    headers: tuple[tuple[str, str], ...] = ()
    fetched_at: dt.datetime | None = None
    body: bytes = b""
    sha256: str | None = None
    error: str | None = None
    detail: str = ""
    truncated: bool = False
    record: str | None = None
    request_record: str | None = None
    warc_offset: int | None = None
    warc_length: int | None = None

    @property
    def ok(self) -> bool:
        """True when a 2xx response arrived whole."""
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def content_type(self) -> str | None:
        """The Content-Type header of the final response."""
        return next((v for k, v in self.headers if k.lower() == "content-type"), None)


class ExchangeSink(Protocol):
    """Where a fetcher records what it does (an archive writer)."""

    def write_exchange(self, ex: Exchange) -> None:
        """Record a request and its response; set ``ex.record`` and friends."""

    def write_failure(self, ex: Exchange) -> None:
        """Record a request that got no usable response, or a refusal."""


# Characters left as they are in a path or query; everything else (non-ASCII letters,
# spaces) is percent-encoded as UTF-8, the way a browser sends it.
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = _PATH_SAFE + "?"
_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")


def _ascii_host(host: str) -> str:
    """An internationalised domain name in its ASCII (punycode) form, as sent on the wire."""
    if host.isascii():
        return host
    try:
        return ".".join(
            label.encode("idna").decode("ascii") if label else "" for label in host.split(".")
        )
    except UnicodeError:
        return host  # not a valid IDN: the request will say so


def canonical_url(url: str) -> str | None:
    """Normalise a URL for de-duplication: lower-case scheme and host, no fragment.

    An internationalised host is written in punycode and non-ASCII characters of
    the path and query are percent-encoded (escapes in upper case), so
    ``cửahàng.vn/chính-sách`` and its encoded form, which a server redirects to,
    are one URL.

    Returns:
        The URL, or None when it is not an absolute http(s) URL.
    """
    try:
        p = urlsplit(url.strip())
        port = p.port
    except ValueError:
        return None
    if p.scheme.lower() not in ("http", "https") or not p.hostname:
        return None
    scheme = p.scheme.lower()
    host = _ascii_host(p.hostname.lower().rstrip("."))
    if ":" in host:
        host = f"[{host}]"
    default = 80 if scheme == "http" else 443
    netloc = host if port in (None, default) else f"{host}:{port}"
    path = _ESCAPE.sub(_upper, quote(p.path or "/", safe=_PATH_SAFE))
    query = _ESCAPE.sub(_upper, quote(p.query, safe=_QUERY_SAFE))
    return urlunsplit((scheme, netloc, path, query, ""))


def _upper(m: re.Match[str]) -> str:
    return m.group().upper()


def same_site(a: str, b: str) -> bool:
    """Whether two URLs belong to the same site.

    Hosts with a registrable domain compare by it (offline tldextract, so
    ``www.shop.vn`` and ``shop.vn`` are one site); IP addresses and names without
    a public suffix (``localhost``) compare by host and port.
    """
    from ecomcheck.validate.domain import registrable_domain

    ra, rb = registrable_domain(a), registrable_domain(b)
    if ra is not None or rb is not None:
        return ra == rb
    return _host_port(a) == _host_port(b) and _host_port(a) is not None


def _host_port(url: str) -> tuple[str, int] | None:
    try:
        p = urlsplit(url)
        port = p.port
    except ValueError:
        return None
    if not p.hostname:
        return None
    return p.hostname.lower(), port or (443 if p.scheme == "https" else 80)


def _join(base: str, location: str) -> str | None:
    """Resolve a ``Location`` header; None when it cannot be parsed (``http://[::1``)."""
    try:
        return urljoin(base, location.strip())
    except ValueError:
        return None


def _scheme(url: str) -> str | None:
    try:
        return urlsplit(url).scheme.lower()
    except ValueError:
        return None


def _origin(url: str) -> str:
    p = urlsplit(url)
    return urlunsplit((p.scheme.lower(), p.netloc.lower(), "", "", ""))


@dataclass
class _Robots:
    parser: urllib.robotparser.RobotFileParser | None  # None: everything allowed
    disallow_all: bool = False
    crawl_delay: float = 0.0
    record: FetchRecord | None = None

    def allows(self, url: str) -> bool:
        if self.disallow_all:
            return False
        if self.parser is None:
            return True
        return self.parser.can_fetch(ROBOTS_AGENT, url)


class Fetcher:
    """Fetches documents one at a time, politely, recording everything.

    Args:
        limits: Caps, timeouts, pacing and the private-address refusal.
        archive: Where to record each request and response (WARC), or None.
        transport: An httpx transport (tests may pass a mock one).
        trust_env: Let httpx read proxy settings from the environment.
        resolver: ``socket.getaddrinfo``-like function used for the address check.
        sleep: Function used to wait between requests.
        clock: Monotonic clock in seconds.

    Example:
        >>> with Fetcher(CrawlLimits(delay=0.5)) as f:
        ...     rec = f.fetch("https://shop.example/", site="https://shop.example/")
    """

    def __init__(
        self,
        limits: CrawlLimits | None = None,
        *,
        archive: ExchangeSink | None = None,
        transport: httpx.BaseTransport | None = None,
        trust_env: bool = True,
        resolver: Callable[..., Sequence[Any]] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limits = limits or CrawlLimits()
        self.archive = archive
        self._transport = transport
        self._trust_env = trust_env
        self._resolve = resolver or socket.getaddrinfo
        self._sleep = sleep
        self._clock = clock
        self._client: httpx.Client | None = None
        self._robots: dict[str, _Robots] = {}
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()
        #: Number of HTTP requests sent (robots.txt included).
        self.requests = 0

    # -- lifecycle -------------------------------------------------------------------

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP connection pool."""
        if self._client is not None:
            self._client.close()
            self._client = None

    @property
    def robots_records(self) -> list[FetchRecord]:
        """The robots.txt fetches made so far, one per origin."""
        return [r.record for r in self._robots.values() if r.record is not None]

    # -- public ----------------------------------------------------------------------

    def check(self, url: str, *, site: str | None = None) -> tuple[str | None, str]:
        """Tell whether a URL may be fetched, without fetching it.

        Fetches robots.txt for the URL's origin if that was not done yet.

        Returns:
            ``(None, "")`` when allowed, else an error code and a detail.
        """
        canon = canonical_url(url)
        if canon is None:
            try:
                scheme = urlsplit(url).scheme.lower()
            except ValueError:
                return "invalid_url", url[:200]
            if scheme and scheme not in ("http", "https"):
                return "scheme_refused", scheme
            return "invalid_url", url[:200]
        if site is not None and not same_site(canon, site):
            return "off_site", canon
        robots = self._robots_for(canon)
        if not robots.allows(canon):
            if robots.disallow_all and robots.record is not None and robots.record.error:
                return robots.record.error, f"robots.txt: {robots.record.detail}"
            if robots.disallow_all:
                return (
                    "robots_unavailable",
                    f"robots.txt status {robots.record and robots.record.status}",
                )
            return "robots_disallowed", _origin(canon) + "/robots.txt"
        return None, ""

    def fetch(self, url: str, *, site: str | None = None) -> FetchRecord:
        """Fetch one document, following redirects within the site.

        Args:
            url: An absolute http(s) URL.
            site: A URL of the site being checked; redirects (and the URL itself)
                must stay on its registrable domain. None allows any site.

        Returns:
            The record; check :attr:`FetchRecord.error` and ``status``.
        """
        hops: list[Hop] = []
        current = canonical_url(url) or url
        seen = {current}
        last: Exchange | None = None

        def stop(final: str, code: str, detail: str = "") -> FetchRecord:
            # The last redirect response is what the site answered: keep it as evidence.
            if last is None:
                return FetchRecord(url, final, tuple(hops), error=code, detail=detail)
            rec = _record(url, final, hops, last)
            rec.error, rec.detail = code, detail
            return rec

        for _ in range(self.limits.max_redirects + 1):
            code, detail = self.check(current, site=site)
            if code == "off_site" and hops:
                code = "off_site_redirect"
            if code is None:
                code, detail = self._address_refusal(current)
            if code is not None:
                return stop(current, code, detail)
            ex = self._exchange(current)
            if ex.error is not None:
                return _record(url, current, hops, ex)
            location = _location(ex)
            if ex.status in _REDIRECTS and location:
                last = ex
                joined = _join(current, location)
                target = canonical_url(joined) if joined is not None else None
                hops.append(
                    Hop(current, ex.status or 0, target or (joined or location)[:500], ex.record)
                )
                if target is None:
                    scheme = _scheme(joined) if joined is not None else None
                    if not scheme or scheme in ("http", "https"):
                        return stop(current, "invalid_url", location.strip()[:200])
                    return stop(current, "scheme_refused", scheme[:50])
                if target in seen:
                    return stop(target, "redirect_loop", target)
                seen.add(target)
                current = target
                continue
            return self._finish(url, current, hops, ex)
        return stop(current, "too_many_redirects", str(self.limits.max_redirects))

    # -- robots.txt ------------------------------------------------------------------

    def _robots_for(self, url: str) -> _Robots:
        origin = _origin(url)
        with self._lock:
            cached = self._robots.get(origin)
        if cached is not None:
            return cached
        robots = self._load_robots(origin + "/robots.txt")
        with self._lock:
            self._robots.setdefault(origin, robots)
            return self._robots[origin]

    def _load_robots(self, robots_url: str) -> _Robots:
        current = robots_url
        hops: list[Hop] = []
        for _ in range(_ROBOTS_REDIRECTS + 1):
            code, detail = self._address_refusal(current)
            if code is not None:
                rec = FetchRecord(robots_url, current, tuple(hops), error=code, detail=detail)
                return _Robots(None, disallow_all=True, record=rec)
            ex = self._exchange(current, max_bytes=_ROBOTS_MAX_BYTES)
            location = _location(ex)
            if ex.error is None and ex.status in _REDIRECTS and location:
                joined = _join(current, location)
                target = canonical_url(joined) if joined is not None else None
                hops.append(Hop(current, ex.status or 0, target or location[:500], ex.record))
                if target is None or target == current:
                    break
                current = target
                continue
            rec = self._finish(robots_url, current, hops, ex, robots=True)
            return _robots_from(rec, self.limits.max_crawl_delay)
        rec = FetchRecord(robots_url, current, tuple(hops), error="too_many_redirects")
        # RFC 9309: a robots.txt that cannot be reached through redirects is "unavailable".
        return _Robots(None, record=rec)

    # -- the network -----------------------------------------------------------------

    def _address_refusal(self, url: str) -> tuple[str | None, str]:
        """Refuse hosts resolving to non-public addresses, when asked to."""
        if not self.limits.refuse_private:
            return None, ""
        p = urlsplit(url)
        host = p.hostname or ""
        port = p.port or (443 if p.scheme == "https" else 80)
        try:
            infos = self._resolve(host, port, 0, socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            return self._refused(url, "dns_error", f"{host}: {exc}"[:200])
        for info in infos:
            addr = str(info[4][0]).split("%", 1)[0]
            try:
                ip = ipaddress.ip_address(addr)
            except ValueError:
                continue
            if not ip.is_global or ip.is_multicast:
                return self._refused(url, "private_address", f"{host} -> {ip}")
        return None, ""

    def _refused(self, url: str, code: str, detail: str) -> tuple[str, str]:
        # A refusal that depends on the network (DNS) is archived, so a replay
        # of the archive takes the same decision without resolving anything.
        if self.archive is not None:
            self.archive.write_failure(
                Exchange(url, _now(), error=code, detail=detail, refused=True)
            )
        return code, detail

    def _client_for(self) -> httpx.Client:
        if self._client is None:
            import httpx

            lim = self.limits
            self._client = httpx.Client(
                transport=self._transport,
                follow_redirects=False,
                timeout=httpx.Timeout(lim.timeout),
                trust_env=self._trust_env,
                headers={
                    "User-Agent": lim.user_agent,
                    "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
                    "Accept-Language": "vi,en;q=0.5",
                    # Only what zlib decodes: the body is decoded by us, capped.
                    "Accept-Encoding": "gzip, deflate",
                },
            )
        return self._client

    def _pace(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        robots = self._robots.get(_origin(url))
        delay = max(self.limits.delay, robots.crawl_delay if robots else 0.0)
        last = self._last.get(host)
        if last is not None and delay > 0:
            wait = last + delay - self._clock()
            if wait > 0:
                self._sleep(wait)

    def _done(self, url: str) -> None:
        self._last[urlsplit(url).netloc.lower()] = self._clock()

    def _exchange(self, url: str, *, max_bytes: int | None = None) -> Exchange:
        """Send one GET request and read the response under the caps."""
        import httpx

        cap = max_bytes or self.limits.max_bytes
        client = self._client_for()
        self._pace(url)
        ex = Exchange(url, _now())
        started = self._clock()
        try:
            request = client.build_request("GET", url)
            ex.request_headers = _str_headers(request.headers.raw)
            self.requests += 1
            response = client.send(request, stream=True)
        except httpx.TimeoutException as exc:
            ex.error, ex.detail = "timeout", _detail(exc)
        except httpx.ConnectError as exc:
            ex.error, ex.detail = "connect_error", _detail(exc)
        except (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError) as exc:
            ex.error, ex.detail = "network_error", _detail(exc)
        else:
            try:
                ex.status = response.status_code
                ex.reason = response.reason_phrase
                ex.http_version = response.http_version or "HTTP/1.1"
                ex.headers = _str_headers(response.headers.raw)
                ex.raw, ex.truncated = self._read_body(response, cap, started)
            finally:
                response.close()
        finally:
            self._done(url)
        if self.archive is not None:
            if ex.status is None:
                self.archive.write_failure(ex)
            else:
                self.archive.write_exchange(ex)
        return ex

    def _read_body(
        self, response: httpx.Response, cap: int, started: float
    ) -> tuple[bytes, str | None]:
        import httpx

        declared = response.headers.get("content-length", "")
        if declared.strip().isdigit() and int(declared) > cap:
            return b"", "length"  # do not download what will be refused
        chunks: list[bytes] = []
        size = 0
        if response.is_stream_consumed:
            # A transport that hands over a response already in memory (httpx's
            # MockTransport, a crawler's cache): there is no stream left to read.
            body = response.content
            return (body[:cap], "length") if len(body) > cap else (body, None)
        try:
            for chunk in response.iter_raw(65536):
                chunks.append(chunk)
                size += len(chunk)
                if size > cap:
                    return b"".join(chunks)[:cap], "length"
                if self._clock() - started > self.limits.deadline:
                    return b"".join(chunks), "time"
        except httpx.TimeoutException:
            return b"".join(chunks), "time"
        except (httpx.HTTPError, httpx.StreamError, OSError):
            return b"".join(chunks), "disconnect"
        return b"".join(chunks), None

    # -- turning an exchange into a record -------------------------------------------

    def _finish(
        self, url: str, final: str, hops: list[Hop], ex: Exchange, *, robots: bool = False
    ) -> FetchRecord:
        rec = _record(url, final, hops, ex)
        if rec.error is not None:
            return rec
        if ex.truncated is not None:
            rec.truncated = True
            rec.error = {"length": "too_large", "time": "timeout"}.get(
                ex.truncated, "network_error"
            )
            rec.detail = f"body cut ({ex.truncated}) after {len(ex.raw)} bytes"
            if not (robots and ex.truncated == "length"):
                return rec
            rec.error, rec.detail = None, ""  # a long robots.txt is read as far as it goes
        cap = _ROBOTS_MAX_BYTES if robots else self.limits.max_bytes
        body, err = decode_content(ex.header("content-encoding"), ex.raw, cap)
        if err is not None:
            rec.error, rec.detail = err, ex.header("content-encoding") or ""
            return rec
        rec.body = body
        rec.sha256 = hashlib.sha256(body).hexdigest()
        return rec


def _record(url: str, final: str, hops: list[Hop], ex: Exchange) -> FetchRecord:
    return FetchRecord(
        requested_url=url,
        final_url=final,
        redirects=tuple(hops),
        status=ex.status,
        headers=ex.headers,
        fetched_at=ex.fetched_at,
        error=ex.error,
        detail=ex.detail,
        record=ex.record,
        request_record=ex.request_record,
        warc_offset=ex.offset,
        warc_length=ex.length,
    )


def _robots_from(rec: FetchRecord, max_delay: float) -> _Robots:
    """RFC 9309 §2.3.1: 2xx parse; 4xx allow all; 5xx or no response disallow all."""
    if rec.error is not None and rec.status is None:
        return _Robots(None, disallow_all=True, record=rec)
    status = rec.status or 0
    if 400 <= status < 500:
        return _Robots(None, record=rec)
    if not 200 <= status < 300 or rec.error is not None:
        return _Robots(None, disallow_all=True, record=rec)
    parser = urllib.robotparser.RobotFileParser()
    text = rec.body.decode("utf-8", "replace")
    parser.parse(text.splitlines())
    delay = _crawl_delay(text)
    crawl_delay = min(delay, max_delay) if delay else 0.0
    return _Robots(parser, crawl_delay=crawl_delay, record=rec)


def _crawl_delay(text: str) -> float | None:
    """The ``Crawl-delay`` of our group (else of ``*``); fractions allowed, unlike urllib's."""
    found: dict[str, float] = {}
    agents: list[str] = []
    in_rules = False
    for line in text.splitlines():
        key, sep, value = line.split("#", 1)[0].partition(":")
        if not sep:
            continue
        key, value = key.strip().lower(), value.strip()
        if key == "user-agent":
            if in_rules:
                agents, in_rules = [], False
            agents.append(value.lower())
            continue
        in_rules = True
        if key == "crawl-delay":
            try:
                seconds = float(value)
            except ValueError:
                continue
            for agent in agents:
                found.setdefault(agent, seconds)
    for agent, seconds in found.items():
        if agent != "*" and ROBOTS_AGENT in agent:
            return seconds
    return found.get("*")


def decode_content(encoding: str | None, raw: bytes, cap: int) -> tuple[bytes, str | None]:
    """Undo gzip/deflate content-encoding, never inflating past ``cap`` bytes.

    Returns:
        The body and None, or ``b""`` and an error code (``too_large`` for a body
        that inflates past the cap, ``bad_encoding`` otherwise).
    """
    codings = [c.strip().lower() for c in (encoding or "").split(",") if c.strip()]
    body = raw
    for coding in reversed(codings):
        if coding in ("identity", ""):
            continue
        if coding in ("gzip", "x-gzip", "deflate"):
            wbits = 16 + zlib.MAX_WBITS if coding != "deflate" else zlib.MAX_WBITS
            try:
                body = _inflate(body, wbits, cap)
            except zlib.error:
                if coding != "deflate":
                    return b"", "bad_encoding"
                try:  # servers often send raw deflate without the zlib header
                    body = _inflate(body, -zlib.MAX_WBITS, cap)
                except zlib.error:
                    return b"", "bad_encoding"
            except OverflowError:
                return b"", "too_large"
            continue
        return b"", "bad_encoding"
    return body, None


def _inflate(data: bytes, wbits: int, cap: int) -> bytes:
    d = zlib.decompressobj(wbits)
    out = d.decompress(data, cap + 1)
    if len(out) > cap or d.unconsumed_tail:
        raise OverflowError("inflated body over the cap")
    return out


def _location(ex: Exchange) -> str | None:
    """The ``Location`` of a response, its raw UTF-8 read as UTF-8.

    Headers are kept as Latin-1, byte for byte; a server that writes a Vietnamese
    path into ``Location`` unencoded sends UTF-8, which browsers follow as UTF-8.
    """
    value = ex.header("location")
    if value is None or value.isascii():
        return value
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value  # really Latin-1: percent-encoded as it is


def _str_headers(raw: Sequence[tuple[bytes, bytes]]) -> tuple[tuple[str, str], ...]:
    return tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in raw)


def _detail(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:200]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def with_error(rec: FetchRecord, code: str, detail: str = "") -> FetchRecord:
    """Return a copy of a record marked with an error code (used by the site crawl)."""
    return replace(rec, error=code, detail=detail)
