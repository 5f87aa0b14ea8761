"""mtx bulletin --period 2026-06|2026H1|2026 --out DIR [--user NAME]"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mantianxing.bulletins.access import check_read
from mantianxing.bulletins.files import KINDS, render
from mantianxing.bulletins.gather import BulletinError, gather
from mantianxing.imports.management.commands._options import acting_user, add_user


class Command(BaseCommand):
    help = (
        "生成讲评通报：Word 文档（.docx，含总体进展、评价排名及稳健性、进度滞后的区县、数据质量和图表）"
        "和附表（.xlsx），写入 --out 目录并输出文件路径。期间为已结束的月份、半年或年度，"
        "通报截至期间的最后一个月；期间未结束或不在行动计划实施期内时拒绝（退出码 2）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="期间：月份 2026-06、半年 2026H1 或年度 2026")
        parser.add_argument("--out", required=True, type=Path, help="写出文件的目录（不存在时创建）")
        add_user(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        user = acting_user(options)
        if user is not None:
            try:
                check_read(user)
            except PermissionDenied as error:
                raise CommandError(str(error), returncode=2) from None
        started = time.perf_counter()
        try:
            bulletin = gather(options["period"])
        except BulletinError as error:
            raise CommandError(str(error), returncode=2) from None
        out: Path = options["out"]
        out.mkdir(parents=True, exist_ok=True)
        for kind in KINDS:
            file = render(bulletin, kind)
            path = out / file.name
            path.write_bytes(file.content)
            self.stdout.write(str(path))
        if options["verbosity"] >= 2:
            self.stderr.write(f"{bulletin.number}，用时 {time.perf_counter() - started:.1f} 秒")
