"""Synthetic but well-formed identities for the demo data: USCCs, resident ID numbers, names, addresses.

Every number passes the checks the import applies (`stdnum.cn.uscc`, the GB 11643 check digit), and
the division codes inside them are real: USCCs carry the code of the registering authority, ID
numbers the code of the place of first household registration, taken from python-stdnum's division
list (`stdnum/cn/loc.dat`) with the years each code was in use. So someone born in Chongqing in 1990
gets a 5102xx code (Chongqing was then a city of Sichuan), someone born there in 2000 a 500xxx one.
"""

from __future__ import annotations

import os
import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import stdnum
from faker import Faker
from stdnum.cn import ric

from mantianxing.lib.identifiers import make_uscc

# The USCC alphabet (GB 32100-2015): digits and capitals without I, O, S, V, Z.
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# Unified codes were issued from 2015-10-01; firms set up earlier were given theirs on re-registration.
USCC_START = date(2015, 10, 1)
# GB 11714 organisation code check digit weights (the code inside older USCCs, chars 9–17).
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# Where people on Chongqing's software rosters were born, outside Chongqing: mostly the neighbouring
# provinces (two-digit province codes of GB/T 2260, with weights).
BIRTH_PROVINCES = {
    "51": 40,
    "52": 12,
    "42": 10,
    "43": 8,
    "61": 8,
    "41": 5,
    "53": 5,
    "62": 3,
    "36": 3,
    "44": 3,
    "11": 2,
    "31": 1,
}
# Registering authorities of firms from other provinces (districts known for software firms).
OUTSIDE_REGISTRARS = ("110108", "110105", "310115", "310104", "440305", "440106", "330106", "320106",
                      "510107", "510104", "420111", "610113")  # fmt: skip
COMPANY_WORDS = ("软件", "信息技术", "数字科技", "网络科技", "科技", "智能科技", "数据科技", "信息科技")
COMPANY_WORD_WEIGHTS = (30, 20, 15, 8, 10, 8, 5, 4)
OPERATOR_WORDS = ("产业园运营管理", "物业管理", "科技园发展", "置业", "商业管理", "资产经营管理")
BUILDING_WORDS = ("数字大厦", "软件园{n}号楼", "科技大厦", "创新中心", "信息港{n}栋", "数智谷{n}号楼",
                  "智慧园", "总部大楼", "云谷{n}栋", "金融科技港")  # fmt: skip
# Faker's company prefixes sometimes end in a trade word; stripped so the trade is named once.
TRADE_TAIL = re.compile(r"(软件|电子|计算机|网络|科技|信息|传媒|公司)+$")
_RANGE = re.compile(r"^\[(\d{4})?-(\d{4})?\](.*)$")


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    first: int  # first year in use
    last: int  # last year in use


@dataclass(frozen=True)
class DivisionList:
    provinces: dict[str, str]  # two-digit code → name
    counties: dict[str, list[Division]]  # two-digit province code → its divisions, every year


@cache
def divisions() -> DivisionList:
    """Every division code with the years it was in use, from python-stdnum's loc.dat."""
    path = os.path.join(os.path.dirname(stdnum.__file__), "cn", "loc.dat")
    listing = DivisionList({}, {})
    province = ""
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#") or not line.strip():
                continue
            if not line.startswith(" "):
                province = line[:2]
                listing.provinces[province] = line.split('"')[1]
                continue
            suffix, _, rest = line.strip().partition(" ")
            for part in rest.split('"')[1].split(","):
                match = _RANGE.match(part)
                first, last, name = (
                    (match.group(1), match.group(2), match.group(3)) if match else (None, None, part)
                )
                division = Division(province + suffix, name, int(first or 1949), int(last or 2100))
                listing.counties.setdefault(province, []).append(division)
    return listing


def city_name(code: str) -> str:
    """How a firm from `code` names its city: 北京, 上海, 深圳市, 成都市."""
    listing = divisions()
    province = listing.provinces[code[:2]]
    if province.endswith("市"):  # a municipality: 北京市 → 北京
        return province.removesuffix("市")
    prefecture = next(
        (d.name for d in listing.counties[code[:2]] if d.code == code[:4] + "00" and d.last >= 2100), ""
    )
    return prefecture or province


def division_name(code: str, year: int = 2100) -> str:
    """The name of a county-level code with its province and prefecture: 广东省深圳市南山区."""
    listing = divisions()
    by_code = {
        d.code: d.name for d in sorted(listing.counties[code[:2]], key=lambda d: d.last) if d.first <= year
    }
    province = listing.provinces[code[:2]]
    prefecture = by_code.get(code[:4] + "00", "")
    if prefecture in ("市辖区", "县", province):
        prefecture = ""
    return province + prefecture + by_code.get(code, "")


class Identities:
    """Draws identities from one seeded random generator and one seeded Faker; never repeats one."""

    def __init__(
        self, rng: random.Random, fake: Faker, taken_usccs: set[str] | frozenset[str] = frozenset()
    ) -> None:
        self.rng = rng
        self.fake = fake
        self.usccs: set[str] = set(taken_usccs)
        self.ids: set[str] = set()
        self.company_names: set[str] = set()
        # Name pools drawn through Faker once (its per-call cost would dominate 600,000 people).
        self.surnames = [fake.last_name() for _ in range(4000)]
        self.male_names = [fake.first_name_male() for _ in range(2000)]
        self.female_names = [fake.first_name_female() for _ in range(2000)]
        self.prefixes = sorted({TRADE_TAIL.sub("", fake.company_prefix()) for _ in range(400)} - {""})
        self.syllables = sorted({ch for name in self.male_names + self.female_names for ch in name})
        self.streets = sorted({fake.street_name() for _ in range(600)})
        self._birth_codes: dict[tuple[str, int], list[str]] = {}

    # -- enterprises ------------------------------------------------------------------------------
    def uscc(self, division: str, registered: date) -> str:
        """A company's USCC (91…) issued by the authority of `division` on `registered`."""
        while True:
            if registered >= USCC_START:
                body = (
                    "MA"
                    + self.rng.choice(("5U", "60", "61", "62", "5Y"))
                    + "".join(self.rng.choices(USCC_CHARS, k=5))
                )
            else:
                digits = "".join(self.rng.choices("0123456789", k=8))
                body = digits + _org_check(digits)
            code = make_uscc("91" + division + body)
            if code not in self.usccs:
                self.usccs.add(code)
                return code

    def company_name(self, place: str, word: str | None = None) -> str:
        """重庆 + trade name from Faker + 软件/信息技术/数字科技… + 有限公司, unique."""
        word = word or self.rng.choices(COMPANY_WORDS, COMPANY_WORD_WEIGHTS)[0]
        for attempt in range(50):
            trade = self.rng.choice(self.prefixes)
            if attempt:
                trade += "".join(self.rng.choices(self.syllables, k=1 + attempt // 10))
            name = f"{place}{trade}{word}有限公司"
            if name not in self.company_names:
                self.company_names.add(name)
                return name
        raise RuntimeError("no unique company name left")  # pragma: no cover

    def operator_name(self, place: str) -> str:
        return self.company_name(place, self.rng.choice(OPERATOR_WORDS))

    def building_name(self, district: str) -> str:
        word = self.rng.choice(BUILDING_WORDS).format(n=self.rng.randint(1, 12))
        return f"{district.removesuffix('区').removesuffix('县')}{self.rng.choice(self.prefixes)}{word}"

    def address(self, place: str) -> str:
        return f"{place}{self.rng.choice(self.streets)}{self.rng.randint(1, 399)}号"

    # -- people -----------------------------------------------------------------------------------
    def person(self, born_from: int, born_to: int, *, chongqing: float = 0.7) -> tuple[str, str]:
        """(name, resident ID number) of someone born between the two years, most often in Chongqing."""
        rng = self.rng
        male = rng.random() < 0.62  # software rosters are about three men to two women
        mode = min(born_to, max(born_from, 1995))
        year = min(born_to, max(born_from, round(rng.triangular(born_from, born_to + 0.49, mode))))
        born = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        region = self._birth_code(year, rng.random() < chongqing)
        while True:
            sequence = rng.randrange(0, 1000, 1) | 1 if male else rng.randrange(0, 1000, 2)
            body = f"{region}{born:%Y%m%d}{sequence:03d}"
            if body not in self.ids:
                self.ids.add(body)
                break
            region = self._birth_code(year, rng.random() < chongqing)
        pool = self.male_names if male else self.female_names
        return rng.choice(self.surnames) + rng.choice(pool), body + ric.calc_check_digit(body + "0")

    def _birth_code(self, year: int, chongqing: bool) -> str:
        if chongqing:
            # Before 1997 Chongqing was a city of Sichuan: its districts then had 5102xx codes.
            key = ("cq", year)
            province, prefix = ("50", "50") if year >= 1997 else ("51", "5102")
        else:
            province = self.rng.choices(list(BIRTH_PROVINCES), list(BIRTH_PROVINCES.values()))[0]
            key, prefix = (province, year), province
        codes = self._birth_codes.get(key)
        if codes is None:
            codes = self._birth_codes[key] = sorted(
                {
                    d.code
                    for d in divisions().counties[province]
                    if d.code.startswith(prefix)
                    and d.first <= year <= d.last
                    and not d.code.endswith("00")
                    and d.name not in ("市辖区", "县", "市", "郊区")
                    and not (prefix == "51" and d.code.startswith("5102"))
                }
            )
        return self.rng.choice(codes)


def _org_check(digits: str) -> str:
    """The check character of a GB 11714 organisation code (8 digits + 1)."""
    value = 11 - sum(int(d) * w for d, w in zip(digits, ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(value, str(value))
