"""What a parser and one Python pass over its tree cost, next to ``PageDocument``.

The page check needs, for every piece of visible text, the element it sits in (for
evidence selectors, regions, links and blocks), so after the C parser has built the
tree some Python code has to visit every element. This benchmark separates the parts,
on the same seeded pages as ``bench_page.py``:

- ``lxml parse`` and ``lxml parse+text`` (the baseline of ``bench_page.py``);
- ``lxml parse+walk``: ``etree.iterwalk`` reading each element's tag, class, text and
  tail and doing nothing else, the floor of any per-element pass in Python;
- ``PageDocument``: the real document (decode, parse, visible text with offsets,
  blocks, regions, links, images, buttons);
- the same three for selectolax/Lexbor when it is installed (it is not a dependency:
  ``pip install selectolax`` to include it). Its ``traverse`` reads the same fields.

Usage: ``python benchmarks/bench_parsers.py [--rounds 7]``. Trust ratios more than
absolute numbers: the host's speed drifts.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from bench_page import measure, samples
from lxml import etree

from ecomcheck import PageDocument


def lxml_parse(data: bytes) -> Any:
    return etree.fromstring(data, etree.HTMLParser(huge_tree=True, remove_comments=True))


def lxml_text(data: bytes) -> int:
    return len(" ".join(lxml_parse(data).itertext()))


def lxml_walk(data: bytes) -> int:
    n = 0
    for event, el in etree.iterwalk(lxml_parse(data), events=("start", "end")):
        if event == "start":
            _ = (el.tag, el.get("class"), el.text)
            n += 1
        else:
            _ = el.tail
    return n


def lexbor_variants() -> dict[str, Callable[[bytes], object]]:
    try:
        from selectolax.lexbor import LexborHTMLParser
    except ImportError:
        return {}

    def text(data: bytes) -> int:
        body = LexborHTMLParser(data).body
        return len(body.text(separator=" ")) if body is not None else 0

    def walk(data: bytes) -> int:
        n = 0
        for node in LexborHTMLParser(data).root.traverse(include_text=True):
            _ = node.text_content if node.tag == "-text" else node.attributes.get("class")
            n += 1
        return n

    return {"lexbor parse": LexborHTMLParser, "lexbor parse+text": text, "lexbor parse+walk": walk}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()
    variants: dict[str, Callable[[bytes], object]] = {
        "lxml parse": lxml_parse,
        "lxml parse+text": lxml_text,
        "lxml parse+walk": lxml_walk,
        "PageDocument": lambda d: PageDocument.from_bytes(d, url="https://shop.example/").text,
        **lexbor_variants(),
    }
    names = list(variants)
    print(f"{'page':>6} " + " ".join(f"{n:>18}" for n in names) + "   (ms; x = / lxml parse+text)")
    for page, data in samples().items():
        r = measure({n: (lambda f=f, d=data: f(d)) for n, f in variants.items()}, args.rounds)
        base = r["lxml parse+text"]
        cells = [f"{r[n] * 1e3:7.2f} ({r[n] / base:4.2f}x)" for n in names]
        print(f"{page:>6} " + " ".join(f"{c:>18}" for c in cells))


if __name__ == "__main__":
    main()
