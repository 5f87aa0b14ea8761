from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from mantianxing.accounts.services import create_demo_accounts


class Command(BaseCommand):
    help = "创建演示账号（每个角色一个，每个参评区县一个区县账号）；已存在则只显示账号清单。"

    def handle(self, *args: Any, **options: Any) -> None:
        listing = settings.VAR_DIR / "demo-accounts.txt"
        accounts, password = create_demo_accounts(timezone.localdate(), listing)
        if password is None:
            self.stdout.write("演示账号已存在。")
        else:
            self.stdout.write(self.style.SUCCESS(f"已创建 {len(accounts)} 个演示账号。"))
        if listing.exists():
            self.stdout.write(listing.read_text(encoding="utf-8"))
            self.stdout.write(f"清单保存在 {listing}；打开 http://127.0.0.1:8000/ 用以上账号登录。")
