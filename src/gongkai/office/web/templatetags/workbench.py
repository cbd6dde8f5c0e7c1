"""Cells that several pages show, written once and cheap enough to repeat on every row."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

# alerts that are information rather than a problem
INFO_ALERTS = frozenset({"correction_duty", "awaiting_confirmation", "consultation_capped"})


@register.simple_tag
def due(due_on, provisional: bool = False, today=None) -> str:
    """An open application's reply deadline: the date, or 计时暂停 while the clock is stopped;
    marked 已逾期 when ``today`` is past it and 暂定 for a year without a holiday notice."""
    text = due_on.isoformat() if due_on else "计时暂停"
    tags = []
    if today is not None and due_on is not None and due_on < today:
        tags.append(mark_safe('<span class="tag error">已逾期</span>'))
    if provisional:
        tags.append(mark_safe('<span class="tag warn">暂定（无放假通知，未含调休）</span>'))
    if not tags:
        return text
    return format_html("{} {}", text, format_html_join(" ", "{}", ((t,) for t in tags)))


@register.simple_tag
def duties(correction_due_on=None, consultation_due_on=None, today=None) -> str:
    """The other statutory dates of an open application: the 补正 duty (第三十条) and the open
    consultation's own due date (第三十二条、第三十四条), each marked when passed."""
    items = []
    for label, day in (("补正告知期限", correction_due_on), ("征求意见期限", consultation_due_on)):
        if day is None:
            continue
        passed = today is not None and day < today
        if label == "补正告知期限" and passed:
            continue  # the duty is gone; a late 补正 is flagged when recorded
        mark = mark_safe(' <span class="tag error">已过</span>') if passed else ""
        items.append(format_html('<span class="duty">{} {}{}</span>', label, day.isoformat(), mark))
    return format_html_join(mark_safe("<br>"), "{}", ((i,) for i in items))


@register.simple_tag
def alerts(items) -> str:
    """A deadline's alerts (``gongkai.deadlines.Alert``), problems in red, information in yellow."""
    if not items:
        return ""
    rows = (("warn" if a.code in INFO_ALERTS else "error", a.code, a.message) for a in items)
    lis = format_html_join("", '<li class="alert {}" data-code="{}">{}</li>', rows)
    return format_html('<ul class="alerts">{}</ul>', lis)


@register.simple_tag
def steps(lines) -> str:
    """How a deadline was reached, folded under a summary line."""
    items = format_html_join("", "<li>{}</li>", ((s,) for s in lines))
    return format_html('<details class="steps"><summary>期限如何计算</summary><ol>{}</ol></details>', items)
