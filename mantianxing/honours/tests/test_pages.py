"""The honours pages: what they show, and a bounded number of queries whatever the ledger's size."""

from __future__ import annotations

from django.urls import reverse

from mantianxing.honours.tests.base import HonoursTestCase, building, firm, occupy, software_class

BUILDINGS = reverse("honours:building_list")
SHANGXING = reverse("honours:shangxing_list")


class BuildingPageTests(HonoursTestCase):
    def test_it_shows_each_criterion_and_the_verdict(self) -> None:
        self.client.force_login(self.city_officer)
        response = self.client.get(BUILDINGS, {"on": "2026-06-30"})
        self.assertContains(response, "运营机构为独立法人")
        self.assertContains(response, "≥ 10000㎡")
        self.assertContains(response, "75.00%")
        self.assertContains(response, "✓ 达标", count=1)
        summary = response.context["summary"]
        self.assertEqual((summary["buildings"], summary["passed"]), (4, 1))
        self.assertContains(response, "下载（Excel）")

    def test_it_shows_only_passing_buildings_when_asked(self) -> None:
        self.client.force_login(self.city_officer)
        response = self.client.get(BUILDINGS, {"on": "2026-06-30", "passed": "1"})
        self.assertEqual([row.code for row in response.context["page_obj"]], ["YZ-STAR"])
        self.assertEqual(response.context["summary"]["buildings"], 4)

    def test_it_defaults_to_today(self) -> None:
        self.client.force_login(self.city_officer)
        response = self.client.get(BUILDINGS)
        self.assertEqual(str(response.context["on"]), "2026-11-22")

    def test_a_bad_date_goes_back_with_a_message(self) -> None:
        self.client.force_login(self.city_officer)
        response = self.client.get(BUILDINGS, {"on": "2026-02-30"}, follow=True)
        self.assertRedirects(response, BUILDINGS)
        self.assertContains(response, "YYYY-MM-DD")

    def test_its_queries_do_not_grow_with_the_buildings(self) -> None:
        self.client.force_login(self.city_officer)
        self.client.get(BUILDINGS)  # warm the session and the content types
        software = software_class()
        for _ in range(40):
            more = building(self.nanan)
            occupy(more, firm(self.nanan, software), "100")
        # session, user, 5 for the assessment, the unit filter's choices
        with self.assertNumQueries(8):
            response = self.client.get(BUILDINGS)
        self.assertEqual(response.context["summary"]["buildings"], 44)


class ShangxingPageTests(HonoursTestCase):
    def test_it_explains_the_rule_and_defaults_to_the_last_complete_year(self) -> None:
        self.client.force_login(self.city_officer)
        response = self.client.get(SHANGXING)
        self.assertEqual(response.context["period"].label, "2025")
        self.assertContains(response, "期间内新增上星")
        self.assertContains(response, "2024 年")

    def test_a_first_half_year_says_why_it_has_none(self) -> None:
        self.client.force_login(self.city_officer)
        response = self.client.get(SHANGXING, {"period": "2026H1"})
        self.assertContains(response, "期间内没有新增上星企业")
