"""A request id for every web request and every command run, shared with the change history."""

from __future__ import annotations

import getpass
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

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
