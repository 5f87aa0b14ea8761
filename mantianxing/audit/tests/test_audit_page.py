"""访问审计: the city office alone searches the reads and the changes, and exports them safely."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from openpyxl import load_workbook

from mantianxing.audit.choices import AccessAction, Channel
from mantianxing.audit.models import AccessRecord
from mantianxing.core.testing import PersonaTestCase
from mantianxing.people.models import Person

PAGE = reverse("audit:audit_list")
EXPORT = reverse("audit:audit_export")


def access(actor, action=AccessAction.PERSON_VIEW, when=(2026, 3, 10), **fields) -> AccessRecord:  # type: ignore[no-untyped-def]
    return AccessRecord.objects.create(
        timestamp=datetime(*when, 4, 0, tzinfo=UTC),
        actor=actor,
        actor_name=actor.username,
        action=action,
        channel=fields.pop("channel", Channel.PAGE),
        **fields,
    )


class AuditPageTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        person = Person.objects.create(id_hash="hash-zhang", id_masked="**************123X", name="张三")
        person_type = ContentType.objects.get_for_model(Person)
        cls.early = access(
            cls.yuzhong_officer,
            when=(2026, 3, 1),
            content_type=person_type,
            object_pk=str(person.pk),
            object_repr=str(person),
            remote_addr="10.1.1.1",
        )
        cls.salary = access(
            cls.enterprise_user, when=(2026, 3, 15), content_type=person_type, includes_salary=True
        )
        cls.export = access(
            cls.city_officer, AccessAction.ROSTER_EXPORT, when=(2026, 4, 2), object_repr='=HYPERLINK("x")'
        )

    def shown(self, **params: str) -> list[object]:
        response = self.client.get(PAGE, params)
        self.assertEqual(response.status_code, 200)
        return list(response.context["object_list"])

    def test_it_is_the_city_offices_alone(self) -> None:
        for user in (
            self.yuzhong_officer,
            self.operator,
            self.enterprise_user,
            self.owner,
            self.auditor,
            self.outsider,
        ):
            self.client.force_login(user)
            self.assertEqual(self.client.get(PAGE).status_code, 403, user)
            self.assertEqual(self.client.get(EXPORT).status_code, 403, user)
        self.client.logout()
        self.assertEqual(self.client.get(PAGE).status_code, 302)

    def test_it_lists_the_reads_newest_first_with_who_what_and_where(self) -> None:
        self.client.force_login(self.city_officer)
        response = self.client.get(PAGE)
        self.assertEqual(list(response.context["object_list"]), [self.export, self.salary, self.early])
        self.assertContains(response, "10.1.1.1")
        self.assertContains(response, "张三（**************123X）")
        self.assertContains(response, "访问审计")  # in the navigation

    def test_it_filters_by_user_action_dates_model_record_address_and_salary(self) -> None:
        self.client.force_login(self.city_officer)
        self.assertEqual(self.shown(user="yuzhong"), [self.early])
        self.assertEqual(self.shown(action=AccessAction.ROSTER_EXPORT), [self.export])
        self.assertEqual(self.shown(since="2026-03-02", until="2026-03-31"), [self.salary])
        self.assertEqual(self.shown(model="people.person"), [self.salary, self.early])
        self.assertEqual(self.shown(object_pk=self.early.object_pk), [self.early])
        self.assertEqual(self.shown(remote_addr="10.1.1.1"), [self.early])
        self.assertEqual(self.shown(salary="on"), [self.salary])

    def test_it_reports_a_bad_filter_in_chinese_and_lists_nothing(self) -> None:
        self.client.force_login(self.city_officer)
        response = self.client.get(PAGE, {"since": "2026-04-01", "until": "2026-03-01"})
        self.assertEqual(list(response.context["object_list"]), [])
        self.assertContains(response, "起始日期晚于截止日期")
        response = self.client.get(PAGE, {"since": "明天"})
        self.assertContains(response, "起始日期：")
        response = self.client.get(EXPORT, {"remote_addr": "x"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("来源地址", response.content.decode())

    def test_it_searches_the_change_history_without_its_values(self) -> None:
        self.client.force_login(self.city_officer)
        self.building_yz.total_area = Decimal("98765.4")
        self.building_yz.save()
        entries = self.shown(source="change", model="carriers.building", action="1")
        self.assertEqual([entry.object_pk for entry in entries], [str(self.building_yz.pk)])
        self.assertEqual(self.shown(source="change", action=AccessAction.PERSON_VIEW), [])
        # Which record changed, not into what: the values stay in the record's own history, where
        # its scope rules apply (a salary or a revenue must not surface here).
        response = self.client.get(PAGE, {"source": "change"})
        self.assertContains(response, self.building_yz.name)
        self.assertNotContains(response, "98765")

    def test_it_exports_the_search_as_xlsx_with_formulas_as_text_and_logs_the_export(self) -> None:
        self.client.force_login(self.city_officer)
        response = self.client.get(EXPORT, {"action": AccessAction.ROSTER_EXPORT}, REMOTE_ADDR="10.2.2.2")
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment;", response["Content-Disposition"])

        sheet = load_workbook(io.BytesIO(response.content)).active
        header = [cell.value for cell in sheet[2]]
        self.assertEqual(header[:3], ["时间", "用户名", "操作"])
        (row,) = sheet.iter_rows(min_row=3)
        record_cell = row[header.index("记录")]
        self.assertEqual(record_cell.value, '=HYPERLINK("x")')
        self.assertEqual(record_cell.data_type, "s")  # text, not a formula
        self.assertTrue(record_cell.quotePrefix)
        self.assertEqual(row[1].value, "city")

        logged = AccessRecord.objects.get(action=AccessAction.AUDIT_EXPORT)
        self.assertEqual((logged.actor, logged.remote_addr), (self.city_officer, "10.2.2.2"))
        self.assertIn("1 行", logged.detail)
        self.assertIn("action=roster_export", logged.detail)

    def test_it_never_keeps_an_id_number_typed_into_a_filter(self) -> None:
        self.client.force_login(self.city_officer)
        self.client.get(EXPORT, {"user": "50010319900307123X"})
        logged = AccessRecord.objects.get(action=AccessAction.AUDIT_EXPORT)
        self.assertNotIn("50010319900307123X", logged.detail)
        self.assertIn("user=**************123X", logged.detail)

    def test_it_exports_the_change_history(self) -> None:
        self.client.force_login(self.city_officer)
        self.enterprise_yz.name = "=1+1"
        self.enterprise_yz.save()
        response = self.client.get(EXPORT, {"source": "change", "model": "enterprises.enterprise"})
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(min_row=3))
        self.assertTrue(rows)
        self.assertTrue(all(row[3].value == "企业" for row in rows))
        edited = next(row for row in rows if row[2].value == "修改")
        self.assertEqual(edited[4].value, str(self.enterprise_yz.pk))
        self.assertTrue(str(edited[5].value).startswith("=1+1"))
        self.assertEqual(edited[5].data_type, "s")
