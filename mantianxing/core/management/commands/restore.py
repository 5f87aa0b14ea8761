"""`mtx restore FILE`: replace the database by a backup of `mtx backup` (see core/backups.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mantianxing.core.backups import BackupRefused, kind_of_database, restore


class Command(BaseCommand):
    help = "用 mtx backup 的备份文件替换数据库的全部内容（需确认，或加 --yes）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="mtx backup 写出的备份文件")
        parser.add_argument("--yes", action="store_true", help="不询问，直接恢复")

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["file"]
        if not options["yes"]:
            try:
                kind = kind_of_database()
            except BackupRefused as exc:
                raise CommandError(str(exc)) from exc
            try:
                answer = input(
                    f"将用 {source} 替换当前 {kind} 数据库的全部内容，当前数据将丢失。输入 yes 继续："
                )
            except EOFError:  # no console to ask (a script): only --yes may restore
                answer = ""
            if answer.strip().lower() != "yes":
                raise CommandError("已取消，数据库未改动。")
        try:
            restored = restore(source)
        except BackupRefused as exc:
            raise CommandError(str(exc)) from exc
        counts = "、".join(f"{label} {count:,}" for label, count in restored.counts)
        self.stdout.write(f"已从 {source} 恢复 {restored.kind} 数据库：{counts}。")
