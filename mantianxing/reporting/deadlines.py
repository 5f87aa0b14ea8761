"""When a month's report is due: by default the 5th of the following month.

The day is configurable with `MTX_REPORT_DEADLINE_DAY` (a Django setting of that name wins, then the
environment variable), so that a city that changes its rule does not need a code change. It must be
1–28 so that every month has that day; `reporting.checks` refuses anything else at start-up rather
than letting a deadline silently fall on the wrong day. The city office can still move the deadline
of a single report (`services.set_deadline`), e.g. around the Spring Festival.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings

from mantianxing.lib.env import env_str
from mantianxing.lib.periods import add_months

DEFAULT_DEADLINE_DAY = 5


def deadline_day() -> int:
    configured = getattr(settings, "MTX_REPORT_DEADLINE_DAY", None)
    if configured is None:
        configured = env_str("MTX_REPORT_DEADLINE_DAY", "").strip() or DEFAULT_DEADLINE_DAY
    day = int(configured)
    if not 1 <= day <= 28:
        raise ValueError(f"MTX_REPORT_DEADLINE_DAY={configured!r} should be between 1 and 28")
    return day


def default_deadline(month: date) -> date:
    """The default deadline of `month`'s report: the configured day of the next month."""
    return add_months(month.replace(day=1), 1).replace(day=deadline_day())
