"""Evaluating the validation rules on a report: what each kind of rule means.

The rules are rows (`ValidationRule`), seeded from `reporting/data/rules.json` and tuned in the
admin; this module is the fixed meaning of each kind. Decisions:

- **Missing values** are not judged by value rules: an empty field is reported once, by the
  built-in `required` finding (an error), instead of tripping every rule that reads it.
- **requires** is its own kind (`investment_amount > 0` needs `investment_projects > 0`) rather than
  a disguised parts-le-total: the admin then says what the rule does.
- **outlier**: flag when |this month − median of the previous N months| > k × scale, where scale is
  the median absolute deviation (MAD) of those months, but at least `floor` and `floor_ratio` ×
  |median|. The floors matter: a flat history has MAD 0, and without them any change at all would
  be "abnormal". MAD rather than the standard deviation, so that one earlier spike does not widen
  the band for a year. Fewer than `min_history` months of history (default 3): no judgement.
- **History** for outliers is the unit's own earlier reports: for each earlier month the latest
  revision that was submitted (submitted or approved; drafts and returned reports are not yet
  facts), read from its reported fields or from its frozen figures snapshot. For a ledger indicator,
  a month without such a report falls back to `month_figures` for that month, so a unit new to
  the routine still gets a history; reported fields have no other source, so such months are
  simply missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from statistics import median
from typing import Any

from mantianxing.lib.periods import add_months
from mantianxing.monitoring.choices import Indicator
from mantianxing.monitoring.figures import month_figures
from mantianxing.reporting.choices import ReportStatus, RuleKind, Severity
from mantianxing.reporting.models import REPORTED_FIELDS, MonthlyReport, ValidationRule, field_label

REQUIRED = "required"


@dataclass(frozen=True)
class Finding:
    rule: str  # the rule's code (or `required`); warning comments are keyed by it
    severity: str
    message: str
    field: str
    name: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR

    def as_dict(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
            "field": self.field,
        }


class _Blank(dict[str, Any]):
    """Template values; an unknown {placeholder} in an admin-edited message shows as itself."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float, Decimal)):
        return float(value)
    return None


def _show(value: float | None) -> str:
    if value is None:
        return "—"
    return str(int(value)) if float(value).is_integer() else f"{value:.4g}"


def figure_values(figures: Any) -> dict[str, float | None]:
    """Indicator code → month value, from a report's figures snapshot."""
    rows = figures.get("figures", []) if isinstance(figures, dict) else []
    return {row["indicator"]: _number(row.get("month_value")) for row in rows if "indicator" in row}


def value_of(report: MonthlyReport, field: str) -> float | None:
    if field in REPORTED_FIELDS:
        return _number(getattr(report, field))
    return figure_values(report.figures).get(field)


def label_of(field: str) -> str:
    if field in REPORTED_FIELDS:
        return field_label(field)
    try:
        return str(Indicator(field).label)
    except ValueError:
        return field


class History:
    """The unit's earlier monthly values, read once per check and shared by every outlier rule."""

    def __init__(self, report: MonthlyReport, months: int) -> None:
        self.report = report
        self.months = [add_months(report.month, -i) for i in range(months, 0, -1)]
        earlier = (
            MonthlyReport.objects.filter(
                unit_id=report.unit_id,
                month__in=self.months,
                status__in=[ReportStatus.SUBMITTED, ReportStatus.APPROVED],
            )
            .exclude(pk=report.pk)
            .order_by("month", "revision")
        )
        # The later revision of a month overwrites the earlier one.
        self.reports: dict[date, MonthlyReport] = {r.month: r for r in earlier}
        self._ledger: dict[date, dict[str, float | None]] = {}

    def _ledger_month(self, month: date) -> dict[str, float | None]:
        if month not in self._ledger:
            _plan, figures = month_figures(self.report.unit, month)
            self._ledger[month] = {f.definition.code.value: f.month_value for f in figures}
        return self._ledger[month]

    def values(self, field: str, months: int) -> list[float]:
        found = []
        for month in self.months[-months:]:
            earlier = self.reports.get(month)
            value = value_of(earlier, field) if earlier is not None else None
            if value is None and earlier is None and field not in REPORTED_FIELDS:
                value = self._ledger_month(month).get(field)
            if value is not None:
                found.append(value)
        return found


def outlier(
    value: float, history: list[float], *, k: float, floor: float, floor_ratio: float, min_history: int
) -> tuple[bool, float | None]:
    """Is `value` far from the history's median (see the module docstring)? And that median."""
    if len(history) < min_history:
        return False, None
    centre = median(history)
    mad = median(abs(x - centre) for x in history)
    scale = max(mad, floor, floor_ratio * abs(centre))
    return abs(value - centre) > k * scale, centre


def _judge(
    rule: ValidationRule, report: MonthlyReport, history: Callable[[], History]
) -> dict[str, Any] | None:
    """The template values when `rule` is broken by `report`, None when it holds or cannot judge."""
    params = rule.params or {}
    value = value_of(report, rule.field)
    if value is None:
        return None
    facts: dict[str, Any] = {"name": label_of(rule.field), "value": _show(value)}
    if rule.kind == RuleKind.PARTS_LE_TOTAL:
        total = value_of(report, params["total"])
        if total is not None and value > total:
            return facts | {"total": _show(total), "total_name": label_of(params["total"])}
    elif rule.kind == RuleKind.BOUNDS:
        low, high = _number(params.get("min")), _number(params.get("max"))
        if (low is not None and value < low) or (high is not None and value > high):
            return facts | {"min": _show(low), "max": _show(high)}
    elif rule.kind == RuleKind.REQUIRES:
        other = value_of(report, params["other"])
        if value > 0 and not (other or 0) > 0:
            return facts | {"other": _show(other), "other_name": label_of(params["other"])}
    elif rule.kind == RuleKind.OUTLIER:
        months = int(params.get("months", 12))
        past = history().values(rule.field, months)
        flagged, centre = outlier(
            value,
            past,
            k=float(params.get("k", 4)),
            floor=float(params.get("floor", 1)),
            floor_ratio=float(params.get("floor_ratio", 0.1)),
            min_history=int(params.get("min_history", 3)),
        )
        if flagged:
            return facts | {"median": _show(centre), "months": len(past)}
    return None


def evaluate(report: MonthlyReport, rules: Iterable[ValidationRule] | None = None) -> list[Finding]:
    """Every finding on `report`: empty required fields first, then the active rules in order."""
    findings = []
    empty = [name for name in REPORTED_FIELDS if getattr(report, name) is None]
    if empty:
        names = "、".join(label_of(name) for name in empty)
        findings.append(
            Finding(REQUIRED, Severity.ERROR, f"尚未填写：{names}（没有发生请填 0）。", empty[0], "必填项")
        )
    rules = list(ValidationRule.objects.filter(active=True) if rules is None else rules)
    longest = max(
        (int((r.params or {}).get("months", 12)) for r in rules if r.kind == RuleKind.OUTLIER), default=12
    )
    shared: list[History] = []

    def history() -> History:
        if not shared:
            shared.append(History(report, longest))
        return shared[0]

    for rule in rules:
        facts = _judge(rule, report, history)
        if facts is not None:
            message = rule.message.format_map(_Blank(facts))
            findings.append(Finding(rule.code, rule.severity, message, rule.field, rule.name))
    return findings
