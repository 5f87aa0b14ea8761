"""Every create, change and delete of a domain object is recorded: who, when, before and after."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.core.management import call_command

from mantianxing.carriers.models import Building
from mantianxing.core.audit import acting_as
from mantianxing.core.middleware import command_run, current_request_id
from mantianxing.core.services import delete_record, save_record
from mantianxing.core.testing import PersonaTestCase


class HistoryTests(PersonaTestCase):
    def test_it_records_a_change_with_actor_and_values_before_and_after(self) -> None:
        self.building_yz.name = "渝中数字大厦（更名）"
        save_record(self.yuzhong_officer, self.building_yz)
        entry = LogEntry.objects.get_for_object(self.building_yz).latest("timestamp")
        assert entry.action == LogEntry.Action.UPDATE
        assert entry.actor == self.yuzhong_officer
        assert entry.changes_dict["name"] == ["渝中数字大厦", "渝中数字大厦（更名）"]
        assert "updated_at" not in entry.changes_dict

    def test_it_records_creation_and_deletion(self) -> None:
        building = save_record(self.city_officer, Building(code="YZ-0002", name="新楼", unit=self.yuzhong))
        pk = building.pk
        delete_record(self.city_officer, building)
        actions = list(
            LogEntry.objects.filter(object_pk=str(pk), content_type__model="building")
            .order_by("timestamp")
            .values_list("action", "actor__username")
        )
        assert actions == [(LogEntry.Action.CREATE, "city"), (LogEntry.Action.DELETE, "city")]

    def test_it_ties_a_web_request_to_its_history_rows(self) -> None:
        self.client.force_login(self.yuzhong_officer)
        response = self.client.post(
            f"/buildings/{self.building_yz.pk}/edit/",
            {"code": "YZ-0001", "name": "网页修改", "unit": self.yuzhong.pk, "status": "listed"},
        )
        assert response.status_code == 302
        entry = LogEntry.objects.get_for_object(self.building_yz).latest("timestamp")
        assert entry.actor == self.yuzhong_officer
        assert entry.cid == response["X-Request-ID"]
        assert entry.remote_addr == "127.0.0.1"

    def test_it_marks_command_runs(self) -> None:
        with command_run(["shell"]) as run_id:
            assert current_request_id() == run_id
            save_record(self.city_officer, Building(code="YZ-0003", name="命令行新建", unit=self.yuzhong))
        entry = LogEntry.objects.filter(object_repr__contains="YZ-0003").get()
        assert entry.cid.startswith("cli:shell:")
        assert current_request_id() is None

    def test_it_shows_the_history_on_the_object_page(self) -> None:
        self.building_yz.name = "历史可见"
        save_record(self.yuzhong_officer, self.building_yz)
        self.client.force_login(self.yuzhong_officer)
        page = self.client.get(f"/buildings/{self.building_yz.pk}/").content.decode()
        assert "变更历史" in page
        assert "历史可见" in page
        assert "渝中数字大厦" in page  # the value before

    def test_it_shows_the_history_in_the_admin(self) -> None:
        self.building_yz.name = "后台历史"
        save_record(self.city_officer, self.building_yz)
        self.client.force_login(self.city_officer)
        page = self.client.get(f"/admin/carriers/building/{self.building_yz.pk}/auditlog/")
        assert page.status_code == 200
        assert "后台历史" in page.content.decode()

    def test_it_keeps_the_system_check_quiet(self) -> None:
        call_command("check", fail_level="ERROR")

    def test_it_records_only_the_models_own_columns(self) -> None:
        building = save_record(self.city_officer, Building(code="YZ-0004", name="字段", unit=self.yuzhong))
        fields = set(LogEntry.objects.get_for_object(building).get().changes_dict)
        assert {"code", "name", "unit"} <= fields
        assert not fields & {"id", "operator_users", "created_at", "updated_by"}

    def test_it_never_records_a_password(self) -> None:
        self.nanan_officer.set_password("new-secret")
        with acting_as(self.city_officer):
            self.nanan_officer.save()
        for entry in LogEntry.objects.get_for_object(self.nanan_officer):
            assert "password" not in entry.changes_dict
