"""Reply deadlines for applications (依申请公开), derived from an event ledger.

events → replay → count → explain: ``events`` names what can happen, ``replay`` walks a ledger
and refuses what the law does not allow, ``count`` turns the facts into due dates on the
working-day calendar, ``explain`` says how, in Chinese. The law's numbers come from
``gongkai.law``; an application's due date is never stored, it is recomputed from its events
by ``compute``. Rules (《中华人民共和国政府信息公开条例》2019):

- 第三十一条: the day of receipt depends on the channel — 当面: the day handed in; 邮寄: the
  day signed for; 平常信函: the day confirmed with the applicant; 互联网/传真: the day both
  sides confirm. A ``received`` event with ``pending=True`` is the day the application arrived;
  the clock starts only with ``receipt_confirmed`` (state 待确认 until then).
- The day of receipt is not counted (《民法典》第二百零一条: 开始的当日不计入).
- 第三十三条第二款: reply within 20 working days of receipt; one extension of at most 20
  working days, approved by the head of the disclosure office — before the deadline: an
  extension approved later does not move it (``extension_late``).
- 第三十条: an unclear application → one-time 补正 notice within 7 working days of receipt
  (``correction_due``); the reply period then runs from receipt of the supplemented
  application; no 补正 within the period set → 视为放弃申请 (the caller decides: ``suggestion``).
- 第三十三条第三款: time spent consulting third parties (第三十二条) and other agencies (第三十四条)
  is not counted — at most the consulted party's 15 working days (see ``count``).
- 国办函〔2020〕109号: from the fee notice to payment is not counted; the applicant pays within
  20 working days from the day after receiving the notice, otherwise 视为放弃申请.
"""

from __future__ import annotations

from datetime import date

from gongkai.workdays import Calendar

from .count import Alert, Deadline, count
from .events import (
    CHANNEL_LABELS,
    CHANNEL_WORDS,
    LAW,
    NEEDS_CONFIRMATION,
    PARTY_ARTICLES,
    PARTY_LABELS,
    Channel,
    DeadlineState,
    Event,
    EventKind,
    Law,
    LedgerError,
    Party,
)
from .replay import replay

__all__ = [
    "CHANNEL_LABELS",
    "CHANNEL_WORDS",
    "LAW",
    "NEEDS_CONFIRMATION",
    "PARTY_ARTICLES",
    "PARTY_LABELS",
    "Alert",
    "Channel",
    "Deadline",
    "DeadlineState",
    "Event",
    "EventKind",
    "Law",
    "LedgerError",
    "Party",
    "compute",
    "deadline_from_cli",
]


def compute(events, calendar: Calendar, *, law: Law = LAW, today: date | None = None) -> Deadline:
    """Derive the deadline from a ledger in date order. ``today`` enables what depends on it:
    ``suggestion`` (``"no_correction"`` / ``"no_payment"``), ``overdue`` and the alerts that
    a period has passed."""
    events = tuple(events)
    return count(replay(events, law), calendar, law, today, (events, calendar, law, today))


def deadline_from_cli(
    received: date,
    extension: int | None = None,
    pauses: list[tuple[date, date]] | tuple = (),
    channel: str | None = None,
    calendar: Calendar | None = None,
    *,
    law: Law = LAW,
    confirmed: date | None = None,
    today: date | None = None,
) -> Deadline:
    """The simple case the CLI asks about: receipt (or arrival and ``confirmed``), an optional
    extension approved on the day of receipt, consultation pauses (each capped at 15 working days)."""
    if calendar is None:
        from gongkai.workdays import default_calendar

        calendar = default_calendar()
    start = received
    events = [Event(EventKind.RECEIVED, received, channel=channel, pending=confirmed is not None)]
    if confirmed is not None:
        if confirmed < received:
            raise LedgerError(f"确认日期 {confirmed.isoformat()} 早于提交日期 {received.isoformat()}")
        events.append(Event(EventKind.RECEIPT_CONFIRMED, confirmed))
        start = confirmed
    if extension is not None:
        events.append(Event(EventKind.EXTENSION_APPROVED, start, days=extension))
    for first, last in sorted(pauses):
        if last < first:
            raise LedgerError(f"暂停区间 {first.isoformat()}:{last.isoformat()} 的结束日期早于开始日期")
        if first < start:
            raise LedgerError(f"暂停区间 {first.isoformat()}:{last.isoformat()} 早于收到申请之日 {start.isoformat()}")
        events.append(Event(EventKind.CONSULTATION_STARTED, first))
        events.append(Event(EventKind.CONSULTATION_ENDED, last))
    events.sort(key=lambda e: e.day)  # stable: same-day start/end keep their order
    return compute(events, calendar, law=law, today=today)
