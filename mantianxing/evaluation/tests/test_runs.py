"""Runs: inputs from the stored values, hashes, reproducibility, publishing and who sees what."""

from __future__ import annotations

import time_machine
from django.core.exceptions import PermissionDenied

from mantianxing.core.testing import PersonaTestCase
from mantianxing.evaluation import services
from mantianxing.evaluation.inputs import InputError
from mantianxing.evaluation.models import Run
from mantianxing.evaluation.schemes import load_yaml
from mantianxing.evaluation.tests.factories import TODAY, TWO_UNITS, store, target
from mantianxing.monitoring.models import IndicatorValue

SCHEME = """
name: 两区评估
period: half-year
units: [500103, 500108]
indicators:
  - {code: new_enterprises, weight: 0.6, normalize: max}
  - {code: new_employees, weight: 0.4, normalize: target}
rewards: {tiers: [3000000, 1000000], cap_per_unit: 2500000, budget: 3000000}
"""


@time_machine.travel(TODAY, tick=False)
class RunTests(PersonaTestCase):
    def setUp(self) -> None:
        super().setUp()
        store(TWO_UNITS)
        target("500103", "new_employees", 1000)
        target("500108", "new_employees", 500)
        self.scheme = services.save_scheme(self.city_officer, load_yaml(SCHEME))

    def run_it(self, **options: object) -> Run:
        return services.run_evaluation(self.city_officer, "2026H1", self.scheme, draws=200, **options)  # type: ignore[arg-type]

    def test_it_ranks_the_increase_inside_the_period_against_the_period_target(self) -> None:
        run = self.run_it()
        share = run.inputs["target_share"]
        assert share == round(181 / 739, 6)  # Jan–Jun 2026: 181 of the 739 days from 2025-12-23 to 2027-12-31
        assert run.inputs["values"] == {
            "500103": {"new_enterprises": 10, "new_employees": 300},
            "500108": {"new_enterprises": 20, "new_employees": 100},
        }
        assert run.inputs["targets"]["500103"]["new_employees"] == round(1000 * share, 4)
        yuzhong = next(row for row in run.result if row["unit"] == "500103")
        assert yuzhong["normalized"]["new_enterprises"] == 50
        assert yuzhong["normalized"]["new_employees"] == 120  # 300 against ~270: capped
        nanan = next(row for row in run.result if row["unit"] == "500108")
        assert nanan["score"] == round(60 + 0.4 * 100 / (500 * share) * 100, 6)

    def test_it_caps_and_scales_to_the_budget_in_a_run(self) -> None:
        rows = self.run_it().result
        # 3,000,000 capped at 2,500,000; with 1,000,000 the total 3,500,000 is scaled to 3,000,000.
        assert [row["reward_steps"]["capped"] for row in rows] == [2_500_000, 1_000_000]
        assert sum(row["reward"] for row in rows) <= 3_000_000
        assert abs(rows[0]["reward"] - 2_500_000 * 3 / 3.5) < 0.01

    def test_it_stores_hashes_of_scheme_and_inputs_and_gives_the_same_run_again(self) -> None:
        first = self.run_it()
        again = self.run_it()
        assert again.pk == first.pk
        assert Run.objects.count() == 1
        check = services.verify(first)
        assert check.reproduced and check.hashes_match and check.data_unchanged

    def test_it_gives_the_same_result_and_hashes_on_a_fresh_database_copy(self) -> None:
        first = self.run_it()
        result, robustness, digest = first.result, first.robustness, first.sha256
        Run.objects.all().delete()
        second = self.run_it()
        assert second.pk != first.pk
        assert (second.result, second.robustness, second.sha256) == (result, robustness, digest)

    def test_it_makes_a_new_run_when_the_data_changed_and_flags_the_old_one(self) -> None:
        first = self.run_it()
        IndicatorValue.objects.filter(
            unit__code="500103", indicator="new_enterprises", month__month=6
        ).update(value=40)
        second = self.run_it()
        assert second.pk != first.pk and second.inputs_sha256 != first.inputs_sha256
        assert second.scheme_sha256 == first.scheme_sha256
        check = services.verify(first)
        assert check.reproduced and check.hashes_match and check.data_unchanged is False

    def test_it_detects_a_stored_result_that_was_tampered_with(self) -> None:
        run = self.run_it()
        Run.objects.filter(pk=run.pk).update(result=list(reversed(run.result)))
        run.refresh_from_db()
        assert not services.verify(run).reproduced
        Run.objects.filter(pk=run.pk).update(inputs=run.inputs | {"target_share": 1})
        run.refresh_from_db()
        assert not services.verify(run).hashes_match

    def test_it_summarises_robustness_per_unit_in_rank_order(self) -> None:
        robustness = self.run_it().robustness
        assert robustness["draws"] == 200
        assert [tier["label"] for tier in robustness["tiers"]] == ["第1名", "第2名", "无奖励"]
        for row in robustness["units"]:
            assert 1 <= row["rank_p5"] <= row["rank_p50"] <= row["rank_p95"] <= 2
            assert abs(sum(row["tier_probability"]) - 1) < 1e-3
        assert [row["unit"] for row in robustness["units"]] == [row["unit"] for row in self.run_it().result]

    def test_it_refuses_a_period_of_the_wrong_kind_or_not_yet_over(self) -> None:
        for period, message in (("2026", "按半年评价"), ("2026H2", "尚未结束"), ("2026-06", "按半年评价")):
            with self.subTest(period=period), self.assertRaisesMessage(InputError, message):
                services.run_evaluation(self.city_officer, period, self.scheme)

    def test_it_keeps_each_edit_of_a_scheme_as_a_new_version(self) -> None:
        same = services.save_scheme(self.city_officer, load_yaml(SCHEME))
        assert same.pk == self.scheme.pk
        edited = services.save_scheme(self.city_officer, load_yaml(SCHEME.replace("0.6", "0.5")))
        assert (edited.name, edited.version) == ("两区评估", 2)
        assert services.scheme_for("2026H1", "两区评估").pk == edited.pk

    def test_it_lets_only_the_city_office_save_run_and_publish(self) -> None:
        run = self.run_it()
        for user in (self.yuzhong_officer, self.auditor, self.operator, self.enterprise_user, self.owner):
            with self.subTest(user=user.username):
                with self.assertRaises(PermissionDenied):
                    services.save_scheme(user, load_yaml(SCHEME))
                with self.assertRaises(PermissionDenied):
                    services.run_evaluation(user, "2026H1", self.scheme)
                with self.assertRaises(PermissionDenied):
                    services.publish(user, run)

    def test_it_shows_a_district_officer_only_published_runs(self) -> None:
        draft = self.run_it()
        published = services.publish(
            self.city_officer, services.run_evaluation(self.city_officer, "2026H1", self.scheme, draws=0)
        )
        assert set(services.runs_visible_to(self.city_officer)) == {draft, published}
        assert set(services.runs_visible_to(self.auditor)) == {draft, published}
        assert list(services.runs_visible_to(self.yuzhong_officer)) == [published]
        for user in (self.operator, self.enterprise_user, self.owner, self.outsider):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.runs_visible_to(user)
