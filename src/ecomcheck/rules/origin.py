"""origin: where the goods come from, as each offered product states it.

Every rule reads ``ctx.subject.offers`` (see :mod:`ecomcheck.extract.offers`) and
reports per product, naming it, so a shop owner knows which of forty products to fix.
"""

from __future__ import annotations

from collections.abc import Sequence

from ecomcheck.extract.offers import Offer, OriginFact, countries_compatible
from ecomcheck.extract.origin import normalize_country
from ecomcheck.models import Category, Confidence, Severity
from ecomcheck.rules._offers import Cap, evidence, goods_offers, product, stated, value_key
from ecomcheck.rules.base import RuleContext, RuleMeta, rule

_SUBJECTS = frozenset({"page", "profile"})
# Import wording that names a country ("nhập khẩu từ Hàn Quốc"): it says where the
# goods were bought, which is not a labelled origin but is not an unknown one either.
_IMPORT_ENTRIES = frozenset({"vague.nhap_khau", "origin_hint.imported_from"})
_REGION = "EU"
# A product sold as a set may hold items of several origins.
_BUNDLE_WORDS = ("combo", "bộ ", "set ", " + ", "kèm", "tặng", "mix", "bundle", "gift box")
_LIMITS = (
    "One page is read as shown: an origin given only in a picture, in a tab loaded later "
    "by JavaScript, or on another page is not seen. A grid card is judged only when it can "
    "be bought as shown (its own order button or a full description)."
)


def _named_goods(f: OriginFact) -> bool:
    """A statement of the goods' own country (not the brand's, not a region)."""
    return f.is_goods and f.country is not None and f.country != _REGION


def _named_import(f: OriginFact) -> bool:
    return f.kind == "origin_hint" and f.country is not None and f.entry_id in _IMPORT_ENTRIES


def _channel(f: OriginFact) -> bool:
    """Grey-channel wording: "hàng Quảng Châu", "nội địa Trung", "VNXK", "xách tay"."""
    return f.kind == "origin_hint" and f.entry_id not in _IMPORT_ENTRIES


def _has_country(o: Offer) -> bool:
    return any(_named_goods(f) or _named_import(f) for f in o.origins)


def _english(label: str) -> bool:
    return label.isascii()


@rule(
    RuleMeta(
        id="origin.missing",
        name="Product offered without its origin",
        category=Category.ORIGIN,
        severity=Severity.MEDIUM,
        confidence=Confidence.MEDIUM,
        legal_keys=("vn.d43.art10", "vn.cpl2023.art37", "vn.d52.art30", "vn.l122.prohibited"),
        summary="A product offered for sale states no origin (xuất xứ) at all: no "
        "'Xuất xứ', 'Sản xuất tại', 'Made in' or similar, in its specification, its "
        "description or its structured data; or only an origin label with no country "
        "('Xuất xứ: Đang cập nhật'), or only grey-channel wording ('hàng Quảng Châu').",
        rationale="Origin is mandatory label content for all goods (Decree 43/2017 Art. 10, "
        "as amended by Decree 111/2021), a seller must give it before a remote sale "
        "(Consumer Protection Law 2023 Art. 37), and the 2025 Law on E-commerce bans "
        "trading goods of unknown origin.",
        limitations=_LIMITS,
        subjects=_SUBJECTS,
    )
)
def missing(ctx: RuleContext) -> None:
    """Fail for each judged product that states no origin."""
    cap = Cap(ctx, "origin.more")
    for o in goods_offers(ctx):
        facts = o.origins
        if _has_country(o):
            continue
        if any(f.kind == "brand_origin" and f.country for f in facts):
            continue  # origin.brand_only
        if any(f.kind == "vague" or (f.is_goods and f.country == _REGION) for f in facts):
            continue  # origin.vague
        if not cap.take():
            continue
        channel = [f for f in facts if _channel(f)]
        blank = [f for f in facts if f.is_goods and not f.country]
        name = product(o)
        if channel:
            f = channel[0]
            ctx.fail(
                "origin.missing.hint",
                evidence(ctx, o, f),
                value=value_key(o, "hint"),
                absent=True,
                product=name,
                phrase=stated(f),
            )
        elif blank:
            f = blank[0]
            ctx.fail(
                "origin.missing.no_country",
                evidence(ctx, o, f),
                value=value_key(o, "no_country"),
                absent=True,
                product=name,
                phrase=stated(f),
            )
        else:
            ctx.fail(
                "origin.missing", evidence(ctx, o), value=value_key(o), product=name, absent=True
            )
    cap.close()
    ctx.passed("reason.origin_found")


@rule(
    RuleMeta(
        id="origin.vague",
        name="Vague origin: imported, from abroad, no country",
        category=Category.ORIGIN,
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        legal_keys=("vn.d43.art15", "vn.d43.art10", "vn.cpl2023.art37"),
        summary="A product's only origin is a vague claim naming no country: 'hàng nhập "
        "khẩu', 'hàng ngoại', 'nhập khẩu chính hãng', 'Nguồn gốc: hàng ngoại nhập'. A "
        "region instead of a country ('Xuất xứ: Châu Âu') is flagged for review.",
        rationale="Origin is written as a phrase such as 'xuất xứ' or 'sản xuất tại' followed "
        "by the name of a country (Decree 43/2017 Art. 15 as amended by Decree 111/2021). "
        "'Imported' says the goods are foreign without saying from where.",
        limitations=_LIMITS + " 'Nhập khẩu' in duties, importer names and Tiki's customs "
        "boilerplate is not a claim and is ignored.",
        subjects=_SUBJECTS,
    )
)
def vague(ctx: RuleContext) -> None:
    """Fail for each judged product whose only origin names no country."""
    cap = Cap(ctx, "origin.more")
    for o in goods_offers(ctx):
        if _has_country(o):
            continue
        claims = [f for f in o.origins if f.kind == "vague"]
        regions = [f for f in o.origins if f.is_goods and f.country == _REGION]
        if (claims or regions) and not cap.take():
            continue
        if claims:
            f = claims[0]
            ctx.fail(
                "origin.vague",
                evidence(ctx, o, f),
                value=value_key(o, "vague"),
                product=product(o),
                phrase=stated(f),
            )
        elif regions:
            f = regions[0]
            ctx.review(
                "origin.vague.region",
                evidence(ctx, o, f),
                value=value_key(o, "region"),
                severity=Severity.LOW,
                confidence=Confidence.MEDIUM,
                product=product(o),
                phrase=stated(f),
            )
    cap.close()
    ctx.passed("reason.origin_specific")


@rule(
    RuleMeta(
        id="origin.abbreviated",
        name="Country of origin abbreviated",
        category=Category.ORIGIN,
        severity=Severity.LOW,
        confidence=Confidence.MEDIUM,
        legal_keys=("vn.d43.art15",),
        summary="The country of origin is written as a shorthand or a code ('Xuất xứ: TQ', "
        "'HQ', 'VN', 'Nhật') in a Vietnamese origin statement.",
        rationale="The labelling decree requires the country's name, not an abbreviation "
        "(Decree 43/2017 Art. 15). Online it is a weak signal, so a person should look.",
        limitations="English labels ('Made in USA', 'Origin: UK') and codes in structured "
        "data (schema.org expects ISO codes) are not flagged.",
        subjects=_SUBJECTS,
    )
)
def abbreviated(ctx: RuleContext) -> None:
    """Flag for review each origin statement whose country is abbreviated."""
    cap = Cap(ctx, "origin.more")
    for o in goods_offers(ctx):
        seen: set[str] = set()
        for f in o.origins:
            if (
                f.country
                and f.is_abbreviation
                and (f.is_goods or f.kind == "brand_origin")
                and not f.structured
                and not _english(f.label)
                and f.value.casefold() not in seen
            ):
                seen.add(f.value.casefold())
                if not cap.take():
                    continue
                ctx.review(
                    "origin.abbreviated",
                    evidence(ctx, o, f),
                    value=value_key(o, f.value.casefold()),
                    product=product(o),
                    phrase=stated(f),
                )
    cap.close(review=True)
    ctx.passed("reason.country_names_full")


@rule(
    RuleMeta(
        id="origin.brand_only",
        name="Brand origin given instead of the goods' origin",
        category=Category.ORIGIN,
        severity=Severity.MEDIUM,
        confidence=Confidence.MEDIUM,
        legal_keys=("vn.d43.art15", "vn.cpl2023.art37"),
        summary="A product states only where its brand comes from ('Xuất xứ thương hiệu: "
        "Pháp', 'Thương hiệu Nhật Bản') and not where the goods were made.",
        rationale="The home country of a brand is not the origin of the goods: a Korean "
        "brand is often made in China or Vietnam. Buyers read the brand's country as the "
        "origin, so a person should check what the label says.",
        limitations=_LIMITS,
        subjects=_SUBJECTS,
    )
)
def brand_only(ctx: RuleContext) -> None:
    """Flag for review each judged product that names only its brand's country."""
    cap = Cap(ctx, "origin.more")
    for o in goods_offers(ctx):
        if _has_country(o):
            continue
        brands = [f for f in o.origins if f.kind == "brand_origin" and f.country]
        if brands and cap.take():
            f = brands[0]
            ctx.review(
                "origin.brand_only",
                evidence(ctx, o, f),
                value=value_key(o, "brand", f.country or ""),
                product=product(o),
                phrase=stated(f),
            )
    cap.close(review=True)
    ctx.passed("reason.goods_origin_found")


def _claims(o: Offer) -> tuple[list[OriginFact], list[OriginFact]]:
    """Labelled origins of the goods, and other wording that implies a country."""
    labelled: list[OriginFact] = []
    implied: list[OriginFact] = []
    for f in o.origins:
        if not f.country or f.country == _REGION:
            continue
        if f.kind in ("origin", "manufacture"):
            labelled.append(f)
        elif f.kind == "producer" and normalize_country(f.value) is not None:
            labelled.append(f)  # "Sản phẩm của Nhật Bản", not a company's address
        elif f.kind == "origin_hint" and (
            f.entry_id not in _IMPORT_ENTRIES or f.source in ("title", "listing")
        ):
            # Import wording in a description is often about an ingredient ("muối
            # khoáng nhập từ Đức"); in the title it is about the product.
            implied.append(f)
    order = {"spec": 0, "jsonld": 1, "microdata": 1, "listing": 1, "text": 2, "title": 3}
    labelled.sort(key=lambda f: order.get(f.source, 4))
    return labelled, implied


def _conflict(
    labelled: Sequence[OriginFact], implied: Sequence[OriginFact]
) -> tuple[OriginFact, OriginFact] | None:
    if not labelled:
        return None
    first = labelled[0]
    assert first.country is not None
    for other in (*labelled[1:], *implied):
        assert other.country is not None
        if not countries_compatible(first.country, other.country):
            return first, other
    return None


def _bundle(o: Offer) -> bool:
    name = f" {o.name.casefold()} "
    return any(w in name for w in _BUNDLE_WORDS)


@rule(
    RuleMeta(
        id="origin.contradiction",
        name="Origin contradicted on the same page",
        category=Category.ORIGIN,
        severity=Severity.HIGH,
        confidence=Confidence.MEDIUM,
        legal_keys=("vn.cpl2023.art37", "vn.d43.art15", "vn.l122.prohibited"),
        summary="A product's origin is stated as one country and contradicted by another on "
        "the same page: the specification against the title, the description or the "
        "structured data, or grey-channel wording ('hàng Quảng Châu', 'nội địa Trung', "
        "'hàng VNXK') for goods labelled as from elsewhere.",
        rationale="Origin must be stated truthfully (Decree 43/2017 Art. 15); two origins for "
        "one product mislead the buyer at least once, and misleading origin claims are "
        "banned by the 2025 Law on E-commerce. Relabelled Chinese goods sold as Vietnamese "
        "or Korean are a recurring enforcement case.",
        limitations=_LIMITS + " Brand origin, importer and place of packing do not count "
        "as contradictions; sets and combos ('Combo', 'Bộ', '+') may hold items of "
        "several origins and are flagged for review instead.",
        subjects=_SUBJECTS,
    )
)
def contradiction(ctx: RuleContext) -> None:
    """Fail for each judged product whose page gives two incompatible origins."""
    cap = Cap(ctx, "origin.more")
    for o in goods_offers(ctx):
        found = _conflict(*_claims(o))
        if found is None or not cap.take():
            continue
        first, other = found
        report = ctx.review if _bundle(o) else ctx.fail
        report(
            "origin.contradiction",
            evidence(ctx, o, first, other),
            value=value_key(o, *sorted((first.country or "", other.country or ""))),
            product=product(o),
            first=stated(first),
            second=stated(other),
        )
    cap.close()
    ctx.passed("reason.origin_consistent")
