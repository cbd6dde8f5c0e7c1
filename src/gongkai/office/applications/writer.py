"""The one writer of the event ledger, and the ledger as the clocks read it.

Every use case writes its change with ``write``: one new ``ApplicationEvent`` row, never an
update or a delete. A mistake is corrected by a new row that ``amends`` the wrong one — a
replacement of the same kind (a reply with the right date), or ``undone`` — so the wrong row
stays in the table for the audit trail but is no longer *in force* (``in_force``). ``recompute``
recomputes the application's deadline cache from the events in force with
``gongkai.deadlines.compute`` in the same transaction; a ledger the law's rules reject (a
second extension, an event after the reply …) rolls the whole change back.

No event can be dated after today, whichever way it comes in (``write``: issue 13, item 5).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from django.utils import timezone

from gongkai import deadlines
from gongkai.errors import GongkaiError
from gongkai.office.errors import OfficeError
from gongkai.workdays import default_calendar

from .models import Application, ApplicationEvent, EventKind

__all__ = [
    "ABANDONING",
    "CACHED",
    "CLOSING",
    "chinese_kinds",
    "deadline_of",
    "deadlines_of",
    "in_force",
    "ledger_order",
    "not_future",
    "recompute",
    "require_open",
    "today",
    "validate_choice",
    "write",
]

# Outcomes that mean 视为放弃申请 (第三十条; 国办函〔2020〕109号) rather than a reply.
ABANDONING = frozenset({"other.no_correction", "other.unpaid_fee"})
# The events that close an application (one at most in force).
CLOSING = (EventKind.REPLIED, EventKind.WITHDRAWN, EventKind.ABANDONED)
# Order within one day: the receipt first, then its confirmation, then the rest as recorded,
# a closing last — so that a corrected receipt or reply (a later row) keeps its place.
_RANK = {EventKind.RECEIVED.value: 0, EventKind.RECEIPT_CONFIRMED.value: 1} | {k.value: 3 for k in CLOSING}
CACHED = ("state", "due_on", "provisional", "correction_due_on", "consultation_due_on")


def today() -> date:
    return timezone.localdate()


def not_future(day: date, what: str) -> None:
    """Refuse a date after today: nothing can have happened yet on it."""
    now = today()
    if day > now:
        raise OfficeError(f"{what} {day.isoformat()} 晚于今天（{now.isoformat()}），不能记录尚未发生的事")


def ledger_order(event: ApplicationEvent) -> tuple:
    return (event.day, _RANK.get(str(event.kind), 2), event.pk)


def in_force(events: Iterable[ApplicationEvent]) -> list[ApplicationEvent]:
    """The events no later row amends (corrected or undone ones left out), in ledger order.

    ``events`` holds whole ledgers (every event of each application it concerns), so that
    the amending rows are among them."""
    events = list(events)
    amended = {e.amends_id for e in events if e.amends_id}
    return sorted((e for e in events if e.pk not in amended), key=ledger_order)


def write(
    application: Application,
    actor,
    kind: EventKind,
    day: date,
    data: dict | None = None,
    *,
    amends: ApplicationEvent | None = None,
    answers: ApplicationEvent | None = None,
    refresh: bool = True,
) -> ApplicationEvent:
    """Append one event (the only place rows are written); refresh the deadline cache."""
    not_future(day, f"“{EventKind(kind).label}”的日期")
    event = ApplicationEvent.objects.create(
        application=application,
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        at=timezone.now(),
        day=day,
        data=data or {},
        amends=amends,
        answers=answers,
    )
    if refresh:
        recompute(application)
    return event


def deadline_of(application: Application, *, today: date | None = None) -> deadlines.Deadline:
    """The application's deadline, computed from its events in force (``steps`` explain it)."""
    return _compute(application.number, in_force(application.events.all()), today)  # uses a prefetch if any


def deadlines_of(numbers: dict[int, str], *, today: date | None = None) -> dict[int, deadlines.Deadline]:
    """``deadline_of`` for many applications (id → number), their events read in one query."""
    ledgers: dict[int, list[ApplicationEvent]] = {pk: [] for pk in numbers}
    for event in ApplicationEvent.objects.filter(application_id__in=list(numbers)):
        ledgers[event.application_id].append(event)
    return {pk: _compute(numbers[pk], in_force(ledger), today) for pk, ledger in ledgers.items()}


_KIND_WORDS = sorted(((k.value, k.label) for k in EventKind), key=lambda kv: -len(kv[0]))
_KIND_RE = re.compile("(?<![a-z_])(" + "|".join(v for v, _ in _KIND_WORDS) + ")(?![a-z_])")


def chinese_kinds(message: str) -> str:
    """The clocks name events by their codes (``consultation_started``); people read their names."""
    labels = dict(_KIND_WORDS)
    return _KIND_RE.sub(lambda m: f"“{labels[m.group(1)]}”", message)


def _compute(number: str, events: list[ApplicationEvent], today: date | None) -> deadlines.Deadline:
    ledger = [e.to_deadline_event() for e in events]
    try:
        return deadlines.compute([e for e in ledger if e is not None], default_calendar(), today=today)
    except GongkaiError as e:
        raise OfficeError(f"申请 {number}：{chinese_kinds(str(e))}") from None


def recompute(application: Application) -> None:
    """The deadline cache of ``application`` from its events in force."""
    d = deadline_of(application)
    application.state = str(d.state)
    application.due_on = d.due
    application.provisional = d.provisional
    application.correction_due_on = d.correction_due if d.correction_open else None
    application.consultation_due_on = d.consultation_due
    application.save(update_fields=list(CACHED))


def require_open(application: Application, what: str) -> None:
    if not application.is_open:
        raise OfficeError(f"申请 {application.number} 的办理状态为“{application.get_state_display()}”，不能再{what}")


def validate_choice(value: str, choices, what: str) -> None:
    if value not in {c.value for c in choices}:
        raise OfficeError(f"未知的{what}“{value}”，可选：{'、'.join(c.label for c in choices)}")
