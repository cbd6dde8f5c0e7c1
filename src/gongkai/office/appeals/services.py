"""Recording appeals (复议/诉讼) and their results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from gongkai.office.agencies.models import Agency, ChangeKind
from gongkai.office.agencies.services import record_change, require_role
from gongkai.office.applications.models import Application
from gongkai.office.errors import OfficeError

from .models import Appeal, AppealKind, AppealResult


@dataclass(frozen=True)
class AppealInput:
    agency: Agency
    kind: str  # AppealKind
    filed_on: date
    application: Application | None = None
    case_number: str = ""
    note: str = ""


@dataclass(frozen=True)
class DecisionInput:
    appeal: Appeal
    result: str  # AppealResult other than pending
    decided_on: date


@transaction.atomic
def file_appeal(actor, data: AppealInput) -> Appeal:
    require_role(actor, data.agency, what="登记复议诉讼案件")
    if data.kind not in AppealKind.values:
        raise OfficeError(f"未知的案件类别“{data.kind}”，可选：{'、'.join(AppealKind.labels)}")
    if data.application is not None and data.application.agency_id != data.agency.pk:
        raise OfficeError(f"申请 {data.application.number} 不属于“{data.agency}”")
    appeal = Appeal.objects.create(
        agency=data.agency,
        application=data.application,
        kind=data.kind,
        filed_on=data.filed_on,
        case_number=data.case_number,
        note=data.note,
    )
    record_change(
        actor,
        data.agency,
        ChangeKind.APPEAL_FILED,
        f"{appeal.get_kind_display()} {data.case_number or ''}".strip(),
        {"filed_on": data.filed_on, "application": data.application.number if data.application else None},
    )
    return appeal


@transaction.atomic
def decide_appeal(actor, data: DecisionInput) -> Appeal:
    appeal = Appeal.objects.select_for_update().get(pk=data.appeal.pk)
    require_role(actor, appeal.agency, what="登记复议诉讼结果")
    if data.result not in AppealResult.values or data.result == AppealResult.PENDING:
        done = [r.label for r in AppealResult if r != AppealResult.PENDING]
        raise OfficeError(f"审结结果应为：{'、'.join(done)}")
    if data.decided_on < appeal.filed_on:
        raise OfficeError("审结日期不能早于立案日期")
    appeal.result = data.result
    appeal.decided_on = data.decided_on
    appeal.save(update_fields=["result", "decided_on"])
    record_change(
        actor,
        appeal.agency,
        ChangeKind.APPEAL_DECIDED,
        f"{appeal.get_kind_display()} {appeal.case_number or ''}".strip(),
        {"result": data.result, "decided_on": data.decided_on},
    )
    return appeal
