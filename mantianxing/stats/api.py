"""Monthly statistics (经营数据), year-to-date, in 万元: list, read, create and correct."""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from mantianxing.core.api_helpers import require_create, visible_or_404
from mantianxing.core.filtering import Month
from mantianxing.core.services import save_record
from mantianxing.enterprises.models import Enterprise
from mantianxing.lib.identifiers import normalize_uscc
from mantianxing.stats.filters import StatisticsFilterSet
from mantianxing.stats.models import MonthlyStatistics

router = Router(tags=["经营数据"])


class StatisticsSchema(Schema):
    id: int
    enterprise: str
    enterprise_name: str
    unit: str
    month: str  # YYYY-MM
    software_revenue: Decimal | None
    product_revenue: Decimal | None
    it_service_revenue: Decimal | None
    security_revenue: Decimal | None
    embedded_revenue: Decimal | None
    rd_expense: Decimal | None
    headcount: int | None
    operating_revenue: Decimal | None
    main_business_revenue: Decimal | None
    batch: int | None

    @staticmethod
    def resolve_enterprise(obj: MonthlyStatistics) -> str:
        return obj.enterprise.uscc

    @staticmethod
    def resolve_enterprise_name(obj: MonthlyStatistics) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_unit(obj: MonthlyStatistics) -> str:
        return obj.enterprise.unit.code

    @staticmethod
    def resolve_month(obj: MonthlyStatistics) -> str:
        return f"{obj.month:%Y-%m}"

    @staticmethod
    def resolve_batch(obj: MonthlyStatistics) -> int | None:
        return obj.batch_id


class StatisticsIn(Schema):
    enterprise: str  # USCC
    month: Month  # YYYY-MM
    software_revenue: Decimal | None = None
    product_revenue: Decimal | None = None
    it_service_revenue: Decimal | None = None
    security_revenue: Decimal | None = None
    embedded_revenue: Decimal | None = None
    rd_expense: Decimal | None = None
    headcount: int | None = None
    operating_revenue: Decimal | None = None
    main_business_revenue: Decimal | None = None


class StatisticsPatch(Schema):
    enterprise: str | None = None
    month: Month | None = None
    software_revenue: Decimal | None = None
    product_revenue: Decimal | None = None
    it_service_revenue: Decimal | None = None
    security_revenue: Decimal | None = None
    embedded_revenue: Decimal | None = None
    rd_expense: Decimal | None = None
    headcount: int | None = None
    operating_revenue: Decimal | None = None
    main_business_revenue: Decimal | None = None


def assign_statistics(request: HttpRequest, row: MonthlyStatistics, data: dict[str, Any]) -> None:
    """Copy the payload onto the row; the enterprise must be one the caller keeps."""
    if "enterprise" in data:
        uscc = normalize_uscc(data.pop("enterprise") or "")
        enterprise = Enterprise.objects.visible_to(request.user).filter(uscc=uscc).first()
        if enterprise is None:
            raise HttpError(400, f"企业台账中没有统一社会信用代码为“{uscc}”的企业（或不在您的数据范围内）。")
        row.enterprise = enterprise
    for field, value in data.items():
        setattr(row, field, value)


@router.get("", response=list[StatisticsSchema], summary="经营数据列表（按数据范围过滤）")
@paginate
def list_statistics(request: HttpRequest, filters: Query[StatisticsFilterSet]):  # type: ignore[no-untyped-def]
    rows = MonthlyStatistics.objects.visible_to(request.user).select_related("enterprise", "enterprise__unit")
    return filters.filter(rows).order_by("-month", "enterprise_id", "pk")


@router.get("/{statistics_id}", response=StatisticsSchema, summary="经营数据详情")
def get_statistics(request: HttpRequest, statistics_id: int) -> MonthlyStatistics:
    return visible_or_404(request, MonthlyStatistics, pk=statistics_id)


@router.post("", response={201: StatisticsSchema}, summary="新建经营数据")
def create_statistics(request: HttpRequest, payload: StatisticsIn) -> Status[MonthlyStatistics]:
    require_create(request, MonthlyStatistics)
    row = MonthlyStatistics()
    assign_statistics(request, row, payload.dict())
    return Status(201, save_record(request.user, row))


@router.patch("/{statistics_id}", response=StatisticsSchema, summary="修改经营数据")
def update_statistics(
    request: HttpRequest, statistics_id: int, payload: StatisticsPatch
) -> MonthlyStatistics:
    row = visible_or_404(request, MonthlyStatistics, pk=statistics_id)
    assign_statistics(request, row, payload.dict(exclude_unset=True))
    return save_record(request.user, row)
