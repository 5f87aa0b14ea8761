from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mantianxing.lib.identifiers import make_uscc, normalize_uscc, uscc_division, uscc_error

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
FULLWIDTH = {
    c: chr(ord(c) + 0xFEE0) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
}

bodies = st.builds(
    lambda authority, division, org: authority + division + org,
    st.sampled_from(["11", "12", "51", "52", "91", "92", "93"]),
    st.from_regex(r"\A[0-9]{6}\Z"),
    st.text(alphabet=ALPHABET, min_size=9, max_size=9),
)


@given(bodies)
def test_it_accepts_every_code_with_a_correct_check_character(body: str) -> None:
    code = make_uscc(body)
    assert uscc_error(code) is None
    assert uscc_division(code) == body[2:8]


@given(bodies, st.sampled_from(ALPHABET))
def test_it_rejects_a_wrong_check_character(body: str, wrong: str) -> None:
    code = make_uscc(body)
    if wrong != code[-1]:
        assert "校验位" in uscc_error(body + wrong)


@given(bodies, st.data())
def test_it_normalises_full_width_spaces_and_case(body: str, data: st.DataObject) -> None:
    code = make_uscc(body)
    messy = "".join(
        data.draw(st.sampled_from([c, FULLWIDTH.get(c, c), c.lower(), FULLWIDTH.get(c.lower(), c)]))
        for c in code
    )
    messy = (
        data.draw(st.sampled_from(["", " ", "\u3000", "\t"]))
        + messy
        + data.draw(st.sampled_from(["", " ", "\n"]))
    )
    assert normalize_uscc(messy) == code


def test_it_names_the_length_when_it_is_wrong() -> None:
    assert "18 位" in uscc_error("9150010312345")
