"""mtx template LEDGER FILE.xlsx: the empty template, with a sheet on how to fill each column."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mantianxing.imports.exports import write_template
from mantianxing.imports.management.commands._options import add_ledger
from mantianxing.imports.pipeline import ImportRefused


class Command(BaseCommand):
    help = "写出台账的空白导入模板（.xlsx）。"

    def add_arguments(self, parser: CommandParser) -> None:
        add_ledger(parser)
        parser.add_argument("file", help="输出文件（.xlsx）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            write_template(options["ledger"], options["file"])
        except ImportRefused as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(f"已写出模板：{options['file']}")
