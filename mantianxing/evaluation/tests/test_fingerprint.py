"""The run's hash covers everything that decides its result: scheme, inputs, draws, seed and rules."""

from __future__ import annotations

import importlib
from unittest import mock

import time_machine
from django.apps import apps

from mantianxing.core.testing import PersonaTestCase
from mantianxing.evaluation import services
from mantianxing.evaluation.fingerprint import MAX_SEED, METHOD, default_seed, run_digest
from mantianxing.evaluation.inputs import InputError
from mantianxing.evaluation.models import Run
from mantianxing.evaluation.schemes import digest, load_yaml
from mantianxing.evaluation.tests.factories import TODAY, TWO_UNITS, store, target
from mantianxing.evaluation.tests.test_runs import SCHEME


@time_machine.travel(TODAY, tick=False)
class FingerprintTests(PersonaTestCase):
    def setUp(self) -> None:
        super().setUp()
        store(TWO_UNITS)
        target("500103", "new_employees", 1000)
        self.scheme = services.save_scheme(self.city_officer, load_yaml(SCHEME))

    def run_it(self, draws: int, seed: int | None = None) -> Run:
        return services.run_evaluation(self.city_officer, "2026H1", self.scheme, draws=draws, seed=seed)

    def test_it_gives_ten_thousand_draws_another_hash_than_one_thousand(self) -> None:
        few, many = self.run_it(1000), self.run_it(10000)
        assert few.pk != many.pk and few.sha256 != many.sha256
        assert (few.scheme_sha256, few.inputs_sha256, few.seed) == (
            many.scheme_sha256,
            many.inputs_sha256,
            many.seed,
        )
        assert many.robustness["draws"] == 10000

    def test_it_gives_another_seed_another_hash_and_its_own_draws(self) -> None:
        default, other = self.run_it(200), self.run_it(200, seed=12345)
        assert default.sha256 != other.sha256
        assert other.seed == other.robustness["seed"] == 12345
        assert default.seed == default_seed(self.scheme.body, default.inputs)

    def test_it_returns_the_existing_run_only_when_everything_is_the_same(self) -> None:
        first = self.run_it(200)
        assert self.run_it(200).pk == first.pk
        assert self.run_it(200, seed=first.seed).pk == first.pk  # the default seed, asked for by number
        assert self.run_it(201).pk != first.pk
        assert self.run_it(200, seed=first.seed + 1).pk != first.pk
        assert Run.objects.count() == 3

    def test_it_hashes_the_scheme_inputs_draws_seed_and_rules_together(self) -> None:
        run = self.run_it(100)
        assert run.method == METHOD
        assert run.sha256 == digest(
            {
                "scheme": run.scheme_body,
                "inputs": run.inputs,
                "draws": 100,
                "seed": run.seed,
                "method": METHOD,
            }
        )

    def test_it_makes_a_new_run_when_a_rule_of_the_code_changes(self) -> None:
        before = self.run_it(100)
        changed = METHOD | {"rules": METHOD["rules"] + 1}
        with mock.patch("mantianxing.evaluation.services.METHOD", changed):
            after = self.run_it(100)
        assert after.pk != before.pk and after.method == changed

    def test_it_refuses_a_seed_out_of_range(self) -> None:
        for seed in (-1, MAX_SEED + 1):
            with self.subTest(seed=seed), self.assertRaisesMessage(InputError, "随机种子应为"):
                self.run_it(10, seed=seed)

    def test_it_draws_the_robustness_again_when_verifying(self) -> None:
        run = self.run_it(300, seed=7)
        check = services.verify(run)
        assert check.robustness_reproduced and check.hashes_match and check.reproduced
        assert services.verify(self.run_it(0)).robustness_reproduced is None

    def test_it_detects_stored_draws_or_seed_that_were_changed(self) -> None:
        run = self.run_it(300, seed=7)
        for change in ({"seed": 8}, {"draws": 301}):
            with self.subTest(change=change):
                Run.objects.filter(pk=run.pk).update(**change)
                tampered = Run.objects.get(pk=run.pk)
                check = services.verify(tampered)
                assert not check.hashes_match and not check.robustness_reproduced
                Run.objects.filter(pk=run.pk).update(seed=7, draws=300)

    def test_it_rehashes_a_stored_run_as_a_new_run_would_be_hashed(self) -> None:
        """The data migration: old hash (scheme and inputs only), no seed stored → today's hash and seed."""
        run = self.run_it(200)
        expected = (run.sha256, run.seed, run.scheme_name)
        old_hash = digest({"scheme": run.scheme_body, "inputs": run.inputs})
        Run.objects.filter(pk=run.pk).update(sha256=old_hash, seed=0, method={}, scheme_name="")
        migration = importlib.import_module(
            "mantianxing.evaluation.migrations.0004_run_hash_and_supersession"
        )
        migration.forward(apps, None)
        run.refresh_from_db()
        assert (run.sha256, run.seed, run.scheme_name) == expected
        assert run.method == METHOD == migration.METHOD_RULES_1
        assert run_digest(run.scheme_body, run.inputs, run.draws, run.seed, run.method) == run.sha256
        assert services.verify(run).robustness_reproduced
