"""Crawl one shop with Scrapy and check every page with ecomcheck.

Each page the spider reaches becomes an item (URL, title, the HTML) that
``ecomcheck.integrations.scrapy.EcomcheckPipeline`` checks. The item leaves the
pipeline with an ``ecomcheck`` field (status, page kind, findings with evidence)
and without the HTML; the crawl's stats count findings per rule and outcome
(``ecomcheck/findings/<rule_id>/<outcome>``).

Run it (needs ``pip install "ecomcheck[scrapy]"``)::

    scrapy runspider examples/scrapy_spider.py -a start_url=https://shop.example.vn/ \\
        -O findings.jsonl

Checks run in worker processes, one fewer than the machine has cores, so the crawl
and the checks use every core (``-s ECOMCHECK_PROCESSES=0`` checks in threads of
the crawl's own process instead). A script that starts the crawl itself with
``CrawlerProcess`` must do so under ``if __name__ == "__main__":``, because the
worker processes import it again.

Useful options (``-s NAME=VALUE``): ``ECOMCHECK_SELECT=policy,contact`` to run some
rules only, ``ECOMCHECK_DROP=unflagged`` to keep only pages with a ``fail`` finding
at or above ``ECOMCHECK_FAIL_ON`` (default ``low``), ``ECOMCHECK_LANG=en`` for English
messages, ``CLOSESPIDER_PAGECOUNT=2000`` for a bigger sweep.

To check the responses of a spider that already yields its own items, add
``ecomcheck.integrations.scrapy.EcomcheckSpiderMiddleware`` to ``SPIDER_MIDDLEWARES``
instead: it attaches the result of each response to the items scraped from it.

Be polite: the settings below obey robots.txt, throttle to the server's pace and
stop after a few hundred pages. Officers sweeping many shops run one spider per
shop (or a ``start_urls`` list) with the same settings.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from scrapy.http import HtmlResponse, Response


class ShopSpider(scrapy.Spider):
    """Follow the links of one shop and yield one item per HTML page."""

    name = "ecomcheck_shop"
    custom_settings: ClassVar[dict[str, Any]] = {
        "ITEM_PIPELINES": {"ecomcheck.integrations.scrapy.EcomcheckPipeline": 300},
        "ECOMCHECK_DROP_BODY": True,  # export the findings, not the HTML
        # Check in worker processes (one fewer than the cores; the crawl keeps one).
        "ECOMCHECK_PROCESSES": -1,
        "ROBOTSTXT_OBEY": True,
        "AUTOTHROTTLE_ENABLED": True,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 4,
        "DEPTH_LIMIT": 4,
        "CLOSESPIDER_PAGECOUNT": 500,
        "USER_AGENT": "ecomcheck-example (market surveillance; +https://example.org/contact)",
    }

    def __init__(self, start_url: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.start_urls = [start_url]
        # Stay on the shop's own host (without a port: Scrapy matches host names).
        self.allowed_domains = [urlsplit(start_url).hostname or ""]

    def parse(self, response: Response) -> Iterator[Any]:
        if not isinstance(response, HtmlResponse):
            return
        yield {
            "url": response.url,
            "status": response.status,
            "title": (response.css("title::text").get() or "").strip(),
            "content_type": response.headers.get("Content-Type", b"").decode("latin-1"),
            "body": response.body,
        }
        for href in response.css("a::attr(href)").getall():
            yield response.follow(href, callback=self.parse)
