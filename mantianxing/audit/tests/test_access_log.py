"""Reads of personal data leave a record: person pages and API details, salaries, roster exports."""

from __future__ import annotations

import io
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from mantianxing.accounts.choices import Role
from mantianxing.audit.choices import AccessAction, Channel
from mantianxing.audit.models import AccessRecord
from mantianxing.core.testing import PersonaTestCase, make_user
from mantianxing.people.choices import RoleCategory
from mantianxing.people.models import EmploymentSpell, Person, RosterFiling

MARCH = date(2026, 3, 1)


class AccessLogTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.reviewer = make_user("reviewer", Role.TALENT_REVIEWER)
        cls.zhang = Person.objects.create(id_hash="hash-zhang", id_masked="**************123X", name="张三")
        EmploymentSpell.objects.create(
            person=cls.zhang,
            enterprise=cls.enterprise_yz,
            first_month=date(2026, 1, 1),
            last_month=MARCH,
            role_category=RoleCategory.SOFTWARE,
            annual_salary=Decimal("36.50"),
        )
        RosterFiling.objects.create(enterprise=cls.enterprise_yz, month=MARCH, headcount=1)

    def person_url(self) -> str:
        return reverse("people:person_detail", args=[self.zhang.pk])


class PersonPageAccessTests(AccessLogTestCase):
    def test_it_records_who_opened_a_person_page_when_and_from_where(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        response = self.client.get(self.person_url(), REMOTE_ADDR="10.1.2.3")
        self.assertEqual(response.status_code, 200)

        record = AccessRecord.objects.get()
        self.assertEqual(record.actor, self.yuzhong_officer)
        self.assertEqual(record.actor_name, "yuzhong")
        self.assertEqual(record.action, AccessAction.PERSON_VIEW)
        self.assertEqual(record.channel, Channel.PAGE)
        self.assertEqual(record.object_pk, str(self.zhang.pk))
        self.assertEqual(record.object_repr, "张三（**************123X）")
        self.assertEqual(record.remote_addr, "10.1.2.3")
        self.assertEqual(record.request_id, response["X-Request-ID"])
        self.assertIsNotNone(record.timestamp)
        # A district officer does not see salaries, and the record says so.
        self.assertFalse(record.includes_salary)

    def test_it_flags_a_page_that_showed_a_salary(self) -> None:
        self.client.force_login(self.enterprise_user)
        self.client.get(self.person_url())
        self.assertTrue(AccessRecord.objects.get().includes_salary)

    def test_it_records_nothing_for_a_person_out_of_scope_or_the_list(self) -> None:
        self.client.force_login(self.nanan_officer)
        self.assertEqual(self.client.get(self.person_url()).status_code, 404)
        self.assertEqual(self.client.get(reverse("people:person_list")).status_code, 200)
        self.assertFalse(AccessRecord.objects.exists())

    def test_it_records_the_api_detail_with_its_salary(self) -> None:
        response = self.client.get(
            f"/api/people/{self.zhang.pk}", headers=self.bearer(self.reviewer), REMOTE_ADDR="10.9.9.9"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["spells"][0]["annual_salary"], "36.50")

        record = AccessRecord.objects.get()
        self.assertEqual(
            (record.actor, record.channel, record.includes_salary, record.remote_addr),
            (self.reviewer, Channel.API, True, "10.9.9.9"),
        )

    def test_it_believes_x_forwarded_for_only_from_a_trusted_proxy(self) -> None:
        self.client.force_login(self.city_officer)
        spoofed = {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 10.0.0.7", "REMOTE_ADDR": "10.0.0.1"}
        self.client.get(self.person_url(), **spoofed)
        with override_settings(MTX_TRUSTED_PROXIES=["10.0.0.1"]):
            self.client.get(self.person_url(), **spoofed)
            # Garbage from a proxy is no address: the proxy's own is kept.
            self.client.get(self.person_url(), HTTP_X_FORWARDED_FOR="not-an-ip", REMOTE_ADDR="10.0.0.1")
        addresses = list(AccessRecord.objects.order_by("pk").values_list("remote_addr", flat=True))
        # Untrusted: the connection's address. Trusted: the hop the proxy added, not the client's claim.
        self.assertEqual(addresses, ["10.0.0.1", "10.0.0.7", "10.0.0.1"])


class RosterExportAccessTests(AccessLogTestCase):
    def test_it_records_a_roster_export_from_the_page(self) -> None:
        self.client.force_login(self.city_officer)
        response = self.client.get(
            reverse("imports:export", args=["roster"]), {"month": "2026-03"}, REMOTE_ADDR="10.4.4.4"
        )
        self.assertEqual(response.status_code, 200)
        b"".join(response.streaming_content)

        record = AccessRecord.objects.get()
        self.assertEqual(record.action, AccessAction.ROSTER_EXPORT)
        self.assertEqual(record.channel, Channel.PAGE)
        self.assertEqual(record.actor, self.city_officer)
        self.assertEqual(record.remote_addr, "10.4.4.4")
        self.assertIn("2026-03", record.detail)
        self.assertIn("1 行", record.detail)
        self.assertFalse(record.includes_salary)  # the city office never sees salaries

    def test_it_records_a_roster_export_through_the_api_with_salaries(self) -> None:
        response = self.client.get("/api/imports/exports/roster", headers=self.bearer(self.enterprise_user))
        self.assertEqual(response.status_code, 200)
        record = AccessRecord.objects.get()
        self.assertEqual((record.channel, record.includes_salary), (Channel.API, True))

    def test_it_records_a_roster_export_from_the_command_line(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            call_command("export", "roster", str(Path(folder) / "roster.xlsx"), stdout=io.StringIO())
        record = AccessRecord.objects.get()
        self.assertIsNone(record.actor)
        self.assertTrue(record.actor_name.startswith("命令行："))
        self.assertEqual(record.channel, Channel.COMMAND)
        self.assertIsNone(record.remote_addr)

    def test_it_does_not_record_exports_of_other_ledgers(self) -> None:
        self.client.force_login(self.city_officer)
        response = self.client.get(reverse("imports:export", args=["buildings"]))
        b"".join(response.streaming_content)
        self.assertFalse(AccessRecord.objects.exists())
