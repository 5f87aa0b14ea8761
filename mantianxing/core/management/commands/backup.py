"""`mtx backup FILE`: a consistent copy of the database while the app runs (see core/backups.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mantianxing.core.backups import BackupRefused, backup


class Command(BaseCommand):
    help = "把数据库备份到文件（SQLite 在线备份；PostgreSQL 用 pg_dump -Fc），文件仅属主可读。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="备份文件；已存在时被替换")

    def handle(self, *args: Any, **options: Any) -> None:
        target: Path = options["file"]
        try:
            kind = backup(target)
        except BackupRefused as exc:
            raise CommandError(str(exc)) from exc
        size = target.stat().st_size
        self.stdout.write(f"已备份 {kind} 数据库到 {target}（{size:,} 字节，仅属主可读）。")
