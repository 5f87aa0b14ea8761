"""Evaluation over JSON: schemes, runs and their publication, through the same services as the pages.

A run the caller may not see answers 404 (districts see the current published run of each scheme
and period only, never a draft or a superseded run); a role that may not act 403; a scheme or period
that cannot be used 400 with every problem listed; a publication refused by the runs' state (a
superseded run, a racing publisher) 409. `status` is `draft`, `current` or `superseded`, with
`superseded_by` and `supersedes` the ids of the linked runs.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from mantianxing.core.scoping import is_city_office
from mantianxing.evaluation import services
from mantianxing.evaluation.inputs import InputError
from mantianxing.evaluation.models import Run, Scheme
from mantianxing.evaluation.schemes import SchemeError, dump_yaml, load_yaml

router = Router(tags=["评价奖励"])


class SchemeOut(Schema):
    id: int
    name: str
    version: int
    sha256: str
    assumption: bool
    body: dict[str, Any]
    created_at: datetime


class SchemeIn(Schema):
    yaml: str | None = None
    scheme: dict[str, Any] | None = None


class RunSummary(Schema):
    id: int
    period: str
    plan: str
    scheme: str
    scheme_version: int
    sha256: str
    draws: int
    seed: int
    published: bool
    status: str
    status_label: str
    superseded_by: int | None
    supersedes: int | None
    created_at: datetime

    @staticmethod
    def resolve_plan(obj: Run) -> str:
        return obj.plan.code

    @staticmethod
    def resolve_scheme(obj: Run) -> str:
        return obj.scheme.name

    @staticmethod
    def resolve_scheme_version(obj: Run) -> int:
        return obj.scheme.version

    @staticmethod
    def resolve_published(obj: Run) -> bool:
        return obj.is_published

    @staticmethod
    def resolve_status(obj: Run) -> str:
        return obj.status.value

    @staticmethod
    def resolve_status_label(obj: Run) -> str:
        return str(obj.status.label)

    @staticmethod
    def resolve_superseded_by(obj: Run) -> int | None:
        return obj.superseded_by_id

    @staticmethod
    def resolve_supersedes(obj: Run) -> int | None:
        replaced = obj.replaced
        return None if replaced is None else replaced.pk


class RunIn(Schema):
    period: str
    scheme_id: int | None = None
    scheme_name: str | None = None
    draws: int = services.DEFAULT_DRAWS
    seed: int | None = None
    publish: bool = False


class VerificationOut(Schema):
    reproduced: bool
    hashes_match: bool
    data_unchanged: bool | None
    robustness_reproduced: bool | None


@contextmanager
def _conflicts_as_409() -> Iterator[None]:
    try:
        yield
    except services.PublishConflict as error:
        raise HttpError(409, error.messages[0]) from None


def _city_office_scheme(request: HttpRequest, scheme_id: int) -> Scheme:
    if not is_city_office(request.user):
        raise PermissionDenied("只有市专班可以查看和修改评价方案。")
    return get_object_or_404(Scheme, pk=scheme_id)


def _run(request: HttpRequest, run_id: int) -> Run:
    try:
        return get_object_or_404(services.runs_visible_to(request.user), pk=run_id)
    except PermissionDenied:
        raise Http404 from None


@router.get("/schemes", response=list[SchemeOut], summary="评价方案（各版本）")
def list_schemes(request: HttpRequest) -> Any:
    if not is_city_office(request.user):
        raise PermissionDenied("只有市专班可以查看和修改评价方案。")
    return Scheme.objects.order_by("name", "-version")


@router.get("/schemes/{scheme_id}", response=SchemeOut, summary="一个方案版本")
def get_scheme(request: HttpRequest, scheme_id: int) -> Scheme:
    return _city_office_scheme(request, scheme_id)


@router.get("/schemes/{scheme_id}/yaml", summary="方案版本导出为 YAML")
def get_scheme_yaml(request: HttpRequest, scheme_id: int) -> HttpResponse:
    scheme = _city_office_scheme(request, scheme_id)
    return HttpResponse(dump_yaml(scheme.body), content_type="application/x-yaml; charset=utf-8")


@router.post("/schemes", response={201: SchemeOut}, summary="保存方案（YAML 文本或 JSON），同名则为新版本")
def save_scheme(request: HttpRequest, payload: SchemeIn) -> Any:
    try:
        data = load_yaml(payload.yaml) if payload.yaml is not None else payload.scheme
        return Status(201, services.save_scheme(request.user, data))
    except SchemeError as error:
        raise HttpError(400, str(error)) from None


@router.get("/runs", response=list[RunSummary], summary="评价运行（区县只见现行发布的，市级可见已被替代的）")
def list_runs(request: HttpRequest) -> Any:
    return services.runs_visible_to(request.user)[:500]


@router.post(
    "/runs", response={201: dict[str, Any]}, summary="进行一次评价（同一方案、同一数据返回已有的运行）"
)
def create_run(request: HttpRequest, payload: RunIn) -> Any:
    try:
        if payload.scheme_id is not None:
            scheme = get_object_or_404(Scheme, pk=payload.scheme_id)
        else:
            scheme = services.scheme_for(payload.period, payload.scheme_name)
        run = services.run_evaluation(
            request.user, payload.period, scheme, draws=payload.draws, seed=payload.seed
        )
        if payload.publish:
            with _conflicts_as_409():
                run = services.publish(request.user, run)
    except InputError as error:
        raise HttpError(400, str(error)) from None
    return Status(201, run.as_dict())


@router.get(
    "/runs/{run_id}", response=dict[str, Any], summary="一次评价：方案、哈希、按名次排列的结果与稳健性"
)
def get_run(request: HttpRequest, run_id: int) -> Any:
    return _run(request, run_id).as_dict()


@router.post(
    "/runs/{run_id}/publish",
    response=dict[str, Any],
    summary="发布评价结果（区县可见）；同一方案、同一评价期此前发布的运行标为已被替代",
)
def publish_run(request: HttpRequest, run_id: int) -> Any:
    with _conflicts_as_409():
        return services.publish(request.user, _run(request, run_id)).as_dict()


@router.get("/runs/{run_id}/verify", response=VerificationOut, summary="核验：重算、比对哈希与当前数据")
def verify_run(request: HttpRequest, run_id: int) -> Any:
    return services.verify(_run(request, run_id))
