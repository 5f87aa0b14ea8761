"""Point 10: password rules, enforced wherever a password is set."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from mantianxing.accounts.models import User
from mantianxing.accounts.passwords import CharacterClassesValidator, generate_password
from mantianxing.accounts.services import create_demo_accounts
from mantianxing.core.testing import PersonaTestCase

GOOD = "Yuzhong#2026"


def refusal(password: str, user: User | None = None) -> str:
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as error:
            validate_password(password, user)
        return " ".join(error.value.messages)  # Django's messages are lazy: read them in Chinese


def test_it_refuses_passwords_shorter_than_eight() -> None:
    assert "密码太短：至少需要 8 个字符" in refusal("Ab1#x")


def test_it_refuses_passwords_with_two_classes_only() -> None:
    assert "至少包含大写字母、小写字母、数字、符号中的 3 类" in refusal("lowercase2026")
    assert "当前只有 2 类" in refusal("ONLYUPPER!!!")


def test_it_refuses_common_passwords() -> None:
    assert "太常见" in refusal("Password1")


@pytest.mark.django_db
def test_it_refuses_a_password_like_the_username() -> None:
    assert "相似" in refusal("District500103!", User(username="district500103"))


def test_it_accepts_three_classes_of_eight_characters() -> None:
    validate_password(GOOD)
    validate_password("abcd#123x")
    CharacterClassesValidator().validate("Zz9!Zz9!")


def test_it_generates_passwords_that_pass_every_rule() -> None:
    for _ in range(50):
        password = generate_password()
        validate_password(password)
        assert len(CharacterClassesValidator().classes_in(password)) == 4


@pytest.mark.django_db
def test_it_gives_the_demo_accounts_a_password_that_passes(tmp_path: Path) -> None:
    _, password = create_demo_accounts(date(2026, 11, 21), tmp_path / "demo.txt")
    assert password
    for user in User.objects.all():
        validate_password(password, user)


@pytest.mark.django_db
def test_it_refuses_a_weak_superuser_password_without_a_prompt() -> None:
    with mock.patch.dict(os.environ, {"DJANGO_SUPERUSER_PASSWORD": "12345678"}):
        with pytest.raises(CommandError):
            call_command("createsuperuser", "--noinput", username="root", email="r@example.cn")
    assert not User.objects.filter(username="root").exists()
    with mock.patch.dict(os.environ, {"DJANGO_SUPERUSER_PASSWORD": GOOD}):
        call_command("createsuperuser", "--noinput", username="root", email="r@example.cn")
    assert User.objects.get(username="root").check_password(GOOD)


class FormTests(PersonaTestCase):
    def test_it_refuses_a_weak_password_on_the_change_page(self) -> None:
        self.client.force_login(self.operator)
        response = self.client.post(
            "/accounts/me/password/",
            {"old_password": "pw-operator", "new_password1": "abcdefgh1", "new_password2": "abcdefgh1"},
        )
        self.assertContains(response, "至少包含大写字母、小写字母、数字、符号中的 3 类")
        short = self.client.post(
            "/accounts/me/password/",
            {"old_password": "pw-operator", "new_password1": "Ab1#", "new_password2": "Ab1#"},
        )
        self.assertContains(short, "密码太短")
        self.operator.refresh_from_db()
        self.assertTrue(self.operator.check_password("pw-operator"))

    def test_it_refuses_a_weak_password_in_the_admin_user_forms(self) -> None:
        self.client.force_login(self.city_officer)
        added = self.client.post(
            "/admin/accounts/user/add/",
            {
                "username": "newcomer",
                "password1": "newcomer1",
                "password2": "newcomer1",
                "usable_password": "true",
                "role": "auditor",
            },
        )
        self.assertEqual(added.status_code, 200)
        self.assertFalse(User.objects.filter(username="newcomer").exists())
        reset = self.client.post(
            f"/admin/accounts/user/{self.nanan_officer.pk}/password/",
            {"password1": "short", "password2": "short", "usable_password": "true"},
        )
        self.assertEqual(reset.status_code, 200)
        self.nanan_officer.refresh_from_db()
        self.assertTrue(self.nanan_officer.check_password("pw-nanan"))

    def test_it_accepts_a_good_password_in_the_admin_add_form(self) -> None:
        self.client.force_login(self.city_officer)
        response = self.client.post(
            "/admin/accounts/user/add/",
            {
                "username": "newcomer",
                "password1": GOOD,
                "password2": GOOD,
                "usable_password": "true",
                "role": "auditor",
            },
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[:3000])
        self.assertTrue(User.objects.get(username="newcomer").check_password(GOOD))
