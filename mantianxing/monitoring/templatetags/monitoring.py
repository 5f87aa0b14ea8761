from __future__ import annotations

from datetime import date

from django import template
from django.utils.html import format_html

from mantianxing.monitoring.definitions import Definition

register = template.Library()


@register.filter
def shown(value: float | None, definition: Definition) -> str:
    """A figure as users read it: shares as percentages, counts whole, areas and money to 2 places."""
    if value is None:
        return "—"
    if definition.percent:
        return f"{value:.1%}"
    if definition.decimals == 0:
        return f"{round(value):,}"
    return f"{value:,.{definition.decimals}f}"


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


BADGES = {
    "done": ("mtx-ok", "已完成"),
    "ahead": ("mtx-ok", "快于序时进度"),
    "behind": ("mtx-warn", "慢于序时进度"),
}


@register.filter
def badge(status: str | None) -> str:
    css, label = BADGES.get(str(status), ("mtx-muted", "无目标"))
    return format_html('<span class="{}">{}</span>', css, label)


@register.filter
def latest_months(months: list[date]) -> str:
    """The last three months of a list (YYYY-MM), and how many there are when more."""
    if not months:
        return "—"
    shown = "、".join(f"{month:%Y-%m}" for month in months[-3:])
    return f"{shown} 等 {len(months)} 个月" if len(months) > 3 else shown
