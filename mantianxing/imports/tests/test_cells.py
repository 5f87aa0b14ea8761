from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mantianxing.imports import cells
from mantianxing.imports.cells import CellError

FULLWIDTH = str.maketrans("0123456789-/.,", "０１２３４５６７８９－／．，")

dates = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(9999, 12, 31))
months = st.builds(lambda d: d.replace(day=1), st.dates(min_value=dt.date(1000, 1, 1)))


def excel_serial(day: dt.date) -> int:
    """What Excel stores for `day` (from 1900-03-01 on, after the phantom 1900-02-29)."""
    return (day - dt.date(1899, 12, 30)).days


def test_it_tells_blank_cells() -> None:
    assert all(cells.is_blank(v) for v in (None, "", "  ", "\u3000\n\t"))
    assert not any(cells.is_blank(v) for v in (0, 0.0, False, "0", "-"))


def test_it_collapses_whitespace_in_text_but_keeps_full_width_brackets() -> None:
    assert cells.text("  重庆某某\n科技　有限公司（分公司） ") == "重庆某某 科技 有限公司（分公司）"
    assert cells.text(None) == cells.text("   ") == ""
    assert cells.text(12.0) == "12"
    assert cells.text(12.5) == "12.5"
    assert cells.text(0.1 + 0.2) == "0.3"
    assert cells.text(dt.datetime(2023, 5, 12)) == "2023-05-12"


def test_it_normalises_codes() -> None:
    assert cells.code(" ９１５００１０３\u3000mａ5u ") == "91500103MA5U"
    assert cells.code("500 103\n") == "500103"
    assert cells.code(6510.0) == "6510"
    assert cells.code(123456789012345678) == "123456789012345678"
    assert cells.code(5.00103e17) == "500103000000000000"  # no scientific notation
    assert cells.code(None) == ""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (12, "12.00"),
        (12.0, "12.00"),
        (12.345, "12.35"),  # ROUND_HALF_UP on the decimal the cell shows, not on the binary float
        (2.675, "2.68"),
        ("1,234.5", "1234.50"),
        ("1，234.5", "1234.50"),
        ("１２，３４５．６７", "12345.67"),
        ("  88  ", "88.00"),
        ("120㎡", "120.00"),
        ("120 平方米", "120.00"),
        ("120m²", "120.00"),
        ("3.5万元", "3.50"),
        ("35人", "35.00"),
        ("100元", "100.00"),
        ("-5.5", "-5.50"),
        ("－５", "-5.00"),
        (".5", "0.50"),
    ],
)
def test_it_reads_decimals(raw: object, expected: str) -> None:
    assert cells.decimal(raw) == Decimal(expected)


def test_it_rounds_decimals_to_the_places_asked() -> None:
    assert cells.decimal("1.23456", places=4) == Decimal("1.2346")
    assert cells.decimal(7.5, places=0) == Decimal(8)


@pytest.mark.parametrize("raw", ["abc", "12,34", "1.2.3", "1.23457E+11", "12%", "约 100", "+", True])
def test_it_rejects_what_is_not_a_number(raw: object) -> None:
    with pytest.raises(CellError) as caught:
        cells.decimal(raw)
    assert str(caught.value) == f"不是有效的数字：“{cells.text(raw)}”"


def test_it_reads_blank_numbers_as_none() -> None:
    assert cells.decimal(None) is None
    assert cells.decimal(" ") is None
    assert cells.integer("") is None


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2))
def test_it_reads_back_every_decimal_however_it_is_written(value: Decimal) -> None:
    grouped = f"{value:,}"
    assert cells.decimal(str(value)) == value
    assert cells.decimal(grouped) == value
    assert cells.decimal(grouped.translate(FULLWIDTH) + " 万元") == value
    assert cells.decimal(float(value)) == value


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_it_reads_back_every_integer(value: int) -> None:
    assert cells.integer(value) == value
    assert cells.integer(float(value)) == value
    assert cells.integer(f"{value:,}".translate(FULLWIDTH)) == value


def test_it_refuses_fractions_where_an_integer_is_wanted() -> None:
    assert cells.integer("12.0") == 12
    with pytest.raises(CellError, match=r"^应为整数：“12\.5”$"):
        cells.integer(12.5)
    with pytest.raises(CellError, match=r"^不是有效的数字：“十二”$"):
        cells.integer("十二")


@pytest.mark.parametrize(
    "raw",
    [
        "2023-05-12",
        "2023-5-12",
        "2023/5/12",
        "2023.5.12",
        "2023年5月12日",
        "2023年05月12号",
        "2023 年 5 月 12 日",
        "20230512",
        "２０２３－０５－１２",
        "２０２３年５月１２日",
        "  2023/05/12\n",
        "2023-05-12 00:00:00",
        "2023-05-12 14:30",
        "45058",
        45058,
        45058.75,  # a time of day in the fraction
        20230512,
        dt.date(2023, 5, 12),
        dt.datetime(2023, 5, 12, 9, 30),
    ],
)
def test_it_reads_dates(raw: object) -> None:
    assert cells.date(raw) == dt.date(2023, 5, 12)


def test_serials_count_from_1899_12_30_and_only_plausible_ones_are_dates() -> None:
    assert cells.date(18264) == dt.date(1950, 1, 1)
    assert cells.date(45058) == dt.date(2023, 5, 12)
    assert cells.date(2958465) == dt.date(9999, 12, 31)
    # A year or a sequence number typed into a date column is not read as a date in 1905.
    for serial in (0, 1, 60, 2023, 18263, 2958466, -1):
        with pytest.raises(CellError):
            cells.date(serial)


@given(dates)
def test_it_reads_back_every_date_however_it_is_written(day: dt.date) -> None:
    y, m, d = day.year, day.month, day.day
    written = [
        day.isoformat(),
        f"{y}-{m}-{d}",
        f"{y}/{m}/{d}",
        f"{y}.{m}.{d}",
        f"{y}年{m}月{d}日",
        f"{y}年{m:02}月{d:02}号",
        f"{y}{m:02}{d:02}",
        f"{day.isoformat()} 00:00:00",
        day.isoformat().translate(FULLWIDTH),
        str(excel_serial(day)),
        excel_serial(day),
        float(excel_serial(day)),
    ]
    for raw in written:
        assert cells.date(raw) == day, raw


@pytest.mark.parametrize(
    "raw", ["2023-13-01", "2023-02-30", "2023-5/12", "12/5/2023", "23-5-12", "明天", True]
)
def test_it_rejects_what_is_not_a_date(raw: object) -> None:
    with pytest.raises(CellError) as caught:
        cells.date(raw)
    assert str(caught.value) == (
        f"日期无法识别：“{cells.text(raw)}”（可写作 2023-05-12、2023年5月12日、2023/5/12 或 2023.5.12）"
    )


@pytest.mark.parametrize(
    "raw",
    [
        "2026-03",
        "2026-3",
        "2026/03",
        "2026.3",
        "2026年3月",
        "2026年3月份",
        "202603",
        "２０２６年３月",
        202603,
        2026.3,  # "2026.3" typed into a cell is stored as a number
        "2026-03-31",
        dt.date(2026, 3, 17),
        excel_serial(dt.date(2026, 3, 9)),
    ],
)
def test_it_reads_months(raw: object) -> None:
    assert cells.month(raw) == dt.date(2026, 3, 1)


@given(months)
def test_it_reads_back_every_month(first: dt.date) -> None:
    y, m = first.year, first.month
    for raw in (
        f"{y}-{m:02}",
        f"{y}-{m}",
        f"{y}/{m:02}",
        f"{y}.{m}",
        f"{y}年{m}月",
        f"{y}年{m}月份",
        f"{y}{m:02}",
    ):
        assert cells.month(raw) == first, raw


def test_it_refuses_an_ambiguous_or_impossible_month() -> None:
    with pytest.raises(CellError, match=r"^月份有歧义：“2026\.1”"):
        cells.month(2026.1)  # 2026.10 and 2026.1 are the same number
    assert cells.month(2026.11) == dt.date(2026, 11, 1)
    for raw in ("202613", "2026-13", 202600, "上月"):
        with pytest.raises(CellError) as caught:
            cells.month(raw)
        assert str(caught.value) == f"月份无法识别：“{raw}”（可写作 2026-03、2026年3月 或 202603）"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        *[
            (word, True)
            for word in ("是", "Y", "yes", "TRUE", "1", 1, 1.0, "√", "✓", "有", "ｙｅｓ", " 是 ", True)
        ],
        *[(word, False) for word in ("否", "n", "No", "false", "0", 0, "×", "✗", "无", "Ｎ", False)],
        (None, None),
        ("", None),
    ],
)
def test_it_reads_yes_and_no(raw: object, expected: bool | None) -> None:
    assert cells.boolean(raw) is expected


def test_it_rejects_what_is_neither_yes_nor_no() -> None:
    with pytest.raises(CellError, match=r"^应填“是”或“否”：“可能”$"):
        cells.boolean("可能")
    with pytest.raises(CellError, match=r"^应填“是”或“否”：“2”$"):
        cells.boolean(2)


KINDS = {
    cells.label_key(label): value
    for label, value in [("国有企业", "state"), ("民营企业", "private"), ("外资企业（港澳台）", "foreign")]
}


def test_it_maps_choice_labels_to_values() -> None:
    assert cells.choice("民营企业", KINDS) == "private"
    assert cells.choice(" 民营\n企业 ", KINDS) == "private"
    assert cells.choice("外资企业(港澳台)", KINDS) == "foreign"
    assert cells.choice("外资企业（港澳台）", KINDS) == "foreign"
    assert cells.choice(None, KINDS) is None


def test_it_lists_the_allowed_labels_for_an_unknown_choice() -> None:
    with pytest.raises(CellError) as caught:
        cells.choice("集体企业", KINDS)
    assert str(caught.value) == "“集体企业”不是可选值，可选：国有企业、民营企业、外资企业(港澳台)"
    many = {f"类{i}": str(i) for i in range(40)}
    with pytest.raises(CellError, match=r"类11等 40 项$"):
        cells.choice("类99", many)


def test_it_quotes_long_values_shortened() -> None:
    with pytest.raises(CellError) as caught:
        cells.date("这是一段很长的说明文字，" * 10)
    assert "…”" in str(caught.value)
