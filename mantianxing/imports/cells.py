"""Parsers for one spreadsheet cell: the raw value calamine or the csv module gives, to a Python value.

Each parser returns None for a blank cell (except `text` and `code`, which return "") and raises
`CellError` with a short Chinese reason that quotes the bad value, ready for a "第 N 行，列：原因" report.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from mantianxing.core.validation import CONTROL_CHARACTERS
from mantianxing.lib.identifiers import mask_id_numbers, to_halfwidth
from mantianxing.vocabularies.registry import term_key


class CellError(ValueError):
    """A cell value that cannot be read; the message is shown to the person who uploaded the file."""


def is_blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def text(v: Any) -> str:
    """Stripped, with every run of whitespace (line breaks, U+3000) as one space.

    No NFKC here: company names legitimately use full-width brackets. A control character (NUL,
    BEL, ESC …) is a cell error: nothing stored may hold one (`core.validation`).
    """
    shown = _plain(v)
    if isinstance(v, str) and CONTROL_CHARACTERS.search(shown):
        raise CellError(f"含有不可见的控制字符（如 NUL、ESC），请删除后再导入：“{_shown(v)}”")
    return shown


def _plain(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, str):
        return " ".join(v.split())
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"  # what Excel shows
    if isinstance(v, float):
        # 15 significant digits is what Excel keeps and shows; it hides float noise like 0.30000000000000004.
        return str(int(v)) if v.is_integer() else format(v, ".15g")
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(" ")
    return str(v)


def code(v: Any) -> str:
    """An identifier (USCC, building code, ID number): half-width, no whitespace at all, upper case."""
    return "".join(to_halfwidth(text(v)).split()).upper()


def _shown(v: Any) -> str:
    """The value as quoted in an error message, cut short so that a stray paragraph stays readable.

    An ID number typed into the wrong column is never quoted in full (see `mask_id_numbers`).
    """
    shown = mask_id_numbers(CONTROL_CHARACTERS.sub("", _plain(v)))
    return shown if len(shown) <= 30 else shown[:30] + "…"


# Thousands separators only in their proper places ("12,34" is more likely a typo than 1234). No
# exponent: a CSV saved by Excel writes "1.23457E+11" for 123456789012, and reading it would lose digits.
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?")
# Units people type after a number. NFKC has already turned ㎡ and m² into "m2".
_UNITS = ("平方米", "平米", "m2", "万元", "亿元", "元", "人", "名", "个", "家", "户")


def _number(v: Any) -> Decimal | None:
    if is_blank(v):
        return None
    if isinstance(v, bool):
        raise CellError(f"不是有效的数字：“{_shown(v)}”")
    if isinstance(v, int):
        return Decimal(v)
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            raise CellError(f"不是有效的数字：“{_shown(v)}”")
        return Decimal(str(v))  # str() gives the shortest repr, so 0.1 stays 0.1
    if not isinstance(v, str):
        raise CellError(f"不是有效的数字：“{_shown(v)}”")
    s = "".join(to_halfwidth(v).split()).replace("\u2212", "-").lower()  # U+2212 minus survives NFKC
    for unit in _UNITS:
        if s.endswith(unit):
            s = s[: -len(unit)]
            break
    if not s.strip("+-.") or not _NUMBER.fullmatch(s):
        raise CellError(f"不是有效的数字：“{_shown(v)}”")
    return Decimal(s.replace(",", ""))


def decimal(v: Any, places: int = 2) -> Decimal | None:
    number = _number(v)
    if number is None:
        return None
    try:
        return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than the decimal context holds
        raise CellError(f"数值过大：“{_shown(v)}”") from None


def integer(v: Any) -> int | None:
    number = _number(v)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise CellError(f"应为整数：“{_shown(v)}”")
    return int(number)


_DATE_HINT = "（可写作 2023-05-12、2023年5月12日、2023/5/12 或 2023.5.12）"
_MONTH_HINT = "（可写作 2026-03、2026年3月 或 202603）"
_TIME = r"(?: ?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"  # a time of day after the date is dropped
_DATE_PATTERNS = (
    re.compile(r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})" + _TIME),
    re.compile(r"(?P<y>\d{4}) ?年 ?(?P<m>\d{1,2}) ?月 ?(?P<d>\d{1,2}) ?[日号]?" + _TIME),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
)
_MONTH_PATTERNS = (
    re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})"),
    re.compile(r"(?P<y>\d{4}) ?年 ?(?P<m>\d{1,2}) ?月份?"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})"),
)
_SERIAL = re.compile(r"\d{1,7}(?:\.\d+)?")
_LAST_SERIAL = 2958465  # 9999-12-31
# Serials before 1950 are years or sequence numbers typed into a date column ("2023" would be
# 1905-07-15), never dates this platform records: refused rather than read as such.
_FIRST_PLAUSIBLE_SERIAL = 18264  # 1950-01-01


def _from_serial(serial: float) -> dt.date | None:
    """An Excel serial day number (1900 date system), or None outside Excel's range.

    Excel counts 1900-02-29, which never existed (a bug kept from Lotus 1-2-3), so the serials
    accepted here (from 1950) count from 1899-12-30.
    """
    day = int(serial)  # a fraction is the time of day
    if not _FIRST_PLAUSIBLE_SERIAL <= day <= _LAST_SERIAL:
        return None
    return dt.date(1899, 12, 30) + dt.timedelta(days=day)


def _ymd(year: str | int, month: str | int, day: str | int) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _parse_date(v: Any) -> dt.date | None:
    """The date in `v` (not blank), or None when it holds none."""
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        # 20230512 typed into a number cell; 8 digits are far beyond the last serial, so no ambiguity.
        if 10_000_000 <= v <= 99_999_999 and float(v).is_integer():
            return _ymd(int(v) // 10000, int(v) // 100 % 100, int(v) % 100)
        return _from_serial(v)
    if not isinstance(v, str):
        return None
    s = " ".join(to_halfwidth(v).split())
    for pattern in _DATE_PATTERNS:
        if m := pattern.fullmatch(s):
            return _ymd(m["y"], m["m"], m["d"])
    if _SERIAL.fullmatch(s):  # a serial number that reached us as text, e.g. from a CSV
        return _from_serial(float(s))
    return None


def date(v: Any) -> dt.date | None:
    if is_blank(v):
        return None
    if (parsed := _parse_date(v)) is None:
        raise CellError(f"日期无法识别：“{_shown(v)}”{_DATE_HINT}")
    return parsed


def _parse_month(v: Any) -> dt.date | None:
    """A month written without a day, or None to try `v` as a full date.

    Raises when `v` has a month-only form but no such month, so that "202613" is not then read
    as the serial day 202613 (a date in 2454).
    """
    if isinstance(v, bool):
        return None
    if isinstance(v, float) and 1900 < v < 2200 and not v.is_integer():
        # "2026.3" typed into a cell becomes the number 2026.3 - and "2026.10" the number 2026.1.
        year, _, fraction = repr(v).partition(".")
        if fraction == "1":
            raise CellError(
                f"月份有歧义：“{_shown(v)}”（可能是 1 月或 10 月，请写作 {year}-01 或 {year}-10）"
            )
        parsed = _ymd(year, fraction, 1)
    elif isinstance(v, (int, float)) and 100_000 <= v <= 999_999 and float(v).is_integer():
        parsed = _ymd(int(v) // 100, int(v) % 100, 1)  # 202603 typed into a number cell
    elif isinstance(v, str):
        s = " ".join(to_halfwidth(v).split())
        m = next(filter(None, (pattern.fullmatch(s) for pattern in _MONTH_PATTERNS)), None)
        if m is None:
            return None
        parsed = _ymd(m["y"], m["m"], 1)
    else:
        return None
    if parsed is None:
        raise CellError(f"月份无法识别：“{_shown(v)}”{_MONTH_HINT}")
    return parsed


def month(v: Any) -> dt.date | None:
    """The first day of the month in `v`; a full date is accepted and its day dropped."""
    if is_blank(v):
        return None
    parsed = _parse_month(v) or _parse_date(v)
    if parsed is None:
        raise CellError(f"月份无法识别：“{_shown(v)}”{_MONTH_HINT}")
    return parsed.replace(day=1)


_TRUE = frozenset({"是", "y", "yes", "true", "1", "√", "✓", "有"})
_FALSE = frozenset({"否", "n", "no", "false", "0", "×", "✗", "无"})


def boolean(v: Any) -> bool | None:
    if is_blank(v):
        return None
    if isinstance(v, bool):
        return v
    word = code(v).lower()  # code() writes 1.0 as "1"
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise CellError(f"应填“是”或“否”：“{_shown(v)}”")


def label_key(label: str) -> str:
    """How `choice` compares labels: NFKC, without any whitespace, case folded. Build its options with this."""
    return term_key(label)


_LISTED = 12  # allowed labels named in an error message; an industry list can be hundreds long


def not_a_choice(v: Any, labels: Sequence[str]) -> CellError:
    """The error for a value (or a list of values) outside a closed list: names them, lists the choices."""
    shown = "、".join(f"“{_shown(one)}”" for one in (v if isinstance(v, list) else [v]))
    listed = "、".join(labels[:_LISTED])
    more = f"等 {len(labels)} 项" if len(labels) > _LISTED else ""
    return CellError(f"{shown}不是可选值，可选：{listed}{more}")


def choice(v: Any, options: Mapping[str, str], labels: Sequence[str] | None = None) -> str | None:
    """The stored value for the label in `v`; `options` maps `label_key(label)` to the stored value.

    `labels` are the choices an error lists (by default the options' keys, when they hold no synonyms).
    """
    if is_blank(v):
        return None
    value = options.get(label_key(text(v)))
    if value is None:
        raise not_a_choice(v, list(options) if labels is None else labels)
    return value
