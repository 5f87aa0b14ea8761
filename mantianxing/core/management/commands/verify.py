"""mtx verify [--json] [--user NAME]: every derived fact recomputed from the ledgers and compared."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mantianxing.core.middleware import current_request_id
from mantianxing.core.services import verify_derived
from mantianxing.imports.management.commands._options import acting_user, add_user


class Command(BaseCommand):
    help = (
        "数据核验：从台账重新计算全部派生数据（企业来源、监测指标值），与已存的值逐一比对，并核对每个指标值与其明细行之和；"
        "有差异时退出码为 1。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help='输出 JSON：{"ok", "checked", "differences"}')
        add_user(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            run, differences = verify_derived(acting_user(options), current_request_id() or "mtx verify")
        except PermissionDenied as error:
            raise CommandError(str(error), returncode=2) from None
        if options["json"]:
            shown = {"ok": run.ok, "checked": run.checked, "differences": differences}
            self.stdout.write(json.dumps(shown, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(f"核对 {run.checked:,} 个派生值，用时 {run.seconds:.1f} 秒：")
            self.stdout.write("一致。" if run.ok else f"发现 {run.differences_total:,} 处差异。")
            for difference in differences[:50]:
                self.stdout.write(
                    f"  {difference['kind']}\t{difference['key']}\t已存 {difference['stored']}\t"
                    f"重算 {difference['recomputed']}"
                )
        if not run.ok:
            raise SystemExit(1)
