"""规上 enterprises (the ministry's software-industry survey threshold), judged on the last full year.

These are product decisions (DOMAIN §4); the enterprise page shows the figures they used, and
`/rules/` says the same in Chinese.

- **The threshold**: 主营业务收入 ≥ 2,000 万元 (¥20 M), and 软件业务收入 ≥ 30% of 主营业务收入.
- **The year**: the last full calendar year (in 2026, the year 2025), on its December year-to-date
  figures, i.e. the year's totals — the ministry surveys on annual figures, and it is the year
  上星 is judged on (`shangxing.last_full_year`), so the enterprise page shows one year for both.
  A firm without a December row for that year is not 规上 for it.
- **Missing figures**: without 主营业务收入 or 软件业务收入 in that December the firm is not 规上.
  No fallback: 营业收入 is an upper bound of 主营业务收入, so it cannot show the ¥20 M is reached;
  and the share needs the main business revenue itself.
- **The share** is compared exactly (10 × 软件业务收入 ≥ 3 × 主营业务收入, in fen), so that a firm at
  exactly 30% is 规上 on SQLite, whose decimals are floating point, as on PostgreSQL.

`guishang_statistics` is the one definition: the enterprise filter (page and API), the list
column and `guishang_ids` all read it; `qualifies` is the same rule in Python for the page's basis,
and the tests hold the two to the same answers at the edges.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Round

from mantianxing.enterprises.models import Enterprise
from mantianxing.enterprises.shangxing import december
from mantianxing.stats.models import MonthlyStatistics

GUISHANG_MAIN_REVENUE = Decimal("2000")  # 万元, i.e. ¥20 M
GUISHANG_SOFTWARE_SHARE = Decimal("0.3")
SOURCE = "经营数据"


def qualifies(main_business: Decimal | None, software: Decimal | None) -> bool:
    return (
        main_business is not None
        and software is not None
        and main_business >= GUISHANG_MAIN_REVENUE
        and software >= main_business * GUISHANG_SOFTWARE_SHARE
    )


def guishang_statistics(year: int) -> QuerySet[MonthlyStatistics]:
    """The December rows of `year` whose firm is 规上 on them."""
    # Whole fen (0.01 万元) as integers: 10 × software − 3 × main ≥ 0 is exact on every database.
    main_fen = Round(F("main_business_revenue") * 100)
    software_fen = Round(F("software_revenue") * 100)
    return (
        MonthlyStatistics.objects.filter(
            month__range=december(year),
            main_business_revenue__gte=GUISHANG_MAIN_REVENUE,
            software_revenue__isnull=False,
        )
        .alias(share_margin=software_fen * 10 - main_fen * 3)
        .filter(share_margin__gte=0)
    )


def guishang_q(year: int, value: bool | None) -> Q:
    """The enterprises that are (True) or are not (False) 规上 for `year`; None: all."""
    if value is None:
        return Q()
    # A subquery, not a join: the filter neither repeats nor drops rows of the list.
    chosen = Q(pk__in=guishang_statistics(year).values("enterprise_id"))
    return chosen if value else ~chosen


def with_guishang(enterprises: QuerySet[Enterprise], year: int) -> QuerySet[Enterprise]:
    """Annotate `guishang` (bool) on each enterprise, in the list's own query."""
    return enterprises.annotate(
        guishang=Exists(guishang_statistics(year).filter(enterprise_id=OuterRef("pk")))
    )


def guishang_ids(year: int, enterprise_ids: Iterable[int] | None = None) -> set[int]:
    """The ids of the 规上 enterprises for `year` among `enterprise_ids` (None: all)."""
    rows = guishang_statistics(year)
    if enterprise_ids is not None:
        rows = rows.filter(enterprise_id__in=sorted(set(enterprise_ids)))
    return set(rows.values_list("enterprise_id", flat=True))


def guishang_basis(enterprise: Enterprise, year: int) -> dict[str, Any]:
    """The figures the 规上 judgement of `enterprise` for `year` rests on, for the detail page."""
    row = (
        MonthlyStatistics.objects.filter(enterprise=enterprise, month__range=december(year))
        .values("main_business_revenue", "software_revenue")
        .first()
    )
    main_business = row["main_business_revenue"] if row else None
    software = row["software_revenue"] if row else None
    share = None
    if main_business and software is not None:  # no share of a zero main business revenue
        share = (software / main_business * 100).quantize(Decimal("0.1"))
    return {
        "year": year,
        "main_revenue": main_business,
        "main_threshold": GUISHANG_MAIN_REVENUE,
        "main_met": main_business is not None and main_business >= GUISHANG_MAIN_REVENUE,
        "software_revenue": software,
        "share": share,  # percent, to one decimal, for display only
        "share_threshold": GUISHANG_SOFTWARE_SHARE * 100,
        "share_met": main_business is not None
        and software is not None
        and software >= main_business * GUISHANG_SOFTWARE_SHARE,
        "source": f"{SOURCE} {year}-12（年累计，万元）" if row else None,
        "guishang": qualifies(main_business, software),
    }
