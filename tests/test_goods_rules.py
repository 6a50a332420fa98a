"""Goods rules: offers fire with evidence at the listing, look-alikes and warnings do not."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench_scripts import load_accuracy
from ecomcheck import Checker, Config, Evidence, Outcome, Report, Subject
from ecomcheck.cli import main as cli_main
from ecomcheck.extract.document import PageDocument
from ecomcheck.extract.goods import GoodsHit, analyze_fields, analyze_page, compile_goods
from ecomcheck.models import Confidence
from ecomcheck.render.messages import render
from ecomcheck.rules.base import Draft
from ecomcheck.rules.goods import rule_for
from ecomcheck.terms import GOODS_CATEGORIES, load_legal_refs, load_terms

ROOT = Path(__file__).resolve().parents[1]
PAGES = Path(__file__).parent / "fixtures" / "goods_pages"
CHECKER = Checker(Config(select=GOODS_CATEGORIES, strict=True))
GM = compile_goods()


def product(title: str, body: str = "", price: str = "350.000₫") -> str:
    return (
        "<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>Shop</title></head>"
        "<body><header><nav><a href='/'>Trang chủ</a> <a href='/cart'>Giỏ hàng</a></nav></header>"
        f"<main><h1>{title}</h1><span class='price'>{price}</span>"
        f"<button class='btn add-to-cart'>Thêm vào giỏ hàng</button><div>{body}</div></main>"
        "<footer><p>Hotline 0909 123 456</p></footer></body></html>"
    )


def check(html: str, url: str | None = "https://shop.example/products/sp") -> Report:
    return CHECKER.check_page(html, url=url)


def check_file(name: str) -> Report:
    return CHECKER.check_page((PAGES / name).read_bytes())


def rules(report: Report) -> dict[str, str]:
    """Rule id -> the strongest outcome among its findings."""
    out: dict[str, str] = {}
    for f in report.findings:
        if out.get(f.rule_id) != "fail":
            out[f.rule_id] = f.outcome.value
    return out


def goods(html: str, url: str | None = "https://shop.example/products/sp") -> list[GoodsHit]:
    return analyze_page(PageDocument.build(html, url=url), GM)


# --- the five offending pages -----------------------------------------------------

OFFENDERS = [
    (
        "vape_shop.html",
        "restricted_goods.e_cigarette",
        {"rg.e_cigarette.vape", "rg.e_cigarette.pod_system", "rg.e_cigarette.tinh_dau_vape"},
        "Pod 1 lần Elf Bar 5000 hơi",
    ),
    (
        "fireworks_seller.html",
        "restricted_goods.fireworks",
        {"rg.fireworks.phao_no"},
        "Pháo dàn 36 ống nổ to",
    ),
    (
        "wildlife_products.html",
        "restricted_goods.wildlife",
        {"rg.wildlife.sung_te_giac", "rg.wildlife.mat_gau", "rg.wildlife.te_te"},
        "Sừng tê giác Châu Phi nguyên khúc",
    ),
    (
        "counterfeit_bags.html",
        "counterfeit.offer",
        {"cf.fake_grade.super_fake", "cf.replica_slang.rep_1_1", "cf.fake_grade.like_auth"},
        "Túi LV Neverfull super fake",
    ),
    (
        "supplement_cure.html",
        "health_claim.cure_claim",
        {
            "hc.cure_claim.chua_khoi",
            "hc.cure_claim.dut_diem",
            "hc.replaces_medicine.thay_the_thuoc",
        },
        "Chữa khỏi thoái hóa cột sống",
    ),
]


@pytest.mark.parametrize(("name", "rule_id", "entries", "listing"), OFFENDERS)
def test_offending_pages_fail_with_evidence_at_the_listing(
    name: str, rule_id: str, entries: set[str], listing: str
) -> None:
    report = check_file(name)
    assert rules(report).get(rule_id) == "fail", rules(report)
    found = [f for f in report.findings if f.rule_id == rule_id]
    assert entries <= {f.evidence[0].entry_id for f in found}
    evidence = [e for f in found for e in f.evidence]
    for e in evidence:
        assert e.matched and e.selector and e.entry_id
        assert e.matched.lower()[:3] in e.snippet.lower()
        assert not e.selector.startswith(("header", "nav"))  # never the menu
    assert any(listing in e.snippet for e in evidence), [e.snippet for e in evidence]
    assert all((f.evidence[0].selector or "").startswith("main") for f in found)
    for f in found:
        assert f.fingerprint and f.params["entry"] == f.evidence[0].entry_id
        assert f.legal_basis and f.remediation and "{" not in f.message


def test_supplement_without_notice_fails_and_with_notice_passes() -> None:
    bad = check_file("supplement_cure.html")
    assert rules(bad).get("health_claim.supplement_notice") == "fail"
    (f,) = [f for f in bad.findings if f.rule_id == "health_claim.supplement_notice"]
    assert f.evidence[0].matched == "Thực phẩm bảo vệ sức khỏe"
    assert f.evidence[0].selector == "main > h1"
    good = check_file("supplement_with_notice.html")
    assert good.findings == []  # the notice is typed without diacritics there
    assert good.rule_runs["health_claim.supplement_notice"].status.value == "pass"


def test_one_finding_per_entry_with_every_listing_in_evidence() -> None:
    report = check_file("vape_shop.html")
    vape = [f for f in report.findings if f.params["entry"] == "rg.e_cigarette.vape"]
    assert len(vape) == 1
    snippets = " ".join(e.snippet for e in vape[0].evidence)
    assert len(vape[0].evidence) == 5
    for title in ("Vape Voopoo Drag X", "Vape pen 2000 hơi", "Vape mod 200W"):
        assert title in snippets
    # The dotted spelling in a listing is reported as written.
    ecig = [f for f in report.findings if f.params["entry"] == "rg.e_cigarette.thuoc_la_dien_tu"]
    assert ecig[0].evidence[0].matched == "Thuố.c L.á điện tử"


def test_fingerprint_ignores_layout() -> None:
    a = check(product("Vape 8000 hơi vị nho"), url="https://shop.example/products/a")
    b = check(product("Hàng mới về", body="<p>Vape 8000 hơi vị nho</p>"), url=a.subject.url)
    assert {f.fingerprint for f in a.findings} == {f.fingerprint for f in b.findings}


# --- look-alike pages -------------------------------------------------------------

CLEAN_PAGES = [
    "article_fake_goods.html",
    "policy_prohibited.html",
    "insect_spray_nav.html",
    "supplement_with_notice.html",
    "grocery_ca_phao.html",
    "handbag_shop.html",
    "clothing_colours.html",
    "shop_event_news.html",
]


@pytest.mark.parametrize("name", CLEAN_PAGES)
def test_look_alike_pages_have_no_goods_finding(name: str) -> None:
    report = check_file(name)
    assert report.findings == [], [(f.rule_id, f.evidence[0].matched) for f in report.findings]


def test_dropped_mentions_say_why() -> None:
    html = (PAGES / "policy_prohibited.html").read_text("utf-8")
    reasons = {h.reason for h in goods(html, url=None) if h.reason != ("covered",)}
    assert reasons == {("policy_page",)}
    spray = goods((PAGES / "insect_spray_nav.html").read_text("utf-8"), url=None)
    assert [(h.matched, h.reason) for h in spray] == [("Vape", ("nav_region",))]
    report = check_file("policy_prohibited.html")
    run = report.rule_runs["restricted_goods.e_cigarette"]
    assert run.status.value == "pass" and run.reason and "không phải lời chào bán" in run.reason


# --- obfuscation and look-alike wording ---------------------------------------------

OBFUSCATED = [
    ("Thuố.c L.á điện tử mini, sạc type-C", "restricted_goods.e_cigarette"),
    ("Giày MLB f@ke đủ size 36-43", "counterfeit.offer"),
    ("Hàng f@ke loại 1 giá xưởng", "counterfeit.offer"),
    ("Giày r3p 1:1 Adidas Samba", "counterfeit.offer"),
    ("Kẹo c4n s4 vị dâu 10 viên", "restricted_goods.narcotics"),
    ("Thu\u200bốc lá đi\u200bện tử Relx", "restricted_goods.e_cigarette"),
    ("Giày Vans r\u200bep 1:1 đủ size", "counterfeit.offer"),
    (unicodedata.normalize("NFD", "Thuốc lá điện tử chính hãng"), "restricted_goods.e_cigarette"),
    (unicodedata.normalize("NFD", "Bánh cần sa ship kín"), "restricted_goods.narcotics"),
    ("V\u0430p\u0435 8000 hơi vị nho", "restricted_goods.e_cigarette"),  # Cyrillic а, е
    ("ｖａｐｅ 8000 hơi", "restricted_goods.e_cigarette"),  # full-width
    ("ᴠᴀᴘᴇ pod giá sỉ", "restricted_goods.e_cigarette"),  # small capitals
    ("thuoc la dien tu gia re, inbox", "restricted_goods.e_cigarette"),
    ("Túi LV s.u.p.e.r f.a.k.e", "counterfeit.offer"),
    ("C.Ầ.N S.A loại 1", "restricted_goods.narcotics"),
    ("v a p e 6000 hơi", "restricted_goods.e_cigarette"),
    ("#superfake túi LV Speedy", "counterfeit.offer"),
]


@pytest.mark.parametrize(("text", "rule_id"), OBFUSCATED)
def test_obfuscations_fire(text: str, rule_id: str) -> None:
    assert rule_id in rules(check(product(text))), text


LOOK_ALIKES = [
    "Bán hàng giá rẻ tận xưởng, sỉ lẻ toàn quốc",  # giá rẻ (bargain), not giả (fake)
    "ban hang gia re tan xuong",
    "Túi xách tay nữ da thật công sở",  # the handbag, not hand-carried goods
    "Túi xách tay\u200b nữ da PU nhiều ngăn",
    "Cà pháo muối xổi giòn ngon hũ 1kg",
    "Mắm cà pháo đặc sản Thanh Hóa hũ 500g",
    "Áo sơ mi nam màu Đỏ Rượu, vải lụa mềm",
    "Sofa vải nỉ màu Xám Ngà 3 chỗ ngồi",
    "Bình xịt côn trùng Jumbo Vape hương chanh 600ml",
    "Khóa học Prep 1:1 IELTS với giáo viên bản xứ",
    "Rep ib nhanh trong 5 phút",
    "Quần jean nam co giãn siêu cấp, form slim",
    "Tai nghe AirPods Pro 2 chính hãng Apple",
    "Sữa chua uống vị dâu lốc 4 hộp",
    "Máy đập đá bào mini cho quán trà sữa",
    "Bình Xịt Khử mùi Thuố.c L.á cho ô tô, hương chanh",
    "Kẹo lạc Hải Hậu giòn thơm gói 300g",
    "Phao bi cơ chống tràn bồn nước inox phi 21",
]


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alikes_do_not_fire(text: str) -> None:
    assert check(product(text)).findings == []


NEGATED = [
    "Shop cam kết không bán thuốc lá điện tử, vui lòng không hỏi",
    "Cam kết không bán hàng fake, phát hiện hoàn tiền gấp đôi",
    "Nói không với hàng fake, shop chỉ bán chính hãng",
    "Shop không bán hàng không hóa đơn chứng từ",
    "Cấm kinh doanh pháo nổ dưới mọi hình thức",
    "Kem dưỡng da lành tính, cam kết không chứa corticoid",
    "Chống hàng giả: mỗi hộp có tem chống giả",
    "Cách phân biệt hàng giả và hàng thật khi mua online",
    "Tác hại của thuốc lá điện tử với giới trẻ",
    "Cai thuốc lá điện tử sau 30 ngày với liệu trình thảo dược",
    "shop khong ban thuoc la dien tu",
]


@pytest.mark.parametrize("text", NEGATED)
def test_negated_and_prohibiting_mentions_are_not_offers(text: str) -> None:
    report = check(product(text))
    assert report.findings == [], [(f.rule_id, f.evidence[0].context) for f in report.findings]


# --- how context decides ---------------------------------------------------------------


def test_same_words_on_product_article_policy_and_menu() -> None:
    text = "Vape 8000 hơi vị nho, thuốc lá điện tử pod 1 lần"
    assert rules(check(product(text)))["restricted_goods.e_cigarette"] == "fail"
    article = (
        "<html><head><meta property='og:type' content='article'></head><body><main><article>"
        f"<h1>Xu hướng mới</h1><p>{text}.</p></article></main></body></html>"
    )
    assert check(article, url="https://shop.example/tin-tuc/xu-huong").findings == []
    policy = f"<html><body><main><h1>Quy định</h1><p>{text}.</p></main></body></html>"
    assert check(policy, url="https://shop.example/pages/chinh-sach-ban-hang").findings == []
    menu = (
        "<html><body><header><nav><a href='/vape'>Vape</a> <a href='/pod'>Pod 1 lần</a></nav>"
        f"</header><main>{product('Bình giữ nhiệt 500ml')}</main></body></html>"
    )
    assert check(menu).findings == []


def test_article_with_explicit_order_words_needs_review() -> None:
    article = (
        "<html><head><meta property='og:type' content='article'></head><body><main><article>"
        "<h1>Top máy mới</h1><p>Pod system Vinci 3 chỉ 450k, inbox Zalo để đặt hàng.</p>"
        "</article></main></body></html>"
    )
    report = check(article, url="https://shop.example/blogs/top")
    assert rules(report) == {"restricted_goods.e_cigarette": "needs_review"}


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("Rượu vang Chile Gato Negro thùng 6 chai", "needs_review"),  # medium, no 2nd signal
        ("Rượu vang Chile thùng 6 chai, giao trong ngày", "fail"),  # offer words
        ("Rượu soju Heejin 12% chai 360ml", "needs_review"),  # two words for one signal
        ("Pod vị nho lạnh 30mg, saltnic 35mg", "fail"),  # a high-tier entry agrees
        ("Kem chống nắng Anessa xách tay, bill Nhật", "needs_review"),  # low tier
        ("Súng PCP Condor nòng 5.5", "fail"),  # high tier
    ],
)
def test_tiers_and_second_signals(text: str, outcome: str) -> None:
    report = check(product(text))
    assert set(rules(report).values()) == {outcome}, [
        (f.rule_id, f.outcome.value, f.evidence[0].entry_id) for f in report.findings
    ]


def test_footer_mention_is_secondary() -> None:
    html = (
        "<html><body><main><h1>Bình giữ nhiệt inox 500ml</h1><span class='price'>189.000₫</span>"
        "<button class='btn add-to-cart'>Mua ngay</button></main>"
        "<footer class='site-footer'><p>Chuyên vape pod chính hãng</p></footer></body></html>"
    )
    (hit,) = [h for h in goods(html) if h.kept]
    assert (hit.outcome, hit.region) == ("needs_review", "footer")
    assert "secondary_region" in hit.reason


def test_warning_section_heading_covers_its_paragraphs() -> None:
    body = (
        "<p><strong>Cách phân biệt dầu gội thật và giả</strong></p>"
        "<p>Trong khi hàng giả không đầy đủ thông tin, in mờ.</p>"
        "<p><strong>Thông tin sản phẩm</strong></p><p>Dầu gội 100ml.</p>"
    )
    hits = goods(product("Dầu gội trị gàu 100ml", body=body))
    assert [(h.matched, h.reason) for h in hits] == [("hàng giả", ("warning_section",))]


def test_term_split_over_two_blocks_is_not_a_hit() -> None:
    # "Giỏ hàng" closing one block and "Thùng 30 gói …" opening the next read "hàng thùng".
    html = "<html><body><main><p>Giỏ hàng</p><h1>Thùng 30 gói mì</h1></main></body></html>"
    assert [h.reason for h in goods(html)] == [("crosses_block",)]


def test_hits_carry_the_decision() -> None:
    (hit,) = goods(product("Vape 8000 hơi vị dưa hấu, ship hỏa tốc"))
    assert hit.entry_id == "rg.e_cigarette.vape"
    assert (hit.category, hit.subcategory, hit.tier) == ("restricted_goods", "e_cigarette", "high")
    assert (hit.outcome, hit.reason) == ("fail", ("offer_context", "tier_high"))
    assert hit.field is None and hit.region == "main" and hit.kept
    assert hit.matched == "Vape" and hit.term == "vape"
    assert "ship" in hit.context


# --- text fields (seller profiles) --------------------------------------------------


def test_analyze_fields_offers_and_notice_per_listing() -> None:
    fields = [
        ("/about", "Shop cam kết không bán hàng giả"),
        ("/listings/0/title", "Pod 1 lần 8000 hơi vị nho"),
        ("/listings/1/title", "TPBVSK Omega 3 hộp 100 viên"),
        ("/listings/2/title", "Thực phẩm chức năng bổ gan"),
        ("/listings/2/description", "Thực phẩm này không phải là thuốc."),
    ]
    hits = analyze_fields(fields, GM)
    by_field = {(h.field, h.entry_id): h for h in hits}
    assert by_field[("/about", "cf.brand_imitation.hang_gia")].reason == ("negated",)
    pod = by_field[("/listings/0/title", "rg.e_cigarette.pod_system")]
    assert pod.outcome == "fail" and (pod.start, pod.end) == (0, 9)
    omega = by_field[("/listings/1/title", "hc.supplement_listing.tpbvsk")]
    assert omega.outcome == "fail" and "notice_missing" in omega.reason
    liver = by_field[("/listings/2/title", "hc.supplement_listing.tpbvsk")]
    assert liver.outcome == "dropped" and "notice_present" in liver.reason


def test_analyze_fields_without_offer() -> None:
    (hit,) = analyze_fields([("/about", "Chuyên vape chính hãng")], GM, offer=False)
    assert (hit.outcome, hit.reason) == ("needs_review", ("no_offer_context", "tier_high"))
    assert analyze_fields([("/about", "Thích sưu tầm rượu vang")], GM, offer=False)[0].kept is False
    assert analyze_fields([("/about", "Rượu vang Pháp, inbox giá sỉ")], GM, offer=False)[0].kept


_PIECES = st.sampled_from(
    [
        "vape", "pod 1 lần", "thuốc lá điện tử", "không bán", "cảnh báo", "giá 150k", "rep 1:1",
        "hàng giả", "TPBVSK", "không phải là thuốc", "chữa khỏi", ", ", ". ", "\n", "\u200b",
        "Thuố.c L.á", "f@ke", "túi xách tay", "ship", "😀", "\u0301", " ",
    ]
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=25).map("".join), st.booleans())
def test_analyze_fields_never_raises_and_points_into_the_text(text: str, offer: bool) -> None:
    for h in analyze_fields([("/listings/0/description", text)], GM, offer=offer):
        assert 0 <= h.start < h.end <= len(text)
        assert text[h.start : h.end] == h.matched
        assert h.outcome in ("fail", "needs_review", "dropped") and h.reason


class _ProfileStub:
    """The surface a seller-profile subject offers to shared rules."""

    kind = "profile"
    key = "facebook.com/shop"

    def __init__(self, fields: list[tuple[str, str]]) -> None:
        self.fields = dict(fields)
        self.goods = analyze_fields(fields, GM)

    def describe(self) -> Subject:
        return Subject(kind="profile", url="https://facebook.com/shop")

    def unreadable_reason(self) -> None:
        return None

    def field_evidence(self, field: str | None, start: int, end: int, **kw: Any) -> Evidence:
        text = self.fields[field or ""]
        return Evidence(pointer=field, start=start, end=end, snippet=text, **kw)


def test_rules_run_unchanged_on_a_profile_subject() -> None:
    stub = _ProfileStub(
        [("/listings/0/title", "Túi LV rep 1:1"), ("/listings/3/title", "Pháo bi đỏ sỉ lẻ")]
    )
    report = CHECKER.check_subject(stub)  # type: ignore[arg-type]
    got = {(f.rule_id, f.evidence[0].pointer, f.evidence[0].matched) for f in report.findings}
    assert got == {
        ("counterfeit.offer", "/listings/0/title", "rep 1:1"),
        ("restricted_goods.fireworks", "/listings/3/title", "Pháo bi đỏ"),
    }


# --- rule metadata, data coverage, messages ---------------------------------------


def test_rule_metadata_and_legal_keys() -> None:
    refs = load_legal_refs()
    metas = [r for r in CHECKER.rules if r.meta.category.value in GOODS_CATEGORIES]
    assert len(metas) == 13
    for r in metas:
        assert r.meta.subjects == frozenset({"page", "profile"})
        assert r.meta.legal_keys and set(r.meta.legal_keys) <= set(refs)
        assert r.meta.summary and r.meta.rationale and r.meta.limitations
    notice = next(r for r in metas if r.meta.id == "health_claim.supplement_notice")
    assert "vn.d15_2018.art27" in notice.meta.legal_keys


def test_every_restricted_subcategory_has_a_named_rule() -> None:
    other = {
        "forged_documents", "financial_fraud", "personal_data", "gambling", "chemicals",
        "cultural_products", "other_banned",
    }  # fmt: skip
    for e in load_terms():
        rid = rule_for(e.category, e.subcategory)
        assert rid.startswith(e.category + ".")
        if rid == "restricted_goods.other":
            assert e.subcategory in other, e.id


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_messages_render_with_params(lang: str) -> None:
    for r in CHECKER.rules:
        params = {"entry": "x.y.z", "term": "t", "matched": "M"}
        for mid in (r.meta.id, r.meta.id + ".review", r.meta.id + ".fix"):
            assert "{" not in render(lang, mid, params), mid


def test_matcher_is_compiled_once_and_scanned_once(monkeypatch: pytest.MonkeyPatch) -> None:
    assert CHECKER._resources.goods is GM
    assert Checker(Config(select=("counterfeit",)))._resources.goods is GM
    calls: list[int] = []
    original = GM.matcher.find

    def counting(nt: Any) -> Any:
        calls.append(len(nt.text))
        return original(nt)

    monkeypatch.setattr(GM.matcher, "find", counting)
    check_file("vape_shop.html")
    assert len(calls) == 1


# --- the labelled set through the page engine --------------------------------------


def _accuracy() -> ModuleType:
    return load_accuracy()


def test_labelled_set_meets_the_targets() -> None:
    acc = _accuracy()
    res = acc.run_labelled(chk=CHECKER)
    assert res.rows >= 400
    for cat, s in res.scores.items():
        assert s.precision >= 0.95 and s.recall >= 0.95, (cat, s, res.errors)
    assert res.met()


def test_page_context_negatives_are_dropped_even_on_product_pages() -> None:
    acc = _accuracy()
    rows = [r for r in acc.labelled_rows() if "page context" in r["note"]]
    assert len(rows) >= 15
    flagged = [r["text"] for r in rows if check(product(r["text"])).findings]
    assert flagged == []


# --- command line -----------------------------------------------------------------


@pytest.mark.parametrize(("name", "rule_id", "entries", "listing"), OFFENDERS)
def test_cli_check_reports_the_category(
    name: str, rule_id: str, entries: set[str], listing: str, capsys: pytest.CaptureFixture[str]
) -> None:
    goods_only = ",".join(GOODS_CATEGORIES)
    code = cli_main(["check", str(PAGES / name), "--format", "json", "--select", goods_only])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    category = rule_id.split(".")[0]
    mine = [f for f in report["findings"] if f["rule_id"] == rule_id]
    assert mine and all(f["category"] == category for f in mine)
    assert entries <= {f["evidence"][0]["entry_id"] for f in mine}
    assert any(listing in e["snippet"] for f in mine for e in f["evidence"])
    assert {f["outcome"] for f in report["findings"]} <= {o.value for o in Outcome}


# --- legal basis and confidence of a finding ---------------------------------------

_ENTRIES = {e.id: e for e in load_terms()}
_MIXED = (
    "<p>Túi LV rep 1:1 giá 2tr</p><p>Vape pod giá 300k</p><p>Pháo bi đỏ sỉ lẻ</p>"
    "<p>Hàng xách tay không hóa đơn</p><p>Viên uống chữa khỏi tiểu đường</p>"
)


def _rule_keys(rule_id: str) -> tuple[str, ...]:
    return next(r.meta.legal_keys for r in CHECKER.rules if r.meta.id == rule_id)


def test_finding_cites_the_legal_keys_of_its_entry() -> None:
    findings = check(product("Cửa hàng tổng hợp", _MIXED)).findings
    assert {f.category.value for f in findings} == set(GOODS_CATEGORIES)
    narrower = 0
    for f in findings:
        entry = _ENTRIES[f.evidence[0].entry_id or ""]
        assert {e.entry_id for e in f.evidence} == {entry.id}
        cited = [lb.id for lb in f.legal_basis]
        assert cited == list(dict.fromkeys(entry.legal)), (f.rule_id, entry.id)
        assert set(cited) <= set(_rule_keys(f.rule_id))
        narrower += len(cited) < len(_rule_keys(f.rule_id))
    # The rule's metadata cites more than any one entry, so the check can tell them apart.
    assert narrower >= 3


def test_cited_legal_keys_do_not_depend_on_the_order_of_the_listings() -> None:
    blocks = _MIXED.split("</p>")[:-1]
    reordered = "</p>".join(reversed(blocks)) + "</p>"

    def cited(html: str) -> dict[str, list[str]]:
        return {
            f.evidence[0].entry_id or "": [lb.id for lb in f.legal_basis]
            for f in check(html).findings
        }

    assert cited(product("Cửa hàng", _MIXED)) == cited(product("Cửa hàng", reordered))


def test_finding_on_a_profile_cites_its_entry_and_falls_back_to_the_rule() -> None:
    stub = _ProfileStub([("/listings/0/title", "Pháo bi đỏ sỉ lẻ giá 50k")])
    (f,) = CHECKER.check_subject(stub).findings  # type: ignore[arg-type]
    assert [lb.id for lb in f.legal_basis] == list(_ENTRIES[f.evidence[0].entry_id or ""].legal)
    # A hit of an entry the data does not know (a stale id) cites the whole rule.
    stub.goods = [replace(h, entry_id="rg.fireworks.unknown_entry") for h in stub.goods]
    (f,) = CHECKER.check_subject(stub).findings  # type: ignore[arg-type]
    assert [lb.id for lb in f.legal_basis] == list(_rule_keys("restricted_goods.fireworks"))


def test_legal_keys_outside_the_rule_are_ignored() -> None:
    meta = next(r.meta for r in CHECKER.rules if r.meta.id == "counterfeit.offer")
    own = meta.legal_keys[1]
    draft = Draft(Outcome.FAIL, meta.id, {}, [], None, None, "x", ("vn.nonexistent", own))
    assert [lb.id for lb in CHECKER._legal_basis(meta, draft)] == [own]
    draft.legal_keys = ("vn.nonexistent",)
    assert [lb.id for lb in CHECKER._legal_basis(meta, draft)] == list(meta.legal_keys)


_CONFIDENCE = {
    ("fail", "high"): Confidence.HIGH,
    ("fail", "medium"): Confidence.MEDIUM,
    ("fail", "low"): Confidence.MEDIUM,
    ("needs_review", "high"): Confidence.LOW,
    ("needs_review", "medium"): Confidence.LOW,
    ("needs_review", "low"): Confidence.LOW,
}


@pytest.mark.parametrize(("outcome", "tier"), sorted(_CONFIDENCE))
def test_confidence_follows_the_outcome_and_the_entry_tier(outcome: str, tier: str) -> None:
    stub = _ProfileStub([("/listings/0/title", "Pháo bi đỏ sỉ lẻ giá 50k")])
    stub.goods = [
        replace(h, tier=tier, outcome="fail" if outcome == "fail" else "needs_review")
        for h in stub.goods
    ]
    (f,) = CHECKER.check_subject(stub).findings  # type: ignore[arg-type]
    assert f.outcome.value == outcome
    assert f.confidence is _CONFIDENCE[(outcome, tier)]


def test_confidence_of_labelled_findings_matches_the_entry_tier() -> None:
    acc = _accuracy()
    seen: set[tuple[str, str]] = set()
    for path in (acc.LABELLED, acc.FRESH):
        for i, row in enumerate(acc.labelled_rows(path)):
            page, url = acc.wrap_labelled(row, i)
            for f in CHECKER.check_page(page, url=url).findings:
                tier = _ENTRIES[f.evidence[0].entry_id or ""].tier
                seen.add((f.outcome.value, tier))
                assert f.confidence is _CONFIDENCE[(f.outcome.value, tier)], row["text"]
    assert {("fail", "high"), ("fail", "medium"), ("needs_review", "medium")} <= seen
