from decimal import Decimal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from mantianxing.carriers.choices import BuildingStatus
from mantianxing.carriers.filters import BuildingFilterSet
from mantianxing.carriers.models import Building
from mantianxing.core.api_helpers import assign, require_create, visible_or_404
from mantianxing.core.services import delete_record, save_record

router = Router(tags=["楼宇"])


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
    move_in_ready: bool

    @staticmethod
    def resolve_unit(obj: Building) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_unit_name(obj: Building) -> str:
        return obj.unit.name


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
