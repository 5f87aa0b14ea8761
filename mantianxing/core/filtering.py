"""Field types the list filters share (pages and API alike)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BeforeValidator


def first_of_month(value: object) -> object:
    """`2024-05` (or any day of it, `2024-05-17`) as the month's first day, the way months are stored."""
    if isinstance(value, date):
        return value.replace(day=1)
    if isinstance(value, str):
        try:
            year, month = (int(part) for part in value.strip().split("-")[:2])
            return date(year, month, 1)
        except ValueError as error:
            raise ValueError("月份应为 YYYY-MM 格式，如 2024-05。") from error
    return value


Month = Annotated[date, BeforeValidator(first_of_month)]
