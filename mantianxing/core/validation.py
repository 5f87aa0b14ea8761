"""Field rules stated once, on the model, and so shared by every door: form, API, admin and import.

A model field names these in `validators`; the import runs the same validators on each row (see
`mantianxing.imports.ledgers.common.ModelRules`). Messages are short and name no field: each door
puts the field's or the column's name in front ("第 5 行 成立日期：不能晚于今天（2026-12-02）。").
The length message of every CharField ("长度不能超过 40 个字符（当前 52）。") is Django's own, worded
for us in `mantianxing/locale`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _


def validate_not_in_future(value: date) -> None:
    """A date of something that has happened (成立日期, 收储日期): today at the latest."""
    today = timezone.localdate()
    if value is not None and value > today:
        raise ValidationError(
            _("不能晚于今天（%(today)s）。") % {"today": f"{today:%Y-%m-%d}"}, code="future"
        )


def validate_month_not_in_future(value: date) -> None:
    """A reporting month (stored as its first day): the current month at the latest."""
    this_month = timezone.localdate().replace(day=1)
    if value is not None and value > this_month:
        raise ValidationError(
            _("不能晚于本月（%(month)s）。") % {"month": f"{this_month:%Y-%m}"}, code="future_month"
        )


def validate_non_negative(value: Decimal | int) -> None:
    if value is not None and value < 0:
        raise ValidationError(_("不能为负数。"), code="negative")


def validate_positive(value: Decimal | int) -> None:
    if value is not None and value <= 0:
        raise ValidationError(_("应大于 0。"), code="not_positive")


# C0 control characters and DEL, but tab, line feed and carriage return: invisible in a page, refused
# by PostgreSQL (NUL) or by the .xlsx format, and a way to smuggle escape sequences into a terminal.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def validate_no_control_characters(value: str) -> None:
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        raise ValidationError(
            _("含有不可见的控制字符（如 NUL、ESC），请删除后重新填写。"), code="control_character"
        )


def guard_text_fields(model_classes: Iterable[type[models.Model]]) -> None:
    """Give every CharField and TextField of these models `validate_no_control_characters`.

    Added once at start-up (`CoreConfig.ready`) rather than named in each field's `validators`: a
    field added later is covered without anyone remembering to, and the form, the API, the admin and
    the import all run a field's validators.
    """
    for model in model_classes:
        for field in model._meta.concrete_fields:
            # `validators` is a list cached on the field, to which CharField itself adds its
            # MaxLengthValidator: appended to in the same way.
            if isinstance(field, models.CharField | models.TextField) and (
                validate_no_control_characters not in field.validators
            ):
                field.validators.append(validate_no_control_characters)
