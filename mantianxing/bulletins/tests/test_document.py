"""The .docx: masthead, the published ranking only, lagging units, data quality, pictures, fonts."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

from docx import Document
from docx.oxml.ns import qn

from mantianxing.bulletins.document import bulletin_docx
from mantianxing.bulletins.gather import gather
from mantianxing.bulletins.tests.base import SHANGHAI, BulletinTestCase, make_run, result_row


def text_of(content: bytes) -> str:
    document = Document(BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


class DocumentTests(BulletinTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.content = bulletin_docx(gather("2026-06"))
        self.text = text_of(self.content)

    def test_it_has_the_masthead_title_and_number(self) -> None:
        self.assertIn("重庆市软件和信息服务业“满天星”行动专班", self.text)
        self.assertIn("渝满天星通报〔2026〕6号", self.text)
        self.assertIn("关于2026年6月“满天星”行动计划\n推进情况的讲评通报", self.text)
        self.assertIn("2026年11月22日", self.text)
        self.assertIn("附件：满天星讲评通报-2026-06.xlsx", self.text)

    def test_it_summarises_the_city_against_time_progress(self) -> None:
        self.assertIn("实施期已过25.7%（序时进度）", self.text)
        self.assertIn("新增软信企业3家，完成目标（10,000家）的0.0%，慢于序时进度25.7个百分点", self.text)
        self.assertIn("软件产品收入占比暂无数据（目标30.0%）", self.text)
        self.assertIn("全市9项有目标的指标中，0项达到或快于序时进度，8项慢于序时进度", self.text)
        self.assertIn("，1项暂无数据。分区县看，1个区县有指标慢于序时进度", self.text)

    def test_it_ranks_with_the_published_run_only(self) -> None:
        self.assertIn("88.50", self.text)
        self.assertIn("61.25", self.text)
        self.assertNotIn("99.75", self.text)
        document = Document(BytesIO(self.content))
        ranking = next(t for t in document.tables if t.rows[0].cells[0].text == "名次")
        rows = [[cell.text for cell in row.cells] for row in ranking.rows[1:]]
        self.assertEqual([row[:3] for row in rows], [["1", "渝中区", "88.50"], ["2", "南岸区", "61.25"]])
        self.assertEqual(rows[0][-3:], ["3,000", "1–2", "100%"])
        self.assertIn(
            "评价方案“测试评价方案”第1版（SHA-256 5c5c5c5c5c5c；指标权重：新增软信企业60、新增载体使用面积40），"
            f"评价运行 #{self.published.pk}（SHA-256 abababababab），2026年7月20日发布。",
            self.text,
        )

    def test_it_says_when_no_run_is_published(self) -> None:
        self.published.published_at = None
        self.published.save()
        text = text_of(bulletin_docx(gather("2026-06")))
        self.assertIn("本期无已发布的评价结果。", text)
        self.assertNotIn("99.75", text)

    def test_it_ignores_a_run_ending_after_the_month(self) -> None:
        make_run(
            self.scheme,
            "2026Q3",
            date(2026, 7, 1),
            date(2026, 9, 1),
            [result_row("500108", "南岸区", 1, 77.125, 0)],
            published=datetime(2026, 10, 10, tzinfo=SHANGHAI),
        )
        self.assertNotIn("77.12", self.text)
        self.assertIn("77.12", text_of(bulletin_docx(gather("2026-10"))))

    def test_it_names_the_units_behind_schedule(self) -> None:
        section = self.text.split("三、进度滞后的区县")[1].split("四、数据质量")[0]
        self.assertIn("新增软信企业。南岸区（完成率10.0%，落后15.7个百分点）慢于序时进度。", section)
        self.assertNotIn("渝中区", section)

    def test_it_reports_late_and_missing_reports_and_disputed_origins(self) -> None:
        section = self.text.split("四、数据质量")[1]
        self.assertIn("迟报：渝中区。", section)
        self.assertIn("未报：", section)
        self.assertIn("南岸区", section.split("未报：")[1])
        self.assertIn("不一致的企业共1家，较多的是南岸区（1家）", section)

    def test_it_embeds_the_charts(self) -> None:
        # Completion of new enterprises, the scores and the rank intervals.
        self.assertEqual(len(Document(BytesIO(self.content)).inline_shapes), 3)

    def test_it_sets_chinese_fonts_and_the_page(self) -> None:
        document = Document(BytesIO(self.content))
        section = document.sections[0]
        self.assertEqual(
            [
                round(m.mm)
                for m in (
                    section.top_margin,
                    section.bottom_margin,
                    section.left_margin,
                    section.right_margin,
                )
            ],
            [37, 35, 28, 26],
        )
        east_asian = {
            run._element.rPr.rFonts.get(qn("w:eastAsia"))
            for paragraph in document.paragraphs
            for run in paragraph.runs
            if run.text.strip()
        }
        self.assertEqual(east_asian, {"方正小标宋简体", "黑体", "楷体", "仿宋"})
        masthead = document.paragraphs[0].runs[0]
        self.assertEqual(str(masthead.font.color.rgb), "C00000")
