"""Turn the bytes of a fetched page into text, the way the page was meant to be read.

Order of trust: a byte-order mark, then strict UTF-8 (valid UTF-8 with non-ASCII bytes
is UTF-8 whatever the labels say: "UTF-8 served with a wrong Latin-1 label" is the
common real failure), then the HTTP charset, then the charset declared in the page,
then a statistical guess, then UTF-8 with replacement characters. Never raises.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["Decoded", "declared_charset", "decode_html", "http_charset", "normalize_label"]

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# File signatures of things that are not text at all.
_MAGIC: tuple[bytes, ...] = (
    b"\x89PNG\r\n\x1a\n",
    b"GIF87a",
    b"GIF89a",
    b"\xff\xd8\xff",  # JPEG
    b"%PDF-",
    b"PK\x03\x04",  # ZIP, DOCX, XLSX, JAR
    b"PK\x05\x06",
    b"\x1f\x8b",  # gzip: a body that was not inflated
    b"BZh",
    b"\xfd7zXZ\x00",
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07",
    b"\x7fELF",
    b"MZ",
    b"\x00asm",
    b"wOFF",
    b"wOF2",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # OLE (old Office)
    b"\x28\xb5\x2f\xfd",  # zstd
    b"OggS",
    b"ID3",
    b"fLaC",
)

# C0 controls other than tab, LF, FF, CR; HTML text practically never contains them.
_CONTROL_BYTES = bytes(range(0x00, 0x09)) + b"\x0b" + bytes(range(0x0E, 0x20)) + b"\x7f"

_META_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:+-]{1,40})""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:+-]{1,40})""")
_JUNK = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")
_HTTP_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([^"';,\s]+)""", re.IGNORECASE)

# WHATWG Encoding Standard label mapping, for the labels where Python's codec differs
# from what browsers do (Latin-1 labels mean windows-1252; GB2312 means GBK/GB18030).
_LABELS: dict[str, str | None] = {
    "utf8": "utf-8",
    "utf-8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
    "unicode11utf8": "utf-8",
    "unicode20utf8": "utf-8",
    "x-unicode20utf8": "utf-8",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "ansi_x3.4-1968": "cp1252",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252",
    "iso88591": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "cp819": "cp1252",
    "ibm819": "cp1252",
    "windows-1252": "cp1252",
    "x-cp1252": "cp1252",
    "cp1252": "cp1252",
    "iso-8859-9": "cp1254",
    "latin5": "cp1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "windows-874": "cp874",
    "windows-1258": "cp1258",
    "x-cp1258": "cp1258",
    "cp1258": "cp1258",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "windows-949": "cp949",
    "big5": "big5hkscs",
    "x-mac-roman": "mac_roman",
    "macintosh": "mac_roman",
    "shift_jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    # Labels a page may declare but that cannot describe ASCII-compatible bytes, or that
    # are unsafe (UTF-7): browsers ignore them, so do we.
    "utf-16": None,
    "utf-16le": None,
    "utf-16be": None,
    "utf-32": None,
    "unicode": None,
    "ucs-2": None,
    "utf-7": None,
    "x-user-defined": None,
    "replacement": None,
}


@dataclass(frozen=True, slots=True)
class Decoded:
    """The decoded text of a page.

    Attributes:
        text: the decoded text, NUL characters removed; NFC-normalised when decoded
            from windows-1258, whose tone marks are combining characters.
        encoding: the Python codec name that produced ``text``.
        warnings: what went wrong or was guessed: ``binary_input``,
            ``encoding_guessed``, ``decoding_replaced``, ``nul_bytes_removed``.
    """

    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def normalize_label(label: str | None) -> str | None:
    """Map a charset label to a Python codec name, or None when unknown or unusable.

    Args:
        label: a label as found in a Content-Type header or a ``<meta>`` element.

    Returns:
        A codec name accepted by ``bytes.decode``, or None.
    """
    if not label:
        return None
    key = label.strip().strip("\"'").lower()
    if key in _LABELS:
        return _LABELS[key]
    try:
        info = codecs.lookup(key)
    except (LookupError, ValueError):
        return None
    # codecs also knows base64, rot13, zlib …: only real text encodings qualify.
    if not getattr(info, "_is_text_encoding", True):
        return None
    return info.name


def http_charset(content_type: str | None) -> str | None:
    """Return the charset parameter of a Content-Type header value, if any."""
    if not content_type:
        return None
    m = _HTTP_CHARSET.search(content_type)
    return m.group(1) if m else None


def declared_charset(data: bytes, limit: int = 4096) -> str | None:
    """Return the charset a page declares in its first ``limit`` bytes, if any.

    Looks at ``<meta charset>``, ``<meta http-equiv="Content-Type" content="…;
    charset=…">`` and an XML declaration.
    """
    head = data[:limit]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return m.group(1).decode("ascii", "replace") if m else None


def _is_binary(data: bytes) -> bool:
    if data.startswith(_MAGIC):
        return True
    if data[:4] == b"RIFF" and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return True
    if data[4:8] == b"ftyp":  # MP4 / MOV / HEIC
        return True
    sample = data[:8192]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls >= 8 and controls * 50 > len(sample)


def _utf16_without_bom(data: bytes) -> str | None:
    # ASCII-heavy UTF-16 has a NUL in every other byte.
    sample = data[:4096]
    if len(sample) < 16:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) * 10 > len(odd) * 7 and even.count(0) * 10 < len(even):
        return "utf-16-le"
    if even.count(0) * 10 > len(even) * 7 and odd.count(0) * 10 < len(odd):
        return "utf-16-be"
    return None


def _mostly_utf8(data: bytes) -> str | None:
    # UTF-8 with a few broken sequences (a truncated download, one stray Latin-1 byte)
    # is still UTF-8: decoding it as a legacy code page would garble every letter.
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    non_ascii = len(text) - len(text.encode("ascii", "ignore")) - bad
    # Legacy code pages almost never form valid multi-byte sequences, so even a
    # modest majority of valid ones is conclusive.
    if bad <= 0 or non_ascii >= 4 * bad:
        return text
    return None


def _try(data: bytes, codec: str | None) -> str | None:
    if codec is None:
        return None
    try:
        return data.decode(codec)
    except Exception:  # any codec failure means "not this one"
        return None


# windows-1258 writes most toned Vietnamese letters as a base letter and a combining
# tone mark; these are the five marks and the letters that carry them.
_TONE_MARK = re.compile("[\u0300\u0301\u0303\u0309\u0323]")
_TONE_BASES = frozenset("aeiouyâêôăơưAEIOUYÂÊÔĂƠƯ")
_VI_LETTERS = re.compile("[ăđơưĂĐƠƯ₫]")
# Letters of a word, and the non-letters of windows-1252 a word never holds inside it
# (Central European or Asian bytes read as windows-1252 give "³", "¹", "¿", "¼" …).
_WORD = re.compile(r"[^\W\d_]+")
_CP1252_SYMBOLS = "".join(
    ch
    for ch in bytes(range(0x80, 0x100)).decode("cp1252", "ignore")
    # nbsp, soft hyphen, middle dot, apostrophe, dashes and ellipsis do sit in words.
    if not ch.isalpha() and ch not in "\u00a0\u00ad\u00b7\u2019\u2013\u2014\u2026"
)
_SYMBOL_IN_WORD = re.compile(f"(?<=[^\\W\\d_])[{re.escape(_CP1252_SYMBOLS)}](?=[^\\W\\d_])")


def _vietnamese_cp1258(data: bytes) -> str | None:
    """The text, when the bytes read as windows-1258 are Vietnamese.

    Vietnamese written in windows-1258 puts a combining tone mark after a vowel in
    most words, and uses ă, đ, ơ, ư. Western text read as windows-1258 has none of
    these marks (its ì, ò, Ì, Ò, Ý bytes become marks, mostly after consonants), so
    marks that follow vowels decide.
    """
    text = _try(data, "cp1258")
    if text is None:
        return None
    good = bad = 0
    for m in _TONE_MARK.finditer(text):
        i = m.start()
        if i > 0 and text[i - 1] in _TONE_BASES:
            good += 1
        else:
            bad += 1
    if good == 0 or bad * 4 > good:
        return None
    if good + len(_VI_LETTERS.findall(text, 0, 200_000)) < 2:
        return None
    return text


def _western_cp1252(data: bytes) -> str | None:
    """The text, when the bytes read as windows-1252 look like a Western language.

    Western languages write words in ASCII letters with a few accented ones; text in
    another script read as windows-1252 gives words made only of accented letters
    ("Ïðèâåò") or symbols inside words ("w³asny").
    """
    text = _try(data, "cp1252")
    if text is None:
        return None
    sample = text[:200_000]
    if _SYMBOL_IN_WORD.search(sample):
        return None
    accented = foreign = 0
    for m in _WORD.finditer(sample):
        word = m.group()
        if word.isascii() or len(word) < 3:
            continue
        accented += 1
        if not any(c.isascii() for c in word):
            foreign += 1
    if accented and foreign * 5 > accented:
        return None
    return text


def _guess(data: bytes) -> tuple[str, str] | None:
    # The statistical detector reads short Western text as a Central European or
    # Baltic code page, and short Vietnamese as Big5: the two code pages a shop page
    # without a charset is most likely in are tried first, on evidence.
    if (text := _vietnamese_cp1258(data)) is not None:
        return text, "cp1258"
    if (text := _western_cp1252(data)) is not None:
        return text, "cp1252"
    try:
        from charset_normalizer import from_bytes  # lazy: 40 ms import, rarely needed

        best = from_bytes(data).best()
    except Exception:  # the detector must not take the page down with it
        return None
    if best is None:
        return None
    codec = normalize_label(str(best.encoding))
    text = _try(data, codec)
    if text is None or codec is None:
        return None
    return text, codec


def decode_html(data: bytes, content_type: str | None = None) -> Decoded:
    """Decode the bytes of an HTML page (or anything that claims to be one).

    Args:
        data: the body as received (bytes, bytearray or memoryview).
        content_type: the HTTP Content-Type header value, if known.

    Returns:
        The decoded text, the codec used and warnings. Binary input (images,
        archives, PDFs, random bytes) is flagged ``binary_input``; the text is then a
        best effort and should not be assessed.
    """
    try:
        return _decode(bytes(data), content_type)
    except Exception:  # last line of defence: decoding must never raise
        return Decoded(bytes(data).decode("utf-8", "replace"), "utf-8", ("decoding_replaced",))


def _decode(data: bytes, content_type: str | None) -> Decoded:
    warnings: list[str] = []
    text: str | None = None
    codec = "utf-8"

    for bom, name in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            text = _try(body, name)
            if text is None:
                text = body.decode(name, "replace")
                warnings.append("decoding_replaced")
            codec = name
            break

    if text is None and (utf16 := _utf16_without_bom(data)):
        text = _try(data, utf16)
        if text is not None:
            codec = utf16

    if text is None and (data[:1] == b"\x00" or data[-1:] == b"\x00"):
        # NUL padding (a pre-allocated file, a broken download) is not binary content.
        padded = data.strip(b"\x00")
        if padded and _utf16_without_bom(data) is None:
            data = padded
            warnings.append("nul_bytes_removed")
    if text is None and _is_binary(data):
        text = data.decode("utf-8", "replace")
        warnings.append("binary_input")

    if text is None and b"\x00" in data:
        # NUL bytes are never text in a byte-oriented encoding; dropping them before
        # decoding also mends a UTF-8 sequence a NUL was injected into.
        data = data.replace(b"\x00", b"")
        warnings.append("nul_bytes_removed")
    # Strict UTF-8 of NUL-free bytes holds no NUL: no need to scan the text for one.
    nul_free = False
    if text is None:
        text = _try(data, "utf-8")
        nul_free = text is not None
    if text is None:
        text = _mostly_utf8(data)
        if text is not None:
            warnings.append("decoding_replaced")
    if text is None:
        for label in (http_charset(content_type), declared_charset(data)):
            declared = normalize_label(label)
            if declared == "utf-8":
                continue  # already failed above
            text = _try(data, declared)
            if text is not None and declared is not None:
                codec = declared
                break
    if text is None and (guess := _guess(data)):
        text, codec = guess
        warnings.append("encoding_guessed")
    if text is None:
        text = data.decode("utf-8", "replace")
        codec = "utf-8"
        warnings.append("decoding_replaced")

    if codec == "cp1258":
        # Tone marks come out as combining characters: recompose them.
        text = unicodedata.normalize("NFC", text)
    if not nul_free and "\x00" in text:
        text = text.replace("\x00", "")
        if "nul_bytes_removed" not in warnings:
            warnings.append("nul_bytes_removed")
    suspicious = bool(warnings) or codec != "utf-8"
    if suspicious and "binary_input" not in warnings and _mostly_garbage(text):
        warnings.append("binary_input")
    return Decoded(text, codec, tuple(warnings))


def _mostly_garbage(text: str) -> bool:
    # Only reached off the clean UTF-8 path: replacement characters and controls
    # making up a tenth of the text mean it was never text.
    sample = text[:8192]
    if len(sample) < 32:
        return False
    return len(_JUNK.findall(sample)) * 10 > len(sample)
