"""The one door for schemes and runs: the web, the API, the CLI and the tests all come through here.

Only the city office saves schemes, runs evaluations and publishes them; an actor of None is the
command line, which acts for the city office (as every `mtx` command does without `--user`). A run is never changed
after it is made, except to be published; running the same scheme on the same data returns the
run already made (same hash, same result).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from mantianxing.core.audit import acting_as
from mantianxing.core.scoping import ScopeKind, is_city_office, scope_of
from mantianxing.core.services import stamp
from mantianxing.evaluation import inputs as period_inputs
from mantianxing.evaluation.models import Run, Scheme
from mantianxing.evaluation.robustness import simulate
from mantianxing.evaluation.schemes import canonical, checked, digest
from mantianxing.evaluation.scoring import evaluate

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from mantianxing.accounts.models import User

    Actor = User | AnonymousUser

DEFAULT_DRAWS = 1000
MAX_DRAWS = 20000


def _require_city_office(user: Actor | None, what: str) -> None:
    if user is not None and not is_city_office(user):
        raise PermissionDenied(f"只有市专班可以{what}。")


def runs_visible_to(user: Actor | None) -> Any:
    """Every run for the city (the office and read-only city roles); published runs for a district."""
    scope = scope_of(user)
    if scope is None or scope.kind not in (ScopeKind.CITY, ScopeKind.UNIT):
        raise PermissionDenied("您的角色不能查看评价结果。")
    runs = Run.objects.select_related("plan", "scheme")
    return runs if scope.kind is ScopeKind.CITY else runs.published()


def save_scheme(user: Actor | None, data: Any, *, assumption: bool = False) -> Scheme:
    """Check `data` (a dict as read from YAML) and keep it as the next version of its name.

    Saving the same content as the latest version of that name returns that version unchanged.
    """
    _require_city_office(user, "修改评价方案")
    body = checked(data)
    body_sha256 = digest(body)
    with transaction.atomic():
        latest = Scheme.objects.select_for_update().filter(name=body["name"]).order_by("-version").first()
        if latest is not None and latest.sha256 == body_sha256 and latest.assumption == assumption:
            return latest
        scheme = Scheme(
            name=body["name"],
            version=(latest.version if latest else 0) + 1,
            body=body,
            sha256=body_sha256,
            assumption=assumption,
        )
        with acting_as(user):
            stamp(scheme, user)  # type: ignore[arg-type]
            scheme.save()
    return scheme


def latest_schemes() -> list[Scheme]:
    """The newest version of every scheme name."""
    newest = Scheme.objects.values("name").annotate(version=Max("version"))
    wanted = {(row["name"], row["version"]) for row in newest}
    return [s for s in Scheme.objects.order_by("name", "-version") if (s.name, s.version) in wanted]


def scheme_for(period: str, name: str | None = None) -> Scheme:
    """The newest version of scheme `name`, or of the newest scheme for periods like `period`."""
    if name:
        scheme = Scheme.objects.filter(name=name).order_by("-version").first()
        if scheme is None:
            raise period_inputs.InputError(f"没有名为“{name}”的评价方案。")
        return scheme
    kind = period_inputs.period_kind(period)
    matching = [scheme for scheme in latest_schemes() if scheme.body["period"] == kind]
    if not matching:
        raise period_inputs.InputError(f"没有适用于评价期 {period} 的评价方案。")
    return max(matching, key=lambda scheme: scheme.created_at)


def run_evaluation(
    user: Actor | None, period: str, scheme: Scheme, *, draws: int = DEFAULT_DRAWS, today: date | None = None
) -> Run:
    """Rank the scheme's units for `period` on today's data, with `draws` Monte Carlo draws."""
    _require_city_office(user, "进行评价")
    if not 0 <= draws <= MAX_DRAWS:
        raise period_inputs.InputError(f"稳健性抽样次数应在 0 到 {MAX_DRAWS} 之间。")
    body = scheme.body
    asked = period_inputs.period_for(period, body, today)
    plan, inputs = period_inputs.gather(body, asked, today)
    inputs_sha256 = digest(inputs)
    run_sha256 = digest({"scheme": body, "inputs": inputs})
    same = Run.objects.filter(sha256=run_sha256, draws=draws).order_by("created_at").first()
    if same is not None:
        return same
    run = Run(
        period=asked.label,
        period_first=asked.first,
        period_last=asked.last,
        plan=plan,
        scheme=scheme,
        scheme_body=body,
        scheme_sha256=scheme.sha256,
        inputs=inputs,
        inputs_sha256=inputs_sha256,
        sha256=run_sha256,
        draws=draws,
    )
    run.result = evaluate(body, inputs)
    run.robustness = robustness_of(run) if draws else None
    with acting_as(user):
        stamp(run, user)  # type: ignore[arg-type]
        run.save()
    return run


def robustness_of(run: Run) -> dict[str, Any]:
    """The Monte Carlo summary, its units in the run's rank order with the run's rank beside."""
    summary = simulate(run.scheme_body, run.inputs, run.draws, seed=int(run.sha256[:8], 16))
    by_unit = {row["unit"]: row for row in summary["units"]}
    summary["units"] = [{"rank": row["rank"], **by_unit[row["unit"]]} for row in run.result]
    return summary


def publish(user: Actor | None, run: Run) -> Run:
    _require_city_office(user, "发布评价结果")
    with transaction.atomic():
        run = Run.objects.select_for_update().get(pk=run.pk)
        if run.published_at is None:
            run.published_at = timezone.now()
            run.published_by = user  # type: ignore[assignment]
            with acting_as(user):
                stamp(run, user)  # type: ignore[arg-type]
                run.save(update_fields=["published_at", "published_by", "updated_at", "updated_by"])
    return run


@dataclass(frozen=True)
class Verification:
    reproduced: bool  # the stored inputs, ranked again, give the stored result
    hashes_match: bool  # the stored scheme and inputs still hash to the stored hashes
    data_unchanged: bool | None  # today's data gives the same inputs (None: could not be gathered)


def verify(run: Run, today: date | None = None) -> Verification:
    """Check a run: rank its stored inputs again, re-hash them, and compare with today's data."""
    hashes_match = (
        digest(run.scheme_body) == run.scheme_sha256
        and digest(run.inputs) == run.inputs_sha256
        and digest({"scheme": run.scheme_body, "inputs": run.inputs}) == run.sha256
    )
    reproduced = canonical(evaluate(run.scheme_body, run.inputs)) == canonical(run.result)
    try:
        period = period_inputs.period_for(run.period, run.scheme_body, today)
        _plan, current = period_inputs.gather(run.scheme_body, period, today)
        data_unchanged: bool | None = digest(current) == run.inputs_sha256
    except period_inputs.InputError:
        data_unchanged = None
    return Verification(reproduced, hashes_match, data_unchanged)
