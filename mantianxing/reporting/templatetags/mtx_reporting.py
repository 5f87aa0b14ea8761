from __future__ import annotations

from datetime import date

from django import template

from mantianxing.reporting.deadlines import deadline_day as configured_deadline_day

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """A rate held as a fraction, shown as a percentage; "—" when there is nothing to rate."""
    if value is None:
        return "—"
    return f"{value * 100:.1f}%"


@register.filter
def deadline_day(_month: date | None) -> int:
    return configured_deadline_day()
