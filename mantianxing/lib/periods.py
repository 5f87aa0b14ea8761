"""Months, halves and years: the periods every figure is reported over.

A month is held as its first day (`date(2026, 3, 1)`), the way the ledgers store months. A period
is written `2026-03` (a month), `2026H1` / `2026H2` (a half) or `2026` (a year).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_HALF = re.compile(r"^(\d{4})[Hh]([12])$")
_YEAR = re.compile(r"^(\d{4})$")


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def months(first: date, last: date) -> Iterator[date]:
    """Every month from `first` to `last`, both included (none when `last` is before `first`)."""
    current = first.replace(day=1)
    while current <= last:
        yield current
        current = add_months(current, 1)


def parse_month(text: str) -> date:
    """`2026-03` → date(2026, 3, 1); ValueError with a message for users otherwise."""
    found = _MONTH.match(text.strip())
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise ValueError(f"月份“{text}”应写作 YYYY-MM，如 2026-03。")
    return date(int(found.group(1)), int(found.group(2)), 1)


@dataclass(frozen=True)
class Period:
    label: str
    first: date  # first month
    last: date  # last month

    @property
    def ends_on(self) -> date:
        return month_end(self.last)

    def __str__(self) -> str:
        return self.label


def parse_period(text: str) -> Period:
    """`2026-03`, `2026H1`, `2026H2` or `2026`; ValueError with a message for users otherwise."""
    value = text.strip()
    if _MONTH.match(value):
        month = parse_month(value)
        return Period(f"{month:%Y-%m}", month, month)
    if found := _HALF.match(value):
        year, half = int(found.group(1)), int(found.group(2))
        first = date(year, 1 if half == 1 else 7, 1)
        return Period(f"{year}H{half}", first, add_months(first, 5))
    if found := _YEAR.match(value):
        year = int(found.group(1))
        return Period(str(year), date(year, 1, 1), date(year, 12, 1))
    raise ValueError(f"期间“{text}”应写作月份 2026-03、半年 2026H1/2026H2 或年度 2026。")
