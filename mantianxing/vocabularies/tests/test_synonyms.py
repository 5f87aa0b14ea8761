"""Vocabularies as reference data: synonyms the city office keeps, read by every import."""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from mantianxing.core.testing import PersonaTestCase
from mantianxing.enterprises.models import Enterprise
from mantianxing.imports.ledgers import LEDGERS
from mantianxing.imports.pipeline import ImportResult, run_import
from mantianxing.imports.tests.sheets import xlsx
from mantianxing.lib.identifiers import make_uscc
from mantianxing.vocabularies.models import Synonym

ENTERPRISES = LEDGERS["enterprises"].columns
SYNONYMS = "/admin/vocabularies/synonym/"


class SynonymTestCase(PersonaTestCase):
    def import_firm(self, n: int = 1, **cells: Any) -> ImportResult:
        row = {
            "统一社会信用代码": make_uscc(f"91500103MA61QW{n:02d}1"),
            "企业名称": f"词表{n}公司",
            "所在区县": "渝中区",
        }
        row |= cells
        return run_import(
            "enterprises", xlsx(ENTERPRISES, [[row.get(c) for c in ENTERPRISES]]), file_name="e.xlsx"
        )

    def firm(self, n: int = 1) -> Enterprise:
        return Enterprise.objects.get(name=f"词表{n}公司")


class ImportVocabularyTests(SynonymTestCase):
    def test_it_reads_a_seeded_synonym_as_its_value(self) -> None:
        self.assertEqual(self.import_firm(申报来源="外地引进").errors, [])
        self.assertEqual(self.firm().claimed_origin, "introduced")

    def test_it_names_an_unknown_value_and_lists_the_choices(self) -> None:
        result = self.import_firm(申报来源="外省迁入")
        self.assertEqual(
            [(e.row, e.column, e.message) for e in result.errors],
            [(2, "申报来源", "“外省迁入”不是可选值，可选：新设立、新引进、存量、市内迁移")],
        )
        self.assertFalse(Enterprise.objects.filter(name="词表1公司").exists())

    def test_it_accepts_the_focus_domains_of_both_plans(self) -> None:
        domains = "人工智能、物联网和嵌入式软件、工业互联网、信息技术服务、工业软件、智能体"
        self.assertEqual(self.import_firm(重点领域=domains).errors, [])
        codes = set(self.firm().focus_domains.values_list("code", flat=True))
        self.assertEqual(
            codes,
            {
                "artificial_intelligence",
                "iot_embedded",
                "industrial_internet",
                "it_services",
                "industrial_software",
                "ai_agents",
            },
        )

    def test_it_names_every_unknown_focus_domain(self) -> None:
        result = self.import_firm(重点领域="工业软件、元宇宙、量子")
        self.assertEqual(len(result.errors), 1)
        self.assertTrue(result.errors[0].message.startswith("“元宇宙”、“量子”不是可选值，可选：软件开发、"))

    def test_it_reads_a_synonym_added_in_the_back_office_at_the_next_import(self) -> None:
        self.assertEqual(len(self.import_firm(申报来源="异地引入").errors), 1)
        self.client.force_login(self.city_officer)
        data = {"vocabulary": "claimed_origin", "term": "异地 引入", "meaning": "introduced", "_save": "保存"}
        response = self.client.post(f"{SYNONYMS}add/", data)
        self.assertEqual(response.status_code, 302)
        synonym = Synonym.objects.get(vocabulary="claimed_origin", term="异地引入")
        self.assertEqual(synonym.created_by, self.city_officer)
        self.assertTrue(LogEntry.objects.get_for_object(synonym).exists())  # with history
        self.assertEqual(self.import_firm(申报来源="异地引入").errors, [])
        self.assertEqual(self.firm().claimed_origin, "introduced")


class SynonymRulesTests(SynonymTestCase):
    def test_it_refuses_a_meaning_outside_the_vocabulary(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            Synonym(vocabulary="claimed_origin", term="外来", meaning="later").full_clean()
        self.assertIn("meaning", caught.exception.message_dict)

    def test_it_refuses_a_term_that_is_already_a_label(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            Synonym(vocabulary="claimed_origin", term="新 引进", meaning="established").full_clean()
        self.assertIn("term", caught.exception.message_dict)

    def test_it_refuses_the_same_term_twice_in_one_vocabulary(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            Synonym(vocabulary="claimed_origin", term="外地 引进", meaning="existing").full_clean()
        self.assertIn("该词表中已有这个写法。", str(caught.exception))

    def test_it_lets_only_the_city_office_edit_synonyms(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        data = {"vocabulary": "claimed_origin", "term": "区外引进", "meaning": "introduced", "_save": "保存"}
        self.assertEqual(self.client.post(f"{SYNONYMS}add/", data).status_code, 403)
        self.assertFalse(Synonym.objects.filter(term="区外引进").exists())


class VocabularyPageTests(SynonymTestCase):
    def test_it_shows_each_vocabulary_with_its_plans_and_synonyms(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        page = self.client.get("/rules/vocabularies/").content.decode()
        for text in (
            "申报来源",
            "外地引进",
            "重点领域",
            "物联网和嵌入式软件",
            "2022 年计划",
            "2025 年计划",
            "楼宇状态",
        ):
            self.assertIn(text, page)
        self.assertNotIn("维护同义词", page)

    def test_it_links_the_vocabularies_from_the_rules_page(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        self.assertContains(self.client.get("/rules/"), 'href="/rules/vocabularies/"')
