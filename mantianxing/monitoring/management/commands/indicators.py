"""mtx indicators --plan 2022|2025 [--as-of YYYY-MM] [--unit CODE] [--json] [--xlsx FILE] [--user NAME]"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mantianxing.imports.management.commands._options import acting_user, add_user
from mantianxing.monitoring.compute import ensure_fresh, recompute
from mantianxing.monitoring.exports import progress_workbook
from mantianxing.monitoring.progress import Progress, progress
from mantianxing.monitoring.queries import QueryError, city_units, month_asked, plan_named, units_for
from mantianxing.monitoring.templatetags.monitoring import percent, shown


class Command(BaseCommand):
    help = "各指标的实际值、目标、完成率、序时进度、状态和预计期末值：全市（500000）及各区县。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", required=True, help="行动计划代码：2022 或 2025")
        parser.add_argument(
            "--as-of", dest="as_of", help="截至月份 YYYY-MM（默认上一个完整月份，限于窗口期内）"
        )
        parser.add_argument("--unit", help="只看该区县（代码）；500000 只看全市")
        parser.add_argument("--json", action="store_true", help="输出 JSON")
        parser.add_argument("--xlsx", help="同时写出进度表（.xlsx）")
        parser.add_argument("--recompute", action="store_true", help="先按台账重算全部指标")
        add_user(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        user = acting_user(options)
        try:
            plan = plan_named(options["plan"])
            as_of = month_asked(plan, options["as_of"])
            units = units_for(user, options["unit"]) if user else city_units(options["unit"])
        except QueryError as error:
            raise CommandError(str(error), returncode=2) from None
        except PermissionDenied as error:
            raise CommandError(str(error) or "无权查看。", returncode=2) from None
        if options["recompute"]:
            recompute()
        else:
            ensure_fresh()
        report = progress(plan, as_of, units)
        if options["xlsx"]:
            Path(options["xlsx"]).write_bytes(progress_workbook(report))
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.write_table(report)
            if options["xlsx"]:
                self.stdout.write(f"进度表已写出：{options['xlsx']}")

    def write_table(self, report: Progress) -> None:
        self.stdout.write(
            f"{report.plan.name}，截至 {report.as_of:%Y-%m}，序时进度 {percent(report.time_progress)}"
        )
        for row in report.rows:
            d = row.definition
            status = row.status.label if row.status else "无目标"
            projection = shown(row.projection.value, d) if row.projection else "—"
            self.stdout.write(
                f"{row.unit.code} {row.unit.name}\t{d.name}\t实际 {shown(row.actual, d)}\t"
                f"目标 {shown(row.target, d)}\t完成率 {percent(row.completion)}\t{status}\t预计期末 {projection}"
            )
