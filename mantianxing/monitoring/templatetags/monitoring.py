from __future__ import annotations

from django import template

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
