"""Practical e-mail address detection (not RFC 5322 complete).

Addresses are found from each ``@`` outwards instead of with a pattern that starts
with a character class: that keeps the scan linear on long tokens without ``@``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["EmailMatch", "find_emails", "is_valid_email"]

_LOCAL_TAIL = re.compile(r"[A-Za-z0-9._%+\-]{1,64}$")
_DOMAIN = re.compile(
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+"
    r"(?:[A-Za-z]{2,24}|xn--[A-Za-z0-9\-]{1,59})(?![A-Za-z0-9\-])"
)
# "logo@2x.png", "icon@3x.webp": retina image names, not addresses.
_FILE_TLDS = frozenset(
    [
        "png", "jpg", "jpeg", "gif", "webp", "svg", "avif", "bmp", "ico", "tif", "tiff", "heic",
        "css", "js", "mjs", "json", "map", "mp4", "webm", "mov", "mp3", "pdf", "zip", "woff",
        "woff2", "ttf", "otf", "eot", "php", "html", "htm",
    ]
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class EmailMatch:
    """An e-mail address found in text.

    Attributes:
        start: Offset of the first character.
        end: Offset after the last character.
        raw: The address as written.
        address: The address with the domain lower-cased.
    """

    start: int
    end: int
    raw: str
    address: str


def _check(local: str, domain: str) -> bool:
    if not local or local[0] == "." or local[-1] == "." or ".." in local:
        return False
    labels = domain.split(".")
    if len(labels) < 2 or labels[-1].lower() in _FILE_TLDS:
        return False
    # "name@2x.png"-style image names end in a file extension; a domain made only
    # of a density suffix ("2x", "3x") is not a host either.
    return not re.fullmatch(r"[0-9]+(?:\.[0-9]+)?x", labels[0].lower())


def find_emails(text: str) -> list[EmailMatch]:
    """Find e-mail addresses in text.

    Args:
        text: Any text.

    Returns:
        Matches in text order.
    """
    out: list[EmailMatch] = []
    at = text.find("@")
    while at >= 0:
        nxt = text.find("@", at + 1)
        lm = _LOCAL_TAIL.search(text, max(0, at - 64), at)
        dm = _DOMAIN.match(text, at + 1) if lm is not None else None
        if lm is not None and dm is not None:
            start = lm.start()
            # Trim leading dots (sentence punctuation) off the local part.
            while start < at and text[start] in ".-+":
                start += 1
            local, domain = text[start:at], dm.group()
            if _check(local, domain):
                out.append(
                    EmailMatch(start, dm.end(), text[start : dm.end()], f"{local}@{domain.lower()}")
                )
                while nxt >= 0 and nxt < dm.end():
                    nxt = text.find("@", nxt + 1)
        at = nxt
    return out


def is_valid_email(s: str) -> bool:
    """Check that ``s`` is a plausible e-mail address.

    Rejects addresses without a dot in the domain (``"name@domain"``) and image
    names such as ``"logo@2x.png"``.

    Args:
        s: The candidate, surrounding whitespace allowed.

    Returns:
        True when the whole string is one plausible address.
    """
    s = s.strip()
    local, sep, domain = s.rpartition("@")
    if not sep or _LOCAL_TAIL.fullmatch(local) is None:
        return False
    return _DOMAIN.fullmatch(domain) is not None and _check(local, domain)
