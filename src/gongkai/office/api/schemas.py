"""Request and response shapes of the API, described in Chinese for the OpenAPI page.

Choice fields (申请人类型, 申请方式, 事件, 办理结果 …) are plain strings here: the services
validate them and answer in Chinese, listing what is allowed.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from gongkai.office.applications.limits import APPLICANT_MAX, CONTENT_MAX
from gongkai.office.applications.models import EventKind, State
from gongkai.office.applications.services import RECORDABLE
from gongkai.office.applications.vocabulary import OUTCOME_CHOICES, ApplicantType, Channel


def _choices(pairs) -> str:
    return "；".join(f"{value}：{label}" for value, label in pairs)


class Error(Schema):
    detail: str = Field(description="错误说明（中文）")


class AgencyOut(Schema):
    id: int = Field(description="机关编号")
    name: str = Field(description="机关名称")
    parent: int | None = Field(description="上级机关编号")
    writable: bool = Field(description="当前用户能否修改该机关的记录")


# ------------------------------------------------------------------ applications


class ApplicationOut(Schema):
    id: int = Field(description="申请记录编号")
    agency: int = Field(description="机关编号")
    agency_name: str = Field(description="机关名称")
    number: str = Field(description="申请编号")
    applicant_name: str = Field(description="申请人")
    applicant_type: str = Field(description="申请人类型（表三的列）")
    channel: str = Field(description="申请方式")
    received_on: date = Field(description="收到日期（第三十一条）")
    state: str = Field(description=f"办理状态：{_choices(State.choices)}")
    state_label: str = Field(description="办理状态（中文）")
    due_on: date | None = Field(
        description="答复期限；待确认收到、等待补正、等待缴费期间为空（征求意见期间按被征求方用满15个工作日计算）"
    )
    provisional: bool = Field(description="期限是否暂定（如日历数据不全）")
    outcome: str = Field(description="办理结果（表三的行），未办结为空")
    replied_on: date | None = Field(description="答复（办结）日期")


class EventOut(Schema):
    id: int = Field(description="事件编号")
    kind: str = Field(description=f"事件：{_choices(EventKind.choices)}")
    kind_label: str = Field(description="事件（中文）")
    day: date = Field(description="发生日期")
    at: datetime = Field(description="记录时间")
    actor: str | None = Field(description="操作人用户名")
    data: dict = Field(
        description="详情（天数、征求对象、办理结果、备注；更正的理由 reason 和更正前后的值 corrects 等）"
    )
    amends: int | None = Field(description="本事件更正或撤销的事件编号")
    answers: int | None = Field(description="本事件审批的延期申请的事件编号")
    in_force: bool = Field(description="是否仍然有效（被更正或撤销的事件保留在台账中，但不再计入期限）")


class AlertOut(Schema):
    code: str = Field(description="提示代码（如 extension_late：批准延期晚于原答复期限）")
    message: str = Field(description="提示（中文）")


class ApplicationDetail(ApplicationOut):
    content: str = Field(description="申请内容")
    steps: list[str] = Field(description="答复期限的推算过程，逐步说明")
    alerts: list[AlertOut] = Field(description="期限提示（逾期、延期晚于原期限、补正期限届满等）")
    events: list[EventOut] = Field(description="事件台账（包括已被更正或撤销的事件），按日期排列")


class ApplicationPage(Schema):
    count: int = Field(description="符合条件的申请总数")
    page: int = Field(description="当前页码，从 1 开始")
    pages: int = Field(description="总页数")
    items: list[ApplicationOut] = Field(description="本页的申请")


class RegisterIn(Schema):
    agency: int = Field(description="机关编号")
    number: str = Field(description="申请编号，在本机关内唯一")
    applicant_type: str = Field(description=f"申请人类型：{_choices(ApplicantType.choices)}")
    received_on: date = Field(description="收到日期（第三十一条）；待确认时为提交日期")
    channel: str = Field(Channel.OTHER.value, description=f"申请方式：{_choices(Channel.choices)}")
    applicant_name: str = Field("", max_length=APPLICANT_MAX, description="申请人")
    content: str = Field("", max_length=CONTENT_MAX, description="申请内容")
    awaiting_confirmation: bool = Field(
        False, description="信函、互联网、传真提交，尚待确认（确认之日为收到之日，届时记录 receipt_confirmed）"
    )


class EventIn(Schema):
    kind: str = Field(description=f"事件：{_choices((k.value, k.label) for k in RECORDABLE)}")
    day: date = Field(description="发生日期")
    days: int | None = Field(None, description="延期天数，或给申请人的补正期限（工作日）")
    party: str | None = Field(None, description="征求意见对象：third_party（第三方）或 agency（其他机关）")
    channel: str | None = Field(None, description="收到补正材料的方式（同申请方式）")
    amount: Decimal | None = Field(None, description="发出收费通知：金额（元）")
    basis: str | None = Field(None, description="发出收费通知：计收方式 per_item（按件）或 per_volume（按量）")
    pages: int | None = Field(None, description="发出收费通知（按量）：页数；按件不填金额时按台账自动计件计算")
    note: str = Field("", description="备注")


class ReplyIn(Schema):
    day: date = Field(description="答复日期")
    outcome: str = Field(description=f"办理结果（须适用于答复年度的表三格式）：{_choices(OUTCOME_CHOICES)}")
    note: str = Field("", description="备注")


# ------------------------------------------------------------------ annual reports


class IssueOut(Schema):
    code: str = Field(description="问题代码")
    severity: str = Field(description="严重程度：error（错误）、warning（警告）、info（提示）")
    where: str = Field(description="所在单元格、表格或章节")
    message: str = Field(description="问题说明（中文）")
    cells: list[str] = Field([], description="涉及的单元格")
    place: str = Field("", description="在原文件中的位置")


class ReportSummary(Schema):
    id: int = Field(description="报告编号")
    agency: int = Field(description="机关编号")
    agency_name: str = Field(description="机关名称")
    year: int = Field(description="年度")
    format: str = Field(description="格式：gb2021 或 gb2019")
    status: str = Field(description="状态：draft（草稿）、submitted（已报送）、locked（已锁定）")
    version: int = Field(description="版本号（同一机关同一年度从 1 起）")
    returned: bool = Field(description="是否已被上级退回修改")
    errors: int = Field(description="错误个数")
    warnings: int = Field(description="警告个数")
    updated_at: datetime = Field(description="更新时间")


class ReportOut(Schema):
    """The report-cells JSON (``gongkai parse --cells``), with the stored report's id and status."""

    id: int = Field(description="报告编号")
    status: str = Field(description="状态：draft（草稿）、submitted（已报送）、locked（已锁定）")
    format: str = Field(description="格式：gb2021 或 gb2019")
    year: int | None = Field(description="年度")
    agency: str | None = Field(description="机关名称")
    title: str | None = Field(description="标题")
    cells: dict[str, int | float | None] = Field(description="单元格：编号 → 数值，未填为空")
    sections: dict[str, str] = Field(description="正文各部分（s1–s6）")
    issues: list[IssueOut] = Field(description="检查发现的问题")


class BuildIn(Schema):
    agency: int = Field(description="机关编号")
    year: int = Field(description="报告年度（2019年及以后）")
    new_draft: bool = Field(
        False,
        description="另存为新草稿：已报送或已锁定且未经上级退回修改的，一律拒绝；退回修改后生成即为新版本，无须此项",
    )


class ChecksOut(Schema):
    ok: bool = Field(description="没有错误即为 true")
    errors: int = Field(description="错误个数")
    warnings: int = Field(description="警告个数")
    issues: list[IssueOut] = Field(description="全部问题")
