"""Registrable domains (eTLD+1) without network access.

``tldextract.TLDExtract()`` with default arguments downloads the public suffix list
on first use and writes a cache under ``~/.cache``; on a network that drops packets
the first call can hang. This module uses one extractor built with
``suffix_list_urls=()`` and ``cache_dir=None``, so only the snapshot bundled with
tldextract is read. It is created on first use: importing tldextract costs ~0.2 s.
"""

from __future__ import annotations

import ipaddress
import threading
import urllib.parse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import tldextract

__all__ = ["host_of", "registrable_domain", "same_site"]

_extractor: tldextract.TLDExtract | None = None
_lock = threading.Lock()


def _get_extractor() -> tldextract.TLDExtract:
    global _extractor
    if _extractor is None:
        with _lock:
            if _extractor is None:
                import tldextract

                _extractor = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    return _extractor


def host_of(url_or_host: str) -> str | None:
    """Lower-cased host of a URL or bare host name.

    Accepts ``"https://Shop.Example.vn:443/x"``, ``"//cdn.example.vn/a.js"``,
    ``"example.vn/path"`` and ``"example.vn"``.

    Args:
        url_or_host: A URL, scheme-relative URL or host.

    Returns:
        The host without port, user info or trailing dot, or ``None`` if there is none.
    """
    s = url_or_host.strip()
    if not s:
        return None
    if "//" not in s.split("?", 1)[0].split("#", 1)[0]:
        s = "//" + s
    try:
        host = urllib.parse.urlsplit(s).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.rstrip(".")
    return host or None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def registrable_domain(url_or_host: str) -> str | None:
    """The registrable domain (eTLD+1) of a URL or host, from the bundled suffix list.

    Private suffixes count (``shop.myshopify.com`` is its own site), as in browsers.

    Args:
        url_or_host: A URL or host, e.g. ``"https://shop.abc-store.com.vn/p/1"``.

    Returns:
        E.g. ``"abc-store.com.vn"``; ``None`` for IP addresses, hosts without a
        known public suffix (``"localhost"``) and unparsable input.
    """
    host = host_of(url_or_host)
    if host is None or _is_ip(host):
        return None
    ext = _get_extractor()(host, include_psl_private_domains=True)
    if not ext.suffix or not ext.domain:
        return None
    return f"{ext.domain}.{ext.suffix}"


def same_site(a: str, b: str) -> bool:
    """Whether two URLs or hosts belong to the same registrable domain.

    Hosts without a registrable domain (IP addresses, ``localhost``) are the same
    site only as the identical host.

    Args:
        a: First URL or host.
        b: Second URL or host.

    Returns:
        True when both resolve to the same site.
    """
    ra, rb = registrable_domain(a), registrable_domain(b)
    if ra is not None or rb is not None:
        return ra == rb
    ha, hb = host_of(a), host_of(b)
    return ha is not None and ha == hb
