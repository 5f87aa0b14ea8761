"""Stored runs: their scheme name, seed and rules, a hash that covers them, and one current publication.

Decisions:
- The seed a stored run drew its robustness with was the first 8 hex digits of its old hash (scheme
  and inputs); it is kept (from the stored summary where there is one), so the stored robustness
  stays reproducible and the new hash equals the one a new run with the same choices gets.
- The rules' constants are those of rules version 1 (`fingerprint.METHOD` when this was written),
  frozen here: a migration must not change when the code does.
- Runs of one scheme name and period published more than once are chained in the order they were
  published: each is superseded by the next one, the last stays current.
"""

import hashlib
import json
from collections import defaultdict

from django.db import migrations

METHOD_RULES_1 = {
    "rules": 1,
    "target_cap": 120.0,
    "places": 6,
    "fen": "0.01",
    "weight_sigma": 0.2,
    "alternatives": ["max", "minmax", "rank", "zscore", "target"],
    "generator": "numpy.random.default_rng (PCG64)",
}


def digest(data):
    return hashlib.sha256(
        json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()


def forward(apps, schema_editor):
    Run = apps.get_model("evaluation", "Run")
    for run in Run.objects.select_related("scheme").order_by("pk"):
        run.scheme_name = run.scheme.name
        run.seed = (run.robustness or {}).get("seed", int(run.sha256[:8], 16))
        run.method = METHOD_RULES_1
        run.sha256 = digest(
            {
                "scheme": run.scheme_body,
                "inputs": run.inputs,
                "draws": run.draws,
                "seed": run.seed,
                "method": run.method,
            }
        )
        run.save(update_fields=["scheme_name", "seed", "method", "sha256"])
    published = defaultdict(list)
    for run in Run.objects.filter(published_at__isnull=False).order_by("published_at", "pk"):
        published[(run.scheme_name, run.period)].append(run)
    for runs in published.values():
        for earlier, later in zip(runs, runs[1:]):
            earlier.superseded_by = later
            earlier.save(update_fields=["superseded_by"])


def backward(apps, schema_editor):
    Run = apps.get_model("evaluation", "Run")
    Run.objects.update(superseded_by=None)
    for run in Run.objects.order_by("pk"):
        run.sha256 = digest({"scheme": run.scheme_body, "inputs": run.inputs})
        run.save(update_fields=["sha256"])


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0003_run_supersession_fields")]

    operations = [migrations.RunPython(forward, backward)]
