from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from mantianxing.carriers.choices import BuildingStatus
from mantianxing.carriers.filters import BuildingFilterSet, OccupancyFilterSet
from mantianxing.carriers.models import Building, Occupancy
from mantianxing.core.api_helpers import assign, require_create, visible_or_404
from mantianxing.core.references import resolve_reference
from mantianxing.core.services import delete_record, save_record
from mantianxing.enterprises.models import Enterprise
from mantianxing.lib.identifiers import normalize_uscc

router = Router(tags=["楼宇"])
occupancy_router = Router(tags=["入驻记录"])


class BuildingSchema(Schema):
    id: int
    code: str
    name: str
    unit: str
    unit_name: str
    address: str
    operator_uscc: str
    operator_name: str
    total_area: Decimal | None
    acquired_area: Decimal | None
    carrier_area: Decimal | None
    status: BuildingStatus
    listed_on: date | None
    acquired_on: date | None
    refitting_on: date | None
    in_use_on: date | None
    move_in_ready: bool
    batch: int | None

    @staticmethod
    def resolve_unit(obj: Building) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_unit_name(obj: Building) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_batch(obj: Building) -> int | None:
        return obj.batch_id


class BuildingIn(Schema):
    code: str
    name: str
    unit: str
    address: str = ""
    operator_uscc: str = ""
    operator_name: str = ""
    total_area: Decimal | None = None
    acquired_area: Decimal | None = None
    carrier_area: Decimal | None = None
    status: BuildingStatus = BuildingStatus.LISTED
    listed_on: date | None = None
    acquired_on: date | None = None
    refitting_on: date | None = None
    in_use_on: date | None = None
    move_in_ready: bool = False


class BuildingPatch(Schema):
    code: str | None = None
    name: str | None = None
    unit: str | None = None
    address: str | None = None
    operator_uscc: str | None = None
    operator_name: str | None = None
    total_area: Decimal | None = None
    acquired_area: Decimal | None = None
    carrier_area: Decimal | None = None
    status: BuildingStatus | None = None
    listed_on: date | None = None
    acquired_on: date | None = None
    refitting_on: date | None = None
    in_use_on: date | None = None
    move_in_ready: bool | None = None


@router.get("", response=list[BuildingSchema], summary="楼宇列表（按数据范围过滤）")
@paginate
def list_buildings(request: HttpRequest, filters: Query[BuildingFilterSet]):  # type: ignore[no-untyped-def]
    return filters.filter(Building.objects.visible_to(request.user).select_related("unit"))


@router.get("/{building_id}", response=BuildingSchema, summary="楼宇详情")
def get_building(request: HttpRequest, building_id: int) -> Building:
    return visible_or_404(request, Building, pk=building_id)


@router.post("", response={201: BuildingSchema}, summary="新建楼宇")
def create_building(request: HttpRequest, payload: BuildingIn) -> Status[Building]:
    require_create(request, Building)
    building = Building()
    assign(building, payload.dict())
    return Status(201, save_record(request.user, building))


@router.patch("/{building_id}", response=BuildingSchema, summary="修改楼宇")
def update_building(request: HttpRequest, building_id: int, payload: BuildingPatch) -> Building:
    building = visible_or_404(request, Building, pk=building_id)
    assign(building, payload.dict(exclude_unset=True))
    return save_record(request.user, building)


@router.delete("/{building_id}", response={204: None}, summary="删除楼宇")
def delete_building(request: HttpRequest, building_id: int) -> Status[None]:
    delete_record(request.user, visible_or_404(request, Building, pk=building_id))
    return Status(204, None)


# Occupancies: the building is given by its code, the enterprise by its USCC.


class OccupancySchema(Schema):
    id: int
    building: str
    building_name: str
    unit: str
    enterprise: str
    enterprise_name: str
    area: Decimal
    moved_in_on: date
    moved_out_on: date | None
    batch: int | None

    @staticmethod
    def resolve_building(obj: Occupancy) -> str:
        return obj.building.code

    @staticmethod
    def resolve_building_name(obj: Occupancy) -> str:
        return obj.building.name

    @staticmethod
    def resolve_unit(obj: Occupancy) -> str:
        return obj.building.unit.code

    @staticmethod
    def resolve_enterprise(obj: Occupancy) -> str:
        return obj.enterprise.uscc

    @staticmethod
    def resolve_enterprise_name(obj: Occupancy) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_batch(obj: Occupancy) -> int | None:
        return obj.batch_id


class OccupancyIn(Schema):
    building: str
    enterprise: str
    area: Decimal
    moved_in_on: date
    moved_out_on: date | None = None


class OccupancyPatch(Schema):
    building: str | None = None
    enterprise: str | None = None
    area: Decimal | None = None
    moved_in_on: date | None = None
    moved_out_on: date | None = None


def assign_occupancy(request: HttpRequest, occupancy: Occupancy, data: dict[str, Any]) -> None:
    """Copy the payload onto the occupancy; a building or enterprise the caller may not see is unknown
    to them (`core.references`)."""
    if "building" in data:
        code = data.pop("building")
        building = resolve_reference(request.user, Building, code=code)
        if building is None:
            raise HttpError(400, f"楼宇台账中没有编码为“{code}”的楼宇（或不在您的数据范围内）。")
        occupancy.building = building
    if "enterprise" in data:
        uscc = normalize_uscc(data.pop("enterprise") or "")
        enterprise = resolve_reference(request.user, Enterprise, uscc=uscc)
        if enterprise is None:
            raise HttpError(400, f"企业台账中没有统一社会信用代码为“{uscc}”的企业（或不在您的数据范围内）。")
        occupancy.enterprise = enterprise
    assign(occupancy, data)


def occupancies(request: HttpRequest) -> Any:
    return Occupancy.objects.visible_to(request.user).select_related(
        "building", "building__unit", "enterprise"
    )


@occupancy_router.get("", response=list[OccupancySchema], summary="入驻记录列表（按数据范围过滤）")
@paginate
def list_occupancies(request: HttpRequest, filters: Query[OccupancyFilterSet]):  # type: ignore[no-untyped-def]
    return filters.filter(occupancies(request))


@occupancy_router.get("/{occupancy_id}", response=OccupancySchema, summary="入驻记录详情")
def get_occupancy(request: HttpRequest, occupancy_id: int) -> Occupancy:
    return visible_or_404(request, Occupancy, pk=occupancy_id)


@occupancy_router.post("", response={201: OccupancySchema}, summary="新建入驻记录")
def create_occupancy(request: HttpRequest, payload: OccupancyIn) -> Status[Occupancy]:
    require_create(request, Occupancy)
    occupancy = Occupancy()
    assign_occupancy(request, occupancy, payload.dict())
    return Status(201, save_record(request.user, occupancy))


@occupancy_router.patch("/{occupancy_id}", response=OccupancySchema, summary="修改入驻记录")
def update_occupancy(request: HttpRequest, occupancy_id: int, payload: OccupancyPatch) -> Occupancy:
    occupancy = visible_or_404(request, Occupancy, pk=occupancy_id)
    assign_occupancy(request, occupancy, payload.dict(exclude_unset=True))
    return save_record(request.user, occupancy)


@occupancy_router.delete("/{occupancy_id}", response={204: None}, summary="删除入驻记录")
def delete_occupancy(request: HttpRequest, occupancy_id: int) -> Status[None]:
    occupancy = visible_or_404(request, Occupancy, pk=occupancy_id)
    delete_record(request.user, occupancy)
    return Status(204, None)
