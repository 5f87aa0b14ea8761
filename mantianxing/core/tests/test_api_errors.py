from __future__ import annotations

from unittest import mock

from mantianxing.core.testing import PersonaTestCase


class ApiErrorTests(PersonaTestCase):
    def test_it_answers_a_crash_with_json_and_no_stack_trace(self) -> None:
        with mock.patch(
            "mantianxing.carriers.api.Building.objects.visible_to", side_effect=RuntimeError("boom")
        ):
            response = self.client.get("/api/buildings", headers=self.bearer(self.city_officer))
        assert response.status_code == 500
        body = response.json()
        assert body["message"].startswith("服务器内部错误")
        assert body["request_id"] == response["X-Request-ID"]
        assert "Traceback" not in response.content.decode() and "boom" not in response.content.decode()

    def test_it_explains_a_validation_error_per_field(self) -> None:
        response = self.client.post(
            "/api/enterprises",
            {"uscc": "91500103MA61AAAA10", "name": "坏代码", "unit": "500103"},
            content_type="application/json",
            headers=self.bearer(self.yuzhong_officer),
        )
        assert response.status_code == 400
        assert "统一社会信用代码" in response.json()["message"]
        assert "uscc" in response.json()["errors"]

    def test_it_names_an_unknown_unit(self) -> None:
        response = self.client.post(
            "/api/buildings",
            {"code": "X-1", "name": "某楼", "unit": "火星区"},
            content_type="application/json",
            headers=self.bearer(self.city_officer),
        )
        assert response.status_code == 400
        assert "火星区" in response.json()["message"]

    def test_it_answers_malformed_input_with_422_json(self) -> None:
        response = self.client.post(
            "/api/buildings",
            {"name": 1},
            content_type="application/json",
            headers=self.bearer(self.city_officer),
        )
        assert response.status_code == 422
        assert response.json()["message"].startswith("请求格式不正确：")

    def test_it_normalises_a_full_width_uscc_through_the_api(self) -> None:
        from mantianxing.lib.identifiers import make_uscc

        code = make_uscc("91500103MA61CCCC3")
        full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)
        response = self.client.post(
            "/api/enterprises",
            {"uscc": f" {full_width} ", "name": "全角企业", "unit": "渝中区"},
            content_type="application/json",
            headers=self.bearer(self.yuzhong_officer),
        )
        assert response.status_code == 201, response.content
        assert response.json()["uscc"] == code
        assert response.json()["unit"] == "500103"
