"""Bulletins over the API: the same files as the page and `mtx bulletin`."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.errors import HttpError

from mantianxing.bulletins.access import check_read
from mantianxing.bulletins.files import render
from mantianxing.bulletins.gather import BulletinError, gather

router = Router(tags=["讲评通报"])


def _file(request: HttpRequest, period: str, kind: str) -> HttpResponse:
    check_read(request.user)
    try:
        bulletin = gather(period)
    except BulletinError as error:
        raise HttpError(400, str(error)) from None
    return render(bulletin, kind).response()


@router.get("/{period}/docx", summary="讲评通报（Word 文档）")
def docx(request: HttpRequest, period: str) -> HttpResponse:
    """期间为已结束的月份（2026-06）、半年（2026H1）或年度（2026）。"""
    return _file(request, period, "docx")


@router.get("/{period}/xlsx", summary="讲评通报附表（Excel）")
def xlsx(request: HttpRequest, period: str) -> HttpResponse:
    """排名（含稳健性）、进度、滞后、数据质量四张表。"""
    return _file(request, period, "xlsx")
