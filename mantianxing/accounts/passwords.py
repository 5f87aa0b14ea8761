"""Password rules fit for a government system (等保 2.0 level 3), and passwords we generate ourselves.

Django's own validators (settings.AUTH_PASSWORD_VALIDATORS) check the likeness to the username and
the list of common passwords, in Chinese; the length is Django's check with a Chinese message
(`MinimumLength`: Django 5.2 changed that message and its Chinese catalogue lost it), and the mix of
character classes, which Django lacks, is `CharacterClassesValidator`. Every form that sets a password (sign-in page's
change and reset, the back office's user forms, `createsuperuser`) runs all of them; so does
`generate_password`, which the demo accounts use, so `make run`'s password passes the same rules.
"""

from __future__ import annotations

import secrets
import string
from typing import Any

from django.contrib.auth.password_validation import MinimumLengthValidator, validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Each class as a test on one character; a "symbol" is anything printable that is not a letter or digit.
CHARACTER_CLASSES: dict[str, Any] = {
    "大写字母": lambda c: c.isascii() and c.isupper(),
    "小写字母": lambda c: c.isascii() and c.islower(),
    "数字": lambda c: c.isdigit(),
    "符号": lambda c: not c.isalnum() and not c.isspace(),
}


class MinimumLength(MinimumLengthValidator):
    def get_error_message(self) -> str:
        return _("密码太短：至少需要 %(min)d 个字符。") % {"min": self.min_length}

    def get_help_text(self) -> str:
        return _("密码至少需要 %(min)d 个字符。") % {"min": self.min_length}


class CharacterClassesValidator:
    """At least `min_classes` of: upper-case letters, lower-case letters, digits, symbols."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def classes_in(self, password: str) -> list[str]:
        return [name for name, test in CHARACTER_CLASSES.items() if any(test(c) for c in password)]

    def validate(self, password: str, user: Any = None) -> None:
        found = self.classes_in(password)
        if len(found) < self.min_classes:
            raise ValidationError(
                _("密码须至少包含大写字母、小写字母、数字、符号中的 %(min)d 类，当前只有 %(count)d 类。")
                % {"min": self.min_classes, "count": len(found)},
                code="password_too_few_classes",
            )

    def get_help_text(self) -> str:
        return _("密码须至少包含大写字母、小写字母、数字、符号中的 %(min)d 类。") % {"min": self.min_classes}


def generate_password(user: Any = None, length: int = 14) -> str:
    """A random password with all four classes that passes every configured validator."""
    symbols = "!#%+-=@^_~"
    alphabet = string.ascii_letters + string.digits + symbols
    while True:
        picks = [
            secrets.choice(string.ascii_uppercase),
            secrets.choice(string.ascii_lowercase),
            secrets.choice(string.digits),
            secrets.choice(symbols),
            *(secrets.choice(alphabet) for _ in range(length - 4)),
        ]
        # Shuffle so the classes do not always sit in the first four places.
        password = "".join(secrets.SystemRandom().sample(picks, len(picks)))
        try:
            validate_password(password, user)
        except ValidationError:
            continue
        return password
