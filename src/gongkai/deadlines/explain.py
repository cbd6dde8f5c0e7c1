"""Explain: how a due date was reached, one Chinese line per step, in date order.

Recomputed on demand (``Deadline.steps``) from the same ledger, so that computing many due
dates costs nothing for explanations nobody reads.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date

from gongkai.law import HOLIDAY_MEASURES, RECEIPT_RULES
from gongkai.workdays import Calendar, weekday_name

from .count import Deadline, pauses_of, walk
from .events import (
    CHANNEL_LABELS,
    PARTY_ARTICLES,
    PARTY_NAMES,
    Channel,
    Law,
    channel_words,
    consultation_days,
    party_label,
)
from .replay import TERMINAL_LABELS, replay

PAUSE_RULE = "第三十三条第三款"
FEE_BASIS = "国办函〔2020〕109号"


def explain(d: Deadline, events: tuple, cal: Calendar, law: Law, today: date | None) -> list[str]:
    r = replay(events, law)
    ords = cal.ordinals
    pauses, consultations = pauses_of(r, cal, law) if (r.consultations or r.fees) else ([], [])
    steps: list[str] = []
    first = r.first
    if first.pending:
        rule = RECEIPT_RULES.get(first.channel) if first.channel else None
        how = f"{rule.rule}（第三十一条{rule.item}）" if rule else "以确认之日为收到申请之日（第三十一条）"
        steps.append(f"{first.day.isoformat()} 通过{channel_words(first.channel)}提交，待确认：{how}")
        if r.confirmed is not None:
            steps.append(f"{r.confirmed.isoformat()} 与申请人确认，为收到申请之日；收到当日不计")
        elif r.terminal is None:
            steps.append("尚未确认收到申请，答复期限暂不计算")
    else:
        label = f"（{CHANNEL_LABELS[Channel(first.channel)]}）" if first.channel else ""
        steps.append(f"{r.received.isoformat()} 收到{label}；收到当日不计")
    if r.requested is not None:
        _correction(steps, d, r, law)

    timeline: list[tuple[date, str]] = []
    n = law.reply_days
    ext = r.extension
    if ext is not None:
        text = f"延期{ext.days}个工作日，经负责人同意（第三十三条）"
        if d.extension_late:
            text += f"；注意：延期决定晚于原答复期限 {d.due.isoformat()}，不能补救逾期，答复期限仍为该日"
        else:
            n += ext.days
        timeline.append((ext.day, text))
    spans: list = []
    i0 = bisect_right(ords, r.start.toordinal())
    if d.due is not None:
        _, spans = walk(ords, i0, n, pauses)
    for ps, pe in r.fees:
        if d.due is not None and ps > d.due:
            timeline.append((ps, f"收费通知至缴费 {ps.isoformat()}至{pe.isoformat()} 开始于答复期限之后，不影响期限"))
            continue
        days = _count(ords, ps, pe, i0)
        text = f"收费通知至缴费 {ps.isoformat()}至{pe.isoformat()} 不计入期限（{days}个工作日）（{FEE_BASIS}）"
        timeline.append((ps, text))
    for party, began, end, own in consultations:
        timeline.append((began, _consultation(d, law, i0, ords, party, began, end, own, today)))
    if r.fee_open is not None and r.terminal is None:
        _open_fee(timeline, d, r, law)
    if d.due is not None:
        _counting(timeline, cal, ords, r.start, i0, n, spans, d.due)
    timeline.sort(key=lambda item: item[0])
    steps.extend(text for _, text in timeline)
    if d.due is not None:
        steps.append(f"答复期限 {d.due.isoformat()}")
    if r.terminal is not None:
        done = f"{r.terminal.day.isoformat()} {TERMINAL_LABELS[r.terminal.kind]}"
        if d.late:
            done += "，已超过答复期限"
        steps.append(done)
    missing = cal.provisional_years(r.received, d.due or r.last)
    if missing:
        shown = "、".join(str(y) for y in missing)
        steps.append(
            f"注意：{shown}年尚无国务院节假日安排通知，按{HOLIDAY_MEASURES.title}规定的节日（适逢周末的补假）计算，"
            "调休上班日未知，结果为暂定"
        )
    return steps


def _count(ords: list, ps: date, pe: date, i0: int) -> int:
    """Working days of the pause ``ps``..``pe`` that fall in the counted period."""
    return max(bisect_right(ords, pe.toordinal()) - max(bisect_left(ords, ps.toordinal()), i0), 0)


def _correction(steps: list, d: Deadline, r, law: Law) -> None:
    note = ""
    if d.correction_due is not None:
        steps.append(
            f"补正告知期限：收到后第{law.correction_notice_days}个工作日 {d.correction_due.isoformat()}（第三十条）"
        )
        if r.requested > d.correction_due:
            note = f"；注意：晚于第三十条规定的{law.correction_notice_days}个工作日"
    steps.append(f"{r.requested.isoformat()} 一次性告知申请人补正{note}")
    if d.correction_reply_by is not None:
        steps.append(f"补正期限{r.requested_days}个工作日，至 {d.correction_reply_by.isoformat()}")
    if r.corrected is not None:
        cr = next(e for e in r.events if e.kind == "correction_received")
        label = f"（{CHANNEL_LABELS[Channel(cr.channel)]}）" if cr.channel else ""
        steps.append(f"{r.corrected.isoformat()} 收到补正后的申请{label}；答复期限自此起算，当日不计（第三十条）")
    elif r.terminal is None:
        steps.append("等待申请人补正，答复期限暂不计算")
        if d.suggestion == "no_correction":
            steps.append("补正期限已过、申请人未补正：可视为放弃申请，不再处理（第三十条），由经办人决定")


def _consultation(d: Deadline, law: Law, i0: int, ords: list, party, began, end, own, today) -> str:
    what = party_label(party)
    article = PARTY_ARTICLES.get(party, "")
    who = PARTY_NAMES.get(party, "被征求方")
    period = f"{who}应在{consultation_days(law, party)}个工作日内（至 {own.isoformat()}）提出意见（{article}）"
    if d.due is not None and began > d.due:
        shown = end.isoformat() if end else ""
        return f"{what} {began.isoformat()}至{shown} 开始于答复期限之后，不影响期限"
    if end is None:
        text = (
            f"{began.isoformat()} 起{what}，答复期限暂停；被征求方应在{consultation_days(law, party)}个工作日内"
            f"（至 {own.isoformat()}）提出意见（{article}）；暂停至多到该日，此后计入答复期限（{PAUSE_RULE}）"
        )
        if today is not None and today > own:
            text += "；该日已过，答复期限已恢复计算"
        return text
    if end <= own:
        days = _count(ords, began, end, i0)
        return f"{what} {began.isoformat()}至{end.isoformat()} 不计入期限（{days}个工作日）（{PAUSE_RULE}、{article}）"
    days = _count(ords, began, own, i0)
    return (
        f"{what} {began.isoformat()}至{end.isoformat()}：{period}，只有 {began.isoformat()}至"
        f"{own.isoformat()} 不计入期限（{days}个工作日），此后计入（{PAUSE_RULE}）"
    )


def _open_fee(timeline: list, d: Deadline, r, law: Law) -> None:
    text = f"{r.fee_open.isoformat()} 发出收费通知，答复期限暂停（{FEE_BASIS}）"
    if r.fee_seen is not None:
        text += (
            f"；申请人 {r.fee_seen.isoformat()} 收到通知，应在收到次日起{law.fee_payment_days}个工作日内"
            f"（至 {d.fee_pay_by.isoformat()}）缴费，逾期视为放弃申请"
        )
    else:
        text += f"；申请人收到通知的日期尚未记录，缴费期限（收到次日起{law.fee_payment_days}个工作日）暂不能确定"
    timeline.append((r.fee_open, text))
    if d.suggestion == "no_payment":
        timeline.append((r.fee_seen, "缴费期限已过、申请人未缴费：可视为放弃申请，由经办人决定"))


def _counting(timeline: list, cal: Calendar, ords: list, start: date, i0: int, n: int, spans: list, due: date) -> None:
    first_i = i0
    for a, b in spans:
        if a <= first_i < b:
            first_i = b
    first_day = date.fromordinal(ords[first_i])
    timeline.append((first_day, f"第1个工作日 {first_day.isoformat()}{_makeup_note(cal, first_day)}"))
    for a, b, name in cal.holiday_runs(date.fromordinal(start.toordinal() + 1), due):
        shown = a.isoformat() if a == b else f"{a.isoformat()}至{b.isoformat()}"
        timeline.append((a, f"{shown} {name}假期不计"))
    paused = [(date.fromordinal(ords[a]), date.fromordinal(ords[b - 1])) for a, b in spans]
    for o in range(start.toordinal() + 1, due.toordinal() + 1):
        day = date.fromordinal(o)
        if day != first_day and cal.is_makeup_workday(day) and not any(a <= day <= b for a, b in paused):
            timeline.append((day, f"{day.isoformat()}{_makeup_note(cal, day)}，计入"))
    if n > 1:
        timeline.append((due, f"第{n}个工作日 {due.isoformat()}"))


def _makeup_note(cal: Calendar, d: date) -> str:
    return f"（{weekday_name(d)}，调休上班）" if cal.is_makeup_workday(d) else ""
