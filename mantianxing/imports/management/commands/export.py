"""mtx export LEDGER FILE.xlsx [--unit CODE] [--user NAME] [--month YYYY-MM]: the ledger in its template."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mantianxing.imports import cells
from mantianxing.imports.exports import export_ledger
from mantianxing.imports.management.commands._options import acting_user, add_ledger, add_user
from mantianxing.imports.pipeline import ImportRefused


class Command(BaseCommand):
    help = "按导入模板导出台账（另附企业来源、上星等计算列），只含执行用户数据范围内的记录。"

    def add_arguments(self, parser: CommandParser) -> None:
        add_ledger(parser)
        parser.add_argument("file", help="输出文件（.xlsx）")
        parser.add_argument("--unit", help="只导出该区县（代码）的记录")
        parser.add_argument("--month", help="花名册：导出哪个月（默认最近一个月）")
        add_user(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            month = cells.month(options["month"]) if options["month"] else None
        except cells.CellError as error:
            raise CommandError(f"--month：{error}", returncode=2) from None
        try:
            count = export_ledger(
                options["ledger"],
                options["file"],
                user=acting_user(options),
                unit=options["unit"],
                month=month,
            )
        except ImportRefused as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(f"已导出 {count} 行：{options['file']}")
