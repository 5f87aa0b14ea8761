"""mtx demo: a hidden `tiny` scale, built and imported once, holds every story the product must handle."""

from __future__ import annotations

import hashlib
import io
import shutil
import tempfile
from datetime import date
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django.test import TestCase

from mantianxing.carriers.models import Building, Occupancy
from mantianxing.demo.generator import write_files
from mantianxing.demo.world import SCALES, World
from mantianxing.enterprises.choices import Origin
from mantianxing.enterprises.models import Enterprise, EnterpriseOrigin
from mantianxing.enterprises.origin import disputed_enterprises
from mantianxing.imports.models import ImportBatch, Ledger
from mantianxing.people.models import EmploymentSpell, Person, RosterFiling
from mantianxing.stats.models import MonthlyStatistics


def digests(folder: Path) -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(folder.glob("*.xlsx"))
    }


class DemoCommandTests(TestCase):
    out: Path

    @classmethod
    def setUpTestData(cls) -> None:
        cls.out = Path(tempfile.mkdtemp(prefix="mtx-demo-"))
        call_command("demo", "--scale", "tiny", "--out", str(cls.out), verbosity=0)

    @classmethod
    def tearDownClass(cls) -> None:
        shutil.rmtree(cls.out, ignore_errors=True)
        super().tearDownClass()

    def test_it_imports_every_ledger_through_the_pipeline(self) -> None:
        batches = ImportBatch.objects.values("ledger").annotate(n=Count("pk"))
        counts = {row["ledger"]: row["n"] for row in batches}
        self.assertEqual(set(counts), set(Ledger.values))
        self.assertEqual(counts[Ledger.ROSTER], SCALES["tiny"].months)  # one file per month
        for model in (Building, Enterprise, Occupancy, MonthlyStatistics, EmploymentSpell, RosterFiling):
            with self.subTest(model=model.__name__):
                self.assertTrue(model.objects.exists())
                self.assertFalse(model.objects.filter(batch__isnull=True).exists())

    def test_it_writes_the_files_it_imports(self) -> None:
        names = set(digests(self.out))
        self.assertEqual(names, set(ImportBatch.objects.values_list("file_name", flat=True)))

    def test_it_has_intra_city_movers(self) -> None:
        self.assertTrue(EnterpriseOrigin.objects.filter(origin=Origin.RELOCATED).exists())

    def test_it_has_firms_introduced_from_other_provinces(self) -> None:
        introduced = Enterprise.objects.filter(origins__origin=Origin.INTRODUCED).distinct()
        self.assertTrue(introduced.exists())
        self.assertFalse(any(e.uscc[2:4] == "50" for e in introduced))

    def test_it_has_claims_that_disagree_with_the_system(self) -> None:
        disputed = disputed_enterprises(Enterprise.objects.all())
        self.assertTrue(disputed.filter(claimed_origin=Origin.ESTABLISHED).exists())

    def test_it_has_people_who_changed_jobs(self) -> None:
        movers = Person.objects.annotate(firms=Count("spells__enterprise", distinct=True)).filter(firms__gt=1)
        self.assertTrue(movers.exists())

    def test_it_refuses_a_database_that_holds_enterprises(self) -> None:
        with self.assertRaises(CommandError) as raised:
            call_command("demo", "--scale", "tiny", "--out", str(self.out), verbosity=0)
        self.assertEqual(raised.exception.returncode, 2)
        self.assertIn("已有企业", str(raised.exception))

    def test_it_skips_silently_when_asked_to_load_only_into_an_empty_database(self) -> None:
        output = io.StringIO()
        call_command("demo", "--scale", "tiny", "--if-empty", "--out", str(self.out), stdout=output)
        self.assertEqual(output.getvalue(), "")
        self.assertEqual(ImportBatch.objects.filter(ledger=Ledger.ROSTER).count(), SCALES["tiny"].months)


class DemoFilesTests(TestCase):
    def write(self, seed: int) -> dict[str, str]:
        folder = Path(tempfile.mkdtemp(prefix="mtx-demo-"))
        self.addCleanup(shutil.rmtree, folder, True)
        write_files(World(SCALES["tiny"], seed, date(2026, 3, 15)), folder)
        return digests(folder)

    def test_it_writes_the_same_bytes_for_the_same_seed(self) -> None:
        first = self.write(7)
        self.assertEqual(len(first), 3 + 2 + 4)  # 2025-11 to 2026-02: statistics of two years, four rosters
        self.assertEqual(first, self.write(7))

    def test_it_writes_other_data_for_another_seed(self) -> None:
        first, second = self.write(7), self.write(8)
        self.assertNotEqual(first["02-企业台账.xlsx"], second["02-企业台账.xlsx"])
