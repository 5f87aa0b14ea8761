from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from mantianxing.accounts import services
from mantianxing.accounts.choices import LockKind
from mantianxing.accounts.lockout import current_locks
from mantianxing.accounts.models import ApiToken, LockRelease, User


def _me(request: HttpRequest) -> User:
    """The signed-in user (every view here is behind login_required)."""
    assert isinstance(request.user, User)
    return request.user


def _profile(request: HttpRequest, new_token: str | None = None) -> HttpResponse:
    context = {
        "tokens": ApiToken.objects.usable().filter(user=_me(request)).order_by("-created_at"),
        "new_token": new_token,
        "can_manage_accounts": services.can_manage_accounts(request.user),
    }
    return render(request, "accounts/profile.html", context)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return _profile(request)


@never_cache
@login_required
@require_POST
def issue_token(request: HttpRequest) -> HttpResponse:
    # The raw token goes into this one response and nowhere else: not a redirect's message (a
    # cookie or the session would carry it), not the database (only its hash), and never_cache
    # keeps it out of the browser's and proxies' caches.
    _, raw = services.issue_token(_me(request))
    return _profile(request, new_token=raw)


@login_required
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    if not services.revoke_token(_me(request), pk):
        raise Http404
    messages.success(request, "令牌已吊销。")
    return redirect("accounts:profile")


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.change_own_password(user, form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)  # stay signed in here; other sessions end
        messages.success(request, "密码已修改。原有的 API 令牌已全部吊销。")
        return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def locks(request: HttpRequest) -> HttpResponse:
    if not services.can_manage_accounts(request.user):
        raise PermissionDenied("只有市专班可以管理登录锁定。")
    if request.method == "POST":
        kind, value = request.POST.get("kind", ""), request.POST.get("value", "")
        if kind not in LockKind.values or not value:
            messages.error(request, "请选择要解除的锁定。")
        else:
            failures = services.unlock(_me(request), kind, value)
            messages.success(
                request, f"已解除{LockKind(kind).label}“{value}”的锁定（清除 {failures} 次失败记录）。"
            )
        return redirect("accounts:locks")
    context = {
        "locks": current_locks(),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "releases": LockRelease.objects.select_related("released_by")[:50],
    }
    return render(request, "accounts/locks.html", context)
