"""Derived facts stay true whatever door a ledger write comes through, and `mtx verify` says so."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal

from django.apps import apps
from django.core.management import call_command
from django.db.models.signals import post_migrate
from django.urls import reverse
from django.utils import timezone

from mantianxing.carriers.models import Occupancy
from mantianxing.core import derived
from mantianxing.core.bulk import insert_rows
from mantianxing.core.models import DerivedState, Verification
from mantianxing.core.testing import PersonaTestCase
from mantianxing.enterprises.choices import HonourKind, Origin
from mantianxing.enterprises.models import Enterprise, EnterpriseOrigin, Honour
from mantianxing.imports.ledgers import LEDGERS
from mantianxing.imports.pipeline import run_import
from mantianxing.imports.tests.sheets import xlsx
from mantianxing.lib.identifiers import make_uscc
from mantianxing.monitoring.choices import Indicator
from mantianxing.monitoring.compute import ensure_fresh
from mantianxing.monitoring.models import IndicatorValue
from mantianxing.people.models import RosterFiling
from mantianxing.plans.models import Plan
from mantianxing.stats.models import MonthlyStatistics

ID_1 = "500103199003071239"


class DerivedTestCase(PersonaTestCase):
    """A firm registered in Beijing that moved into 渝中 in March 2026: new in the 2025 plan."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.plan_2025 = Plan.objects.get(code="2025")
        cls.beijing = Enterprise.objects.create(
            uscc=make_uscc("91110108MA01AAAA1"), name="北京来渝软件有限公司", unit=cls.yuzhong
        )
        Occupancy.objects.create(
            building=cls.building_yz,
            enterprise=cls.beijing,
            area=Decimal("300"),
            moved_in_on=date(2026, 3, 1),
        )

    def origin(self, plan: Plan | None = None) -> str:
        return EnterpriseOrigin.objects.get(enterprise=self.beijing, plan=plan or self.plan_2025).origin

    def new_enterprises(self) -> Decimal:
        ensure_fresh()
        latest = IndicatorValue.objects.filter(
            plan=self.plan_2025, indicator=Indicator.NEW_ENTERPRISES, unit__code="500000"
        ).order_by("-month")
        return latest.values_list("value", flat=True).first() or Decimal(0)

    def verify(self, *args: str) -> tuple[int, dict[str, object]]:
        out = io.StringIO()
        try:
            call_command("verify", "--json", *args, stdout=out)
            code = 0
        except SystemExit as exit:
            code = int(exit.code or 0)
        return code, json.loads(out.getvalue())


class FreshnessTests(DerivedTestCase):
    def test_it_decides_the_origin_as_soon_as_a_row_is_saved_through_the_orm(self):
        assert self.origin() == Origin.INTRODUCED
        # No service, no recompute: a plain ORM save of a statistics month from 2024 dates the arrival.
        MonthlyStatistics.objects.create(enterprise=self.beijing, month=date(2024, 5, 1))
        assert self.origin() == Origin.EXISTING

    def test_moving_an_occupancy_to_another_firm_recomputes_both(self):
        occupancy = Occupancy.objects.get(enterprise=self.beijing)
        occupancy.enterprise = self.enterprise_yz
        occupancy.save()
        # Without an occupancy, the Beijing firm's arrival is unknown: 存量.
        assert self.origin() == Origin.EXISTING

    def test_a_roster_import_that_changes_an_origin_changes_new_enterprises_at_once(self):
        assert self.new_enterprises() == 1
        roster = xlsx(
            LEDGERS["roster"].columns,
            [["2024-05", self.beijing.uscc, "张三", ID_1, "软件开发", "2020-01-01", 30]],
        )
        result = run_import("roster", roster, file_name="2024-05.xlsx")
        assert result.errors == []
        assert self.origin() == Origin.EXISTING
        assert self.new_enterprises() == 0

    def test_a_bulk_write_outside_an_import_is_caught_by_the_next_read(self):
        now = timezone.now()
        insert_rows(
            RosterFiling,
            ["enterprise", "month", "headcount"],
            [(self.beijing.pk, date(2024, 5, 1), 3)],
            created_at=now,
            updated_at=now,
        )
        assert DerivedState.objects.get(name="origins").dirty
        assert self.new_enterprises() == 0  # the indicators read the origins: both brought up to date
        assert self.origin() == Origin.EXISTING
        assert not DerivedState.objects.get(name="origins").dirty

    def test_a_migration_marks_every_fact_stale(self):
        ensure_fresh()
        # A data migration writes through historical models, which send no signals.
        EnterpriseOrigin.objects.filter(enterprise=self.beijing).update(origin=Origin.EXISTING)
        post_migrate.send(apps.get_app_config("core"), app_config=apps.get_app_config("core"), verbosity=0)
        assert self.origin() == Origin.INTRODUCED  # origins are eager: recomputed at once
        assert DerivedState.objects.get(name="indicators").dirty

    def test_a_write_rebuilds_only_the_indicators_that_read_it(self):
        ensure_fresh()
        area = IndicatorValue.objects.filter(indicator=Indicator.CARRIER_AREA_IN_USE)
        assert area.exists()
        area.update(value=Decimal(-1))  # bypasses every door: only a rebuild of this indicator mends it
        Honour.objects.create(
            enterprise=self.beijing, kind=HonourKind.LISTED, awarded_on=date(2026, 5, 1), source="上交所"
        )
        state = ensure_fresh()
        assert state.partial
        listed = IndicatorValue.objects.filter(
            plan=self.plan_2025, indicator=Indicator.LISTED_ENTERPRISES, unit__code="500000"
        )
        assert listed.order_by("-month").values_list("value", flat=True).first() == 1
        assert set(area.values_list("value", flat=True)) == {Decimal(-1)}  # not read again

    def test_marks_from_any_writer_add_up_in_the_database(self):
        ensure_fresh()
        derived.mark("indicators", [1])
        derived.mark("indicators", [4])  # another thread or process: the keys are in the row, not in memory
        assert derived.pending("indicators") == {1, 4}
        derived.mark("indicators")
        state = DerivedState.objects.get(name="indicators")
        assert state.dirty and state.stale_keys is None  # all of it, from now until the refresh
        assert not ensure_fresh().partial

    def test_a_fact_is_refreshed_before_what_reads_it(self):
        assert [fact.name for fact in derived.facts()].index("origins") < [
            fact.name for fact in derived.facts()
        ].index("indicators")


class VerifyTests(DerivedTestCase):
    def test_it_is_clean_after_writes_through_every_door(self):
        MonthlyStatistics.objects.create(enterprise=self.beijing, month=date(2026, 4, 1))
        run_import(
            "roster",
            xlsx(
                LEDGERS["roster"].columns, [["2026-04", self.beijing.uscc, "张三", ID_1, "软件开发", "", 30]]
            ),
            file_name="r.xlsx",
        )
        code, report = self.verify()
        assert (code, report["ok"], report["differences"]) == (0, True, [])
        assert report["checked"] > 0
        run = Verification.objects.get()
        assert run.ok and run.user is None

    def test_it_reports_what_no_mark_caught_and_exits_1(self):
        ensure_fresh()
        # Writes that bypass every door (a queryset update sends no signal) leave stored facts wrong.
        EnterpriseOrigin.objects.filter(enterprise=self.beijing, plan=self.plan_2025).update(
            origin=Origin.EXISTING
        )
        IndicatorValue.objects.filter(indicator=Indicator.NEW_ENTERPRISES).update(value=Decimal(7))
        code, report = self.verify()
        assert code == 1 and report["ok"] is False
        kinds = {difference["kind"] for difference in report["differences"]}  # type: ignore[attr-defined]
        assert {"origin", "indicator"} <= kinds
        origin = next(d for d in report["differences"] if d["kind"] == "origin")  # type: ignore[attr-defined]
        assert origin["key"] == f"{self.beijing.uscc}/2025"
        assert origin["stored"]["origin"] == Origin.EXISTING
        assert origin["recomputed"]["origin"] == Origin.INTRODUCED
        assert Verification.objects.get().differences_total == len(report["differences"])  # type: ignore[arg-type]

    def test_a_district_officer_cannot_start_one(self):
        code, _report = 0, None
        try:
            call_command("verify", "--user", self.yuzhong_officer.username, stdout=io.StringIO())
        except SystemExit as exit:
            code = int(exit.code or 0)
        except Exception as error:  # CommandError carries the exit code
            code = getattr(error, "returncode", 1)
        assert code == 2
        assert not Verification.objects.exists()


class VerificationPageTests(DerivedTestCase):
    def test_the_city_office_starts_one_and_sees_the_result(self):
        self.client.force_login(self.city_officer)
        response = self.client.post(reverse("verification"), follow=True)
        self.assertContains(response, "数据核验完成：一致。")
        self.assertContains(response, "企业来源")
        self.assertContains(response, "监测指标值")
        assert Verification.objects.get().user == self.city_officer

    def test_an_auditor_reads_it_but_cannot_start_one(self):
        self.client.force_login(self.auditor)
        self.assertContains(self.client.get(reverse("verification")), "核验记录")
        assert self.client.post(reverse("verification")).status_code == 403
        assert not Verification.objects.exists()

    def test_other_roles_are_refused(self):
        for user in (self.yuzhong_officer, self.outsider):
            self.client.force_login(user)
            assert self.client.get(reverse("verification")).status_code == 403
