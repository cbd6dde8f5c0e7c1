"""Hostile input in the suite: a bounded, seeded fuzz of every reader and ``check``; Hypothesis
for the number parser and for render → parse round trips of random reports.

The fuzz takes ``CASES_PER_CARRIER`` mutated corpus files of each carrier (``bench/mutate.py``:
truncation, byte flips, NULs, absurd numbers, markup, deep nesting, charset declarations, zip
headers, PDF MediaBox and content streams…), the same ones on every run, and requires each to
end cleanly: a report (strict JSON, every value bounded) or a ``GongkaiError`` with a Chinese
message — never another exception, never more than ``PER_CASE`` seconds. OCR is left out
(damaged text layers would send PDFs to it): ``bench/fuzz.py`` runs the large, slow fuzz with
it. A few cases also go through the CLI in a subprocess (exit 0/1/2, no traceback).
"""

import signal
import sys
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.fileio import csv_text, from_csv_text
from gongkai.formats import FORMATS
from gongkai.parse import parse_bytes
from gongkai.render import render
from gongkai.report import Report
from gongkai.values import MAX_ABS, is_bounded, is_null, parse_number

from .test_roundtrip import generated

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import fuzz
import mutate

SEED = 12
CASES_PER_CARRIER = 60
PER_CASE = 20  # seconds; a case past it is a hang
CARRIERS = mutate.FAST  # every carrier but the OCR-read images

# Deterministic and leaving no example database behind.
HYPOTHESIS = settings(
    derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=200
)


@cache
def fuzz_cases() -> dict[str, list[mutate.Case]]:
    by: dict[str, list[mutate.Case]] = {c: [] for c in CARRIERS}
    for case in mutate.cases(CASES_PER_CARRIER * len(CARRIERS), SEED, CARRIERS):
        by[case.carrier].append(case)
    return by


class Hang(Exception):
    pass


def _alarm(_signum, _frame):
    raise Hang


def run_bounded(carrier: str, path: Path) -> fuzz.Outcome:
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(PER_CASE)
    try:
        return fuzz.evaluate(carrier, path)
    except Hang:
        return fuzz.Outcome("hang", f"> {PER_CASE} s")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize("carrier", CARRIERS)
def test_mutated_files_end_cleanly(carrier, tmp_path, without_ocr):
    bad = []
    for n, case in enumerate(fuzz_cases()[carrier]):
        path = tmp_path / f"{n:03d}-{case.name}"
        path.write_bytes(case.data)
        out = run_bounded(carrier, path)
        if out.kind not in ("report", "refused"):
            bad.append(f"{case.mutation} of {case.source}: {out.kind} {out.detail} {out.where}")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize(
    ("carrier", "mutation"), [("text", "numbers-digits300dec"), ("html", "markup"), ("json", "value-NaN")]
)
def test_mutated_files_through_the_cli(carrier, mutation, tmp_path):
    """``gongkai check --json`` in its own process: exit 0/1/2, no traceback, strict JSON."""
    case = next(
        (c for i in range(400) for c in mutate.cases(1, 1000 + i, (carrier,)) if c.mutation.startswith(mutation)),
        None,
    )
    assert case is not None
    path = tmp_path / case.name
    path.write_bytes(case.data)
    out = fuzz.cli_case(carrier, path, 120)
    assert out.kind in ("report", "refused"), (out.detail, out.where)


# ------------------------------------------------------------------ the number parser

CELL_CHARS = "0123456789０１２３,，.。-−－+ 　/／—–无万元件（）()其中e万\t"


@HYPOTHESIS
@given(st.one_of(st.text(), st.text(alphabet=CELL_CHARS, max_size=40), st.from_regex(r"[-+]?\d{1,400}(\.\d{1,400})?")))
def test_the_number_parser_never_raises_and_is_bounded(text):
    n = parse_number(text)
    is_null(text)
    if n is not None and not n.invalid:
        assert is_bounded(n.value)
        assert abs(n.value) < MAX_ABS


@HYPOTHESIS
@given(st.integers(-(MAX_ABS - 1), MAX_ABS - 1))
def test_every_bounded_integer_reads_back(value):
    assert parse_number(str(value)).value == value
    assert parse_number(f"{value:,}").value == value


@HYPOTHESIS
@given(st.decimals(min_value=0, max_value=MAX_ABS - 1, places=2, allow_nan=False, allow_infinity=False))
def test_every_bounded_amount_reads_back(value):
    n = parse_number(f"{value}万元")
    assert n.value == value and n.unit == "万元"


@HYPOTHESIS
@given(st.integers(min_value=16, max_value=5000))
def test_more_digits_than_a_statistic_has_are_invalid(digits):
    assert parse_number("9" * digits).invalid
    assert parse_number("1." + "5" * (digits - 5)).invalid


@HYPOTHESIS
@given(st.text())
def test_csv_text_always_reads_back(text):
    assert from_csv_text(csv_text(text)) == text


# ------------------------------------------------------------------ render → parse


@st.composite
def reports(draw, fmt_id: str) -> Report:
    """The generated report of ``fmt_id`` with random values in every cell but its one blank."""
    report = generated(fmt_id)
    fmt = FORMATS[fmt_id]
    count = st.integers(0, 10**12)
    money = st.decimals(min_value=0, max_value=10**10, places=2, allow_nan=False, allow_infinity=False)
    for cid, old in list(report.cells.items()):
        if old is None:
            continue
        v = draw(money if cid in fmt.money else count)
        report.cells[cid] = int(v) if isinstance(v, Decimal) and v == v.to_integral_value() else v
    return report


@pytest.mark.parametrize("fmt_id", ["gb2021", "gb2019", "legacy"])
@settings(HYPOTHESIS, max_examples=12)
@given(data=st.data())
def test_random_reports_round_trip_through_markdown(fmt_id, data):
    report = data.draw(reports(fmt_id))
    back = parse_bytes(render(report, "md"), "r.md", ".md")
    assert back.cells == report.cells
    assert (back.format, back.year, back.agency) == (report.format, report.year, report.agency)


TEXT = st.text(max_size=60)


@pytest.mark.parametrize("fmt_id", ["gb2021", "gb2019", "legacy"])
@settings(HYPOTHESIS, max_examples=25)
@given(data=st.data())
def test_random_reports_round_trip_through_json(fmt_id, data):
    report = data.draw(reports(fmt_id))
    report.agency, report.title = data.draw(st.none() | TEXT), data.draw(st.none() | TEXT)
    report.year = data.draw(st.none() | st.integers(1990, 2100))
    report.sections = {k: data.draw(TEXT) for k in report.sections}
    back = Report.from_json(render(report, "json").decode())
    assert back.cells == report.cells
    assert (back.year, back.agency, back.title, back.sections) == (
        report.year,
        report.agency,
        report.title,
        report.sections,
    )
