from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from mantianxing.core.testing import PersonaTestCase


class GeoApiTests(PersonaTestCase):
    def test_it_resolves_a_town_on_a_date(self) -> None:
        self.client.force_login(self.nanan_officer)
        body = self.client.get("/api/geo/resolve", {"place": "大湾镇", "on": "2025-06-01"}).json()
        assert body["unit"]["code"] == "500112"
        assert [u["code"] for u in body["current"]] == ["500157", "500109"]

    def test_it_lists_units_valid_on_a_date_with_their_groups(self) -> None:
        body = self.client.get(
            "/api/geo/units", {"on": "2025-11-05"}, headers=self.bearer(self.auditor)
        ).json()
        by_code = {u["code"]: u for u in body}
        assert by_code["500112"]["ranked_2022"] is True
        assert "500157" not in by_code
        assert by_code["500101"]["central"] is False

    def test_it_shows_a_unit_with_its_successors(self) -> None:
        body = self.client.get(
            "/api/geo/units/500105", {"on": "2024-01-01"}, headers=self.bearer(self.owner)
        ).json()
        assert body["name"] == "江北区"
        assert [u["code"] for u in body["successors"]] == ["500157"]

    def test_it_answers_404_in_json_for_an_unknown_code(self) -> None:
        response = self.client.get("/api/geo/units/999999", headers=self.bearer(self.owner))
        assert response.status_code == 404
        assert "message" in response.json()


class UnitsCommandTests(PersonaTestCase):
    def test_it_prints_json_for_programs(self) -> None:
        out = StringIO()
        call_command("units", "--place", "童家溪镇", "--on", "2026-03-01", "--json", stdout=out)
        assert json.loads(out.getvalue())["unit"]["code"] == "500157"

    def test_it_lists_units_on_a_date(self) -> None:
        out = StringIO()
        call_command("units", "--on", "2025-11-05", "--json", stdout=out)
        codes = {u["code"] for u in json.loads(out.getvalue())}
        assert {"500105", "500112", "5001LJ"} <= codes and "500157" not in codes

    def test_it_fails_clearly_on_an_unknown_place(self) -> None:
        with pytest.raises(CommandError, match="没有找到"):
            call_command("units", "--place", "火星", stdout=StringIO())

    def test_it_refuses_a_malformed_date(self) -> None:
        with pytest.raises(CommandError):
            call_command("units", "--on", "2025/11/05", stdout=StringIO())


class UnitListQueryTests(PersonaTestCase):
    def test_it_lists_units_in_a_constant_number_of_queries(self) -> None:
        headers = self.bearer(self.auditor)
        # Token lookup, its last-used stamp, the units and their prefetched memberships.
        with self.assertNumQueries(4):
            body = self.client.get("/api/geo/units", {"all": "true"}, headers=headers).json()
        assert len(body) == 61
