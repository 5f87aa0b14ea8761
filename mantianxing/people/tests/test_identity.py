from __future__ import annotations

from datetime import date

from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric as stdnum_ric

from mantianxing.people.identity import id_hash, id_number_error, mask_id

CHECK_CHARACTERS = "0123456789X"


def with_check_digit(body: str) -> str:
    return body + stdnum_ric.calc_check_digit(body + "0")


bodies = st.builds(
    lambda place, born, order: place + born.strftime("%Y%m%d") + order,
    st.from_regex(r"\A[0-9]{6}\Z"),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2024, 12, 31)),
    st.from_regex(r"\A[0-9]{3}\Z"),
)
numbers = bodies.map(with_check_digit)


@given(numbers)
def test_it_accepts_every_number_with_a_correct_check_digit(number: str) -> None:
    assert id_number_error(number) is None


@given(bodies, st.sampled_from(CHECK_CHARACTERS))
def test_it_rejects_a_changed_check_digit(body: str, wrong: str) -> None:
    if wrong != with_check_digit(body)[-1]:
        assert id_number_error(body + wrong) == "身份证号校验位不正确。"


def test_it_accepts_birthplace_codes_that_stdnum_dates_otherwise() -> None:
    # 大足县 (500225) was abolished in 2011 and stdnum knows it only for 1997–2011; 渝中区 (500103)
    # only from 1997, so stdnum rejects every 渝中 native born before; 990101 is no division at
    # all. GB 11643 codes the place of first registration, so none of this makes a number invalid.
    for body in ("50022519800101123", "50010319800101123", "99010119800101123"):
        number = with_check_digit(body)
        assert not stdnum_ric.is_valid(number)
        assert id_number_error(number) is None


def test_it_names_the_length_when_it_is_wrong() -> None:
    assert id_number_error("50010319800101123") == "身份证号应为 18 位，实为 17 位。"


def test_it_rejects_letters_before_the_check_digit() -> None:
    assert id_number_error("5001031980010112X3") == "身份证号前 17 位应为数字。"


def test_it_rejects_an_impossible_birth_date() -> None:
    assert id_number_error(with_check_digit("50010319800230123")) == "身份证号中的出生日期无效。"


def test_it_rejects_a_birth_date_in_the_future() -> None:
    assert id_number_error(with_check_digit("50010321990101123")) == "身份证号中的出生日期晚于今天。"


def test_it_takes_today_from_the_caller() -> None:
    number = with_check_digit("50010320240301123")
    assert id_number_error(number, date(2024, 3, 1)) is None
    assert id_number_error(number, date(2024, 2, 29)) == "身份证号中的出生日期晚于今天。"


@given(numbers)
def test_it_hashes_the_same_number_the_same_way(number: str) -> None:
    digest = id_hash(number)
    assert digest == id_hash(number)
    assert len(digest) == 64
    assert number not in digest


@given(numbers, numbers)
def test_it_hashes_different_numbers_differently(first: str, second: str) -> None:
    if first != second:
        assert id_hash(first) != id_hash(second)


@given(numbers)
def test_it_hashes_with_the_configured_key(number: str) -> None:
    with override_settings(PII_KEY="one-key"):
        under_one = id_hash(number)
    with override_settings(PII_KEY="another-key"):
        under_another = id_hash(number)
    assert under_one != under_another
    assert id_hash(number) not in (under_one, under_another)


@given(st.one_of(numbers, st.text(max_size=30)))
def test_it_never_shows_more_than_the_last_four_characters(number: str) -> None:
    masked = mask_id(number)
    assert len(masked) == len(number)
    shown = masked.lstrip("*")
    assert len(shown) <= 4
    assert masked[len(masked) - len(shown) :] == number[len(number) - len(shown) :]
    assert masked.startswith("*" * max(len(number) - 4, 0))


def test_it_masks_an_id_number() -> None:
    assert mask_id("50010319800101123X") == "**************123X"
