"""System checks that refuse a configuration the platform must not run with."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register


@register()
def check_secrets(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    if settings.PII_KEY == settings.SECRET_KEY:
        problems.append(
            Error(
                "MTX_PII_KEY 与 MTX_SECRET_KEY 相同：两个密钥必须不同。",
                hint="Give the HMAC key for personal data its own value.",
                id="mantianxing.E001",
            )
        )
    if not settings.DEBUG and len(settings.PII_KEY) < 32:
        problems.append(
            Warning(
                "MTX_PII_KEY 少于 32 个字符，个人身份信息的散列强度不足。",
                id="mantianxing.W001",
            )
        )
    return problems
