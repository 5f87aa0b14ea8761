"""Options the ledger commands share: which ledger, and whose scope the command acts in."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from mantianxing.accounts.models import User
from mantianxing.imports.models import Ledger


def add_ledger(parser: CommandParser) -> None:
    parser.add_argument(
        "ledger", help="台账：" + "、".join(f"{value}（{label}）" for value, label in Ledger.choices)
    )


def add_user(parser: CommandParser) -> None:
    parser.add_argument(
        "--user",
        help="以该用户的身份和数据范围执行（默认：命令行代表市专班，全市范围）",
    )


def acting_user(options: dict[str, Any]) -> User | None:
    username = options.get("user")
    if not username:
        return None
    try:
        return User.objects.get(username=username, is_active=True)
    except User.DoesNotExist:
        raise CommandError(f"没有用户“{username}”（或已停用）。", returncode=2) from None
