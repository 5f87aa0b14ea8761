"""The navigation each role sees: only what it may use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mantianxing.core.scoping import ScopeKind, scope_of


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
    if scope.kind in (ScopeKind.CITY, ScopeKind.UNIT, ScopeKind.BUILDING):
        items.append(NavItem(_("楼宇台账"), reverse("carriers:building_list"), "apartment"))
    if scope.kind in (ScopeKind.CITY, ScopeKind.UNIT, ScopeKind.ENTERPRISE):
        items.append(NavItem(_("企业台账"), reverse("enterprises:enterprise_list"), "business_center"))
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
