"""The enterprise pages and API: profile sections, origin per plan, disputes, 上星, honours, scope."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone

from mantianxing.carriers.models import Building, Occupancy
from mantianxing.core.testing import PersonaTestCase, form_data
from mantianxing.enterprises.choices import HonourKind, Origin
from mantianxing.enterprises.models import Enterprise, EnterpriseOrigin, FocusDomain, Honour, IndustryClass
from mantianxing.enterprises.origin import recompute_origins
from mantianxing.enterprises.shangxing import last_full_year
from mantianxing.imports.models import ImportBatch, Ledger
from mantianxing.lib.identifiers import make_uscc
from mantianxing.people.choices import RoleCategory
from mantianxing.people.models import EmploymentSpell, Person, RosterFiling
from mantianxing.stats.models import MonthlyStatistics

DISPUTES = "/enterprises/disputes/"
API = "/api/enterprises"
JSON = "application/json"


class EnterprisePagesTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # 上星 is judged on the last full year's December: the figures are dated in it.
        cls.year = last_full_year(timezone.localdate())
        december, november = date(cls.year, 12, 1), date(cls.year, 11, 1)
        Building.objects.filter(pk__in=[cls.building_yz.pk, cls.building_na.pk]).update(
            carrier_area=Decimal("10000")
        )
        cls.industry = IndustryClass.objects.get(edition="2017", code="6513")
        cls.ai = FocusDomain.objects.get(code="ai_agents")
        cls.industrial = FocusDomain.objects.get(code="industrial_software")
        # 渝中's firm was set up in 2023 (new in the 2022 plan), but its district claims it was brought in.
        Enterprise.objects.filter(pk=cls.enterprise_yz.pk).update(
            claimed_origin=Origin.INTRODUCED, industry=cls.industry
        )
        cls.enterprise_yz.refresh_from_db()
        cls.enterprise_yz.focus_domains.set([cls.ai])
        cls.old_firm = Enterprise.objects.create(
            uscc=make_uscc("91500103MA61EEEE5"),
            name="重庆老牌软件有限公司",
            unit=cls.yuzhong,
            established_on=date(2010, 3, 1),
        )
        cls.batch = ImportBatch.objects.create(
            ledger=Ledger.STATISTICS,
            file_name="经营数据12月.xlsx",
            sha256="1" * 64,
            created_by=cls.city_officer,
            rows=1,
            valid=1,
            imported=1,
            skipped=0,
        )
        cls.home = Occupancy.objects.create(
            building=cls.building_yz,
            enterprise=cls.enterprise_yz,
            area=Decimal("600"),
            moved_in_on=date(2023, 6, 1),
            moved_out_on=date(2024, 6, 1),
        )
        cls.away = Occupancy.objects.create(
            building=cls.building_na,
            enterprise=cls.enterprise_yz,
            area=Decimal("900"),
            moved_in_on=date(2024, 6, 1),
        )
        RosterFiling.objects.create(enterprise=cls.enterprise_yz, month=november, headcount=96)
        RosterFiling.objects.create(enterprise=cls.enterprise_yz, month=december, headcount=104)
        cls.december = MonthlyStatistics.objects.create(
            enterprise=cls.enterprise_yz,
            month=december,
            software_revenue=Decimal("12000"),
            product_revenue=Decimal("4000"),
            it_service_revenue=Decimal("7000"),
            headcount=104,
            batch=cls.batch,
        )
        person = Person.objects.create(id_hash="h-enterprise-1", id_masked="**************4321", name="王五")
        EmploymentSpell.objects.create(
            person=person,
            enterprise=cls.enterprise_yz,
            first_month=november,
            last_month=december,
            role_category=RoleCategory.SOFTWARE,
            annual_salary=Decimal("88.88"),
        )
        recompute_origins()


class EnterpriseDetailTests(EnterprisePagesTestCase):
    def test_it_shows_every_section_to_the_city_officer(self) -> None:
        self.client.force_login(self.city_officer)
        response = self.client.get(self.enterprise_yz.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        # Locations over time, each row linked to its occupancy.
        self.assertEqual([o.pk for o in response.context["locations"].rows], [self.home.pk, self.away.pk])
        self.assertContains(response, reverse("carriers:occupancy_detail", args=[self.away.pk]))
        # Origin per plan: new (新设立) in the 2022 plan, credited to 渝中 where it first located.
        origins = {entry.plan.code: entry for entry in response.context["origins"]}
        self.assertEqual(origins["2022"].computed.origin, Origin.ESTABLISHED)
        self.assertEqual(origins["2022"].computed.credited_unit, self.yuzhong)
        self.assertContains(response, "与申报不一致")
        # Roster size by month, each month linked to the people on it.
        self.assertContains(
            response, f"/people/?enterprise={self.enterprise_yz.uscc}&amp;month={self.year}-12"
        )
        self.assertContains(response, ">104<")
        # Statistics by month, linked to each row and to the batch that wrote it.
        self.assertContains(response, self.december.get_absolute_url())
        self.assertContains(response, f"导入批次 #{self.batch.pk} 经营数据12月.xlsx")
        # 上星 on the last full year, with its basis.
        self.assertTrue(response.context["shangxing"]["shangxing"])
        self.assertContains(response, f"经营数据 {self.year}-12 软件业务收入")
        # Facts.
        self.assertContains(response, "6513 应用软件开发")
        self.assertContains(response, "AI智能体")

    def test_it_never_shows_a_salary(self) -> None:
        for user in (self.city_officer, self.enterprise_user):
            self.client.force_login(user)
            self.assertNotContains(self.client.get(self.enterprise_yz.get_absolute_url()), "88.88")

    def test_it_shows_a_district_officer_only_the_locations_in_its_scope(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        response = self.client.get(self.enterprise_yz.get_absolute_url())
        self.assertEqual([o.pk for o in response.context["locations"].rows], [self.home.pk])
        self.assertContains(response, "另有 1 条入驻记录")
        self.assertNotContains(response, "NA-0001")

    def test_it_does_not_warn_when_the_claim_agrees_with_some_plan(self) -> None:
        Enterprise.objects.filter(pk=self.enterprise_yz.pk).update(claimed_origin=Origin.ESTABLISHED)
        self.client.force_login(self.city_officer)
        response = self.client.get(self.enterprise_yz.get_absolute_url())
        self.assertFalse(response.context["disputed"])
        self.assertNotContains(response, "与申报不一致")

    def test_it_links_the_enterprise_to_its_import_batch(self) -> None:
        self.client.force_login(self.city_officer)
        self.assertContains(self.client.get(self.old_firm.get_absolute_url()), "手工录入/修改")
        Enterprise.objects.filter(pk=self.old_firm.pk).update(batch=self.batch)
        response = self.client.get(self.old_firm.get_absolute_url())
        self.assertContains(response, reverse("imports:batch_detail", args=[self.batch.pk]))


class EnterpriseListTests(EnterprisePagesTestCase):
    def names(self, **params: Any) -> set[str]:
        response = self.client.get("/enterprises/", params)
        self.assertEqual(response.status_code, 200)
        return {e.name for e in response.context["object_list"]}

    def test_it_shows_industry_origin_and_shangxing_columns(self) -> None:
        self.client.force_login(self.city_officer)
        response = self.client.get("/enterprises/")
        rows = {e.pk: (origins, star) for e, origins, star in response.context["rows"]}
        self.assertTrue(rows[self.enterprise_yz.pk][1])
        self.assertFalse(rows[self.old_firm.pk][1])
        self.assertEqual(rows[self.old_firm.pk][0][0].origin, Origin.EXISTING)
        self.assertContains(response, "6513 应用软件开发")
        self.assertContains(response, f"{self.enterprise_yz.get_absolute_url()}#shangxing")

    def test_it_filters_by_focus_domain_industry_and_origin_per_plan(self) -> None:
        self.client.force_login(self.city_officer)
        self.assertEqual(self.names(domain="ai_agents"), {self.enterprise_yz.name})
        self.assertEqual(self.names(domain="games"), set())
        self.assertEqual(self.names(industry="6513"), {self.enterprise_yz.name})
        self.assertEqual(self.names(origin_2022="new"), {self.enterprise_yz.name, self.enterprise_na.name})
        self.assertEqual(self.names(origin_2022="existing"), {self.old_firm.name})
        self.assertEqual(self.names(origin_2025="new"), set())

    def test_it_keeps_the_filters_inside_the_scope(self) -> None:
        self.client.force_login(self.nanan_officer)
        self.assertEqual(self.names(origin_2022="new"), {self.enterprise_na.name})


class DisputeListTests(EnterprisePagesTestCase):
    def test_it_lists_the_disagreement_for_the_city_office(self) -> None:
        self.client.force_login(self.city_officer)
        response = self.client.get(DISPUTES)
        self.assertEqual(response.status_code, 200)
        self.assertEqual([e for e, _origins in response.context["rows"]], [self.enterprise_yz])
        self.assertContains(response, "新引进")  # claimed
        self.assertContains(response, "新设立")  # computed, 2022 plan
        self.assertContains(response, "与申报不一致")

    def test_it_lists_a_districts_own_disputes_only(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        self.assertContains(self.client.get(DISPUTES), self.enterprise_yz.name)
        self.client.force_login(self.nanan_officer)
        response = self.client.get(DISPUTES)
        self.assertEqual(list(response.context["object_list"]), [])
        self.assertNotContains(response, self.enterprise_yz.name)

    def test_it_is_not_for_enterprises_or_operators(self) -> None:
        for user in (self.enterprise_user, self.operator):
            self.client.force_login(user)
            self.assertEqual(self.client.get(DISPUTES).status_code, 403)


class EnterpriseFormTests(EnterprisePagesTestCase):
    def test_it_saves_industry_focus_domains_and_claim_and_recomputes(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        url = reverse("enterprises:enterprise_edit", args=[self.old_firm.pk])
        data = form_data(
            self.old_firm,
            industry=self.industry.pk,
            focus_domains=[self.ai.pk, self.industrial.pk],
            claimed_origin=Origin.ESTABLISHED,
            established_on="2023-01-10",
        )
        self.assertRedirects(self.client.post(url, data), self.old_firm.get_absolute_url())
        self.old_firm.refresh_from_db()
        self.assertEqual(self.old_firm.industry, self.industry)
        self.assertEqual(set(self.old_firm.focus_domains.all()), {self.ai, self.industrial})
        # Established later now: the origin follows at once.
        computed = EnterpriseOrigin.objects.get(enterprise=self.old_firm, plan__code="2022")
        self.assertEqual(computed.origin, Origin.ESTABLISHED)

    def test_it_takes_industry_focus_domains_and_claim_through_the_api(self) -> None:
        headers = self.bearer(self.yuzhong_officer)
        payload = {
            "uscc": make_uscc("91500103MA61FFFF6"),
            "name": "重庆接口新企业有限公司",
            "unit": "500103",
            "industry": "6513",
            "focus_domains": ["ai_agents", "工业软件"],
            "claimed_origin": "introduced",
        }
        response = self.client.post(API, payload, content_type=JSON, headers=headers)
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual((body["industry"], body["industry_edition"]), ("6513", "2017"))
        self.assertEqual(set(body["focus_domains"]), {"ai_agents", "industrial_software"})
        self.assertEqual(body["claimed_origin"], "introduced")
        self.assertTrue(EnterpriseOrigin.objects.filter(enterprise_id=body["id"]).exists())
        patched = self.client.patch(
            f"{API}/{body['id']}", {"focus_domains": [], "industry": None}, content_type=JSON, headers=headers
        )
        self.assertEqual(patched.json()["focus_domains"], [])
        self.assertIsNone(patched.json()["industry"])
        listed = self.client.get(API, {"domain": "ai_agents"}, headers=headers).json()
        self.assertEqual([item["name"] for item in listed["items"]], [self.enterprise_yz.name])

    def test_it_refuses_an_unknown_industry_or_domain(self) -> None:
        headers = self.bearer(self.yuzhong_officer)
        url = f"{API}/{self.old_firm.pk}"
        self.assertEqual(
            self.client.patch(url, {"industry": "9999"}, content_type=JSON, headers=headers).status_code, 400
        )
        bad_domain = self.client.patch(url, {"focus_domains": ["区块链"]}, content_type=JSON, headers=headers)
        self.assertEqual(bad_domain.status_code, 400)
        self.assertIn("区块链", bad_domain.json()["message"])


class HonourTests(EnterprisePagesTestCase):
    def test_it_lets_the_district_officer_add_and_edit_an_honour(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        url = reverse("enterprises:honour_add", args=[self.enterprise_yz.pk])
        data = {"kind": HonourKind.LITTLE_GIANT, "awarded_on": "2024-07-01", "source": "工信部第六批"}
        response = self.client.post(url, data)
        self.assertRedirects(response, f"{self.enterprise_yz.get_absolute_url()}#honours")
        honour = Honour.objects.get(enterprise=self.enterprise_yz)
        self.assertEqual(honour.created_by, self.yuzhong_officer)
        edit = reverse("enterprises:honour_edit", args=[honour.pk])
        self.client.post(edit, dict(data, source="工信部第六批专精特新“小巨人”"))
        page = self.client.get(self.enterprise_yz.get_absolute_url())
        self.assertContains(page, "工信部第六批专精特新“小巨人”")

    def test_it_keeps_honours_to_the_city_and_the_enterprises_district(self) -> None:
        url = reverse("enterprises:honour_add", args=[self.enterprise_yz.pk])
        self.client.force_login(self.enterprise_user)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.client.force_login(self.nanan_officer)
        self.assertEqual(self.client.get(url).status_code, 404)


class EnterpriseAdminTests(EnterprisePagesTestCase):
    def test_it_shows_origins_and_reference_data_read_only(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        origins = self.client.get("/admin/enterprises/enterpriseorigin/")
        self.assertEqual(origins.status_code, 200)
        self.assertContains(origins, self.enterprise_yz.name)
        self.assertNotContains(origins, self.enterprise_na.name)
        self.assertEqual(self.client.get("/admin/enterprises/enterpriseorigin/add/").status_code, 403)
        self.assertContains(self.client.get("/admin/enterprises/industryclass/"), "应用软件开发")
        self.assertContains(self.client.get("/admin/enterprises/focusdomain/"), "AI智能体")
        self.assertEqual(self.client.get("/admin/enterprises/honour/").status_code, 200)
