"""The five causes of 500s the fuzzer found (issue 12 §7), each answered with a 4xx in Chinese."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from mantianxing.carriers.models import Building, Occupancy
from mantianxing.core.testing import PersonaTestCase
from mantianxing.monitoring.models import Target


class FuzzFindingTests(PersonaTestCase):
    def json(self, method: str, path: str, body: object, user: Any) -> Any:
        call = getattr(self.client, method)
        return call(path, body, content_type="application/json", headers=self.bearer(user))

    def test_it_refuses_to_delete_a_record_others_depend_on_with_409(self) -> None:
        Occupancy.objects.create(
            building=self.building_na, enterprise=self.enterprise_na, area=100, moved_in_on=date(2024, 2, 1)
        )
        response = self.client.delete(
            f"/api/buildings/{self.building_na.pk}", headers=self.bearer(self.city_officer)
        )
        assert response.status_code == 409
        assert "入驻记录 1 条" in response.json()["message"]
        assert Building.objects.filter(pk=self.building_na.pk).exists()

    def test_it_refuses_an_offset_past_what_a_database_holds(self) -> None:
        for offset in (2**63, 2**64 + 5, -1):
            response = self.client.get(
                f"/api/buildings?offset={offset}", headers=self.bearer(self.city_officer)
            )
            assert response.status_code == 422, offset
            assert "offset" in response.json()["message"]
        assert self.client.get(
            "/api/buildings?offset=1000", headers=self.bearer(self.city_officer)
        ).json() == {
            "items": [],
            "count": 2,
        }

    def test_it_refuses_a_null_unit_in_a_patch(self) -> None:
        response = self.json(
            "patch", f"/api/buildings/{self.building_yz.pk}", {"unit": None}, self.city_officer
        )
        assert response.status_code == 400
        assert response.json()["message"] == "所在区县不能为空。"
        self.building_yz.refresh_from_db()
        assert self.building_yz.unit == self.yuzhong

    def test_it_refuses_a_null_area_in_an_occupancy_patch(self) -> None:
        occupancy = Occupancy.objects.create(
            building=self.building_yz, enterprise=self.enterprise_yz, area=80, moved_in_on=date(2024, 2, 1)
        )
        response = self.json("patch", f"/api/occupancy/{occupancy.pk}", {"area": None}, self.city_officer)
        assert response.status_code == 400
        assert "不能为空" in response.json()["message"]
        occupancy.refresh_from_db()
        assert occupancy.area == 80

    def test_it_refuses_targets_that_are_not_finite_or_too_large(self) -> None:
        for raw in ("NaN", "Infinity", "-Infinity", "1e999999"):
            body = f'[{{"indicator": "new_employees", "unit": "500108", "value": {raw}}}]'
            response = self.json("put", "/api/indicators/targets?plan=2022", body, self.city_officer)
            assert response.status_code == 400, raw
            assert "有限" in response.json()["message"]
        for value in ("NaN", "1e300", "12345678901234567890"):
            body = [{"indicator": "new_employees", "unit": "500108", "value": value}]
            response = self.json("put", "/api/indicators/targets?plan=2022", body, self.city_officer)
            assert response.status_code == 422, value
            assert response.json()["message"].startswith("请求格式不正确：")
        assert not Target.objects.filter(unit=self.nanan).exists()
        fine = [{"indicator": "new_employees", "unit": "500108", "value": "900.5"}]
        assert (
            self.json("put", "/api/indicators/targets?plan=2022", fine, self.city_officer).status_code == 200
        )
        assert Target.objects.get(unit=self.nanan).value == Decimal("900.5")

    def test_it_refuses_nul_and_lone_surrogates_in_bodies_and_queries(self) -> None:
        # PostgreSQL cannot hold or compare these: a filter or a JSON field with one was a 500 there.
        response = self.client.get(
            "/api/statistics?enterprise=%C2%B9%00X", headers=self.bearer(self.city_officer)
        )
        assert response.status_code == 400
        assert "无法保存的字符" in response.json()["message"]
        for body in (
            '{"uscc": "91500103MA61AAAA10", "name": "某公司", "unit": "500103", "focus_domains": ["\\u0000x"]}',
            '{"uscc": "91500103MA61AAAA10", "name": "\\udc00某公司", "unit": "500103"}',
        ):
            response = self.json("post", "/api/enterprises", body, self.city_officer)
            assert response.status_code == 400, body
            assert "无法保存的字符" in response.json()["message"]
        assert self.json("post", "/api/enterprises", "{not json", self.city_officer).json()["message"] == (
            "请求体不是有效的 JSON。"
        )

    def test_it_answers_a_multipart_body_without_boundary_with_400(self) -> None:
        response = self.client.post(
            "/api/imports/enterprises",
            b"x",
            content_type="multipart/form-data",
            headers=self.bearer(self.city_officer),
        )
        assert response.status_code == 400
        assert "无法解析" in response.json()["message"]
