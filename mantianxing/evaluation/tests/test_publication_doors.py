"""Superseded runs through every door: the pages, the API, `mtx evaluate --publish` and the back office."""

from __future__ import annotations

import json
from io import StringIO

import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from mantianxing.core.testing import PersonaTestCase
from mantianxing.evaluation import services
from mantianxing.evaluation.models import Run
from mantianxing.evaluation.schemes import load_yaml
from mantianxing.evaluation.tests.factories import TODAY, TWO_UNITS, store, target
from mantianxing.evaluation.tests.test_runs import SCHEME


@time_machine.travel(TODAY, tick=False)
class DoorTestCase(PersonaTestCase):
    """#first published, then superseded by #second; #draft not published."""

    def setUp(self) -> None:
        super().setUp()
        store(TWO_UNITS)
        target("500103", "new_employees", 1000)
        self.scheme = services.save_scheme(self.city_officer, load_yaml(SCHEME))
        self.first = services.publish(self.city_officer, self.run_it(seed=1))
        self.second = services.publish(self.city_officer, self.run_it(seed=2))
        self.first.refresh_from_db()
        self.draft = self.run_it(seed=3)

    def run_it(self, seed: int) -> Run:
        return services.run_evaluation(self.city_officer, "2026H1", self.scheme, draws=20, seed=seed)


class PageTests(DoorTestCase):
    def test_it_marks_a_superseded_run_for_the_city_with_a_link_to_its_successor(self) -> None:
        for user in (self.city_officer, self.auditor):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                page = self.client.get(
                    reverse("evaluation:run_detail", args=[self.first.pk])
                ).content.decode()
                assert "已被替代" in page and "被 <a" in page
                assert reverse("evaluation:run_detail", args=[self.second.pk]) in page
                assert "发布</button>" not in page
                current = self.client.get(
                    reverse("evaluation:run_detail", args=[self.second.pk])
                ).content.decode()
                assert (
                    "替代 <a" in current and reverse("evaluation:run_detail", args=[self.first.pk]) in current
                )

    def test_it_lists_every_run_with_its_status_for_the_city(self) -> None:
        self.client.force_login(self.city_officer)
        listing = self.client.get(reverse("evaluation:run_list")).content.decode()
        for run in (self.first, self.second, self.draft):
            assert f">#{run.pk}</a>" in listing
        assert (
            listing.count(">已被替代<") == 1
            and f'被 <a class="mtx-link" href="{reverse("evaluation:run_detail", args=[self.second.pk])}">'
            in listing
        )

    def test_it_shows_a_district_officer_only_the_current_run(self) -> None:
        for user in (self.yuzhong_officer, self.nanan_officer):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                listing = self.client.get(reverse("evaluation:run_list")).content.decode()
                assert f">#{self.second.pk}</a>" in listing
                assert f">#{self.first.pk}</a>" not in listing and "已被替代" not in listing
                assert "替代 <a" not in listing  # no link to a run they cannot open
                for name in ("run_detail", "run_json", "run_xlsx"):
                    response = self.client.get(reverse(f"evaluation:{name}", args=[self.first.pk]))
                    assert response.status_code == 404
                page = self.client.get(
                    reverse("evaluation:run_detail", args=[self.second.pk])
                ).content.decode()
                assert "替代 <a" not in page

    def test_it_says_which_run_publishing_a_draft_replaces(self) -> None:
        self.client.force_login(self.city_officer)
        page = self.client.get(reverse("evaluation:run_detail", args=[self.draft.pk])).content.decode()
        assert f"发布（替代 #{self.second.pk}）" in page
        response = self.client.post(reverse("evaluation:run_publish", args=[self.draft.pk]), follow=True)
        assert (
            f"评价运行 #{self.draft.pk} 已发布，各区县可以查看；#{self.second.pk} 已被替代"
            in response.content.decode()
        )
        assert list(Run.objects.current()) == [self.draft]

    def test_it_refuses_to_publish_a_superseded_run_from_the_page(self) -> None:
        self.client.force_login(self.city_officer)
        response = self.client.post(reverse("evaluation:run_publish", args=[self.first.pk]), follow=True)
        assert f"已被 #{self.second.pk} 替代，不能再次发布" in response.content.decode()
        assert list(Run.objects.current()) == [self.second]

    def test_it_runs_with_a_seed_from_the_form(self) -> None:
        self.client.force_login(self.city_officer)
        self.client.post(
            reverse("evaluation:run_list"),
            {"period": "2026H1", "scheme": self.scheme.pk, "draws": 20, "seed": 99},
        )
        assert Run.objects.filter(seed=99, draws=20).count() == 1

    def test_it_verifies_a_superseded_run_on_its_page(self) -> None:
        self.client.force_login(self.city_officer)
        page = self.client.get(
            reverse("evaluation:run_detail", args=[self.first.pk]), {"verify": 1}
        ).content.decode()
        assert (
            "结果与保存的一致" in page and "与保存的一致" in page and "以保存的抽样次数和随机种子重抽" in page
        )

    def test_it_titles_a_superseded_run_s_workbook(self) -> None:
        from io import BytesIO

        from openpyxl import load_workbook

        self.client.force_login(self.city_officer)
        response = self.client.get(reverse("evaluation:run_xlsx", args=[self.first.pk]))
        title = load_workbook(BytesIO(response.content))["排名"]["A1"].value
        assert f"（已被 #{self.second.pk} 替代）" in title


class ApiTests(DoorTestCase):
    def test_it_exposes_the_status_and_the_links(self) -> None:
        city = self.bearer(self.city_officer)
        runs = {run["id"]: run for run in self.client.get("/api/evaluation/runs", headers=city).json()}
        assert (
            runs[self.first.pk]["status"] == "superseded"
            and runs[self.first.pk]["status_label"] == "已被替代"
        )
        assert runs[self.first.pk]["superseded_by"] == self.second.pk
        assert (
            runs[self.second.pk]["status"] == "current"
            and runs[self.second.pk]["supersedes"] == self.first.pk
        )
        assert runs[self.draft.pk]["status"] == "draft"
        one = self.client.get(f"/api/evaluation/runs/{self.first.pk}", headers=city).json()
        assert (one["status"], one["superseded_by"], one["seed"], one["draws"]) == (
            "superseded",
            self.second.pk,
            1,
            20,
        )
        assert self.client.get(f"/api/evaluation/runs/{self.first.pk}/verify", headers=city).json() == {
            "reproduced": True,
            "hashes_match": True,
            "data_unchanged": True,
            "robustness_reproduced": True,
        }

    def test_it_gives_a_district_only_the_current_run(self) -> None:
        district = self.bearer(self.yuzhong_officer)
        listed = self.client.get("/api/evaluation/runs", headers=district).json()
        assert [run["id"] for run in listed] == [self.second.pk]
        assert self.client.get(f"/api/evaluation/runs/{self.first.pk}", headers=district).status_code == 404
        assert (
            self.client.get(f"/api/evaluation/runs/{self.first.pk}/verify", headers=district).status_code
            == 404
        )
        assert (
            self.client.post(f"/api/evaluation/runs/{self.second.pk}/publish", headers=district).status_code
            == 403
        )

    def test_it_publishes_and_supersedes_through_the_api(self) -> None:
        city = self.bearer(self.city_officer)
        response = self.client.post(
            "/api/evaluation/runs",
            {"period": "2026H1", "scheme_name": "两区评估", "draws": 20, "seed": 4, "publish": True},
            content_type="application/json",
            headers=city,
        )
        assert response.status_code == 201
        body = response.json()
        assert (body["status"], body["supersedes"], body["seed"]) == ("current", self.second.pk, 4)
        assert (
            self.client.get(f"/api/evaluation/runs/{self.second.pk}", headers=city).json()["status"]
            == "superseded"
        )

    def test_it_answers_409_for_a_superseded_run(self) -> None:
        response = self.client.post(
            f"/api/evaluation/runs/{self.first.pk}/publish", headers=self.bearer(self.city_officer)
        )
        assert response.status_code == 409 and "已被" in response.json()["message"]


class CommandTests(DoorTestCase):
    def evaluate(self, *args: str) -> str:
        out = StringIO()
        call_command("evaluate", "--period", "2026H1", "--scheme-name", "两区评估", *args, stdout=out)
        return out.getvalue()

    def test_it_says_which_run_a_publication_replaced(self) -> None:
        output = self.evaluate("--draws", "20", "--seed", "5", "--publish")
        run = Run.objects.get(seed=5)
        assert f"评价运行 #{run.pk}（已发布，替代 #{self.second.pk}）" in output and "随机种子 5" in output
        assert list(Run.objects.current()) == [run]

    def test_it_prints_the_status_and_links_as_json(self) -> None:
        body = json.loads(self.evaluate("--draws", "20", "--seed", "2", "--json"))
        assert (body["id"], body["status"], body["supersedes"]) == (self.second.pk, "current", self.first.pk)

    def test_it_makes_a_new_run_rather_than_return_a_superseded_one(self) -> None:
        output = self.evaluate("--draws", "20", "--seed", "1")
        assert f"#{self.first.pk}（" not in output and "（未发布）" in output

    def test_it_refuses_a_district_officer(self) -> None:
        with self.assertRaisesMessage(CommandError, "只有市专班"):
            self.evaluate("--draws", "0", "--publish", "--user", self.yuzhong_officer.username)


class AdminTests(DoorTestCase):
    def test_it_filters_runs_by_status(self) -> None:
        self.client.force_login(self.city_officer)
        url = reverse("admin:evaluation_run_changelist")
        for status, run in (("superseded", self.first), ("current", self.second), ("draft", self.draft)):
            with self.subTest(status=status):
                page = self.client.get(url, {"status": status})
                assert list(page.context["cl"].queryset) == [run]

    def test_it_publishes_through_the_service_from_the_back_office(self) -> None:
        self.client.force_login(self.city_officer)
        url = reverse("admin:evaluation_run_changelist")
        response = self.client.post(
            url, {"action": "publish_selected", "_selected_action": [self.draft.pk]}, follow=True
        )
        assert f"#{self.second.pk} 已被替代" in response.content.decode()
        assert list(Run.objects.current()) == [self.draft]
        again = self.client.post(
            url, {"action": "publish_selected", "_selected_action": [self.first.pk]}, follow=True
        )
        assert "不能再次发布" in again.content.decode()
