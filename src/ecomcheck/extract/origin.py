r"""Origin statements and country names in listing text.

The labelling decree (Decree 43/2017 Art. 15, amended by Decree 111/2021) accepts a
small set of phrasings for the origin of goods ("xuất xứ", "sản xuất tại", "made
in", …) followed by an unabbreviated country name. Listings also state the brand's
home country (which is *not* the origin of the goods), make vague import claims
("hàng nhập khẩu") and use grey-channel wording that implies a country ("nội địa
Trung", "VNXK"). This module finds all of these in plain text, with offsets into
the original string; rules decide what they mean.

Knowledge lives in ``data/origin.toml`` (phrases) and ``data/countries.toml``
(country names). Matching runs line by line on :func:`ecomcheck.text.normalize`
output, so case, Unicode form and tone placement do not matter, and offsets map
back to the original.

Example:
    >>> [(s.kind, s.country) for s in extract_origin_statements(
    ...     "Xuất xứ thương hiệu: Mỹ\nSản xuất tại: Trung Quốc")]
    [('brand_origin', 'US'), ('manufacture', 'CN')]
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any, Literal, cast

import ahocorasick

from ecomcheck.text.lines import Line as _Line
from ecomcheck.text.lines import line as line_of
from ecomcheck.text.lines import split_lines
from ecomcheck.text.normalize import fold, normalize_term

__all__ = [
    "CountryMatch",
    "CountryMention",
    "OriginDataError",
    "OriginKind",
    "OriginStatement",
    "compile_origin",
    "country_mentions",
    "extract_origin_from_pairs",
    "extract_origin_statements",
    "normalize_country",
]

OriginKind = Literal[
    "origin", "manufacture", "producer", "finishing", "brand_origin", "vague", "origin_hint"
]
_KINDS: frozenset[str] = frozenset(
    ("origin", "manufacture", "producer", "finishing", "brand_origin", "vague", "origin_hint")
)
# Kinds that are labels with a value; vague claims and hints are handled separately.
_LABEL_KINDS: frozenset[str] = frozenset(
    ("origin", "manufacture", "producer", "finishing", "brand_origin")
)
_AliasClass = Literal["name", "common", "clipped", "abbr", "code"]


class OriginDataError(ValueError):
    """A packaged origin or country data file is malformed."""


@dataclass(frozen=True, slots=True)
class CountryMatch:
    """A country (or region) recognised from a name, a shorthand or a code.

    Attributes:
        code: ISO 3166-1 alpha-2 code (``EU`` for the European Union).
        name_vi: Vietnamese name.
        name_en: English name.
        is_abbreviation: The text was a shorthand or code ("TQ", "USA", "Nhật"),
            which the labelling decree does not accept on a label.
        is_region: The code is a region, not a country (``EU``).
    """

    code: str
    name_vi: str
    name_en: str
    is_abbreviation: bool
    is_region: bool = False


@dataclass(frozen=True, slots=True)
class OriginStatement:
    """One statement about where goods (or their brand) come from.

    Attributes:
        kind: ``origin``, ``manufacture``, ``producer``, ``finishing``,
            ``brand_origin`` (the brand's country, not the goods'), ``vague`` (an
            import claim naming no country) or ``origin_hint`` (wording that
            implies a country or a grey channel).
        label: The phrase as written ("Xuất xứ (Made in)", "hàng Quảng Châu").
        value: The value as written: the country name when there is one,
            otherwise the text after the label; empty for ``vague`` statements.
        country: ISO 3166-1 alpha-2 code, or ``None`` when no country is named.
        is_abbreviation: The country is given as a shorthand or code.
        start: Start of the whole statement (label and value). For statements
            from :func:`extract_origin_from_pairs`, offsets refer to the value
            string of the pair.
        end: End of the whole statement.
        value_start: Start of :attr:`value`.
        value_end: End of :attr:`value`.
        entry_id: Id of the phrase entry in ``data/origin.toml``.
        misspelling: The label is a known misspelling ("xuất sứ").
        source: ``text`` or ``pair``.
        pair_index: Index of the (label, value) pair, for ``source == "pair"``.
    """

    kind: OriginKind
    label: str
    value: str
    country: str | None
    is_abbreviation: bool
    start: int
    end: int
    value_start: int
    value_end: int
    entry_id: str
    misspelling: bool = False
    source: Literal["text", "pair"] = "text"
    pair_index: int | None = None


@dataclass(frozen=True, slots=True)
class CountryMention:
    """A country named in free text, such as a product title.

    Only unambiguous mentions are reported: full names ("Nhật Bản", "Hàn
    Quốc"), or short names and codes after an origin cue ("hàng Mỹ", "made in
    USA", "xách tay Nhật").

    Attributes:
        code: ISO 3166-1 alpha-2 code.
        name_vi: Vietnamese name.
        name_en: English name.
        is_abbreviation: Written as a shorthand or code.
        text: The name as written.
        start: Offset of the name in the original text.
        end: End offset of the name.
        cue: The normalised cue that made the mention unambiguous ("hàng",
            "made in", …), or ``None`` for a full name without one.
    """

    code: str
    name_vi: str
    name_en: str
    is_abbreviation: bool
    text: str
    start: int
    end: int
    cue: str | None


# --- data ---------------------------------------------------------------------------

# --- data ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Country:
    code: str
    name_vi: str
    name_en: str
    region: bool
    strict: bool
    veto_next: frozenset[str]  # after a common or clipped name ("Mỹ phẩm")
    veto_next_names: frozenset[str]  # after a full name ("Nam Phi công")


@dataclass(frozen=True, slots=True)
class _Alias:
    country: _Country
    klass: _AliasClass
    folded: bool  # the key is the diacritic-free spelling of the alias
    fold_mention: bool  # a folded key that free text may use

    @property
    def is_abbreviation(self) -> bool:
        return self.klass in ("clipped", "abbr", "code")

    @property
    def ambiguous(self) -> bool:
        return self.klass in ("common", "clipped")


@dataclass(frozen=True, slots=True)
class _Countries:
    by_key: Mapping[str, tuple[_Alias, ...]]
    value_re: re.Pattern[str]  # every key, for values of origin labels
    mention_re: re.Pattern[str]  # the keys free text may use


@dataclass(frozen=True, slots=True)
class _Phrase:
    id: str
    kind: str
    prose: str
    value: str
    connectors: tuple[str, ...]
    country: str | None
    bare: bool
    abbreviation: bool
    misspelling: bool
    veto_before: re.Pattern[str] | None
    veto_after: re.Pattern[str] | None


@dataclass(frozen=True, slots=True)
class _Phrases:
    exact: Mapping[str, _Phrase]  # normalised term -> entry
    folded: Mapping[str, _Phrase]  # diacritic-free term -> entry (entries with fold)
    exact_re: re.Pattern[str]
    folded_re: re.Pattern[str]
    exact_words: _Words  # the keys of exact_re, for whole scans
    folded_words: _Words
    anchor_re: re.Pattern[str]  # a cheap superset test, on folded text
    stop_re: re.Pattern[str]
    company_start_re: re.Pattern[str]
    company_suffix_re: re.Pattern[str]
    filler: frozenset[str]
    cue_before_re: re.Pattern[str]
    cue_after_re: re.Pattern[str]
    style_re: re.Pattern[str]  # "phong cách Hàn Quốc": a style, not an origin


def _read(stem: str) -> dict[str, Any]:
    name = f"{stem}.toml"
    raw = resources.files("ecomcheck").joinpath("data", name).read_text(encoding="utf-8")
    try:
        return tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise OriginDataError(f"data/{name}: invalid TOML: {exc}") from exc


def _strs(raw: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(x, str) and x.strip() for x in value):
        raise OriginDataError(f"{where}: {key!r} must be a list of non-blank strings")
    return tuple(value)


def _terms(raw: Mapping[str, Any], key: str, where: str) -> list[str]:
    return [normalize_term(w) for w in _strs(raw, key, where)]


def _alternation(keys: Iterable[str]) -> str:
    # Longest first, so "xuất xứ thương hiệu" wins over "xuất xứ".
    return "|".join(re.escape(k) for k in sorted(set(keys), key=lambda k: (-len(k), k)))


def _word_re(keys: Iterable[str]) -> re.Pattern[str]:
    alt = _alternation(keys)
    return re.compile(rf"(?<!\w)(?:{alt})(?!\w)" if alt else r"(?!)")


class _Words:
    """The matches ``_word_re(keys).finditer`` finds, from one Aho-Corasick pass.

    A ~160-way alternation tries every key at every position of a line; the
    automaton reads the line once. Among the keys found on word boundaries the
    leftmost wins, then the longest, and the next match starts after it: exactly the
    regex's choice (its alternatives are tried longest first).
    """

    __slots__ = ("_auto",)

    def __init__(self, keys: Iterable[str]) -> None:
        self._auto: Any = None
        words = set(keys)
        if words:
            auto = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
            for k in words:
                auto.add_word(k, (len(k), k))
            auto.make_automaton()
            self._auto = auto

    def finditer(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, key) of each match, in text order."""
        if self._auto is None or not text:
            return []
        n = len(text)
        found: list[tuple[int, int, str]] = []
        for last, (size, key) in self._auto.iter(text):
            start, end = last - size + 1, last + 1
            if start > 0 and ((c := text[start - 1]).isalnum() or c == "_"):
                continue  # (?<!\w), as the regex's \w: alphanumeric or "_"
            if end < n and ((c := text[end]).isalnum() or c == "_"):
                continue
            found.append((start, -end, key))
        if len(found) > 1:
            found.sort()
        out: list[tuple[int, int, str]] = []
        last_end = 0
        for start, neg_end, key in found:
            if start >= last_end:
                out.append((start, -neg_end, key))
                last_end = -neg_end
        return out


@functools.cache
def _countries() -> _Countries:
    data = _read("countries")
    entries = data.get("country")
    if not isinstance(entries, list) or not entries:
        raise OriginDataError("data/countries.toml: no [[country]] tables")
    by_key: dict[str, list[_Alias]] = {}
    seen_codes: set[str] = set()
    for raw in entries:
        code = raw.get("code")
        where = f"data/countries.toml: country {code!r}"
        if not isinstance(code, str) or not re.fullmatch(r"[A-Z]{2}", code) or code in seen_codes:
            raise OriginDataError(f"{where}: code must be two capital letters, once")
        seen_codes.add(code)
        country = _Country(
            code=code,
            name_vi=str(raw.get("name_vi", "")),
            name_en=str(raw.get("name_en", "")),
            region=bool(raw.get("region", False)),
            strict=bool(raw.get("strict", False)),
            veto_next=frozenset(_terms(raw, "veto_next", where)),
            veto_next_names=frozenset(_terms(raw, "veto_next_names", where)),
        )
        if not country.name_vi or not country.name_en:
            raise OriginDataError(f"{where}: name_vi and name_en are required")
        fold_mentions = bool(raw.get("fold_mentions", False))
        name_vi_key = normalize_term(country.name_vi)
        groups: list[tuple[_AliasClass, tuple[str, ...]]] = [
            ("name", _strs(raw, "names", where)),
            ("common", _strs(raw, "common", where)),
            ("clipped", _strs(raw, "clipped", where)),
            ("abbr", _strs(raw, "abbr", where)),
            ("code", (code, *_strs(raw, "codes", where))),
        ]
        for klass, surfaces in groups:
            for surface in surfaces:
                key = normalize_term(surface)
                variants = [(key, _Alias(country, klass, folded=False, fold_mention=False))]
                if fold(key) != key:
                    may = klass == "name" and fold_mentions and key == name_vi_key
                    variants.append((fold(key), _Alias(country, klass, True, may)))
                for k, alias in variants:
                    slot = by_key.setdefault(k, [])
                    if all(a.country.code != code for a in slot):
                        slot.append(alias)
    frozen = {k: tuple(v) for k, v in by_key.items()}
    mention_keys = [k for k, v in frozen.items() if any(not a.folded or a.fold_mention for a in v)]
    return _Countries(frozen, _word_re(frozen), _word_re(mention_keys))


def _phrase(raw: Mapping[str, Any], codes: set[str]) -> _Phrase:
    pid = raw.get("id")
    kind = raw.get("kind")
    where = f"data/origin.toml: phrase {pid!r}"
    if kind not in _KINDS or not isinstance(pid, str) or not pid.startswith(f"{kind}."):
        raise OriginDataError(f"{where}: unknown kind, or id not '<kind>.<slug>'")
    prose = raw.get("prose", "country")
    value = raw.get("value", "any")
    country = raw.get("country")
    if prose not in ("country", "party", "never") or value not in ("any", "country"):
        raise OriginDataError(f"{where}: bad prose or value mode")
    if country is not None and country not in codes:
        raise OriginDataError(f"{where}: unknown country {country!r}")
    vb = _terms(raw, "veto_before", where)
    va = _terms(raw, "veto_after", where)
    return _Phrase(
        id=pid,
        kind=kind,
        prose=prose,
        value=value,
        connectors=tuple(_terms(raw, "connectors", where)),
        country=country,
        bare=bool(raw.get("bare", False)),
        abbreviation=bool(raw.get("abbreviation", False)),
        misspelling=bool(raw.get("misspelling", False)),
        veto_before=re.compile(rf"(?:^|\W)(?:{_alternation(vb)})\s*$") if vb else None,
        veto_after=re.compile(rf"\s*(?:{_alternation(va)})(?!\w)") if va else None,
    )


# Syllables too common in listings to tell a line apart ("hàng", "sản phẩm").
_COMMON_WORDS = frozenset(
    ("hang", "san", "pham", "cua", "tai", "noi", "cong", "ty", "nam", "viet", "nuoc", "duoc",
     "dong", "nhan", "chinh", "goi", "hop", "tu", "bo", "the", "in", "of", "by", "o", "la", "tren")
)  # fmt: skip


def _anchor_re(folded_terms: Iterable[str]) -> re.Pattern[str]:
    """One word of each term, the least common: every occurrence of a term starts one.

    Searching the folded line for these is much cheaper than the full scans, and
    most lines of a page hold none of them.
    """
    words: set[str] = set()
    for term in folded_terms:
        found = _WORD_RE.findall(term)
        if found:
            # The first distinctive word: terms start with their head ("nhập khẩu
            # chính hãng", "sản xuất tại"), which is the rarer part.
            rare = [w for w in found if w not in _COMMON_WORDS and len(w) > 1]
            words.add(rare[0] if rare else max(found, key=len))
    return re.compile(rf"\b(?:{_alternation(words)})") if words else re.compile(r"(?!)")


def compile_origin() -> None:
    """Load and compile the country and origin-phrase data now (about 0.1 s, once).

    Everything is cached on first use anyway; ``Checker`` calls this so that the
    first page is not the one that pays, and threads never compile it twice.
    """
    _phrases()


@functools.cache
def _phrases() -> _Phrases:
    data = _read("origin")
    entries = data.get("phrase")
    if not isinstance(entries, list) or not entries:
        raise OriginDataError("data/origin.toml: no [[phrase]] tables")
    codes = {a.country.code for aliases in _countries().by_key.values() for a in aliases}
    exact: dict[str, _Phrase] = {}
    folded: dict[str, _Phrase] = {}
    ids: set[str] = set()
    for raw in entries:
        phrase = _phrase(raw, codes)
        if phrase.id in ids:
            raise OriginDataError(f"data/origin.toml: duplicate id {phrase.id!r}")
        ids.add(phrase.id)
        for key in _terms(raw, "terms", phrase.id):
            other = exact.get(key)
            if other is not None and other.id != phrase.id:
                raise OriginDataError(
                    f"data/origin.toml: term {key!r} in {other.id} and {phrase.id}"
                )
            exact[key] = phrase
            if raw.get("fold", False):
                folded.setdefault(fold(key), phrase)
    where = "data/origin.toml"
    value_cfg = data.get("value", {})
    mention_cfg = data.get("mentions", {})
    return _Phrases(
        exact=exact,
        folded=folded,
        exact_re=_word_re(exact),
        folded_re=_word_re(folded),
        exact_words=_Words(exact),
        folded_words=_Words(folded),
        anchor_re=_anchor_re([*map(fold, exact), *folded]),
        stop_re=_word_re(_terms(value_cfg, "stop_labels", where)),
        company_start_re=re.compile(
            rf"(?:{_alternation(_terms(value_cfg, 'company_starts', where))})(?!\w)"
        ),
        company_suffix_re=_word_re(_terms(value_cfg, "company_suffixes", where)),
        filler=frozenset(_terms(value_cfg, "fillers", where)),
        cue_before_re=re.compile(
            rf"(?:^|\W)({_alternation(_terms(mention_cfg, 'before', where))})\s*$"
        ),
        style_re=re.compile(
            rf"(?:^|\W)(?:{_alternation(_terms(mention_cfg, 'not_after', where))})"
            r"(?:\s+[\w-]+){0,2}\s*$"
        ),
        cue_after_re=re.compile(
            rf"\s*(?:{_alternation(_terms(mention_cfg, 'after', where))})(?!\w)"
        ),
    )


# --- countries ----------------------------------------------------------------------

_WORD_RE = re.compile(r"\w+")
_LETTER_RE = re.compile(r"[^\W\d_]")
# Words before a country that do not change it: "nước Nhật", "the USA".
_COUNTRY_PREFIX_RE = re.compile(r"(?:nước|the)\s+")
_WINDOW = 80


def _back(pos: int) -> int:
    # Context before a match is looked for in a short window, so long lines stay linear.
    return max(0, pos - _WINDOW)


def _pick(aliases: Sequence[_Alias], surface: str, *, mention: bool) -> _Alias | None:
    """Choose among the aliases sharing one key, given how the text spelt it."""
    upper = surface.isupper()
    usable = [
        a
        for a in aliases
        if (a.klass != "code" or upper) and (not mention or not a.folded or a.fold_mention)
    ]
    # "MY" in capitals is the code of Malaysia; "my" typed for "Mỹ" is the United States.
    if upper and any(a.klass == "code" for a in usable):
        usable = [a for a in usable if a.klass == "code"]
    if len({a.country.code for a in usable}) != 1:
        return None
    return min(usable, key=lambda a: a.folded)


def _to_match(alias: _Alias) -> CountryMatch:
    c = alias.country
    return CountryMatch(c.code, c.name_vi, c.name_en, alias.is_abbreviation, c.region)


def _next_word(text: str, pos: int) -> str:
    m = _WORD_RE.search(text, pos)
    if m is None or text[pos : m.start()].strip():
        return ""  # punctuation comes first: the phrase ends here
    return m.group()


def _vetoed(alias: _Alias, next_word: str) -> bool:
    """Whether the word after a name shows it is not the country ("Mỹ phẩm")."""
    if not next_word:
        return False
    if alias.ambiguous:
        return next_word in alias.country.veto_next
    return alias.klass == "name" and next_word in alias.country.veto_next_names


@dataclass(frozen=True, slots=True)
class _Found:
    alias: _Alias
    start: int  # offsets in the normalised line
    end: int


def _line(original: str, start: int = 0) -> _Line:
    return line_of(original, start, folded=True)


# "•\tXuất xứ" pasted through a tool that turned the tab into a letter: "•tXuất xứ".
_TAB_BULLET_RE = re.compile(r"^\s*[•·▪●◦‣∙]\s?t(?=[^\W\d_])")


def _untab(line: _Line) -> _Line:
    """Read "•tXuất xứ" as "• Xuất xứ" (the "t" is a mangled tab before a capital)."""
    m = _TAB_BULLET_RE.match(line.original)
    if m is None or not line.original[m.end()].isupper():
        return line
    n = _TAB_BULLET_RE.match(line.text)
    if n is None:
        return line
    k = n.end() - 1
    line.text = line.text[:k] + " " + line.text[k + 1 :]
    line.folded = line.folded[:k] + " " + line.folded[k + 1 :]
    return line


def _lines(text: str) -> list[_Line]:
    if "•" in text or "·" in text or "▪" in text or "●" in text:
        return [_untab(line) for line in _split_lines(text)]
    return _split_lines(text)


def _split_lines(text: str) -> list[_Line]:
    return split_lines(text, folded=True)


def _country_at(line: _Line, pos: int, *, fuzzy: bool) -> _Found | None:
    """A country name starting exactly at ``pos`` of a normalised line.

    ``fuzzy`` also accepts names whose diacritics are partly missing ("Trung
    Quôc"); it is used for label values, where a country is expected.
    """
    data = _countries()
    lead = _COUNTRY_PREFIX_RE.match(line.text, pos)
    starts = (lead.end(), pos) if lead is not None else (pos,)
    for p in starts:
        m = data.value_re.match(line.text, p)
        if fuzzy:
            # "Trung Quôc" folds to "trung quoc"; the exact pass only sees "trung".
            mf = data.value_re.match(line.folded, p)
            if mf is not None and (m is None or mf.end() > m.end()):
                m = mf
        if m is None:
            continue
        a, b = line.to_orig(m.start(), m.end())
        alias = _pick(data.by_key[m.group()], line.original[a:b], mention=False)
        if alias is None:
            continue
        nxt = _next_word(line.text, m.end())
        if _vetoed(alias, nxt) or (alias.ambiguous and alias.country.strict and nxt):
            continue
        return _Found(alias, m.start(), m.end())
    return None


def _last_name_country(line: _Line, start: int, end: int) -> _Found | None:
    """The last unambiguous full country name in a company or address value."""
    best: _Found | None = None
    data = _countries()
    for m in data.value_re.finditer(line.text, start, end):
        if any(a.klass == "name" for a in data.by_key[m.group()]):
            alias = next(a for a in data.by_key[m.group()] if a.klass == "name")
            best = _Found(alias, m.start(), m.end())
    return best


def normalize_country(s: str) -> CountryMatch | None:
    """Recognise a country from its name, shorthand or code.

    Accepts Vietnamese names with or without diacritics ("Nhật Bản", "Nhat
    Ban", "Nhật"), English names ("Japan", "South Korea", "United States"),
    ISO codes ("JP"; two-letter codes that are also words, such as "US" or
    "IN", only in capitals) and Vietnamese shorthand ("TQ", "HQ", "VN").

    Args:
        s: A string that should be a country and nothing else, e.g. the value
            of a "Xuất xứ" cell. Surrounding punctuation, "nước …" and a
            trailing parenthesis ("Hàn Quốc (Korea)") are ignored.

    Returns:
        The country, or ``None`` when the string is not (only) a country name
        or is ambiguous.
    """
    stripped = s.strip()
    head = _TRAIL_PAREN_RE.sub("", stripped)
    for candidate in dict.fromkeys((head, stripped.strip("()[] "))):
        line = _line(candidate)
        lead = _BULLETS_RE.match(line.text)
        p = lead.end() if lead else 0
        found = _country_at(line, p, fuzzy=True)
        if found is not None and not _TRAIL_RE.sub("", line.text[found.end :]):
            return _to_match(found.alias)
    return None


# --- statements ---------------------------------------------------------------------

_PAREN_RE = re.compile(r"\s*\([^()]{0,40}\)")
_TRAIL_PAREN_RE = re.compile(r"\s*\([^()]*\)\s*$")
_SEP_RE = re.compile(r"\s*(?:[:：=>»→]+|[-–—]+(?=\s|\w))\s*")
_SPACE_RE = re.compile(r"\s+")
_VALUE_END_RE = re.compile(r"[;|•\t!?]|\.(?:\s|$)|\s[-–—]\s|\s/\s")
_BULLETS_RE = re.compile(r"[\s\W_]*")
_PAREN_VALUE_RE = re.compile(r"\(([^()]{1,40})\)")
_TRAIL_RE = re.compile(r"[\s.,;:!?\-–—(]+$")
_FILLER_RE = re.compile(r"[\w%]+")
_MAX_VALUE = 120  # characters of a free-text value kept
_MAX_CELL = 60  # a next-line value longer than this is prose, not a table cell
_MAX_PLACE = 60  # a place named after "sản xuất tại" before its country, at most


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int  # offsets in the normalised line
    end: int
    phrase: _Phrase


def _hits(line: _Line) -> list[_Hit]:
    """Phrase occurrences in a line, diacritic-insensitive for entries with ``fold``.

    "Xuât xư" (tone marks missing) is folded to "xuat xu" like "xuất xứ"; entries
    whose diacritic-free form is another word ("hàng ngoại" / "hàng ngoài") only
    match as spelt.
    """
    data = _phrases()
    if data.anchor_re.search(line.folded) is None:
        return []  # most lines: no term can start here, skip the two full scans
    by_exact, by_folded = data.exact, data.folded
    found = [(a, b, 0, by_exact[k]) for a, b, k in data.exact_words.finditer(line.text)]
    found += [(a, b, 1, by_folded[k]) for a, b, k in data.folded_words.finditer(line.folded)]
    found.sort(key=lambda h: (h[0], h[0] - h[1], h[2]))
    out: list[_Hit] = []
    last = 0
    for start, end, folded, phrase in found:
        if start >= last:
            # Partly accented but not as listed ("Xuât xư"): a misspelling. Text typed
            # with no diacritics at all ("xuat xu") is not.
            span = line.text[start:end]
            if folded and span != line.folded[start:end] and not phrase.misspelling:
                phrase = replace(phrase, misspelling=True)
            out.append(_Hit(start, end, phrase))
            last = end
    return out


def _starts_with_label(line: _Line, pos: int) -> bool:
    data = _phrases()
    return bool(
        data.exact_re.match(line.text, pos)
        or data.folded_re.match(line.folded, pos)
        or data.stop_re.match(line.text, pos)
    )


def _skip_connectors(text: str, pos: int, connectors: Iterable[str]) -> int:
    """Skip spaces and at most one connector word ("từ", "tại") after ``pos``."""
    m = _SPACE_RE.match(text, pos)
    p = m.end() if m else pos
    for word in connectors:
        end = p + len(word)
        if text.startswith(word, p) and (end == len(text) or not text[end].isalnum()):
            m2 = _SPACE_RE.match(text, end)
            return m2.end() if m2 else end
    return p


def _value_end(line: _Line, start: int, later: Sequence[_Hit]) -> int:
    """Where a value that runs on in the same line ends."""
    text = line.text
    end = later[0].start if later else len(text)
    stop = _phrases().stop_re.search(text, start, end)
    if stop is not None and stop.start() > start:
        end = stop.start()
    delim = _VALUE_END_RE.search(text, start, end)
    if delim is not None:
        end = delim.start()
    end = len(_TRAIL_RE.sub("", text[:end]))
    if end - start > _MAX_VALUE:
        cut = text.rfind(" ", start, start + _MAX_VALUE)
        end = cut if cut > start else start + _MAX_VALUE
    return end


class _Extractor:
    """Walks the lines of one text; ``consumed`` stops phrases inside a value."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = _lines(text)
        self.data = _phrases()
        self.out: list[OriginStatement] = []
        self.consumed = 0  # original offset up to which text belongs to a statement

    def run(self) -> list[OriginStatement]:
        for index, line in enumerate(self.lines):
            hits = _hits(line)
            for k, hit in enumerate(hits):
                if line.span(hit.start, hit.end)[0] < self.consumed:
                    continue
                phrase = hit.phrase
                if phrase.veto_before and phrase.veto_before.search(
                    line.text, _back(hit.start), hit.start
                ):
                    continue
                if phrase.veto_after and phrase.veto_after.match(line.text, hit.end):
                    continue
                self._one(index, line, hit, hits[k + 1 :])
        return self.out

    def _one(self, index: int, line: _Line, hit: _Hit, later: Sequence[_Hit]) -> None:
        phrase = hit.phrase
        text = line.text
        label_end = hit.end
        paren = _PAREN_RE.match(text, label_end)
        if paren is not None and phrase.kind in _LABEL_KINDS:
            label_end = paren.end()  # "Xuất xứ (Made in)"
        sep = _SEP_RE.match(text, label_end)
        vpos = sep.end() if sep is not None else label_end
        later = [h for h in later if h.start >= vpos]  # not "made in" inside "(Made in)"
        label = line.span(hit.start, label_end)
        if phrase.kind == "vague":
            self._vague(
                line,
                hit,
                label,
                vpos if sep else None,
                colon=sep is not None and ":" in sep.group(),
            )
        elif phrase.kind == "origin_hint":
            self._hint(line, label, vpos, phrase)
        elif not text[vpos:].strip():
            self._cell(index, label, phrase, prefixed=bool(_LETTER_RE.search(text, 0, hit.start)))
        elif sep is not None:
            self._labelled(line, label, vpos, later, phrase)
        elif phrase.prose != "never":
            self._prose(line, line.span(hit.start, hit.end), label_end, later, phrase)

    def _emit(
        self,
        phrase: _Phrase,
        label: tuple[int, int],
        value: tuple[int, int],
        country: _Alias | None,
        *,
        kind: str | None = None,
    ) -> None:
        code = country.country.code if country else phrase.country
        abbreviation = country.is_abbreviation if country else phrase.abbreviation and bool(code)
        end = max(label[1], value[1])
        self.out.append(
            OriginStatement(
                kind=cast("OriginKind", kind or phrase.kind),
                label=self.text[label[0] : label[1]],
                value=self.text[value[0] : value[1]],
                country=code,
                is_abbreviation=abbreviation,
                start=label[0],
                end=end,
                value_start=value[0],
                value_end=value[1],
                entry_id=phrase.id,
                misspelling=phrase.misspelling,
            )
        )
        self.consumed = max(self.consumed, end)

    def _free_value(
        self, line: _Line, label: tuple[int, int], start: int, end: int, phrase: _Phrase
    ) -> None:
        # A company or address value ("P.T … Indonesia", "…, Việt Nam") may name a country.
        named = _last_name_country(line, start, end)
        self._emit(phrase, label, line.span(start, end), named.alias if named else None)

    def _labelled(
        self,
        line: _Line,
        label: tuple[int, int],
        vpos: int,
        later: Sequence[_Hit],
        phrase: _Phrase,
    ) -> None:
        """A label, a separator and a value: "Xuất xứ: Hàn Quốc"."""
        vend = _value_end(line, vpos, later)
        if vend <= vpos:
            return
        found = _country_at(line, vpos, fuzzy=True)
        if found is None and phrase.value == "country":
            # "Thương hiệu: Hada Labo (Nhật Bản)"
            pm = _PAREN_VALUE_RE.search(line.text, vpos, vend + 1)
            inner = _country_at(line, pm.start(1), fuzzy=True) if pm else None
            if pm is None or inner is None or line.text[inner.end : pm.end(1)].strip():
                return
            found = inner
        if found is not None:
            self._emit(phrase, label, line.span(found.start, found.end), found.alias)
        else:
            self._free_value(line, label, vpos, vend, phrase)

    def _cell(self, index: int, label: tuple[int, int], phrase: _Phrase, *, prefixed: bool) -> None:
        """A label alone on its line; the value is the next non-blank line."""
        nxt = next((ln for ln in self.lines[index + 1 : index + 5] if ln.text.strip()), None)
        if nxt is None:
            return
        lead = _BULLETS_RE.match(nxt.text)
        p = lead.end() if lead else 0
        if _starts_with_label(nxt, p):
            return  # "Xuất xứ thương hiệu:" left empty, then the next label
        found = _country_at(nxt, p, fuzzy=True)
        if found is not None:
            tail = nxt.text[found.end :].strip()
            if not tail or not tail[0].isalnum() or len(nxt.text) <= _MAX_CELL:
                self._emit(phrase, label, nxt.span(found.start, found.end), found.alias)
            return
        if phrase.value == "country" or prefixed:
            return  # a heading ("Thông tin thương hiệu") followed by prose
        end = len(_TRAIL_RE.sub("", nxt.text))
        if p < end and end - p <= _MAX_CELL and ":" not in nxt.text[p:end]:
            self._free_value(nxt, label, p, end, phrase)

    def _prose(
        self,
        line: _Line,
        label: tuple[int, int],
        label_end: int,
        later: Sequence[_Hit],
        phrase: _Phrase,
    ) -> None:
        """A phrase in a sentence: "Made in Japan", "sản xuất bởi Công ty …"."""
        p = _skip_connectors(line.text, label_end, phrase.connectors)
        found = _country_at(line, p, fuzzy=False)
        if found is not None:
            self._emit(phrase, label, line.span(found.start, found.end), found.alias)
            return
        if phrase.prose != "party":
            if phrase.kind in ("manufacture", "finishing"):
                # "Sản xuất và đóng gói tại Nestlé Đức, Châu Âu", "sản xuất tại nhà máy
                # ở Bình Dương, Việt Nam": a place, then its country's full name.
                end = _value_end(line, p, later)
                if 0 < end - p <= _MAX_PLACE:
                    named = self._place_country(line, p, end)
                    if named is not None:
                        self._emit(phrase, label, line.span(named.start, named.end), named.alias)
            return
        end = _value_end(line, p, later)
        value = line.text[p:end]
        data = self.data
        if end > p and (data.company_start_re.match(value) or data.company_suffix_re.search(value)):
            self._free_value(line, label, p, end, phrase)

    def _place_country(self, line: _Line, start: int, end: int) -> _Found | None:
        """The first full country name in a place ("nhà máy ở Bình Dương, Việt Nam").

        Only unambiguous full names count, and not after a style or standard word
        ("nhà máy đạt tiêu chuẩn Châu Âu" names a standard, not a place).
        """
        data = _countries()
        for m in data.value_re.finditer(line.text, start, end):
            alias = next((a for a in data.by_key[m.group()] if a.klass == "name"), None)
            if alias is None or _vetoed(alias, _next_word(line.text, m.end())):
                continue
            if self.data.style_re.search(line.text, start, m.start()):
                return None
            return _Found(alias, m.start(), m.end())
        return None

    def _country_after(self, line: _Line, pos: int, phrase: _Phrase) -> _Found | None:
        """A country after filler words and a connector ("nhập khẩu nguyên hộp từ Mỹ")."""
        text = line.text
        p = pos
        for _ in range(5):
            found = _country_at(line, _skip_connectors(text, p, phrase.connectors), fuzzy=False)
            if found is not None:
                return found
            space = _SPACE_RE.match(text, p)
            word = _FILLER_RE.match(text, space.end() if space else p)
            if word is None or word.group() not in self.data.filler:
                return None
            p = word.end()
        return None

    def _vague(
        self,
        line: _Line,
        hit: _Hit,
        label: tuple[int, int],
        value_pos: int | None,
        *,
        colon: bool,
    ) -> None:
        """An import claim: vague alone, a hint of origin with a country."""
        phrase = hit.phrase
        if value_pos is not None and line.text[value_pos:].strip():
            found = _country_at(line, value_pos, fuzzy=True)
            if found is not None:
                span = line.span(found.start, found.end)
                self._emit(phrase, label, span, found.alias, kind="origin_hint")
                return
            if colon:
                return  # "Nhập khẩu: Công ty ABC" names the importer, not a claim
        found = self._country_after(line, hit.end, phrase)
        if found is not None:
            span = line.span(found.start, found.end)
            self._emit(phrase, label, span, found.alias, kind="origin_hint")
        else:
            self._emit(phrase, label, (label[1], label[1]), None)

    def _hint(self, line: _Line, label: tuple[int, int], vpos: int, phrase: _Phrase) -> None:
        """Channel wording: "nội địa Trung", "VNXK", "xách tay Nhật"."""
        if phrase.country is not None:
            self._emit(phrase, label, label, None)
            return
        found = self._country_after(line, vpos, phrase)
        if found is not None:
            self._emit(phrase, label, line.span(found.start, found.end), found.alias)
        elif phrase.bare:
            self._emit(phrase, label, label, None)


def extract_origin_statements(text: str) -> list[OriginStatement]:
    r"""Find origin statements in plain text.

    Recognises labels with a value ("Xuất xứ: Hàn Quốc", "Xuất xứ (Made in):
    Trung Quốc", "Nước sản xuất - Thái Lan", "XUẤT XỨ : NHẬT BẢN"), a label on
    one line with its value on the next (table cells flattened to
    ``"Xuất xứ\nHàn Quốc"``), prose ("Made in Japan", "được sản xuất tại Việt
    Nam"), brand origin ("Xuất xứ thương hiệu: Mỹ"), vague import claims
    ("hàng nhập khẩu") and origin hints ("nội địa Trung", "VNXK").

    Args:
        text: Plain text with ``"\n"`` between blocks.

    Returns:
        Statements in text order. Offsets point into ``text``; ``value`` is the
        country name when one is found.
    """
    if not text:
        return []
    return _Extractor(text).run()


_CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])")
_GOODS_LABEL_KINDS = frozenset(("origin", "manufacture", "finishing"))


def _pair_phrase(label: str) -> _Phrase | None:
    """The origin entry a whole label names ("Xuất xứ (Made in)", "countryOfOrigin")."""
    line = _line(_CAMEL_RE.sub(" ", label).replace("_", " "))
    lead = _BULLETS_RE.match(line.text)
    hits = _hits(line)
    if not hits or hits[0].start != (lead.end() if lead else 0):
        return None
    rest = _PAREN_RE.sub("", line.text[hits[0].end :]).strip(" :：")
    phrase = hits[0].phrase
    return phrase if not rest and phrase.kind in _LABEL_KINDS else None


def _vague_claim(line: _Line) -> _Phrase | None:
    """The import-claim phrase of a line, unless its context vetoes it ("thuế nhập khẩu")."""
    for hit in _hits(line):
        ph = hit.phrase
        if ph.kind != "vague":
            continue
        if ph.veto_before and ph.veto_before.search(line.text, _back(hit.start), hit.start):
            continue
        if ph.veto_after and ph.veto_after.match(line.text, hit.end):
            continue
        return ph
    return None


def extract_origin_from_pairs(pairs: Iterable[tuple[str, str]]) -> list[OriginStatement]:
    """Read origin statements from (label, value) pairs.

    For specification tables, ``<dl>`` lists and JSON-LD keys: ``("Xuất xứ",
    "Hàn Quốc")``, ``("countryOfOrigin", "JP")``, ``("Xuất xứ thương hiệu",
    "Mỹ")``, ``("Thương hiệu", "Hada Labo (Nhật Bản)")``. Labels that are not
    origin labels are ignored, and so are import or channel words used as a
    label ("Nhà nhập khẩu", "Nhập khẩu").

    Args:
        pairs: Label and value strings; values should be plain text.

    Returns:
        One statement per origin pair with a non-empty value. ``source`` is
        ``"pair"``, ``pair_index`` the index of the pair, ``label`` the label as
        given, and all offsets refer to the value string.
    """
    out: list[OriginStatement] = []
    for index, (label, value) in enumerate(pairs):
        phrase = _pair_phrase(label)
        if phrase is None:
            continue
        line = _line(value)
        lead = _BULLETS_RE.match(line.text)
        p = lead.end() if lead else 0
        found = _country_at(line, p, fuzzy=True)
        if found is None and phrase.value == "country":
            pm = _PAREN_VALUE_RE.search(line.text)
            found = _country_at(line, pm.start(1), fuzzy=True) if pm else None
            if found is None:
                continue
        kind = phrase.kind
        entry_id = phrase.id
        if found is not None:
            start, end = line.span(found.start, found.end)
        else:
            vend = len(_TRAIL_RE.sub("", line.text))
            if vend <= p:
                continue
            start, end = line.span(p, vend)
            found = _last_name_country(line, p, vend)
            if found is None and phrase.kind in _GOODS_LABEL_KINDS:
                # "Nguồn gốc: Hàng ngoại nhập": the value is an import claim, which
                # the free-text reading calls vague; say the same here.
                claim = _vague_claim(line)
                if claim is not None:
                    kind, entry_id = "vague", claim.id
        out.append(
            OriginStatement(
                kind=cast("OriginKind", kind),
                label=label,
                value=value[start:end],
                country=found.alias.country.code if found else None,
                is_abbreviation=found.alias.is_abbreviation if found else False,
                start=start,
                end=end,
                value_start=start,
                value_end=end,
                entry_id=entry_id,
                misspelling=phrase.misspelling,
                source="pair",
                pair_index=index,
            )
        )
    return out


# --- mentions -----------------------------------------------------------------------

# After these cues even a short name in lower case is the country ("xách tay nhật").
_STRONG_CUES = frozenset(
    normalize_term(w)
    for w in (
        "made in", "product of", "xuất xứ", "xuất sứ", "sản xuất tại", "chế tạo tại",
        "xách tay", "nội địa", "nhập khẩu", "origin", "country of origin", "sản xuất bởi",
    )
)  # fmt: skip
_NEXT_CAP_RE = re.compile(r"\s+(\w)")


def _title_case(original: str) -> bool:
    words = [w for w in _WORD_RE.findall(original) if _LETTER_RE.match(w)]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def _cue(line: _Line, start: int, end: int) -> str | None:
    cues = _phrases()
    m = cues.cue_before_re.search(line.text, _back(start), start)
    if m is not None:
        return m.group(1)
    after = cues.cue_after_re.match(line.text, end)
    if after is None:
        return None
    # "Nhật sản xuất" / "do Nhật sản xuất", but not "thẩm mỹ sản xuất".
    before = line.text[:start].rstrip()
    if before and before[-1].isalnum() and not before.endswith(" do") and before != "do":
        return None
    return after.group().strip()


def _accept_short(line: _Line, alias: _Alias, surface: str, m: re.Match[str], cue: str) -> bool:
    """Whether a common or clipped name after a cue is the country."""
    strong = cue in _STRONG_CUES
    if not strong and not surface[:1].isupper():
        return False  # "của anh", "từ ý"
    nxt = _next_word(line.text, m.end())
    if _vetoed(alias, nxt) or (alias.country.strict and nxt):
        return False
    if strong:
        return True
    # A capitalised word after a short name makes it a given name ("của Đức Anh"),
    # unless the whole line is written in title case.
    _, b = line.to_orig(m.start(), m.end())
    nm = _NEXT_CAP_RE.match(line.original, b)
    return not (nm and nm.group(1).isupper()) or _title_case(line.original)


def country_mentions(text: str) -> list[CountryMention]:
    r"""Find countries named in free text such as titles and descriptions.

    Reports full names anywhere ("Son dưỡng Nhật Bản", "Hàn Quốc", "Japan"),
    and short names, shorthand and codes only after an origin cue ("hàng Mỹ",
    "của Pháp", "từ Úc", "nhập khẩu Đức", "xách tay Nhật", "made in USA") or
    before "sản xuất" / "nội địa". Ordinary words that look like a country are
    not reported: "mỹ phẩm", "thẩm mỹ", "anh chị", "ý kiến", "pháp luật",
    "biện pháp", "hàn xì", "máy hàn", given names ("Minh Đức", "chị Nga") and
    "Nam".

    Args:
        text: Plain text with ``"\n"`` between blocks.

    Returns:
        Mentions in text order, with offsets into ``text``.
    """
    if not text:
        return []
    data = _countries()
    out: list[CountryMention] = []
    for line in _lines(text):
        for m in data.mention_re.finditer(line.text):
            a, b = line.to_orig(m.start(), m.end())
            surface = line.original[a:b]
            alias = _pick(data.by_key[m.group()], surface, mention=True)
            if alias is None:
                continue
            cue = _cue(line, m.start(), m.end())
            if cue not in _STRONG_CUES and _phrases().style_re.search(
                line.text, _back(m.start()), m.start()
            ):
                continue
            if alias.klass == "name":
                if _vetoed(alias, _next_word(line.text, m.end())):
                    continue
            elif cue is None or (
                alias.ambiguous and not _accept_short(line, alias, surface, m, cue)
            ):
                continue
            c = alias.country
            out.append(
                CountryMention(
                    code=c.code,
                    name_vi=c.name_vi,
                    name_en=c.name_en,
                    is_abbreviation=alias.is_abbreviation,
                    text=surface,
                    start=line.start + a,
                    end=line.start + b,
                    cue=cue,
                )
            )
    return out
