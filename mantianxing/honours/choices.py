from django.db import models
from django.utils.translation import gettext_lazy as _


class CriterionKind(models.TextChoices):
    """The conditions of a "满天星" demonstration building (示范楼宇); one criterion row per kind."""

    INDEPENDENT_OPERATOR = "independent_operator", _("运营机构为独立法人")
    SOFTWARE_FOCUS = "software_focus", _("软件主导")
    CARRIER_AREA = "carrier_area", _("载体面积")
    SOFTWARE_FIRMS = "software_firms", _("入驻软件企业")
    OCCUPANCY_RATE = "occupancy_rate", _("入驻率")


# What each kind's threshold and measured value are counted in; a kind without one has no threshold.
THRESHOLD_UNITS = {
    CriterionKind.SOFTWARE_FOCUS: "%",
    CriterionKind.CARRIER_AREA: "㎡",
    CriterionKind.SOFTWARE_FIRMS: "家",
    CriterionKind.OCCUPANCY_RATE: "%",
}
PERCENT_KINDS = frozenset({CriterionKind.SOFTWARE_FOCUS, CriterionKind.OCCUPANCY_RATE})
# The kinds whose `parameter` holds a list of codes (see DemonstrationCriterion).
CODED_KINDS = frozenset({CriterionKind.INDEPENDENT_OPERATOR, CriterionKind.SOFTWARE_FOCUS})
