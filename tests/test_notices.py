"""Notices read back from the DOCX (补正、延期、征求第三方意见、收费), and the flag on a late one,
pinned on dates of the 2025 calendar (国庆: 10月1日—8日, 调休上班 9月28日、10月11日)."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from docx import Document

from gongkai import fees, notices
from gongkai.letters import LetterContext, LetterError

CTX = LetterContext(
    agency="某某县自然资源局",
    applicant="张三",
    number="ZR-2025-031",
    received=date(2025, 3, 3),  # a Monday
    content="某地块土地出让合同",
    reply_date=date(2025, 3, 12),
    contact="0571-12345678",
)


@pytest.fixture(autouse=True)
def _no_custom_templates(tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_DATA_DIR", str(tmp_path / "empty"))


def _text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(BytesIO(data)).paragraphs)


def test_correction_notice():
    ctx = CTX.replace(details="请写明所需文件的名称或文号", doc_number="某自然资补〔2025〕3号")
    lines = _text(notices.render_notice("correction", ctx, days=10, until=date(2025, 3, 26))).split("\n")
    assert lines[:3] == ["政府信息公开申请补正告知书", "某自然资补〔2025〕3号", "申请编号：ZR-2025-031"]
    text = "\n".join(lines)
    assert "《中华人民共和国政府信息公开条例》第三十条" in text
    assert "请写明所需文件的名称或文号" in text
    assert "10个工作日内（即2025年3月26日前）" in text
    assert lines[-2:] == ["某某县自然资源局", "2025年3月12日"]
    with pytest.raises(LetterError, match="需要补正的事项"):
        notices.render_notice("correction", CTX, days=10)


def test_extension_notice_cites_article_33_paragraph_2():
    ctx = CTX.replace(details="需征求第三方意见", reply_date=date(2025, 3, 28))
    text = _text(notices.render_notice("extension", ctx, days=20, until=date(2025, 4, 29)))
    assert "延期答复告知书" in text
    assert "第三十三条第二款" in text
    assert "延长20个工作日，至2025年4月29日" in text
    with pytest.raises(LetterError, match="不得超过20个工作日"):
        notices.render_notice("extension", ctx, days=21)
    with pytest.raises(LetterError, match="未知的告知书类型"):
        notices.render_notice("withdrawal", ctx, days=1)


@pytest.mark.parametrize(
    ("received", "day", "late"),
    [
        (date(2025, 3, 3), date(2025, 3, 12), False),  # the 7th working day
        (date(2025, 3, 3), date(2025, 3, 13), True),  # the 8th
        (date(2025, 9, 26), date(2025, 10, 13), False),  # 7th across 国庆, counting 9月28日 and 10月11日
        (date(2025, 9, 26), date(2025, 10, 14), True),
    ],
)
def test_correction_after_the_7th_working_day_is_flagged(received, day, late):
    warnings = notices.timing_warnings("correction", CTX.replace(received=received, reply_date=day))
    if not late:
        assert warnings == []
        return
    limit = "2025年3月12日" if received.month == 3 else "2025年10月13日"
    assert warnings == [
        f"补正告知书日期{day.year}年{day.month}月{day.day}日晚于收到申请后第7个工作日（{limit}）："
        "第三十条要求自收到申请之日起7个工作日内一次性告知申请人补正"
    ]


def test_extension_after_the_deadline_is_flagged():
    on_time = notices.timing_warnings("extension", CTX.replace(reply_date=date(2025, 3, 31)))
    late = notices.timing_warnings("extension", CTX.replace(reply_date=date(2025, 4, 1)))
    assert on_time == []
    assert len(late) == 1 and late[0].startswith("延期答复告知书日期2025年4月1日晚于答复期限（2025年3月31日）")
    assert "期限届满后延期不能消除超期" in late[0]
    # the ledger's deadline (a consultation paused the clock) replaces receipt + 20
    assert notices.timing_warnings("extension", CTX.replace(reply_date=date(2025, 4, 1)), due=date(2025, 4, 10)) == []


def test_consultation_notice_to_the_third_party():
    ctx = CTX.replace(details="某某置业有限公司的商业秘密")
    text = _text(notices.render_consultation(ctx, third_party="某某置业有限公司", served=date(2025, 3, 14)))
    assert "政府信息公开征求第三方意见书" in text
    assert "某某置业有限公司：" in text
    assert "张三" not in text  # the applicant is not named to the third party
    assert "《中华人民共和国政府信息公开条例》第三十二条" in text
    assert "自收到本意见书之日起15个工作日内（即2025年4月7日前）向本机关书面提出是否同意公开的意见" in text
    assert "逾期未提出意见的，本机关将依照" in text
    with pytest.raises(LetterError, match="第三方名称"):
        notices.render_consultation(ctx, third_party=" ")
    with pytest.raises(LetterError, match="损害第三方合法权益的情况"):
        notices.render_consultation(CTX, third_party="某公司")


def test_fee_notice_states_basis_standard_amount_how_to_pay_and_window():
    quote = fees.quote(count=15, prior=0)
    assert quote.amount == Decimal(500)
    ctx = CTX.replace(doc_number="某自然资收〔2025〕1号")
    text = _text(
        notices.render_fee_notice(ctx, quote, pay_how="扫描本通知所附非税收入缴款码缴纳", served=date(2025, 3, 12))
    )
    assert "政府信息公开信息处理费收费通知书" in text
    assert "某自然资收〔2025〕1号" in text
    assert (
        "一、收费依据：《中华人民共和国政府信息公开条例》第四十二条、《政府信息公开信息处理费管理办法》"
        "（国办函〔2020〕109号）。"
    ) in text
    assert "二、收费标准：按件计收。《政府信息公开信息处理费管理办法》第四条规定：" in text
    assert "11—30件（含30件）的部分：100元/件" in text
    assert "三、收费数额：500元。" in text
    assert "四、缴纳方式：扫描本通知所附非税收入缴款码缴纳。" in text
    # 20 working days from the day after receipt of the notice: 3月13日 … 4月10日 (清明 4月4日 not counted)
    assert "五、缴纳期限：请于收到本通知次日起20个工作日内缴纳上述费用（即2025年4月10日前）。" in text
    assert "逾期未缴纳的，视为放弃申请" in text


def test_fee_notice_by_pages_and_refusals():
    quote = fees.quote(pages=45, delivery="paper")
    text = _text(notices.render_fee_notice(CTX, quote, pay_how="到本机关财务室缴纳"))
    assert "按量计收" in text and "第五条" in text and "三、收费数额：150元。" in text
    assert "请于收到本通知次日起20个工作日内缴纳上述费用。" in text
    with pytest.raises(LetterError, match="不收费"):
        notices.render_fee_notice(CTX, fees.quote(count=5), pay_how="缴款码")
    with pytest.raises(LetterError, match="缴纳方式"):
        notices.render_fee_notice(CTX, quote, pay_how="")


def test_fee_notice_after_the_deadline_is_flagged():
    late = notices.timing_warnings("fee", CTX.replace(reply_date=date(2025, 4, 2)))
    assert late and "收费通知应在政府信息公开申请处理期限内发出" in late[0]
    assert notices.timing_warnings("fee", CTX.replace(reply_date=date(2025, 3, 20))) == []
