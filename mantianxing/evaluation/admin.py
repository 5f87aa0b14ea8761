"""The back office reads schemes and runs; both change only through the services (the pages, the API
and `mtx evaluate`), so that a scheme version or a run is never edited in place. Publishing from the
back office is an action that calls the same service: the earlier run of the scheme and period is
marked 已被替代, as from every other door."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from mantianxing.core.admin import ServiceOnlyAdmin
from mantianxing.evaluation import services
from mantianxing.evaluation.choices import RunStatus
from mantianxing.evaluation.models import Run, Scheme


@admin.register(Scheme)
class SchemeAdmin(ServiceOnlyAdmin):
    list_display = ["name", "version", "assumption", "sha256", "created_at", "created_by"]
    list_filter = ["assumption"]
    search_fields = ["name", "sha256"]


class RunStatusFilter(admin.SimpleListFilter):
    title = "状态"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [(status.value, str(status.label)) for status in RunStatus]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Run]) -> QuerySet[Run]:
        wanted = {
            RunStatus.DRAFT: Q(published_at__isnull=True),
            RunStatus.CURRENT: Q(published_at__isnull=False, superseded_by__isnull=True),
            RunStatus.SUPERSEDED: Q(superseded_by__isnull=False),
        }
        value = self.value()
        return queryset.filter(wanted[RunStatus(value)]) if value in RunStatus.values else queryset


@admin.register(Run)
class RunAdmin(ServiceOnlyAdmin):
    list_display = [
        "pk",
        "period",
        "scheme",
        "plan",
        "draws",
        "seed",
        "status_label",
        "superseded_by",
        "published_at",
        "sha256",
        "created_at",
    ]
    list_filter = [RunStatusFilter, "period", "plan"]
    list_select_related = ["scheme", "plan", "superseded_by"]
    search_fields = ["period", "sha256", "scheme__name"]
    actions = ["publish_selected"]

    @admin.display(description="状态")
    def status_label(self, run: Run) -> str:
        return str(run.status.label)

    @admin.action(description="发布所选评价运行（同一方案、同一评价期此前发布的标为已被替代）")
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[Run]) -> None:
        for run in queryset.order_by("created_at"):
            try:
                published = services.publish(request.user, run)
            except (PermissionDenied, services.PublishConflict) as error:
                text = error.messages[0] if isinstance(error, services.PublishConflict) else str(error)
                self.message_user(request, f"#{run.pk}：{text}", messages.ERROR)
            else:
                replaced = published.replaced
                tail = f"，#{replaced.pk} 已被替代" if replaced else ""
                self.message_user(request, f"评价运行 #{published.pk} 已发布{tail}。", messages.SUCCESS)
