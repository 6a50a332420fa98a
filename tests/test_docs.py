"""Generated documentation and the committed JSON Schema are current."""

from pathlib import Path

from ecomcheck.docs import generated_files

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_generated_docs_are_current() -> None:
    stale = []
    for rel, content in generated_files().items():
        path = DOCS / rel
        if not path.exists() or path.read_text("utf-8") != content:
            stale.append(rel)
    assert stale == [], "run: python -m ecomcheck.docs docs"


def test_no_orphan_rule_pages() -> None:
    expected = {rel for rel in generated_files() if rel.startswith("rules/")}
    present = {f"rules/{p.name}" for p in (DOCS / "rules").glob("*.md")}
    assert present - expected == set()
