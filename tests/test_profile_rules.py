"""Rules on seller profiles: one fixture per category, evidence pointers, masking."""

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

import ecomcheck
from ecomcheck import Checker, Config, Report, RunStatus, SellerProfile
from ecomcheck.engine import fingerprint

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "profiles"
AS_OF = dt.date(2026, 11, 29)
CHECKER = Checker(Config(strict=True, as_of=AS_OF))


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text("utf-8"))
    return data


def check(data: dict[str, Any] | SellerProfile, **kw: Any) -> Report:
    return CHECKER.check_profile(data, **kw)


def found(report: Report) -> set[tuple[str, str]]:
    return {(f.rule_id, f.outcome.value) for f in report.findings}


def categories(report: Report) -> set[str]:
    return {f.category.value for f in report.findings}


def has_rule(prefix: str) -> bool:
    return any(m.id.startswith(prefix) for m in ecomcheck.list_rules())


def test_clean_seller_passes_everything() -> None:
    report = check(load("clean.json"))
    assert report.findings == []
    assert report.status is RunStatus.PASS
    assert report.subject.kind == "profile"
    assert report.subject.name == "Gốm Sứ An Phát"
    assert report.subject.url == "https://shopee.vn/gomsuanphat"
    assert report.rule_runs["business_registration.identity_missing"].status is RunStatus.PASS
    assert report.rule_runs["contact.no_contact"].status is RunStatus.PASS


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("no_registration.json", {("business_registration.identity_missing", "fail")}),
        ("bad_check_digit.json", {("business_registration.check_digit", "fail")}),
        ("platform_number.json", {("business_registration.platform_number", "needs_review")}),
        ("no_contact.json", {("contact.no_contact", "fail"), ("contact.no_address", "fail")}),
        ("vague_address.json", {("contact.no_address", "needs_review")}),
        ("restricted_goods.json", {("restricted_goods.e_cigarette", "fail")}),
        ("counterfeit.json", {("counterfeit.offer", "fail")}),
        ("smuggling.json", {("smuggling.offer", "fail"), ("smuggling.offer", "needs_review")}),
        (
            "health_claim.json",
            {
                ("health_claim.cure_claim", "fail"),
                ("health_claim.supplement_notice", "fail"),
                ("health_claim.supplement_notice", "needs_review"),
            },
        ),
    ],
)
def test_one_fixture_per_category(fixture: str, expected: set[tuple[str, str]]) -> None:
    assert found(check(load(fixture))) == expected


def test_personal_number_accepted_and_masked() -> None:
    report = check(load("personal_id.json"))
    assert report.findings == []
    run = report.rule_runs["business_registration.check_digit"]
    assert run.status is RunStatus.PASS
    assert run.reason is not None and "*********345" in run.reason
    assert "079203012345" not in report.model_dump_json()
    shown = check(load("personal_id.json"), show_personal_data=True)
    assert "079203012345" in (shown.rule_runs["business_registration.check_digit"].reason or "")


def test_malformed_personal_number_fails_masked_with_stable_fingerprint() -> None:
    data = load("clean.json") | {"business_registration_number": "079903012345"}  # century 9
    masked = check(data)
    (f,) = masked.findings
    assert f.message_id == "business_registration.check_digit.profile_malformed"
    assert f.evidence[0].pointer == "/business_registration_number"
    assert f.evidence[0].matched == "*********345"
    assert "079903012345" not in masked.model_dump_json()
    shown = check(data, show_personal_data=True)
    assert shown.findings[0].evidence[0].matched == "079903012345"
    # The fingerprint is the same whether or not the officer unmasked the data …
    assert shown.findings[0].fingerprint == f.fingerprint
    # … and is not the hash of the number in clear.
    key = "shopee.vn/gomsuanphat"
    assert f.fingerprint != fingerprint(f.rule_id, key, "079903012345")


def test_registration_number_in_about_text() -> None:
    data = load("no_registration.json") | {"about": "Hộ kinh doanh An Phát. MST: 0101248142"}
    report = check(data)
    (f,) = report.findings
    assert f.rule_id == "business_registration.check_digit"
    ev = f.evidence[0]
    assert ev.pointer == "/about"
    assert data["about"][ev.start : ev.end] == "0101248142"


def test_placeholder_number() -> None:
    report = check(load("clean.json") | {"business_registration_number": "Đang cập nhật"})
    (f,) = report.findings
    assert f.message_id == "business_registration.identity_missing.profile_placeholder"
    assert f.remediation.startswith("Thay nội dung tạm")


@pytest.mark.parametrize(
    ("phones", "expected", "shown"),
    [
        (["01234 567 890"], "contact.phone_invalid.retired", "***** *** 890"),
        (["0913 456"], "contact.phone_invalid.profile_unreadable", "**** 456"),
    ],
)
def test_phone_invalid_masked(phones: list[str], expected: str, shown: str) -> None:
    report = check(load("clean.json") | {"phones": phones})
    f = next(f for f in report.findings if f.rule_id == "contact.phone_invalid")
    assert f.message_id == expected
    assert f.evidence[0].pointer == "/phones/0"
    assert f.evidence[0].matched == shown and f.params["phone"] == shown
    assert phones[0] not in report.model_dump_json()


def test_contact_from_about_text() -> None:
    data = load("no_contact.json") | {
        "about": "Đặt hàng qua Zalo: zalo.me/0912345678 nhé. Địa chỉ: 12 Giang Cao, xã Bát Tràng, "
        "huyện Gia Lâm, Hà Nội"
    }
    report = check(data)
    assert found(report) == set()


def test_phone_in_about_is_masked_in_goods_evidence() -> None:
    data = load("clean.json") | {"about": "Chuyên pod vape, ship COD. Zalo 0913 456 789"}
    report = check(data)
    ev = next(f for f in report.findings if f.rule_id == "restricted_goods.e_cigarette").evidence
    assert all("0913 456 789" not in e.snippet for e in ev)
    assert any("**** *** 789" in e.snippet for e in ev)


def test_goods_evidence_points_into_the_original_field() -> None:
    data = load("counterfeit.json")
    data["listings"].insert(
        0, data["listings"][0] | {"title": "Bình hoa gốm", "origin": "Việt Nam"}
    )
    data["listings"][1]["title"] = "  🔥 " + data["listings"][1]["title"]
    report = check(data)
    (f,) = report.findings
    (ev,) = f.evidence
    assert ev.pointer == "/listings/1/title"
    assert data["listings"][1]["title"][ev.start : ev.end] == ev.matched
    assert ev.matched is not None and ev.matched.lower() == "rep 1:1"


@pytest.mark.parametrize("platform", ["facebook", "zalo", "tiktok", "shopee", "tiki", "other"])
def test_notification_and_policy_not_applicable_off_the_web(platform: str) -> None:
    report = check(load("clean.json") | {"platform": platform})
    runs = {k: v for k, v in report.rule_runs.items() if k.startswith(("moit_", "policy."))}
    assert len(runs) == 12
    assert {r.status for r in runs.values()} == {RunStatus.NOT_APPLICABLE}
    assert all(r.reason for r in runs.values())


def test_website_profile_notification_and_policy() -> None:
    report = check(load("website.json"))
    (f,) = report.findings
    assert f.rule_id == "moit_notification.badge_missing" and f.outcome.value == "needs_review"
    assert f.evidence[0].pointer == "/url"
    policy = [r for k, r in report.rule_runs.items() if k.startswith("policy.")]
    assert {r.status for r in policy} == {RunStatus.NOT_ASSESSED}
    assert report.rule_runs["moit_notification.text_claim"].status is RunStatus.NOT_ASSESSED


def test_marketplace_absences_have_low_confidence() -> None:
    report = check(load("no_contact.json"))
    assert {f.confidence.value for f in report.findings} == {"low"}
    social = check(load("no_contact.json") | {"platform": "facebook"})
    assert {f.confidence.value for f in social.findings} == {"medium"}


def test_issuer_date_not_applicable() -> None:
    run = check(load("clean.json")).rule_runs["business_registration.issuer_date"]
    assert run.status is RunStatus.NOT_APPLICABLE


def test_empty_profile_not_assessed() -> None:
    report = check({"platform": "facebook"})
    assert report.status is RunStatus.NOT_ASSESSED
    assert {r.status for r in report.rule_runs.values()} == {RunStatus.NOT_ASSESSED}


def test_fingerprint_ignores_listing_order_and_layout() -> None:
    a = check(load("counterfeit.json"))
    data = load("counterfeit.json")
    data["listings"] = [
        {"title": "Bình hoa", "price": 1000, "origin": "Việt Nam"},
        *data["listings"],
    ]
    b = check(data)
    assert [f.fingerprint for f in a.findings] == [f.fingerprint for f in b.findings]


def test_subject_key_without_url() -> None:
    p1 = check({"platform": "tiki", "id": 42, "display_name": "A"})
    p2 = check({"platform": "tiki", "id": "42", "display_name": "A renamed"})
    assert [f.fingerprint for f in p1.findings] == [f.fingerprint for f in p2.findings]


def test_module_level_api_and_english() -> None:
    report = ecomcheck.check_profile(load("no_registration.json"), config=Config(lang="en"))
    (f,) = report.findings
    assert f.message.startswith("The seller gives no business registration number")
    assert f.remediation.startswith("Publish in the profile")
    again = ecomcheck.rerender(report, "vi")
    assert again.findings[0].remediation.startswith("Công bố")


def test_rule_error_is_contained(monkeypatch: pytest.MonkeyPatch) -> None:
    from ecomcheck import profile_subject

    def boom(_: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(profile_subject, "_contacts", boom)
    report = Checker(Config(as_of=AS_OF)).check_profile(load("clean.json"))
    assert report.rule_runs["contact.no_contact"].status is RunStatus.ERROR


# --- origin and price: the page rules run on one offer per listing --------------------

needs_offers = pytest.mark.skipif(
    not (has_rule("origin.") and has_rule("price.")),
    reason="the origin and price rules are not in this build",
)


@needs_offers
@pytest.mark.parametrize(
    ("fixture", "category", "fires"),
    [
        ("origin_missing.json", "origin", True),
        ("origin_in_description.json", "origin", False),
        ("clean.json", "origin", False),
        ("price_hidden.json", "price", True),
        ("price_message.json", "price", True),
        ("price_silent.json", "price", True),
        ("price_in_description.json", "price", False),
    ],
)
def test_origin_and_price_per_listing(fixture: str, category: str, fires: bool) -> None:
    report = check(load(fixture))
    assert (category in categories(report)) is fires, [f.message for f in report.findings]
    for f in report.findings:
        if f.category.value == category:
            assert all(e.pointer and e.pointer.startswith("/listings/0") for e in f.evidence)


def test_contact_in_a_listing_counts_and_is_masked_in_messages() -> None:
    data = load("no_contact.json")
    data["listings"][0]["description"] += " Đặt hàng Zalo 0913 456 789."
    data["listings"][0]["title"] += " - Zalo 0913456789"
    report = check(data)
    assert report.rule_runs["contact.no_contact"].status is RunStatus.PASS
    assert "0913456789" not in report.model_dump_json()
    assert "0913 456 789" not in report.model_dump_json()


def test_listing_titles_quoted_in_messages_are_masked() -> None:
    data = {"platform": "facebook", "display_name": "A", "phones": ["0243 874 1234"]}
    data["listings"] = [{"title": "Áo thun Zalo 0913456789", "description": "ib giá"}]
    report = check(data)
    hidden = next(f for f in report.findings if f.rule_id == "price.hidden")
    assert hidden.params["product"] == "Áo thun Zalo *******789"
    assert "0913456789" not in report.model_dump_json()
    shown = check(data, show_personal_data=True)
    assert "0913456789" in next(f for f in shown.findings if f.rule_id == "price.hidden").message


def test_tax_shipping_not_judged_for_marketplace_sellers() -> None:
    import datetime as dt

    from ecomcheck import Checker, Config

    seller = {
        "display_name": "Gốm An Phát",
        "listings": [{"title": "Bình gốm men lam", "price": 350000, "origin": "Việt Nam"}],
    }
    checker = Checker(Config(select=("price.tax_shipping",), as_of=dt.date(2026, 11, 29)))
    shopee = checker.check_profile({**seller, "platform": "shopee"})
    assert shopee.findings == []
    assert shopee.rule_runs["price.tax_shipping"].status.value == "not_applicable"
    facebook = checker.check_profile({**seller, "platform": "facebook"})
    assert [f.rule_id for f in facebook.findings] == ["price.tax_shipping"]
