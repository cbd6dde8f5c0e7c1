"""Letters of an application: the reply letter and the notices (补正、延期、征求第三方意见、收费).

GET shows the form with what the ledger already knows; POST renders the DOCX. A letter missing
what its answer requires comes back as form errors; a notice dated later than the law allows
is shown with its warnings and produced only once the clerk confirms. Every letter produced is
recorded (``ChangeKind.LETTER_ISSUED``) with its warnings, and listed on the application's page.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from gongkai import deadlines, fees, notices
from gongkai.errors import GongkaiError
from gongkai.formats import for_year
from gongkai.letters import LetterContext, LetterError, render_letter
from gongkai.office.agencies import access
from gongkai.office.agencies.models import ChangeKind, ChangeRecord
from gongkai.office.agencies.services import record_change
from gongkai.office.applications.fees import check_notice
from gongkai.office.applications.models import Application, EventKind
from gongkai.office.applications.vocabulary import needs_basis
from gongkai.office.applications.writer import in_force
from gongkai.workdays import default_calendar

from ..decorators import agency_required
from ..letter_forms import LetterForm, NoticeForm

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
REPLY = "reply"
TITLES = {REPLY: "答复书", **notices.NOTICES}
# The ledger event a notice goes with (its date, days and note fill the form).
NOTICE_EVENTS = {
    "correction": EventKind.CORRECTION_REQUESTED,
    "extension": EventKind.EXTENSION_APPROVED,
    "consultation": EventKind.CONSULTATION_STARTED,
    "fee": EventKind.FEE_NOTIFIED,
}
# Events left out when asking what the reply deadline was before a notice (and closings).
BEFORE = {
    "extension": {EventKind.EXTENSION_APPROVED},
    "fee": {EventKind.FEE_NOTIFIED, EventKind.FEE_PAID},
}
CLOSING = {EventKind.REPLIED, EventKind.WITHDRAWN, EventKind.ABANDONED}


def issued_letters(application: Application):
    """The letters produced for ``application``, newest first, with their warnings."""
    records = ChangeRecord.objects.filter(
        agency_id=application.agency_id, kind=ChangeKind.LETTER_ISSUED, data__application=application.pk
    ).select_related("actor")
    return [(r, (r.data or {}).get("warnings", [])) for r in records]


def _context(application: Application, day: date, changes: dict) -> LetterContext:
    review_body, court = application.agency.remedy_bodies()
    return LetterContext(
        agency=application.agency.name,
        applicant=application.applicant_name,
        number=application.number,
        received=application.received_on,
        content=application.content,
        reply_date=day,
        review_body=review_body,
        court=court,
        **changes,
    )


def _docx(request, application: Application, kind: str, day: date, data: bytes, warnings: list[str]):
    title = TITLES[kind]
    record = {"application": application.pk, "letter": kind, "date": day.isoformat(), "warnings": warnings}
    record_change(request.user, application.agency, ChangeKind.LETTER_ISSUED, f"{application.number} {title}", record)
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, f"{title}-{application.number}.docx")
    return response


def _page(request, application: Application, kind: str, form, warnings=(), status=200):
    review_body, court = application.agency.remedy_bodies()
    context = {
        "app": application,
        "title": TITLES[kind],
        "form": form,
        "warnings": warnings,
        "reply": kind == REPLY,
        "review_body": review_body,
        "court": court,
        "can_write": access.can_write(request.user, application.agency),
    }
    return render(request, "web/letter.html", context, status=status)


def _posted(request):
    """The POST data, even when empty (every field of a letter may be optional)."""
    return request.POST if request.method == "POST" else None


def _require_write(request, application: Application) -> None:
    if request.method == "POST" and not access.can_write(request.user, application.agency):
        raise PermissionDenied("您只能查看，不能以该机关名义生成文书")


@agency_required(Application)
def application_letter(request, application: Application):
    if not application.outcome or application.replied_on is None:
        messages.error(request, "申请尚未答复，不能生成答复书")
        return redirect(reverse("web:application", kwargs={"pk": application.pk}))
    _require_write(request, application)
    fmt_id = for_year(application.replied_on.year).id
    basis = needs_basis(application.outcome, application.replied_on.year)
    form = LetterForm(_posted(request), outcome=application.outcome, fmt_id=fmt_id, needs_basis=basis)
    if request.method == "POST" and form.is_valid():
        context = _context(application, application.replied_on, form.changes())
        try:
            data = render_letter(application.outcome, fmt_id, context)
        except LetterError as e:
            form.add_letter_error(e)
        else:
            return _docx(request, application, REPLY, application.replied_on, data, [])
    return _page(request, application, REPLY, form, status=400 if form.errors else 200)


def _event(application: Application, kind: str):
    return application.events.in_force().filter(kind=NOTICE_EVENTS[kind]).order_by("-day", "-id").first()


def _initial(application: Application, kind: str) -> dict:
    initial: dict = {"day": timezone.localdate(), "prior": 0}
    event = _event(application, kind)
    if event is not None:
        data = event.data or {}
        initial |= {"day": event.day, "days": data.get("days"), "details": data.get("note", "")}
    if kind == "extension" and event is not None and application.due_on:
        initial["until"] = application.due_on
    check = check_notice(application) if kind == "fee" else None
    if check is not None:
        initial["method"] = fees.Method.BY_COUNT if check.basis == "per_item" else fees.Method.BY_PAGES
    return initial


def _due_before(application: Application, kind: str) -> date | None:
    """The reply deadline the ledger gives without this notice's own events (None: stopped or unknown)."""
    leave_out = BEFORE.get(kind, set()) | CLOSING
    events = [e.to_deadline_event() for e in in_force(application.events.all()) if e.kind not in leave_out]
    try:
        return deadlines.compute([e for e in events if e is not None], default_calendar()).due
    except GongkaiError:
        return None


def _warnings(application: Application, kind: str, context: LetterContext) -> list[str]:
    if kind in BEFORE:
        due = _due_before(application, kind)
        if due is None:
            return []
        return notices.timing_warnings(kind, context, due=due)
    return notices.timing_warnings(kind, context)


def _render_notice(kind: str, context: LetterContext, d: dict, application: Application) -> bytes:
    if kind == "consultation":
        return notices.render_consultation(context, third_party=d["third_party"], served=d["served"])
    if kind == "fee":
        check = check_notice(application)  # the register's notice, its 按件 count and expected amount
        quote = None
        if d["method"] == fees.Method.BY_COUNT and d["count"]:
            quote = fees.quote(count=d["count"], prior=d["prior"] or 0)
        elif d["method"] == fees.Method.BY_PAGES and d["pages"]:
            quote = fees.quote(pages=d["pages"], delivery=d["delivery"])
        elif check is not None and check.expected is not None:
            quote = check.expected
        if quote is None:
            need = ("count", "按件计收的件数") if d["method"] == fees.Method.BY_COUNT else ("pages", "按量计收的页数")
            raise LetterError(f"收费通知书缺少{need[1]}，无法按收费标准计算金额", missing=(need[0],))
        if check is not None and check.amount != quote.amount:
            raise LetterError(f"按收费标准计算的金额为{quote.amount}元，与台账记录的{check.amount}元不一致，请核对")
        return notices.render_fee_notice(context, quote, pay_how=d["pay_how"], served=d["served"])
    if not d.get("days"):
        raise LetterError("请填写期限（工作日）", missing=("days",))
    return notices.render_notice(kind, context, days=d["days"], until=d["until"])


@agency_required(Application)
def application_notice(request, application: Application, kind: str):
    if kind not in notices.NOTICES:
        raise Http404("没有这种告知书")
    _require_write(request, application)
    form = NoticeForm(_posted(request), kind=kind, initial=_initial(application, kind))
    warnings: list[str] = []
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        common = {"doc_number": d["doc_number"], "contact": d["contact"], "details": d["details"]}
        context = _context(application, d["day"], common)
        warnings = _warnings(application, kind, context)
        if warnings and not d["confirm_late"]:
            form.add_error("confirm_late", "该文书晚于法定期限：请核对日期；确需生成的，勾选此项后再提交")
        else:
            try:
                data = _render_notice(kind, context, d, application)
            except LetterError as e:
                form.add_letter_error(e)
            except ValueError as e:  # the fee calculator's refusals
                form.add_error(None, str(e))
            else:
                return _docx(request, application, kind, d["day"], data, warnings)
    return _page(request, application, kind, form, warnings, status=400 if form.errors else 200)
