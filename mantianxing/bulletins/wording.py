"""How a bulletin says its figures and periods in words, as an office would write them."""

from __future__ import annotations

from datetime import date

from mantianxing.lib.periods import Period
from mantianxing.monitoring.definitions import Definition

# Units written in words, with the larger unit an office switches to past 10,000.
LARGER = {"万元": ("亿元", 10_000), "㎡": ("万平方米", 10_000)}
SPOKEN_UNIT = {"㎡": "平方米"}


def month_words(month: date) -> str:
    return f"{month.year}年{month.month}月"


def day_words(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def period_words(period: Period) -> str:
    """`2026年6月`, `2026年上半年`, `2026年下半年` or `2026年`."""
    label = period.label
    if "-" in label:
        return month_words(period.first)
    if "H" in label:
        return f"{period.first.year}年{'上' if period.first.month == 1 else '下'}半年"
    return f"{period.first.year}年"


def percent(value: float | None, decimals: int = 1) -> str:
    return "—" if value is None else f"{value * 100:.{decimals}f}%"


def points(value: float) -> str:
    """A difference of two rates in percentage points."""
    return f"{abs(value) * 100:.1f}个百分点"


def spoken(value: float | None, definition: Definition) -> str:
    """A figure with its unit in running text: `12,345人`, `1.25亿元`, `3.40万平方米`, `28.1%`."""
    if value is None:
        return "—"
    if definition.percent:
        return percent(value)
    unit = definition.unit_label
    if unit in LARGER and abs(value) >= LARGER[unit][1]:
        larger, factor = LARGER[unit]
        return f"{_trimmed(value / factor)}{larger}"
    if definition.decimals == 0:
        return f"{round(value):,}{unit}"
    return f"{_trimmed(value)}{SPOKEN_UNIT.get(unit, unit)}"


def _trimmed(value: float) -> str:
    """Two decimals at most, none when they are zeros: 1,500, 2.96, 3,360.5."""
    text = f"{value:,.2f}"
    return text.rstrip("0").rstrip(".")


def short_name(name: str) -> str:
    """The short name used on chart axes: 石柱土家族自治县 → 石柱县, 西部科学城重庆高新区 → 重庆高新区."""
    if name.endswith("自治县"):
        return name[:2] + "县"
    return name.removeprefix("西部科学城")
