"""Goods rules: banned and restricted goods, counterfeits, smuggling, health claims.

Every rule reads ``ctx.subject.goods`` — the goods hits and the decision on each
(see :mod:`ecomcheck.extract.goods`) — and reports one finding per data entry:
``fail`` when any occurrence was judged a clear offer, otherwise ``needs_review``.
Evidence lists up to five occurrences, so an officer sees each offending listing.
A finding cites the legal references of its entry, not every reference of the rule
(a rule's metadata lists the union over its entries). Its confidence follows the
entry's tier: ``high`` for a clear offer of a high-tier entry, ``medium`` for a clear
offer of a medium- or low-tier entry, ``low`` for anything sent for review.
Pages and seller profiles expose the same ``goods`` property and
``field_evidence``, so the rules run unchanged on both.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ecomcheck.models import Category, Confidence, Evidence, Severity
from ecomcheck.rules.base import RuleContext, RuleMeta, rule
from ecomcheck.terms import load_terms

if TYPE_CHECKING:
    from ecomcheck.extract.goods import GoodsHit

_EVIDENCE_MAX = 5
_SUBJECTS = frozenset({"page", "profile"})
_LIMITS = (
    "Reads words, not pictures: an offer shown only in an image or a video is not "
    "seen. Sellers invent new cover terms; the term data lists the known ones. "
    "Context is read from the same sentence and the page kind, so an offer worded "
    "as a warning, or a warning laid out like an offer, can be misjudged."
)


@dataclass(frozen=True)
class _Group:
    """One goods rule: which subcategories of which category it reports."""

    rule_id: str
    category: Category
    subcategories: frozenset[str] | None  # None: every subcategory not claimed elsewhere
    name: str
    severity: Severity
    summary: str
    rationale: str
    limitations: str = ""


_RG = Category.RESTRICTED_GOODS
_GROUPS: tuple[_Group, ...] = (
    _Group(
        "restricted_goods.e_cigarette",
        _RG,
        frozenset({"e_cigarette", "heated_tobacco"}),
        "E-cigarettes or heated tobacco offered",
        Severity.HIGH,
        "Offers of e-cigarettes, vapes, pods, e-liquids, heated-tobacco devices and "
        "sticks, their parts and the cover terms sellers use for them.",
        "Trading, importing and using e-cigarettes and heated tobacco is banned since "
        "2025 (National Assembly Resolution 173/2024) and they are a banned business "
        "line under the Investment Law.",
    ),
    _Group(
        "restricted_goods.tobacco",
        _RG,
        frozenset({"tobacco"}),
        "Cigarettes, cigars or other tobacco offered online",
        Severity.MEDIUM,
        "Offers of cigarettes, cigars, shisha and traditional tobacco.",
        "Finished tobacco needs a licence and is on the list of goods that may not be "
        "traded on e-commerce websites.",
    ),
    _Group(
        "restricted_goods.alcohol",
        _RG,
        frozenset({"alcohol_online"}),
        "Alcohol offered online",
        Severity.MEDIUM,
        "Offers of spirits, wine, beer and home-brewed or soaked liquor.",
        "Alcohol is on the list of goods that may not be traded on e-commerce "
        "websites; spirits of 15% or more were banned from Internet sale by Decree "
        "105/2017, and unlabelled home-brewed liquor is a food-safety risk.",
    ),
    _Group(
        "restricted_goods.narcotics",
        _RG,
        frozenset({"narcotics"}),
        "Narcotics or addictive gases offered",
        Severity.CRITICAL,
        "Offers of narcotics (cannabis, methamphetamine, ecstasy, ketamine, LSD, "
        "psilocybin, opiates), drug-laced food and drink, and laughing gas.",
        "Narcotics are a banned business line and a crime under the Penal Code; "
        "Resolution 173/2024 also bans addictive gases.",
    ),
    _Group(
        "restricted_goods.drugs",
        _RG,
        frozenset({"prescription_drugs", "controlled_drugs"}),
        "Prescription or controlled drugs offered online",
        Severity.HIGH,
        "Offers of prescription drugs (antibiotics, PDE5 inhibitors, abortion pills, "
        "corticoids), specially controlled drugs, drugs 'without prescription', and "
        "hand-carried foreign drugs.",
        "The Pharmacy Law 44/2024 allows online retail only of non-prescription drugs "
        "not under special control; prescription drugs may be sold online only during "
        "a group-A epidemic quarantine.",
    ),
    _Group(
        "restricted_goods.weapons",
        _RG,
        frozenset({"weapons", "support_tools", "military_goods", "dangerous_toys"}),
        "Weapons, support tools or military goods offered",
        Severity.HIGH,
        "Offers of guns and their key parts, ammunition, explosives, swords and combat "
        "knives, brass knuckles, pepper sprays, stun guns and batons, military and "
        "police insignia, and dangerous toys.",
        "The 2024 Law on Weapons, Explosives and Support Tools bans trading them; "
        "homemade and compressed-air guns and key gun parts count as military weapons.",
    ),
    _Group(
        "restricted_goods.fireworks",
        _RG,
        frozenset({"fireworks"}),
        "Firecrackers or fireworks offered",
        Severity.HIGH,
        "Offers of firecrackers (pháo nổ), fireworks resold outside the licensed "
        "military outlets, and firecracker powder and precursors.",
        "Decree 137/2020 bans firecrackers for everyone and lets people buy fireworks "
        "only from licensed Ministry of Defence enterprises.",
    ),
    _Group(
        "restricted_goods.wildlife",
        _RG,
        frozenset({"wildlife"}),
        "Wildlife products offered",
        Severity.HIGH,
        "Offers of protected wildlife and its parts: rhino horn, ivory, tiger and bear "
        "products, pangolin, live primates, birds and reptiles, wild meat, wild "
        "agarwood, orchids and ginseng.",
        "Trading and advertising protected wildlife is banned (Decree 64/2019, "
        "Decree 38/2021 Art. 33) and can be a crime under Penal Code Art. 244.",
    ),
    _Group(
        "restricted_goods.other",
        _RG,
        None,
        "Other banned goods or services offered",
        Severity.HIGH,
        "Offers of forged documents, counterfeit money, invoices, bank accounts and "
        "personal data, pre-activated SIM cards, gambling, toxic chemicals and banned "
        "pesticides, lean-meat agents for livestock, borax for food, covert recording "
        "devices, signal jammers, electric fishing gear, sky lanterns, obscene or "
        "superstitious cultural products, and antiquities.",
        "These goods and services are banned by the Investment Law, the Penal Code, "
        "the personal-data, animal-husbandry, food-safety and fisheries laws, or the "
        "legacy banned-goods lists that marketplaces still apply.",
    ),
    _Group(
        "counterfeit.offer",
        Category.COUNTERFEIT,
        None,
        "Counterfeit or infringing goods offered",
        Severity.HIGH,
        'Replica and fake grades ("rep 1:1", "super fake", "like auth", "F1", '
        '"hàng nhái"), fake labels, rebuilt phones, pirated books, software and '
        "shared accounts.",
        "Trading counterfeit and IP-infringing goods is fined under Decree 98/2020 "
        "(up to 200 million VND for individuals, double for organisations) and is "
        "prohibited by the 2025 E-commerce Law.",
    ),
    _Group(
        "smuggling.offer",
        Category.SMUGGLING,
        None,
        "Smuggled or undocumented goods offered",
        Severity.MEDIUM,
        'Goods offered as smuggled ("hàng lậu", "hàng tuồn"), without invoices or '
        'origin, without a Vietnamese sub-label, hand-carried ("hàng xách tay", not '
        'the handbag "túi xách tay"), and banned used-goods imports ("quần áo si", '
        '"hàng thùng", "hàng bãi").',
        "Goods without lawful origin or invoices are seized and fined under Decree "
        "98/2020; imported goods must carry a Vietnamese label (Decree 43/2017); "
        "used consumer goods may not be imported (Decree 69/2018).",
    ),
    _Group(
        "health_claim.cure_claim",
        Category.HEALTH_CLAIM,
        frozenset({"cure_claim", "disease_cure", "replaces_medicine", "miracle"}),
        "Food, supplement or cosmetic claiming to cure disease",
        Severity.HIGH,
        'Claims that a food, supplement or cosmetic cures or treats disease ("chữa '
        'khỏi", "đặc trị", "khỏi 100%", "dứt điểm"), cures cancer or chronic '
        "diseases, replaces medicine, or works miracles.",
        "Advertising food as if it cured disease is prohibited (Law on Advertising "
        "2012; Decree 15/2018 Art. 27 for health supplements); such claims mislead "
        "patients into dropping treatment.",
    ),
    _Group(
        "health_claim.supplement_notice",
        Category.HEALTH_CLAIM,
        frozenset({"supplement_listing"}),
        "Health supplement without the not-a-medicine notice",
        Severity.MEDIUM,
        "A health supplement (thực phẩm bảo vệ sức khỏe, thực phẩm chức năng) is "
        'offered but the page or listing lacks the notice "Thực phẩm này không phải là '
        'thuốc, không có tác dụng thay thế thuốc chữa bệnh".',
        "Decree 15/2018 Art. 27 cl. 3(a) requires every advertisement of a health "
        "supplement to carry the notice, and the product label must show it too "
        "(Decree 43/2017 as amended by Decree 111/2021).",
        "Either half of the notice, with or without diacritics, is accepted, anywhere on "
        "the page (for a profile: in the listing or the seller's own texts). A notice "
        "shown only in a product picture or in a tab the page did not load is not seen. "
        "'Viên uống' listings may be over-the-counter drugs rather than supplements, so "
        "they are sent for review unless selling words or a second entry agree.",
    ),
)


def _claimed() -> dict[str, str]:
    """Subcategory -> rule id for the rules that name their subcategories."""
    return {
        sub: g.rule_id for g in _GROUPS if g.subcategories is not None for sub in g.subcategories
    }


_CLAIMED = _claimed()
_FALLBACK = {g.category.value: g.rule_id for g in _GROUPS if g.subcategories is None}


def rule_for(category: str, subcategory: str) -> str:
    """The goods rule that reports entries of a category and subcategory.

    Args:
        category: The entry's category.
        subcategory: The entry's subcategory.

    Returns:
        The rule id.
    """
    rid = _CLAIMED.get(subcategory)
    if rid is not None and rid.startswith(category + "."):
        return rid
    return _FALLBACK[category]


def _legal_keys(rule_id: str) -> tuple[str, ...]:
    keys: dict[str, None] = {}
    for e in load_terms():
        if rule_for(e.category, e.subcategory) == rule_id:
            keys.update(dict.fromkeys(e.legal))
    return tuple(keys)


@functools.cache
def _entry_legal() -> dict[str, tuple[str, ...]]:
    """Entry id -> the legal keys the entry cites."""
    return {e.id: e.legal for e in load_terms()}


def _cited(hits: Iterable[GoodsHit]) -> tuple[str, ...]:
    """The legal keys of the entries behind some hits, entries in id order.

    Empty when no entry is known (the engine then cites every key of the rule).
    """
    legal = _entry_legal()
    entries = sorted({h.entry_id for h in hits})
    return tuple(dict.fromkeys(k for e in entries for k in legal.get(e, ())))


def _evidence(ctx: RuleContext, hits: Iterable[GoodsHit]) -> list[Evidence]:
    return [
        ctx.subject.field_evidence(
            h.field,
            h.start,
            h.end,
            matched=h.matched,
            entry_id=h.entry_id,
            context=list(h.context),
        )
        for h in hits
    ]


def _priority(h: GoodsHit) -> tuple[bool, bool, str, int]:
    secondary = h.region is not None and h.region not in ("main", "other")
    return (h.outcome != "fail", secondary, h.field or "", h.start)


def _report(ctx: RuleContext) -> None:
    rid = ctx.meta.id
    mine = [h for h in ctx.subject.goods if rule_for(h.category, h.subcategory) == rid]
    kept = [h for h in mine if h.kept]
    if not kept:
        if mine:
            ctx.passed("reason.goods_not_offered", count=len(mine))
        else:
            ctx.passed("reason.goods_none")
        return
    by_entry: dict[str, list[GoodsHit]] = {}
    for h in kept:
        by_entry.setdefault(h.entry_id, []).append(h)
    for entry_id, hits in by_entry.items():
        fails = [h for h in hits if h.outcome == "fail"]
        # The clearest occurrences first: offers in the main content before mentions
        # in a footer or sidebar, then in document order.
        shown = sorted(hits, key=_priority)[:_EVIDENCE_MAX]
        first = shown[0]
        evidence = _evidence(ctx, shown)
        if fails:
            report, message_id = ctx.fail, rid
            confidence = Confidence.HIGH if first.tier == "high" else Confidence.MEDIUM
        else:
            report, message_id, confidence = ctx.review, rid + ".review", Confidence.LOW
        report(
            message_id,
            evidence,
            value=entry_id,
            confidence=confidence,
            legal_keys=_cited(shown),
            entry=entry_id,
            term=first.term,
            matched=first.matched[:120],
            reason=",".join(first.reason),
        )


def _register(g: _Group) -> None:
    meta = RuleMeta(
        id=g.rule_id,
        name=g.name,
        category=g.category,
        severity=g.severity,
        confidence=Confidence.MEDIUM,
        legal_keys=_legal_keys(g.rule_id),
        summary=g.summary,
        rationale=g.rationale,
        limitations=f"{_LIMITS} {g.limitations}".strip(),
        subjects=_SUBJECTS,
    )
    rule(meta)(_report)


for _g in _GROUPS:
    _register(_g)
