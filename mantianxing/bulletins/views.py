"""The bulletin page (choose a period, preview, download) and the two downloads."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from mantianxing.bulletins import prose
from mantianxing.bulletins.access import check_read
from mantianxing.bulletins.files import render as render_file
from mantianxing.bulletins.gather import BulletinError, bulletin_periods, gather


@login_required
def index(request: HttpRequest) -> HttpResponse:
    check_read(request.user)
    periods = bulletin_periods()
    asked = request.GET.get("period") or (periods[0][1][0][0] if periods else "")
    bulletin = None
    if asked:
        try:
            bulletin = gather(asked)
        except BulletinError as error:
            messages.error(request, str(error))
    context: dict[str, Any] = {"periods": periods, "asked": asked, "bulletin": bulletin}
    if bulletin is not None:
        ranking = bulletin.ranking
        context |= {
            "overview": prose.overview(bulletin),
            "ranking": ranking,
            "ranking_intro": ranking and prose.ranking_intro(ranking, "下表"),
            "ranking_note": ranking and prose.ranking_note(ranking),
            "robustness": ranking and prose.robustness_remarks(ranking),
            "lagging_intro": prose.lagging_intro(bulletin),
            "reporting": prose.reporting_remarks(bulletin),
            "disputes": prose.dispute_remarks(bulletin),
        }
    return render(request, "bulletins/index.html", context)


@login_required
def download(request: HttpRequest, period: str, kind: str) -> HttpResponse:
    check_read(request.user)
    try:
        bulletin = gather(period)
    except BulletinError as error:
        messages.error(request, str(error))
        return redirect(reverse("bulletins:index"))
    return render_file(bulletin, kind).response()
