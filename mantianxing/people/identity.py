"""Resident ID numbers (GB 11643-1999): validated, then kept only as a keyed hash and a masked form.

The plain number is never stored (DOMAIN §4). The hash is an HMAC with `settings.PII_KEY`, so the
same person matches across months and enterprises, while someone holding the database but not the
key cannot test guesses against it (18 digits with a date inside are few enough to enumerate).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date
from functools import cache, lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.utils import timezone
from stdnum.cn import ric as stdnum_ric


def id_number_error(number: str, today: date | None = None) -> str | None:
    """Why `number` (already normalised) is not a valid resident ID number, in Chinese; else None.

    Length, digits, check digit (`stdnum.cn.ric.calc_check_digit`) and birth date are checked,
    but not the birthplace code: GB 11643 codes the place of first household registration, which
    may be a division abolished or renamed since (大足县 500225, or 渝中区 500103 for anyone born
    before 1997) that stdnum's division data dates differently or lacks. So `validate()` and
    `get_birth_place()` are deliberately not used. The birth date is read directly (stdnum's
    `get_birth_date` cleans the number again): a roster month calls this 600,000 times, so the
    caller passes `today` once.
    """
    if len(number) != 18:
        return f"身份证号应为 18 位，实为 {len(number)} 位。"
    if not number[:17].isascii() or not number[:17].isdigit():
        return "身份证号前 17 位应为数字。"
    if number[17] != stdnum_ric.calc_check_digit(number):
        return "身份证号校验位不正确。"
    return _birth_date_error(number[6:14], today or timezone.localdate())


@lru_cache(maxsize=100_000)
def _birth_date_error(digits: str, today: date) -> str | None:
    """Birth dates repeat across a roster: each distinct one is checked once."""
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return "身份证号中的出生日期无效。"
    if born > today:
        return "身份证号中的出生日期晚于今天。"
    return None


@cache
def _key() -> bytes:
    # Encoded once: an import hashes every roster row (600,000 of them for a month of the city).
    return settings.PII_KEY.encode()


def _forget_key(*, setting: str, **kwargs: object) -> None:
    if setting == "PII_KEY":
        _key.cache_clear()


setting_changed.connect(_forget_key)


def id_hash(number: str) -> str:
    """The keyed hash (HMAC-SHA256, hex) of a normalised ID number; how a person is found again."""
    return hmac.digest(_key(), number.encode(), hashlib.sha256).hex()


def mask_id(number: str) -> str:
    """The number with all but its last four characters hidden: `**************123X`."""
    return "*" * max(len(number) - 4, 0) + number[-4:]
