"""The pages and the API: who sees which runs, the run explained, schemes edited as YAML."""

from __future__ import annotations

from io import BytesIO

import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from mantianxing.core.testing import PersonaTestCase
from mantianxing.evaluation import services
from mantianxing.evaluation.models import Run, Scheme
from mantianxing.evaluation.schemes import load_yaml
from mantianxing.evaluation.tests.factories import TODAY, TWO_UNITS, store, target
from mantianxing.evaluation.tests.test_runs import SCHEME


@time_machine.travel(TODAY, tick=False)
class PageTests(PersonaTestCase):
    def setUp(self) -> None:
        super().setUp()
        store(TWO_UNITS)
        target("500103", "new_employees", 1000)
        self.scheme = services.save_scheme(self.city_officer, load_yaml(SCHEME))
        self.draft = services.run_evaluation(self.city_officer, "2026H1", self.scheme, draws=100)
        self.published = services.publish(
            self.city_officer, services.run_evaluation(self.city_officer, "2026H1", self.scheme, draws=0)
        )

    def test_it_explains_a_run_term_by_term(self) -> None:
        self.client.force_login(self.city_officer)
        page = self.client.get(reverse("evaluation:run_detail", args=[self.draft.pk])).content.decode()
        assert "10 ÷ 最大值 20 × 100" in page  # 渝中's new enterprises under `max`
        assert "无本期目标，计 0" in page  # 南岸 has no target for new employees
        assert "单个区县上限 250.00 万元" in page and "按比例" in page
        assert "5%–95%" in page and "第1名" in page
        assert self.draft.sha256 in page

    def test_it_checks_a_run_on_request(self) -> None:
        self.client.force_login(self.city_officer)
        page = self.client.get(
            reverse("evaluation:run_detail", args=[self.draft.pk]), {"verify": 1}
        ).content.decode()
        assert "结果与保存的一致" in page and "与运行时相同" in page

    def test_it_shows_a_district_officer_only_published_runs(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        listing = self.client.get(reverse("evaluation:run_list")).content.decode()
        assert f"#{self.published.pk}" in listing and f"#{self.draft.pk}<" not in listing
        assert self.client.get(reverse("evaluation:run_detail", args=[self.draft.pk])).status_code == 404
        assert self.client.get(reverse("evaluation:run_xlsx", args=[self.draft.pk])).status_code == 404
        assert self.client.get(reverse("evaluation:run_detail", args=[self.published.pk])).status_code == 200
        assert self.client.post(reverse("evaluation:run_list"), {"period": "2026H1"}).status_code == 403
        assert self.client.get(reverse("evaluation:scheme_list")).status_code == 403

    def test_it_lists_schemes_and_runs_read_only_in_the_back_office(self) -> None:
        self.client.force_login(self.city_officer)
        for name in ("scheme", "run"):
            page = self.client.get(reverse(f"admin:evaluation_{name}_changelist"))
            assert page.status_code == 200
            assert self.client.get(reverse(f"admin:evaluation_{name}_add")).status_code == 403

    def test_it_refuses_other_roles(self) -> None:
        for user in (self.operator, self.enterprise_user, self.owner, self.outsider):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                assert self.client.get(reverse("evaluation:run_list")).status_code == 403
                assert (
                    self.client.get(reverse("evaluation:run_detail", args=[self.published.pk])).status_code
                    == 404
                )

    def test_it_runs_and_publishes_from_the_page(self) -> None:
        self.client.force_login(self.city_officer)
        Run.objects.all().delete()
        response = self.client.post(
            reverse("evaluation:run_list"), {"period": "2026H1", "scheme": self.scheme.pk, "draws": 50}
        )
        run = Run.objects.get()
        self.assertRedirects(response, reverse("evaluation:run_detail", args=[run.pk]))
        self.client.post(reverse("evaluation:run_publish", args=[run.pk]))
        run.refresh_from_db()
        assert run.is_published and run.published_by == self.city_officer

    def test_it_names_a_bad_period_on_the_page(self) -> None:
        self.client.force_login(self.city_officer)
        page = self.client.post(
            reverse("evaluation:run_list"), {"period": "2026H2", "scheme": self.scheme.pk, "draws": 0}
        )
        assert "尚未结束" in page.content.decode()

    def test_it_exports_the_run_as_a_workbook(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        response = self.client.get(reverse("evaluation:run_xlsx", args=[self.published.pk]))
        book = load_workbook(BytesIO(response.content))
        assert book.sheetnames == ["排名", "输入数据", "方案"]  # no robustness: published with 0 draws
        ranking = list(book["排名"].iter_rows(min_row=3, values_only=True))
        assert [row[1] for row in ranking] == [row["unit"] for row in self.published.result]

    def test_it_saves_an_edited_scheme_as_a_new_version_and_lists_each_problem(self) -> None:
        self.client.force_login(self.city_officer)
        bad = self.client.post(reverse("evaluation:scheme_edit"), {"text": SCHEME.replace("max}", "best}")})
        assert "normalize 应为" in bad.content.decode()
        assert Scheme.objects.filter(name="两区评估").count() == 1
        self.client.post(reverse("evaluation:scheme_edit"), {"text": SCHEME.replace("0.6", "0.7")})
        assert list(Scheme.objects.filter(name="两区评估").values_list("version", flat=True)) == [2, 1]
        exported = self.client.get(reverse("evaluation:scheme_yaml", args=[self.scheme.pk])).content.decode()
        assert load_yaml(exported) == self.scheme.body


@time_machine.travel(TODAY, tick=False)
class ApiTests(PersonaTestCase):
    def setUp(self) -> None:
        super().setUp()
        store({"500103": {"new_enterprises": (0, 5)}, "500108": {"new_enterprises": (0, 5)}})
        services.save_scheme(
            self.city_officer,
            load_yaml(SCHEME.replace("  - {code: new_employees, weight: 0.4, normalize: target}\n", "")),
        )

    def test_it_runs_with_the_documented_json(self) -> None:
        response = self.client.post(
            "/api/evaluation/runs",
            {"period": "2026H1", "scheme_name": "两区评估", "draws": 100},
            content_type="application/json",
            headers=self.bearer(self.city_officer),
        )
        assert response.status_code == 201
        body = response.json()
        assert {"period", "scheme", "scheme_sha256", "rows"} <= body.keys()
        assert body["period"] == "2026H1" and body["scheme"]["name"] == "两区评估"
        row = body["rows"][0]
        assert set(row) == {"unit", "unit_name", "values", "normalized", "score", "rank", "reward"}
        # A tie: both share the first two tiers (3,000,000 + 1,000,000) equally, under the 2,500,000
        # cap; the 4,000,000 then exceeds the 3,000,000 budget and is scaled by 0.75.
        assert [r["rank"] for r in body["rows"]] == [1, 1]
        assert [r["reward"] for r in body["rows"]] == [1_500_000, 1_500_000]
        assert body["robustness"]["draws"] == 100

    def test_it_hides_drafts_from_districts_and_refuses_their_writes(self) -> None:
        run = self.client.post(
            "/api/evaluation/runs",
            {"period": "2026H1"},
            content_type="application/json",
            headers=self.bearer(self.city_officer),
        ).json()
        district = self.bearer(self.yuzhong_officer)
        assert self.client.get(f"/api/evaluation/runs/{run['id']}", headers=district).status_code == 404
        assert self.client.get("/api/evaluation/runs", headers=district).json() == []
        assert (
            self.client.post(f"/api/evaluation/runs/{run['id']}/publish", headers=district).status_code == 404
        )
        refused = self.client.post(
            "/api/evaluation/runs", {"period": "2026H1"}, content_type="application/json", headers=district
        )
        assert refused.status_code == 403
        self.client.post(f"/api/evaluation/runs/{run['id']}/publish", headers=self.bearer(self.city_officer))
        assert (
            self.client.get(f"/api/evaluation/runs/{run['id']}", headers=district).json()["published"] is True
        )

    def test_it_saves_schemes_from_yaml_and_reports_errors(self) -> None:
        headers = self.bearer(self.city_officer)
        bad = self.client.post(
            "/api/evaluation/schemes",
            {"yaml": "name: x\nperiod: month\n"},
            content_type="application/json",
            headers=headers,
        )
        assert bad.status_code == 400 and "period 应为" in bad.json()["message"]
        good = self.client.post(
            "/api/evaluation/schemes", {"yaml": SCHEME}, content_type="application/json", headers=headers
        )
        assert good.status_code == 201 and good.json()["version"] == 2
        district = self.client.post(
            "/api/evaluation/schemes",
            {"yaml": SCHEME},
            content_type="application/json",
            headers=self.bearer(self.nanan_officer),
        )
        assert district.status_code == 403
