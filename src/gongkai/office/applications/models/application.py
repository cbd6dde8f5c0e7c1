"""The application (依申请公开申请).

Facts the office records (who applied, how, when, what was decided) are columns; every change
to them is written with an ``ApplicationEvent`` by ``services``. The deadline state (``state``,
``due_on``, ``provisional``, ``correction_due_on``, ``consultation_due_on``) is a denormalised
cache of ``gongkai.deadlines.compute`` over the events: ``services`` recomputes it in the same
transaction as every event it writes, so it cannot drift from the ledger; it exists so that
``overdue()`` and ``due_within()`` are queries.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models

from gongkai.deadlines import DeadlineState
from gongkai.errors import GongkaiError
from gongkai.office.agencies.models import Agency

from ..vocabulary import OUTCOME_CHOICES, ApplicantType, Channel, check_outcome


class State(models.TextChoices):
    """``gongkai.deadlines.DeadlineState`` with Chinese labels."""

    AWAITING_CONFIRMATION = DeadlineState.AWAITING_CONFIRMATION.value, "待确认收到"
    RUNNING = DeadlineState.RUNNING.value, "办理中"
    AWAITING_CORRECTION = DeadlineState.AWAITING_CORRECTION.value, "等待补正"
    CONSULTING = DeadlineState.CONSULTING.value, "征求意见中"
    AWAITING_FEE = DeadlineState.AWAITING_FEE.value, "等待缴费"
    REPLIED = DeadlineState.REPLIED.value, "已答复"
    WITHDRAWN = DeadlineState.WITHDRAWN.value, "已撤回"
    ABANDONED = DeadlineState.ABANDONED.value, "视为放弃申请"


OPEN_STATES = (
    State.AWAITING_CONFIRMATION,
    State.RUNNING,
    State.AWAITING_CORRECTION,
    State.CONSULTING,
    State.AWAITING_FEE,
)


class ApplicationQuerySet(models.QuerySet):
    def open(self) -> ApplicationQuerySet:
        """Applications still being handled (including those whose clock is stopped)."""
        return self.filter(pending=True)

    def closed(self) -> ApplicationQuerySet:
        return self.filter(pending=False)

    def overdue(self, today: date) -> ApplicationQuerySet:
        """Open applications whose reply deadline has passed (an open consultation keeps its
        application here: its due date assumes the consulted party's 15 working days at most)."""
        return self.open().filter(due_on__lt=today)

    def due_within(self, today: date, n_workdays: int, calendar=None) -> ApplicationQuerySet:
        """Open applications due from ``today`` to the ``n_workdays``-th working day after it."""
        from gongkai.workdays import default_calendar

        until = (calendar or default_calendar()).add_workdays(today, n_workdays)
        return self.open().filter(due_on__gte=today, due_on__lte=until)

    def duties(self, today: date, until: date) -> ApplicationQuerySet:
        """Open applications with a statutory date other than the reply deadline that needs a look
        by ``until``: a 补正 duty ending (第三十条), a consultation's own due date near or passed
        (第三十二条、第三十四条), a receipt not yet confirmed (第三十一条)."""
        return self.open().filter(
            models.Q(correction_due_on__gte=today, correction_due_on__lte=until)
            | models.Q(consultation_due_on__lte=until)
            | models.Q(state=State.AWAITING_CONFIRMATION)
        )

    def search(self, text: str) -> ApplicationQuerySet:
        """Applications whose number, applicant or content contains ``text`` (each word of it)."""
        for word in text.split():
            self = self.filter(
                models.Q(number__icontains=word)
                | models.Q(applicant_name__icontains=word)
                | models.Q(content__icontains=word)
            )
        return self

    def received_in(self, year: int) -> ApplicationQuerySet:
        return self.filter(received_on__gte=date(year, 1, 1), received_on__lte=date(year, 12, 31))

    def running_out(self, today: date, until: date) -> ApplicationQuerySet:
        """Open applications whose 补正 duty (第三十条) ends from ``today`` to ``until``, or whose
        consultation (第三十二条、第三十四条) is due by ``until`` (or overdue): ``duties`` without
        the receipts to confirm — the digest's third list."""
        return self.open().filter(
            models.Q(correction_due_on__gte=today, correction_due_on__lte=until)
            | models.Q(consultation_due_on__lte=until)
        )

    def for_year_report(self, year: int) -> ApplicationQuerySet:
        """Applications that can count in ``year``'s table 三: received by its end, not closed before it."""
        return self.filter(received_on__lte=date(year, 12, 31)).filter(
            models.Q(replied_on__isnull=True) | models.Q(replied_on__gte=date(year, 1, 1))
        )


class Application(models.Model):
    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="applications")
    number = models.CharField("申请编号", max_length=64)
    applicant_name = models.CharField("申请人", max_length=200, blank=True)
    applicant_type = models.CharField("申请人类型", max_length=20, choices=ApplicantType.choices)
    channel = models.CharField("申请方式", max_length=20, choices=Channel.choices, default=Channel.OTHER)
    content = models.TextField("申请内容", blank=True)
    received_on = models.DateField(
        "收到日期", help_text="第三十一条规定的收到申请之日；待确认时为提交之日，确认后改为确认之日"
    )
    outcome = models.CharField("办理结果", max_length=40, choices=OUTCOME_CHOICES, blank=True)
    replied_on = models.DateField("答复（办结）日期", null=True, blank=True)
    # cache of gongkai.deadlines.compute over the events, recomputed by services in the same transaction
    state = models.CharField("办理状态", max_length=24, choices=State.choices, default=State.RUNNING, editable=False)
    due_on = models.DateField("答复期限", null=True, blank=True, editable=False)
    provisional = models.BooleanField("期限暂定", default=False, editable=False)
    # 第三十条: the day by which a 补正 must be asked, while none has been (else empty)
    correction_due_on = models.DateField("补正告知期限", null=True, blank=True, editable=False)
    # 第三十二条、第三十四条: the open consultation's own due date (else empty)
    consultation_due_on = models.DateField("征求意见期限", null=True, blank=True, editable=False)
    # ``state`` in OPEN_STATES, kept by the database. Open applications are a small, skewed slice
    # of the table; SQLite cannot match ``state IN (?, ?, ?, ?)`` (bound parameters) to a partial
    # index and its statistics do not see the skew, so it read the agency's whole history.
    # ``WHERE pending`` has no parameter: the partial index below serves it on every database.
    pending = models.GeneratedField(
        verbose_name="办理中",
        expression=models.Q(state__in=OPEN_STATES),
        output_field=models.BooleanField(),
        db_persist=True,
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = (
            "agency",
            "received_on",
            "number",
        )
        constraints = (models.UniqueConstraint(fields=["agency", "number"], name="application_unique_number"),)
        indexes = (
            # Covers the year's table 三 (for_year_report, one GROUP BY) without reading the table:
            # on SQLite, walking an index and fetching each row was three times slower than a scan.
            models.Index(
                fields=["agency", "received_on", "replied_on", "applicant_type", "outcome"], name="application_report"
            ),
            models.Index(fields=["agency", "replied_on"], name="application_replied"),
            models.Index(fields=["agency", "due_on"], condition=models.Q(pending=True), name="application_open_due"),
        )

    def __str__(self) -> str:
        return f"{self.agency} {self.number}"

    def clean(self) -> None:
        if bool(self.outcome) != bool(self.replied_on):
            raise ValidationError("办理结果与答复日期应同时填写")
        if self.replied_on and self.received_on and self.replied_on < self.received_on:
            raise ValidationError({"replied_on": "答复日期不能早于收到日期"})
        if self.outcome and self.replied_on:
            try:
                check_outcome(self.outcome, self.replied_on.year)
            except GongkaiError as e:
                raise ValidationError({"outcome": str(e)}) from None

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES
