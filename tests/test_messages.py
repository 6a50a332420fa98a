"""Both message catalogues are complete and in step with the rules."""

import re
from pathlib import Path

import pytest

from ecomcheck.engine import list_rules
from ecomcheck.models import Category, RunStatus, Severity
from ecomcheck.render.messages import catalog, render

SRC = Path(__file__).resolve().parents[1] / "src" / "ecomcheck"
PREFIXES = (*tuple(c.value + "." for c in Category), "reason.", "text.", "warning.")


def test_catalogues_have_the_same_keys() -> None:
    vi, en = catalog("vi"), catalog("en")
    assert sorted(set(vi) - set(en)) == []
    assert sorted(set(en) - set(vi)) == []


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_vocabulary_complete(lang: str) -> None:
    cat = catalog(lang)
    keys = [f"category.{c.value}" for c in Category]
    keys += [f"status.{s.value}" for s in RunStatus]
    keys += [f"severity.{s.value}" for s in Severity]
    keys += ["outcome.fail", "outcome.needs_review"]
    assert [k for k in keys if k not in cat] == []


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_rule_has_message_and_fix(lang: str) -> None:
    cat = catalog(lang)
    for meta in list_rules():
        assert meta.id + ".fix" in cat, meta.id
        own = [
            k
            for k in cat
            if (k == meta.id or k.startswith(meta.id + ".")) and not k.endswith(".fix")
        ]
        assert own, f"{meta.id} has no message in {lang}"


def test_every_literal_message_id_in_source_exists() -> None:
    ids: set[str] = set()
    sources = [*(SRC / "rules").rglob("*.py"), SRC / "subject.py", SRC / "engine.py"]
    for path in sources:
        for m in re.finditer(r"[\"']([a-z_]+\.[a-z0-9_.]+)[\"']", path.read_text("utf-8")):
            if m.group(1).startswith(PREFIXES) and not m.group(1).endswith("."):
                ids.add(m.group(1))
    rule_ids = {m.id for m in list_rules()}
    missing = sorted(i for i in ids if i not in catalog("vi") and i not in rule_ids)
    assert missing == []


def test_placeholders_match_between_languages() -> None:
    vi, en = catalog("vi"), catalog("en")
    for key in vi:
        ph_vi = set(re.findall(r"{(\w+)}", vi[key]))
        ph_en = set(re.findall(r"{(\w+)}", en[key]))
        assert ph_vi == ph_en, key


def test_render_unknown_id_and_missing_param() -> None:
    assert render("vi", "no.such.id") == "no.such.id"
    assert "{label}" in render("en", "reason.policy_found")
    assert render("en", "reason.policy_found", {"label": "X"}) == "Found: X"
