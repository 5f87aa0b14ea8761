from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mantianxing.accounts.choices import Role
from mantianxing.core.models import TrackedModel
from mantianxing.honours.choices import CODED_KINDS, PERCENT_KINDS, THRESHOLD_UNITS, CriterionKind
from mantianxing.lib.identifiers import USCC_ALPHABET

DIVISION = re.compile(r"^\d{2}$")
EDITION = re.compile(r"^\d{4}$")


class DemonstrationCriterion(TrackedModel):
    """One condition of the "满天星" demonstration-building title, kept as data the city office tunes.

    `parameter` by kind:
    - independent_operator: {"codes": ["91", …]} — the USCC entity types (characters 1–2) that
      count as independent legal persons (see `mantianxing.honours.operators`);
    - software_focus: {"edition": "2017", "codes": ["64", "65"]} — the GB/T 4754 edition and the
      divisions (大类) of a software and information-service firm; `software_firms` counts firms
      by the same definition;
    - the other kinds: {} (they have a threshold instead).
    """

    kind = models.CharField(_("条件"), max_length=30, choices=CriterionKind.choices, unique=True)
    threshold = models.DecimalField(
        _("门槛值"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("达到（≥）即满足；比例以百分数计（70 即 70%）。运营机构条件没有门槛值。"),
    )
    parameter = models.JSONField(
        _("参数"),
        default=dict,
        blank=True,
        help_text=_("软件主导：行业分类版本和大类代码；独立法人：计为法人的信用代码前两位。"),
    )
    enabled = models.BooleanField(_("启用"), default=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    note = models.TextField(_("说明"), blank=True)

    scope_writers = frozenset({Role.CITY_OFFICE})

    class Meta:
        verbose_name = _("示范楼宇认定条件")
        verbose_name_plural = _("示范楼宇认定条件")
        ordering = ["position", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold__isnull=True) | Q(threshold__gte=0),
                name="honours_criterion_threshold_not_negative",
                violation_error_message=_("门槛值不能为负数。"),
            ),
        ]

    def __str__(self) -> str:
        if self.threshold is None:
            return str(self.name)
        return f"{self.name} ≥ {self.threshold.normalize():f} {self.unit_label}"

    @property
    def name(self) -> str:
        return str(CriterionKind(self.kind).label)

    @property
    def unit_label(self) -> str:
        return THRESHOLD_UNITS.get(CriterionKind(self.kind), "")

    @property
    def codes(self) -> list[str]:
        params = self.parameter if isinstance(self.parameter, dict) else {}
        return [str(code) for code in params.get("codes", [])]

    @property
    def edition(self) -> str:
        params = self.parameter if isinstance(self.parameter, dict) else {}
        return str(params.get("edition", ""))

    def clean(self) -> None:
        kind = CriterionKind(self.kind)
        self.parameter = clean_parameter(kind, self.parameter)
        if self.threshold is not None and not isinstance(self.threshold, Decimal):
            return  # not a number: the field's own check has said so
        # Every kind but the operator's is a measured value against a threshold.
        if kind in THRESHOLD_UNITS:
            if self.threshold is None:
                raise ValidationError({"threshold": _("“%(name)s”须填写门槛值。") % {"name": self.name}})
            if self.threshold < 0:
                raise ValidationError({"threshold": _("门槛值不能为负数。")})
            if kind in PERCENT_KINDS and self.threshold > 100:
                raise ValidationError({"threshold": _("比例门槛值应在 0 到 100 之间（百分数）。")})
            if kind is CriterionKind.SOFTWARE_FIRMS and self.threshold != self.threshold.to_integral_value():
                raise ValidationError({"threshold": _("企业家数门槛值应为整数。")})
        elif self.threshold is not None:
            raise ValidationError({"threshold": _("“%(name)s”没有门槛值，请留空。") % {"name": self.name}})


def clean_parameter(kind: CriterionKind, value: Any) -> dict[str, Any]:
    """The parameter of `kind` in its stored form, or a ValidationError on `parameter` saying why."""
    if value in (None, "", {}) and kind not in CODED_KINDS:
        return {}
    if not isinstance(value, dict):
        raise ValidationError({"parameter": _("参数应为 JSON 对象。")})
    if kind not in CODED_KINDS:
        raise ValidationError({"parameter": _("该条件没有参数，请留空。")})
    codes = value.get("codes")
    if not isinstance(codes, list) or not codes or not all(isinstance(code, str) for code in codes):
        raise ValidationError({"parameter": _("参数须以 codes 列出至少一个代码。")})
    codes = sorted({code.strip().upper() for code in codes})
    if kind is CriterionKind.SOFTWARE_FOCUS:
        edition = str(value.get("edition", "")).strip()
        if not EDITION.match(edition):
            raise ValidationError({"parameter": _("须以 edition 指明国民经济行业分类版本（如 2017）。")})
        if bad := [code for code in codes if not DIVISION.match(code)]:
            raise ValidationError(
                {"parameter": _("行业大类代码应为两位数字：%(codes)s") % {"codes": "、".join(bad)}}
            )
        return {"edition": edition, "codes": codes}
    if bad := [code for code in codes if len(code) != 2 or not USCC_ALPHABET.issuperset(code)]:
        raise ValidationError(
            {"parameter": _("信用代码前两位应为两个代码字符（如 91）：%(codes)s") % {"codes": "、".join(bad)}}
        )
    return {"codes": codes}
