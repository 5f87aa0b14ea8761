from django.db import models
from django.utils.translation import gettext_lazy as _


class Indicator(models.TextChoices):
    NEW_EMPLOYEES = "new_employees", _("新增从业人员")
    NEW_CORE_TALENT = "new_core_talent", _("新增软件开发及“AI+”核心人才")
    NEW_ENTERPRISES = "new_enterprises", _("新增软信企业")
    CARRIER_AREA_IN_USE = "carrier_area_in_use", _("新增载体使用面积")
    CARRIER_AREA_ACQUIRED = "carrier_area_acquired", _("累计收储面积")
    SOFTWARE_REVENUE = "software_revenue", _("新增软件业务收入")
    SOFTWARE_PRODUCT_SHARE = "software_product_share", _("软件产品收入占比")
    RD_EXPENSE = "rd_expense", _("研发费用")
    SHANGXING_ENTERPRISES = "shangxing_enterprises", _("新增上星企业")
    LISTED_ENTERPRISES = "listed_enterprises", _("新增上市企业")
    UNICORN_ENTERPRISES = "unicorn_enterprises", _("新增独角兽企业")


class Kind(models.TextChoices):
    LEVEL = "level", _("水平值")
    INCREASE = "increase", _("窗口期增量")


class Status(models.TextChoices):
    DONE = "done", _("已完成")
    AHEAD = "ahead", _("快于序时进度")
    BEHIND = "behind", _("慢于序时进度")
