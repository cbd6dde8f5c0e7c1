"""信息处理费 (国办函〔2020〕109号): exact amounts at every tier boundary, computed by hand."""

from decimal import Decimal

import pytest

from gongkai import fees
from gongkai.fees import Delivery, FeeError, Method

# 按件: cumulative applications in one natural month -> total fee, by hand:
# 1–10 free; 11–30 at 100; 31–40 at 200; 41–50 at 300; 51–60 at 400
BY_COUNT = [
    (1, 0),
    (10, 0),
    (11, 100),
    (12, 200),
    (30, 20 * 100),  # 2000
    (31, 2000 + 200),  # 2200
    (40, 2000 + 10 * 200),  # 4000
    (41, 4000 + 300),  # 4300
    (50, 4000 + 10 * 300),  # 7000
    (51, 7000 + 400),  # 7400
    (60, 7000 + 10 * 400),  # 11000
]

# 按量: pages of one application -> fee, by hand:
# 1–30 free; 31–100 at 10; 101–200 at 20; 201+ at 40
BY_PAGES = [
    (0, 0),
    (1, 0),
    (30, 0),
    (31, 10),
    (100, 70 * 10),  # 700
    (101, 700 + 20),  # 720
    (200, 700 + 100 * 20),  # 2700
    (201, 2700 + 40),  # 2740
    (2219, 2700 + 2019 * 40),  # 83460, the 2023 西安 case reported in the press
]


@pytest.mark.parametrize(("count", "expected"), BY_COUNT)
def test_by_count_tiers(count, expected):
    q = fees.by_count(count)
    assert q.amount == Decimal(expected)
    assert q.method is Method.BY_COUNT
    assert q.steps[-1] == f"合计 {expected:,}元"
    assert "国办函〔2020〕109号" in q.basis and "第四条" in q.basis


@pytest.mark.parametrize(("pages", "expected"), BY_PAGES)
def test_by_pages_tiers(pages, expected):
    q = fees.by_pages(pages)
    assert q.amount == Decimal(expected)
    assert q.method is Method.BY_PAGES
    assert q.steps[-1] == f"合计 {expected:,}元"
    assert "第五条" in q.basis


@pytest.mark.parametrize(
    ("prior", "count", "expected"),
    [
        (0, 10, 0),
        (10, 1, 100),  # the 11th of the month
        (9, 2, 100),  # 10th free, 11th 100
        (28, 5, 2 * 100 + 3 * 200),  # 29–30 at 100, 31–33 at 200
        (30, 1, 200),
        (39, 2, 200 + 300),  # 40th and 41st
    ],
)
def test_by_count_continues_the_month(prior, count, expected):
    assert fees.by_count(count, prior=prior).amount == Decimal(expected)


def test_by_count_is_the_difference_of_month_totals():
    for prior in range(0, 45):
        for count in (1, 3, 12):
            whole = fees.by_count(prior + count).amount
            before = fees.by_count(prior).amount if prior else Decimal(0)
            assert fees.by_count(count, prior=prior).amount == whole - before


def test_steps_explain_the_tiers():
    q = fees.by_pages(2219)
    assert q.steps == (
        "共2219页，以提供纸质件方式提供",
        "第1—30页：30页以内（含30页），不收费",
        "第31—100页：70页 × 10元/页 = 700元",
        "第101—200页：100页 × 20元/页 = 2,000元",
        "第201—2219页：2019页 × 40元/页 = 80,760元",
        "合计 83,460元",
    )
    q = fees.by_count(5, prior=28)
    assert q.steps == (
        "同一申请人本自然月第29件至第33件（此前已申请28件）",
        "第29—30件：2件 × 100元/件 = 200元",
        "第31—33件：3件 × 200元/件 = 600元",
        "合计 800元",
    )


def test_one_method_only():
    with pytest.raises(FeeError, match="不得同时按两种标准"):
        fees.quote(count=12, pages=40)
    assert fees.quote(count=12).amount == Decimal(200)
    assert fees.quote(pages=40, delivery="email").amount == Decimal(100)
    with pytest.raises(FeeError, match="件数或"):
        fees.quote()


@pytest.mark.parametrize("delivery", [Delivery.PAPER, Delivery.EMAIL, Delivery.DATA_COPY, "paper"])
def test_by_pages_deliveries(delivery):
    assert fees.by_pages(31, delivery=delivery).amount == Decimal(10)


@pytest.mark.parametrize("delivery", [Delivery.INSPECTION, Delivery.OTHER])
def test_by_pages_not_for_inspection(delivery):
    with pytest.raises(FeeError, match="按量计收只适用于"):
        fees.by_pages(500, delivery=delivery)


def test_waived():
    q = fees.waived("首次申请")
    assert q.amount == Decimal(0)
    assert q.method is None
    assert "第四十二条" in q.basis
    assert q.to_dict()["amount"] == "0"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: fees.by_count(0), "本次申请件数不能小于 1"),
        (lambda: fees.by_count(3, prior=-1), "本月此前已申请件数不能小于 0"),
        (lambda: fees.by_count(2.5), "本次申请件数应为整数"),
        (lambda: fees.by_count(True), "应为整数"),
        (lambda: fees.by_pages(-1), "页数不能小于 0"),
        (lambda: fees.by_pages("40"), "页数应为整数"),
        (lambda: fees.by_pages(40, delivery="fax"), "未知的提供方式"),
    ],
)
def test_invalid_input_raises_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_numbers_live_in_one_schedule():
    cheaper = fees.FeeSchedule(count_first_rate=Decimal(50), count_band_step=Decimal(50))
    assert fees.by_count(31, schedule=cheaper).amount == Decimal(20 * 50 + 100)
    with pytest.raises(AttributeError):
        fees.SCHEDULE.count_free = 20


def test_payment_note_uses_the_law():
    assert "20个工作日" in fees.payment_note()


def test_cli_fee():
    import json

    import typer
    from typer.testing import CliRunner

    from gongkai.cli_letters import register

    app = typer.Typer()
    register(app)
    runner = CliRunner()
    result = runner.invoke(app, ["fee", "--pages", "2219", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["amount"] == "83460"
    result = runner.invoke(app, ["fee", "--count", "3", "--prior", "9"])
    assert result.exit_code == 0 and "合计 200元" in result.output
    result = runner.invoke(app, ["fee", "--count", "3", "--pages", "40"])
    assert result.exit_code == 2 and "不得同时" in result.output


# ------------------------------------------------------------------ counting per applicant per 自然月


def _march_and_april():
    """张三: 12 applications in March 2025 (two on 3-31), 3 in April; 李四: 1 in March."""
    from datetime import date

    entries = [(f"Z{d:02d}", "张三", date(2025, 3, d)) for d in (3, 4, 5, 6, 7, 10, 11, 12, 13, 14)]
    entries += [("Z-last-1", "张 三", date(2025, 3, 31)), ("Z-last-2", "张三", date(2025, 3, 31))]
    entries += [(f"Z-apr-{d}", "张三", date(2025, 4, d)) for d in (1, 2, 3)]
    entries += [("L1", "李四", date(2025, 3, 20)), ("X", "", date(2025, 3, 20))]
    return entries


def test_month_counts_number_each_applicant_per_natural_month():
    counts = fees.month_counts(_march_and_april())
    assert (counts["Z03"].n, counts["Z03"].of) == (1, 12)
    assert counts["Z14"].n == 10
    assert (counts["Z-last-1"].n, counts["Z-last-2"].n) == (11, 12)  # same day: in the order given
    assert counts["Z-last-1"].applicant == "张 三"  # the same applicant however typed
    assert [counts[f"Z-apr-{d}"].n for d in (1, 2, 3)] == [1, 2, 3]  # April starts again
    assert counts["Z-apr-3"].of == 3
    assert (counts["L1"].n, counts["L1"].of) == (1, 1)
    assert "X" not in counts  # no applicant: cannot be counted
    assert counts["Z-last-2"].describe() == "申请人“张三”2025年3月第12件（当月共12件）"


def test_tiers_are_computed_per_month():
    counts = fees.month_counts(_march_and_april())
    amounts = {k: fees.for_nth(c.n).amount for k, c in counts.items()}
    assert amounts["Z14"] == 0  # the 10th of March
    assert amounts["Z-last-1"] == amounts["Z-last-2"] == Decimal(100)  # 11th, 12th of March
    assert sum(amounts.values()) == Decimal(200) == fees.by_count(12).amount
    assert [amounts[f"Z-apr-{d}"] for d in (1, 2, 3)] == [0, 0, 0]  # April: 1st–3rd, free
    assert fees.for_nth(31).amount == Decimal(200)
    assert fees.for_nth(41).amount == Decimal(300)


def test_amount_problem():
    assert fees.amount_problem(Decimal("100.00"), fees.for_nth(11)) is None
    assert fees.amount_problem(Decimal(200), fees.for_nth(12)) == (
        "按《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）第三条、第四条应收100元，台账记为200元"
    )
    assert "不应收费，台账记为100元" in fees.amount_problem(Decimal(100), fees.for_nth(10))
    assert fees.amount_problem(Decimal(700), fees.by_pages(100)) is None
