"""The navigation each role sees: only what it may use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mantianxing.core.scoping import ScopeKind, is_city_office, scope_of


@dataclass(frozen=True)
class NavItem:
    label: Any
    url: str
    icon: str


def items_for(request: HttpRequest) -> list[NavItem]:
    scope = scope_of(getattr(request, "user", None))
    if scope is None:
        return []
    items = [NavItem(_("首页"), reverse("home"), "home")]
    if scope.kind in (ScopeKind.CITY, ScopeKind.UNIT):
        items.append(NavItem(_("成效监测"), reverse("monitoring:dashboard"), "query_stats"))
    items.append(NavItem(_("楼宇台账"), reverse("carriers:building_list"), "apartment"))
    items.append(NavItem(_("入驻记录"), reverse("carriers:occupancy_list"), "meeting_room"))
    items.append(NavItem(_("企业台账"), reverse("enterprises:enterprise_list"), "business_center"))
    if scope.kind in (ScopeKind.CITY, ScopeKind.UNIT, ScopeKind.ENTERPRISE):
        items.append(NavItem(_("从业人员"), reverse("people:person_list"), "badge"))
        items.append(NavItem(_("经营数据"), reverse("stats:statistics_list"), "monitoring"))
    if scope.kind in (ScopeKind.CITY, ScopeKind.UNIT):
        items.append(NavItem(_("月报"), reverse("reporting:report_list"), "edit_calendar"))
        items.append(NavItem(_("评价奖励"), reverse("evaluation:run_list"), "leaderboard"))
        items.append(NavItem(_("讲评通报"), reverse("bulletins:index"), "article"))
        items.append(NavItem(_("荣誉认定"), reverse("honours:building_list"), "workspace_premium"))
    if not scope.read_only:
        items.append(NavItem(_("数据导入"), reverse("imports:upload"), "upload_file"))
    items.append(NavItem(_("导入批次"), reverse("imports:batch_list"), "inventory_2"))
    items.append(NavItem(_("口径说明"), reverse("rules"), "rule"))
    if scope.kind is ScopeKind.CITY:
        items.append(NavItem(_("数据核验"), reverse("verification"), "fact_check"))
    if is_city_office(request.user):
        items.append(NavItem(_("访问审计"), reverse("audit:audit_list"), "policy"))
    items.append(NavItem(_("行政区划"), reverse("geo:unit_list"), "map"))
    items.append(NavItem(_("接口文档"), reverse("api:openapi-view"), "api"))
    if request.user.is_staff:
        items.append(NavItem(_("管理后台"), reverse("admin:index"), "admin_panel_settings"))
    return items


def navigation(request: HttpRequest) -> dict[str, Any]:
    items = items_for(request)
    # The active item is the one whose address is the longest prefix of the page's.
    matching = [item for item in items if request.path.startswith(item.url)]
    active = max(matching, key=lambda item: len(item.url), default=None)
    return {"nav_items": items, "active_nav": [active] if active else []}
