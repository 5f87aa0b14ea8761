from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from mantianxing.accounts.choices import Role
from mantianxing.accounts.models import User
from mantianxing.accounts.services import create_demo_accounts
from mantianxing.core.scoping import ScopeKind, scope_of
from mantianxing.geo.choices import UnitGroup
from mantianxing.geo.models import Unit

pytestmark = pytest.mark.django_db


def test_it_creates_one_account_per_role_and_per_ranked_unit(tmp_path: Path) -> None:
    accounts, password = create_demo_accounts(date(2026, 11, 21), tmp_path / "demo.txt")
    assert password
    roles = {a.role for a in accounts}
    assert {str(r.label) for r in Role} <= roles
    ranked = Unit.objects.in_group(UnitGroup.RANKED_2022, date(2026, 11, 21))
    officers = User.objects.filter(role=Role.DISTRICT_OFFICER)
    assert set(officers.values_list("unit", flat=True)) == set(ranked.values_list("pk", flat=True))
    for user in User.objects.exclude(is_superuser=True):
        assert user.check_password(password)
        assert scope_of(user) is not None, user.username
    assert scope_of(User.objects.get(username="operator")).kind is ScopeKind.BUILDING


def test_it_writes_the_list_with_the_password(tmp_path: Path) -> None:
    listing = tmp_path / "demo.txt"
    _, password = create_demo_accounts(date(2026, 11, 21), listing)
    text = listing.read_text(encoding="utf-8")
    assert password in text
    assert "district500157\t区县经信部门\t两江新区" in text


def test_it_makes_them_only_once(tmp_path: Path) -> None:
    create_demo_accounts(date(2026, 11, 21), tmp_path / "demo.txt")
    count = User.objects.count()
    accounts, password = create_demo_accounts(date(2026, 11, 21), tmp_path / "demo.txt")
    assert (accounts, password) == ([], None)
    assert User.objects.count() == count


def test_it_prints_the_accounts_from_the_command(
    capsys: pytest.CaptureFixture[str], settings, tmp_path
) -> None:
    settings.VAR_DIR = tmp_path
    call_command("demo_accounts")
    out = capsys.readouterr().out
    assert "已创建" in out and "district500103" in out
    assert (tmp_path / "demo-accounts.txt").exists()
