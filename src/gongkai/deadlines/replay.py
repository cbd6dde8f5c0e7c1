"""Replay: walk a ledger in date order, refuse what the law's rules do not allow, and collect
the facts the count needs (when the clock starts, what stopped it, what closed it)."""

from __future__ import annotations

from datetime import date

from .events import NEEDS_CONFIRMATION, DeadlineState, Event, EventKind, Law, LedgerError, check_channel

_R = EventKind.RECEIVED
_RC = EventKind.RECEIPT_CONFIRMED
_CQ = EventKind.CORRECTION_REQUESTED
_CR = EventKind.CORRECTION_RECEIVED
_CS = EventKind.CONSULTATION_STARTED
_CE = EventKind.CONSULTATION_ENDED
_FN = EventKind.FEE_NOTIFIED
_FR = EventKind.FEE_NOTICE_RECEIVED
_FP = EventKind.FEE_PAID
_EX = EventKind.EXTENSION_APPROVED
TERMINAL = {
    EventKind.REPLIED: DeadlineState.REPLIED,
    EventKind.WITHDRAWN: DeadlineState.WITHDRAWN,
    EventKind.ABANDONED: DeadlineState.ABANDONED,
}
TERMINAL_LABELS = {
    EventKind.REPLIED: "作出答复",
    EventKind.WITHDRAWN: "申请人撤回申请",
    EventKind.ABANDONED: "视为放弃申请，不再处理",
}
_TAKES_DAYS = {_CQ, _EX}
FEE = "fee"  # marks a fee pause; consultation pauses carry their party


class Replay:
    """The facts of one ledger. ``consultations``: (party, start, end or None if still open);
    ``fees``: closed fee pauses (notified, paid); ``fee_open``/``fee_seen``: the unpaid notice and
    the day the applicant received it."""

    __slots__ = (
        "arrived",
        "confirmed",
        "consultations",
        "corrected",
        "events",
        "extension",
        "fee_open",
        "fee_seen",
        "fees",
        "first",
        "last",
        "received",
        "requested",
        "requested_days",
        "start",
        "state",
        "stopped",
        "terminal",
    )

    def __init__(self, events: tuple) -> None:
        self.events = events
        self.first: Event = events[0]
        self.arrived: date = self.first.day
        self.confirmed: date | None = None
        self.received: date = self.arrived
        self.start: date = self.arrived
        self.last: date = self.arrived
        self.requested: date | None = None
        self.requested_days: int | None = None
        self.corrected: date | None = None
        self.extension: Event | None = None
        self.consultations: list = []
        self.fees: list = []
        self.fee_open: date | None = None
        self.fee_seen: date | None = None
        self.terminal: Event | None = None
        self.state = DeadlineState.RUNNING
        self.stopped = False

    @property
    def awaiting_confirmation(self) -> bool:
        return self.first.pending and self.confirmed is None


def replay(events: tuple, law: Law) -> Replay:
    if not events:
        raise LedgerError("台账为空：缺少“收到申请”事件")
    first = events[0]
    if first.kind is not _R:
        raise LedgerError(f"台账的第一条事件必须是“收到申请”，而不是 {first.kind}")
    if first.days is not None:
        raise LedgerError("“收到申请”事件不带天数")
    check_channel(first)
    if first.pending and first.channel is not None and first.channel not in NEEDS_CONFIRMATION:
        raise LedgerError(f"渠道 {first.channel} 的申请以提交或签收之日为收到之日，不需要确认（第三十一条）")
    r = Replay(events)
    prev = first.day
    open_consults: list = []  # [party, start day]
    for ev in events[1:]:
        k = ev.kind
        d = ev.day
        if d < prev:
            raise LedgerError(f"事件应按日期先后排列：{k} {d.isoformat()} 早于前一事件 {prev.isoformat()}")
        prev = d
        if r.terminal is not None:
            raise LedgerError(
                f"{r.terminal.day.isoformat()} 已{TERMINAL_LABELS[r.terminal.kind]}，其后不应再有事件（{k}）"
            )
        if ev.days is not None and k not in _TAKES_DAYS:
            raise LedgerError(f"事件 {k} 不带天数")
        check_channel(ev)
        if r.awaiting_confirmation and k is not _RC and k not in TERMINAL:
            raise LedgerError(f"{d.isoformat()} 尚未确认收到申请（第三十一条），此时不应有事件 {k}")
        if r.requested is not None and r.corrected is None and k is not _CR and k not in TERMINAL:
            raise LedgerError(f"{d.isoformat()} 仍在等待申请人补正，此时不应有事件 {k}")
        if k is _CS:
            open_consults.append([ev.party, d])
        elif k is _CE:
            for i, (party, _) in enumerate(open_consults):
                if ev.party is None or party == ev.party:
                    party, began = open_consults.pop(i)
                    r.consultations.append((party, began, d))
                    break
            else:
                raise LedgerError(f"{d.isoformat()} 征求意见结束，但此前没有开始征求意见")
        elif k is _EX:
            if r.extension is not None:
                raise LedgerError(f"{d.isoformat()} 再次延期：答复期限只能延长一次（第三十三条）")
            if ev.days is None or not 1 <= ev.days <= law.max_extension_days:
                raise LedgerError(
                    f"{d.isoformat()} 延期天数应为 1 至 {law.max_extension_days} 个工作日（第三十三条），"
                    f"台账记为 {ev.days}"
                )
            r.extension = ev
        elif k is _FN:
            if r.fee_open is not None:
                raise LedgerError(f"{d.isoformat()} 再次发出收费通知，但上一次收费尚未缴纳")
            r.fee_open, r.fee_seen = d, None
        elif k is _FR:
            if r.fee_open is None:
                raise LedgerError(f"{d.isoformat()} 申请人收到收费通知，但此前没有发出收费通知")
            if r.fee_seen is not None:
                raise LedgerError(f"{d.isoformat()} 再次记录收到收费通知：已于 {r.fee_seen.isoformat()} 收到")
            r.fee_seen = d
        elif k is _FP:
            if r.fee_open is None:
                raise LedgerError(f"{d.isoformat()} 缴纳费用，但此前没有收费通知")
            r.fees.append((r.fee_open, d))
            r.fee_open = r.fee_seen = None
        elif k is _CQ:
            if r.requested is not None:
                raise LedgerError(f"{d.isoformat()} 再次告知补正：补正应一次性告知（第三十条）")
            if r.fees or r.consultations or open_consults or r.fee_open or r.extension:
                raise LedgerError(f"{d.isoformat()} 告知补正：补正应在征求意见、收费、延期之前告知（第三十条）")
            if ev.days is not None and ev.days < 1:
                raise LedgerError(f"{d.isoformat()} 补正期限应为正数个工作日，台账记为 {ev.days}")
            r.requested, r.requested_days = d, ev.days
        elif k is _CR:
            if r.requested is None:
                raise LedgerError(f"{d.isoformat()} 收到补正，但此前没有告知补正")
            if r.corrected is not None:
                raise LedgerError(f"{d.isoformat()} 再次收到补正：补正只有一次（第三十条）")
            r.corrected = r.start = d
        elif k is _RC:
            if not first.pending:
                raise LedgerError(f"{d.isoformat()} 确认收到申请，但“收到申请”事件已是收到之日（不是待确认）")
            if r.confirmed is not None:
                raise LedgerError(f"{d.isoformat()} 再次确认收到：已于 {r.confirmed.isoformat()} 确认")
            r.confirmed = r.received = r.start = d
        elif k in TERMINAL:
            r.terminal = ev
        elif k is _R:
            raise LedgerError(f"{d.isoformat()} 重复的“收到申请”事件：一份台账只能有一次收到")
        else:  # pragma: no cover - EventKind is closed
            raise LedgerError(f"未知的事件类型：{k!r}")
    r.last = prev

    # open consultations stay open (the count caps them); a terminal event closes them
    if open_consults:
        end = r.terminal.day if r.terminal is not None else None
        r.consultations.extend([(party, began, end) for party, began in open_consults])
    if r.terminal is not None:
        r.state = TERMINAL[r.terminal.kind]
        if r.fee_open is not None:
            r.fees.append((r.fee_open, r.terminal.day))
        r.stopped = r.awaiting_confirmation or (r.requested is not None and r.corrected is None)
    elif r.awaiting_confirmation:
        r.state, r.stopped = DeadlineState.AWAITING_CONFIRMATION, True
    elif r.requested is not None and r.corrected is None:
        r.state, r.stopped = DeadlineState.AWAITING_CORRECTION, True
    elif r.fee_open is not None:
        r.state, r.stopped = DeadlineState.AWAITING_FEE, True
    elif open_consults:
        r.state = DeadlineState.CONSULTING  # the clock is stopped, but not beyond the consulted party's period
    return r
