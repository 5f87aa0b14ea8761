"""Loads `data/divisions.json` into the geography tables; called by migrations, idempotent.

The loader takes the model classes as arguments so that a migration can pass its historical
models: when the file is updated, a new migration calls `load_divisions` again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

DIVISIONS_FILE = Path(__file__).parent / "data" / "divisions.json"


def read_divisions(path: Path = DIVISIONS_FILE) -> tuple[dict[str, Any], str]:
    raw = path.read_bytes()
    return json.loads(raw), hashlib.sha256(raw).hexdigest()


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@dataclass
class GeoModels:
    Unit: Any
    Succession: Any
    Place: Any
    PlaceHolding: Any
    UnitMembership: Any
    ReferenceDataset: Any

    @classmethod
    def from_apps(cls, apps: Any) -> GeoModels:
        return cls(*(apps.get_model("geo", name) for name in cls.__dataclass_fields__))


def load_divisions(models: GeoModels, path: Path = DIVISIONS_FILE) -> None:
    data, sha256 = read_divisions(path)
    units: dict[str, Any] = {}
    for row in data["units"]:
        unit, _ = models.Unit.objects.update_or_create(
            code=row["code"],
            valid_from=_day(row["valid_from"]),
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                "abolished_on": _day(row.get("abolished_on")),
                "date_precision": row.get("date_precision", "day"),
                "note": row.get("note", ""),
            },
        )
        units[f"{row['code']}@{row['valid_from']}"] = unit

    for row in data["successions"]:
        models.Succession.objects.update_or_create(
            predecessor=units[row["predecessor"]],
            successor=units[row["successor"]],
            defaults={
                "effective": _day(row["effective"]),
                "primary": row["primary"],
                "part": row.get("part", ""),
            },
        )

    for row in data.get("places", []):
        place, _ = models.Place.objects.update_or_create(
            name=row["name"], defaults={"kind": row.get("kind", "")}
        )
        place.holdings.all().delete()  # holdings are the file's, not edited by hand: replace them
        for holding in row["holdings"]:
            models.PlaceHolding.objects.create(
                place=place,
                unit=units[holding["unit"]],
                valid_from=_day(holding["from"]),
                until=_day(holding.get("until")),
            )

    models.UnitMembership.objects.all().delete()
    models.UnitMembership.objects.bulk_create(
        models.UnitMembership(
            unit=units[row["unit"]],
            group=row["group"],
            valid_from=_day(row["from"]),
            until=_day(row.get("until")),
        )
        for row in data.get("groups", [])
    )

    models.ReferenceDataset.objects.update_or_create(
        name="divisions",
        defaults={"source": data["source"], "as_of": _day(data["as_of"]), "sha256": sha256},
    )
