"""What a period gives: as-of month, plan, number and title, the ranking read from a run."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

from django.test import SimpleTestCase
from docx import Document

from mantianxing.bulletins.document import bulletin_docx
from mantianxing.bulletins.gather import BulletinError, bulletin_periods, gather, ranking_of
from mantianxing.bulletins.tests.base import SHANGHAI, BulletinTestCase, make_run, result_row
from mantianxing.bulletins.wording import short_name, spoken
from mantianxing.monitoring.definitions import DEFINITIONS


class PeriodTests(BulletinTestCase):
    def test_it_dates_a_month_half_or_year_by_its_last_month(self) -> None:
        for text, as_of, plan, number in (
            ("2026-06", date(2026, 6, 1), "2025", "渝满天星通报〔2026〕6号"),
            ("2026H1", date(2026, 6, 1), "2025", "渝满天星半年通报〔2026〕1号"),
            ("2025", date(2025, 12, 1), "2022", "渝满天星年度通报〔2025〕1号"),
        ):
            with self.subTest(period=text):
                b = gather(text)
                self.assertEqual((b.as_of, b.plan.code, b.number), (as_of, plan, number))

    def test_it_words_the_title_by_period(self) -> None:
        self.assertEqual(gather("2026-06").title, "关于2026年6月“满天星”行动计划推进情况的讲评通报")
        self.assertEqual(gather("2026H1").title, "关于2026年上半年“满天星”行动计划推进情况的讲评通报")
        self.assertEqual(gather("2025").title, "关于2025年“满天星”行动计划推进情况的讲评通报")

    def test_it_refuses_what_it_cannot_make(self) -> None:
        for text in ("2026-13", "2026-11", "2027", "2022-06"):
            with self.subTest(period=text), self.assertRaises(BulletinError):
                gather(text)

    def test_it_lists_the_complete_periods_newest_first(self) -> None:
        groups = dict(bulletin_periods())
        self.assertEqual(groups["月度"][0], ("2026-10", "2026年10月"))
        # July 2022 starts before the 2022 plan (15 July): the first month is August.
        self.assertEqual(groups["月度"][-1], ("2022-08", "2022年8月"))
        self.assertEqual(groups["半年"][0], ("2026H1", "2026年上半年"))
        self.assertEqual(groups["半年"][-1], ("2022H2", "2022年下半年"))  # 2022H1 ends before the plan
        self.assertEqual([value for value, _label in groups["年度"]], ["2025", "2024", "2023", "2022"])


class RankingTests(BulletinTestCase):
    def test_it_reads_a_run_without_robustness(self) -> None:
        run = make_run(
            self.scheme,
            "2026H1",
            date(2026, 1, 1),
            date(2026, 6, 1),
            [result_row("500103", "渝中区", 1, 5.0, 0)],
            published=datetime(2026, 8, 1, tzinfo=SHANGHAI),
        )
        ranking = ranking_of(run)
        self.assertFalse(ranking.has_robustness)
        self.assertEqual(ranking.headers[-1], "奖励金额（万元）")
        self.assertEqual(ranking.table, [["1", "渝中区", "5.00", "2", "200.00", "—"]])
        # The latest published run is this one: scores and no rank-interval chart.
        document = Document(BytesIO(bulletin_docx(gather("2026-06"))))
        self.assertEqual(len(document.inline_shapes), 2)

    def test_it_sums_the_paid_tiers_into_an_award_probability(self) -> None:
        ranking = ranking_of(self.published)
        self.assertEqual([row.award_probability for row in ranking.rows], [1.0, 1.0])
        self.assertEqual(ranking.rows[0].rank_range, "1–2")
        self.assertEqual(ranking.period_words, "2026年上半年")


class WordingTests(SimpleTestCase):
    def test_it_speaks_figures_as_offices_write_them(self) -> None:
        self.assertEqual(spoken(15_000_000, DEFINITIONS["software_revenue"]), "1,500亿元")
        self.assertEqual(spoken(29_600.5, DEFINITIONS["software_revenue"]), "2.96亿元")
        self.assertEqual(spoken(2_000_000, DEFINITIONS["carrier_area_in_use"]), "200万平方米")
        self.assertEqual(spoken(3_360.5, DEFINITIONS["carrier_area_in_use"]), "3,360.5平方米")
        self.assertEqual(spoken(0.287, DEFINITIONS["software_product_share"]), "28.7%")
        self.assertEqual(spoken(200_000, DEFINITIONS["new_employees"]), "200,000人")

    def test_it_shortens_long_unit_names_for_chart_axes(self) -> None:
        self.assertEqual(short_name("彭水苗族土家族自治县"), "彭水县")
        self.assertEqual(short_name("西部科学城重庆高新区"), "重庆高新区")
        self.assertEqual(short_name("渝中区"), "渝中区")
