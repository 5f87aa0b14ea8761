"""A statistics month after this month is refused at every door, with the model's one message."""

from __future__ import annotations

from django.urls import reverse

from mantianxing.core.testing import PersonaTestCase
from mantianxing.imports.ledgers import LEDGERS
from mantianxing.imports.pipeline import run_import
from mantianxing.imports.tests.sheets import xlsx
from mantianxing.stats.models import MonthlyStatistics

FUTURE = "2099-01"


class FutureMonthTests(PersonaTestCase):
    def test_the_import_refuses_a_future_month_by_row_and_column(self) -> None:
        columns = LEDGERS["statistics"].columns
        row = [FUTURE, self.enterprise_yz.uscc, 100, 60, 40, "", "", 5, 10]
        result = run_import(
            "statistics", xlsx(columns, [row + [""] * (len(columns) - len(row))]), file_name="s.xlsx"
        )
        assert [(error.row, error.column) for error in result.errors] == [(2, "统计月份")]
        assert not MonthlyStatistics.objects.exists()

    def test_the_api_refuses_a_future_month(self) -> None:
        response = self.client.post(
            reverse("api:create_statistics"),
            {"enterprise": self.enterprise_yz.uscc, "month": f"{FUTURE}-01", "software_revenue": "1"},
            content_type="application/json",
            headers=self.bearer(self.city_officer),
        )
        assert response.status_code == 400, response.content
        assert "月" in response.json()["message"]
        assert not MonthlyStatistics.objects.exists()
