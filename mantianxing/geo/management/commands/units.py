from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from mantianxing.geo.lookup import describe, resolve_place
from mantianxing.geo.models import Unit


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"日期“{value}”格式不正确，应为 YYYY-MM-DD。") from exc


class Command(BaseCommand):
    help = "列出某日有效的区县；或用 --place 查询某地（代码、区县名、乡镇街道）在某日属于哪个区县。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", type=_date, help="日期 YYYY-MM-DD，默认今日")
        parser.add_argument("--place", help="要查询归属的地点")
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        on = options["on"] or timezone.localdate()
        if options["place"]:
            result: Any = resolve_place(options["place"], on)
            unit = result["unit"]
            text = (
                f"{on}：{options['place']} 属于 {unit['name']}（{unit['code']}）"
                if unit
                else f"{on}：没有找到 {options['place']} 所属的区县"
            )
            if unit is None and not options["json"]:
                raise CommandError(text)
        else:
            units = Unit.objects.valid_on(on).prefetch_related("memberships")
            result = [describe(u, on) for u in units]
            text = "\n".join(
                f"{row['code']}\t{row['name']}\t{'中心城区' if row['central'] else ''}" for row in result
            )
        self.stdout.write(json.dumps(result, ensure_ascii=False, default=str) if options["json"] else text)
