"""Reply deadlines for applications (依申请公开), derived from an event ledger.

The law's numbers live in ``Law``; an application's due date is never stored, it is
recomputed from its events by ``compute``. Rules (《中华人民共和国政府信息公开条例》2019):

- 第三十一条: the day of receipt depends on the channel — 当面: the day handed in; 邮寄: the
  day signed for (平常信函: the day confirmed with the applicant); 互联网/传真: the day both
  sides confirm. The ledger's ``received`` event carries that day.
- The day of receipt is not counted (《民法典》第二百零一条: 开始的当日不计入).
- 第三十三条第一款: reply within 20 working days of receipt; one extension of at most
  20 working days, approved by the head of the disclosure office and told to the applicant.
- 第三十条: an unclear application → one-time 补正 notice within 7 working days of receipt;
  the reply period then runs from receipt of the supplemented application; no 补正 within
  the reasonable period set → 视为放弃申请 (the caller decides: ``suggestion``).
- 第三十三条第二款: time spent consulting third parties (第三十二条, 15 working days to
  answer) and other agencies (第三十四条, 15 working days) is not counted.
- 国办函〔2020〕109号《政府信息公开信息处理费管理办法》: from the fee notice to payment is not
  counted; 20 working days to pay, otherwise 视为放弃申请.

A pause (consultation, fee) removes every working day from its first to its last day,
both included, from the count.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from gongkai.errors import GongkaiError
from gongkai.workdays import Calendar, CalendarRangeError, weekday_name

__all__ = [
    "CHANNEL_WORDS",
    "LAW",
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


@dataclass(frozen=True)
class Law:
    """The statutory numbers, in working days (工作日)."""

    name: str = "《中华人民共和国政府信息公开条例》"
    reply_days: int = 20  # 第三十三条第一款
    max_extension_days: int = 20  # 第三十三条第一款
    correction_notice_days: int = 7  # 第三十条
    consultation_days: int = 15  # 第三十二条（第三方）、第三十四条（其他机关）
    fee_payment_days: int = 20  # 国办函〔2020〕109号


LAW = Law()


class LedgerError(GongkaiError, ValueError):
    """An event ledger that is incomplete or contradicts itself."""


class EventKind(StrEnum):
    RECEIVED = "received"
    CORRECTION_REQUESTED = "correction_requested"
    CORRECTION_RECEIVED = "correction_received"
    CONSULTATION_STARTED = "consultation_started"
    CONSULTATION_ENDED = "consultation_ended"
    FEE_NOTIFIED = "fee_notified"
    FEE_PAID = "fee_paid"
    EXTENSION_APPROVED = "extension_approved"
    REPLIED = "replied"
    WITHDRAWN = "withdrawn"
    ABANDONED = "abandoned"  # 视为放弃申请 (no 补正, no payment)


class Channel(StrEnum):
    """How the application arrived (第三十一条)."""

    IN_PERSON = "in_person"
    POST = "post"
    LETTER = "letter"
    ONLINE = "online"
    FAX = "fax"


CHANNEL_LABELS = {
    Channel.IN_PERSON: "当面",
    Channel.POST: "邮寄，以签收之日为准",
    Channel.LETTER: "平常信函，以确认之日为准",
    Channel.ONLINE: "互联网，以双方确认之日为准",
    Channel.FAX: "传真，以双方确认之日为准",
}

# Words people write for a channel (ledgers, the command line), mapped to the channel.
CHANNEL_WORDS = {
    "当面": Channel.IN_PERSON,
    "邮寄": Channel.POST,
    "挂号信": Channel.POST,
    "信函": Channel.LETTER,
    "平信": Channel.LETTER,
    "网络": Channel.ONLINE,
    "互联网": Channel.ONLINE,
    "传真": Channel.FAX,
}


class Party(StrEnum):
    """Whom a consultation asks."""

    THIRD_PARTY = "third_party"  # 第三十二条
    AGENCY = "agency"  # 第三十四条


_PARTIES = {p.value for p in Party}
PARTY_LABELS = {None: "征求意见", Party.THIRD_PARTY: "征求第三方意见", Party.AGENCY: "征求其他机关意见"}
PARTY_ARTICLES = {None: "第三十二条、第三十四条", Party.THIRD_PARTY: "第三十二条", Party.AGENCY: "第三十四条"}


class DeadlineState(StrEnum):
    RUNNING = "running"
    AWAITING_CORRECTION = "awaiting_correction"
    CONSULTING = "consulting"
    AWAITING_FEE = "awaiting_fee"
    REPLIED = "replied"
    WITHDRAWN = "withdrawn"
    ABANDONED = "abandoned"


@dataclass(frozen=True)
class Event:
    """One ledger entry. ``days``: extension length, or the 补正 period given to the applicant
    (working days); ``channel``: how a (supplemented) application arrived; ``party``: whom a
    consultation asks."""

    kind: EventKind
    day: date
    days: int | None = None
    channel: str | None = None
    party: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.kind, EventKind):
            try:
                object.__setattr__(self, "kind", EventKind(self.kind))
            except ValueError:
                known = "、".join(k.value for k in EventKind)
                raise LedgerError(f"未知的事件类型 {self.kind!r}，应为 {known} 之一") from None
        if self.party is not None and self.party not in _PARTIES:
            raise LedgerError(f"未知的征求对象 {self.party!r}，应为 third_party（第三方）或 agency（其他机关）")


_R = EventKind.RECEIVED
_CQ = EventKind.CORRECTION_REQUESTED
_CR = EventKind.CORRECTION_RECEIVED
_CS = EventKind.CONSULTATION_STARTED
_CE = EventKind.CONSULTATION_ENDED
_FN = EventKind.FEE_NOTIFIED
_FP = EventKind.FEE_PAID
_EX = EventKind.EXTENSION_APPROVED
_TERMINAL = {
    EventKind.REPLIED: DeadlineState.REPLIED,
    EventKind.WITHDRAWN: DeadlineState.WITHDRAWN,
    EventKind.ABANDONED: DeadlineState.ABANDONED,
}
_TERMINAL_LABELS = {
    EventKind.REPLIED: "作出答复",
    EventKind.WITHDRAWN: "申请人撤回申请",
    EventKind.ABANDONED: "视为放弃申请，不再处理",
}
_TAKES_DAYS = {_CQ, _EX}
_FEE = "fee"  # marks a fee pause; consultation pauses carry their party
_RUNNING = DeadlineState.RUNNING
_AWAITING_CORRECTION = DeadlineState.AWAITING_CORRECTION
_CONSULTING = DeadlineState.CONSULTING
_AWAITING_FEE = DeadlineState.AWAITING_FEE


def _first(item: tuple) -> date:
    return item[0]


_CHANNELS = {c.value for c in Channel}


class Deadline(NamedTuple):
    """What the ledger implies; immutable, recomputed from the events, never stored.

    ``due`` is None while the clock is stopped (awaiting 补正, an open consultation, an unpaid
    fee). ``steps`` explains, in Chinese, how the due date was reached.
    """

    due: date | None
    provisional: bool
    state: DeadlineState
    received: date
    correction_due: date | None = None  # 第三十条: 补正 must be asked for by then
    correction_reply_by: date | None = None  # the applicant's 补正 period, if the ledger gives one
    fee_pay_by: date | None = None  # 国办函〔2020〕109号: 20 working days to pay
    suggestion: str | None = None  # "no_correction" / "no_payment": 视为放弃申请 is possible
    late: bool | None = None  # replied after the due date
    ledger: tuple = ()  # (events, calendar, law, today), to explain on demand

    @property
    def steps(self) -> list[str]:
        """How the due date was reached, one Chinese line per step (computed on access)."""
        events, calendar, law, today = self.ledger
        return _run(events, calendar, law, today, True)[1]

    def to_dict(self) -> dict:
        return {
            "due": self.due.isoformat() if self.due else None,
            "provisional": self.provisional,
            "state": str(self.state),
            "steps": self.steps,
        }


def compute(events, calendar: Calendar, *, law: Law = LAW, today: date | None = None) -> Deadline:
    """Derive the deadline from a ledger in date order. ``today`` enables the ``suggestion``
    (``"no_correction"`` / ``"no_payment"``) once the applicant's period has run out."""
    return _run(tuple(events), calendar, law, today, False)[0]


def deadline_from_cli(
    received: date,
    extension: int | None = None,
    pauses: list[tuple[date, date]] | tuple = (),
    channel: str | None = None,
    calendar: Calendar | None = None,
    *,
    law: Law = LAW,
) -> Deadline:
    """The simple case the CLI asks about: receipt, an optional extension, consultation pauses."""
    if calendar is None:
        from gongkai.workdays import default_calendar

        calendar = default_calendar()
    events = [Event(_R, received, channel=channel)]
    if extension is not None:
        events.append(Event(_EX, received, days=extension))
    for start, end in sorted(pauses):
        if end < start:
            raise LedgerError(f"暂停区间 {start.isoformat()}:{end.isoformat()} 的结束日期早于开始日期")
        events.append(Event(_CS, start))
        events.append(Event(_CE, end))
    events.sort(key=lambda e: e.day)  # stable: same-day start/end keep their order
    return compute(events, calendar, law=law)


def _pause_label(party) -> str:
    return PARTY_LABELS.get(party, "征求意见")


def _run(events: tuple, cal: Calendar, law: Law, today: date | None, explain: bool):
    if not events:
        raise LedgerError("台账为空：缺少“收到申请”事件")
    first = events[0]
    if first.kind is not _R:
        raise LedgerError(f"台账的第一条事件必须是“收到申请”，而不是 {first.kind}")
    if first.days is not None:
        raise LedgerError("“收到申请”事件不带天数")
    received = start = prev = first.day
    requested = requested_days = corrected = None
    extension = fee_open = terminal = None
    consults: list = []  # open consultations: [party, start day]
    pauses: list = []  # closed pauses: (start, end, label, article)
    if first.channel is not None and first.channel not in _CHANNELS:
        _check_channel(first)

    for ev in events[1:]:
        k = ev.kind
        d = ev.day
        if d < prev:
            raise LedgerError(f"事件应按日期先后排列：{k} {d.isoformat()} 早于前一事件 {prev.isoformat()}")
        prev = d
        if terminal is not None:
            raise LedgerError(
                f"{terminal.day.isoformat()} 已{_TERMINAL_LABELS[terminal.kind]}，其后不应再有事件（{k}）"
            )
        if ev.days is not None and k not in _TAKES_DAYS:
            raise LedgerError(f"事件 {k} 不带天数")
        if ev.channel is not None and ev.channel not in _CHANNELS:
            _check_channel(ev)
        if requested is not None and corrected is None and k is not _CR and k not in _TERMINAL:
            raise LedgerError(f"{d.isoformat()} 仍在等待申请人补正，此时不应有事件 {k}")
        if k is _CS:
            consults.append([ev.party, d])
        elif k is _CE:
            for i, (party, _) in enumerate(consults):
                if ev.party is None or party == ev.party:
                    pauses.append((consults.pop(i)[1], d, party))
                    break
            else:
                raise LedgerError(f"{d.isoformat()} 征求意见结束，但此前没有开始征求意见")
        elif k is _EX:
            if extension is not None:
                raise LedgerError(f"{d.isoformat()} 再次延期：答复期限只能延长一次（第三十三条）")
            if ev.days is None or not 1 <= ev.days <= law.max_extension_days:
                raise LedgerError(
                    f"{d.isoformat()} 延期天数应为 1 至 {law.max_extension_days} 个工作日（第三十三条），"
                    f"台账记为 {ev.days}"
                )
            extension = ev
        elif k is _FN:
            if fee_open is not None:
                raise LedgerError(f"{d.isoformat()} 再次发出收费通知，但上一次收费尚未缴纳")
            fee_open = d
        elif k is _FP:
            if fee_open is None:
                raise LedgerError(f"{d.isoformat()} 缴纳费用，但此前没有收费通知")
            pauses.append((fee_open, d, _FEE))
            fee_open = None
        elif k is _CQ:
            if requested is not None:
                raise LedgerError(f"{d.isoformat()} 再次告知补正：补正应一次性告知（第三十条）")
            if pauses or consults or fee_open or extension:
                raise LedgerError(f"{d.isoformat()} 告知补正：补正应在征求意见、收费、延期之前告知（第三十条）")
            if ev.days is not None and ev.days < 1:
                raise LedgerError(f"{d.isoformat()} 补正期限应为正数个工作日，台账记为 {ev.days}")
            requested, requested_days = d, ev.days
        elif k is _CR:
            if requested is None:
                raise LedgerError(f"{d.isoformat()} 收到补正，但此前没有告知补正")
            if corrected is not None:
                raise LedgerError(f"{d.isoformat()} 再次收到补正：补正只有一次（第三十条）")
            corrected = start = d
        elif k in _TERMINAL:
            terminal = ev
        elif k is _R:
            raise LedgerError(f"{d.isoformat()} 重复的“收到申请”事件：一份台账只能有一次收到")
        else:
            raise LedgerError(f"未知的事件类型：{k!r}")

    # state; a terminal event closes whatever is still open
    if terminal is not None:
        state = _TERMINAL[terminal.kind]
        for party, began in consults:
            pauses.append((began, terminal.day, party))
        if fee_open is not None:
            pauses.append((fee_open, terminal.day, _FEE))
        stopped = requested is not None and corrected is None
    elif requested is not None and corrected is None:
        state = _AWAITING_CORRECTION
        stopped = True
    elif consults:
        state = _CONSULTING
        stopped = True
    elif fee_open is not None:
        state = _AWAITING_FEE
        stopped = True
    else:
        state = _RUNNING
        stopped = False

    ords = cal._ords or cal.ordinals
    lo, hi = cal.bounds
    if not lo <= received.toordinal() <= hi:
        cal.check_range(received)
    if prev.toordinal() > hi:
        cal.check_range(prev)
    i0 = bisect_right(ords, start.toordinal())
    n = law.reply_days + (extension.days if extension is not None else 0)
    spans = []  # merged pauses as index ranges [a, b)
    due = None
    if not stopped:
        j = i0 + n - 1
        if pauses:
            merged = pauses if len(pauses) == 1 else _merge(pauses)
            for ps, pe, _ in merged:
                a = bisect_left(ords, ps.toordinal())
                if a < i0:
                    a = i0
                if a > j:
                    break
                b = bisect_right(ords, pe.toordinal())
                if b > a:
                    spans.append((a, b))
                    j += b - a
        if j >= len(ords):
            raise CalendarRangeError(f"答复期限超出日历范围（至 {cal.last_year} 年）")
        due = date.fromordinal(ords[j])

    ir = (i0 if start is received else bisect_right(ords, received.toordinal())) + law.correction_notice_days - 1
    correction_due = date.fromordinal(ords[ir]) if ir < len(ords) else None
    reply_by = cal.add_workdays(requested, requested_days) if requested_days else None
    pay_by = cal.add_workdays(fee_open, law.fee_payment_days) if fee_open is not None else None
    suggestion = None
    if today is not None and terminal is None:
        if state is _AWAITING_CORRECTION and reply_by is not None and today > reply_by:
            suggestion = "no_correction"
        elif state is _AWAITING_FEE and pay_by is not None and today > pay_by:
            suggestion = "no_payment"
    late = terminal.day > due if terminal is not None and due is not None else None

    years = cal.years
    last = due or prev
    provisional = received.year not in years or last.year not in years
    if not provisional and last.year - received.year > 1:
        provisional = any(y not in years for y in range(received.year, last.year))

    ledger = (events, cal, law, today)
    deadline = Deadline(due, provisional, state, received, correction_due, reply_by, pay_by, suggestion, late, ledger)
    if not explain:
        return deadline, None

    # --- the explanation -------------------------------------------------------------
    steps: list[str] = []
    label = f"（{CHANNEL_LABELS[Channel(first.channel)]}）" if first.channel else ""
    steps.append(f"{received.isoformat()} 收到{label}；收到当日不计")
    if requested is not None:
        note = ""
        if correction_due is not None:
            steps.append(
                f"补正告知期限：收到后第{law.correction_notice_days}个工作日 {correction_due.isoformat()}（第三十条）"
            )
            if requested > correction_due:
                note = f"；注意：晚于第三十条规定的{law.correction_notice_days}个工作日"
        steps.append(f"{requested.isoformat()} 一次性告知申请人补正{note}")
        if reply_by is not None:
            steps.append(f"补正期限{requested_days}个工作日，至 {reply_by.isoformat()}")
        if corrected is not None:
            cr = next(e for e in events if e.kind is _CR)
            label = f"（{CHANNEL_LABELS[Channel(cr.channel)]}）" if cr.channel else ""
            steps.append(f"{corrected.isoformat()} 收到补正后的申请{label}；答复期限自此起算，当日不计（第三十条）")
        elif terminal is None:
            steps.append("等待申请人补正，答复期限暂不计算")
            if suggestion == "no_correction":
                steps.append("补正期限已过、申请人未补正：可视为放弃申请，不再处理（第三十条），由经办人决定")
    timeline: list[tuple[date, str]] = []
    if extension is not None:
        text = f"延期{extension.days}个工作日，经负责人同意（第三十三条）"
        if not stopped:
            base = _index_after(i0 + law.reply_days - 1, spans)
            if base < len(ords) and extension.day > date.fromordinal(ords[base]):
                text += f"；注意：延期决定晚于原答复期限 {date.fromordinal(ords[base]).isoformat()}"
        timeline.append((extension.day, text))
    for ps, pe, party in pauses:
        if party == _FEE:
            what, cite = "收费通知至缴费", "（国办函〔2020〕109号）"
        else:
            what, cite = _pause_label(party), f"（第三十三条第二款、{PARTY_ARTICLES.get(party, '')}）"
        if due is not None and ps > due:
            timeline.append((ps, f"{what} {ps.isoformat()}至{pe.isoformat()} 开始于答复期限之后，不影响期限"))
            continue
        count = bisect_right(ords, pe.toordinal()) - max(bisect_left(ords, ps.toordinal()), i0)
        timeline.append((ps, f"{what} {ps.isoformat()}至{pe.isoformat()} 不计入期限（{max(count, 0)}个工作日）{cite}"))
    for party, began in consults if terminal is None else ():
        reply = cal.add_workdays(began, law.consultation_days)
        timeline.append(
            (
                began,
                f"{began.isoformat()} 起{_pause_label(party)}，答复期限暂停；被征求方应在{law.consultation_days}"
                f"个工作日内（至 {reply.isoformat()}）提出意见（{PARTY_ARTICLES.get(party, '')}）",
            )
        )
    if fee_open is not None and terminal is None:
        timeline.append(
            (
                fee_open,
                f"{fee_open.isoformat()} 发出收费通知，答复期限暂停；申请人应在{law.fee_payment_days}个工作日内"
                f"（至 {pay_by.isoformat()}）缴费，逾期视为放弃申请（国办函〔2020〕109号）",
            )
        )
        if suggestion == "no_payment":
            timeline.append((fee_open, "缴费期限已过、申请人未缴费：可视为放弃申请，由经办人决定"))
    if due is not None:
        first_i = i0
        for a, b in spans:
            if a <= first_i < b:
                first_i = b
        first_day = date.fromordinal(ords[first_i])
        timeline.append((first_day, f"第1个工作日 {first_day.isoformat()}{_makeup_note(cal, first_day)}"))
        for a, b, name in cal.holiday_runs(date.fromordinal(start.toordinal() + 1), due):
            timeline.append((a, f"{a.isoformat()}至{b.isoformat()} {name}假期不计"))
        paused = [(date.fromordinal(ords[a]), date.fromordinal(ords[b - 1])) for a, b in spans]
        for o in range(start.toordinal() + 1, due.toordinal() + 1):
            d = date.fromordinal(o)
            if d != first_day and cal.is_makeup_workday(d) and not any(a <= d <= b for a, b in paused):
                timeline.append((d, f"{d.isoformat()}{_makeup_note(cal, d)}，计入"))
        if n > 1:
            timeline.append((due, f"第{n}个工作日 {due.isoformat()}"))
    timeline.sort(key=lambda item: item[0])
    steps.extend(text for _, text in timeline)
    if due is not None:
        steps.append(f"答复期限 {due.isoformat()}")
    if terminal is not None:
        done = f"{terminal.day.isoformat()} {_TERMINAL_LABELS[terminal.kind]}"
        if late:
            done += "，已超过答复期限"
        steps.append(done)
    missing = cal.provisional_years(received, last)
    if missing:
        shown = "、".join(str(y) for y in missing)
        steps.append(f"注意：{shown}年尚无节假日安排数据，按周一至周五计算，结果为暂定")
    return deadline, steps


def _merge(pauses: list) -> list:
    """Overlapping pauses count once: their union, as (start, end, None) in date order."""
    pauses.sort(key=_first)
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


def _index_after(j: int, spans: list) -> int:
    """Index of the original (unextended) last day, given pause spans computed with the extension."""
    for a, b in spans:
        if a <= j:
            j += b - a
    return j


def _makeup_note(cal: Calendar, d: date) -> str:
    return f"（{weekday_name(d)}，调休上班）" if cal.is_makeup_workday(d) else ""


def _check_channel(ev: Event) -> None:
    if ev.channel is None:
        return
    try:
        Channel(ev.channel)
    except ValueError:
        known = "、".join(c.value for c in Channel)
        raise LedgerError(f"未知的收到渠道 {ev.channel!r}，应为 {known} 之一") from None
