"""企业台账: one row per enterprise, keyed by its USCC.

The fields keep the model's rules (`ModelRules`: lengths, a 成立日期 not in the future); 申报来源 and
重点领域 are read through their vocabularies, with the synonyms the city office keeps.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

from mantianxing.core.bulk import chunked, insert_rows
from mantianxing.enterprises.models import Enterprise, FocusDomain, IndustryClass
from mantianxing.imports import cells
from mantianxing.imports.ledgers.common import ModelRules, UnitResolver, UpsertPlan, VocabularyColumn, uscc
from mantianxing.imports.models import ImportBatch, Ledger
from mantianxing.imports.pipeline import LedgerImport, Parsed, read_fields, required
from mantianxing.vocabularies.registry import term_key

INDUSTRY_EDITION = "2017"
FIELDS = ["name", "established_on", "unit_id", "registered_address", "industry_id", "claimed_origin"]
RULES = {"name": "企业名称", "established_on": "成立日期", "registered_address": "注册地址"}
DOMAIN_SEPARATORS = re.compile(r"[、,，;；/|\s]+")


class EnterprisePlan(UpsertPlan):
    """Creates and updates, plus the focus domains of each row whose set of domains changed."""

    def __init__(self) -> None:
        super().__init__(Enterprise, FIELDS)
        self.domains: dict[str, tuple[int, set[int]]] = {}  # uscc → (row, domain ids)

    def changed_rows(self) -> set[int]:
        return super().changed_rows() | {row for row, _ids in self.domains.values()}

    def write(self, batch: ImportBatch, user_id: int | None) -> None:
        super().write(batch, user_id)
        keys = [values["uscc"] for _row, values in self.creates] + list(self.domains)
        ids: dict[str, int] = {}
        for part in chunked(keys, 10_000):  # within SQLite's limit on variables per statement
            ids.update(Enterprise.objects.filter(uscc__in=part).values_list("uscc", "pk"))
        through = Enterprise.focus_domains.through
        if self.domains:
            changed = [ids[key] for key in self.domains]
            through.objects.filter(enterprise_id__in=changed).delete()
            links = [
                (ids[key], domain) for key, (_row, domains) in self.domains.items() for domain in domains
            ]
            insert_rows(through, ["enterprise", "focusdomain"], links)


class EnterprisesImport(LedgerImport[dict[str, Any]]):
    ledger = Ledger.ENTERPRISES
    model = Enterprise
    columns = (
        "统一社会信用代码",
        "企业名称",
        "成立日期",
        "所在区县",
        "注册地址",
        "行业代码",
        "重点领域",
        "申报来源",
    )
    required = ("统一社会信用代码", "企业名称", "所在区县")
    aliases = {
        "统一社会信用代码": ["社会信用代码", "信用代码", "统一代码"],
        "企业名称": ["单位名称", "企业(单位)名称"],
        "所在区县": ["区县", "所属区县"],
        "行业代码": ["国民经济行业代码", "行业分类代码"],
        "申报来源": ["企业来源"],
    }
    key_columns = ("统一社会信用代码",)
    notes = {
        "统一社会信用代码": "必填。18 位，系统自动转半角、去空格、转大写后校验；再次导入同一代码即更新该企业。",
        "企业名称": "必填。",
        "所在区县": "必填。区县名称（如 渝中区）或 6 位代码（如 500103）。",
        "行业代码": "GB/T 4754-2017 小类代码，大类 63、64、65，如 6513。",
        "成立日期": "如 2023-05-12、2023年5月12日、2023/5/12、2023.5.12；不能晚于今天。",
        "重点领域": "可填多个，用顿号分隔，如 AI智能体、工业软件；两版行动计划的领域均可，同义写法见口径说明。",
        "申报来源": "新设立、新引进、存量、市内迁移之一（及后台维护的同义写法，如 外地引进）；"
        "系统另按规则计算企业来源，不一致的列入核对清单。",
    }

    def prepare(self) -> None:
        self.units = UnitResolver()
        self.industries = dict(
            IndustryClass.objects.filter(edition=INDUSTRY_EDITION).values_list("code", "pk")
        )
        self.rules = ModelRules(Enterprise, RULES)
        self.origins = VocabularyColumn("claimed_origin")
        self.focus = VocabularyColumn("focus_domain")
        self.domain_ids = dict(FocusDomain.objects.values_list("code", "pk"))
        self.stored = {row["uscc"]: row for row in Enterprise.objects.values("pk", "uscc", *FIELDS)}
        self.stored_domains: dict[int, set[int]] = {}
        for enterprise_id, domain_id in Enterprise.focus_domains.through.objects.values_list(
            "enterprise_id", "focusdomain_id"
        ):
            self.stored_domains.setdefault(enterprise_id, set()).add(domain_id)

    def parse_row(self, values: tuple[Any, ...]) -> tuple[Any, dict[str, Any]]:
        code, name, established, unit, address, industry, domains, claimed = values
        record = read_fields(
            [
                ("uscc", "统一社会信用代码", lambda: required(uscc(code))),
                ("name", "企业名称", lambda: required(cells.text(name))),
                ("established_on", "成立日期", lambda: cells.date(established)),
                ("unit_id", "所在区县", lambda: self.units.resolve("所在区县", unit).pk),
                ("registered_address", "注册地址", lambda: cells.text(address)),
                ("industry_id", "行业代码", lambda: self._industry(industry)),
                ("domains", "重点领域", lambda: self._domains(domains)),
                ("claimed_origin", "申报来源", lambda: self.origins(claimed) or ""),
            ]
        )
        self.rules.check(record)
        return record["uscc"], record

    def _industry(self, value: Any) -> int | None:
        raw = cells.code(value)
        if not raw:
            return None
        match = re.search(r"\d{4}", raw)
        if match and match.group() in self.industries:
            return self.industries[match.group()]
        raise cells.CellError(
            _("“%(value)s”不是 GB/T 4754-2017 大类 63—65 中的小类代码（如 6513 应用软件开发）。")
            % {"value": raw}
        )

    def _domains(self, value: Any) -> set[int]:
        names = [name for name in DOMAIN_SEPARATORS.split(cells.text(value)) if name]
        codes = {name: self.focus.options.get(term_key(name)) for name in names}
        if unknown := [name for name, code in codes.items() if code is None]:
            raise cells.not_a_choice(unknown, self.focus.labels)
        return {self.domain_ids[code] for code in codes.values() if code is not None}

    def plan(self, parsed: list[Parsed[dict[str, Any]]]) -> EnterprisePlan:
        plan = EnterprisePlan()
        for item in parsed:
            values, stored = item.record, self.stored.get(item.key)
            if self.keyed_row_rejected(item, stored, _("企业")):
                continue
            domains = values.pop("domains")
            if stored is not None:
                values.pop("uscc")
                if domains != (before := self.stored_domains.get(stored["pk"], set())):
                    plan.domains[item.key] = (item.row, domains)
                    plan.note(
                        stored["pk"], {"focus_domains": (tuple(sorted(before)), tuple(sorted(domains)))}
                    )
            elif domains:
                plan.domains[item.key] = (item.row, domains)
            plan.compare(item.row, stored, values)
        return plan
