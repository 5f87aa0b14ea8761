"""The bulletin as a Word document in the layout of government documents (GB/T 9704, simplified).

A4 with the standard margins; red issuing-body line and red rule; number; title in 小标宋; body in
3号仿宋 on a fixed 28 pt line; headings 黑体 (first level) and 楷体 (second level), indented two
characters like the text; tables in 五号; page numbers “— 1 —”. East Asian fonts are set on the
w:eastAsia attribute, which is where Word and LibreOffice look for the font of Chinese text.
"""

from __future__ import annotations

from io import BytesIO

import docx
from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Length, Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from mantianxing.bulletins import charts, fonts, prose
from mantianxing.bulletins.gather import ISSUER, RECIPIENTS, Bulletin, Ranking
from mantianxing.bulletins.wording import day_words, percent, spoken
from mantianxing.monitoring.choices import Status

RED = RGBColor(0xC0, 0x00, 0x00)
BODY_SIZE = 16  # 3号
TABLE_SIZE = 10.5  # 五号
LINE = Pt(28)  # 22 lines to a page, as GB/T 9704 asks
INDENT = Pt(BODY_SIZE * 2)  # two characters
CHART_WIDTH = Mm(155)
STATUS_WORDS = {Status.DONE: "已完成", Status.AHEAD: "快于序时进度", Status.BEHIND: "慢于序时进度"}


def bulletin_docx(b: Bulletin, *, dpi: int | None = None) -> bytes:
    dpi = dpi or charts.DPI
    document = docx.Document()
    _page_setup(document)
    _defaults(document)
    _masthead(document, b)

    _heading(document, "一、总体进展")
    for text in prose.overview(b):
        _text(document, text)
    if b.city_targets:
        _city_table(document, b)
    for definition, rows in b.charted:
        _chart(document, charts.png(charts.completion_figure(definition, rows, b.time_progress), dpi))

    _heading(document, "二、评价排名")
    _ranking(document, b.ranking, 2 if b.city_targets else 1, dpi)

    _heading(document, "三、进度滞后的区县")
    _text(document, prose.lagging_intro(b))
    for index, (definition, rows) in enumerate(b.lagging):
        _text(document, prose.lagging_line(rows), lead=f"{prose.ordinal(index)}{definition.name}。")
    if b.lagging:
        _text(document, prose.LAGGING_CLOSING)

    _heading(document, "四、数据质量")
    _text(document, "".join(prose.reporting_remarks(b)), lead=f"{prose.ordinal(0)}月报报送。")
    _text(document, prose.dispute_remarks(b), lead=f"{prose.ordinal(1)}企业来源核验。")

    _closing(document, b)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page_setup(document: Document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(20)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(footer, "— ", font=fonts.BODY, size=14)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    number = OxmlElement("w:r")
    number.append(_run_properties(fonts.BODY, 14))
    text = OxmlElement("w:t")
    text.text = "1"
    number.append(text)
    field.append(number)
    footer._p.append(field)
    _run(footer, " —", font=fonts.BODY, size=14)


def _defaults(document: Document) -> None:
    """Explicit fonts and Chinese as the East Asian language, replacing the template's theme fonts."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts_element = r_pr.find(qn("w:rFonts"))
    for key in list(fonts_element.attrib):
        del fonts_element.attrib[key]
    _set_fonts(fonts_element, fonts.BODY)
    r_pr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_SIZE)
    _set_fonts(normal.element.get_or_add_rPr().get_or_add_rFonts(), fonts.BODY)
    paragraph = normal.paragraph_format
    paragraph.space_before = paragraph.space_after = Pt(0)
    paragraph.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.line_spacing = LINE
    paragraph.widow_control = True


def _set_fonts(element: BaseOxmlElement, east_asian: str) -> None:
    for key in ("w:ascii", "w:hAnsi", "w:cs"):
        element.set(qn(key), fonts.LATIN)
    element.set(qn("w:eastAsia"), east_asian)


def _run_properties(east_asian: str, size: float) -> BaseOxmlElement:
    r_pr = OxmlElement("w:rPr")
    r_fonts = OxmlElement("w:rFonts")
    _set_fonts(r_fonts, east_asian)
    r_pr.append(r_fonts)
    for tag in ("w:sz", "w:szCs"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), str(round(size * 2)))
        r_pr.append(element)
    return r_pr


def _run(
    paragraph: Paragraph,
    text: str,
    *,
    font: str = fonts.BODY,
    size: float = BODY_SIZE,
    colour: RGBColor | None = None,
) -> None:
    run = paragraph.add_run(text)
    run.font.name = fonts.LATIN
    run.font.size = Pt(size)
    if colour is not None:
        run.font.color.rgb = colour
    _set_fonts(run._element.get_or_add_rPr().get_or_add_rFonts(), font)


def _paragraph(
    document: Document,
    align: WD_ALIGN_PARAGRAPH | None = None,
    *,
    indent: bool = False,
    line: Length | None = LINE,
) -> Paragraph:
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = INDENT
    if line is None:
        paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    elif line != LINE:
        paragraph.paragraph_format.line_spacing = line
    return paragraph


def _masthead(document: Document, b: Bulletin) -> None:
    issuer = _paragraph(document, WD_ALIGN_PARAGRAPH.CENTER, line=None)
    issuer.paragraph_format.space_before = Pt(12)
    issuer.paragraph_format.space_after = Pt(18)
    _run(issuer, ISSUER, font=fonts.TITLE, size=22, colour=RED)
    number = _paragraph(document, WD_ALIGN_PARAGRAPH.CENTER)
    _run(number, b.number)
    _bottom_rule(number)
    _paragraph(document)
    title = _paragraph(document, WD_ALIGN_PARAGRAPH.CENTER, line=Pt(36))
    for index, line in enumerate(b.title_lines):
        if index:
            title.add_run().add_break()
        _run(title, line, font=fonts.TITLE, size=22)
    _paragraph(document)
    recipients = _paragraph(document)
    _run(recipients, RECIPIENTS)
    opening = f"现将{b.period_words}“满天星”行动计划推进情况、区县评价排名和数据质量情况通报如下。"
    _text(document, opening)


def _bottom_rule(paragraph: Paragraph) -> None:
    """The red separator under the number (版头中的分隔线)."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "6"), ("w:color", "C00000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _heading(document: Document, text: str) -> None:
    paragraph = _paragraph(document, indent=True)
    paragraph.paragraph_format.keep_with_next = True
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), "0")
    paragraph._p.get_or_add_pPr().append(outline)
    _run(paragraph, text, font=fonts.HEADING)


def _text(document: Document, text: str, *, lead: str = "") -> None:
    paragraph = _paragraph(document, WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
    if lead:
        _run(paragraph, lead, font=fonts.SUBHEADING)
    _run(paragraph, text)


def _caption(document: Document, text: str) -> None:
    paragraph = _paragraph(document, WD_ALIGN_PARAGRAPH.CENTER)
    paragraph.paragraph_format.keep_with_next = True
    _run(paragraph, text, font=fonts.HEADING, size=14)


def _note(document: Document, text: str) -> None:
    paragraph = _paragraph(document, WD_ALIGN_PARAGRAPH.JUSTIFY, line=None)
    paragraph.paragraph_format.space_before = Pt(4)
    paragraph.paragraph_format.space_after = Pt(6)
    _run(paragraph, text, size=TABLE_SIZE)


def _chart(document: Document, image: bytes) -> None:
    # Single spacing: a fixed line height would crop the picture to one line.
    paragraph = _paragraph(document, WD_ALIGN_PARAGRAPH.CENTER, line=None)
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.space_after = Pt(6)
    paragraph.add_run().add_picture(BytesIO(image), width=CHART_WIDTH)


def _table(
    document: Document,
    headers: list[str],
    rows: list[list[str]],
    widths_mm: list[float],
    *,
    highlight: list[bool] | None = None,
) -> Table:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _repeat_header(table)
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _cell(cell, text, font=fonts.HEADING, shade="E7E6E6")
    for index, values in enumerate(rows):
        cells = table.add_row().cells
        strong = bool(highlight and highlight[index])
        for column, (cell, text) in enumerate(zip(cells, values, strict=True)):
            _cell(cell, text, colour=RED if strong and column > 0 else None)
    # LibreOffice reads the grid's widths, Word the cells': set both.
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
    return table


def _repeat_header(table: Table) -> None:
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _cell(
    cell: _Cell,
    text: str,
    *,
    font: str = fonts.BODY,
    shade: str | None = None,
    colour: RGBColor | None = None,
) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(1)
    _run(paragraph, text, font=font, size=TABLE_SIZE, colour=colour)
    if shade:
        fill = OxmlElement("w:shd")
        for key, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", shade)):
            fill.set(qn(key), value)
        cell._tc.get_or_add_tcPr().append(fill)


def _city_table(document: Document, b: Bulletin) -> None:
    _caption(document, f"表1　全市主要指标完成情况（截至{b.as_of.year}年{b.as_of.month}月末）")
    rows = [
        [
            row.definition.name,
            spoken(row.actual, row.definition),
            spoken(row.target, row.definition),
            percent(row.completion),
            STATUS_WORDS.get(row.status, "—") if row.status else "—",
        ]
        for row in b.city_targets
    ]
    _table(
        document,
        ["指标", "实际", "目标", "完成率", f"对比序时进度（{percent(b.time_progress)}）"],
        rows,
        [46, 30, 30, 20, 30],
        highlight=[row.status == Status.BEHIND for row in b.city_targets],
    )
    _note(document, "注：标红为慢于序时进度的指标。序时进度＝截至月末已过实施期天数÷实施期总天数。")


def _ranking(document: Document, ranking: Ranking | None, number: int, dpi: int) -> None:
    if ranking is None:
        _text(document, "本期无已发布的评价结果。")
        return
    _text(document, prose.ranking_intro(ranking, f"表{number}"))
    if remark := prose.robustness_remarks(ranking):
        _text(document, remark)
    _caption(document, f"表{number}　{ranking.period_words}各区县评价排名")
    headers = ranking.headers
    fixed = {
        "名次": 12,
        "区县": 24,
        "得分": 14,
        "奖励金额（万元）": 18,
        "名次区间（5%–95%）": 18,
        "获奖概率": 14,
    }
    rest = 155 - sum(fixed.get(h, 0) for h in headers)
    flexible = [h for h in headers if h not in fixed]
    widths = [fixed.get(h, rest / max(1, len(flexible))) for h in headers]
    _table(document, headers, ranking.table, widths)
    _note(document, prose.ranking_note(ranking))
    _chart(document, charts.png(charts.score_figure(ranking), dpi))
    figure = charts.robustness_figure(ranking)
    if figure is not None:
        _chart(document, charts.png(figure, dpi))


def _closing(document: Document, b: Bulletin) -> None:
    """附件说明, then the issuing body and the date, kept on one page together."""
    paragraphs = [_paragraph(document)]
    attachment = _paragraph(document, indent=True)
    _run(attachment, f"附件：{b.file_stem}.xlsx（评价排名、目标进度、进度滞后、数据质量明细表）")
    paragraphs += [attachment, _paragraph(document), _paragraph(document)]
    for text in (ISSUER, day_words(b.issued_on)):
        paragraph = _paragraph(document, WD_ALIGN_PARAGRAPH.RIGHT)
        paragraph.paragraph_format.right_indent = INDENT
        _run(paragraph, text)
        paragraphs.append(paragraph)
    for paragraph in paragraphs[:-1]:
        paragraph.paragraph_format.keep_with_next = True
