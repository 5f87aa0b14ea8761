"""Evaluation schemes (评价方案) as versioned data, and the runs made with them.

A scheme version is never changed: editing a scheme saves its next version. A run keeps a copy of
the scheme it used, the input values it ranked and a hash of each, so the ranking can be reproduced
and defended long after the ledgers have moved on. A run is a draft until the city office
publishes it; districts see published runs only.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mantianxing.accounts.choices import Role
from mantianxing.core.models import TrackedModel
from mantianxing.core.scoping import ScopedQuerySet


class Scheme(TrackedModel):
    """One version of a scheme: indicators, weights, normalisations and reward tiers (see `schemes.py`)."""

    name = models.CharField(_("方案名称"), max_length=100)
    version = models.PositiveIntegerField(_("版本"))
    body = models.JSONField(_("方案内容"), help_text=_("与 YAML 文件相同的结构。"))
    sha256 = models.CharField(_("方案 SHA-256"), max_length=64, db_index=True)
    assumption = models.BooleanField(
        _("待市专班确定"),
        default=False,
        help_text=_("系统预置的假设方案：权重、奖励档次须由市专班确定后另存新版本。"),
    )

    scope_writers = frozenset({Role.CITY_OFFICE})

    class Meta:
        verbose_name = _("评价方案")
        verbose_name_plural = _("评价方案")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "version"],
                name="evaluation_scheme_version_unique",
                violation_error_message=_("同一方案的版本号不能重复。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（第 {self.version} 版）"


class RunQuerySet(ScopedQuerySet):
    def published(self) -> RunQuerySet:
        return self.filter(published_at__isnull=False)


class Run(TrackedModel):
    """One evaluation of one period with one scheme version: inputs, result and robustness, frozen.

    `result` holds the rows in rank order, each
    `{"unit", "unit_name", "values", "normalized", "terms", "score", "rank", "reward", "reward_steps"}`;
    `robustness` the Monte Carlo summary (see `robustness.py`).
    """

    period = models.CharField(_("评价期"), max_length=10, help_text=_("如 2026H1（上半年）或 2026（年度）。"))
    period_first = models.DateField(_("起始月份"))
    period_last = models.DateField(_("截止月份"))
    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("行动计划"), on_delete=models.PROTECT, related_name="+"
    )
    scheme = models.ForeignKey(
        Scheme, verbose_name=_("评价方案"), on_delete=models.PROTECT, related_name="runs"
    )
    scheme_body = models.JSONField(_("所用方案"))
    scheme_sha256 = models.CharField(_("方案 SHA-256"), max_length=64)
    inputs = models.JSONField(_("输入数据"))
    inputs_sha256 = models.CharField(_("输入 SHA-256"), max_length=64)
    sha256 = models.CharField(
        _("运行 SHA-256"), max_length=64, db_index=True, help_text=_("方案与输入合并后的哈希。")
    )
    result = models.JSONField(_("排名结果"))
    draws = models.PositiveIntegerField(_("稳健性抽样次数"))
    robustness = models.JSONField(_("稳健性"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = RunQuerySet.as_manager()  # type: ignore[misc]
    scope_writers = frozenset({Role.CITY_OFFICE})

    class Meta:
        verbose_name = _("评价运行")
        verbose_name_plural = _("评价运行")
        ordering = ["-period_last", "-created_at"]

    def __str__(self) -> str:
        return f"{self.period} {self.scheme_body.get('name', '')} #{self.pk}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def as_dict(self) -> dict[str, Any]:
        """The contract of `mtx evaluate --json` and the API: rows in rank order."""
        return {
            "id": self.pk,
            "period": self.period,
            "plan": self.plan.code,
            "scheme": self.scheme_body,
            "scheme_sha256": self.scheme_sha256,
            "inputs_sha256": self.inputs_sha256,
            "sha256": self.sha256,
            "published": self.is_published,
            "rows": [
                {
                    key: row[key]
                    for key in ("unit", "unit_name", "values", "normalized", "score", "rank", "reward")
                }
                for row in self.result
            ],
            "robustness": self.robustness,
        }
