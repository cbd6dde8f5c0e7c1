"""Accuracy on real published reports nobody here wrote (tests/corpus/real/, sources beside
each file), gold read by a person and cross-checked by the tables' identities."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "corpus" / "real"
sys.path.insert(0, str(ROOT / "bench"))

from accuracy import Score, score_file  # noqa: E402


def _pairs():
    for gold in sorted(REAL.glob("*.gold.json")):
        base = gold.name[: -len(".gold.json")]
        for raw in sorted(REAL.glob(base + ".*")):
            if not raw.name.endswith((".gold.json", ".source.json")):
                yield gold, raw


PAIRS = list(_pairs())


def test_the_real_corpus_is_there_with_sources():
    assert len(PAIRS) >= 40
    for gold, raw in PAIRS:
        source = json.loads(gold.with_name(gold.name.replace(".gold.json", ".source.json")).read_text("utf-8"))
        assert source["url"].startswith("http") and source["category"] in ("complete", "excerpt"), raw.name


@pytest.mark.parametrize(("gold", "raw"), PAIRS, ids=[r.name for _, r in PAIRS])
def test_no_wrong_number_and_format_and_year_right(gold, raw):
    g = json.loads(gold.read_text("utf-8"), parse_float=Decimal)
    s = score_file(g, raw)
    assert s.failed == 0, s.errors
    assert s.fp == 0, f"{raw.name}: a value placed that the document does not show"
    assert (s.format_ok, s.year_ok) == (1, 1)


def test_recall_and_agency_over_the_corpus():
    total = Score()
    for gold, raw in PAIRS:
        total.add(score_file(json.loads(gold.read_text("utf-8"), parse_float=Decimal), raw))
    assert total.precision == 1.0
    assert total.recall >= 0.99, total.to_dict()
    assert total.share(total.agency_ok) >= 0.9, total.to_dict()


MANGLED = ROOT / "tests" / "corpus" / "mangled"


def test_mangled_real_reports_never_get_a_wrong_number():
    """The real reports damaged the ways real copies are (tests/corpus/mangle.py): a cell is
    right or blank, never wrong."""
    total, wrong = Score(), []
    for gold in sorted(MANGLED.glob("*.gold.json")):
        base = gold.name[: -len(".gold.json")]
        for raw in MANGLED.glob(base + ".*"):
            if raw.name.endswith(".gold.json"):
                continue
            s = score_file(json.loads(gold.read_text("utf-8"), parse_float=Decimal), raw)
            total.add(s)
            if s.fp or s.failed or not (s.format_ok and s.year_ok):
                wrong.append(raw.name)
    assert total.files >= 200 and not wrong, wrong
    assert total.recall >= 0.98, total.to_dict()
