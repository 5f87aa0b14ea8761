from datetime import date

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from mantianxing.geo.lookup import describe, resolve_place, successors
from mantianxing.geo.models import Unit

router = Router(tags=["行政区划"])


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    valid_from: date
    abolished_on: date | None
    central: bool
    ranked_2022: bool


class UnitDetailOut(UnitOut):
    successors: list[UnitOut]
    predecessors: list[UnitOut]


class ResolveOut(Schema):
    place: str
    on: date
    unit: UnitOut | None
    current: list[UnitOut]


@router.get("/units", response=list[UnitOut], summary="某日有效的区县（默认今日）")
def list_units(request: HttpRequest, on: date | None = None, all: bool = False) -> list[dict]:
    on = on or timezone.localdate()
    units = Unit.objects.all() if all else Unit.objects.valid_on(on)
    return [describe(unit, on) for unit in units.prefetch_related("memberships")]


@router.get("/units/{code}", response=UnitDetailOut, summary="区县详情：在某日有效的该代码区县及其承继关系")
def get_unit(request: HttpRequest, code: str, on: date | None = None) -> dict:
    on = on or timezone.localdate()
    unit = Unit.objects.filter(code=code.upper()).valid_on(on).first() or (
        Unit.objects.filter(code=code.upper()).order_by("-valid_from").first()
    )
    if unit is None:
        raise Http404
    today = timezone.localdate()
    return {
        **describe(unit, on),
        "successors": [describe(u, today) for u in successors(unit, today) if u != unit],
        "predecessors": [
            describe(s.predecessor, s.effective) for s in unit.precessions.select_related("predecessor")
        ],
    }


@router.get("/resolve", response=ResolveOut, summary="某地（区县代码、名称或乡镇街道）在某日属于哪个区县")
def resolve(request: HttpRequest, place: str, on: date | None = None) -> dict:
    return resolve_place(place, on or timezone.localdate())
