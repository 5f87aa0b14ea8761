"""The city office tunes the criteria (service, page, API); the change moves the verdicts and is
kept in the history; nobody else may change them, and values that make no sense are refused."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from mantianxing.honours.buildings import assess_buildings
from mantianxing.honours.choices import CriterionKind
from mantianxing.honours.models import DemonstrationCriterion
from mantianxing.honours.services import save_criteria
from mantianxing.honours.tests.base import ON, HonoursTestCase, criterion

CRITERIA = reverse("honours:criteria")
JSON = "application/json"


def star_passes() -> bool:
    return next(row for row in assess_buildings(ON) if row.code == "YZ-STAR").passed


def form_data(**changes: str) -> dict[str, str]:
    """The criteria page's POST data as the rows stand, with `changes` (field name: value)."""
    data: dict[str, str] = {}
    for row in DemonstrationCriterion.objects.all():
        prefix = row.kind
        if row.threshold is not None:
            data[f"{prefix}-threshold"] = str(row.threshold)
        if row.codes:
            data[f"{prefix}-codes"] = ",".join(row.codes)
        if row.edition:
            data[f"{prefix}-edition"] = row.edition
        if row.enabled:
            data[f"{prefix}-enabled"] = "on"
        data[f"{prefix}-note"] = row.note
    return data | changes


class SaveCriteriaTests(HonoursTestCase):
    def test_a_raised_threshold_fails_the_star_and_is_in_the_history(self) -> None:
        self.assertTrue(star_passes())
        changed = save_criteria(self.city_officer, {"occupancy_rate": {"threshold": Decimal("75.01")}})
        self.assertEqual(changed, 1)
        self.assertFalse(star_passes())
        row = criterion(CriterionKind.OCCUPANCY_RATE)
        self.assertEqual((row.threshold, row.updated_by), (Decimal("75.01"), self.city_officer))
        entry = LogEntry.objects.get_for_object(row).latest("timestamp")
        self.assertEqual(entry.actor, self.city_officer)
        self.assertEqual(entry.changes_dict["threshold"], ["70.00", "75.01"])

    def test_disabling_a_criterion_lets_a_building_pass(self) -> None:
        save_criteria(self.city_officer, {"software_firms": {"threshold": Decimal("21")}})
        self.assertFalse(star_passes())
        save_criteria(self.city_officer, {"software_firms": {"enabled": False}})
        self.assertTrue(star_passes())

    def test_an_unchanged_value_writes_nothing(self) -> None:
        self.assertEqual(
            save_criteria(self.city_officer, {"carrier_area": {"threshold": Decimal("10000")}}), 0
        )

    def test_it_refuses_values_that_make_no_sense(self) -> None:
        cases = {
            "occupancy_rate": {"threshold": Decimal("120")},
            "carrier_area": {"threshold": None},
            "software_firms": {"threshold": Decimal("20.5")},
            "independent_operator": {"threshold": Decimal("1")},
            "software_focus": {"parameter": {"edition": "2017", "codes": ["6"]}},
            "no_such_kind": {"enabled": False},
        }
        for kind, values in cases.items():
            with self.subTest(kind=kind), self.assertRaises(ValidationError) as caught:
                save_criteria(self.city_officer, {kind: values})
            self.assertIn(kind, caught.exception.message_dict)
        self.assertEqual(criterion(CriterionKind.OCCUPANCY_RATE).threshold, Decimal("70"))

    def test_it_saves_nothing_when_one_change_is_wrong(self) -> None:
        with self.assertRaises(ValidationError):
            save_criteria(
                self.city_officer,
                {
                    "carrier_area": {"threshold": Decimal("5000")},
                    "occupancy_rate": {"threshold": Decimal("-1")},
                },
            )
        self.assertEqual(criterion(CriterionKind.CARRIER_AREA).threshold, Decimal("10000"))

    def test_only_the_city_office_changes_criteria(self) -> None:
        for user in (self.yuzhong_officer, self.auditor, self.operator, self.enterprise_user, self.outsider):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                save_criteria(user, {"carrier_area": {"threshold": Decimal("1")}})


class CriteriaPageTests(HonoursTestCase):
    def test_the_city_office_changes_a_threshold_on_the_page(self) -> None:
        self.client.force_login(self.city_officer)
        response = self.client.post(CRITERIA, form_data(**{"carrier_area-threshold": "12000.01"}))
        self.assertRedirects(response, CRITERIA)
        self.assertEqual(criterion(CriterionKind.CARRIER_AREA).threshold, Decimal("12000.01"))
        self.assertFalse(star_passes())
        page = self.client.get(CRITERIA)
        self.assertContains(page, "变更历史")
        self.assertContains(page, "12000.01")

    def test_it_changes_the_software_divisions(self) -> None:
        self.client.force_login(self.city_officer)
        self.client.post(CRITERIA, form_data(**{"software_focus-codes": "65，64、63"}))
        self.assertEqual(criterion(CriterionKind.SOFTWARE_FOCUS).codes, ["63", "64", "65"])

    def test_it_shows_why_a_value_is_refused(self) -> None:
        self.client.force_login(self.city_officer)
        response = self.client.post(CRITERIA, form_data(**{"occupancy_rate-threshold": "170"}))
        self.assertContains(response, "比例门槛值应在 0 到 100 之间", status_code=400)
        self.assertEqual(criterion(CriterionKind.OCCUPANCY_RATE).threshold, Decimal("70"))

    def test_a_district_officer_reads_but_cannot_change(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        page = self.client.get(CRITERIA)
        self.assertContains(page, "只有市专班可以修改")
        self.assertNotContains(page, "保存条件")
        response = self.client.post(CRITERIA, form_data(**{"carrier_area-threshold": "1"}))
        self.assertEqual(response.status_code, 403)
        self.assertEqual(criterion(CriterionKind.CARRIER_AREA).threshold, Decimal("10000"))

    def test_roles_outside_honours_do_not_see_the_criteria(self) -> None:
        for user in (self.operator, self.enterprise_user, self.owner, self.outsider):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(CRITERIA).status_code, 403)


class CriteriaApiTests(HonoursTestCase):
    def put(self, user: Any, payload: Any) -> Any:
        return self.client.put(
            "/api/honours/criteria",
            payload,
            content_type=JSON,
            headers=self.bearer(user),
        )

    def test_it_lists_the_criteria(self) -> None:
        data = self.client.get("/api/honours/criteria", headers=self.bearer(self.yuzhong_officer)).json()
        self.assertEqual([row["kind"] for row in data], [k.value for k in CriterionKind])
        focus = data[1]
        self.assertEqual(focus["parameter"], {"edition": "2017", "codes": ["64", "65"]})
        self.assertEqual((focus["threshold"], focus["unit_label"], focus["enabled"]), (50.0, "%", True))

    def test_the_city_office_puts_new_values(self) -> None:
        response = self.put(self.city_officer, [{"kind": "software_firms", "threshold": 25}])
        self.assertEqual(response.status_code, 200)
        firms = next(row for row in response.json() if row["kind"] == "software_firms")
        self.assertEqual(firms["threshold"], 25.0)
        self.assertEqual(LogEntry.objects.get_for_object(criterion(CriterionKind.SOFTWARE_FIRMS)).count(), 1)

    def test_it_answers_422_with_the_reason(self) -> None:
        response = self.put(self.city_officer, [{"kind": "occupancy_rate", "threshold": 101}])
        self.assertEqual(response.status_code, 422)
        self.assertIn("0 到 100", response.json()["message"])

    def test_it_answers_403_to_anyone_else(self) -> None:
        for user in (self.yuzhong_officer, self.auditor, self.operator):
            with self.subTest(user=user.username):
                response = self.put(user, [{"kind": "software_firms", "threshold": 1}])
                self.assertEqual(response.status_code, 403)
                self.assertIn("只有市专班", response.json()["message"])
        self.assertEqual(criterion(CriterionKind.SOFTWARE_FIRMS).threshold, Decimal("20"))
