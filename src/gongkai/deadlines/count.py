"""Count: from the replayed facts to the due dates, on the working-day index of a ``Calendar``.

Rules the count applies (each also stated in the explanation):

- The day the clock starts (receipt, or receipt of the 补正) is not counted.
- A pause (consultation, fee) removes every working day from its first to its last day, both
  included; overlapping pauses count once.
- A consultation pauses the clock at most until the consulted party's own due date, the 15th
  working day after the day it began (第三十二条、第三十四条; see ``gongkai.law``):
  第三十三条第三款 excludes the time the consultation needs, and the law gives it 15 working
  days. An open consultation therefore never stops the clock for good; while it is open the
  due date assumes it runs to its own due date.
- An extension approved after the original due date does not move the due date
  (``extension_late``): the reply is late by the original one.
- The fee window runs 20 working days from the day after the applicant received the notice
  (国办函〔2020〕109号); without that day there is no window and no 视为放弃 suggestion.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date
from typing import NamedTuple

from gongkai.workdays import Calendar, CalendarRangeError, weekday_name

from .events import Channel, DeadlineState, EventKind, Law, channel_words, consultation_days, party_label
from .replay import FEE, Replay

_RUNNING = DeadlineState.RUNNING
_IN_PERSON = Channel.IN_PERSON.value


class Alert(NamedTuple):
    """Something a person must look at: a stable ``code`` and a Chinese ``message``."""

    code: str
    message: str


class Deadline(NamedTuple):
    """What the ledger implies; immutable, recomputed from the events, never stored.

    ``due`` is None only while the clock is stopped by the applicant's side (待确认, awaiting
    补正, an unpaid fee); an open consultation keeps a due date. ``steps`` explains, in Chinese,
    how it was reached; ``alerts`` lists what needs attention.
    """

    due: date | None
    provisional: bool
    state: DeadlineState
    received: date  # the day of receipt (第三十一条); while 待确认, the day the application arrived
    correction_due: date | None = None  # 第三十条: 补正 must be asked for by then
    correction_reply_by: date | None = None  # the applicant's 补正 period, if the ledger gives one
    fee_pay_by: date | None = None  # 国办函〔2020〕109号: 20 working days after receiving the notice
    suggestion: str | None = None  # "no_correction" / "no_payment": 视为放弃申请 is possible
    late: bool | None = None  # replied after the due date
    ledger: tuple = ()  # (events, calendar, law, today), to explain on demand
    consultation_due: date | None = None  # the earliest open consultation's own due date
    correction_open: bool = False  # a 补正 may still be asked (none yet, nothing else recorded, not closed)
    extension_late: bool = False  # approved after the original due date: does not count
    overdue: bool | None = None  # open and past the due date on ``today`` (None without ``today``)
    alerts: tuple[Alert, ...] = ()

    @property
    def steps(self) -> list[str]:
        """How the due date was reached, one Chinese line per step (computed on access)."""
        from .explain import explain

        events, calendar, law, today = self.ledger
        return explain(self, events, calendar, law, today)

    def to_dict(self) -> dict:
        def iso(d: date | None) -> str | None:
            return d.isoformat() if d else None

        return {
            "due": iso(self.due),
            "provisional": self.provisional,
            "state": str(self.state),
            "received": iso(self.received),
            "correction_due": iso(self.correction_due),
            "consultation_due": iso(self.consultation_due),
            "fee_pay_by": iso(self.fee_pay_by),
            "late": self.late,
            "extension_late": self.extension_late,
            "alerts": [{"code": a.code, "message": a.message} for a in self.alerts],
            "steps": self.steps,
        }


def pauses_of(r: Replay, cal: Calendar, law: Law) -> tuple[list, list]:
    """(pauses, consultations): pauses as (first day, last day, tag) — consultations capped at the
    consulted party's due date — and consultations as (party, start, end or None, own due date)."""
    ords = cal.ordinals
    pauses = [(a, b, FEE) for a, b in r.fees]
    consultations = []
    for party, began, end in r.consultations:
        i = bisect_right(ords, began.toordinal()) + consultation_days(law, party) - 1
        if i >= len(ords):
            raise CalendarRangeError(f"征求意见期限超出日历范围（至 {cal.last_year} 年）")
        own = date.fromordinal(ords[i])
        consultations.append((party, began, end, own))
        pauses.append((began, own if end is None or end > own else end, party))
    return pauses, consultations


def walk(ords: list, i0: int, n: int, pauses: list) -> tuple[int, list]:
    """Index of the ``n``-th counted working day from index ``i0`` and the pause spans [a, b) it skipped."""
    j = i0 + n - 1
    spans = []
    if pauses:
        for ps, pe, _ in pauses if len(pauses) == 1 else merge(pauses):
            a = bisect_left(ords, ps.toordinal())
            if a < i0:
                a = i0
            if a > j:
                break
            b = bisect_right(ords, pe.toordinal())
            if b > a:
                spans.append((a, b))
                j += b - a
    return j, spans


def merge(pauses: list) -> list:
    """Overlapping pauses count once: their union, as (start, end, None) in date order."""
    pauses = sorted(pauses, key=_first)
    merged = []
    cur_s, cur_e = pauses[0][0], pauses[0][1]
    for p in pauses[1:]:
        if p[0] <= cur_e:
            if p[1] > cur_e:
                cur_e = p[1]
        else:
            merged.append((cur_s, cur_e, None))
            cur_s, cur_e = p[0], p[1]
    merged.append((cur_s, cur_e, None))
    return merged


def _first(item: tuple) -> date:
    return item[0]


def count(r: Replay, cal: Calendar, law: Law, today: date | None, ledger: tuple) -> Deadline:
    ords = cal._ords or cal.ordinals
    lo, hi = cal.bounds
    if not lo <= r.arrived.toordinal() <= hi:
        cal.check_range(r.arrived)
    if r.last.toordinal() > hi:
        cal.check_range(r.last)
    if r.consultations or r.fees:
        pauses, consultations = pauses_of(r, cal, law)
    else:
        pauses = consultations = ()
    received = r.received
    due = None
    extension_late = False
    if not r.stopped:
        i0 = bisect_right(ords, r.start.toordinal())
        j, _ = walk(ords, i0, law.reply_days, pauses)
        ext = r.extension
        if ext is not None:
            if j < len(ords) and ext.day > date.fromordinal(ords[j]):
                extension_late = True
            else:
                j, _ = walk(ords, i0, law.reply_days + ext.days, pauses)
        if j >= len(ords):
            raise CalendarRangeError(f"答复期限超出日历范围（至 {cal.last_year} 年）")
        due = date.fromordinal(ords[j])

    correction_due = None
    if not r.awaiting_confirmation:
        ir = bisect_right(ords, received.toordinal()) + law.correction_notice_days - 1
        correction_due = date.fromordinal(ords[ir]) if ir < len(ords) else None
    reply_by = cal.add_workdays(r.requested, r.requested_days) if r.requested_days else None
    pay_by = cal.add_workdays(r.fee_seen, law.fee_payment_days) if r.fee_seen is not None else None
    state = r.state
    terminal = r.terminal
    suggestion = overdue = None
    if today is not None and terminal is None:
        if state is DeadlineState.AWAITING_CORRECTION and reply_by is not None and today > reply_by:
            suggestion = "no_correction"
        elif state is DeadlineState.AWAITING_FEE and pay_by is not None and today > pay_by:
            suggestion = "no_payment"
        overdue = due is not None and today > due
    late = terminal.day > due if terminal is not None and due is not None else None
    consultation_due = None
    if terminal is None:
        for _, _, end, own in consultations:
            if end is None and (consultation_due is None or own < consultation_due):
                consultation_due = own
    # a 补正 may still be asked: nothing closed it, none asked yet, no consultation, fee or extension
    correction_open = (
        terminal is None
        and r.requested is None
        and correction_due is not None
        and not (r.consultations or r.fees or r.fee_open or r.extension)
    )

    years = cal.years
    last = due or r.last
    provisional = received.year not in years or last.year not in years
    if not provisional and last.year - received.year > 1:
        provisional = any(y not in years for y in range(received.year, last.year))

    deadline = Deadline(
        due,
        provisional,
        state,
        received,
        correction_due,
        reply_by,
        pay_by,
        suggestion,
        late,
        ledger,
        consultation_due,
        correction_open,
        extension_late,
        overdue,
    )
    if today is None and not (
        consultations or r.first.pending or r.requested or extension_late or r.fee_open or r.first.channel == _IN_PERSON
    ):
        return deadline  # nothing could need attention
    alerts = _alerts(deadline, r, cal, law, today, consultations)
    return deadline._replace(alerts=alerts) if alerts else deadline


def _alerts(d: Deadline, r: Replay, cal: Calendar, law: Law, today: date | None, consultations) -> tuple:
    out: list[Alert] = []
    first = r.first
    if first.channel == Channel.IN_PERSON and not cal.is_workday(first.day):
        what = cal.holiday_name(first.day) or weekday_name(first.day)
        out.append(
            Alert(
                "receipt_non_workday",
                f"当面提交之日 {first.day.isoformat()} 不是工作日（{what}）：请核实收到日期（第三十一条（一））",
            )
        )
    if r.awaiting_confirmation and r.terminal is None:
        out.append(
            Alert(
                "awaiting_confirmation",
                f"{first.day.isoformat()} 通过{channel_words(first.channel)}提交，尚待与申请人确认："
                "确认之日为收到申请之日，答复期限自确认次日起算（第三十一条）",
            )
        )
    if r.requested is not None and d.correction_due is not None and r.requested > d.correction_due:
        out.append(
            Alert(
                "correction_late",
                f"{r.requested.isoformat()} 告知补正，晚于第三十条规定的{law.correction_notice_days}个工作日"
                f"（{d.correction_due.isoformat()}）",
            )
        )
    if today is not None and d.correction_open and d.state is _RUNNING and today <= d.correction_due:
        out.append(
            Alert(
                "correction_duty",
                f"如申请内容不明确，应在 {d.correction_due.isoformat()} 前一次性告知补正"
                f"（第三十条：收到申请之日起{law.correction_notice_days}个工作日内）",
            )
        )
    if d.extension_late:
        ext = r.extension
        base = d.due.isoformat() if d.due else ""
        out.append(
            Alert(
                "extension_late",
                f"{ext.day.isoformat()} 批准延期，晚于原答复期限 {base}：延期不能补救逾期，"
                f"答复期限仍为 {base}（第三十三条）",
            )
        )
    for party, began, end, own in consultations:
        if end is None and r.terminal is None and today is not None and today > own:
            out.append(
                Alert(
                    "consultation_overdue",
                    f"{began.isoformat()} 起{party_label(party)}，被征求方应于 {own.isoformat()} 前提出意见，已逾期："
                    f"{own.isoformat()} 之后的时间计入答复期限，请依法决定是否公开（第三十二条、第三十四条）",
                )
            )
        elif end is not None and end > own:
            out.append(
                Alert(
                    "consultation_capped",
                    f"{party_label(party)} {began.isoformat()}至{end.isoformat()} 超过被征求方的"
                    f"{consultation_days(law, party)}个工作日（至 {own.isoformat()}）：只有 {began.isoformat()}至"
                    f"{own.isoformat()} 不计入答复期限",
                )
            )
    if r.fee_open is not None and r.terminal is None:
        if r.fee_seen is None:
            out.append(
                Alert(
                    "fee_notice_receipt_unknown",
                    f"{r.fee_open.isoformat()} 发出收费通知，尚未记录申请人收到通知的日期：缴费期限自收到次日起算"
                    f"{law.fee_payment_days}个工作日，记录后才能确定（国办函〔2020〕109号）",
                )
            )
        elif d.suggestion == "no_payment":
            out.append(
                Alert(
                    "no_payment",
                    f"缴费期限 {d.fee_pay_by.isoformat()} 已过、申请人未缴费：可视为放弃申请，"
                    "由经办人决定（国办函〔2020〕109号）",
                )
            )
    if d.suggestion == "no_correction":
        out.append(
            Alert(
                "no_correction",
                f"补正期限 {d.correction_reply_by.isoformat()} 已过、申请人未补正："
                "可视为放弃申请（第三十条），由经办人决定",
            )
        )
    if d.overdue:
        out.append(Alert("overdue", f"已超过答复期限 {d.due.isoformat()}，尚未答复"))
    elif d.late and r.terminal.kind is EventKind.REPLIED:
        out.append(Alert("late", f"{r.terminal.day.isoformat()} 答复，晚于答复期限 {d.due.isoformat()}"))
    return tuple(out)
