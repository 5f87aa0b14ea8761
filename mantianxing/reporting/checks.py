"""Refuse to start with a report deadline day that some month does not have."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register

from mantianxing.reporting.deadlines import deadline_day


@register()
def check_deadline_day(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    try:
        deadline_day()
    except ValueError:
        return [
            Error(
                "MTX_REPORT_DEADLINE_DAY 应为 1 到 28 之间的整数（每月都有的日期）。",
                hint="Set MTX_REPORT_DEADLINE_DAY to a day every month has, e.g. 5.",
                id="mantianxing.reporting.E001",
            )
        ]
    return []
