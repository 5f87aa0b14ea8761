"""mtx evaluate --period 2026H1 [--scheme FILE | --scheme-name NAME] [--draws N] [--seed N] [--json] [--publish] [--user NAME]

`--publish` makes the run the current one of its scheme and period: the run published before is
marked 已被替代 and the output names it (替代 #1).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mantianxing.evaluation import services
from mantianxing.evaluation.inputs import InputError
from mantianxing.evaluation.models import Run
from mantianxing.evaluation.schemes import SchemeError, load_yaml
from mantianxing.imports.management.commands._options import acting_user, add_user


class Command(BaseCommand):
    help = "按评价方案对区县进行半年评估或年度考核：排名、奖励金额和稳健性分析；结果保存为一次评价运行。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="评价期：2026H1（半年）或 2026（年度）")
        source = parser.add_mutually_exclusive_group()
        source.add_argument("--scheme", help="方案 YAML 文件（保存为该方案的新版本后使用）")
        source.add_argument("--scheme-name", dest="scheme_name", help="已保存方案的名称（用其最新版本）")
        parser.add_argument(
            "--draws",
            type=int,
            default=services.DEFAULT_DRAWS,
            help="稳健性分析的抽样次数（默认 1000；0 为不做）",
        )
        parser.add_argument(
            "--seed", type=int, default=None, help="稳健性分析的随机种子（默认取自方案与输入的哈希）"
        )
        parser.add_argument("--json", action="store_true", help="输出 JSON")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="同时发布（区县可见）；同一方案、同一评价期此前发布的运行标为已被替代",
        )
        add_user(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        user = acting_user(options)
        started = time.perf_counter()
        try:
            if options["scheme"]:
                scheme = services.save_scheme(user, load_yaml(self.read(options["scheme"])))
            else:
                scheme = services.scheme_for(options["period"], options["scheme_name"])
            run = services.run_evaluation(
                user, options["period"], scheme, draws=options["draws"], seed=options["seed"]
            )
            if options["publish"]:
                run = services.publish(user, run)
        except services.PublishConflict as error:
            raise CommandError(error.messages[0], returncode=2) from None
        except (SchemeError, InputError) as error:
            raise CommandError(str(error), returncode=2) from None
        except PermissionDenied as error:
            raise CommandError(str(error), returncode=2) from None
        seconds = time.perf_counter() - started
        if options["json"]:
            self.stdout.write(json.dumps(run.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.write_table(run, seconds)

    def read(self, path: str) -> str:
        try:
            return Path(path).read_text(encoding="utf-8-sig")
        except OSError as error:
            raise CommandError(f"无法读取方案文件 {path}：{error.strerror}", returncode=2) from None

    def write_table(self, run: Run, seconds: float) -> None:
        scheme = run.scheme
        state = str(run.status.label)
        if run.superseded_by_id is not None:
            state += f"，被 #{run.superseded_by_id} 替代"
        elif (replaced := run.replaced) is not None:
            state += f"，替代 #{replaced.pk}"
        self.stdout.write(
            f"评价运行 #{run.pk}（{state}）：{run.period}，{scheme}，行动计划 {run.plan.code}，"
            f"抽样 {run.draws} 次，随机种子 {run.seed}，SHA-256 {run.sha256[:16]}…，用时 {seconds:.2f} 秒"
        )
        robustness = {row["unit"]: row for row in (run.robustness or {}).get("units", [])}
        for row in run.result:
            interval = robustness.get(row["unit"])
            spread = f"\t名次区间 {interval['rank_p5']}–{interval['rank_p95']}" if interval else ""
            self.stdout.write(
                f"{row['rank']}\t{row['unit']} {row['unit_name']}\t得分 {row['score']:.2f}\t"
                f"奖励 {row['reward'] / 10000:,.2f} 万元{spread}"
            )
