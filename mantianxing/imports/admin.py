from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from mantianxing.core.admin import ReadOnlyAdmin
from mantianxing.imports.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    """Batches are written only by the import pipeline; each user sees those of their scope."""

    list_display = [
        "id",
        "ledger",
        "file_name",
        "short_sha256",
        "created_by",
        "created_at",
        "rows",
        "imported",
    ]
    list_filter = ["ledger"]
    search_fields = ["file_name", "sha256"]
    list_select_related = ["created_by"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "ledger",
        "file_name",
        "sha256",
        "created_by",
        "created_at",
        "run_id",
        "rows",
        "valid",
        "imported",
        "skipped",
        "errors",
    ]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        # ReadOnlyAdmin is for reference data everyone reads; batches are scoped like the ledgers.
        return super().get_queryset(request).visible_to(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    @admin.display(description="SHA-256")
    def short_sha256(self, obj: ImportBatch) -> str:
        return obj.sha256[:12]
