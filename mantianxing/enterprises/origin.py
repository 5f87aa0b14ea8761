"""Where an enterprise comes from, in each plan window: decided by the system, never by who reports it.

These rules are product decisions (DOMAIN §4); the origin page shows them to users as written here.

1. **Registered in Chongqing** ⇔ the division code of its USCC (characters 3–8, fixed when the code
   was issued) starts with "50".
2. **The day it arrived in Chongqing** (`arrived_on`):
   - registered in Chongqing: its establishment date; without one, the move-in date of its first
     occupancy in a ledger building; without that, the first month it appears on a roster or in
     the monthly statistics;
   - registered elsewhere: the move-in date of its first occupancy in a ledger building, or the
     first month it appears on a roster or in the monthly statistics when that is earlier (so a
     district cannot make an established firm new by recording a late occupancy); without an
     occupancy, that first month.
3. **Unknown arrival** → 存量 (existing), with a reason saying so. Conservative: a firm whose
   arrival cannot be shown is never counted as new.
4. **Arrived after the window's end** → 窗口后进入 (later).
5. **Arrived inside the window** (both ends inclusive) → 新设立 (registered in Chongqing) or 新引进
   (registered elsewhere): the only two new origins. Credited to the unit of the building of its
   first occupancy (the earliest move-in), else to the unit the ledger lists it under. A new firm
   that moves later stays new and stays credited to its first location: moving never makes a
   firm new for the district it moves to, nor takes it away from the one it started in.
6. **Arrived before the window** → 市内迁移 (relocated) if it moved inside the window, else 存量.
   It moved when an occupancy starting inside the window is in a building other than its location
   before: the building of its latest occupancy that started earlier; with no earlier occupancy,
   the unit of its registering division, when that unit and the building's unit are different
   places. Units are compared as places today: each is mapped to the units that now hold it
   (江北 500105, the old 两江新区 functional zone and 两江新区 500157 are one place after the
   2025-11-06 change; 渝北 500112 maps to both 两江新区 and 北碚, as five of its towns went to
   北碚), and two units are different places only when they share no successor. A division code
   that is not a reporting unit (500000, the city itself; an unknown code) gives no evidence of
   a move. Existing, relocated and later firms earn nothing; they are listed under the ledger unit.

A district's claimed origin (`Enterprise.claimed_origin`) is compared with the computed one in
every plan: it is disputed only when it agrees with the computed origin in no plan window, since a
district may have had either plan in mind (see `disputed_enterprises`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, Min, OuterRef, QuerySet

from mantianxing.carriers.models import Occupancy
from mantianxing.core.derived import Check, Difference, Fact
from mantianxing.enterprises.choices import NEW_ORIGINS, Origin
from mantianxing.enterprises.models import Enterprise, EnterpriseOrigin
from mantianxing.geo.choices import UnitKind
from mantianxing.geo.places import Places
from mantianxing.lib.identifiers import uscc_division
from mantianxing.people.models import RosterFiling
from mantianxing.plans.models import Plan
from mantianxing.stats.models import MonthlyStatistics

CHONGQING_PREFIX = "50"
# SQLite accepts at most 32,766 bound variables per statement: bind at most this many ids at once.
IN_CHUNK = 10_000
BATCH_SIZE = 5_000

# (moved_in_on, building_id, unit_id of the building), sorted by moved_in_on.
OccupancyRow = tuple[date, int, int]


@dataclass(frozen=True)
class Decision:
    origin: Origin
    arrived_on: date | None
    credited_unit_id: int | None
    reason: str

    @property
    def is_new(self) -> bool:
        return self.origin in NEW_ORIGINS


@dataclass(frozen=True)
class UnitResolver:
    """Units as places today, so that units on either side of a boundary change can be compared.

    `places` maps a unit id to the ids of the units existing on the comparison date that hold
    some part of it (itself while it exists); `divisions` maps a division code to the same for
    the reporting units that have borne that code (a code can be reused: 500110 万盛区, then 綦江区).
    """

    places: Mapping[int, frozenset[int]]
    divisions: Mapping[str, frozenset[int]]
    names: Mapping[int, str]

    def places_of_unit(self, unit_id: int) -> frozenset[int]:
        return self.places.get(unit_id, frozenset({unit_id}))

    def places_of_division(self, code: str) -> frozenset[int]:
        """Empty when the code is not a reporting unit (the city, another province, an unknown code)."""
        return self.divisions.get(code, frozenset())

    def name(self, unit_id: int) -> str:
        return self.names.get(unit_id, str(unit_id))

    @classmethod
    def load(cls, on: date | None = None) -> UnitResolver:
        """Three queries: the units and the successions (primary or not), resolved by `geo.places`."""
        holding = Places.load(on)
        places = {pk: holding.holders(pk) for pk in holding.units}
        divisions: dict[str, set[int]] = defaultdict(set)
        for pk, unit in holding.units.items():
            if unit.kind != UnitKind.CITY and unit.code.isdigit():
                divisions[unit.code] |= places[pk]
        return cls(
            places=places,
            divisions={code: frozenset(ids) for code, ids in divisions.items()},
            names={pk: unit.name for pk, unit in holding.units.items()},
        )


def decide_origin(
    plan_start: date,
    plan_end: date,
    uscc: str,
    established_on: date | None,
    ledger_unit_id: int | None,
    occupancies: Sequence[OccupancyRow],
    fallback_first_seen: date | None,
    unit_of: UnitResolver,
) -> Decision:
    """The origin of one enterprise in one plan window, with the unit credited and why (see above)."""
    division = uscc_division(uscc)
    local = division.startswith(CHONGQING_PREFIX)
    first = occupancies[0] if occupancies else None
    registered = f"统一社会信用代码登记机关 {division} 在{'重庆' if local else '市外'}"

    arrived_on: date | None = None
    how = ""
    if local and established_on is not None:
        arrived_on, how = established_on, f"成立于 {established_on}"
    elif first is not None:
        arrived_on = first[0]
        how = f"{'无成立日期，' if local else ''}首次入驻重庆楼宇于 {arrived_on}"
        if fallback_first_seen is not None and fallback_first_seen < arrived_on:
            # Already on a roster or in the statistics before its first recorded occupancy: it was
            # here then; a late occupancy record does not make it new.
            arrived_on = fallback_first_seen
            how += f"，但首次报送花名册或经营数据更早，于 {arrived_on:%Y-%m}"
    elif fallback_first_seen is not None:
        arrived_on = fallback_first_seen
        how = f"无{'成立日期和' if local else ''}入驻记录，首次报送花名册或经营数据于 {arrived_on:%Y-%m}"

    if arrived_on is None:
        return Decision(
            Origin.EXISTING,
            None,
            ledger_unit_id,
            f"{registered}，无{'成立日期、' if local else ''}入驻记录和报送记录，"
            "无法确定进入重庆的日期，按存量计",
        )
    if arrived_on > plan_end:
        return Decision(
            Origin.LATER, arrived_on, ledger_unit_id, f"{registered}，{how}，晚于窗口截止日 {plan_end}"
        )
    if arrived_on >= plan_start:
        credited: int | None
        if first is not None:
            credited, where = first[2], f"计入首次入驻楼宇所在的{unit_of.name(first[2])}"
        else:
            credited, where = ledger_unit_id, "无入驻记录，计入台账所在区县"
        return Decision(
            Origin.ESTABLISHED if local else Origin.INTRODUCED,
            arrived_on,
            credited,
            f"{registered}，{how}，在窗口内；{where}",
        )

    before = f"{registered}，{how}，早于窗口起始日 {plan_start}"
    if moved := _move_inside(plan_start, plan_end, division, occupancies, unit_of):
        return Decision(Origin.RELOCATED, arrived_on, ledger_unit_id, f"{before}；{moved}，属市内迁移")
    return Decision(Origin.EXISTING, arrived_on, ledger_unit_id, f"{before}，窗口内未迁移")


def _move_inside(
    plan_start: date,
    plan_end: date,
    division: str,
    occupancies: Sequence[OccupancyRow],
    unit_of: UnitResolver,
) -> str | None:
    """How the firm moved inside the window, in Chinese; None when it did not (rule 6)."""
    for index, (moved_in, building, unit) in enumerate(occupancies):
        if not plan_start <= moved_in <= plan_end:
            continue
        earlier = [row for row in occupancies[:index] if row[0] < moved_in]
        if earlier:
            if earlier[-1][1] != building:
                return f"{moved_in} 迁入{unit_of.name(unit)}的另一楼宇"
            continue
        home = unit_of.places_of_division(division)
        if home and home.isdisjoint(unit_of.places_of_unit(unit)):
            return f"{moved_in} 首次入驻{unit_of.name(unit)}的楼宇，与登记机关所在区县不同"
    return None


def rows_for_ids(queryset: QuerySet[Any, Any], field: str, ids: Sequence[int] | None) -> Iterator[Any]:
    """The rows of a `values_list` queryset whose first column is `field`, for `ids` (None: all).

    Up to IN_CHUNK ids are bound in one `field__in` query. Beyond that the rows are all read and
    filtered here: the ORM prepares each bound value one at a time, and binding 50,000 ids costs
    more than reading the few tens of thousands of rows these tables hold.
    """
    if ids is None:
        yield from queryset
    elif len(ids) <= IN_CHUNK:
        yield from queryset.filter(**{f"{field}__in": ids})
    else:
        wanted = frozenset(ids)
        yield from (row for row in queryset if row[0] in wanted)


def first_seen_months(ids: Sequence[int] | None) -> dict[int, date]:
    """The first month each enterprise appears on a roster or in the monthly statistics."""
    seen: dict[int, date] = {}
    for model in (RosterFiling, MonthlyStatistics):
        queryset = (
            model.objects.order_by()
            .values("enterprise_id")
            .annotate(first=Min("month"))
            .values_list("enterprise_id", "first")
        )
        for enterprise_id, month in rows_for_ids(queryset, "enterprise_id", ids):
            if enterprise_id not in seen or month < seen[enterprise_id]:
                seen[enterprise_id] = month
    return seen


# The stored columns of an EnterpriseOrigin row, after its key (enterprise_id, plan_id).
StoredDecision = tuple[str, date | None, int | None, str]


def decide_origins(ids: Sequence[int] | None) -> dict[tuple[int, int], StoredDecision]:
    """The origin of the given enterprises (None: all) in every plan, as it would be stored:
    (enterprise id, plan id) → StoredDecision. Reads only; a handful of queries whatever the number."""
    plans = list(Plan.objects.values_list("pk", "starts_on", "ends_on"))
    unit_of = UnitResolver.load()

    firms = list(
        rows_for_ids(
            Enterprise.objects.order_by().values_list("pk", "uscc", "established_on", "unit_id"),
            "pk",
            ids,
        )
    )
    occupancies: dict[int, list[OccupancyRow]] = defaultdict(list)
    occupancy_rows = Occupancy.objects.order_by("enterprise_id", "moved_in_on", "pk").values_list(
        "enterprise_id", "moved_in_on", "building_id", "building__unit_id"
    )
    for enterprise_id, moved_in, building_id, unit_id in rows_for_ids(occupancy_rows, "enterprise_id", ids):
        occupancies[enterprise_id].append((moved_in, building_id, unit_id))
    first_seen = first_seen_months(ids)

    decided: dict[tuple[int, int], StoredDecision] = {}
    for pk, uscc, established_on, unit_id in firms:
        history = occupancies.get(pk, [])
        for plan_id, starts_on, ends_on in plans:
            decision = decide_origin(
                starts_on, ends_on, uscc, established_on, unit_id, history, first_seen.get(pk), unit_of
            )
            decided[pk, plan_id] = (
                decision.origin.value,
                decision.arrived_on,
                decision.credited_unit_id,
                decision.reason,
            )
    return decided


def stored_origins(ids: Sequence[int] | None) -> Iterator[tuple[int, int, int, StoredDecision]]:
    """(enterprise id, plan id, row pk, StoredDecision) of the stored origins of `ids` (None: all)."""
    stored = EnterpriseOrigin.objects.order_by().values_list(
        "enterprise_id", "plan_id", "pk", "origin", "arrived_on", "credited_unit_id", "reason"
    )
    for enterprise_id, plan_id, pk, *values in rows_for_ids(stored, "enterprise_id", ids):
        yield enterprise_id, plan_id, pk, tuple(values)  # type: ignore[misc]


def recompute_origins(enterprise_ids: Iterable[int] | None = None) -> int:
    """Recompute the stored origin of the given enterprises (None: all) in every plan.

    The decisions are made in Python (`decide_origins`) and only the rows that changed are
    replaced (the stale ones deleted, the new ones inserted) in one transaction, so a recompute
    after a small import touches few rows. Returns the number of rows written; 0 when nothing
    changed. Not called by writers: the origins are a derived fact (`derived.ORIGINS`), brought up
    to date after every write to what they read.
    """
    ids = None if enterprise_ids is None else sorted(set(enterprise_ids))
    fresh = decide_origins(ids)
    with transaction.atomic():
        stale: dict[tuple[int, int], int] = {}
        for enterprise_id, plan_id, pk, values in stored_origins(ids):
            if fresh.get((enterprise_id, plan_id)) == values:
                del fresh[enterprise_id, plan_id]  # unchanged: keep the row
            else:
                stale[enterprise_id, plan_id] = pk
        _write(list(stale.values()), [(*key, *values) for key, values in fresh.items()])
    return len(fresh.keys() | stale.keys())


def _write(stale: list[int], rows: list[tuple[Any, ...]]) -> None:
    """Delete the `stale` rows by pk, then insert `rows` (enterprise_id, plan_id, *StoredDecision).

    Plain `executemany` rather than `QuerySet.delete()` and `bulk_create()`: a first computation
    writes 100,000 rows for 50,000 firms (and a change of rule rewrites them all), and the ORM
    spends most of that time building instances and preparing every value through the field API
    (SQLite also caps `bulk_create` batches at 999 variables, 142 rows here): measured several
    times slower than the statements themselves. The rows are derived data: no signals, no history.
    """
    quote = connection.ops.quote_name
    meta = EnterpriseOrigin._meta
    table = quote(meta.db_table)
    column = {field.name: quote(field.column) for field in meta.concrete_fields if field.column}
    names = ["enterprise", "plan", "origin", "arrived_on", "credited_unit", "reason"]
    insert = (
        f"INSERT INTO {table} ({', '.join(column[name] for name in names)}) "
        f"VALUES ({', '.join(['%s'] * len(names))})"
    )
    delete = f"DELETE FROM {table} WHERE {column['id']} = %s"
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        for start in range(0, len(stale), BATCH_SIZE):
            cursor.executemany(delete, [(pk,) for pk in stale[start : start + BATCH_SIZE]])
        for start in range(0, len(rows), BATCH_SIZE):
            batch = rows[start : start + BATCH_SIZE]
            cursor.executemany(
                insert,
                [
                    (firm, plan, origin, adapt(day), unit, reason)
                    for firm, plan, origin, day, unit, reason in batch
                ],
            )


def verify_origins() -> Check:
    """Every enterprise's origin decided afresh, against the stored rows (`mtx verify`)."""
    fresh = decide_origins(None)
    plans = dict(Plan.objects.values_list("pk", "code"))
    codes = dict(Enterprise.objects.values_list("pk", "uscc"))
    stored = {(firm, plan): values for firm, plan, _pk, values in stored_origins(None)}
    differences = [
        Difference(
            "origin",
            f"{codes.get(firm, firm)}/{plans.get(plan, plan)}",
            _shown(stored.get((firm, plan))),
            _shown(fresh.get((firm, plan))),
        )
        for firm, plan in sorted(fresh.keys() | stored.keys())
        if fresh.get((firm, plan)) != stored.get((firm, plan))
    ]
    return Check(len(fresh.keys() | stored.keys()), differences)


def _shown(values: StoredDecision | None) -> dict[str, Any] | None:
    if values is None:
        return None
    origin, arrived_on, unit_id, reason = values
    return {
        "origin": origin,
        "arrived_on": arrived_on and arrived_on.isoformat(),
        "credited_unit": unit_id,
        "reason": reason,
    }


ORIGINS = Fact(
    name="origins",
    label="企业来源",
    # An enterprise's origin reads the enterprise, its occupancies and their buildings, and its
    # first roster and statistics months; a change of geography or plans can move any of them.
    reads={
        "enterprises.Enterprise": "id",
        "carriers.Occupancy": "enterprise_id",
        "people.RosterFiling": "enterprise_id",
        "stats.MonthlyStatistics": "enterprise_id",
        "carriers.Building": lambda building: Occupancy.objects.filter(building=building).values_list(
            "enterprise_id", flat=True
        ),
        "geo.Unit": None,
        "geo.Succession": None,
        "plans.Plan": None,
    },
    refresh=recompute_origins,
    verify=verify_origins,
    stores=("enterprises.EnterpriseOrigin",),
    eager=True,
)


def disputed_enterprises(queryset: QuerySet[Enterprise]) -> QuerySet[Enterprise]:
    """The enterprises of `queryset` whose claimed origin agrees with the computed one in no plan.

    A claim that matches the computed origin in any plan window is accepted (the district may have
    had either plan in mind). Firms without a claim, and firms whose origin has not been computed
    yet, are not listed: there is nothing to compare.
    """
    computed = EnterpriseOrigin.objects.filter(enterprise=OuterRef("pk"))
    return queryset.exclude(claimed_origin="").filter(
        Exists(computed), ~Exists(computed.filter(origin=OuterRef("claimed_origin")))
    )
