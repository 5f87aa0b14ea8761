"""The demo world: districts, buildings, enterprises with their stories, and people month by month.

Everything is drawn from one `random.Random(seed)` (and a Faker seeded from it), in a fixed order,
so the same seed on the same day gives the same world. The reference data it reads (units and their
successions, groups, plan windows, industry classes, focus domains) comes from the database, where
the migrations loaded it; nothing is written there.

Calibration (DOMAIN §3): enterprises and employees grow by about 10–15 % a year. Of the firms on the
ledger, those set up or brought in since the 2022 plan began are the "new" ones; about 8 % are
registered outside Chongqing; a few move between buildings and districts inside the plan windows.
Firm sizes are heavy-tailed: most have 5–30 people, a few have more than 1,000.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from faker import Faker

from mantianxing.carriers.choices import BuildingStatus
from mantianxing.demo.identities import OUTSIDE_REGISTRARS, USCC_START, Identities, city_name, division_name
from mantianxing.enterprises.choices import Origin
from mantianxing.enterprises.models import FocusDomain, IndustryClass
from mantianxing.geo.choices import UnitGroup, UnitKind
from mantianxing.geo.models import Succession, Unit
from mantianxing.people.choices import RoleCategory
from mantianxing.plans.models import Plan


@dataclass(frozen=True)
class Scale:
    name: str
    enterprises: int  # on the ledger at the end (including the few that closed)
    buildings: int
    people: int  # on the last month's rosters
    months: int
    big_firms: int  # firms with 1,000 people or more


SCALES = {
    # For tests: small enough to build and import in a few seconds, big enough to hold every story.
    "tiny": Scale("tiny", 80, 12, 700, 4, 0),
    "small": Scale("small", 2_000, 200, 20_000, 24, 3),
    "city": Scale("city", 50_000, 5_000, 600_000, 36, 40),  # DOMAIN §7
}

BIRTH_RATE = 0.16  # firms set up or brought in per year, as a share of the firms there
CLOSE_RATE = 0.03  # firms closing per year
LEAVE_RATE = 0.009  # people leaving the industry per month
CHANGE_RATE = 0.02  # people changing jobs between firms per month
RAISE_RATE = 0.004  # people whose role or salary changes inside a spell, per month
MEDIUM_SHARE = 0.012  # firms with 100–1,000 people, among those there before the data begins
MOVE_RATE = 0.035  # firms moving building per year of plan window, among those in a ledger building
OUTSIDE_SHARE_OLD = 0.06  # registered outside Chongqing, among firms there before the plan
OUTSIDE_SHARE_NEW = 0.11  # ... among firms new since
RANKED_SHARE = 0.75  # of firms and buildings in the 2022 plan's ranked (central) units
CLAIM_RATE = 0.75  # firms whose district filled in 申报来源
# A few buildings, in the first ranked units, that fill up with their unit's firms until this full:
# the candidates the demonstration-building criteria (mantianxing.honours) should find.
SHOWCASES = 3
SHOWCASE_FILL = 0.85
EARLIEST = date(1998, 1, 1)
# The two functional zones have no GB/T 2260 code of their own: firms there register with the
# district authorities the zone lies in (demo data; the real split is the zones' business).
ZONE_REGISTRARS = {"5001GX": ("500106", "500107"), "5001WS": ("500110",)}
CITY_REGISTRAR = "500000"  # the municipal market regulator registers some firms itself
INDUSTRY_WEIGHTS = {"65": 0.80, "64": 0.15, "63": 0.05}
INDUSTRY_FAVOURITES = {"6513": 6.0, "6531": 2.5, "6560": 1.5}  # application software leads by far
# The focus domains the demo's firms draw from, "other" last: the list the demo was written with.
# Drawing from more (the reference data also holds the 2022 plan's) would reshuffle every firm.
DEMO_DOMAINS = (
    "ai_agents",
    "industrial_software",
    "automotive_software",
    "satellite_beidou",
    "openharmony",
    "games",
    "film_animation",
    "live_streaming",
    "ic_design",
    "information_security",
    "data_services",
    "digital_twin",
    "other",
)
DOMAIN_HINTS = {"6520": "ic_design", "6572": "games", "6440": "information_security", "6450": "data_services"}
ROLES = (
    RoleCategory.SOFTWARE,
    RoleCategory.AI_PLUS,
    RoleCategory.TECH_SERVICE,
    RoleCategory.MANAGEMENT,
    RoleCategory.OTHER,
)
ROLE_LABELS = tuple(str(role.label) for role in ROLES)
ROLE_WEIGHTS = (42, 6, 27, 13, 12)
SALARY_MEDIANS = (16.0, 24.0, 11.0, 20.0, 8.0)  # 万元 a year, by role
SEASON = (0.6, 0.7, 0.9, 0.95, 1.0, 1.05, 0.95, 0.95, 1.0, 1.05, 1.15, 1.7)  # revenue by calendar month
CLAIM_LABELS = {
    Origin.EXISTING: str(Origin.EXISTING.label),
    Origin.RELOCATED: str(Origin.RELOCATED.label),
    Origin.ESTABLISHED: str(Origin.ESTABLISHED.label),
    Origin.INTRODUCED: str(Origin.INTRODUCED.label),
}


@dataclass
class Place:
    """A current reporting unit, as the demo places firms and buildings in it."""

    code: str
    name: str
    ranked: bool
    weight: float
    registrars: list[tuple[str, date, date | None]]  # division codes that registered firms here

    def registrar(self, rng: random.Random, on: date) -> str:
        valid = [code for code, start, end in self.registrars if start <= on and (end is None or on < end)]
        return rng.choice(valid or [code for code, _s, _e in self.registrars])

    @property
    def address_prefix(self) -> str:
        return f"重庆市{self.name}"


@dataclass(slots=True)
class Building:
    code: str
    name: str
    place: Place
    address: str
    operator_uscc: str
    operator_name: str
    total_area: int
    acquired_area: int
    carrier_area: int
    status: str
    move_in_ready: bool
    occupied: float = 0.0  # while the occupancies are laid out in time order
    showcase: bool = False

    @property
    def free(self) -> float:
        return self.carrier_area - self.occupied


@dataclass(slots=True)
class Occupancy:
    building: Building
    firm: Firm
    area: float
    moved_in: date
    moved_out: date | None = None


@dataclass(slots=True)
class Firm:
    uscc: str
    name: str
    established: date
    home: Place  # where it started; `place` is where the ledger lists it now
    place: Place
    local: bool
    story: Origin  # what the system should find, for the district's claim
    arrival: date  # first day in Chongqing
    open_month: int  # first roster month (index), 0 for firms there before the data begins
    close_month: int | None
    size_start: int
    size_end: int
    industry: str
    domains: list[str]
    address: str
    claim: str = ""
    occupancies: list[Occupancy] = field(default_factory=list)
    reports: bool = False  # files monthly statistics
    productivity: float = 0.0  # 万元 of software revenue per person and year
    shares: tuple[float, float, float, float] = (0.3, 0.02, 0.03, 0.0)  # product, security, embedded, unsplit
    rd_share: float = 0.1
    software_of_main: float = 1.0  # 软件业务收入 / 主营业务收入
    main_of_operating: float = 1.0  # 主营业务收入 / 营业收入
    big: bool = False
    moves: int = 0

    def active(self, month: int) -> bool:
        return self.open_month <= month and (self.close_month is None or month < self.close_month)

    def target(self, month: int, last: int) -> int:
        """Headcount the firm aims at in `month`: geometric growth from its first to the last month."""
        span = last - self.open_month
        if span <= 0:
            return self.size_end
        t = (month - self.open_month) / span
        return max(1, round(self.size_start * (self.size_end / self.size_start) ** t))


def month_starts(last: date, count: int) -> list[date]:
    """`count` first-of-month days ending with `last`'s month."""
    index = last.year * 12 + last.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index - count + 1, index + 1)]


def last_complete_month(today: date) -> date:
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def month_end(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


class World:
    """The buildings, firms and occupancies; people are stepped month by month by `people()`."""

    def __init__(self, scale: Scale, seed: int, today: date, *, months: int | None = None,
                 taken_usccs: frozenset[str] = frozenset()) -> None:  # fmt: skip
        self.scale = scale
        self.seed = seed
        self.rng = rng = random.Random(seed)
        fake = Faker("zh_CN")
        fake.seed_instance(seed)
        self.ids = Identities(rng, fake, taken_usccs)
        self.months = month_starts(last_complete_month(today), months or scale.months)
        self.first, self.end = self.months[0], month_end(self.months[-1])
        self.window_start = min(Plan.objects.values_list("starts_on", flat=True))
        self.places = self._places(today)
        self.industries, self.industry_weights = self._industries()
        names = dict(FocusDomain.objects.values_list("code", "name"))
        self.domains = {code: names[code] for code in DEMO_DOMAINS}
        self.buildings = self._buildings()
        self.firms = self._firms()
        self._lay_out_occupancies()
        self._claims()
        self._statistics_profiles()

    # -- places ---------------------------------------------------------------------------------
    def _places(self, today: date) -> list[Place]:
        rng = self.rng
        units = {u.pk: u for u in Unit.objects.order_by("code", "valid_from")}
        ranked = set(Unit.objects.in_group(UnitGroup.RANKED_2022, today).values_list("pk", flat=True))
        predecessors: dict[int, list[int]] = {}
        for before, after in (
            Succession.objects.filter(primary=True).order_by("pk").values_list("predecessor", "successor")
        ):
            predecessors.setdefault(after, []).append(before)

        def registrars(pk: int) -> list[tuple[str, date, date | None]]:
            unit = units[pk]
            found = [(unit.code, unit.valid_from, unit.abolished_on)] if unit.code.isdigit() else []
            for before in predecessors.get(pk, []):
                found += registrars(before)
            return found

        places = []
        for unit in Unit.objects.valid_on(today).reporting().order_by("code"):
            codes = registrars(unit.pk) or [
                (code, EARLIEST, None) for code in ZONE_REGISTRARS.get(unit.code, (CITY_REGISTRAR,))
            ]
            weight = rng.uniform(2.0, 5.0) if unit.pk in ranked else rng.uniform(0.2, 1.0)
            # The national-influence cluster is built around 两江新区 and 高新区 (DOMAIN §2): the
            # ranked functional zone and the district that absorbed three units weigh more.
            weight *= (1 + len(predecessors.get(unit.pk, []))) * (
                2 if unit.kind == UnitKind.FUNCTIONAL_ZONE else 1
            )
            places.append(Place(unit.code, unit.name, unit.pk in ranked, weight, codes))
        # Scale the weights so that the ranked units hold RANKED_SHARE of everything.
        for is_ranked, share in ((True, RANKED_SHARE), (False, 1 - RANKED_SHARE)):
            group = [p for p in places if p.ranked == is_ranked]
            total = sum(p.weight for p in group)
            for place in group:
                place.weight *= share / total
        return places

    def _place(self, *, exclude: Place | None = None) -> Place:
        places = [p for p in self.places if p is not exclude]
        return self.rng.choices(places, [p.weight for p in places])[0]

    def _industries(self) -> tuple[list[str], list[float]]:
        rows = list(
            IndustryClass.objects.filter(edition="2017").order_by("code").values_list("code", "division")
        )
        per_division = Counter(division for _code, division in rows)
        weights = [
            INDUSTRY_WEIGHTS.get(division, 0.0) / per_division[division] * INDUSTRY_FAVOURITES.get(code, 1.0)
            for code, division in rows
        ]
        return [code for code, _division in rows], weights

    # -- buildings ------------------------------------------------------------------------------
    def _buildings(self) -> list[Building]:
        rng, ids = self.rng, self.ids
        count = self.scale.buildings
        ranked = [p for p in self.places if p.ranked]
        # Every ranked unit has some buildings; the rest follow the weights.
        chosen = ranked * min(2, count // (2 * len(ranked))) if ranked else []
        chosen += [self._place() for _ in range(count - len(chosen))]
        chosen.sort(key=lambda p: p.code)
        numbers: Counter[str] = Counter()
        statuses = [s for s in BuildingStatus]
        status_weights = {
            BuildingStatus.IN_USE: 80,
            BuildingStatus.REFITTING: 8,
            BuildingStatus.ACQUIRED: 7,
            BuildingStatus.LISTED: 5,
        }
        buildings = []
        for place in chosen:
            numbers[place.code] += 1
            carrier = round(min(60_000, max(5_000, rng.lognormvariate(math.log(14_000), 0.6))), -1)
            total = round(carrier / rng.uniform(0.72, 0.95), -1)
            operated = rng.random() < 0.9
            buildings.append(
                Building(
                    code=f"{place.code}-LY{numbers[place.code]:04d}",
                    name=ids.building_name(place.name),
                    place=place,
                    address=ids.address(place.address_prefix),
                    operator_uscc=ids.uscc(
                        place.registrar(rng, date(2019, 1, 1)),
                        self._date(date(2016, 1, 1), date(2024, 12, 31)),
                    )
                    if operated
                    else "",
                    operator_name=ids.operator_name("重庆") if operated else "",
                    total_area=int(total),
                    acquired_area=int(min(total, round(carrier * rng.uniform(1.0, 1.2), -1))),
                    carrier_area=int(carrier),
                    status=rng.choices(statuses, [status_weights[s] for s in statuses])[0],
                    move_in_ready=rng.random() < 0.3,
                )
            )
        for place in ranked[:SHOWCASES]:
            showcase = next(
                (
                    b
                    for b in buildings
                    if b.place is place
                    and b.status == BuildingStatus.IN_USE
                    and b.operator_uscc
                    and 10_000 <= b.carrier_area <= 16_000
                ),
                None,
            )
            if showcase is not None:
                showcase.showcase = True
        return buildings

    # -- firms ----------------------------------------------------------------------------------
    def _date(self, start: date, end: date) -> date:
        """A uniform day in [start, end]."""
        return start + timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def _month_of(self, day: date) -> int:
        return max(0, (day.year - self.first.year) * 12 + day.month - self.first.month)

    def _firms(self) -> list[Firm]:
        rng = self.rng
        scale = self.scale
        years = len(self.months) / 12
        born = round(scale.enterprises * BIRTH_RATE * years / (1 + BIRTH_RATE * years))
        there = scale.enterprises - born
        years_before = max(0.0, (self.first - self.window_start).days / 365.25)
        new_before = round(there * (1 - (1 + BIRTH_RATE) ** -years_before))
        old = there - new_before
        day_before_window = self.window_start - timedelta(days=1)
        day_before_data = self.first - timedelta(days=1)

        plans: list[tuple[str, bool]] = []  # (when, registered in Chongqing)
        plans += [("old", rng.random() >= OUTSIDE_SHARE_OLD) for _ in range(old)]
        plans += [("before", rng.random() >= OUTSIDE_SHARE_NEW) for _ in range(new_before)]
        plans += [("during", rng.random() >= OUTSIDE_SHARE_NEW) for _ in range(born)]
        # Every story present even at the tiny scale: some firms introduced during the data months.
        during = [i for i, (when, _local) in enumerate(plans) if when == "during"]
        for i in during[:2]:
            plans[i] = ("during", False)

        firms = []
        for when, local in plans:
            home = self._place()
            if when == "old":
                established = max(
                    EARLIEST, day_before_window - timedelta(days=round(rng.expovariate(1 / (6.5 * 365))))
                )
                arrival = (
                    established
                    if local
                    else self._date(max(established, date(2012, 1, 1)), day_before_window)
                )
                story = Origin.EXISTING
            elif when == "before":
                arrival = self._date(self.window_start, day_before_data)
                established = arrival if local else arrival - timedelta(days=rng.randint(200, 3650))
                story = Origin.ESTABLISHED if local else Origin.INTRODUCED
            else:
                arrival = self._date(self.first, self.end)
                established = arrival if local else arrival - timedelta(days=rng.randint(200, 3650))
                story = Origin.ESTABLISHED if local else Origin.INTRODUCED
            # Firms set up before unified codes existed got theirs on re-registration, 2016–2017.
            registered = (
                established if established >= USCC_START else self._date(date(2016, 1, 1), date(2017, 12, 31))
            )
            if local:
                division = CITY_REGISTRAR if rng.random() < 0.1 else home.registrar(rng, registered)
                place_name = "重庆"
            else:
                division = rng.choice(OUTSIDE_REGISTRARS)
                place_name = city_name(division)
            industry = rng.choices(self.industries, self.industry_weights)[0]
            firm = Firm(
                uscc=self.ids.uscc(division, registered),
                name=self.ids.company_name(place_name),
                established=established,
                home=home,
                place=home,
                local=local,
                story=story,
                arrival=arrival,
                open_month=self._month_of(arrival) if when == "during" else 0,
                close_month=None,
                size_start=1,
                size_end=1,
                industry=industry,
                domains=self._focus(industry),
                address=self.ids.address(home.address_prefix if local else division_name(division)),
            )
            firms.append(firm)
        self._sizes(firms, years)
        return firms

    def _focus(self, industry: str) -> list[str]:
        rng = self.rng
        codes = list(self.domains)
        chosen: list[str] = []
        if (hint := DOMAIN_HINTS.get(industry)) in self.domains:
            chosen.append(hint)
        if rng.random() < 0.55:
            for _ in range(1 if rng.random() < 0.75 else 2):
                code = rng.choice(codes[:-1] if codes[-1] == "other" and rng.random() < 0.9 else codes)
                if code not in chosen:
                    chosen.append(code)
        return [self.domains[code] for code in chosen]

    def _sizes(self, firms: list[Firm], years: float) -> None:
        """Heavy-tailed sizes, scaled so that the last month's rosters hold `scale.people`."""
        rng = self.rng
        last = len(self.months) - 1
        for firm in firms:
            if firm.open_month + 2 < last and rng.random() < CLOSE_RATE * years:
                firm.close_month = rng.randint(firm.open_month + 2, last)
        candidates = [
            f
            for f in firms
            if f.story is Origin.EXISTING and f.local and f.home.ranked and f.close_month is None
        ]
        for firm in rng.sample(candidates, min(self.scale.big_firms, len(candidates))):
            firm.big = True
            firm.size_end = round(min(6_000, 1_000 * rng.paretovariate(1.6)))
        # Three tiers: the 1,000+ firms above, about 1 % with 100–1,000 people (fewer among young
        # firms), and the rest lognormal, scaled so that the headcount adds up.
        fixed: dict[int, int] = {}
        for firm in firms:
            if not firm.big and rng.random() < (MEDIUM_SHARE if firm.open_month == 0 else MEDIUM_SHARE / 5):
                fixed[id(firm)] = round(min(900, 100 * rng.paretovariate(1.8)))
        raw = {id(f): rng.lognormvariate(0, 0.55) * (0.5 if f.open_month > 0 else 1.0) for f in firms}
        surviving = [f for f in firms if f.close_month is None and not f.big and id(f) not in fixed]
        wanted = self.scale.people - sum(f.size_end for f in firms if f.big)
        wanted -= sum(size for f in firms if f.close_month is None and (size := fixed.get(id(f))))
        factor = max(1.0, wanted) / sum(raw[id(f)] for f in surviving)
        for firm in firms:
            if not firm.big:
                firm.size_end = fixed.get(id(firm)) or max(1, round(raw[id(firm)] * factor))
            if firm.open_month > 0:
                firm.size_start = min(firm.size_end, rng.randint(1, 4))
            else:
                growth = min(1.8, max(0.75, rng.lognormvariate(math.log(1.12), 0.15)))
                firm.size_start = max(1, round(firm.size_end / growth**years))

    # -- occupancies ----------------------------------------------------------------------------
    def _lay_out_occupancies(self) -> None:
        """Move-ins, moves and closures in time order, so that no building is ever over-full.

        Two passes: the move-ins before the plan began, then (movers chosen among the firms that
        found a building) everything since.
        """
        rng = self.rng
        events: list[tuple[date, int, int, Firm]] = []  # (day, kind: 0 out, 1 in, 2 move, order, firm)
        for order, firm in enumerate(self.firms):
            if firm.story is Origin.EXISTING:
                # Firms there before the plan: those in ledger buildings moved in before it began.
                if not firm.local or rng.random() < 0.65:
                    start = (
                        firm.arrival
                        if not firm.local
                        else self._date(
                            max(firm.established, date(2012, 1, 1)), self.window_start - timedelta(days=1)
                        )
                    )
                    events.append((start, 1, order, firm))
            elif not firm.local or rng.random() < 0.6:
                start = firm.arrival if not firm.local else firm.arrival + timedelta(days=rng.randint(0, 45))
                if start <= self.end:
                    events.append((start, 1, order, firm))
            if firm.close_month is not None:
                events.append((self.months[firm.close_month], 0, order, firm))
        events.sort(key=lambda e: (e[0], e[1], e[2]))
        by_place: dict[str, list[Building]] = {}
        for building in self.buildings:
            if building.status == BuildingStatus.IN_USE:
                by_place.setdefault(building.place.code, []).append(building)
        before = [e for e in events if e[0] < self.window_start]
        self._run_events(before, by_place)

        # Movers: firms there before the plan, in a ledger building, that go on to the end.
        settled = [
            (order, firm)
            for order, firm in enumerate(self.firms)
            if firm.story is Origin.EXISTING
            and firm.occupancies
            and not firm.big
            and firm.close_month is None
        ]
        window_years = (self.end - self.window_start).days / 365.25
        movers = max(3, round(len(settled) * MOVE_RATE * window_years))
        since = events[len(before) :]
        for order, firm in rng.sample(settled, min(movers, len(settled))):
            moved_in = firm.occupancies[-1].moved_in
            earliest = max(
                self.window_start, moved_in + timedelta(days=180), self.first - timedelta(days=540)
            )
            since.append((self._date(earliest, self.end), 2, order, firm))
        since.sort(key=lambda e: (e[0], e[1], e[2]))
        self._run_events(since, by_place)

    def _run_events(
        self, events: list[tuple[date, int, int, Firm]], by_place: dict[str, list[Building]]
    ) -> None:
        rng = self.rng
        for day, kind, _order, firm in events:
            current = (
                firm.occupancies[-1] if firm.occupancies and firm.occupancies[-1].moved_out is None else None
            )
            if kind == 0:
                if current is not None:
                    self._move_out(current, day)
            elif kind == 1:
                area = self._area(firm, day)
                building = self._building_for(firm.home, area, by_place, anywhere=not firm.local)
                if building is not None:
                    self._move_in(firm, building, min(area, building.free), day)
            elif current is not None and day > current.moved_in:
                destination = firm.place if rng.random() < 0.55 else self._place(exclude=firm.place)
                area = round(current.area * rng.uniform(0.9, 1.6), -1)
                building = self._building_for(
                    destination, area, by_place, exclude=current.building, anywhere=True
                )
                if building is not None:
                    self._move_out(current, day)
                    self._move_in(firm, building, area, day)
                    firm.moves += 1
                    if firm.story is Origin.EXISTING and day >= self.window_start:
                        firm.story = Origin.RELOCATED

    def _area(self, firm: Firm, day: date) -> float:
        people = (
            firm.size_start if day < self.first else firm.target(self._month_of(day), len(self.months) - 1)
        )
        # A very large firm takes what one building can give it (and has other offices besides).
        return min(30_000.0, max(60.0, round(people * self.rng.uniform(10, 18), -1)))

    def _building_for(self, place: Place, area: float, by_place: dict[str, list[Building]], *,
                      anywhere: bool = False, exclude: Building | None = None) -> Building | None:  # fmt: skip
        fits = [b for b in by_place.get(place.code, []) if b.free >= area and b is not exclude]
        for building in fits:
            if building.showcase and building.occupied + area <= SHOWCASE_FILL * building.carrier_area:
                return building
        if not fits and anywhere:
            fits = [
                b
                for p in self.places
                if p.ranked
                for b in by_place.get(p.code, [])
                if b.free >= area and b is not exclude
            ]
        return self.rng.choice(fits) if fits else None

    def _move_in(self, firm: Firm, building: Building, area: float, day: date) -> None:
        building.occupied += area
        firm.occupancies.append(Occupancy(building, firm, area, day))
        firm.place = building.place  # the ledger lists a firm where it is now

    @staticmethod
    def _move_out(occupancy: Occupancy, day: date) -> None:
        occupancy.moved_out = day
        occupancy.building.occupied -= occupancy.area

    # -- claims and statistics ------------------------------------------------------------------
    def _claims(self) -> None:
        """申报来源 as districts fill it in: mostly right, but two districts over-claim 新设立 for firms
        that moved in from elsewhere in the city (the disagreement list should catch them)."""
        rng = self.rng
        moved_to = Counter(f.place.code for f in self.firms if f.story is Origin.RELOCATED)
        over_claimers = {code for code, _n in moved_to.most_common(2)}
        forced = False
        for firm in self.firms:
            claimed = rng.random() < CLAIM_RATE
            if (
                firm.story is Origin.RELOCATED
                and firm.place.code in over_claimers
                and (not forced or rng.random() < 0.6)
            ):
                firm.claim, forced = CLAIM_LABELS[Origin.ESTABLISHED], True
            elif claimed:
                firm.claim = CLAIM_LABELS[firm.story]

    def _statistics_profiles(self) -> None:
        rng = self.rng
        focus_security = self.domains.get("information_security")
        focus_embedded = {self.domains.get("automotive_software"), self.domains.get("ic_design")}
        for firm in self.firms:
            firm.reports = max(firm.size_start, firm.size_end) >= 15 or rng.random() < 0.1
            firm.productivity = rng.lognormvariate(math.log(60), 0.5)
            product = rng.triangular(0.12, 0.5, 0.3)
            security = rng.uniform(0.15, 0.4) if focus_security in firm.domains else rng.uniform(0, 0.04)
            embedded = rng.uniform(0.15, 0.4) if focus_embedded & set(firm.domains) else rng.uniform(0, 0.05)
            unsplit = rng.uniform(0, 0.02) if rng.random() < 0.1 else 0.0
            firm.shares = (product, security, embedded, unsplit)
            firm.rd_share = rng.uniform(0.05, 0.2)
        # Its own stream, so that adding these two ratios left every other figure of the world as it was.
        mix = random.Random(f"{self.seed}-revenue-mix")
        for firm in self.firms:
            # Most reporting firms live on software; a few (a manufacturer's IT arm) earn most
            # elsewhere, and fall short of the 30% share that 规上 asks.
            firm.software_of_main = mix.uniform(0.7, 1.0) if mix.random() < 0.85 else mix.uniform(0.1, 0.45)
            firm.main_of_operating = mix.uniform(0.85, 1.0)

    # -- people ---------------------------------------------------------------------------------
    def people(self) -> Iterator[tuple[int, list[list[int]]]]:
        """(month index, members of each firm) for every month, stepping the job market between them.

        The lists are live: read them before asking for the next month. Person attributes are in
        `self.person_*` (parallel lists indexed by person id).
        """
        rng, ids = self.rng, self.ids
        last = len(self.months) - 1
        firms = self.firms
        self.person_name: list[str] = []
        self.person_id: list[str] = []
        self.person_role: list[int] = []
        self.person_hired: list[date] = []
        self.person_salary: list[float | None] = []
        self.headcounts: list[list[int]] = [[0] * len(self.months) for _ in firms]
        members: list[list[int]] = [[] for _ in firms]
        first_year = self.first.year

        def hire(firm_index: int, hired: date, month: int, born: tuple[int, int] | None = None) -> None:
            if born is None:
                born = (first_year - 24, min(2003, first_year - 21)) if rng.random() < 0.7 else (1970, 1998)
            name, number = ids.person(*born)
            ai_boost = 8 * month / 36
            role = rng.choices(range(5), (ROLE_WEIGHTS[0], ROLE_WEIGHTS[1] + ai_boost, *ROLE_WEIGHTS[2:]))[0]
            self.person_name.append(name)
            self.person_id.append(number)
            self.person_role.append(role)
            self.person_hired.append(hired)
            self.person_salary.append(self._salary(role))
            members[firm_index].append(len(self.person_id) - 1)

        for index, firm in enumerate(firms):
            if firm.active(0):
                for _ in range(firm.target(0, last)):
                    tenure = timedelta(days=min(round(rng.expovariate(1 / 1100)), 9000))
                    hired = max(firm.arrival, self.first - tenure, date(1990, 1, 1))
                    hire(index, min(hired, self.first), 0, (1965, min(2001, hired.year - 21)))
        self._count(0, members)
        yield 0, members

        for month in range(1, len(self.months)):
            market: list[tuple[int, int]] = []  # (person, firm left)
            start = self.months[month]
            for index, firm in enumerate(firms):
                staff = members[index]
                if not staff:
                    continue
                if firm.close_month == month:
                    market += [(p, index) for p in staff if rng.random() < 0.7]
                    staff.clear()
                    continue
                kept = []
                for person in staff:
                    draw = rng.random()
                    if draw < LEAVE_RATE:
                        continue
                    if draw < LEAVE_RATE + CHANGE_RATE:
                        market.append((person, index))
                        continue
                    if draw < LEAVE_RATE + CHANGE_RATE + RAISE_RATE:
                        self._raise(person)
                    kept.append(person)
                excess = len(kept) - firm.target(month, last)
                if excess > 0:
                    rng.shuffle(kept)
                    market += [(p, index) for p in kept[:excess] if rng.random() < 0.5]
                    kept = kept[excess:]
                members[index] = kept
            rng.shuffle(market)
            order = [i for i, firm in enumerate(firms) if firm.active(month)]
            rng.shuffle(order)
            for index in order:
                need = firms[index].target(month, last) - len(members[index])
                for _ in range(max(0, need)):
                    hired = start + timedelta(days=rng.randint(0, 27))
                    if market and market[-1][1] != index:
                        person, _left = market.pop()
                        self._change_job(person, hired)
                        members[index].append(person)
                    else:
                        hire(index, hired, month)
            self._count(month, members)
            yield month, members

    def _count(self, month: int, members: list[list[int]]) -> None:
        for index, staff in enumerate(members):
            self.headcounts[index][month] = len(staff)

    def _salary(self, role: int) -> float | None:
        if self.rng.random() < 0.2:
            return None  # not every roster gives salaries
        return round(self.rng.lognormvariate(math.log(SALARY_MEDIANS[role]), 0.35), 1)

    def _raise(self, person: int) -> None:
        salary = self.person_salary[person]
        if salary is not None:
            self.person_salary[person] = round(salary * self.rng.uniform(1.05, 1.25), 1)
        elif self.rng.random() < 0.3:
            self.person_role[person] = 3  # promoted into management

    def _change_job(self, person: int, hired: date) -> None:
        rng = self.rng
        self.person_hired[person] = hired
        if rng.random() < 0.15:
            self.person_role[person] = rng.choices(range(5), ROLE_WEIGHTS)[0]
        salary = self.person_salary[person]
        self.person_salary[person] = (
            round(salary * rng.uniform(1.0, 1.3), 1)
            if salary is not None
            else self._salary(self.person_role[person])
        )

    # -- statistics -----------------------------------------------------------------------------
    def statistics(
        self, year: int
    ) -> Iterator[tuple[date, Firm, tuple[float, ...], int, tuple[float, float]]]:
        """(month, firm, (software, product, IT services, security, embedded, R&D) in 万元 year to date,
        headcount, (营业收入, 主营业务收入) in 万元 year to date) for the reporting firms, each month of
        `year` in the data; after `people()` ran. 营业收入 ≥ 主营业务收入 ≥ 软件业务收入."""
        rng = random.Random(f"{self.seed}-statistics-{year}")  # its own stream: years in any order
        indexes = [m for m, day in enumerate(self.months) if day.year == year]
        for firm_index, firm in enumerate(self.firms):
            if not firm.reports:
                continue
            counts = self.headcounts[firm_index]
            cents = 0
            # Months of the year before the data begins: the first month's headcount stands in.
            for calendar in range(1, self.months[indexes[0]].month):
                if firm.open_month == 0 and counts[0]:
                    cents += self._month_revenue(firm, counts[0], calendar, rng)
            for m in indexes:
                if not counts[m]:
                    continue
                cents += self._month_revenue(firm, counts[m], self.months[m].month, rng)
                product, security, embedded, unsplit = (int(cents * share) for share in firm.shares)
                service = cents - product - security - embedded - unsplit
                values = (cents, product, service, security, embedded, int(cents * firm.rd_share))
                # Dividing by ratios ≤ 1 and rounding keeps each total at least the one below it.
                main = round(cents / firm.software_of_main)
                totals = (round(main / firm.main_of_operating) / 100, main / 100)
                yield self.months[m], firm, tuple(v / 100 for v in values), counts[m], totals

    @staticmethod
    def _month_revenue(firm: Firm, people: int, calendar_month: int, rng: random.Random) -> int:
        """A month's software revenue in cents of 万元."""
        return round(
            people * firm.productivity / 12 * SEASON[calendar_month - 1] * rng.uniform(0.9, 1.1) * 100
        )
