"""The charts draw every text in the packaged CJK font, never a machine font, and miss no glyph."""

from __future__ import annotations

import warnings
from importlib.util import find_spec
from pathlib import Path

from matplotlib.figure import Figure
from matplotlib.font_manager import findfont
from matplotlib.ft2font import FT2Font
from matplotlib.text import Text

from mantianxing.bulletins import charts
from mantianxing.bulletins.fonts import chart_font, chart_font_path
from mantianxing.bulletins.gather import gather
from mantianxing.bulletins.tests.base import BulletinTestCase


def texts(figure: Figure) -> list[Text]:
    figure.canvas.draw()  # lay out ticks and legends first
    return [t for t in figure.findobj(Text) if t.get_text().strip()]


class ChartFontTests(BulletinTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.bulletin = gather("2026-06")
        ranking = self.bulletin.ranking
        assert ranking is not None
        definition, rows = self.bulletin.charted[0]
        self.figures = {
            "completion": charts.completion_figure(definition, rows, self.bulletin.time_progress),
            "scores": charts.score_figure(ranking),
            "robustness": charts.robustness_figure(ranking),
        }

    def test_it_takes_the_font_from_the_mplfonts_package(self) -> None:
        spec = find_spec("mplfonts")
        assert spec is not None and spec.origin is not None
        package = Path(spec.origin).parent
        path = chart_font_path()
        self.assertTrue(path.is_file())
        self.assertTrue(path.is_relative_to(package))
        self.assertEqual(path.name, "NotoSansCJKsc-Regular.otf")
        self.assertEqual(Path(findfont(chart_font())), path)

    def test_every_text_is_set_in_it_with_a_glyph_for_each_character(self) -> None:
        font = FT2Font(str(chart_font_path()))
        for name, figure in self.figures.items():
            assert figure is not None
            shown = texts(figure)
            self.assertTrue(any("区" in t.get_text() for t in shown), name)
            for text in shown:
                with self.subTest(chart=name, text=text.get_text()):
                    self.assertEqual(Path(findfont(text.get_fontproperties())), chart_font_path())
                    missing = [
                        c for c in text.get_text() if not c.isspace() and not font.get_char_index(ord(c))
                    ]
                    self.assertEqual(missing, [])

    def test_it_renders_png_without_missing_glyph_warnings(self) -> None:
        for figure in self.figures.values():
            assert figure is not None
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                image = charts.png(figure, dpi=40)
            self.assertEqual(image[:8], b"\x89PNG\r\n\x1a\n")

    def test_it_labels_the_units_and_the_time_progress_in_chinese(self) -> None:
        labels = [t.get_text() for t in texts(self.figures["completion"])]
        self.assertIn("各区县新增软信企业目标完成率（序时进度 25.7%）", labels)
        self.assertIn("渝中区", labels)
        self.assertIn("慢于序时进度", labels)
