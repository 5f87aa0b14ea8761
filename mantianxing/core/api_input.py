"""What the API refuses in any input before an endpoint sees it: the fuzzer's 500s (issue 12 §7).

- Numbers that are not finite: Python's json reads NaN, Infinity and 1e999999 (as infinity), which
  no column can hold.
- NUL characters and unpaired UTF-16 surrogates in any string, key or query parameter: PostgreSQL
  cannot store or even compare them (psycopg refuses the query), so a filter on one was a 500 there
  while SQLite let it by. Other control characters are the models' and the imports' to refuse.

Ninja wraps any error of the body parser in a 400 "Cannot parse request body"; the refusal is kept
as that error's cause, and core/api.py's handler tells the caller the refusal's Chinese message.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.errors import HttpError
from ninja.parser import Parser

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class RefusedInput(ValueError):
    """Input no endpoint should see; the message is the caller's, in Chinese."""


def _refuse_constant(name: str) -> float:
    raise RefusedInput(f"请求中的数字须为有限数，不能是 {name}。")


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):  # 1e999999 reads as infinity
        raise RefusedInput("请求中的数字须为有限数，不能是无穷大。")
    return number


def refuse_unstorable(value: Any, where: str = "") -> None:
    """Raise RefusedInput if a string anywhere in `value` holds NUL or a lone surrogate."""
    if isinstance(value, str):
        if UNSTORABLE.search(value):
            place = f"“{where}”" if where and not UNSTORABLE.search(where) else ""
            raise RefusedInput(f"请求中{place}含有无法保存的字符（NUL 控制字符或无效的 Unicode 代理项）。")
    elif isinstance(value, dict):
        for key, item in value.items():
            refuse_unstorable(key, where)
            refuse_unstorable(item, str(key))
    elif isinstance(value, list):
        for item in value:
            refuse_unstorable(item, where)


class StrictParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(
            request.body, parse_constant=_refuse_constant, parse_float=_finite_float
        )
        refuse_unstorable(data)
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        parsed: dict[str, Any] = super().parse_querydict(data, list_fields, request)
        try:
            refuse_unstorable(parsed)
        except RefusedInput as refusal:  # not wrapped by Ninja: answered here
            raise HttpError(400, str(refusal)) from None
        return parsed
