"""The scheme file: what it accepts, what it refuses (naming the field), and its hash."""

from __future__ import annotations

import pytest

from mantianxing.evaluation.schemes import SchemeError, checked, digest, dump_yaml, load_yaml

EXAMPLE = """
name: 中心城区半年评估
period: half-year            # half-year | year
units: ranked                # ranked | central | all | a list of unit codes
indicators:
  - {code: carrier_area_in_use, weight: 0.3, normalize: max}
  - {code: new_enterprises,     weight: 0.3, normalize: max}
  - {code: new_employees,       weight: 0.4, normalize: max}
rewards:
  tiers: [30000000, 20000000, 15000000, 10000000, 10000000, 10000000]   # yuan, by rank
  cap_per_unit: 30000000
  budget: 100000000
"""


def test_it_reads_the_documented_example() -> None:
    scheme = load_yaml(EXAMPLE)
    assert scheme["name"] == "中心城区半年评估"
    assert [item["weight"] for item in scheme["indicators"]] == [0.3, 0.3, 0.4]
    assert scheme["rewards"]["budget"] == 100_000_000


def test_it_writes_yaml_that_reads_back_to_the_same_scheme() -> None:
    scheme = load_yaml(EXAMPLE)
    assert load_yaml(dump_yaml(scheme)) == scheme
    listed = checked(scheme | {"units": ["500103", "500108"], "note": "说明：试行"})
    assert load_yaml(dump_yaml(listed)) == listed


def test_it_hashes_the_same_content_the_same_whatever_the_spelling() -> None:
    respelled = EXAMPLE.replace("30000000,", "3.0e+7,").replace("budget: 100000000", "budget: 1.0e+8")
    assert digest(load_yaml(respelled)) == digest(load_yaml(EXAMPLE))
    assert digest(load_yaml(EXAMPLE.replace("0.4", "0.5"))) != digest(load_yaml(EXAMPLE))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("period: half-year", "period: quarter"), "period 应为 half-year 或 year"),
        (("code: new_employees", "code: new_staff"), "未知指标“new_staff”"),
        (("weight: 0.4", "weight: -1"), "weight 应为不小于 0 的数"),
        (("normalize: max}\nrewards", "normalize: median}\nrewards"), "normalize 应为"),
        (("units: ranked", "units: everyone"), "units 应为"),
        (("budget: 100000000", "budget: 很多"), "rewards.budget"),
        (("name: 中心城区半年评估", "name: ''"), "name（方案名称）不能为空"),
        (("tiers: [30000000, 20000000", "tiers: [20000000, 30000000"), "应从高到低排列"),
        (("period: half-year", "period: half-year\nweights: 1"), "未知字段：weights"),
    ],
)
def test_it_names_the_field_that_is_wrong(change: tuple[str, str], message: str) -> None:
    with pytest.raises(SchemeError) as raised:
        load_yaml(EXAMPLE.replace(*change, 1))
    assert message in str(raised.value)


def test_it_refuses_target_normalisation_of_a_level_indicator() -> None:
    with pytest.raises(SchemeError, match="存量指标"):
        load_yaml(
            EXAMPLE.replace(
                "code: new_employees,       weight: 0.4, normalize: max",
                "code: rd_expense, weight: 0.4, normalize: target",
            )
        )


def test_it_reports_a_yaml_syntax_error_with_its_line() -> None:
    with pytest.raises(SchemeError, match="第 4 行"):
        load_yaml("name: x\nperiod: year\nunits: [a, b\nindicators: []\n")
