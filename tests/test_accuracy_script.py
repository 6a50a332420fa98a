"""The accuracy script: gated and held-out labelled files, and the fresh labelled set."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest

from bench_scripts import load_accuracy
from ecomcheck.terms import GOODS_CATEGORIES, load_terms

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def acc() -> ModuleType:
    return load_accuracy()


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return _write(
        tmp_path / "good.jsonl",
        [
            {"text": "Túi LV rep 1:1 giá 2tr", "labels": ["counterfeit"], "note": "t"},
            {"text": "Gạo ST25 túi 5kg giá 180k", "labels": [], "note": "t"},
        ],
    )


@pytest.fixture
def missed(tmp_path: Path) -> Path:
    # An honest label the checker cannot see: recall 0 for counterfeit.
    return _write(
        tmp_path / "missed.jsonl",
        [{"text": "Bánh mì thịt nướng giá 20k", "labels": ["counterfeit"], "note": "t"}],
    )


def test_labelled_prints_the_file_it_scores(
    acc: ModuleType, good: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert acc.main(["--labelled-only", "--labelled", str(good)]) == 0
    out = capsys.readouterr().out
    assert f"Labelled set: 2 texts ({good})" in out
    assert "goods_labelled" not in out and "Combined" not in out


def test_held_out_files_are_reported_but_not_gated(
    acc: ModuleType, good: Path, missed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = acc.main(["--labelled-only", "--labelled", str(good), "--held-out", str(missed)])
    out = capsys.readouterr().out
    assert code == 0
    assert f"Held-out set: 1 texts ({missed})" in out
    assert "not gated" in out and "TARGET MISSED" not in out
    assert f"Combined: 3 texts ({good}, {missed})" in out


def test_every_gated_file_decides_the_exit_code(
    acc: ModuleType, good: Path, missed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert acc.main(["--labelled-only", "--labelled", str(good), "--labelled", str(missed)]) == 1
    out = capsys.readouterr().out
    assert out.count("Labelled set:") == 2 and "TARGET MISSED" in out


def test_default_run_gates_both_labelled_sets(
    acc: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    assert acc.main(["--labelled-only"]) == 0
    out = capsys.readouterr().out
    assert out.count("Labelled set: ") == 2 and out.count("Held-out set: ") == 3
    assert "(tests/fixtures/goods_labelled.jsonl)" in out
    assert "(tests/fixtures/goods_labelled_fresh.jsonl)" in out
    assert "(tests/fixtures/goods_labelled_blind.jsonl)" in out
    assert "(tests/fixtures/goods_labelled_blind2.jsonl)" in out
    assert "(tests/fixtures/goods_labelled_blind3.jsonl)" in out
    assert "Combined: " in out


@pytest.mark.parametrize("which", ["BLIND", "BLIND2", "BLIND3"])
def test_blind_set_is_well_formed_and_untouched_by_the_data(acc: ModuleType, which: str) -> None:
    # A blind set measures wording nobody tuned the rules on: no term data example,
    # counter-example or other labelled text may repeat one of its texts.
    blind = acc.labelled_rows(getattr(acc, which))
    seen = {r["text"].strip().lower() for r in acc.labelled_rows(acc.LABELLED)}
    seen |= {r["text"].strip().lower() for r in acc.labelled_rows(acc.FRESH)}
    for e in load_terms():
        seen.update(
            t.strip().lower()
            for t in (*e.examples, *e.counter_examples, *e.context_counter_examples)
        )
    texts = [r["text"] for r in blind]
    assert len(blind) >= 300 and len(set(texts)) == len(texts)
    assert all(set(r["labels"]) <= set(acc.GOODS_CATEGORIES) for r in blind)
    assert not [t for t in texts if t.strip().lower() in seen]


def test_combine_adds_the_counts(acc: ModuleType, good: Path, missed: Path) -> None:
    a, b = acc.run_labelled(good), acc.run_labelled(missed)
    both = acc.combine([a, b])
    assert both.rows == 3 and both.paths == (good, missed)
    assert both.scores["counterfeit"].tp == 1 and both.scores["counterfeit"].fn == 1
    assert len(both.errors) == len(a.errors) + len(b.errors) == 1


def test_fresh_set_is_well_formed_balanced_and_independent(acc: ModuleType) -> None:
    fresh = acc.labelled_rows(acc.FRESH)
    original = {r["text"].strip().lower() for r in acc.labelled_rows(acc.LABELLED)}
    # Not tuned on the data: no text is one of the entries' own examples.
    for e in load_terms():
        original.update(
            t.strip().lower()
            for t in (*e.examples, *e.counter_examples, *e.context_counter_examples)
        )
    texts = [r["text"] for r in fresh]
    assert len(fresh) >= 300 and len(set(texts)) == len(texts)
    assert not [t for t in texts if t.strip().lower() in original]
    for r in fresh:
        assert set(r) == {"text", "labels", "note"} and r["note"], r
        assert set(r["labels"]) <= set(GOODS_CATEGORIES), r
    for c in GOODS_CATEGORIES:
        assert sum(c in r["labels"] for r in fresh) >= 40, c
    negatives = [r for r in fresh if not r["labels"]]
    assert 0.4 <= len(negatives) / len(fresh) <= 0.6
    assert sum("page context" in r["note"] for r in negatives) >= 25
