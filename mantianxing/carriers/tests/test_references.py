"""A write names only rows the writer may already see, and an out-of-scope row reads as unknown.

Tried for each door that takes a reference (occupancy API and form, occupancy, roster and statistics
imports, statistics API) as each role that may write: the answer for a firm or building of another
scope is word for word the answer for a code that exists nowhere, and nothing is written.
"""

from __future__ import annotations

from typing import Any

from mantianxing.carriers.models import Occupancy
from mantianxing.core.testing import PersonaTestCase
from mantianxing.enterprises.models import Enterprise
from mantianxing.imports.ledgers import LEDGERS
from mantianxing.imports.pipeline import run_import
from mantianxing.imports.tests.sheets import xlsx
from mantianxing.lib.identifiers import make_uscc

JSON = "application/json"
NOWHERE_USCC = make_uscc("91500103MA61YYYY9")
NOWHERE_BUILDING = "YZ-9999"


def unquoted(message: str, *codes: str) -> str:
    """The message with the code it quotes taken out, to compare the answers for two codes."""
    for code in codes:
        message = message.replace(code, "<code>")
    return message


class ReferenceScopeTests(PersonaTestCase):
    def occupancy_api(self, user: Any, building: str, uscc: str) -> tuple[int, str]:
        payload = {"building": building, "enterprise": uscc, "area": "10", "moved_in_on": "2024-05-01"}
        response = self.client.post("/api/occupancy", payload, content_type=JSON, headers=self.bearer(user))
        return response.status_code, unquoted(response.json().get("message", ""), building, uscc)

    def assert_same_as_unknown(self, answer: Any, unknown: Any) -> None:
        self.assertEqual(answer, unknown)

    def test_it_refuses_an_operator_a_firm_it_does_not_see_as_if_unknown(self) -> None:
        other = self.occupancy_api(self.operator, "YZ-0001", self.enterprise_na.uscc)
        unknown = self.occupancy_api(self.operator, "YZ-0001", NOWHERE_USCC)
        self.assertEqual(other[0], 400)
        self.assert_same_as_unknown(other, unknown)
        self.assertFalse(Occupancy.objects.exists())
        self.assertFalse(
            Enterprise.objects.visible_to(self.operator).filter(pk=self.enterprise_na.pk).exists()
        )

    def test_it_refuses_a_district_another_districts_firm_or_building_as_if_unknown(self) -> None:
        for user, building, foreign_firm, foreign_building in (
            (self.yuzhong_officer, "YZ-0001", self.enterprise_na.uscc, "NA-0001"),
            (self.nanan_officer, "NA-0001", self.enterprise_yz.uscc, "YZ-0001"),
        ):
            with self.subTest(user=user.username):
                firm = self.occupancy_api(user, building, foreign_firm)
                self.assertEqual(firm[0], 400)
                self.assert_same_as_unknown(firm, self.occupancy_api(user, building, NOWHERE_USCC))
                own_firm = self.enterprise_yz if user == self.yuzhong_officer else self.enterprise_na
                place = self.occupancy_api(user, foreign_building, own_firm.uscc)
                self.assertEqual(place[0], 400)
                self.assert_same_as_unknown(place, self.occupancy_api(user, NOWHERE_BUILDING, own_firm.uscc))
        self.assertFalse(Occupancy.objects.exists())

    def test_it_refuses_the_same_in_the_occupancy_form(self) -> None:
        self.client.force_login(self.operator)

        def errors(uscc: str) -> list[str]:
            data = {"building": "YZ-0001", "enterprise": uscc, "area": "10", "moved_in_on": "2024-05-01"}
            response = self.client.post("/buildings/occupancy/new/", data)
            self.assertEqual(response.status_code, 200)
            return [unquoted(e, uscc) for e in response.context["form"].errors.get("enterprise", [])]

        self.assertTrue(errors(self.enterprise_na.uscc))
        self.assertEqual(errors(self.enterprise_na.uscc), errors(NOWHERE_USCC))
        self.assertFalse(Occupancy.objects.exists())

    def import_errors(self, ledger: str, user: Any, row: dict[str, Any], code: str) -> list[tuple[str, str]]:
        columns = LEDGERS[ledger].columns
        data = xlsx(columns, [[row.get(c) for c in columns]])
        result = run_import(ledger, data, file_name="f.xlsx", user=user)
        return [(e.column, unquoted(e.message, code)) for e in result.errors]

    def test_it_refuses_the_same_in_the_occupancy_import(self) -> None:
        def errors(user: Any, building: str, uscc: str) -> list[tuple[str, str]]:
            row = {
                "楼宇编码": building,
                "统一社会信用代码": uscc,
                "入驻面积（㎡）": 10,
                "入驻日期": "2024-05-01",
            }
            return [(c, unquoted(m, building)) for c, m in self.import_errors("occupancy", user, row, uscc)]

        foreign = errors(self.operator, "YZ-0001", self.enterprise_na.uscc)
        self.assertTrue(foreign)
        self.assertEqual(foreign, errors(self.operator, "YZ-0001", NOWHERE_USCC))
        place = errors(self.yuzhong_officer, "NA-0001", self.enterprise_yz.uscc)
        self.assertTrue(place)
        self.assertEqual(place, errors(self.yuzhong_officer, NOWHERE_BUILDING, self.enterprise_yz.uscc))
        self.assertFalse(Occupancy.objects.exists())

    def test_it_refuses_the_same_in_the_roster_and_statistics_imports(self) -> None:
        roster = {
            "统计月份": "2024-05",
            "姓名": "张三",
            "身份证号": "500103199003071239",
            "岗位类别": "软件开发",
        }
        statistics = {"统计月份": "2024-05", "软件业务收入（万元）": 10}
        for user, foreign in (
            (self.yuzhong_officer, self.enterprise_na.uscc),
            (self.enterprise_user, self.enterprise_na.uscc),
        ):
            for ledger, row in (("roster", roster), ("statistics", statistics)):
                with self.subTest(user=user.username, ledger=ledger):
                    found = self.import_errors(ledger, user, row | {"统一社会信用代码": foreign}, foreign)
                    self.assertTrue(found)
                    unknown = self.import_errors(
                        ledger, user, row | {"统一社会信用代码": NOWHERE_USCC}, NOWHERE_USCC
                    )
                    self.assertEqual(found, unknown)

    def test_it_refuses_the_same_in_the_statistics_api(self) -> None:
        def answer(uscc: str) -> tuple[int, str]:
            payload = {"enterprise": uscc, "month": "2024-05", "software_revenue": "10"}
            response = self.client.post(
                "/api/statistics", payload, content_type=JSON, headers=self.bearer(self.yuzhong_officer)
            )
            return response.status_code, unquoted(response.json().get("message", ""), uscc)

        self.assertEqual(answer(self.enterprise_na.uscc)[0], 400)
        self.assertEqual(answer(self.enterprise_na.uscc), answer(NOWHERE_USCC))
