"""Identifiers people type into spreadsheets: normalised first, then validated by python-stdnum."""

from __future__ import annotations

import re
import unicodedata

from stdnum.cn import uscc as stdnum_uscc

# GB 32100-2015's characters: digits and capital letters but I, O, S, V and Z.
USCC_ALPHABET = frozenset("0123456789ABCDEFGHJKLMNPQRTUWXY")


def to_halfwidth(text: str) -> str:
    """Full-width letters, digits and spaces (Ａ１　) become their ASCII forms (A1 )."""
    return unicodedata.normalize("NFKC", text)


def normalize_uscc(raw: str) -> str:
    """Full-width to half-width, every kind of space removed, upper case."""
    return "".join(to_halfwidth(raw).split()).upper()


def uscc_error(code: str) -> str | None:
    """Why `code` (already normalised) is not a valid USCC, in Chinese; None when it is valid.

    The checks of `stdnum.cn.uscc.validate` without its cleaning of the code twice over (the code
    is normalised already, and a city's enterprise file checks 50,000 of them): the check digit
    is stdnum's.
    """
    if len(code) != 18:
        return f"统一社会信用代码应为 18 位，实为 {len(code)} 位。"
    if not code[:8].isascii() or not code[:8].isdigit() or not USCC_ALPHABET.issuperset(code[8:]):
        return "统一社会信用代码含有不允许的字符（不使用 I、O、S、V、Z）。"
    if code[-1] != stdnum_uscc.calc_check_digit(code[:-1]):
        return "统一社会信用代码校验位或字符不正确。"
    return None


def uscc_division(code: str) -> str:
    """The registering authority's division code (characters 3–8), fixed when the code was issued."""
    return code[2:8]


def make_uscc(body: str) -> str:
    """A valid USCC from its first 17 characters (synthetic data and tests only)."""
    return body + stdnum_uscc.calc_check_digit(body)


# Anything shaped like a resident ID number (GB 11643: 17 digits and a digit or X; or the old 15
# digits), not inside a longer run of digits or letters. A USCC made of digits only is masked too:
# the row number still leads to it, and an ID number in a USCC column must not be quoted.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9A-Za-z])")


def mask_id_numbers(text: str) -> str:
    """`text` with every ID-number-like run shown as its last four characters (`**************123X`)."""
    return _ID_NUMBER.sub(lambda found: "*" * (len(found[0]) - 4) + found[0][-4:], text)
