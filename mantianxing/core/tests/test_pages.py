"""The interface a user meets: Chinese, offline, a home page of real figures, a navigation by role."""

from __future__ import annotations

import re
from pathlib import Path

from django.test import TestCase

from mantianxing.carriers.models import Building
from mantianxing.core.testing import PersonaTestCase

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


class LoginPageTests(TestCase):
    def test_it_serves_the_chinese_login_page(self) -> None:
        response = self.client.get("/login/")
        page = response.content.decode()
        assert response.status_code == 200
        assert 'lang="zh-hans"' in page
        assert "用户名" in page and "密码" in page and "登录" in page

    def test_it_sends_anonymous_users_to_login(self) -> None:
        response = self.client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")

    def test_it_logs_in_and_out(self) -> None:
        from mantianxing.core.testing import make_user

        make_user("someone", "city_office")
        response = self.client.post("/login/", {"username": "someone", "password": "pw-someone"})
        assert response.status_code == 302
        assert self.client.get("/").status_code == 200
        self.client.post("/logout/")
        assert self.client.get("/").status_code == 302

    def test_it_says_so_in_chinese_when_the_password_is_wrong(self) -> None:
        response = self.client.post("/login/", {"username": "nobody", "password": "x"})
        assert "用户名或密码不正确" in response.content.decode()


class HomePageTests(PersonaTestCase):
    def test_it_counts_what_exists_in_the_users_scope(self) -> None:
        Building.objects.create(code="YZ-0009", name="又一栋", unit=self.yuzhong)
        self.client.force_login(self.yuzhong_officer)
        response = self.client.get("/")
        figures = {f["label"]: f["value"] for f in response.context["figures"]}
        assert figures["楼宇"] == 2  # 渝中's two; 南岸's building is not counted
        assert figures["企业"] == 1
        assert figures["现有区县（含功能区）"] == 39

    def test_it_counts_the_whole_city_for_the_city_office(self) -> None:
        self.client.force_login(self.city_officer)
        figures = {f["label"]: f["value"] for f in self.client.get("/").context["figures"]}
        assert figures["楼宇"] == 2
        assert figures["用户"] == 8

    def test_it_shows_each_role_only_what_it_may_use(self) -> None:
        def nav(user: object) -> list[str]:
            self.client.force_login(user)
            return [str(item.label) for item in self.client.get("/").context["nav_items"]]

        assert "楼宇台账" in nav(self.city_officer) and "企业台账" in nav(self.city_officer)
        # An operator sees its tenants; an enterprise the buildings it occupies; neither the people
        # of other firms nor the import of ledgers it may not write.
        assert "从业人员" not in nav(self.operator)
        assert "从业人员" in nav(self.enterprise_user)
        assert "数据导入" not in nav(self.auditor)
        assert "从业人员" not in nav(self.owner)


class OfflineTests(TestCase):
    def test_it_loads_no_asset_from_outside(self) -> None:
        for template in TEMPLATES.rglob("*.html"):
            text = template.read_text(encoding="utf-8")
            assert not re.search(r"""(src|href)=["']https?://""", text), template

    def test_it_serves_the_api_docs_from_its_own_static_files(self) -> None:
        from mantianxing.core.testing import make_user

        self.client.force_login(make_user("reader", "city_office"))
        page = self.client.get("/api/docs").content.decode()
        assert "cdn." not in page
        assert "/static/" in page
