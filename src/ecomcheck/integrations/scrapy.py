"""Scrapy integration: check what a crawl collects, attach findings, count them in stats.

Two components, usable alone or together (extra ``ecomcheck[scrapy]``):

- :class:`EcomcheckPipeline`, an item pipeline, checks items that carry a page (its
  HTML in ``body``, its address in ``url``, optionally ``content_type``) or that are
  seller profiles (design §5 fields). The check runs in a thread, so the crawl's
  event loop keeps downloading meanwhile, and has a time budget. With
  ``ECOMCHECK_PROCESSES`` it runs in that many worker processes instead (each
  building its checker once), so the crawl uses more than one core.
- :class:`EcomcheckSpiderMiddleware` checks the *response* an item was scraped from
  (once per response, when its first item comes out) and attaches the result to
  every item from it; the spider need not copy the HTML into items. The check runs
  inline, so it has a size budget but no time budget.

Each checked page or profile gets, under ``ECOMCHECK_FIELD`` (``"ecomcheck"``), the
compact result of :func:`ecomcheck.scan.check_record` (status, page kind, findings
with evidence) or, with ``ECOMCHECK_FULL_REPORT``, the whole report as well. Stats:

- ``ecomcheck/checked``, ``ecomcheck/status/<status>``, ``ecomcheck/flagged``;
- ``ecomcheck/findings/<rule_id>/<outcome>``: findings per rule and outcome;
- ``ecomcheck/items_dropped``, ``ecomcheck/items_skipped`` (items with no page or
  profile in them).

Items are dropped only when ``ECOMCHECK_DROP`` says so. Settings:

================================ ==========================================================
``ECOMCHECK_ENABLED``            ``True``
``ECOMCHECK_SELECT``             rule ids or prefixes to run (list or comma-separated)
``ECOMCHECK_IGNORE``             rule ids or prefixes not to run
``ECOMCHECK_FAIL_ON``            lowest severity of a ``fail`` finding that flags (``low``)
``ECOMCHECK_DROP``               ``never`` (default), ``flagged`` or ``unflagged`` items
``ECOMCHECK_LANG``               ``vi`` (default) or ``en``
``ECOMCHECK_AS_OF``              date whose legal regime applies (``YYYY-MM-DD``)
``ECOMCHECK_FIELD``              item field the result goes to (``ecomcheck``)
``ECOMCHECK_FULL_REPORT``        add the whole report under ``report`` (``False``)
``ECOMCHECK_MAX_BYTES``          size budget of one page (8 MiB)
``ECOMCHECK_TIME_BUDGET``        time budget of one check in seconds (30; pipeline only)
``ECOMCHECK_BODY_FIELD``         item field with the HTML (``body``; pipeline only)
``ECOMCHECK_URL_FIELD``          item field with the URL (``url``; pipeline only)
``ECOMCHECK_CONTENT_TYPE_FIELD`` item field with the Content-Type (``content_type``)
``ECOMCHECK_DROP_BODY``          remove the HTML from the item once checked (``False``)
``ECOMCHECK_PROCESSES``          check processes for the pipeline: 0 (default) checks in
                                 threads of the crawl's process, N in N processes, -1 in
                                 one fewer than the cores (asyncio reactor only)
================================ ==========================================================

Example ``settings.py``::

    ITEM_PIPELINES = {"ecomcheck.integrations.scrapy.EcomcheckPipeline": 300}
    ECOMCHECK_SELECT = ["business_registration", "moit_notification"]
    ECOMCHECK_DROP_BODY = True
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import multiprocessing
import os
from collections.abc import AsyncIterator, Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any, Final

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem, NotConfigured

from ecomcheck.config import Config
from ecomcheck.models import Outcome, Severity, Subject
from ecomcheck.render.messages import render
from ecomcheck.scan import (
    DEFAULT_MAX_BYTES,
    DEFAULT_TIME_BUDGET,
    Record,
    check_record,
    record_error,
    result_row,
)

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import Settings
    from scrapy.statscollectors import StatsCollector

    from ecomcheck.engine import Checker

__all__ = ["EcomcheckPipeline", "EcomcheckSpiderMiddleware"]

log = logging.getLogger("ecomcheck.scrapy")

DROP_CHOICES: Final = ("never", "flagged", "unflagged")


def _asyncio_available() -> bool:
    try:
        from scrapy.utils.asyncio import is_asyncio_available
    except ImportError:  # Scrapy before 2.14
        from scrapy.utils.reactor import is_asyncio_reactor_installed

        return bool(is_asyncio_reactor_installed())
    return bool(is_asyncio_available())


async def _in_thread(fn: Callable[[], dict[str, Any]], timeout: float | None) -> dict[str, Any]:
    """Run ``fn`` in a thread under the asyncio loop or the Twisted reactor."""
    if _asyncio_available():
        task = asyncio.to_thread(fn)
        return await (asyncio.wait_for(task, timeout) if timeout else task)
    from twisted.internet import reactor, threads

    d = threads.deferToThread(fn)
    if timeout:
        d.addTimeout(timeout, reactor)
    result: dict[str, Any] = await d
    return result


def _timeout_errors() -> tuple[type[BaseException], ...]:
    from twisted.internet.defer import TimeoutError as TwistedTimeout

    return (asyncio.TimeoutError, TimeoutError, TwistedTimeout)


_WORKER_CHECKER: list[Checker] = []


def _init_worker(config: Config) -> None:
    """Build the checker of a check process once (ProcessPoolExecutor initializer)."""
    import signal

    from ecomcheck.engine import Checker

    # Ctrl-C reaches the crawl's whole process group; Scrapy alone handles it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER_CHECKER[:] = [Checker(config)]


def _check_in_worker(record: Record, time_budget: float | None, full: bool) -> dict[str, Any]:
    # The main thread of a worker process: the time budget's timer works here.
    return check_record(_WORKER_CHECKER[0], record, time_budget=time_budget, full_report=full)


class _Processes:
    """Check processes for the pipeline, so that a crawl uses more than one core."""

    def __init__(self, n: int, config: Config) -> None:
        self.n = n
        self.config = config
        self._pool: ProcessPoolExecutor | None = None

    def pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            ctx = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(
                self.n, mp_context=ctx, initializer=_init_worker, initargs=(self.config,)
            )
        return self._pool

    def reset(self, pool: ProcessPoolExecutor) -> None:
        # A worker that died breaks its whole executor: the next check starts a new one.
        if self._pool is pool:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        # Best effort against a worker stuck in C code: the executor would wait for it.
        procs = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for proc in procs:
            proc.join(5)
            if proc.is_alive():
                proc.kill()


class _Core:
    """Settings, the checker, stats and the drop rule shared by both components."""

    def __init__(self, settings: Settings, stats: StatsCollector) -> None:
        if not settings.getbool("ECOMCHECK_ENABLED", True):
            raise NotConfigured("ECOMCHECK_ENABLED is off")
        from pydantic import ValidationError

        from ecomcheck.engine import Checker

        as_of = settings.get("ECOMCHECK_AS_OF")
        try:
            self.config = Config(
                select=tuple(settings.getlist("ECOMCHECK_SELECT")),
                ignore=tuple(settings.getlist("ECOMCHECK_IGNORE")),
                lang=settings.get("ECOMCHECK_LANG", "vi"),
                as_of=dt.date.fromisoformat(str(as_of)) if as_of else None,
            )
            self.fail_on = Severity(str(settings.get("ECOMCHECK_FAIL_ON", "low")).lower())
        except (ValidationError, ValueError) as exc:
            raise ValueError(f"ecomcheck: bad setting: {exc}") from exc
        self.drop = str(settings.get("ECOMCHECK_DROP", "never")).lower()
        if self.drop not in DROP_CHOICES:
            raise ValueError(f"ecomcheck: ECOMCHECK_DROP must be one of {', '.join(DROP_CHOICES)}")
        self.field = str(settings.get("ECOMCHECK_FIELD", "ecomcheck"))
        self.full_report = settings.getbool("ECOMCHECK_FULL_REPORT", False)
        self.max_bytes = settings.getint("ECOMCHECK_MAX_BYTES", DEFAULT_MAX_BYTES)
        budget = settings.getfloat("ECOMCHECK_TIME_BUDGET", DEFAULT_TIME_BUDGET)
        self.time_budget: float | None = budget if budget > 0 else None
        self.stats = stats
        # Built once per crawl; a Checker is read-only after construction, so the
        # pipeline's threads share it.
        self.checker: Checker = Checker(self.config)
        if not self.checker.rules:
            raise ValueError("ecomcheck: ECOMCHECK_SELECT/IGNORE leave no rule to run")
        self._warned_fields: set[str] = set()

    def page_record(self, url: str | None, body: bytes | str, content_type: str | None) -> Record:
        data = body.encode("utf-8") if isinstance(body, str) else bytes(body)
        key = url or "(no url)"
        if len(data) > self.max_bytes:
            return Record(
                key=key,
                source=key,
                url=url,
                content_type=content_type,
                payload=None,
                **record_error("scan.over_size_budget", limit=self.max_bytes),
            )
        return Record(key=key, source=key, url=url, content_type=content_type, payload=data)

    def check(self, record: Record) -> dict[str, Any]:
        return check_record(self.checker, record, full_report=self.full_report)

    def timed_out(self, record: Record) -> dict[str, Any]:
        seconds = f"{self.time_budget:g}"
        reason = render(self.checker.config.lang, "scan.time_budget", {"seconds": seconds})
        subject = Subject(kind=record.kind, url=record.url)
        return result_row(self.checker.not_assessed(subject, reason), record)

    def count(self, result: dict[str, Any]) -> bool:
        """Record stats for one result; return whether it is flagged."""
        inc = self.stats.inc_value
        inc("ecomcheck/checked")
        inc(f"ecomcheck/status/{result['status']}")
        flagged = False
        for f in result["findings"]:
            inc(f"ecomcheck/findings/{f['rule_id']}/{f['outcome']}")
            if (
                f["outcome"] == Outcome.FAIL.value
                and not f.get("suppressed")
                and Severity(f["severity"]).rank >= self.fail_on.rank
            ):
                flagged = True
        if flagged:
            inc("ecomcheck/flagged")
        return flagged

    def attach(self, adapter: ItemAdapter, result: dict[str, Any]) -> None:
        try:
            adapter[self.field] = result
        except KeyError:
            # A scrapy.Item without the field: say so once, keep the crawl going.
            name = type(adapter.item).__name__
            if name not in self._warned_fields:
                self._warned_fields.add(name)
                log.warning(
                    "ecomcheck: %s has no field %r for the result; declare "
                    "`%s = scrapy.Field()` (findings are still counted in stats)",
                    name,
                    self.field,
                    self.field,
                )

    def maybe_drop(self, flagged: bool, result: dict[str, Any]) -> None:
        if (self.drop == "flagged" and flagged) or (self.drop == "unflagged" and not flagged):
            self.stats.inc_value("ecomcheck/items_dropped")
            what = "flagged" if flagged else "not flagged"
            raise DropItem(f"ecomcheck: {what} ({result.get('url')})")


class EcomcheckPipeline:
    """Item pipeline: check items that carry a page or are a seller profile.

    An item with an HTML body (``ECOMCHECK_BODY_FIELD``) is checked as a page; an
    item without one is checked as a seller profile when it has profile fields,
    and passed on untouched (``ecomcheck/items_skipped``) otherwise. An item that
    already has a result (from :class:`EcomcheckSpiderMiddleware`) is only counted
    for dropping, not checked again.
    """

    def __init__(self, core: _Core, settings: Settings) -> None:
        self.core = core
        self.body_field = str(settings.get("ECOMCHECK_BODY_FIELD", "body"))
        self.url_field = str(settings.get("ECOMCHECK_URL_FIELD", "url"))
        self.ctype_field = str(settings.get("ECOMCHECK_CONTENT_TYPE_FIELD", "content_type"))
        self.drop_body = settings.getbool("ECOMCHECK_DROP_BODY", False)
        n = settings.getint("ECOMCHECK_PROCESSES", 0)
        if n < 0:
            n = max(1, (os.cpu_count() or 2) - 1)
        self.processes = _Processes(n, core.config) if n > 0 else None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EcomcheckPipeline:
        """Build the pipeline from the crawl's settings (Scrapy calls this)."""
        assert crawler.stats is not None
        return cls(_Core(crawler.settings, crawler.stats), crawler.settings)

    def close_spider(self, spider: Any = None) -> None:
        """Stop the check processes, if any (Scrapy calls this at the end)."""
        if self.processes is not None:
            self.processes.close()

    async def process_item(self, item: Any, spider: Any = None) -> Any:
        """Check one item, attach the result, count it; drop it if so configured.

        Raises:
            DropItem: ``ECOMCHECK_DROP`` asks to drop items like this one.
        """
        core = self.core
        adapter = ItemAdapter(item)
        existing = adapter.get(core.field)
        if isinstance(existing, dict) and "findings" in existing:
            core.maybe_drop(_is_flagged(existing, core.fail_on), existing)
            return item
        record = self._record(adapter)
        if record is None:
            core.stats.inc_value("ecomcheck/items_skipped")
            return item
        if self.processes is not None and _asyncio_available():
            result = await self._in_process(record)
        else:
            try:
                result = await _in_thread(lambda: core.check(record), core.time_budget)
            except _timeout_errors():
                # The thread cannot be stopped; its result is simply not waited for.
                result = core.timed_out(record)
        flagged = core.count(result)
        core.attach(adapter, result)
        if self.drop_body and record.kind == "page":
            adapter.pop(self.body_field, None)
        core.maybe_drop(flagged, result)
        return item

    async def _in_process(self, record: Record) -> dict[str, Any]:
        assert self.processes is not None
        core = self.core
        budget = core.time_budget
        for _attempt in range(2):
            pool = self.processes.pool()
            future = pool.submit(_check_in_worker, record, budget, core.full_report)
            try:
                # The worker interrupts a slow record itself; this is the backstop for
                # a record stuck where its timer cannot reach (that worker is left to
                # finish: stopping it would take the other records in flight with it).
                return await asyncio.wait_for(
                    asyncio.wrap_future(future), 2 * budget + 5 if budget else None
                )
            except TimeoutError:
                return core.timed_out(record)
            except BrokenProcessPool:
                # Every record in flight fails with the worker that died; try once more.
                self.processes.reset(pool)
        subject = Subject(kind=record.kind, url=record.url)
        reason = render(core.checker.config.lang, "scan.process_died")
        return result_row(core.checker.not_assessed(subject, reason), record)

    def _record(self, adapter: ItemAdapter) -> Record | None:
        url = adapter.get(self.url_field)
        url = str(url) if url else None
        body = adapter.get(self.body_field)
        if isinstance(body, bytes | bytearray | memoryview | str) and body:
            ctype = adapter.get(self.ctype_field)
            return self.core.page_record(
                url,
                bytes(body) if not isinstance(body, str) else body,
                str(ctype) if ctype else None,
            )
        from ecomcheck.profile_io import validate_profile

        data = {k: v for k, v in adapter.items() if k != self.core.field}
        profile, error = validate_profile(data)
        if profile is None and error and error.startswith("not a seller profile"):
            return None
        key = url or str(data.get("display_name") or data.get("id") or "(profile)")
        failed = record_error("scan.invalid_record", detail=error) if error else {}
        return Record(key=key, source=key, kind="profile", profile=profile, url=url, **failed)


class EcomcheckSpiderMiddleware:
    """Spider middleware: check the response items come from, attach the result to each.

    The response is checked once, when the first item scraped from it comes out of
    the spider; responses that yield only requests are not checked. Non-HTML
    responses are left alone. Items ``ECOMCHECK_DROP`` asks to drop are left out of
    the spider's output (counted in ``ecomcheck/items_dropped``).
    """

    def __init__(self, core: _Core) -> None:
        self.core = core

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EcomcheckSpiderMiddleware:
        """Build the middleware from the crawl's settings (Scrapy calls this)."""
        assert crawler.stats is not None
        return cls(_Core(crawler.settings, crawler.stats))

    def process_spider_output(
        self, response: Response, result: Iterable[Any], spider: Any = None
    ) -> Iterable[Any]:
        """Attach the response's result to each item of the spider's output."""
        state: dict[str, Any] = {}
        for o in result:
            if (out := self._process(response, o, state)) is not None:
                yield out

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any], spider: Any = None
    ) -> AsyncIterator[Any]:
        """Asynchronous form of :meth:`process_spider_output`."""
        state: dict[str, Any] = {}
        async for o in result:
            if (out := self._process(response, o, state)) is not None:
                yield out

    def _process(self, response: Response, o: Any, state: dict[str, Any]) -> Any:
        from scrapy import Request

        if isinstance(o, Request) or not ItemAdapter.is_item(o):
            return o
        if "result" not in state:
            state["result"] = self._check(response)
            if state["result"] is not None:
                state["flagged"] = self.core.count(state["result"])
        result = state["result"]
        if result is None:
            return o
        adapter = ItemAdapter(o)
        if adapter.get(self.core.field) is None:
            self.core.attach(adapter, result)
        try:
            self.core.maybe_drop(state["flagged"], result)
        except DropItem as exc:
            log.debug("%s", exc)
            return None
        return o

    def _check(self, response: Response) -> dict[str, Any] | None:
        raw = response.headers.get("Content-Type")
        ctype = raw.decode("latin-1") if isinstance(raw, bytes) else None
        if ctype and ctype.split(";", 1)[0].strip().lower() not in (
            "text/html",
            "application/xhtml+xml",
        ):
            return None
        return self.core.check(self.core.page_record(response.url, response.body, ctype))


def _is_flagged(result: dict[str, Any], fail_on: Severity) -> bool:
    return any(
        f["outcome"] == Outcome.FAIL.value
        and not f.get("suppressed")
        and Severity(f["severity"]).rank >= fail_on.rank
        for f in result.get("findings") or []
    )
