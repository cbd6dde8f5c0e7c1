"""信息处理费 from the register (国办函〔2020〕109号): 按件 counted per applicant per 自然月 from the
applications registered, stored amounts checked against the calculator, section 六 written from
the fee notices and payments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from gongkai.office.annual.build import build_report
from gongkai.office.applications import services
from gongkai.office.applications.fees import check_notice, check_notices, fee_year, month_count
from gongkai.office.applications.models import Application, EventKind, Fee
from gongkai.office.errors import OfficeError

MARCH = (3, 4, 5, 6, 7, 10, 11, 12, 13, 14, 17, 18)  # 12 working days of March 2025
APRIL = (1, 2, 3)


def register(actor, agency, number, day, name="张三", kind="natural"):
    data = services.RegisterInput(
        agency=agency, number=number, applicant_type=kind, received_on=day, applicant_name=name, channel="in_person"
    )
    return services.register_application(actor, data)


def event(actor, app, kind, day, **kw):
    return services.record_event(actor, services.EventInput(application=app, kind=kind, day=day, **kw))


@pytest.fixture
def zhang(staff, agency):
    """张三: 12 applications in March 2025 and 3 in April; 李四 and another agency's 张三 apart."""
    apps = {f"M{i:02d}": register(staff, agency, f"M{i:02d}", date(2025, 3, d)) for i, d in enumerate(MARCH, 1)}
    apps |= {f"A{i}": register(staff, agency, f"A{i}", date(2025, 4, d)) for i, d in enumerate(APRIL, 1)}
    register(staff, agency, "L1", date(2025, 3, 3), name="李四")
    return apps


def test_month_count_comes_from_the_register(zhang, other, other_staff):
    register(other_staff, other, "M01", date(2025, 3, 3))  # another agency's register does not count
    assert [month_count(zhang[f"M{i:02d}"]).n for i in (1, 10, 11, 12)] == [1, 10, 11, 12]
    assert month_count(zhang["M12"]).of == 12
    assert [month_count(zhang[f"A{i}"]).n for i in (1, 2, 3)] == [1, 2, 3]  # a new natural month
    assert month_count(zhang["A3"]).describe() == "申请人“张三”2025年4月第3件（当月共3件）"


def test_fee_notice_amount_is_computed_per_month(staff, zhang):
    # the 11th and 12th of March: 100 元 each; no count typed by anyone
    for number in ("M11", "M12"):
        event(staff, zhang[number], EventKind.FEE_NOTIFIED, date(2025, 3, 24), basis="per_item")
    assert Fee.objects.get(application=zhang["M11"]).amount == Decimal(100)
    assert Fee.objects.get(application=zhang["M12"]).amount == Decimal(100)
    notice = zhang["M12"].events.get(kind=EventKind.FEE_NOTIFIED)
    assert notice.data == {"amount": "100", "basis": "per_item", "month": "2025-03", "nth": 12}
    # April starts again: the 3rd application of April is free
    with pytest.raises(OfficeError, match=r"2025年4月第3件.*10件以内不收费"):
        event(staff, zhang["A3"], EventKind.FEE_NOTIFIED, date(2025, 4, 10), basis="per_item")
    with pytest.raises(OfficeError, match="按量计收请写明页数或金额"):
        event(staff, zhang["A3"], EventKind.FEE_NOTIFIED, date(2025, 4, 10), basis="per_volume")


def test_stored_fee_that_disagrees_is_flagged(staff, agency, zhang):
    event(staff, zhang["M11"], EventKind.FEE_NOTIFIED, date(2025, 3, 24), basis="per_item", amount=Decimal(100))
    event(staff, zhang["M12"], EventKind.FEE_NOTIFIED, date(2025, 3, 24), basis="per_item", amount=Decimal(300))
    event(
        staff, zhang["A1"], EventKind.FEE_NOTIFIED, date(2025, 4, 7), basis="per_volume", amount=Decimal(700), pages=100
    )
    event(staff, zhang["A2"], EventKind.FEE_NOTIFIED, date(2025, 4, 7), basis="per_volume", amount=Decimal(50))

    assert check_notice(zhang["M11"]).agrees
    bad = check_notice(zhang["M12"])
    assert not bad.agrees and bad.verified
    assert bad.describe() == (
        "申请 M12（2025-03-24收费通知，按件计收）：申请人“张三”2025年3月第12件（当月共12件），"
        "按《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）第三条、第四条应收100元，台账记为300元"
    )
    assert check_notice(zhang["A1"]).agrees  # 100 pages: 70 × 10元
    assert check_notice(zhang["A2"]).problem == "按量计收但未记录页数，无法核对金额"
    assert check_notice(zhang["M01"]) is None

    checks = {c.number: c for c in check_notices(agency, date(2025, 1, 1), date(2025, 12, 31))}
    assert set(checks) == {"M11", "M12", "A1", "A2"}

    report = build_report(agency, 2025)
    flagged = [i for i in report.issues if i.code == "office-fee-mismatch"]
    assert [(i.severity, i.where) for i in flagged] == [("warning", "s6"), ("info", "s6")]
    assert "申请 M12" in flagged[0].message and "应收100元，台账记为300元" in flagged[0].message
    assert "申请 A2" in flagged[1].message


def test_the_clerk_sees_the_check(staff, zhang):
    from django.test import Client

    event(staff, zhang["M12"], EventKind.FEE_NOTIFIED, date(2025, 3, 24), basis="per_item", amount=Decimal(300))
    c = Client()
    c.force_login(staff)
    html = c.get(f"/applications/{zhang['M12'].pk}/").content.decode()
    assert "申请人“张三”2025年3月第12件（当月共12件）（按台账自动计件）" in html
    assert (
        "注意：按《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）第三条、第四条应收100元，台账记为300元"
        in html
    )


def _two_notices(staff, agency):
    """Two fee notices in 2025: 11th March application (100 元, paid), 120 pages (1100 元, unpaid)."""
    apps = {n: register(staff, agency, n, date(2025, 3, d)) for n, d in zip(("F01", "F02"), (3, 4), strict=True)}
    for i in range(3, 12):
        register(staff, agency, f"F{i:02d}", date(2025, 3, 5))
    paid = Application.objects.get(number="F11")
    event(staff, paid, EventKind.FEE_NOTIFIED, date(2025, 3, 20), basis="per_item")
    event(staff, paid, EventKind.FEE_PAID, date(2025, 3, 25))
    unpaid = apps["F02"]
    event(staff, unpaid, EventKind.FEE_NOTIFIED, date(2025, 4, 10), basis="per_volume", pages=120)
    return paid, unpaid


def test_section_six_states_the_fees_of_the_year(staff, agency):
    _, unpaid = _two_notices(staff, agency)
    assert Fee.objects.get(application=unpaid).amount == Decimal(1100)  # 70 × 10 + 20 × 20
    f = fee_year(agency, 2025)
    assert (f.notices, f.per_item, f.per_volume, f.notified) == (2, 1, 1, Decimal(1200))
    assert (f.paid, f.collected, f.unpaid, f.abandoned) == (1, Decimal(100), 1, 0)

    report = build_report(agency, 2025)
    assert report.sections["s6"] == (
        "2025年，本机关依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），发出信息处理费收费通知2件"
        "（按件计收1件，按量计收1件），通知金额合计1200元；实际收取信息处理费1件，共计100元；"
        "本年度发出的收费通知中有1件至年底未缴纳。"
    )
    assert "待补充" not in report.sections["s6"]
    assert not [i for i in report.issues if i.code == "office-fee-mismatch"]


def test_section_six_payment_in_the_next_year(staff, agency):
    app = register(staff, agency, "Y1", date(2025, 12, 1))
    event(staff, app, EventKind.FEE_NOTIFIED, date(2025, 12, 15), basis="per_volume", pages=31)
    event(staff, app, EventKind.FEE_PAID, date(2026, 1, 5))
    assert fee_year(agency, 2025).unpaid == 1
    s6 = build_report(agency, 2026).sections["s6"]
    assert s6 == (
        "2026年，本机关依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），"
        "实际收取信息处理费1件，共计10元（其中上年度发出收费通知、本年度缴纳1件）。"
    )


def test_section_six_without_fees(agency):
    assert build_report(agency, 2025).sections["s6"] == (
        "2025年，本机关未依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）向申请人收取信息处理费。"
    )


def test_web_fee_notice_counts_from_the_register(staff, zhang):
    from django.test import Client

    c = Client()
    c.force_login(staff)
    url = f"/applications/{zhang['M11'].pk}/"
    assert "发出收费通知" in c.get(url).content.decode()
    r = c.post(url + "event/", {"kind": "fee_notified", "day": "2025-03-24", "basis": "per_item"}, follow=True)
    html = r.content.decode()
    assert "已记录：发出收费通知" in html
    assert Fee.objects.get(application=zhang["M11"]).amount == Decimal(100)
    assert "申请人“张三”2025年3月第11件（当月共12件）（按台账自动计件）" in html
    assert "金额与收费标准一致" in html and "记录缴纳费用" in html
    r = c.post(url + "event/", {"kind": "fee_paid", "day": "2025-03-26"}, follow=True)
    assert Fee.objects.get(application=zhang["M11"]).paid_on == date(2025, 3, 26)
