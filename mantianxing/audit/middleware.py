"""Where the request in progress came from: for the access log of reads deep inside a service, and the history."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

from auditlog.middleware import AuditlogMiddleware
from django.http import HttpRequest, HttpResponse

from mantianxing.audit.choices import Channel
from mantianxing.core.middleware import client_address


@dataclass(frozen=True)
class Origin:
    remote_addr: str | None
    channel: Channel


_origin: ContextVar[Origin | None] = ContextVar("mtx_access_origin", default=None)


def origin_of(request: HttpRequest) -> Origin:
    address = client_address(request)
    channel = Channel.API if request.path.startswith("/api/") else Channel.PAGE
    return Origin(address, channel)


def current_origin() -> Origin:
    """The web request in progress, or the command line when there is none."""
    return _origin.get() or Origin(None, Channel.COMMAND)


class AuditMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware, with our reading of the client's address, for both logs.

    Its own takes the first X-Forwarded-For entry from anyone, which a client writes as it likes;
    on PostgreSQL a value that is no address at all would even turn every write into a 500.
    """

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        return client_address(request)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _origin.set(origin_of(request))
        try:
            return super().__call__(request)
        finally:
            _origin.reset(token)
