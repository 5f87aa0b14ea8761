from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from mantianxing.accounts.choices import Role
from mantianxing.accounts.models import ApiToken, User, hash_token
from mantianxing.core.testing import PersonaTestCase


class UserScopeValidationTests(PersonaTestCase):
    def test_it_requires_a_district_officer_to_hold_a_unit(self) -> None:
        with pytest.raises(ValidationError) as error:
            User(username="x", role=Role.DISTRICT_OFFICER).full_clean(exclude=["password"])
        assert "unit" in error.value.message_dict

    def test_it_refuses_a_second_scope(self) -> None:
        user = User(username="x", role=Role.ENTERPRISE_USER, enterprise=self.enterprise_yz, unit=self.yuzhong)
        with pytest.raises(ValidationError) as error:
            user.full_clean(exclude=["password"])
        assert "unit" in error.value.message_dict

    def test_it_lets_an_auditor_be_limited_to_one_unit(self) -> None:
        User(username="x", role=Role.AUDITOR, unit=self.yuzhong).full_clean(exclude=["password"])

    def test_it_describes_the_scope(self) -> None:
        assert self.yuzhong_officer.scope_label == "渝中区"
        assert self.city_officer.scope_label == "全市"
        assert self.operator.scope_label == str(self.building_yz)


class TokenTests(PersonaTestCase):
    def test_it_stores_only_the_hash(self) -> None:
        token, raw = ApiToken.issue(self.yuzhong_officer)
        assert raw not in (token.key_hash, token.prefix)
        assert token.key_hash == hash_token(raw)
        assert ApiToken.authenticate(raw) == self.yuzhong_officer

    def test_it_refuses_revoked_tokens_and_inactive_users(self) -> None:
        token, raw = ApiToken.issue(self.nanan_officer)
        self.nanan_officer.is_active = False
        self.nanan_officer.save()
        assert ApiToken.authenticate(raw) is None
        self.nanan_officer.is_active = True
        self.nanan_officer.save()
        assert ApiToken.authenticate(raw) == self.nanan_officer
        token.revoked_at = token.created_at
        token.save()
        assert ApiToken.authenticate(raw) is None
