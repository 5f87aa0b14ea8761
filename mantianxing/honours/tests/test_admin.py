"""The criteria in the back office: the city office edits the seeded rows, with history; no one adds
or deletes one, and other roles do not see them."""

from __future__ import annotations

import json
from decimal import Decimal

from auditlog.models import LogEntry
from django.urls import reverse

from mantianxing.honours.choices import CriterionKind
from mantianxing.honours.tests.base import HonoursTestCase, criterion

CHANGELIST = reverse("admin:honours_demonstrationcriterion_changelist")


def change_url(kind: CriterionKind) -> str:
    return reverse("admin:honours_demonstrationcriterion_change", args=[criterion(kind).pk])


class CriterionAdminTests(HonoursTestCase):
    def test_the_city_office_edits_a_criterion_with_history(self) -> None:
        self.client.force_login(self.city_officer)
        self.assertContains(self.client.get(CHANGELIST), "入驻率")
        row = criterion(CriterionKind.SOFTWARE_FOCUS)
        response = self.client.post(
            change_url(CriterionKind.SOFTWARE_FOCUS),
            {
                "threshold": "60",
                "parameter": json.dumps({"edition": "2017", "codes": ["65"]}),
                "enabled": "on",
                "position": str(row.position),
                "note": row.note,
            },
        )
        self.assertEqual(response.status_code, 302)
        row.refresh_from_db()
        self.assertEqual((row.threshold, row.codes), (Decimal("60"), ["65"]))
        self.assertEqual(LogEntry.objects.get_for_object(row).get().actor, self.city_officer)

    def test_the_admin_validates_like_the_services(self) -> None:
        self.client.force_login(self.city_officer)
        row = criterion(CriterionKind.OCCUPANCY_RATE)
        response = self.client.post(
            change_url(CriterionKind.OCCUPANCY_RATE),
            {
                "threshold": "140",
                "parameter": "{}",
                "enabled": "on",
                "position": str(row.position),
                "note": "",
            },
        )
        self.assertContains(response, "比例门槛值应在 0 到 100 之间")

    def test_no_criterion_is_added_or_deleted(self) -> None:
        self.client.force_login(self.city_officer)
        self.assertEqual(
            self.client.get(reverse("admin:honours_demonstrationcriterion_add")).status_code, 403
        )
        delete = reverse(
            "admin:honours_demonstrationcriterion_delete", args=[criterion(CriterionKind.CARRIER_AREA).pk]
        )
        self.assertEqual(self.client.get(delete).status_code, 403)

    def test_a_district_officer_cannot_change_them(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        response = self.client.post(
            change_url(CriterionKind.CARRIER_AREA),
            {"threshold": "1", "parameter": "{}", "enabled": "on", "position": "30", "note": ""},
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(criterion(CriterionKind.CARRIER_AREA).threshold, Decimal("10000"))
