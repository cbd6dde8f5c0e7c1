"""Letters and notices through the web, read back from the DOCX: the 复议机关 from the agency
hierarchy, 第三十六条's content as form fields, usual bases, late notices flagged and recorded."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.test import Client
from docx import Document

from gongkai.office.agencies.models import Agency, ChangeKind, ChangeRecord
from gongkai.office.applications import services
from gongkai.office.applications.vocabulary import basis_choices, needs_basis

from .test_web_access import register

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _text(response) -> str:
    assert response["Content-Type"] == DOCX, response.content.decode()[:2000]
    return "\n".join(p.text for p in Document(BytesIO(response.content)).paragraphs)


def replied(user, agency, outcome: str, day=date(2025, 3, 10)):
    app = register(user, agency)
    services.reply(user, services.ReplyInput(application=app, day=day, outcome=outcome))
    return app


def test_remedy_bodies_from_the_hierarchy(agency):
    assert agency.remedy_bodies() == ("某县人民政府", "")
    assert agency.parent.remedy_bodies() == ("", "")  # a county government: no parent recorded
    agency.review_body, agency.court = "某市交通运输局", "某市铁路运输法院"
    assert agency.remedy_bodies() == ("某市交通运输局", "某市铁路运输法院")


def test_denied_letter_names_the_county_government_and_review_first(staff, agency):
    app = replied(staff, agency, "denied.third_party")
    c = client_for(staff)
    page = c.get(f"/applications/{app.pk}/letter/").content.decode()
    assert "行政复议机关 某县人民政府" in page
    text = _text(c.post(f"/applications/{app.pk}/letter/", {}))
    assert "理由是：保护第三方合法权益" in text
    assert "应当先自收到本答复之日起60日内向某县人民政府申请行政复议；对行政复议决定不服的" in text
    assert "6个月" not in text and "2025年3月10日" in text
    record = ChangeRecord.objects.get(kind=ChangeKind.LETTER_ISSUED)
    assert record.data == {"application": app.pk, "letter": "reply", "date": "2025-03-10", "warnings": []}


def test_agency_review_body_and_court_as_recorded(staff, agency):
    Agency.objects.filter(pk=agency.pk).update(review_body="某市交通运输局", court="某市铁路运输法院")
    app = replied(staff, agency, "denied.process_info")
    text = _text(client_for(staff).post(f"/applications/{app.pk}/letter/", {}))
    assert "向某市交通运输局申请行政复议" in text and "向某市铁路运输法院提起行政诉讼" in text


def test_granted_needs_how_where_and_when(staff, agency):
    app = replied(staff, agency, "granted")
    c = client_for(staff)
    page = c.get(f"/applications/{app.pk}/letter/").content.decode()
    assert "提供方式" in page and "获取途径（地点）" in page and "不予公开部分的理由" not in page
    response = c.post(f"/applications/{app.pk}/letter/", {"provide_by": "电子邮件"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "请填写获取政府信息的途径（地点）" in html and "请填写提供政府信息的时间" in html
    data = {"provide_by": "电子邮件", "provide_at": "wang@example.com", "provide_date": "2025-03-12"}
    text = _text(c.post(f"/applications/{app.pk}/letter/", data))
    assert "提供方式：电子邮件；获取途径（地点）：wang@example.com；提供时间：2025年3月12日。" in text
    assert "也可以自收到本答复之日起6个月内向有管辖权的人民法院提起行政诉讼" in text


def test_not_held_is_a_choice_and_elsewhere_needs_the_agency(staff, agency):
    app = replied(staff, agency, "unable.not_held")
    c = client_for(staff)
    page = c.get(f"/applications/{app.pk}/letter/").content.decode()
    assert "信息不存在（第三十六条第（四）项）" in page and "不属于本机关负责公开（第三十六条第（五）项）" in page
    response = c.post(f"/applications/{app.pk}/letter/", {"not_held_reason": "elsewhere"})
    assert response.status_code == 400
    assert "请填写负责公开该政府信息的行政机关名称" in response.content.decode()
    data = {"not_held_reason": "elsewhere", "responsible_agency": "某县自然资源局", "responsible_contact": "0571-1234"}
    text = _text(c.post(f"/applications/{app.pk}/letter/", data))
    assert "第三十六条第（五）项" in text and "某县自然资源局，联系方式：0571-1234" in text


def test_confirmation_offers_the_usual_bases(staff, agency):
    assert needs_basis("refused.confirmation", 2025) and not needs_basis("denied.third_party", 2025)
    assert basis_choices("refused.confirmation") == [
        ("confirmation", "要求确认：第二条、第三十八条"),
        ("reissue", "要求重新出具：参照第三十六条第（六）项"),
    ]
    assert basis_choices("other.other") == [("withdrawn", "申请人撤回申请")]
    app = replied(staff, agency, "refused.confirmation")
    c = client_for(staff)
    assert "要求确认：第二条、第三十八条" in c.get(f"/applications/{app.pk}/letter/").content.decode()
    response = c.post(f"/applications/{app.pk}/letter/", {})
    assert response.status_code == 400 and "没有对应条款" in response.content.decode()
    text = _text(c.post(f"/applications/{app.pk}/letter/", {"basis": "confirmation"}))
    assert "《中华人民共和国政府信息公开条例》第二条、第三十八条" in text
    text = _text(c.post(f"/applications/{app.pk}/letter/", {"basis": "custom", "basis_text": "第三十九条第一款"}))
    assert "《中华人民共和国政府信息公开条例》第三十九条第一款" in text


def test_late_correction_notice_is_flagged_confirmed_and_recorded(staff, agency):
    app = register(staff, agency)  # received 2025-03-03
    event = services.EventInput(application=app, kind="correction_requested", day=date(2025, 3, 13), days=10)
    services.record_event(staff, event)
    c = client_for(staff)
    url = f"/applications/{app.pk}/notice/correction/"
    form = c.get(url).content.decode()
    assert 'value="2025-03-13"' in form and 'value="10"' in form
    data = {"day": "2025-03-13", "days": "10", "details": "请写明所需文件的文号"}
    response = c.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "补正告知书日期2025年3月13日晚于收到申请后第7个工作日（2025年3月12日）" in html
    assert not ChangeRecord.objects.filter(kind=ChangeKind.LETTER_ISSUED).exists()

    text = _text(c.post(url, {**data, "confirm_late": "on"}))
    assert "政府信息公开申请补正告知书" in text and "请写明所需文件的文号" in text
    record = ChangeRecord.objects.get(kind=ChangeKind.LETTER_ISSUED)
    assert record.data["letter"] == "correction" and record.data["warnings"][0].startswith(
        "补正告知书日期2025年3月13日"
    )
    detail = c.get(f"/applications/{app.pk}/").content.decode()
    assert "A-1 补正告知书" in detail and "晚于收到申请后第7个工作日" in detail


def test_correction_notice_in_time_is_not_flagged(staff, agency):
    app = register(staff, agency)
    data = {"day": "2025-03-12", "days": "10", "details": "请写明文号"}
    text = _text(client_for(staff).post(f"/applications/{app.pk}/notice/correction/", data))
    assert "补正告知书" in text
    assert ChangeRecord.objects.get(kind=ChangeKind.LETTER_ISSUED).data["warnings"] == []


def test_extension_after_the_ledger_deadline_is_flagged(staff, head, agency):
    app = register(staff, agency)  # received 2025-03-03: due 2025-03-31
    services.record_event(head, services.EventInput(application=app, kind="extension_approved", day=date(2025, 4, 1)))
    c = client_for(head)
    url = f"/applications/{app.pk}/notice/extension/"
    data = {"day": "2025-04-01", "days": "20", "details": "需征求第三方意见"}
    response = c.post(url, data)
    assert response.status_code == 400
    assert "延期答复告知书日期2025年4月1日晚于答复期限（2025年3月31日）" in response.content.decode()
    assert "第三十三条第二款" in _text(c.post(url, {**data, "confirm_late": "on"}))


def test_fee_notice(staff, agency):
    app = register(staff, agency)
    c = client_for(staff)
    url = f"/applications/{app.pk}/notice/fee/"
    assert "缴纳方式" in c.get(url).content.decode()
    data = {"day": "2025-03-12", "method": "by_count", "count": "15", "prior": "0", "delivery": "paper"}
    response = c.post(url, data)
    assert response.status_code == 400 and "请填写缴纳方式" in response.content.decode()
    text = _text(c.post(url, {**data, "pay_how": "非税收入缴款码", "served": "2025-03-12"}))
    assert "国办函〔2020〕109号" in text and "三、收费数额：500元。" in text
    assert "（即2025年4月10日前）" in text


def test_consultation_notice(staff, agency):
    app = register(staff, agency)
    data = {"day": "2025-03-05", "third_party": "某某建设有限公司", "details": "该公司的商业秘密"}
    text = _text(client_for(staff).post(f"/applications/{app.pk}/notice/consultation/", data))
    assert "某某建设有限公司：" in text and "第三十二条" in text and "王某" not in text


@pytest.mark.parametrize("kind", ["withdrawal", "reply"])
def test_unknown_notice_is_404(staff, agency, kind):
    app = register(staff, agency)
    assert client_for(staff).get(f"/applications/{app.pk}/notice/{kind}/").status_code == 404
