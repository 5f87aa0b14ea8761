"""Evaluation schemes (评价方案) as versioned data, and the runs made with them.

A scheme version is never changed: editing a scheme saves its next version. A run keeps a copy of
the scheme it used, the input values it ranked and a hash of each, so the ranking can be reproduced
and defended long after the ledgers have moved on (the hash covers everything that decides the
result: see `fingerprint.py`). A run is a draft until the city office publishes it.

One published run per scheme name and period: publishing another run of the same scheme name and
period marks the one published before as superseded (已被替代). It is kept, linked both ways
(`superseded_by` / `supersedes`) and still verifiable; the city office sees it marked as such, while
bulletins, district officers, the API and the CLI see only the current one. The database holds the
rule too: a partial unique constraint on published, not superseded runs.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mantianxing.accounts.choices import Role
from mantianxing.core.models import TrackedModel
from mantianxing.core.scoping import ScopedQuerySet
from mantianxing.evaluation.choices import RunStatus


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
        """Every run ever published, the superseded ones included (the city office's view)."""
        return self.filter(published_at__isnull=False)

    def current(self) -> RunQuerySet:
        """The one published run of each scheme name and period that has not been superseded."""
        return self.filter(published_at__isnull=False, superseded_by__isnull=True)


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
    scheme_name = models.CharField(
        _("方案名称"),
        max_length=100,
        help_text=_("取自所用方案；同一方案名称、同一评价期只有一次现行的发布。"),
    )
    scheme_body = models.JSONField(_("所用方案"))
    scheme_sha256 = models.CharField(_("方案 SHA-256"), max_length=64)
    inputs = models.JSONField(_("输入数据"))
    inputs_sha256 = models.CharField(_("输入 SHA-256"), max_length=64)
    sha256 = models.CharField(
        _("运行 SHA-256"),
        max_length=64,
        db_index=True,
        help_text=_("方案、输入、抽样次数、随机种子和计算规则参数合并后的哈希。"),
    )
    result = models.JSONField(_("排名结果"))
    draws = models.PositiveIntegerField(_("稳健性抽样次数"))
    seed = models.PositiveBigIntegerField(
        _("随机种子"), help_text=_("稳健性抽样的随机种子；未指定时取自方案与输入的哈希。")
    )
    method = models.JSONField(
        _("计算规则参数"),
        help_text=_("评分与稳健性规则中的常数（目标封顶、小数位、权重扰动、备选标准化方法等）。"),
    )
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
    superseded_by = models.OneToOneField(
        "self",
        verbose_name=_("被替代于"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
        help_text=_("同一方案、同一评价期后来发布的运行。"),
    )

    objects = RunQuerySet.as_manager()  # type: ignore[misc]
    scope_writers = frozenset({Role.CITY_OFFICE})

    class Meta:
        verbose_name = _("评价运行")
        verbose_name_plural = _("评价运行")
        ordering = ["-period_last", "-created_at"]
        constraints = [
            # Partial unique index (SQLite and PostgreSQL alike): two racing publishers cannot both win.
            models.UniqueConstraint(
                fields=["scheme_name", "period"],
                condition=Q(published_at__isnull=False, superseded_by__isnull=True),
                name="evaluation_run_one_current_per_period",
                violation_error_message=_("同一方案、同一评价期只能有一次现行的发布。"),
            ),
            models.CheckConstraint(
                condition=Q(superseded_by__isnull=True) | Q(published_at__isnull=False),
                name="evaluation_run_superseded_was_published",
                violation_error_message=_("只有已发布的运行才能被替代。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.scheme_body.get('name', '')} #{self.pk}"

    @property
    def is_published(self) -> bool:
        """Published at some time, whether still current or superseded since."""
        return self.published_at is not None

    @property
    def is_current(self) -> bool:
        return self.published_at is not None and self.superseded_by_id is None

    @property
    def status(self) -> RunStatus:
        if self.published_at is None:
            return RunStatus.DRAFT
        return RunStatus.CURRENT if self.superseded_by_id is None else RunStatus.SUPERSEDED

    @property
    def replaced(self) -> Run | None:
        """The run this one superseded when it was published, if any (the reverse of `superseded_by`)."""
        try:
            return self.supersedes  # type: ignore[no-any-return]
        except Run.DoesNotExist:
            return None

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
            "draws": self.draws,
            "seed": self.seed,
            "method": self.method,
            "published": self.is_published,
            "status": self.status.value,
            "status_label": str(self.status.label),
            "superseded_by": self.superseded_by_id,
            "supersedes": replaced.pk if (replaced := self.replaced) else None,
            "rows": [
                {
                    key: row[key]
                    for key in ("unit", "unit_name", "values", "normalized", "score", "rank", "reward")
                }
                for row in self.result
            ],
            "robustness": self.robustness,
        }
