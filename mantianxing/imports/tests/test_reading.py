from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils.cell import coordinate_to_tuple
from python_calamine import CalamineWorkbook

from mantianxing.imports import cells
from mantianxing.imports.reading import FileUnusable, Sheet, read_sheet

COLUMNS = ["楼宇编码", "楼宇名称", "所在区县", "总建筑面积（㎡）"]
HEADER = ["序号", *COLUMNS, "备注"]


def xlsx(
    tmp_path: Path,
    rows: Sequence[Sequence[Any]],
    *,
    at: str = "A1",
    merged: Iterable[str] = (),
    name: str = "台账.xlsx",
) -> Path:
    """A one-sheet workbook with `rows` written from cell `at` down; None leaves a cell empty."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "楼宇"
    top, left = coordinate_to_tuple(at)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.cell(top + r, left + c, value)
    for cell_range in merged:
        sheet.merge_cells(cell_range)
    path = tmp_path / name
    book.save(path)
    return path


def read(path: Path, columns: Sequence[str] = COLUMNS, **options: Any) -> Sheet:
    return read_sheet(path, path.name, columns, **options)


def rows_of(sheet: Sheet) -> list[tuple[int, tuple[Any, ...]]]:
    return list(sheet.rows)


def test_it_skips_title_rows_above_the_header(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path,
        [
            ["2026 年重庆市软件楼宇台账"],
            ["填报单位：渝中区经信委", None, None, "填报日期：2026-03-01"],
            HEADER,
            [1, "B001", "解放碑大厦", "渝中区", 12000],
        ],
        merged=["A1:F1"],
    )
    sheet = read(path)
    assert (sheet.sheet_name, sheet.header_row, sheet.columns) == ("楼宇", 3, tuple(COLUMNS))
    assert sheet.present == frozenset(COLUMNS)
    assert rows_of(sheet) == [(4, ("B001", "解放碑大厦", "渝中区", 12000))]


def test_it_matches_headers_with_line_breaks_stray_spaces_and_markers(tmp_path: Path) -> None:
    header = ["*楼宇\n编码", " 楼宇 名称 ", "所在区县：", "总建筑面积\n（㎡）*"]
    path = xlsx(tmp_path, [header, ["B001", "解放碑大厦", "渝中区", 12000]])
    sheet = read(path)
    assert sheet.present == frozenset(COLUMNS)
    assert rows_of(sheet) == [(2, ("B001", "解放碑大厦", "渝中区", 12000))]


@pytest.mark.parametrize(
    "area_header",
    [
        "总建筑面积（㎡）",
        "总建筑面积(㎡)",
        "总建筑面积（平方米）",
        "总建筑面积(平米)",
        "总建筑面积(m²)",
        "总建筑面积（M2）",
        "总建筑面积",
    ],
)
def test_it_matches_full_width_brackets_and_area_units(tmp_path: Path, area_header: str) -> None:
    path = xlsx(tmp_path, [["楼宇编码", "楼宇名称", area_header], ["B001", "A", 1]])
    assert "总建筑面积（㎡）" in read(path).present


def test_it_matches_a_header_without_the_columns_unit_or_with_a_note(tmp_path: Path) -> None:
    path = xlsx(tmp_path, [["姓名", "年薪", "岗位（必填）"], ["张三", 30, "工程师"]])
    sheet = read(path, ["姓名", "年薪（万元）", "岗位"])
    assert rows_of(sheet) == [(2, ("张三", 30, "工程师"))]


def test_it_does_not_read_a_column_in_another_unit(tmp_path: Path) -> None:
    # 300000 元 read as 300000 万元 would be off by 10,000 times: better absent than wrong.
    path = xlsx(tmp_path, [["姓名", "岗位", "年薪（元）"], ["张三", "工程师", 300000]])
    sheet = read(path, ["姓名", "年薪（万元）", "岗位"])
    assert sheet.present == {"姓名", "岗位"}
    assert rows_of(sheet) == [(2, ("张三", None, "工程师"))]


def test_it_ignores_extra_columns_and_follows_the_files_order(tmp_path: Path) -> None:
    header = ["备注", "总建筑面积（㎡）", "序号", "所在区县", "物业公司", "楼宇名称", "楼宇编码"]
    path = xlsx(tmp_path, [header, ["新建", 800, 1, "南岸区", "某物业", "南坪大厦", "B002"]])
    assert rows_of(read(path)) == [(2, ("B002", "南坪大厦", "南岸区", 800))]


def test_it_gives_none_for_a_missing_optional_column(tmp_path: Path) -> None:
    path = xlsx(tmp_path, [["楼宇编码", "楼宇名称"], ["B001", "解放碑大厦"]])
    sheet = read(path, required=["楼宇编码"])
    assert sheet.present == {"楼宇编码", "楼宇名称"}
    assert rows_of(sheet) == [(2, ("B001", "解放碑大厦", None, None))]


def test_it_refuses_a_header_without_a_required_column(tmp_path: Path) -> None:
    path = xlsx(tmp_path, [["楼宇名称", "所在区县"], ["解放碑大厦", "渝中区"]])
    with pytest.raises(FileUnusable) as caught:
        read(path, required=["楼宇编码", "楼宇名称"])
    assert str(caught.value) == "表头缺少必填列：“楼宇编码”。"


def test_it_refuses_a_sheet_without_a_header(tmp_path: Path) -> None:
    path = xlsx(tmp_path, [["一些说明"], ["楼宇编码"], ["B001", "解放碑大厦"]])
    with pytest.raises(FileUnusable) as caught:
        read(path)
    assert str(caught.value) == (
        "未找到表头：第一张工作表的前 30 行中没有“楼宇编码”“楼宇名称”“所在区县”……等列。"
    )


def test_it_looks_for_the_header_in_the_first_30_rows_only(tmp_path: Path) -> None:
    path = xlsx(tmp_path, [["楼宇编码", "楼宇名称"], ["B001", "A"]], at="A31")
    with pytest.raises(FileUnusable, match=r"^未找到表头"):
        read(path)
    path = xlsx(tmp_path, [["楼宇编码", "楼宇名称"], ["B001", "A"]], at="A30")
    assert read(path).header_row == 30


def test_it_uses_the_first_sheet_with_the_header_and_skips_hidden_sheets(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "填表说明"
    book.active.append(["请按模板填写，楼宇编码由区县统一分配。"])
    hidden = book.create_sheet("旧数据")
    hidden.append(COLUMNS)
    hidden.append(["OLD", "旧楼", "渝中区", 1])
    hidden.sheet_state = "hidden"
    data = book.create_sheet("楼宇台账")
    data.append(COLUMNS)
    data.append(["B001", "新楼", "渝中区", 2])
    path = tmp_path / "多表.xlsx"
    book.save(path)
    sheet = read(path)
    assert sheet.sheet_name == "楼宇台账"
    assert rows_of(sheet) == [(2, ("B001", "新楼", "渝中区", 2))]


def test_it_prefers_a_later_sheet_that_has_every_required_column(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["楼宇名称", "所在区县"])
    book.create_sheet("完整").append(COLUMNS)
    path = tmp_path / "两表.xlsx"
    book.save(path)
    assert read(path, required=["楼宇编码"]).sheet_name == "完整"


def test_it_takes_the_first_of_a_duplicated_column(tmp_path: Path) -> None:
    path = xlsx(tmp_path, [["楼宇编码", "楼宇名称", "楼宇名称"], ["B001", "第一", "第二"]])
    assert rows_of(read(path))[0][1][:2] == ("B001", "第一")


def test_it_accepts_aliases(tmp_path: Path) -> None:
    path = xlsx(tmp_path, [["信用代码", "名称"], ["91500103MA5U000000", "某科技有限公司"]])
    sheet = read(
        path,
        ["统一社会信用代码", "企业名称"],
        aliases={"统一社会信用代码": ["社会信用代码", "信用代码"], "企业名称": ["名称"]},
        required=["统一社会信用代码"],
    )
    assert rows_of(sheet) == [(2, ("91500103MA5U000000", "某科技有限公司"))]


def test_it_reads_a_one_column_template(tmp_path: Path) -> None:
    path = xlsx(tmp_path, [["名单"], ["统一社会信用代码"], ["91500103MA5U000000"]])
    sheet = read(path, ["统一社会信用代码"])
    assert sheet.header_row == 2
    assert rows_of(sheet) == [(3, ("91500103MA5U000000",))]


def test_it_fills_merged_data_cells_down(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path,
        [
            HEADER,
            [1, "B001", "解放碑大厦", "渝中区", 100],
            [2, "B002", "大都会", None, 200],
            [3, "B003", "环球金融中心", None, 300],
            [4, "B004", "南坪大厦", "南岸区", 400],
            ["填表说明：面积以不动产登记为准。"],
        ],
        merged=["D2:D4", "A6:F6"],
    )
    assert rows_of(read(path)) == [
        (2, ("B001", "解放碑大厦", "渝中区", 100)),
        (3, ("B002", "大都会", "渝中区", 200)),
        (4, ("B003", "环球金融中心", "渝中区", 300)),
        (5, ("B004", "南坪大厦", "南岸区", 400)),
        # A note merged across one row is not spread into every column: its row stays blank.
    ]


def test_it_fills_a_range_merged_across_rows_and_columns(tmp_path: Path) -> None:
    path = xlsx(tmp_path, [COLUMNS, ["B001", "双子塔", None, 1], ["B002", None, None, 2]], merged=["B2:C3"])
    assert [values for _, values in rows_of(read(path))] == [
        ("B001", "双子塔", "双子塔", 1),
        ("B002", "双子塔", "双子塔", 2),
    ]


@pytest.mark.parametrize("label", ["合计", "合 计", "总计：", "总计:", "小计", "合计：3 栋"])
@pytest.mark.parametrize("where", [0, 2])  # in the ignored 序号 column, or in 楼宇名称
def test_it_skips_total_rows(tmp_path: Path, label: str, where: int) -> None:
    total: list[Any] = [None] * 5
    total[where] = label
    total[4] = 300
    path = xlsx(tmp_path, [HEADER, [1, "B001", "A", "渝中区", 100], total, [2, "B002", "B", "渝中区", 200]])
    assert [number for number, _ in rows_of(read(path))] == [2, 4]


def test_it_keeps_rows_that_merely_mention_a_total(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path,
        [
            HEADER,
            [1, "B001", "重庆合计科技大厦", "渝中区", 100],
            [2, "B002", "合计中心", "渝中区", 200],
            [3, "B003", "C", "渝中区", 300, "合计"],  # 备注 is the sixth non-blank cell
        ],
    )
    assert [number for number, _ in rows_of(read(path))] == [2, 3, 4]


def test_it_skips_blank_rows_and_strips_text(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path,
        [
            HEADER,
            [1, " B001 ", "  解放碑大厦\n", "\u3000", 100],
            [2, None, None, None, None, "空行的备注"],
            [3, "   ", None, None, None],
            [4, "B004", "", "渝中区", 0],
        ],
    )
    assert rows_of(read(path)) == [
        (2, ("B001", "解放碑大厦", None, 100)),
        (5, ("B004", None, "渝中区", 0)),
    ]


def test_it_numbers_rows_as_excel_does_after_empty_rows_and_columns(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path,
        [
            ["楼宇台账"],
            HEADER,
            [1, "B001", "A", "渝中区", 100],
            [2, "B002", "B", None, 200],
            [None],
            [3, "B003"],
        ],
        at="C4",
        merged=["C4:H4", "F6:F7"],
    )
    sheet = read(path)
    assert sheet.header_row == 5
    assert rows_of(sheet) == [
        (6, ("B001", "A", "渝中区", 100)),
        (7, ("B002", "B", "渝中区", 200)),
        (9, ("B003", None, None, None)),
    ]


def test_calamine_pads_empty_rows_above_but_not_columns_to_the_left(tmp_path: Path) -> None:
    # reading.py relies on this (python-calamine 0.9): an upgrade that changes it must fail here.
    path = xlsx(tmp_path, [["x", "y"], [None, None, "z"]], at="C3", merged=["E4:E5"])
    sheet = CalamineWorkbook.from_path(path).get_sheet_by_index(0)
    assert sheet.start == (2, 2)
    assert list(sheet.iter_rows()) == [["", "", ""], ["", "", ""], ["x", "y", ""], ["", "", "z"]]
    assert sheet.merged_cell_ranges == [((3, 4), (4, 4))]  # sheet coordinates, from 0


def test_it_reads_dates_written_as_dates_and_as_serial_numbers(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["企业名称", "成立日期", "注册日期", "核准日期"])
    sheet.append(["某科技", dt.date(2023, 5, 12), 45058, "２０２３年５月１２日"])
    sheet["C2"].number_format = "0"  # a date shown as its serial number
    path = tmp_path / "日期.xlsx"
    book.save(path)
    (_, (founded, registered, approved)), *_ = rows_of(read(path, ["成立日期", "注册日期", "核准日期"]))
    assert founded == dt.date(2023, 5, 12)
    assert registered == 45058
    assert cells.date(founded) == cells.date(registered) == cells.date(approved) == dt.date(2023, 5, 12)


def test_it_reads_full_width_numbers_through_the_parsers(tmp_path: Path) -> None:
    path = xlsx(tmp_path, [COLUMNS, ["Ｂ００１", "A", "渝中区", "１２，０００．５㎡"]])
    [(_, (code, _name, _unit, area))] = rows_of(read(path))
    assert (cells.code(code), cells.decimal(area)) == ("B001", cells.decimal("12000.5"))


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_it_reads_csv(tmp_path: Path, encoding: str) -> None:
    content = (
        "楼宇台账,,,,\r\n"
        "序号,楼宇编码,楼宇名称,总建筑面积（平方米）,备注\r\n"
        '1,B001,"解放碑\n大厦",12000\r\n'  # a short row, with a line break inside a field
        "合计,,,12000,\r\n"
    )
    path = tmp_path / "台账.csv"
    path.write_bytes(content.encode(encoding))
    sheet = read(path)
    assert (sheet.sheet_name, sheet.header_row) == ("台账", 2)
    assert rows_of(sheet) == [(3, ("B001", "解放碑\n大厦", None, "12000"))]


def test_it_reads_bytes_and_file_objects(tmp_path: Path) -> None:
    data = xlsx(tmp_path, [COLUMNS, ["B001", "A", "渝中区", 1]]).read_bytes()
    for source in (data, io.BytesIO(data)):
        sheet = read_sheet(source, "上传.XLSX", COLUMNS)
        assert rows_of(sheet) == [(2, ("B001", "A", "渝中区", 1))]


def test_it_reads_a_workbook_whatever_its_temporary_name(tmp_path: Path) -> None:
    path = xlsx(tmp_path, [COLUMNS, ["B001", "A", "渝中区", 1]], name="upload-7f3a.tmp")
    assert rows_of(read_sheet(path, "台账.xlsx", COLUMNS))[0][0] == 2


@pytest.mark.parametrize(
    "data", [b"", b"not a workbook", b"PK\x03\x04broken zip", b"<html><table></table></html>"]
)
def test_it_refuses_a_corrupt_file(data: bytes) -> None:
    with pytest.raises(FileUnusable, match=r"^无法读取文件“台账\.xlsx”：不是有效的 Excel 文件。"):
        read_sheet(data, "台账.xlsx", COLUMNS)


def test_it_refuses_an_unknown_file_type() -> None:
    with pytest.raises(FileUnusable) as caught:
        read_sheet(b"PK", "台账.docx", COLUMNS)
    assert (
        str(caught.value)
        == "无法读取文件“台账.docx”：不支持“.docx”文件，请上传 .xlsx、.xls、.ods 或 .csv 文件。"
    )
    with pytest.raises(FileUnusable, match="没有扩展名"):
        read_sheet(b"PK", "台账", COLUMNS)


def test_it_refuses_a_csv_in_an_unknown_encoding() -> None:
    with pytest.raises(FileUnusable, match="编码"):
        read_sheet("楼宇编码,楼宇名称".encode("utf-16"), "台账.csv", COLUMNS)
