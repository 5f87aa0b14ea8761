from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from mantianxing.core.api_helpers import assign, require_create, visible_or_404
from mantianxing.core.services import delete_record
from mantianxing.enterprises.filters import EnterpriseFilterSet
from mantianxing.enterprises.models import Enterprise, FocusDomain, IndustryClass
from mantianxing.enterprises.profile import save_enterprise

router = Router(tags=["企业"])


class EnterpriseSchema(Schema):
    id: int
    uscc: str
    name: str
    established_on: date | None
    unit: str
    unit_name: str
    registered_address: str
    industry: str | None
    industry_edition: str | None
    industry_name: str | None
    focus_domains: list[str]
    claimed_origin: str
    batch: int | None

    @staticmethod
    def resolve_unit(obj: Enterprise) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_unit_name(obj: Enterprise) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_industry(obj: Enterprise) -> str | None:
        return obj.industry.code if obj.industry else None

    @staticmethod
    def resolve_industry_edition(obj: Enterprise) -> str | None:
        return obj.industry.edition if obj.industry else None

    @staticmethod
    def resolve_industry_name(obj: Enterprise) -> str | None:
        return obj.industry.name if obj.industry else None

    @staticmethod
    def resolve_focus_domains(obj: Enterprise) -> list[str]:
        return [domain.code for domain in obj.focus_domains.all()]

    @staticmethod
    def resolve_batch(obj: Enterprise) -> int | None:
        return obj.batch_id


class EnterpriseIn(Schema):
    uscc: str
    name: str
    unit: str
    established_on: date | None = None
    registered_address: str = ""
    industry: str | None = None  # GB/T 4754 class code, latest edition held (2017)
    focus_domains: list[str] = []  # codes or names
    claimed_origin: str = ""  # established, introduced, existing, relocated or empty


class EnterprisePatch(Schema):
    name: str | None = None
    unit: str | None = None
    established_on: date | None = None
    registered_address: str | None = None
    industry: str | None = None
    focus_domains: list[str] | None = None
    claimed_origin: str | None = None


def enterprises(request: HttpRequest) -> QuerySet[Enterprise]:
    return (
        Enterprise.objects.visible_to(request.user)
        .select_related("unit", "industry")
        .prefetch_related("focus_domains")
    )


def industry_by_code(code: str | None) -> IndustryClass | None:
    """The class with this code in the latest edition held; the edition is stored with it."""
    if not code:
        return None
    industry = IndustryClass.objects.filter(code=code.strip()).order_by("-edition").first()
    if industry is None:
        raise HttpError(400, f"“{code}”不是已知的 GB/T 4754 行业小类代码。")
    return industry


def domains_by_code(values: list[str]) -> list[FocusDomain]:
    wanted = {value.strip() for value in values if value.strip()}
    found = list(FocusDomain.objects.filter(Q(code__in=wanted) | Q(name__in=wanted)))
    unknown = wanted - {d.code for d in found} - {d.name for d in found}
    if unknown:
        # Worded as the import's error; the API takes the canonical codes or names, not synonyms.
        names = "、".join(FocusDomain.objects.order_by("position").values_list("name", flat=True))
        shown = "、".join(f"“{value}”" for value in sorted(unknown))
        raise HttpError(400, f"重点领域：{shown}不是可选值，可选：{names}")
    return found


def write(request: HttpRequest, enterprise: Enterprise, data: dict[str, Any]) -> Enterprise:
    domains = data.pop("focus_domains", None)
    if "industry" in data:
        enterprise.industry = industry_by_code(data.pop("industry"))
    if data.get("claimed_origin") is None:
        data.pop("claimed_origin", None)
    assign(enterprise, data)
    return save_enterprise(request.user, enterprise, None if domains is None else domains_by_code(domains))


@router.get("", response=list[EnterpriseSchema], summary="企业列表（按数据范围过滤）")
@paginate
def list_enterprises(request: HttpRequest, filters: Query[EnterpriseFilterSet]):  # type: ignore[no-untyped-def]
    return filters.filter(enterprises(request))


@router.get("/{enterprise_id}", response=EnterpriseSchema, summary="企业详情")
def get_enterprise(request: HttpRequest, enterprise_id: int) -> Enterprise:
    return visible_or_404(request, Enterprise, pk=enterprise_id)


@router.post("", response={201: EnterpriseSchema}, summary="新建企业")
def create_enterprise(request: HttpRequest, payload: EnterpriseIn) -> Status[Enterprise]:
    require_create(request, Enterprise)
    return Status(201, write(request, Enterprise(), payload.dict()))


@router.patch("/{enterprise_id}", response=EnterpriseSchema, summary="修改企业")
def update_enterprise(request: HttpRequest, enterprise_id: int, payload: EnterprisePatch) -> Enterprise:
    enterprise = visible_or_404(request, Enterprise, pk=enterprise_id)
    return write(request, enterprise, payload.dict(exclude_unset=True))


@router.delete("/{enterprise_id}", response={204: None}, summary="删除企业")
def delete_enterprise(request: HttpRequest, enterprise_id: int) -> Status[None]:
    delete_record(request.user, visible_or_404(request, Enterprise, pk=enterprise_id))
    return Status(204, None)
