"""policy: the policies a selling site must publish, each as a link or a section."""

from __future__ import annotations

from dataclasses import dataclass

from ecomcheck.models import Category, Confidence, Evidence, Severity
from ecomcheck.rules.base import CheckFn, RuleContext, RuleMeta, rule
from ecomcheck.rules.common import PAGES_AND_PROFILES, require_own_website, require_selling


@dataclass(frozen=True)
class _Policy:
    id: str
    name: str
    severity: Severity
    legal: tuple[str, ...]
    rationale: str


@dataclass(frozen=True)
class PolicyLinkProblem:
    """A policy link whose target was fetched and did not show a policy page.

    Only a whole-site check follows links, so only a site subject reports these (as
    ``policy_link_problems``, policy id -> problems); a page subject has none.

    Attributes:
        kind: ``dead`` (the target answered 4xx or 5xx) or ``home`` (the link, or its
            redirects, led to the home page).
        label: The link text as shown (the URL when the link has no text).
        url: The absolute URL the link points to.
        status: The HTTP status of the answer (the redirect status for ``home``).
        evidence: The link on its page, then what the target answered.
    """

    kind: str
    label: str
    url: str
    status: int | None
    evidence: tuple[Evidence, ...]

    @property
    def transient(self) -> bool:
        """A server error or "too many requests": it may load on the next visit."""
        status = self.status or 0
        return self.kind == "dead" and (500 <= status < 600 or status == 429)


_POLICIES = (
    _Policy(
        "returns",
        "Returns and refunds policy",
        Severity.MEDIUM,
        ("vn.d52.art32", "vn.d248.art14", "vn.cpl2023.art37"),
        "The general transaction conditions must state how goods are returned or exchanged "
        "and how money is refunded (time limit, procedure, who pays).",
    ),
    _Policy(
        "privacy",
        "Privacy policy",
        Severity.MEDIUM,
        ("vn.d52.art69", "vn.d248.art5"),
        "A site that collects buyers' personal data must publish how it collects, uses, keeps "
        "and protects it and how a person can see or correct it.",
    ),
    _Policy(
        "shipping",
        "Shipping and delivery policy",
        Severity.MEDIUM,
        ("vn.d52.art33", "vn.d248.art13"),
        "Buyers must know delivery methods, estimated time, area and extra costs before ordering.",
    ),
    _Policy(
        "inspection",
        "Inspection on delivery",
        Severity.LOW,
        ("vn.d52.art32", "vn.d248.art13"),
        "Since 2022 the conditions must say whether the buyer may inspect goods on delivery "
        "(chính sách kiểm hàng); Decree 248/2026 keeps it in the delivery policy.",
    ),
    _Policy(
        "payment",
        "Payment methods",
        Severity.MEDIUM,
        ("vn.d52.art34", "vn.cpl2023.art37"),
        "Buyers must be told the available payment methods and when payment is due.",
    ),
    _Policy(
        "complaints",
        "Complaint handling",
        Severity.LOW,
        ("vn.d248.art7", "vn.d52.art38"),
        "Decree 248/2026 requires a complaint mechanism with a contact method, a procedure "
        "and response times.",
    ),
    _Policy(
        "terms",
        "Terms or general transaction conditions",
        Severity.LOW,
        ("vn.d52.art32", "vn.cpl2023.art37"),
        "The general transaction conditions (điều kiện giao dịch chung) bind every sale and "
        "must be published.",
    ),
)


def _make(p: _Policy) -> CheckFn:
    rule_id = f"policy.{p.id}"

    def check(ctx: RuleContext) -> None:
        require_own_website(ctx)
        require_selling(ctx)
        mentions = ctx.subject.policies.get(p.id, [])
        if mentions:
            ctx.passed("reason.policy_found", label=mentions[0].label)
            return
        links = ctx.subject.policy_link_problems.get(p.id, ())
        if not links:
            ctx.fail(rule_id, value=p.id, absent=True)
            return
        # The same fingerprint as "missing": a suppression of one covers the other.
        lasting = [x for x in links if not x.transient]
        first = (lasting or list(links))[0]
        evidence = [ev for x in links for ev in x.evidence]
        message_id = f"{rule_id}.link_{first.kind}"
        status = first.status or "?"
        if lasting:
            ctx.fail(
                message_id, evidence, value=p.id, absent=True,
                label=first.label, url=first.url, status=status,
            )  # fmt: skip
        else:
            # A server error seen once proves the page did not load then, not that the
            # policy does not exist: a person looks again.
            ctx.review(
                message_id, evidence, value=p.id, confidence=Confidence.LOW,
                label=first.label, url=first.url, status=status,
            )  # fmt: skip

    check.__name__ = f"check_{p.id}"
    check.__doc__ = f"Fail when a selling page shows no {p.name.lower()}."
    return check


for _p in _POLICIES:
    rule(
        RuleMeta(
            id=f"policy.{_p.id}",
            name=f"{_p.name} missing",
            category=Category.POLICY,
            severity=_p.severity,
            confidence=Confidence.MEDIUM,
            legal_keys=_p.legal,
            summary=f"A page that sells shows no link to, and no section about, its "
            f"{_p.name.lower()}.",
            rationale=_p.rationale,
            limitations="A policy is recognised from link texts, link URLs and headings in "
            "the vocabulary of data/policies.toml, and for inspection also from a sentence "
            'that states it; a link going nowhere (href "#", javascript:) does not '
            "count. One page is judged alone, so a policy "
            "linked only from another page counts only in a whole-site check. In a "
            "whole-site check a link whose page answers 4xx, or leads to the home page, "
            "does not count and the finding names the dead link; a link whose page "
            "answered a server error (5xx, 429) gives `needs_review`. Seller "
            "profiles: not applicable on social networks and marketplaces; `not_assessed` "
            "for `platform: website`, whose pages the profile does not contain.",
            subjects=PAGES_AND_PROFILES,
        )
    )(_make(_p))
