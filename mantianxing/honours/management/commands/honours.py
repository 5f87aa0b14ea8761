"""mtx honours buildings [--on YYYY-MM-DD] [--unit CODE] [--passed] [--json] [--xlsx FILE] [--user NAME]
mtx honours shangxing [--period 2025] [--unit CODE] [--json] [--xlsx FILE] [--user NAME]"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mantianxing.geo.models import Unit
from mantianxing.honours.buildings import Criteria, assess_buildings
from mantianxing.honours.exports import buildings_data, buildings_workbook, shangxing_data, shangxing_workbook
from mantianxing.honours.queries import QueryError, day_asked, period_asked, units_for
from mantianxing.honours.shangxing import compared_years, newly_shangxing
from mantianxing.imports.management.commands._options import acting_user, add_user
from mantianxing.monitoring.queries import city_units


class Command(BaseCommand):
    help = "荣誉认定：示范楼宇条件核对（buildings），期间内新增上星企业（shangxing）。"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, title="子命令", metavar="{buildings,shangxing}"
        )
        buildings = actions.add_parser("buildings", help="逐栋核对示范楼宇条件")
        buildings.add_argument("--on", help="核对日期 YYYY-MM-DD（默认今天）")
        buildings.add_argument("--passed", action="store_true", help="只列出全部达标的楼宇")
        shangxing = actions.add_parser("shangxing", help="期间内新增上星企业")
        shangxing.add_argument("--period", help="期间：年度 2025、半年 2025H2 或月份（默认上一完整年度）")
        for sub in (buildings, shangxing):
            sub.add_argument("--unit", help="只看该区县（代码）")
            sub.add_argument("--json", action="store_true", help="输出 JSON（与接口相同）")
            sub.add_argument("--xlsx", help="同时写出表格（.xlsx）")
            add_user(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        user = acting_user(options)
        try:
            units = self.units(user, options["unit"])
            if options["action"] == "buildings":
                self.buildings(units, options)
            else:
                self.shangxing(units, options)
        except QueryError as error:
            raise CommandError(str(error), returncode=2) from None
        except PermissionDenied as error:
            raise CommandError(str(error) or "无权查看。", returncode=2) from None

    @staticmethod
    def units(user: Any, code: str | None) -> list[Unit] | None:
        # Without --user the command line speaks for the city office.
        if user is not None:
            return units_for(user, code)
        return city_units(code) or None

    def buildings(self, units: list[Unit] | None, options: dict[str, Any]) -> None:
        on = day_asked(options["on"])
        criteria = Criteria.load()
        assessed = assess_buildings(on, units, criteria)
        rows = [row for row in assessed if row.passed] if options["passed"] else assessed
        if options["xlsx"]:
            Path(options["xlsx"]).write_bytes(buildings_workbook(on, criteria.enabled, rows))
        if options["json"]:
            self.stdout.write(
                json.dumps(buildings_data(on, criteria.enabled, rows), ensure_ascii=False, indent=2)
            )
            return
        passed = sum(row.passed for row in assessed)
        self.stdout.write(f"示范楼宇条件核对（{on:%Y-%m-%d}）：{len(assessed)} 栋，全部达标 {passed} 栋")
        for row in rows:
            cells = [f"{r.shown}{'✓' if r.passed else '✗'}" for r in row.results.values()]
            verdict = "达标" if row.passed else "未达标"
            self.stdout.write("\t".join([row.code, row.name, row.unit.name, *cells, verdict]))
        if options["xlsx"]:
            self.stdout.write(f"表格已写出：{options['xlsx']}")

    def shangxing(self, units: list[Unit] | None, options: dict[str, Any]) -> None:
        period = period_asked(options["period"])
        rows = newly_shangxing(period, units)
        if options["xlsx"]:
            Path(options["xlsx"]).write_bytes(shangxing_workbook(period, rows))
        if options["json"]:
            self.stdout.write(json.dumps(shangxing_data(period, rows), ensure_ascii=False, indent=2))
            return
        before, after = compared_years(period)
        self.stdout.write(f"{period.label} 新增上星企业（{after} 年上星、{before} 年未上星）：{len(rows)} 家")
        for row in rows:
            revenue = "—" if row.revenue is None else f"{row.revenue:,.2f} 万元"
            heads = "—" if row.headcount is None else f"{row.headcount} 人（{row.headcount_source}）"
            self.stdout.write("\t".join([row.uscc, row.name, row.unit.name, revenue, heads]))
        if options["xlsx"]:
            self.stdout.write(f"表格已写出：{options['xlsx']}")
