"""mtx import LEDGER FILE [--dry-run] [--keep-valid] [--json]: exit 0 clean, 1 with errors, 2 unusable."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mantianxing.imports.management.commands._options import acting_user, add_ledger, add_user
from mantianxing.imports.pipeline import ImportRefused, run_import
from mantianxing.imports.reading import FileUnusable


class Command(BaseCommand):
    help = "把 Excel（.xlsx/.xls/.ods）或 CSV 文件导入台账。有错误时不写入任何数据，除非指定 --keep-valid。"

    def add_arguments(self, parser: CommandParser) -> None:
        add_ledger(parser)
        parser.add_argument("file", help="要导入的文件")
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告将要写入的行数，不写入")
        parser.add_argument("--keep-valid", action="store_true", help="有错误时仍写入正确的行")
        parser.add_argument("--json", action="store_true", help="以一个 JSON 对象输出结果")
        add_user(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = run_import(
                options["ledger"],
                options["file"],
                user=acting_user(options),
                dry_run=options["dry_run"],
                keep_valid=options["keep_valid"],
            )
        except (ImportRefused, FileUnusable) as error:
            raise CommandError(str(error), returncode=2) from None
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
        else:
            self._report(result, options)
        if result.errors:
            raise CommandError(f"{len(result.errors)} 处错误。", returncode=1)

    def _report(self, result: Any, options: dict[str, Any]) -> None:
        for error in result.errors:
            self.stdout.write(f"第 {error.row} 行  {error.column}：{error.message}")
        mode = "（试运行，未写入）" if options["dry_run"] else ""
        batch = f"，批次 #{result.batch}" if result.batch else ""
        self.stdout.write(
            f"{result.file}：数据 {result.rows} 行，有效 {result.valid} 行，写入 {result.imported} 行，"
            f"跳过 {result.skipped} 行{batch}{mode}"
        )
