"""Plug ecomcheck into the crawlers and engines that sweeps already run.

- :mod:`ecomcheck.integrations.scrapy`: an item pipeline and a spider middleware
  (extra ``ecomcheck[scrapy]``).
- :mod:`ecomcheck.integrations.spark`: a PySpark job over lists of WARC files that
  writes findings as Parquet (extra ``ecomcheck[spark]``).

Both call :func:`ecomcheck.scan.check_record`, the same per-record function as
``ecomcheck scan``, so a page gives the same findings whichever way it is checked.
Nothing here is imported by ``import ecomcheck``; each module needs its extra.
"""
