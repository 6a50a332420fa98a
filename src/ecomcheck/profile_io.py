"""Reading seller profiles from JSON and JSON Lines, robustly and as a stream.

Crawlers write one profile per line (JSON Lines); officers save one profile as a
JSON document (or an array of them). This module tells those apart from HTML by
content, and turns every record into a :class:`ProfileRecord`: the validated
profile, or a one-line error naming the line and the field. A bad record never
stops the ones after it.

JSON Lines are read line by line in binary, so a file of any size is checked in
constant memory; a single line longer than ``MAX_LINE_BYTES`` is skipped (and
reported) without being held in memory. Blank lines are skipped; a UTF-8 byte-order
mark is accepted, and so are UTF-16/32 files that start with one.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any, Literal

from pydantic import ValidationError

from ecomcheck.profile import SellerProfile

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "MAX_LINE_BYTES",
    "InputKind",
    "ProfileRecord",
    "describe_validation_error",
    "is_array",
    "iter_document",
    "iter_jsonl",
    "sniff",
    "validate_profile",
]

InputKind = Literal["page", "json", "jsonl", "empty"]

#: A JSON document (one profile or an array of them) is read whole up to this size.
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
#: One JSON Lines record may be this long; a longer line is skipped and reported.
MAX_LINE_BYTES = 16 * 1024 * 1024

_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonlines")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WS = b" \t\r\n\x0c\x0b"


@dataclass(frozen=True, slots=True)
class ProfileRecord:
    """One record of a profile input: a profile, or why it could not be read.

    Attributes:
        source: The input's name (a file name, ``-`` for stdin).
        line: The line the record starts on (JSON Lines), or ``None``.
        index: 0-based position of the record among the records of the input.
        profile: The validated profile, or ``None`` when the record is bad.
        error: A one-line reason when the record is bad (no personal data in it).
        sha256: Hash of the record as received.
        in_array: The record is an element of a JSON array.
    """

    source: str
    line: int | None
    index: int
    profile: SellerProfile | None
    error: str | None
    sha256: str | None = None
    in_array: bool = False

    @property
    def where(self) -> str:
        """Where the record is, for messages: ``sellers.jsonl:57``, ``a.json[3]``, ``a.json``."""
        if self.line is not None:
            return f"{self.source}:{self.line}"
        if self.in_array:
            return f"{self.source}[{self.index}]"
        return self.source


def _encoding(head: bytes) -> tuple[str, int]:
    for bom, enc in _BOMS:
        if head.startswith(bom):
            return enc, len(bom)
    return "utf-8", 0


def _body(head: bytes) -> bytes:
    """The first bytes without byte-order mark and leading white space, as UTF-8."""
    enc, skip = _encoding(head)
    if enc.startswith(("utf-16", "utf-32")):
        # These codecs read their own byte-order mark; a cut last character is dropped.
        return head.decode(enc, errors="ignore").lstrip().encode("utf-8")
    return head[skip:].lstrip(_WS)


def is_array(head: bytes) -> bool:
    """Whether a JSON input starts with ``[`` (an array of profiles)."""
    return _body(head)[:1] == b"["


def sniff(head: bytes, name: str | None = None, *, at_eof: bool = False) -> InputKind:
    """Tell a seller-profile input from an HTML page by its first bytes.

    Content decides; the file name only breaks ties: input that starts with ``{``
    or ``[`` is JSON, anything else is a page. JSON starting with ``{`` is JSON
    Lines when the name ends in ``.jsonl``/``.ndjson``, or when its first line is a
    whole object and another line follows; otherwise it is one JSON document.

    Args:
        head: The first bytes of the input (64 KiB is plenty).
        name: The file name, if any.
        at_eof: ``head`` is the whole input.

    Returns:
        ``page``, ``json``, ``jsonl``, or ``empty`` for a JSON-named input with no
        content at all.
    """
    lowered = (name or "").lower()
    body = _body(head)
    if not body:
        if lowered.endswith((".json", *_JSONL_SUFFIXES)):
            return "empty"
        return "page"
    first = body[:1]
    if first == b"[":
        return "jsonl" if lowered.endswith(_JSONL_SUFFIXES) else "json"
    if first != b"{":
        return "page"
    if lowered.endswith(_JSONL_SUFFIXES):
        return "jsonl"
    nl = body.find(b"\n")
    if nl < 0:
        # One line so far: a whole short input is a document; a longer one streams.
        return "json" if at_eof or lowered.endswith(".json") else "jsonl"
    try:
        obj = json.loads(body[:nl])
    except ValueError:
        return "json"  # a pretty-printed document: "{" alone on its first line
    if not isinstance(obj, dict):
        return "json"
    rest = body[nl + 1 :].lstrip(_WS)
    if rest[:1] == b"{":
        return "jsonl"
    if not rest and not at_eof and not lowered.endswith(".json"):
        return "jsonl"
    return "json"


# ------------------------------------------------------------------------ validation


def _kind_of(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true/false"
    if isinstance(v, int | float):
        return "a number"
    if isinstance(v, str):
        return "a string"
    if isinstance(v, list):
        return "an array"
    if isinstance(v, dict):
        return "an object"
    return type(v).__name__


def _pointer(loc: tuple[int | str, ...]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in loc) or "/"


def describe_validation_error(exc: ValidationError, *, limit: int = 3) -> str:
    """Describe a profile's validation errors on one line, each naming its field.

    Input values are never repeated (they may be personal data); only their JSON
    type is named.

    Args:
        exc: The error raised by :class:`~ecomcheck.profile.SellerProfile`.
        limit: How many errors to describe before "(+N more)".

    Returns:
        e.g. ``/listings/3/price: Input should be greater than or equal to 0 (got
        a number); /phones: Input should be a valid list (got a string)``.
    """
    parts: list[str] = []
    errors = exc.errors(include_url=False)
    for err in errors[:limit]:
        msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        got = f" (got {_kind_of(err.get('input'))})" if "input" in err else ""
        parts.append(f"{_pointer(tuple(err.get('loc', ())))}: {msg}{got}")
    if len(errors) > limit:
        parts.append(f"(+{len(errors) - limit} more)")
    return "; ".join(parts)


_KNOWN_FIELDS = frozenset(SellerProfile.model_fields)


def validate_profile(obj: Any) -> tuple[SellerProfile | None, str | None]:
    """Validate one decoded JSON value as a seller profile.

    Args:
        obj: The value of one JSON document or line.

    Returns:
        ``(profile, None)``, or ``(None, reason)`` with a one-line reason naming
        the field (a JSON Pointer) for malformed input.
    """
    if not isinstance(obj, dict):
        return None, f"expected a JSON object (one seller profile), got {_kind_of(obj)}"
    if obj and not _KNOWN_FIELDS.intersection(obj):
        keys = ", ".join(sorted(_KNOWN_FIELDS - {"id"}))
        return None, f"not a seller profile: it has none of the fields {keys}"
    try:
        return SellerProfile.model_validate(obj), None
    except ValidationError as exc:
        return None, describe_validation_error(exc)


def _json_error(exc: json.JSONDecodeError, line_offset: int = 0) -> str:
    return f"not valid JSON: {exc.msg} (line {exc.lineno + line_offset}, column {exc.colno})"


# ------------------------------------------------------------------------ JSON Lines


def _readlines(stream: IO[bytes], max_line: int) -> Iterator[tuple[int, bytes | None]]:
    """Yield (line number, bytes) per line; ``None`` for a line over ``max_line``."""
    lineno = 0
    while True:
        raw = stream.readline(max_line + 1)
        if not raw:
            return
        lineno += 1
        if len(raw) > max_line and not raw.endswith(b"\n"):
            # Drain the rest of the overlong line without keeping it.
            while True:
                more = stream.readline(1 << 20)
                if not more or more.endswith(b"\n"):
                    break
            yield lineno, None
            continue
        yield lineno, raw


def iter_jsonl(
    stream: IO[bytes], source: str, *, max_line_bytes: int = MAX_LINE_BYTES
) -> Iterator[ProfileRecord]:
    """Read seller profiles from a JSON Lines stream, one record per non-blank line.

    Args:
        stream: A binary stream positioned at the start of the input.
        source: The input's name, for messages.
        max_line_bytes: The longest line read; longer lines become error records.

    Yields:
        One :class:`ProfileRecord` per non-blank line, in order; bad lines as
        records with ``error`` set and the line number.
    """
    head = stream.peek(4)[:4] if hasattr(stream, "peek") else b""
    enc, _ = _encoding(head)
    if enc.startswith(("utf-16", "utf-32")):
        yield from _iter_text_lines(stream, source, enc)
        return
    index = 0
    for lineno, raw in _readlines(stream, max_line_bytes):
        if raw is None:
            yield ProfileRecord(
                source, lineno, index, None, f"longer than {max_line_bytes} bytes; skipped"
            )
            index += 1
            continue
        if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        body = raw.strip(_WS)
        if not body:
            continue
        yield _record_from_bytes(body, source, lineno, index)
        index += 1


def _record_from_bytes(body: bytes, source: str, lineno: int, index: int) -> ProfileRecord:
    sha = hashlib.sha256(body).hexdigest()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return ProfileRecord(
            source, lineno, index, None, f"not UTF-8 text (byte {exc.start + 1})", sha
        )
    return _record_from_text(text, source, lineno, index, sha)


def _record_from_text(
    text: str, source: str, lineno: int | None, index: int, sha: str
) -> ProfileRecord:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        msg = f"not valid JSON: {exc.msg} (column {exc.colno})"
        return ProfileRecord(source, lineno, index, None, msg, sha)
    except RecursionError:
        return ProfileRecord(source, lineno, index, None, "JSON nested too deeply", sha)
    profile, error = validate_profile(obj)
    return ProfileRecord(source, lineno, index, profile, error, sha)


def _iter_text_lines(stream: IO[bytes], source: str, enc: str) -> Iterator[ProfileRecord]:
    # UTF-16/32 cannot be split on b"\n"; decode as a stream instead (rare input).
    text = io.TextIOWrapper(stream, encoding=enc, errors="replace", newline=None)
    index = 0
    for lineno, line in enumerate(text, 1):
        body = line.strip().lstrip("\ufeff")
        if not body:
            continue
        sha = hashlib.sha256(body.encode("utf-8")).hexdigest()
        yield _record_from_text(body, source, lineno, index, sha)
        index += 1


# ------------------------------------------------------------------------ documents


def iter_document(data: bytes, source: str) -> Iterator[ProfileRecord]:
    """Read a JSON document: one seller profile, or an array of them.

    Args:
        data: The whole document.
        source: The input's name, for messages.

    Yields:
        One record per profile; for an array, one per element (index set), bad
        elements as error records.
    """
    enc, skip = _encoding(data)
    sha = hashlib.sha256(data).hexdigest()
    try:
        text = data[skip:].decode(enc)
    except UnicodeDecodeError as exc:
        yield ProfileRecord(source, None, 0, None, f"not UTF-8 text (byte {exc.start + 1})", sha)
        return
    if not text.strip():
        yield ProfileRecord(source, None, 0, None, "empty file: no seller profile in it", sha)
        return
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        yield ProfileRecord(source, None, 0, None, _json_error(exc), sha)
        return
    except RecursionError:
        yield ProfileRecord(source, None, 0, None, "JSON nested too deeply", sha)
        return
    if isinstance(obj, list):
        if not obj:
            yield ProfileRecord(source, None, 0, None, "empty array: no seller profile in it", sha)
        for i, item in enumerate(obj):
            item_sha = hashlib.sha256(
                json.dumps(item, ensure_ascii=False, sort_keys=True).encode("utf-8")
            ).hexdigest()
            profile, error = validate_profile(item)
            yield ProfileRecord(source, None, i, profile, error, item_sha, in_array=True)
        return
    profile, error = validate_profile(obj)
    yield ProfileRecord(source, None, 0, profile, error, sha)
