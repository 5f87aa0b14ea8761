"""Request-wide concerns: a request id shared with the change history; idle sign-out; forced password change."""

from __future__ import annotations

import getpass
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from ipaddress import ip_address
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

_request_id: ContextVar[str | None] = ContextVar("mtx_request_id", default=None)
REQUEST_ID_HEADER = "X-Request-ID"


def current_request_id() -> str | None:
    """The id of the request or command run in progress (django-auditlog stores it as the entry's cid)."""
    return _request_id.get()


class RequestIdMiddleware:
    """Takes the caller's X-Request-ID (a proxy's) or makes one, and returns it on the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(REQUEST_ID_HEADER, "")[:64]
        token = _request_id.set(given or f"web:{uuid.uuid4().hex}")
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = _request_id.get() or ""
            return response
        finally:
            _request_id.reset(token)


@contextmanager
def command_run(argv: Sequence[str]) -> Iterator[str]:
    """Marks everything a management command writes with one id naming the command and the OS user."""
    name = argv[0] if argv else "mtx"
    run_id = f"cli:{name}:{getpass.getuser()}:{uuid.uuid4().hex[:12]}"
    token = _request_id.set(run_id)
    try:
        yield run_id
    finally:
        _request_id.reset(token)


LAST_SEEN_KEY = "mtx_last_seen"
# Renew the stored session's expiry at most this often: a write per request would cost the database
# one UPDATE for every page and API call of every user.
RENEW_EVERY_SECONDS = 60


def mark_seen_at_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """On user_logged_in: a new session starts its idle clock now, so its first page writes nothing more."""
    request.session[LAST_SEEN_KEY] = int(time.time())


class IdleSessionMiddleware:
    """Ends a signed-in session left idle for settings.SESSION_IDLE_MINUTES (等保: 登录超时退出).

    The session records when it was last seen; past the limit the user is signed out and sent to the
    sign-in page (the API answers 401). The cookie and the stored session carry the same age, so a
    session nobody uses also dies on its own.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - last_seen > settings.SESSION_IDLE_MINUTES * 60:
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse({"message": "长时间未操作，会话已结束，请重新登录。"}, status=401)
                return redirect(f"{reverse('login')}?next={request.path}")
            if last_seen is None or now - last_seen >= RENEW_EVERY_SECONDS:
                request.session[LAST_SEEN_KEY] = now  # modifying the session renews its expiry
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """Sends a user whose password the city office reset to the change page until they change it."""

    # Paths a flagged user may still reach: the change page itself, signing out and static files.
    ALLOWED_NAMES = ("accounts:password_change", "logout")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and getattr(user, "must_change_password", False):
            allowed = {reverse(name) for name in self.ALLOWED_NAMES}
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                if request.path.startswith("/api/"):
                    return JsonResponse({"message": "密码已被重置，请先在网页上修改密码。"}, status=403)
                return redirect("accounts:password_change")
        return self.get_response(request)


def client_address(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or what a trusted proxy (MTX_TRUSTED_PROXIES) says the client's address was.

    A client can write any X-Forwarded-For it likes, and an access log that records what the reader
    claims is no log: the header counts only when the connection comes from a proxy we name, and
    then only its last hop (the one that proxy appended), never the client-supplied start.
    """
    address = request.META.get("REMOTE_ADDR") or None
    if address in settings.MTX_TRUSTED_PROXIES:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [hop for hop in hops if hop and hop not in settings.MTX_TRUSTED_PROXIES]
        if forwarded:
            try:
                return str(ip_address(forwarded[-1]))
            except ValueError:
                return address
    return address
