"""Evaluation pages: the runs, one run explained, and the schemes.

Views stay thin: every change is one call of `mantianxing.evaluation.services`. A run a user may not
see answers 404 (a district officer sees only the current published run of a scheme and period); an
action the role may not take 403. The city office sees superseded runs, marked 已被替代 and linked to
the run that replaced them.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from mantianxing.core.scoping import is_city_office
from mantianxing.evaluation import services
from mantianxing.evaluation.explain import explain
from mantianxing.evaluation.exports import run_workbook
from mantianxing.evaluation.forms import RunForm, SchemeForm
from mantianxing.evaluation.inputs import InputError, complete_periods
from mantianxing.evaluation.models import Run, Scheme
from mantianxing.evaluation.schemes import (
    NORMALIZATIONS,
    PERIODS,
    UNIT_SETS,
    SchemeError,
    dump_yaml,
    load_yaml,
)
from mantianxing.monitoring.definitions import DEFINITIONS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _visible_run(request: HttpRequest, pk: int) -> Run:
    try:
        runs = services.runs_visible_to(request.user)
    except PermissionDenied:
        raise Http404 from None
    return get_object_or_404(runs, pk=pk)


@login_required
def run_list(request: HttpRequest) -> HttpResponse:
    runs = services.runs_visible_to(request.user)  # PermissionDenied → 403
    city_office = is_city_office(request.user)
    if request.method == "POST" and not city_office:
        raise PermissionDenied
    # Only the city office starts runs: the form and its choices are built for it alone.
    schemes = services.latest_schemes() if city_office else []
    periods = complete_periods() if city_office else []
    form = RunForm(schemes=schemes, initial={"period": periods[0] if periods else ""})
    if request.method == "POST":
        form = RunForm(request.POST, schemes=schemes)
        if form.is_valid():
            try:
                run = services.run_evaluation(
                    request.user,
                    form.cleaned_data["period"].strip(),
                    form.cleaned_data["scheme"],
                    draws=form.cleaned_data["draws"],
                    seed=form.cleaned_data["seed"],
                )
            except InputError as error:
                form.add_error("period", str(error))
            else:
                messages.success(request, f"评价运行 #{run.pk} 已完成。")
                return redirect("evaluation:run_detail", pk=run.pk)
    return render(
        request,
        "evaluation/run_list.html",
        {
            "runs": runs[:200],
            "form": form,
            "city_office": city_office,
            "city_scope": services.sees_superseded(request.user),
            "periods": periods,
            "schemes": schemes,
        },
    )


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = _visible_run(request, pk)
    items = run.scheme_body["indicators"]
    units = run.scheme_body["units"]
    explanations = explain(run.scheme_body, run.inputs, run.result)
    robustness = {row["unit"]: row for row in (run.robustness or {}).get("units", [])}
    rows = [(e, robustness.get(e.row["unit"])) for e in explanations]
    verification = services.verify(run) if request.GET.get("verify") else None
    city_office = is_city_office(request.user)
    # What publishing this draft would replace, said on the button before it is pressed.
    current = (
        Run.objects.current().filter(scheme_name=run.scheme_name, period=run.period).first()
        if city_office and not run.is_published
        else None
    )
    return render(
        request,
        "evaluation/run_detail.html",
        {
            "run": run,
            "definitions": [DEFINITIONS[item["code"]] for item in items],
            "weights": [(DEFINITIONS[item["code"]], item) for item in items],
            "unit_set": UNIT_SETS[units] if isinstance(units, str) else "指定名单",
            "rows": rows,
            "tiers": (run.robustness or {}).get("tiers", []),
            "city_office": city_office,
            "city_scope": services.sees_superseded(request.user),
            "current": current,
            "verification": verification,
            "normalizations": NORMALIZATIONS,
        },
    )


@login_required
@require_POST
def run_publish(request: HttpRequest, pk: int) -> HttpResponse:
    run = _visible_run(request, pk)
    try:
        run = services.publish(request.user, run)
    except services.PublishConflict as error:
        messages.error(request, error.messages[0])
    else:
        replaced = run.replaced
        tail = f"；#{replaced.pk} 已被替代" if replaced else ""
        messages.success(request, f"评价运行 #{run.pk} 已发布，各区县可以查看{tail}。")
    return redirect("evaluation:run_detail", pk=run.pk)


@login_required
def run_json(request: HttpRequest, pk: int) -> HttpResponse:
    run = _visible_run(request, pk)
    body = json.dumps(run.as_dict(), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="evaluation-{run.period}-{run.pk}.json"'
    return response


@login_required
def run_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    run = _visible_run(request, pk)
    response = HttpResponse(run_workbook(run), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="evaluation-{run.period}-{run.pk}.xlsx"'
    return response


def _require_city_office(request: HttpRequest) -> None:
    if not is_city_office(request.user):
        raise PermissionDenied("只有市专班可以查看和修改评价方案。")


@login_required
def scheme_list(request: HttpRequest) -> HttpResponse:
    _require_city_office(request)
    latest = {scheme.pk for scheme in services.latest_schemes()}
    schemes = Scheme.objects.select_related("created_by").order_by("name", "-version")
    return render(request, "evaluation/scheme_list.html", {"schemes": schemes, "latest": latest})


@login_required
def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_city_office(request)
    scheme = get_object_or_404(Scheme, pk=pk)
    return render(
        request,
        "evaluation/scheme_detail.html",
        {"scheme": scheme, "yaml": dump_yaml(scheme.body), "runs": scheme.runs.select_related("plan")[:50]},
    )


@login_required
def scheme_yaml(request: HttpRequest, pk: int) -> HttpResponse:
    _require_city_office(request)
    scheme = get_object_or_404(Scheme, pk=pk)
    response = HttpResponse(dump_yaml(scheme.body), content_type="application/x-yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="scheme-{scheme.pk}-v{scheme.version}.yaml"'
    return response


@login_required
def scheme_edit(request: HttpRequest) -> HttpResponse:
    """A new scheme, or the next version of one (`?from=<pk>` fills in that version)."""
    _require_city_office(request)
    errors: list[str] = []
    if request.method == "POST":
        form = SchemeForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                scheme = services.save_scheme(request.user, load_yaml(form.cleaned_data["text"]))
            except SchemeError as error:
                errors = error.errors
            else:
                messages.success(request, f"已保存：{scheme}。")
                return redirect("evaluation:scheme_detail", pk=scheme.pk)
    else:
        start = Scheme.objects.filter(pk=request.GET.get("from") or 0).first()
        form = SchemeForm(initial={"text": dump_yaml(start.body) if start else ""})
    return render(request, "evaluation/scheme_form.html", {"form": form, "errors": errors, **_reference()})


def _reference() -> dict[str, Any]:
    return {
        "definitions": DEFINITIONS.values(),
        "normalizations": NORMALIZATIONS,
        "unit_sets": UNIT_SETS,
        "periods": PERIODS,
    }
