from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    CITY = "city", _("直辖市")
    DISTRICT = "district", _("区")
    COUNTY = "county", _("县")
    AUTONOMOUS_COUNTY = "autonomous_county", _("自治县")
    COUNTY_CITY = "county_city", _("县级市")
    FUNCTIONAL_ZONE = "functional_zone", _("功能区")


class UnitGroup(models.TextChoices):
    CENTRAL = "central", _("中心城区")
    RANKED_2022 = "ranked_2022", _("2022 年计划参评区县")


class DatePrecision(models.TextChoices):
    DAY = "day", _("精确到日")
    MONTH = "month", _("精确到月")
    YEAR = "year", _("精确到年")
