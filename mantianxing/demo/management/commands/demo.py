"""mtx demo --scale small|city [--seed N] [--out DIR] [--months N] [--force] [--if-empty]"""

from __future__ import annotations

import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from mantianxing.demo.generator import (
    DemoFailed,
    DemoFile,
    Loaded,
    holds_enterprises,
    load,
    taken_usccs,
    write_files,
)
from mantianxing.demo.targets import seed_targets
from mantianxing.demo.world import SCALES, World
from mantianxing.evaluation.demo import seed_runs
from mantianxing.imports.models import Ledger
from mantianxing.reporting.demo import seed_reports


class Command(BaseCommand):
    help = (
        "生成一套可复现的演示数据：先按导入模板写出 Excel 文件（楼宇台账、企业台账、入驻记录、经营数据、"
        "逐月花名册），再逐个经导入流程导入（与区县上传的文件走同一条路，每行数据都可追溯到导入批次）。"
        "--scale small：约 2,000 家企业、200 栋楼宇、2 万名从业人员、24 个月，约需一分钟；"
        "--scale city：全市规模（约 5,000 栋楼宇、5 万家企业、60 万名从业人员、36 个月），"
        "需要一小时左右（视机器而定）和数 GB 磁盘空间。月份截至上一个完整月。数据库中已有企业时拒绝执行（退出码 2），"
        "除非指定 --force；指定 --if-empty 时则静默跳过。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            choices=list(SCALES),
            default="small",
            metavar="{small,city}",
            help="规模：small（默认）或 city",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="随机种子（默认 1）：同一种子、同一天生成的文件逐字节相同"
        )
        parser.add_argument("--out", type=Path, help="写出文件的目录（默认 VAR_DIR/demo/<规模>）")
        parser.add_argument("--months", type=int, help="月份数（默认 small 24 个月、city 36 个月）")
        parser.add_argument("--force", action="store_true", help="数据库中已有企业时仍然载入")
        parser.add_argument(
            "--if-empty", action="store_true", help="数据库中已有企业时静默跳过（退出码 0），供 make run 使用"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if holds_enterprises():
            if options["if_empty"]:
                return
            if not options["force"]:
                raise CommandError(
                    "数据库中已有企业数据，未载入演示数据（以免与现有数据混在一起）。确需载入请加 --force。",
                    returncode=2,
                )
        scale = SCALES[options["scale"]]
        months = options["months"] or scale.months
        if not 1 <= months <= 120:
            raise CommandError("--months 应在 1 到 120 之间。", returncode=2)
        out: Path = options["out"] or settings.VAR_DIR / "demo" / scale.name
        verbose = options["verbosity"] >= 1
        started = time.perf_counter()

        world = World(scale, options["seed"], timezone.localdate(), months=months, taken_usccs=taken_usccs())
        if verbose:
            self.stdout.write(
                f"生成演示数据：规模 {scale.name}，种子 {options['seed']}，{months} 个月"
                f"（{world.months[0]:%Y-%m} 至 {world.months[-1]:%Y-%m}），文件写入 {out}"
            )
        files = write_files(world, out)
        written = time.perf_counter() - started
        if verbose:
            self.stdout.write(
                f"已写出 {len(files)} 个文件，共 {sum(f.rows for f in files):,} 行，用时 {written:.1f} 秒。开始导入："
            )
        try:
            # A line per file when asked, and always at city scale, which takes an hour.
            each = options["verbosity"] >= 2 or (verbose and scale.name == "city")
            loaded = load(files, progress=self._progress if each else None)
        except DemoFailed as error:
            raise CommandError(str(error), returncode=1) from None
        targets = seed_targets(options["seed"])
        seed_reports(world.months, seed=options["seed"])
        runs = seed_runs()
        if verbose:
            self._summary(files, loaded, written, time.perf_counter() - started)
            self.stdout.write(f"已为各区县设定 {targets} 项演示目标（成效监测 → 目标分解），并生成往月月报。")
            for run in runs:
                self.stdout.write(
                    f"已发布 {run.period} 评价（{run.scheme}，稳健性抽样 {run.draws} 次）：评价奖励 → #{run.pk}。"
                )

    def _progress(self, done: Loaded) -> None:
        self.stdout.write(
            f"  {done.file.path.name}：{done.result.rows:,} 行，写入 {done.result.imported:,} 行，"
            f"{done.seconds:.1f} 秒（{done.rate:,.0f} 行/秒）"
        )

    def _summary(self, files: list[DemoFile], loaded: list[Loaded], written: float, total: float) -> None:
        by_ledger: dict[str, list[Loaded]] = defaultdict(list)
        for done in loaded:
            by_ledger[done.file.ledger].append(done)
        # Figures first, names last: Chinese names are two columns wide and would shift the rest.
        self.stdout.write(f"{'文件':>4}{'行数':>10}{'导入秒数':>8}{'秒/文件':>8}{'行/秒':>9}  台账")
        for ledger, items in by_ledger.items():
            rows = sum(d.result.rows for d in items)
            seconds = sum(d.seconds for d in items)
            self.stdout.write(
                f"{len(items):>6}{rows:>12,}{seconds:>12.1f}{seconds / len(items):>11.1f}"
                f"{rows / seconds if seconds else 0:>12,.0f}  {Ledger(ledger).label}"
            )
        imported = sum(d.seconds for d in loaded)
        self.stdout.write(
            self.style.SUCCESS(
                f"演示数据已载入：{len(files)} 个文件，{sum(f.rows for f in files):,} 行；"
                f"生成 {written:.1f} 秒，导入 {imported:.1f} 秒，共 {total:.1f} 秒。"
            )
        )
