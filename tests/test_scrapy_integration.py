"""Scrapy integration: real crawls of a shop served on 127.0.0.1, and the pipeline's rules."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("scrapy")
pytest.importorskip("warcio")

import scrapy
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.settings import Settings

from ecomcheck import Checker, Config
from ecomcheck.integrations import scrapy as integration
from ecomcheck.integrations.scrapy import EcomcheckPipeline, _Core
from scale_corpus import run_crawl, serve, shop_pages

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "scrapy_spider.py"
AS_OF = "2026-11-29"
PAGES = shop_pages(8, 3)
CLEAN = PAGES[0][1]  # shop-0: no problem
DIRTY = PAGES[3][1]  # shop-1: a wrong check digit


def expected(base: str, select: tuple[str, ...] = ()) -> dict[str, set[tuple[str, str, str]]]:
    checker = Checker(Config(as_of=dt.date.fromisoformat(AS_OF), select=select))
    out = {}
    for path, html in PAGES:
        report = checker.check_page(html, url=base + path, content_type="text/html; charset=utf-8")
        out[base + path] = {(f.rule_id, f.fingerprint, f.outcome.value) for f in report.findings}
    return out


def found(items: list[dict[str, Any]]) -> dict[str, set[tuple[str, str, str]]]:
    return {
        i["url"]: {
            (f["rule_id"], f["fingerprint"], f["outcome"]) for f in i["ecomcheck"]["findings"]
        }
        for i in items
    }


def test_example_spider_crawl_attaches_findings_and_counts_them(tmp_path: Path) -> None:
    with serve(PAGES) as base:
        items, stats = run_crawl(
            tmp_path, EXAMPLE, "ShopSpider", {"ECOMCHECK_AS_OF": AS_OF}, {"start_url": base + "/"}
        )
        want = expected(base)
    pages = [i for i in items if i["url"] != base + "/"]
    assert len(pages) == len(PAGES)
    assert found(pages) == want
    assert all("body" not in i for i in items)  # ECOMCHECK_DROP_BODY in the example
    assert all(i["ecomcheck"]["url"] == i["url"] for i in items)
    # Stats: one count per finding, by rule and outcome.
    counted = Counter(
        f"ecomcheck/findings/{f['rule_id']}/{f['outcome']}"
        for i in items
        for f in i["ecomcheck"]["findings"]
    )
    assert {k: v for k, v in stats.items() if k.startswith("ecomcheck/findings/")} == dict(counted)
    assert stats["ecomcheck/checked"] == len(items)
    flagged = sum(i["ecomcheck"]["status"] == "fail" for i in items)
    assert stats["ecomcheck/flagged"] == flagged > 0
    assert stats.get("ecomcheck/items_dropped", 0) == 0  # never dropped unless asked


SPIDER = '''
import scrapy

class ItemSpider(scrapy.Spider):
    """A spider with its own items (no HTML in them), checked by the middleware."""

    name = "items"

    def __init__(self, start_url, **kw):
        super().__init__(**kw)
        self.start_urls = [start_url]

    async def parse(self, response):
        for href in response.css("a::attr(href)").getall():
            yield response.follow(href, callback=self.parse_product)

    async def parse_product(self, response):
        yield {"url": response.url, "name": response.css("h1::text").get()}
        yield {"url": response.url, "name": "variant"}
'''


def test_middleware_crawl_with_select_and_drop(tmp_path: Path) -> None:
    spider = tmp_path / "items_spider.py"
    spider.write_text(SPIDER)
    settings = {
        "SPIDER_MIDDLEWARES": {"ecomcheck.integrations.scrapy.EcomcheckSpiderMiddleware": 800},
        "ECOMCHECK_AS_OF": AS_OF,
        "ECOMCHECK_SELECT": "policy,contact",
        "ECOMCHECK_DROP": "unflagged",
    }
    with serve(PAGES) as base:
        items, stats = run_crawl(
            tmp_path, spider, "ItemSpider", settings, {"start_url": base + "/"}
        )
        want = expected(base, ("policy", "contact"))
    flagged_urls = {u for u, f in want.items() if any(o == "fail" for _, _, o in f)}
    assert {i["url"] for i in items} == flagged_urls
    assert len(items) == 2 * len(flagged_urls)  # both items of a response carry the result
    assert found(items) == {u: want[u] for u in flagged_urls}
    assert all(
        f["rule_id"].startswith(("policy.", "contact."))
        for i in items
        for f in i["ecomcheck"]["findings"]
    )
    assert stats["ecomcheck/checked"] == len(PAGES)  # once per response, not per item
    assert stats["ecomcheck/items_dropped"] == 2 * (len(PAGES) - len(flagged_urls))


# ------------------------------------------------------------------------ the pipeline alone


class Stats:
    def __init__(self) -> None:
        self.values: Counter[str] = Counter()

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self.values[key] += count


def pipeline(**settings: Any) -> tuple[EcomcheckPipeline, Stats]:
    s = Settings({"ECOMCHECK_AS_OF": AS_OF, **settings})
    stats = Stats()
    return EcomcheckPipeline(_Core(s, stats), s), stats  # type: ignore[arg-type]


def process(p: EcomcheckPipeline, item: Any) -> Any:
    return asyncio.run(p.process_item(item))


def test_pipeline_checks_seller_profile_items_and_skips_others() -> None:
    p, stats = pipeline()
    profile = {
        "platform": "facebook",
        "url": "https://facebook.com/shop",
        "display_name": "Shop",
        "phones": ["0168 456 7890"],
    }
    out = process(p, dict(profile))
    assert out["ecomcheck"]["kind"] == "profile"
    assert any(f["rule_id"].startswith("contact.") for f in out["ecomcheck"]["findings"])
    other = process(p, {"sku": "A1", "stock": 3})
    assert "ecomcheck" not in other
    bad = process(p, {"platform": "facebook", "phones": "not a list"})
    assert bad["ecomcheck"]["status"] == "not_assessed"
    assert stats.values["ecomcheck/items_skipped"] == 1
    assert stats.values["ecomcheck/checked"] == 2


def test_pipeline_drops_only_when_asked_and_keeps_body_by_default() -> None:
    html = DIRTY
    p, _ = pipeline()
    item = process(p, {"url": "https://shop-1.vn/p0", "body": html})
    assert item["body"] == html and item["ecomcheck"]["status"] == "fail"
    p, stats = pipeline(ECOMCHECK_DROP="flagged")
    with pytest.raises(DropItem):
        process(p, {"url": "https://shop-1.vn/p0", "body": html})
    assert stats.values["ecomcheck/items_dropped"] == 1
    clean = process(p, {"url": "https://shop-0.vn/p0", "body": CLEAN})
    assert clean["ecomcheck"]["status"] == "pass"
    p, _ = pipeline(ECOMCHECK_DROP="flagged", ECOMCHECK_FAIL_ON="critical")
    assert process(p, {"url": "https://shop-1.vn/p0", "body": html})


def test_pipeline_time_and_size_budgets(monkeypatch: pytest.MonkeyPatch) -> None:
    p, _ = pipeline(ECOMCHECK_TIME_BUDGET=0.2)
    real = p.core.check

    def slow(record: Any) -> dict[str, Any]:
        time.sleep(1.0)
        return real(record)

    monkeypatch.setattr(p.core, "check", slow)
    item = process(p, {"url": "https://shop-1.vn/p0", "body": DIRTY})
    assert item["ecomcheck"]["status"] == "not_assessed"
    assert "vượt quá thời gian kiểm tra" in item["ecomcheck"]["reason"]
    p, _ = pipeline(ECOMCHECK_MAX_BYTES=1000)
    item = process(p, {"url": "https://shop-1.vn/p0", "body": DIRTY})
    assert item["ecomcheck"]["status"] == "not_assessed"
    assert "vượt giới hạn dung lượng" in item["ecomcheck"]["reason"]


def test_pipeline_in_processes_gives_the_same_results() -> None:
    threads, _ = pipeline()
    procs, stats = pipeline(ECOMCHECK_PROCESSES=2)

    async def run_all(p: EcomcheckPipeline) -> list[Any]:
        items = [{"url": f"https://x.vn{path}", "body": html} for path, html in PAGES]
        return await asyncio.gather(*(p.process_item(i) for i in items))

    try:
        a = asyncio.run(run_all(threads))
        b = asyncio.run(run_all(procs))
    finally:
        procs.close_spider()
    assert found(a) == found(b)
    assert stats.values["ecomcheck/checked"] == len(PAGES)


def test_item_class_without_the_field_is_counted_not_broken(
    caplog: pytest.LogCaptureFixture,
) -> None:
    class Product(scrapy.Item):
        url = scrapy.Field()
        body = scrapy.Field()

    p, stats = pipeline()
    item = process(p, Product(url="https://shop-1.vn/p0", body=DIRTY))
    assert isinstance(item, Product)
    assert stats.values["ecomcheck/checked"] == 1
    assert "declare `ecomcheck = scrapy.Field()`" in caplog.text


def test_settings_are_validated() -> None:
    with pytest.raises(NotConfigured):
        pipeline(ECOMCHECK_ENABLED=False)
    with pytest.raises(ValueError, match="ECOMCHECK_DROP"):
        pipeline(ECOMCHECK_DROP="sometimes")
    with pytest.raises(ValueError, match="no rule"):
        pipeline(ECOMCHECK_SELECT=["no.such.rule"])
    with pytest.raises(ValueError, match="bad setting"):
        pipeline(ECOMCHECK_FAIL_ON="huge")
    assert integration.DROP_CHOICES == ("never", "flagged", "unflagged")
