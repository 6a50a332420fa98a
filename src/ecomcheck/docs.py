"""Documentation generated from rule metadata, and the committed JSON Schemas.

``python -m ecomcheck.docs DIR`` (re)writes ``DIR/rules/*.md``,
``DIR/report.schema.json`` and ``DIR/profile.schema.json`` (the seller-profile
input); a test fails when the committed files are stale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ecomcheck.models import Report, SiteReport
from ecomcheck.render.messages import render
from ecomcheck.rules.base import RuleMeta


def rule_doc(meta: RuleMeta) -> str:
    """Render one rule's documentation page (Markdown) from its metadata."""
    from ecomcheck.engine import legal_refs_for

    lines = [
        f"# `{meta.id}`: {meta.name}",
        "",
        f"- Category: `{meta.category.value}`",
        f"- Default severity: `{meta.severity.value}`; confidence: `{meta.confidence.value}`",
        f"- Applies to: {', '.join(sorted(meta.subjects))}",
        "",
        "## What it checks",
        "",
        meta.summary,
        "",
        "## Why",
        "",
        meta.rationale,
        "",
        "## How to fix",
        "",
        f"- vi: {render('vi', meta.id + '.fix')}",
        f"- en: {render('en', meta.id + '.fix')}",
        "",
        "## Legal basis",
        "",
    ]
    for ref in legal_refs_for(meta.legal_keys, "en"):
        article = f", {ref.article}" if ref.article else ""
        quality = f" [{ref.source_quality}]" if ref.source_quality else ""
        url = f" <{ref.url}>" if ref.url else ""
        lines.append(f"- `{ref.id}`: {ref.citation}{article}{quality}{url}")
    lines += ["", "## Known limitations", "", meta.limitations or "None recorded.", ""]
    return "\n".join(lines)


def rules_index(metas: list[RuleMeta]) -> str:
    """Render the index of all rules (Markdown)."""
    lines = [
        "# Rules",
        "",
        "Generated from rule metadata by `python -m ecomcheck.docs docs`; do not edit.",
        "",
        "| id | category | severity | name |",
        "|---|---|---|---|",
    ]
    for m in metas:
        lines.append(
            f"| [`{m.id}`]({m.id}.md) | `{m.category.value}` | `{m.severity.value}` | {m.name} |"
        )
    return "\n".join(lines) + "\n"


def report_schema() -> str:
    """The JSON Schema of the report, as committed under ``docs/``."""
    return json.dumps(Report.model_json_schema(), indent=2, ensure_ascii=False) + "\n"


def profile_schema() -> str:
    """The JSON Schema of the seller-profile input (design §5), as committed under ``docs/``."""
    from ecomcheck.profile import SellerProfile

    schema = SellerProfile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["description"] = (
        "A seller on a social network, a marketplace or its own website, as a crawler or "
        "an officer records it (ecomcheck design §5). Extra fields are allowed and "
        "ignored; null means 'not collected'; an unknown platform is read as 'other'."
    )
    schema["$defs"]["Listing"]["description"] = (
        "One product or service the seller offers. Extra fields are allowed and ignored."
    )
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def site_report_schema() -> str:
    """The JSON Schema of the whole-site report, as committed under ``docs/``."""
    return json.dumps(SiteReport.model_json_schema(), indent=2, ensure_ascii=False) + "\n"


def generated_files() -> dict[str, str]:
    """Every generated documentation file, by path relative to the docs directory."""
    from ecomcheck.engine import list_rules

    metas = list_rules()
    files = {f"rules/{m.id}.md": rule_doc(m) for m in metas}
    files["rules/index.md"] = rules_index(metas)
    files["report.schema.json"] = report_schema()
    files["site-report.schema.json"] = site_report_schema()
    files["profile.schema.json"] = profile_schema()
    return files


def main(argv: list[str] | None = None) -> int:
    """Write the generated documentation into a directory (default ``docs``)."""
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0] if args else "docs")
    for rel, content in generated_files().items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    for old in (root / "rules").glob("*.md"):
        if f"rules/{old.name}" not in generated_files():
            old.unlink()
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
