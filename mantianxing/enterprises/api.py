from datetime import date

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from mantianxing.core.api_helpers import assign, require_create, visible_or_404
from mantianxing.core.services import delete_record, save_record
from mantianxing.enterprises.filters import EnterpriseFilterSet
from mantianxing.enterprises.models import Enterprise

router = Router(tags=["企业"])


class EnterpriseSchema(Schema):
    id: int
    uscc: str
    name: str
    established_on: date | None
    unit: str
    unit_name: str
    registered_address: str

    @staticmethod
    def resolve_unit(obj: Enterprise) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_unit_name(obj: Enterprise) -> str:
        return obj.unit.name


class EnterpriseIn(Schema):
    uscc: str
    name: str
    unit: str
    established_on: date | None = None
    registered_address: str = ""


class EnterprisePatch(Schema):
    name: str | None = None
    unit: str | None = None
    established_on: date | None = None
    registered_address: str | None = None


@router.get("", response=list[EnterpriseSchema], summary="企业列表（按数据范围过滤）")
@paginate
def list_enterprises(request: HttpRequest, filters: Query[EnterpriseFilterSet]):  # type: ignore[no-untyped-def]
    return filters.filter(Enterprise.objects.visible_to(request.user).select_related("unit"))


@router.get("/{enterprise_id}", response=EnterpriseSchema, summary="企业详情")
def get_enterprise(request: HttpRequest, enterprise_id: int) -> Enterprise:
    return visible_or_404(request, Enterprise, pk=enterprise_id)


@router.post("", response={201: EnterpriseSchema}, summary="新建企业")
def create_enterprise(request: HttpRequest, payload: EnterpriseIn) -> Status[Enterprise]:
    require_create(request, Enterprise)
    enterprise = Enterprise()
    assign(enterprise, payload.dict())
    return Status(201, save_record(request.user, enterprise))


@router.patch("/{enterprise_id}", response=EnterpriseSchema, summary="修改企业")
def update_enterprise(request: HttpRequest, enterprise_id: int, payload: EnterprisePatch) -> Enterprise:
    enterprise = visible_or_404(request, Enterprise, pk=enterprise_id)
    assign(enterprise, payload.dict(exclude_unset=True))
    return save_record(request.user, enterprise)


@router.delete("/{enterprise_id}", response={204: None}, summary="删除企业")
def delete_enterprise(request: HttpRequest, enterprise_id: int) -> Status[None]:
    delete_record(request.user, visible_or_404(request, Enterprise, pk=enterprise_id))
    return Status(204, None)
