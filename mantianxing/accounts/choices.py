from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITY_OFFICE = "city_office", _("市专班")
    DISTRICT_OFFICER = "district_officer", _("区县经信部门")
    BUILDING_OPERATOR = "building_operator", _("楼宇运营机构")
    ENTERPRISE_USER = "enterprise_user", _("软信企业")
    SCENARIO_OWNER = "scenario_owner", _("场景业主")
    AUDITOR = "auditor", _("审计/领导（只读）")
    TALENT_REVIEWER = "talent_reviewer", _("人才认定审核（只读，可见薪酬）")


class OrganisationKind(models.TextChoices):
    DEPARTMENT = "department", _("政府部门")
    STATE_OWNED = "state_owned", _("国有企业")
    OPERATOR = "operator", _("楼宇运营机构")
    OTHER = "other", _("其他")


class LockKind(models.TextChoices):
    USERNAME = "username", _("账号")
    IP_ADDRESS = "ip_address", _("地址")
