from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from mantianxing.geo.choices import UnitGroup
from mantianxing.geo.lookup import successors, unit_on
from mantianxing.geo.models import ReferenceDataset, Unit


def _date_param(request: HttpRequest, name: str = "on") -> date:
    try:
        return date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return timezone.localdate()


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    on = _date_param(request)
    show_all = request.GET.get("all") == "1"
    units = list(Unit.objects.all() if show_all else Unit.objects.valid_on(on))
    central = set(Unit.objects.in_group(UnitGroup.CENTRAL, on).values_list("pk", flat=True))
    ranked = set(Unit.objects.in_group(UnitGroup.RANKED_2022, on).values_list("pk", flat=True))
    place = request.GET.get("place", "").strip()
    context = {
        "on": on,
        "show_all": show_all,
        "rows": [(u, u.pk in central, u.pk in ranked) for u in units],
        "dataset": ReferenceDataset.objects.filter(name="divisions").first(),
        "place": place,
        "resolved": unit_on(place, on) if place else None,
    }
    return render(request, "geo/unit_list.html", context)


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=pk)
    today = timezone.localdate()
    context = {
        "unit": unit,
        "today": today,
        "current": successors(unit, today),
        "successions": unit.successions.select_related("successor"),
        "precessions": unit.precessions.select_related("predecessor"),
        "memberships": unit.memberships.all(),
    }
    return render(request, "geo/unit_detail.html", context)
