from __future__ import annotations

from typing import Any

from django import template

from mantianxing.evaluation.explain import wan as wan_text

register = template.Library()


@register.filter
def wan(yuan: float | None) -> str:
    """Yuan shown in 万元, as offices count reward money."""
    return "—" if yuan is None else wan_text(yuan)


@register.filter
def total_reward(run: Any) -> float:
    return sum(row["reward"] for row in run.result)


@register.filter
def get(mapping: dict[str, Any] | None, key: str) -> Any:
    return (mapping or {}).get(key)


@register.filter
def pct(share: float | None) -> str:
    return "—" if share is None else f"{share:.0%}"


@register.filter
def rewarded(robustness_row: dict[str, Any] | None) -> float | None:
    """The share of draws that put the unit in any reward tier (the last tier is 无奖励)."""
    return None if not robustness_row else 1 - robustness_row["tier_probability"][-1]
