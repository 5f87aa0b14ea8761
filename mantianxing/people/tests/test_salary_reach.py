"""Salaries are out of reach of every role but the enterprise itself and talent reviewers.

Each door is tried as each role: the back office's filters, lookups, search and ordering, the people
pages' and the API's query strings, the roster export. A role that may not see a salary must learn
nothing from it: not the figure, not a count of people above it, not an order by it.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.urls import reverse
from openpyxl import load_workbook

from mantianxing.accounts.models import User
from mantianxing.audit.models import AccessRecord
from mantianxing.people.tests.test_pages import API, PEOPLE, PeopleTestCase

ADMIN = "/admin/people/employmentspell/"
# Each names or counts people by salary (36.50 is 张三's at 渝中's firm).
SALARY_QUERIES = (
    {"annual_salary__gte": "30"},
    {"annual_salary": "36.50"},
    {"annual_salary__isnull": "False"},
    {"annual_salary__in": "36.50,60.10"},
    {"annual_salary__range": "36,37"},
)
# Parameters an ordering or filter by salary would be given under, on the pages and the API.
SALARY_PARAMETERS = {
    "annual_salary__gte": "50",
    "annual_salary": "36.50",
    "ordering": "-annual_salary",
    "order_by": "annual_salary",
    "o": "annual_salary",
    "sort": "-annual_salary",
}


class SalaryReachTests(PeopleTestCase):
    def hidden_roles(self) -> list[User]:
        return [
            self.city_officer,
            self.yuzhong_officer,
            self.nanan_officer,
            self.operator,
            self.owner,
            self.auditor,
            self.outsider,
        ]

    def admin_get(self, user: User, params: dict[str, str]) -> Any:
        self.client.force_login(user)
        return self.client.get(ADMIN, params)

    def test_it_refuses_salary_lookups_in_the_admin_to_every_role_that_may_not_see_salaries(self) -> None:
        for user in self.hidden_roles():
            for params in SALARY_QUERIES:
                with self.subTest(user=user.username, params=params):
                    response = self.admin_get(user, params)
                    # 400 for a refused lookup, 403 for a role without the back office: never a list.
                    self.assertIn(response.status_code, (400, 403))
                    self.assertNotIn(b"\xe5\xbc\xa0\xe4\xb8\x89", response.content)  # 张三

    def test_it_keeps_salary_lookups_for_the_enterprise_itself(self) -> None:
        response = self.admin_get(self.enterprise_user, {"annual_salary__gte": "50"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(list(response.context["cl"].result_list), [self.zhao_yz])

    def test_it_finds_nobody_by_a_salary_typed_into_the_admin_search(self) -> None:
        for user in (self.city_officer, self.yuzhong_officer, self.auditor):
            with self.subTest(user=user.username):
                response = self.admin_get(user, {"q": "36.50"})
                self.assertEqual(response.status_code, 200)
                self.assertEqual(list(response.context["cl"].result_list), [])

    def test_it_orders_the_admin_list_by_no_salary(self) -> None:
        self.client.force_login(self.city_officer)
        columns = len(self.client.get(ADMIN).context["cl"].list_display)
        for index in range(columns + 2):
            with self.subTest(o=index):
                response = self.client.get(ADMIN, {"o": str(index)})
                ordering = response.context["cl"].queryset.query.order_by
                self.assertFalse(any("annual_salary" in str(field) for field in ordering), ordering)

    def test_it_shows_no_salary_on_the_admin_spell_page_to_roles_that_may_not_see_it(self) -> None:
        url = reverse("admin:people_employmentspell_change", args=[self.zhang_yz.pk])
        for user in (self.city_officer, self.yuzhong_officer, self.auditor):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, "36.5")
                self.assertNotIn("annual_salary", response.context["adminform"].form.fields)

    def test_it_logs_the_salary_read_on_the_admin_spell_page(self) -> None:
        self.client.force_login(self.enterprise_user)
        url = reverse("admin:people_employmentspell_change", args=[self.zhang_yz.pk])
        self.assertContains(self.client.get(url), "36.5")
        record = AccessRecord.objects.get(actor=self.enterprise_user)
        self.assertTrue(record.includes_salary)
        self.assertEqual(record.object_pk, str(self.zhang.pk))

    def test_it_logs_a_view_without_salary_for_the_city_office(self) -> None:
        self.client.force_login(self.city_officer)
        self.client.get(reverse("admin:people_employmentspell_change", args=[self.zhang_yz.pk]))
        self.assertFalse(AccessRecord.objects.get(actor=self.city_officer).includes_salary)

    def test_it_ignores_salary_parameters_on_the_people_page(self) -> None:
        for user in [*self.hidden_roles(), self.enterprise_user, self.reviewer]:
            with self.subTest(user=user.username):
                self.client.force_login(user)
                plain = self.client.get(PEOPLE)
                tried = self.client.get(PEOPLE, SALARY_PARAMETERS)
                self.assertEqual(tried.status_code, plain.status_code)
                if plain.status_code == 200:
                    self.assertEqual(
                        [p.pk for p in tried.context["object_list"]],
                        [p.pk for p in plain.context["object_list"]],
                    )

    def test_it_ignores_salary_parameters_in_the_api(self) -> None:
        for user in [*self.hidden_roles(), self.enterprise_user, self.reviewer]:
            with self.subTest(user=user.username):
                headers = self.bearer(user)
                plain = self.client.get(API, headers=headers)
                tried = self.client.get(API, SALARY_PARAMETERS, headers=headers)
                self.assertEqual(tried.status_code, plain.status_code)
                self.assertEqual(tried.content, plain.content)

    def test_it_returns_no_salary_in_the_api_to_roles_that_may_not_see_it(self) -> None:
        for user in (self.city_officer, self.yuzhong_officer, self.auditor):
            with self.subTest(user=user.username):
                body = self.client.get(f"{API}/{self.zhang.pk}", headers=self.bearer(user)).json()
                self.assertEqual([s["annual_salary"] for s in body["spells"]], [None])

    def test_it_exports_the_roster_without_salaries_to_roles_that_may_not_see_them(self) -> None:
        url = reverse("imports:export", args=["roster"])
        for user in (self.city_officer, self.yuzhong_officer, self.auditor):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                response = self.client.get(url, {"month": "2024-06"})
                self.assertEqual(response.status_code, 200)
                sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
                values = {cell for row in sheet.iter_rows(values_only=True) for cell in row}
                self.assertTrue({"36.5", 36.5, "60.1", 60.1}.isdisjoint(values))
