"""The persona base for tests: one user per role, and records inside and outside their scopes.

    class BuildingAccessTests(PersonaTestCase):
        def test_it_hides_other_units(self):
            self.client.force_login(self.yuzhong_officer)
            ...

渝中 (500103) and 南岸 (500108) are the two units; each has a building, an enterprise and an
owner organisation. The building operator, enterprise user and scenario owner hold 渝中's.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Model
from django.forms.models import model_to_dict
from django.test import TestCase

from mantianxing.accounts.choices import OrganisationKind, Role
from mantianxing.accounts.models import ApiToken, Organisation, User
from mantianxing.carriers.models import Building
from mantianxing.enterprises.models import Enterprise
from mantianxing.geo.models import Unit
from mantianxing.lib.identifiers import make_uscc


def current_unit(code: str) -> Unit:
    return Unit.objects.get(code=code, abolished_on__isnull=True)


def form_data(obj: Model, **changes: Any) -> dict[str, Any]:
    """The POST data of `obj`'s edit form (HTML or admin) as it stands, with `changes` applied."""
    data = {key: "" if value is None else value for key, value in model_to_dict(obj).items()}
    return data | changes


def make_user(username: str, role: str = "", **fields: Any) -> User:
    user = User(username=username, role=role, **fields)
    user.set_password("pw-" + username)
    user.full_clean(exclude=["password"])
    user.save()
    return user


class PersonaTestCase(TestCase):
    yuzhong: Unit
    nanan: Unit

    @classmethod
    def setUpTestData(cls) -> None:
        cls.yuzhong = current_unit("500103")
        cls.nanan = current_unit("500108")
        cls.building_yz = Building.objects.create(code="YZ-0001", name="渝中数字大厦", unit=cls.yuzhong)
        cls.building_na = Building.objects.create(code="NA-0001", name="南岸软件园一号楼", unit=cls.nanan)
        cls.enterprise_yz = Enterprise.objects.create(
            uscc=make_uscc("91500103MA61AAAA1"),
            name="重庆渝中软件有限公司",
            unit=cls.yuzhong,
            established_on=date(2023, 5, 12),
        )
        cls.enterprise_na = Enterprise.objects.create(
            uscc=make_uscc("91500108MA61BBBB2"),
            name="重庆南岸信息技术有限公司",
            unit=cls.nanan,
            established_on=date(2024, 1, 3),
        )
        cls.org_yz = Organisation.objects.create(
            name="渝中区数据局", kind=OrganisationKind.DEPARTMENT, unit=cls.yuzhong
        )
        cls.org_na = Organisation.objects.create(
            name="南岸区数据局", kind=OrganisationKind.DEPARTMENT, unit=cls.nanan
        )

        cls.city_officer = make_user("city", Role.CITY_OFFICE, is_staff=True)
        cls.yuzhong_officer = make_user("yuzhong", Role.DISTRICT_OFFICER, unit=cls.yuzhong, is_staff=True)
        cls.nanan_officer = make_user("nanan", Role.DISTRICT_OFFICER, unit=cls.nanan, is_staff=True)
        cls.operator = make_user("operator", Role.BUILDING_OPERATOR, building=cls.building_yz, is_staff=True)
        cls.enterprise_user = make_user(
            "firm", Role.ENTERPRISE_USER, enterprise=cls.enterprise_yz, is_staff=True
        )
        cls.owner = make_user("owner", Role.SCENARIO_OWNER, organisation=cls.org_yz, is_staff=True)
        cls.auditor = make_user("auditor", Role.AUDITOR, is_staff=True)
        cls.outsider = make_user("outsider", is_staff=True)

    def bearer(self, user: User) -> dict[str, str]:
        """Headers for an API call as `user` with a fresh token."""
        _, raw = ApiToken.issue(user)
        return {"Authorization": f"Bearer {raw}"}
