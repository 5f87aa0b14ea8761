"""One published run per scheme name and period: publishing again supersedes, kept and linked."""

from __future__ import annotations

from datetime import date

import time_machine
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mantianxing.bulletins.gather import ranking_as_of
from mantianxing.core.testing import PersonaTestCase
from mantianxing.evaluation import services
from mantianxing.evaluation.choices import RunStatus
from mantianxing.evaluation.models import Run
from mantianxing.evaluation.schemes import load_yaml
from mantianxing.evaluation.tests.factories import TODAY, TWO_UNITS, store, target
from mantianxing.evaluation.tests.test_runs import SCHEME
from mantianxing.monitoring.models import IndicatorValue


@time_machine.travel(TODAY, tick=False)
class PublicationTests(PersonaTestCase):
    def setUp(self) -> None:
        super().setUp()
        store(TWO_UNITS)
        target("500103", "new_employees", 1000)
        self.scheme = services.save_scheme(self.city_officer, load_yaml(SCHEME))
        self.first = services.publish(self.city_officer, self.run_it(seed=1))

    def run_it(self, seed: int, period: str = "2026H1") -> Run:
        return services.run_evaluation(self.city_officer, period, self.scheme, draws=50, seed=seed)

    def test_it_supersedes_the_run_published_before_and_links_both_ways(self) -> None:
        second = services.publish(self.city_officer, self.run_it(seed=2))
        self.first.refresh_from_db()
        assert self.first.status is RunStatus.SUPERSEDED and self.first.superseded_by == second
        assert second.status is RunStatus.CURRENT and second.replaced == self.first
        assert self.first.is_published and self.first.published_at is not None  # kept as it was
        assert list(Run.objects.current()) == [second]
        assert (second.as_dict()["supersedes"], self.first.as_dict()["superseded_by"]) == (
            self.first.pk,
            second.pk,
        )
        assert self.first.as_dict()["status"] == "superseded"

    def test_it_chains_each_publication_to_the_one_before(self) -> None:
        second = services.publish(self.city_officer, self.run_it(seed=2))
        third = services.publish(self.city_officer, self.run_it(seed=3))
        chain = list(Run.objects.order_by("pk").values_list("pk", "superseded_by"))
        assert chain == [(self.first.pk, second.pk), (second.pk, third.pk), (third.pk, None)]

    def test_it_leaves_other_schemes_and_periods_current(self) -> None:
        other = services.save_scheme(self.city_officer, load_yaml(SCHEME.replace("两区评估", "另一方案")))
        theirs = services.publish(
            self.city_officer, services.run_evaluation(self.city_officer, "2026H1", other, draws=0)
        )
        # A new version of the same scheme name is the same scheme: it supersedes.
        edited = services.save_scheme(self.city_officer, load_yaml(SCHEME.replace("0.6", "0.7")))
        mine = services.publish(
            self.city_officer, services.run_evaluation(self.city_officer, "2026H1", edited, draws=0)
        )
        assert set(Run.objects.current()) == {theirs, mine}
        self.first.refresh_from_db()
        assert self.first.superseded_by == mine

    def test_it_publishes_the_current_run_again_without_change(self) -> None:
        stamp = self.first.published_at
        again = services.publish(self.city_officer, self.first)
        assert again.published_at == stamp and again.status is RunStatus.CURRENT
        assert Run.objects.count() == 1

    def test_it_refuses_to_publish_a_superseded_run_again(self) -> None:
        second = services.publish(self.city_officer, self.run_it(seed=2))
        with self.assertRaisesMessage(services.PublishConflict, f"已被 #{second.pk} 替代"):
            services.publish(self.city_officer, self.first)
        assert list(Run.objects.current()) == [second]

    def test_it_makes_a_new_run_when_the_same_one_was_superseded(self) -> None:
        services.publish(self.city_officer, self.run_it(seed=2))
        again = self.run_it(seed=1)  # the choices of the superseded first run
        assert again.pk != self.first.pk and again.sha256 == self.first.sha256
        assert again.status is RunStatus.DRAFT
        services.publish(self.city_officer, again)
        assert list(Run.objects.current()) == [again]

    def test_it_keeps_a_superseded_run_verifiable(self) -> None:
        services.publish(self.city_officer, self.run_it(seed=2))
        self.first.refresh_from_db()
        check = services.verify(self.first)
        assert (
            check.reproduced and check.hashes_match and check.robustness_reproduced and check.data_unchanged
        )

    def test_it_refuses_a_second_current_run_in_the_database(self) -> None:
        draft = self.run_it(seed=2)
        with self.assertRaises(IntegrityError), transaction.atomic():
            Run.objects.filter(pk=draft.pk).update(published_at=timezone.now())
        with self.assertRaises(IntegrityError), transaction.atomic():
            Run.objects.filter(pk=draft.pk).update(superseded_by=self.first)  # a draft cannot be superseded
        assert list(Run.objects.current()) == [self.first]

    def test_it_locks_the_scheme_before_reading_the_current_run(self) -> None:
        """Two publishers of one scheme queue on its version rows, so the second sees the first's run."""
        draft = self.run_it(seed=2)
        with CaptureQueriesContext(connection) as queries:
            services.publish(self.city_officer, draft)
        statements = [query["sql"] for query in queries.captured_queries]
        lock = next(i for i, sql in enumerate(statements) if 'FROM "evaluation_scheme"' in sql)
        current = next(
            i for i, sql in enumerate(statements) if '"evaluation_run"."superseded_by_id" IS NULL' in sql
        )
        assert lock < current
        if connection.features.has_select_for_update:
            assert statements[lock].endswith("FOR UPDATE")

    def test_it_shows_districts_and_bulletins_only_the_current_run(self) -> None:
        second = services.publish(self.city_officer, self.run_it(seed=2))
        draft = self.run_it(seed=3)
        for user in (self.yuzhong_officer, self.nanan_officer):
            with self.subTest(user=user.username):
                assert list(services.runs_visible_to(user)) == [second]
        for user in (self.city_officer, self.auditor):
            with self.subTest(user=user.username):
                assert set(services.runs_visible_to(user)) == {self.first, second, draft}
        ranking = ranking_as_of(date(2026, 6, 1))
        assert ranking is not None and ranking.run_id == second.pk

    def test_it_ranks_a_bulletin_with_the_new_run_after_the_data_was_corrected(self) -> None:
        IndicatorValue.objects.filter(
            unit__code="500108", indicator="new_enterprises", month__month=6
        ).update(value=1)
        corrected = services.publish(self.city_officer, self.run_it(seed=1))
        assert corrected.pk != self.first.pk and corrected.inputs_sha256 != self.first.inputs_sha256
        ranking = ranking_as_of(date(2026, 6, 1))
        assert ranking is not None and ranking.run_id == corrected.pk
