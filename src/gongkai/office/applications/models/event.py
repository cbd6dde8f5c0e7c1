"""The append-only event ledger of an application: every change is one row, written by
``writer.write``; a correction is a new row that ``amends`` the wrong one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from gongkai import deadlines
from gongkai.office.errors import OfficeError

_K = deadlines.EventKind


class EventKind(models.TextChoices):
    """``gongkai.deadlines.EventKind`` (what the deadline depends on) plus bookkeeping events."""

    RECEIVED = _K.RECEIVED.value, "收到申请"
    RECEIPT_CONFIRMED = _K.RECEIPT_CONFIRMED.value, "确认收到申请"
    CORRECTION_REQUESTED = _K.CORRECTION_REQUESTED.value, "告知补正"
    CORRECTION_RECEIVED = _K.CORRECTION_RECEIVED.value, "收到补正"
    CONSULTATION_STARTED = _K.CONSULTATION_STARTED.value, "开始征求意见"
    CONSULTATION_ENDED = _K.CONSULTATION_ENDED.value, "征求意见结束"
    FEE_NOTIFIED = _K.FEE_NOTIFIED.value, "发出收费通知"
    FEE_NOTICE_RECEIVED = _K.FEE_NOTICE_RECEIVED.value, "申请人收到收费通知"
    FEE_PAID = _K.FEE_PAID.value, "缴纳费用"
    EXTENSION_APPROVED = _K.EXTENSION_APPROVED.value, "批准延期答复"
    REPLIED = _K.REPLIED.value, "作出答复"
    WITHDRAWN = _K.WITHDRAWN.value, "申请人撤回申请"
    ABANDONED = _K.ABANDONED.value, "视为放弃申请"
    REGISTERED = "registered", "登记申请"
    OUTCOME_SET = "outcome_set", "更正办理结果"  # before corrections amended the reply itself
    EDITED = "edited", "修改登记信息"
    UNDONE = "undone", "撤销事件"
    EXTENSION_REQUESTED = "extension_requested", "申请延期答复"
    EXTENSION_REFUSED = "extension_refused", "不同意延期答复"

    @property
    def for_deadline(self) -> deadlines.EventKind | None:
        try:
            return deadlines.EventKind(self.value)
        except ValueError:
            return None


class AppendOnlyQuerySet(models.QuerySet):
    def in_force(self) -> AppendOnlyQuerySet:
        """Events no later row corrects or undoes."""
        return self.filter(amendment__isnull=True)

    def pending_extension_requests(self) -> AppendOnlyQuerySet:
        """Extension requests in force, not yet decided, of applications still being handled."""
        return self.in_force().filter(
            kind=EventKind.EXTENSION_REQUESTED, decision__isnull=True, application__pending=True
        )

    def update(self, **kwargs):
        raise OfficeError("申请事件只能追加，不能修改")

    def delete(self):
        raise OfficeError("申请事件只能追加，不能删除")


class ApplicationEvent(models.Model):
    application = models.ForeignKey(
        "applications.Application", verbose_name="申请", on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField("事件", max_length=32, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="application_events",
    )
    at = models.DateTimeField("记录时间", default=timezone.now)
    day = models.DateField("发生日期")
    data = models.JSONField("详情", default=dict, blank=True)
    # A correction: this row replaces (or, ``undone``, withdraws) that one, which stays in the
    # table but is no longer in force. One correction per row at most.
    amends = models.OneToOneField(
        "self",
        verbose_name="更正或撤销的事件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amendment",
    )
    # A decision (extension approved or refused) on a request (``extension_requested``).
    answers = models.OneToOneField(
        "self",
        verbose_name="审批的申请",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decision",
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "申请事件"
        verbose_name_plural = "申请事件"
        ordering = (
            "application",
            "day",
            "id",
        )
        indexes = (models.Index(fields=["application", "day"], name="event_application_day"),)

    def __str__(self) -> str:
        return f"{self.day} {self.get_kind_display()}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise OfficeError("申请事件只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise OfficeError("申请事件只能追加，不能删除")

    def to_deadline_event(self) -> deadlines.Event | None:
        """The event as ``gongkai.deadlines`` sees it; None for bookkeeping events."""
        kind = EventKind(self.kind).for_deadline
        if kind is None:
            return None
        d = self.data or {}
        return deadlines.Event(
            kind,
            self.day,
            days=d.get("days"),
            channel=d.get("channel"),
            party=d.get("party"),
            pending=bool(d.get("pending")),
        )
