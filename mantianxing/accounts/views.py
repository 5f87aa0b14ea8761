from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mantianxing.accounts.models import ApiToken


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    tokens = request.user.tokens.filter(revoked_at__isnull=True).order_by("-created_at")
    return render(request, "accounts/profile.html", {"tokens": tokens})


@login_required
@require_POST
def issue_token(request: HttpRequest) -> HttpResponse:
    _, raw = ApiToken.issue(request.user)
    messages.success(request, f"新令牌（只显示这一次，请妥善保存）：{raw}")
    return redirect("accounts:profile")
