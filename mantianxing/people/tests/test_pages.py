"""The people pages and API: scope through spells, masked ID numbers only, salaries only where allowed."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from django.urls import reverse

from mantianxing.accounts.choices import Role
from mantianxing.core.testing import PersonaTestCase, make_user
from mantianxing.imports.models import ImportBatch, Ledger
from mantianxing.people.choices import RoleCategory
from mantianxing.people.models import EmploymentSpell, Person

PEOPLE = "/people/"
API = "/api/people"
# Eighteen characters of an ID number: 17 digits and a digit or X, not inside a longer number.
FULL_ID = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")


def spell(
    person: Person, enterprise: Any, first: date, last: date, salary: str | None, **fields: Any
) -> EmploymentSpell:
    return EmploymentSpell.objects.create(
        person=person,
        enterprise=enterprise,
        first_month=first,
        last_month=last,
        role_category=fields.pop("role_category", RoleCategory.SOFTWARE),
        annual_salary=Decimal(salary) if salary else None,
        **fields,
    )


class PeopleTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.reviewer = make_user("reviewer", Role.TALENT_REVIEWER)
        cls.batch = ImportBatch.objects.create(
            ledger=Ledger.ROSTER,
            file_name="花名册2024年6月.xlsx",
            sha256="2" * 64,
            created_by=cls.city_officer,
            rows=1,
            valid=1,
            imported=1,
            skipped=0,
        )
        cls.zhang = Person.objects.create(id_hash="hash-zhang", id_masked="**************123X", name="张三")
        cls.li = Person.objects.create(id_hash="hash-li", id_masked="**************5678", name="李四")
        # 赵六 moved from 南岸's firm to 渝中's: 渝中 sees the person, but only the 渝中 spell.
        cls.zhao = Person.objects.create(id_hash="hash-zhao", id_masked="**************9012", name="赵六")
        cls.zhang_yz = spell(
            cls.zhang,
            cls.enterprise_yz,
            date(2024, 1, 1),
            date(2024, 6, 1),
            "36.50",
            hired_on=date(2023, 12, 18),
            batch=cls.batch,
        )
        cls.li_na = spell(cls.li, cls.enterprise_na, date(2024, 2, 1), date(2024, 5, 1), "28.40")
        cls.zhao_na = spell(
            cls.zhao,
            cls.enterprise_na,
            date(2023, 1, 1),
            date(2023, 12, 1),
            "51.20",
            role_category=RoleCategory.AI_PLUS,
        )
        cls.zhao_yz = spell(
            cls.zhao,
            cls.enterprise_yz,
            date(2024, 1, 1),
            date(2024, 6, 1),
            "60.10",
            role_category=RoleCategory.AI_PLUS,
        )

    def names(self, **params: Any) -> set[str]:
        response = self.client.get(PEOPLE, params)
        self.assertEqual(response.status_code, 200)
        return {p.name for p in response.context["object_list"]}

    def detail(self, person: Person) -> str:
        return reverse("people:person_detail", args=[person.pk])


class PersonPageTests(PeopleTestCase):
    def test_it_renders_the_list_and_detail_for_the_city_officer(self) -> None:
        self.client.force_login(self.city_officer)
        listing = self.client.get(PEOPLE)
        self.assertEqual({p.name for p in listing.context["object_list"]}, {"张三", "李四", "赵六"})
        self.assertContains(listing, "**************123X")
        rows = {p.name: p for p in listing.context["object_list"]}
        self.assertEqual(rows["赵六"].last_enterprise_name, self.enterprise_yz.name)
        page = self.client.get(self.detail(self.zhang))
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, self.enterprise_yz.name)
        self.assertContains(page, "2024-01")
        self.assertContains(page, "2024-06")
        self.assertContains(page, "2023-12-18")

    def test_it_shows_the_masked_id_and_never_a_full_one(self) -> None:
        self.client.force_login(self.reviewer)
        for url in (PEOPLE, self.detail(self.zhang)):
            page = self.client.get(url).content.decode()
            self.assertIn("123X", page)
            self.assertIsNone(FULL_ID.search(page), url)
        body = self.client.get(f"{API}/{self.zhang.pk}", headers=self.bearer(self.reviewer)).content.decode()
        self.assertIn("123X", body)
        self.assertIsNone(FULL_ID.search(body))
        self.assertNotIn("hash-zhang", body)

    def test_it_hides_the_other_units_people_from_a_district_officer(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        self.assertEqual(self.names(), {"张三", "赵六"})
        self.assertEqual(self.client.get(self.detail(self.li)).status_code, 404)
        # 赵六's spell at 南岸's firm is not 渝中's to see.
        page = self.client.get(self.detail(self.zhao))
        self.assertEqual([row.spell for row in page.context["spells"]], [self.zhao_yz])
        self.assertNotContains(page, self.enterprise_na.name)

    def test_it_says_nothing_about_another_units_firm_through_the_filters(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        self.assertEqual(self.names(enterprise=self.enterprise_na.uscc), set())
        self.assertEqual(self.names(month="2023-06"), set())
        self.assertEqual(self.names(unit="500108"), set())

    def test_it_shows_the_enterprise_user_its_own_people(self) -> None:
        self.client.force_login(self.enterprise_user)
        self.assertEqual(self.names(), {"张三", "赵六"})
        self.assertEqual(self.client.get(self.detail(self.li)).status_code, 404)

    def test_it_shows_the_operator_no_one(self) -> None:
        self.client.force_login(self.operator)
        self.assertEqual(self.names(), set())
        self.assertEqual(self.client.get(self.detail(self.zhang)).status_code, 404)

    def test_it_filters_by_enterprise_unit_month_role_and_search(self) -> None:
        self.client.force_login(self.city_officer)
        self.assertEqual(self.names(enterprise=self.enterprise_na.uscc.lower()), {"李四", "赵六"})
        self.assertEqual(self.names(unit="500103"), {"张三", "赵六"})
        self.assertEqual(self.names(month="2024-06"), {"张三", "赵六"})
        self.assertEqual(self.names(month="2024-03"), {"张三", "李四", "赵六"})
        self.assertEqual(self.names(month="2023-06"), {"赵六"})
        self.assertEqual(self.names(role=RoleCategory.AI_PLUS), {"赵六"})
        # All spell filters hold on one spell: 赵六 was at 南岸's firm in 2023, not in 2024.
        self.assertEqual(self.names(enterprise=self.enterprise_na.uscc, month="2024-03"), {"李四"})
        self.assertEqual(self.names(q="123x"), {"张三"})
        self.assertEqual(self.names(q="李"), {"李四"})

    def test_it_links_each_spell_to_its_import_batch(self) -> None:
        self.client.force_login(self.city_officer)
        page = self.client.get(self.detail(self.zhang))
        self.assertContains(page, reverse("imports:batch_detail", args=[self.batch.pk]))
        self.assertContains(page, f"导入批次 #{self.batch.pk} 花名册2024年6月.xlsx")
        self.assertContains(self.client.get(self.detail(self.li)), "手工录入/修改")

    def test_it_links_a_roster_month_filter_back_from_the_enterprise(self) -> None:
        self.client.force_login(self.city_officer)
        response = self.client.get(PEOPLE, {"enterprise": self.enterprise_yz.uscc, "month": "2024-06"})
        self.assertEqual({p.name for p in response.context["object_list"]}, {"张三", "赵六"})
        self.assertContains(response, 'value="2024-06"')


class SalaryTests(PeopleTestCase):
    def salary_shown(self, user: Any, person: Person, salary: str) -> bool:
        self.client.force_login(user)
        return salary in self.client.get(self.detail(person)).content.decode()

    def api_salaries(self, user: Any, person: Person) -> list[Any]:
        response = self.client.get(f"{API}/{person.pk}", headers=self.bearer(user))
        self.assertEqual(response.status_code, 200)
        return [s["annual_salary"] for s in response.json()["spells"]]

    def test_it_shows_salaries_to_the_enterprise_and_the_talent_reviewer(self) -> None:
        self.assertTrue(self.salary_shown(self.enterprise_user, self.zhang, "36.50"))
        self.assertTrue(self.salary_shown(self.reviewer, self.zhang, "36.50"))
        self.assertTrue(self.salary_shown(self.reviewer, self.zhao, "51.20"))
        self.assertEqual(self.api_salaries(self.enterprise_user, self.zhang), ["36.50"])
        self.assertEqual(self.api_salaries(self.reviewer, self.zhao), ["51.20", "60.10"])

    def test_it_hides_salaries_from_the_city_and_district_officers(self) -> None:
        for user in (self.city_officer, self.yuzhong_officer):
            with self.subTest(user=user.username):
                self.assertFalse(self.salary_shown(user, self.zhang, "36.50"))
                self.assertFalse(self.salary_shown(user, self.zhao, "60.10"))
                self.assertEqual(self.api_salaries(user, self.zhang), [None])
        self.assertEqual(self.api_salaries(self.city_officer, self.zhao), [None, None])

    def test_it_hides_the_salary_from_the_enterprise_for_spells_at_other_firms(self) -> None:
        # The enterprise user sees 赵六 through its own spell only, and that salary only.
        self.assertEqual(self.api_salaries(self.enterprise_user, self.zhao), ["60.10"])
        self.assertFalse(self.salary_shown(self.enterprise_user, self.zhao, "51.20"))


class PeopleApiTests(PeopleTestCase):
    def test_it_lists_with_the_same_filters_and_scope(self) -> None:
        headers = self.bearer(self.yuzhong_officer)
        body = self.client.get(API, headers=headers).json()
        self.assertEqual({item["name"] for item in body["items"]}, {"张三", "赵六"})
        zhao = next(item for item in body["items"] if item["name"] == "赵六")
        self.assertEqual(zhao["last_enterprise"], self.enterprise_yz.uscc)
        self.assertEqual(zhao["last_month"], "2024-06")
        self.assertNotIn("annual_salary", zhao)
        role = self.client.get(API, {"role": "ai_plus", "month": "2024-02"}, headers=headers).json()
        self.assertEqual([item["name"] for item in role["items"]], ["赵六"])
        self.assertEqual(self.client.get(f"{API}/{self.li.pk}", headers=headers).status_code, 404)

    def test_it_answers_422_to_a_malformed_month(self) -> None:
        response = self.client.get(API, {"month": "六月"}, headers=self.bearer(self.city_officer))
        self.assertEqual(response.status_code, 422)

    def test_it_offers_no_writes(self) -> None:
        headers = self.bearer(self.city_officer)
        response = self.client.post(API, {"name": "x"}, content_type="application/json", headers=headers)
        self.assertEqual(response.status_code, 405)


class PeopleAdminTests(PeopleTestCase):
    def test_it_keeps_salaries_and_hashes_out_of_the_back_office(self) -> None:
        self.client.force_login(self.city_officer)
        listing = self.client.get("/admin/people/employmentspell/")
        self.assertEqual(listing.status_code, 200)
        self.assertNotContains(listing, "36.50")
        change = self.client.get(f"/admin/people/employmentspell/{self.zhang_yz.pk}/change/")
        self.assertEqual(change.status_code, 200)
        self.assertNotContains(change, "36.50")
        person = self.client.get(f"/admin/people/person/{self.zhang.pk}/change/")
        self.assertContains(person, "123X")
        self.assertNotContains(person, "hash-zhang")
        self.client.force_login(self.enterprise_user)
        self.assertContains(
            self.client.get(f"/admin/people/employmentspell/{self.zhang_yz.pk}/change/"), "36.50"
        )

    def test_it_scopes_people_in_the_back_office(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        listing = self.client.get("/admin/people/person/")
        self.assertContains(listing, "张三")
        self.assertNotContains(listing, "李四")
        self.assertNotEqual(self.client.get(f"/admin/people/person/{self.li.pk}/change/").status_code, 200)
