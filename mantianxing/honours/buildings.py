"""Which ledger buildings meet the demonstration-building (示范楼宇) criteria on a date.

The criteria are data (`DemonstrationCriterion`, tuned by the city office); this module measures
every building against the enabled ones. Rules (also on the rules page):

- **Buildings**: every building in the carrier ledger, whatever its status, credited to the unit
  carrying its ledger unit today (江北区、渝北区 → 两江新区; see `places`).
- **In residence on a date**: an occupancy with move-in ≤ the date < move-out (none: still there).
- **Software firm**: an enterprise whose industry class is of the edition and one of the divisions
  (大类) in the software_focus criterion's parameter (default GB/T 4754-2017, 64 and 65); a firm
  without an industry class is not one. `software_firms` uses the same definition, even when the
  software_focus criterion itself is disabled.
- **independent_operator**: the operator's USCC is filled in, valid by python-stdnum, and its
  entity type (characters 1–2) is in the criterion's list (see `operators`).
- **software_focus**: area occupied by software firms ÷ all area occupied, in %, ≥ threshold;
  fails when nothing is occupied.
- **carrier_area**: the building's carrier area (载体面积) ≥ threshold ㎡; fails when not filled in.
- **software_firms**: distinct software firms in residence ≥ threshold.
- **occupancy_rate**: all area occupied ÷ carrier area, in %, ≥ threshold; fails without a carrier area.
- A building **passes** when it meets every enabled criterion; with none enabled, none passes.

Ratios are compared exactly; they are shown to two decimals, cut (not rounded) so that a shown value
that reaches the threshold has reached it. Five queries whatever the number of buildings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.db.models import Count, Q, Sum

from mantianxing.carriers.models import Building, Occupancy
from mantianxing.geo.models import Unit
from mantianxing.geo.places import Places
from mantianxing.honours.choices import CriterionKind
from mantianxing.honours.models import DemonstrationCriterion
from mantianxing.honours.operators import entity_label, entity_type

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
# Used only when the software_focus row is missing (the migration seeds it; the admin cannot delete it).
DEFAULT_SOFTWARE: tuple[str, tuple[str, ...]] = ("2017", ("64", "65"))

Value = Decimal | int | str | None


@dataclass(frozen=True)
class Criterion:
    """An enabled criterion as the assessment applies it."""

    kind: CriterionKind
    name: str
    threshold: Decimal | None
    unit_label: str
    parameter: dict[str, object]
    note: str

    @classmethod
    def of(cls, row: DemonstrationCriterion) -> Criterion:
        return cls(
            CriterionKind(row.kind), row.name, row.threshold, row.unit_label, dict(row.parameter), row.note
        )

    @property
    def codes(self) -> tuple[str, ...]:
        codes = self.parameter.get("codes", [])
        return tuple(str(code) for code in codes) if isinstance(codes, list) else ()


@dataclass(frozen=True)
class Criteria:
    enabled: list[Criterion]
    software_edition: str
    software_divisions: tuple[str, ...]

    @classmethod
    def load(cls) -> Criteria:
        rows = list(DemonstrationCriterion.objects.order_by("position", "kind"))
        edition, divisions = DEFAULT_SOFTWARE
        for row in rows:
            if row.kind == CriterionKind.SOFTWARE_FOCUS:
                edition, divisions = row.edition, tuple(row.codes)
        return cls([Criterion.of(row) for row in rows if row.enabled], edition, divisions)

    def software(self) -> Q:
        """Occupancies of software firms."""
        return Q(
            enterprise__industry__edition=self.software_edition,
            enterprise__industry__division__in=self.software_divisions,
        )


@dataclass(frozen=True)
class CriterionResult:
    kind: str
    value: Value  # the measured value: an entity type code, a percentage, ㎡ or a count
    shown: str  # the value as the page shows it, in Chinese
    threshold: Decimal | None
    passed: bool


@dataclass(frozen=True)
class BuildingAssessment:
    building_id: int
    code: str
    name: str
    unit: Unit  # today's unit carrying the building's ledger unit
    operator_name: str
    carrier_area: Decimal | None
    occupied_area: Decimal  # by every firm in residence
    software_area: Decimal
    software_firms: int
    results: dict[str, CriterionResult]  # by kind, enabled criteria only, in their order
    passed: bool


@dataclass(frozen=True)
class Measured:
    operator_uscc: str
    carrier_area: Decimal | None
    occupied: Decimal
    software_area: Decimal
    software_firms: int


def percent(part: Decimal, whole: Decimal) -> Decimal:
    return (part * HUNDRED / whole).quantize(CENT, rounding=ROUND_DOWN)


def judge(criterion: Criterion, m: Measured) -> CriterionResult:
    """One building measured against one criterion."""
    kind, threshold = criterion.kind, criterion.threshold or Decimal(0)
    value: Value
    if kind is CriterionKind.INDEPENDENT_OPERATOR:
        value = entity_type(m.operator_uscc)
        if value is None:
            shown = "未填写" if not m.operator_uscc.strip() else "信用代码无效"
        else:
            shown = entity_label(value)
        return CriterionResult(kind, value, shown, None, value is not None and value in criterion.codes)
    if kind is CriterionKind.SOFTWARE_FOCUS:
        if not m.occupied:
            return CriterionResult(kind, None, "无在驻企业", threshold, False)
        value = percent(m.software_area, m.occupied)
        passed = m.software_area * HUNDRED >= threshold * m.occupied
        return CriterionResult(kind, value, f"{value}%", threshold, passed)
    if kind is CriterionKind.CARRIER_AREA:
        if m.carrier_area is None:
            return CriterionResult(kind, None, "未填写", threshold, False)
        return CriterionResult(
            kind, m.carrier_area, f"{m.carrier_area:,.2f} ㎡", threshold, m.carrier_area >= threshold
        )
    if kind is CriterionKind.SOFTWARE_FIRMS:
        count = m.software_firms
        return CriterionResult(kind, count, f"{count} 家", threshold, count >= threshold)
    # occupancy_rate
    if not m.carrier_area:
        return CriterionResult(kind, None, "未填载体面积", threshold, False)
    value = percent(m.occupied, m.carrier_area)
    passed = m.occupied * HUNDRED >= threshold * m.carrier_area
    return CriterionResult(kind, value, f"{value}%", threshold, passed)


def assess_buildings(
    on: date, units: Sequence[Unit] | None = None, criteria: Criteria | None = None
) -> list[BuildingAssessment]:
    """Every ledger building (of `units`, or all) measured against the enabled criteria on `on`,
    ordered by today's unit code and building code."""
    criteria = criteria or Criteria.load()
    places = Places.load()
    buildings = Building.objects.order_by()
    occupancies = Occupancy.objects.on(on).order_by()
    if units is not None:
        filed = places.filed_under(units)
        buildings = buildings.filter(unit_id__in=filed)
        occupancies = occupancies.filter(building__unit_id__in=filed)
    software = criteria.software()
    in_residence = {
        row["building_id"]: row
        for row in occupancies.values("building_id").annotate(
            occupied=Sum("area"),
            software_area=Sum("area", filter=software),
            software_firms=Count("enterprise_id", distinct=True, filter=software),
        )
    }
    assessed = []
    rows = buildings.values_list(
        "pk", "code", "name", "unit_id", "operator_uscc", "operator_name", "carrier_area"
    )
    for pk, code, name, unit_id, operator_uscc, operator_name, carrier_area in rows:
        found = in_residence.get(pk, {})
        measured = Measured(
            operator_uscc or "",
            carrier_area,
            found.get("occupied") or Decimal(0),
            found.get("software_area") or Decimal(0),
            found.get("software_firms") or 0,
        )
        results = {c.kind.value: judge(c, measured) for c in criteria.enabled}
        assessed.append(
            BuildingAssessment(
                building_id=pk,
                code=code,
                name=name,
                unit=places.of(unit_id),
                operator_name=operator_name,
                carrier_area=carrier_area,
                occupied_area=measured.occupied,
                software_area=measured.software_area,
                software_firms=measured.software_firms,
                results=results,
                passed=bool(results) and all(r.passed for r in results.values()),
            )
        )
    assessed.sort(key=lambda a: (a.unit.code, a.code))
    return assessed
