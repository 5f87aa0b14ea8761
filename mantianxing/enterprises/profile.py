"""What the enterprise page shows beside the ledger row, and the save of an enterprise with its focus domains.

The origin (see `mantianxing.enterprises.origin`) is a derived fact: any save of the enterprise, an
occupancy or a roster or statistics month brings it up to date, through whatever door it came.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models, transaction

from mantianxing.carriers.models import Occupancy
from mantianxing.core.services import save_record
from mantianxing.enterprises.choices import Origin
from mantianxing.enterprises.models import Enterprise, EnterpriseOrigin, FocusDomain
from mantianxing.people.models import RosterFiling
from mantianxing.plans.models import Plan
from mantianxing.stats.models import MonthlyStatistics

if TYPE_CHECKING:
    from mantianxing.accounts.models import User

M = TypeVar("M", bound=models.Model)


def save_enterprise(
    actor: User, enterprise: Enterprise, focus_domains: Iterable[FocusDomain] | None
) -> Enterprise:
    """Save the enterprise and, when given, its focus domains, in one transaction."""
    with transaction.atomic():
        save_record(actor, enterprise)
        if focus_domains is not None:
            enterprise.focus_domains.set(focus_domains)
    return enterprise


@dataclass(frozen=True)
class PlanOrigin:
    """The computed origin of one enterprise in one plan, beside the district's claim."""

    plan: Plan
    computed: EnterpriseOrigin | None
    agrees: bool | None  # None: nothing claimed or nothing computed, so nothing to compare


def origins_by_plan(
    enterprise: Enterprise, rows: Iterable[EnterpriseOrigin] | None = None
) -> list[PlanOrigin]:
    """One entry per plan, in plan order; `rows` are the enterprise's origins if already loaded."""
    if rows is None:
        rows = enterprise.origins.select_related("credited_unit")
    by_plan = {row.plan_id: row for row in rows}
    result = []
    for plan in Plan.objects.all():
        computed = by_plan.get(plan.pk)
        agrees = None
        if computed is not None and enterprise.claimed_origin:
            agrees = computed.origin == enterprise.claimed_origin
        result.append(PlanOrigin(plan, computed, agrees))
    return result


def claim_disputed(origins: list[PlanOrigin]) -> bool:
    """The rule of `disputed_enterprises`: a claim is disputed when it agrees with no plan's origin."""
    compared = [entry.agrees for entry in origins if entry.agrees is not None]
    return bool(compared) and not any(compared)


def claimed_label(enterprise: Enterprise) -> str:
    return str(Origin(enterprise.claimed_origin).label) if enterprise.claimed_origin else ""


@dataclass(frozen=True)
class Locations:
    """The enterprise's occupancies the user may see, and how many others exist outside their scope."""

    rows: list[Occupancy]
    hidden: int


def locations(enterprise: Enterprise, user: Any) -> Locations:
    everything = Occupancy.objects.filter(enterprise=enterprise)
    rows = list(
        Occupancy.objects.visible_to(user)
        .filter(enterprise=enterprise)
        .select_related("building", "building__unit", "batch")
        .order_by("moved_in_on", "pk")
    )
    return Locations(rows, everything.count() - len(rows))


def roster_months(enterprise: Enterprise, user: Any) -> list[RosterFiling]:
    """The monthly roster filings (headcount per month), newest first."""
    return list(
        RosterFiling.objects.visible_to(user)
        .filter(enterprise=enterprise)
        .select_related("batch")
        .order_by("-month")
    )


def statistics_rows(enterprise: Enterprise, user: Any) -> list[MonthlyStatistics]:
    """The monthly statistics, newest first."""
    return list(
        MonthlyStatistics.objects.visible_to(user)
        .filter(enterprise=enterprise)
        .select_related("batch")
        .order_by("-month")
    )
