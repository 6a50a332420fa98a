"""Masking of personal data in rendered evidence."""

from __future__ import annotations

import re

# A 12-digit personal identification number, possibly printed in groups.
_PERSONAL_ID = re.compile(r"(?<!\d)(\d{3})[ .]?(\d{3})[ .]?(\d{3})[ .]?(\d{3})(?!\d)")


def mask_ids_in_text(text: str) -> str:
    """Mask every 12-digit personal number in a text but its last three digits."""
    return _PERSONAL_ID.sub(lambda m: "*" * 9 + m.group(4), text)
