"""The JSON API under /api/: one NinjaAPI, authentication, JSON errors, and each app's router."""

import logging
from datetime import datetime
from typing import Any

from django.contrib.auth import authenticate
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation, ValidationError
from django.db.models import Model, ProtectedError, RestrictedError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer, SessionAuth

from mantianxing.accounts.models import ApiToken
from mantianxing.accounts.services import issue_token as issue_api_token
from mantianxing.accounts.services import revoke_token as revoke_api_token
from mantianxing.core.api_input import RefusedInput, StrictParser
from mantianxing.core.middleware import current_request_id

log = logging.getLogger(__name__)


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user  # the scoping mechanism and the change history read request.user
        return user


class ReadableJSON(JSONRenderer):
    """Chinese as characters, not \\u escapes: the JSON is read by people as often as by programs."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="满天星 API",
    version="1",
    description="满天星平台接口。浏览器使用会话登录；脚本先 POST /api/auth/token 取得令牌，"
    "再以 `Authorization: Bearer <token>` 调用。所有数据按调用者的数据范围过滤。"
    "错误以 JSON 返回，`message` 为中文说明：400 输入无效，401 未登录或令牌无效，403 无权，"
    "404 记录不存在或不在数据范围内，409 记录仍被其他记录引用而不能删除，422 请求格式不正确"
    "（含分页参数越界、非有限数字）。",
    auth=[BearerToken(), SessionAuth()],  # the browser's session keeps Django's CSRF check
    urls_namespace="api",
    renderer=ReadableJSON(),
    parser=StrictParser(),  # finite numbers, storable strings (core/api_input.py)
)


def _error(request: HttpRequest, status: int, message: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"message": message, **extra}, status=status)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 401, "未登录或令牌无效。")


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 403, str(exc) or "无权执行此操作。")


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 404, "记录不存在或不在您的数据范围内。")


@api.exception_handler(ValidationError)
def on_invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    first = next(iter(errors.values()))[0]
    return _error(request, 400, str(first), errors=errors)


# Pydantic's error types → what the caller is told (in Chinese); the English detail stays in `errors`.
MALFORMED = {
    "missing": "必须填写",
    "greater_than_equal": "不能小于 {ge}",
    "greater_than": "必须大于 {gt}",
    "less_than_equal": "不能大于 {le}",
    "less_than": "必须小于 {lt}",
    "finite_number": "必须是有限数（不能是 NaN 或无穷大）",
    "decimal_max_digits": "最多 {max_digits} 位数字",
    "decimal_max_places": "最多 {decimal_places} 位小数",
    "decimal_whole_digits": "整数部分最多 {whole_digits} 位",
    "string_too_long": "最长 {max_length} 个字符",
    "enum": "不是可选值（可选：{expected}）",
    "literal_error": "不是可选值（可选：{expected}）",
}


def malformed_message(errors: list[dict[str, Any]]) -> str:
    """The first problem, in Chinese: which parameter or field, and why."""
    if not errors:
        return "请求格式不正确。"
    first = errors[0]
    # loc is ("body", "payload", "area") or ("query", "offset"): the last names are the field's path.
    where = ".".join(str(part) for part in first.get("loc", ())[1:] if part not in ("payload", "filters"))
    reason = MALFORMED.get(first.get("type", ""), "格式不正确")
    try:
        reason = reason.format(**first.get("ctx", {}))
    except (KeyError, IndexError):
        reason = "格式不正确"
    return f"请求格式不正确：{where or '请求'}{reason}。"


@api.exception_handler(NinjaValidationError)
def on_malformed(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return _error(request, 422, malformed_message(exc.errors), errors=exc.errors)


def _described(objects: Any) -> str:
    """What depends on a record, by kind: "入驻记录 3 条、统计月报 12 条"."""
    counts: dict[str, int] = {}
    for obj in objects:
        label = str(obj._meta.verbose_name) if isinstance(obj, Model) else str(obj)
        counts[label] = counts.get(label, 0) + 1
    return "、".join(f"{label} {count} 条" for label, count in sorted(counts.items()))


@api.exception_handler(ProtectedError)
@api.exception_handler(RestrictedError)
def on_depended_on(request: HttpRequest, exc: ProtectedError | RestrictedError) -> HttpResponse:
    # A record others point to (PROTECT/RESTRICT): refused with what holds it, changing nothing.
    held_by = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
    return _error(request, 409, f"无法删除：仍有{_described(held_by)}引用此记录，请先处理这些记录。")


@api.exception_handler(MultiPartParserError)
@api.exception_handler(BadRequest)
@api.exception_handler(SuspiciousOperation)
def on_bad_request(request: HttpRequest, exc: Exception) -> HttpResponse:
    # What Django itself answers with a 400 (a multipart body without its boundary, say); the API's
    # catch-all below would have made it a 500.
    return _error(request, 400, "请求无法解析（例如上传的 multipart 数据不完整）。")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = str(exc)
    if isinstance(exc.__cause__, RefusedInput):  # Ninja wraps the body parser's errors
        message = str(exc.__cause__)
    elif message.startswith("Cannot parse request body"):
        message = "请求体不是有效的 JSON。"
    return _error(request, exc.status_code, message)


@api.exception_handler(Exception)
def on_crash(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Never a stack trace to the caller; the log keeps it, tied to the request id.
    log.exception("API error on %s %s", request.method, request.path)
    return _error(
        request, 500, "服务器内部错误，请联系管理员并提供请求编号。", request_id=current_request_id()
    )


class Credentials(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    expires_at: datetime


class TokenInfo(Schema):
    id: int
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime


@api.post("/auth/token", auth=None, response=TokenOut, tags=["认证"], summary="以用户名和密码换取令牌")
def issue_token(request: HttpRequest, credentials: Credentials) -> dict[str, Any]:
    user = authenticate(request, username=credentials.username, password=credentials.password)
    # A locked-out account or address also lands here (django-axes refuses it inside authenticate);
    # its middleware then swaps this 401 for the 429 of accounts/lockout.py.
    if user is None or not user.is_active:
        raise HttpError(401, "用户名或密码不正确。连续失败多次后账号和地址将被暂时锁定。")
    if user.must_change_password:
        raise HttpError(403, "密码已被重置，请先在网页上修改密码。")
    token, raw = issue_api_token(user)
    return {"token": raw, "expires_at": token.expires_at}


@api.get("/auth/tokens", response=list[TokenInfo], tags=["认证"], summary="我的有效令牌")
def list_tokens(request: HttpRequest) -> Any:
    return ApiToken.objects.usable().filter(user=request.user).order_by("-created_at")


@api.delete("/auth/tokens/{token_id}", response={204: None}, tags=["认证"], summary="吊销我的一个令牌")
def revoke_token(request: HttpRequest, token_id: int) -> Status:
    if not revoke_api_token(request.user, token_id):  # type: ignore[arg-type]
        raise Http404
    return Status(204, None)


def _mount_routers() -> None:
    from mantianxing.bulletins.api import router as bulletins
    from mantianxing.carriers.api import occupancy_router
    from mantianxing.carriers.api import router as carriers
    from mantianxing.enterprises.api import router as enterprises
    from mantianxing.evaluation.api import router as evaluation
    from mantianxing.geo.api import router as geo
    from mantianxing.honours.api import router as honours
    from mantianxing.imports.api import router as imports
    from mantianxing.monitoring.api import router as monitoring
    from mantianxing.people.api import router as people
    from mantianxing.reporting.api import router as reporting
    from mantianxing.stats.api import router as stats

    api.add_router("/geo", geo)
    api.add_router("/buildings", carriers)
    api.add_router("/occupancy", occupancy_router)
    api.add_router("/enterprises", enterprises)
    api.add_router("/people", people)
    api.add_router("/statistics", stats)
    api.add_router("/imports", imports)
    api.add_router("/indicators", monitoring)
    api.add_router("/reports", reporting)
    api.add_router("/bulletins", bulletins)
    api.add_router("/evaluation", evaluation)
    api.add_router("/honours", honours)


_mount_routers()
