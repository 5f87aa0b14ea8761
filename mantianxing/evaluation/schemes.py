"""The evaluation scheme file (YAML): reading, checking, writing and hashing.

    name: 中心城区半年评估
    period: half-year            # half-year | year
    units: ranked                # ranked | central | all | a list of unit codes
    indicators:
      - {code: carrier_area_in_use, weight: 0.3, normalize: max}
    rewards:
      tiers: [30000000, 20000000]   # yuan, by rank
      cap_per_unit: 30000000
      budget: 100000000
    note: 说明（可选）

The checked scheme is a plain dict with exactly these keys (numbers as int or float), so that the
same scheme always has the same hash: SHA-256 of its canonical JSON (sorted keys, no spaces).
"""

from __future__ import annotations

import hashlib
import itertools
import json
from typing import Any

import yaml

from mantianxing.monitoring.choices import Kind
from mantianxing.monitoring.definitions import DEFINITIONS

PERIODS = {"half-year": "半年", "year": "年度"}
UNIT_SETS = {"ranked": "参评区县", "central": "中心城区", "all": "全部区县"}
NORMALIZATIONS = {
    "max": "除以最大值×100",
    "minmax": "（值−最小值）÷（最大值−最小值）×100",
    "zscore": "标准分（值−均值）÷标准差",
    "rank": "名次分（n−名次）÷（n−1）×100",
    "target": "值÷本期目标×100，最高120",
}
KEYS = {"name", "period", "units", "indicators", "rewards", "note"}
REWARD_KEYS = {"tiers", "cap_per_unit", "budget"}


class SchemeError(ValueError):
    """A scheme that cannot be used; `errors` lists every problem in Chinese."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("；".join(errors))
        self.errors = errors


def load_yaml(text: str) -> dict[str, Any]:
    """Parse and check a YAML scheme."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"第 {mark.line + 1} 行：" if mark is not None else ""
        raise SchemeError([f"YAML 格式错误：{where}{getattr(error, 'problem', None) or error}"]) from None
    return checked(data)


def dump_yaml(scheme: dict[str, Any]) -> str:
    """The scheme as YAML, keys in the documented order, indicators one per line."""
    lines = [f"name: {_scalar(scheme['name'])}", f"period: {scheme['period']}"]
    units = scheme["units"]
    lines.append(f"units: {units}" if isinstance(units, str) else f"units: [{', '.join(units)}]")
    lines.append("indicators:")
    for item in scheme["indicators"]:
        lines.append(
            f"  - {{code: {item['code']}, weight: {_number(item['weight'])}, normalize: {item['normalize']}}}"
        )
    rewards = scheme["rewards"]
    lines.append("rewards:")
    lines.append(f"  tiers: [{', '.join(_number(t) for t in rewards['tiers'])}]   # 元，按名次")
    for key in ("cap_per_unit", "budget"):
        if rewards.get(key) is not None:
            lines.append(f"  {key}: {_number(rewards[key])}")
    if scheme.get("note"):
        lines.append(f"note: {_scalar(scheme['note'])}")
    return "\n".join(lines) + "\n"


def digest(data: Any) -> str:
    """SHA-256 of the canonical JSON: the same content always gives the same hash."""
    return hashlib.sha256(canonical(data).encode()).hexdigest()


def canonical(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def checked(data: Any) -> dict[str, Any]:
    """The scheme in its canonical form, or SchemeError naming every field that is wrong."""
    if not isinstance(data, dict):
        raise SchemeError(["方案应为键值结构（name、period、units、indicators、rewards）。"])
    errors: list[str] = [f"未知字段：{key}" for key in sorted(set(data) - KEYS, key=str)]
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        errors.append("name（方案名称）不能为空。")
        name = ""
    period = data.get("period")
    if period not in PERIODS:
        errors.append(f"period 应为 half-year 或 year，而不是“{period}”。")
    units = _units(data.get("units"), errors)
    indicators = _indicators(data.get("indicators"), errors)
    rewards = _rewards(data.get("rewards"), errors)
    note = data.get("note")
    if note is not None and not isinstance(note, str):
        errors.append("note 应为文字。")
    if errors:
        raise SchemeError(errors)
    scheme: dict[str, Any] = {
        "name": name.strip(),
        "period": period,
        "units": units,
        "indicators": indicators,
        "rewards": rewards,
    }
    if note:
        scheme["note"] = note.strip()
    return scheme


def _units(value: Any, errors: list[str]) -> str | list[str]:
    if isinstance(value, str) and value in UNIT_SETS:
        return value
    if isinstance(value, list) and value:
        codes = [str(code).strip() for code in value]
        if len(set(codes)) != len(codes):
            errors.append("units 列表中有重复的区县代码。")
        return codes
    errors.append("units 应为 ranked、central、all 或区县代码列表。")
    return []


def _indicators(value: Any, errors: list[str]) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not value:
        errors.append("indicators 应为至少一项的列表。")
        return []
    out, seen = [], set()
    for number, item in enumerate(value, start=1):
        where = f"indicators 第 {number} 项"
        if not isinstance(item, dict) or set(item) - {"code", "weight", "normalize"}:
            errors.append(f"{where}：应只含 code、weight、normalize。")
            continue
        code, weight, normalize = str(item.get("code")), item.get("weight"), item.get("normalize", "max")
        definition = DEFINITIONS.get(code)  # type: ignore[call-overload]
        if definition is None:
            errors.append(f"{where}：未知指标“{code}”。")
        elif code in seen:
            errors.append(f"{where}：指标“{code}”重复。")
        if not _is_number(weight) or weight < 0:  # type: ignore[operator]
            errors.append(f"{where}：weight 应为不小于 0 的数。")
        if normalize not in NORMALIZATIONS:
            errors.append(f"{where}：normalize 应为 {'、'.join(NORMALIZATIONS)} 之一。")
        elif normalize == "target" and definition is not None and definition.kind != Kind.INCREASE:
            errors.append(f"{where}：“{definition.name}”是存量指标，没有分期目标，不能用 target 标准化。")
        seen.add(code)
        out.append({"code": code, "weight": _canonical_number(weight), "normalize": normalize})
    if not errors and not any(item["weight"] > 0 for item in out):
        errors.append("indicators 的权重不能全为 0。")
    return out


def _rewards(value: Any, errors: list[str]) -> dict[str, Any]:
    if not isinstance(value, dict) or set(value) - REWARD_KEYS:
        errors.append("rewards 应为含 tiers、cap_per_unit、budget 的结构。")
        return {}
    tiers = value.get("tiers")
    if not isinstance(tiers, list) or not all(_is_number(t) and t >= 0 for t in tiers):
        errors.append("rewards.tiers 应为按名次排列的非负金额（元）列表。")
        tiers = []
    elif any(later > earlier for earlier, later in itertools.pairwise(tiers)):
        errors.append("rewards.tiers 应从高到低排列：名次靠后的奖励不能多于靠前的。")
    rewards: dict[str, Any] = {"tiers": [_canonical_number(t) for t in tiers]}
    for key, label in (("cap_per_unit", "单个区县奖励上限"), ("budget", "奖励预算")):
        amount = value.get(key)
        if amount is not None and not (_is_number(amount) and amount >= 0):
            errors.append(f"rewards.{key}（{label}）应为非负金额（元）。")
        rewards[key] = _canonical_number(amount)
    return rewards


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value  # NaN fails


def _canonical_number(value: Any) -> Any:
    """3e7 and 30000000 are the same amount and must hash the same."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def _scalar(text: str) -> str:
    return json.dumps(text, ensure_ascii=False) if any(c in text for c in ":#{}[],'\"") else text
