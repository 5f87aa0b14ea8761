"""Single-row writes to a ledger mark the indicators stale; bulk imports call `mark_stale` themselves."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from mantianxing.carriers.models import Building, Occupancy
from mantianxing.enterprises.models import Enterprise, EnterpriseOrigin, Honour
from mantianxing.geo.models import Succession, Unit
from mantianxing.imports.models import ImportBatch
from mantianxing.imports.signals import batch_written
from mantianxing.monitoring.compute import mark_stale
from mantianxing.people.models import EmploymentSpell, RosterFiling
from mantianxing.stats.models import MonthlyStatistics

SOURCES = (
    Building,
    Occupancy,
    Enterprise,
    EnterpriseOrigin,
    Honour,
    EmploymentSpell,
    RosterFiling,
    MonthlyStatistics,
    Unit,
    Succession,
)


def ledger_changed(sender: type, **kwargs: Any) -> None:
    mark_stale()


for source in SOURCES:
    post_save.connect(ledger_changed, sender=source, dispatch_uid=f"monitoring-stale-{source.__name__}-save")
    post_delete.connect(
        ledger_changed, sender=source, dispatch_uid=f"monitoring-stale-{source.__name__}-delete"
    )
batch_written.connect(ledger_changed, sender=ImportBatch, dispatch_uid="monitoring-stale-import")
