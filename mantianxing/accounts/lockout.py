"""Sign-in lock-out (等保 2.0: 登录失败处理), built on django-axes.

Rules, as configured in settings (README, "Configuration"):
- every failed sign-in on `/login/`, `/admin/login/` or `POST /api/auth/token` counts against the
  account name and, separately, against the client's address;
- at MTX_LOGIN_FAILURE_LIMIT failures (5) either one is refused, even with the right password, for
  MTX_LOGIN_COOLOFF_MINUTES (30) after the last failure; a successful sign-in clears its own
  account's failures only (`forget_failures`), so the failures against other accounts from the
  same address still count;
- the sign-in page says so in Chinese (HTTP 429), the API answers JSON `{"message": …}` with 429
  and a Retry-After header: 429 rather than 403 because the refusal is about the rate of attempts,
  not about the caller's rights, and it ends by itself;
- the city office lifts a lock early in the back office (用户与权限 › 登录锁定), which records who
  unlocked what and when (`LockRelease`).

The client's address is `core.middleware.client_address`, the same as the access log's and the
change history's: REMOTE_ADDR, or behind a proxy named in MTX_TRUSTED_PROXIES the hop it appended.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils import timezone


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return f"登录失败次数过多，该账号或地址已被锁定 {minutes} 分钟。请稍后再试，或联系市专班解除锁定。"


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict[str, Any] | None
) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in: JSON for the API, the sign-in page otherwise."""
    retry_after = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"message": lockout_message()}, status=429, json_dumps_params={"ensure_ascii": False}
        )
    else:
        form = AuthenticationForm(request)
        response = TemplateResponse(
            request,
            "registration/login.html",
            {"form": form, "locked_message": lockout_message(), "next": request.POST.get("next", "")},
            status=429,
        )
        response.render()
    response["Retry-After"] = retry_after
    return response


def forget_failures(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """On user_logged_in: the account's own failures no longer count, from any address."""
    AccessAttempt.objects.filter(username=user.get_username()).delete()


@dataclass(frozen=True)
class Lock:
    """An account name or an address refused at the moment, with its count and last failure."""

    kind: str  # "username" or "ip_address"
    value: str
    failures: int
    last_failure: datetime


def current_locks() -> list[Lock]:
    """Accounts and addresses at or past the failure limit whose cool-off has not run out."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    recent = AccessAttempt.objects.filter(attempt_time__gt=since)
    locks: list[Lock] = []
    for kind in ("username", "ip_address"):
        rows = (
            recent.exclude(**{f"{kind}__isnull": True})
            .values(kind)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
            .order_by("-last")
        )
        locks += [Lock(kind, row[kind], row["failures"], row["last"]) for row in rows]
    return locks
