"""Cells that several pages show, written once and cheap enough to repeat on every row."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def due(due_on, provisional: bool = False) -> str:
    """An open application's reply deadline: the date, or 计时暂停 while the clock is stopped."""
    text = due_on.isoformat() if due_on else "计时暂停"
    if provisional:
        return format_html('{} <span class="tag warn">临时（无节假日数据）</span>', text)
    return text


@register.simple_tag
def steps(lines) -> str:
    """How a deadline was reached, folded under a summary line."""
    items = format_html_join("", "<li>{}</li>", ((s,) for s in lines))
    return format_html('<details class="steps"><summary>期限如何计算</summary><ol>{}</ol></details>', items)
