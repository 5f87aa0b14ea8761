"""The one door for schemes and runs: the web, the API, the CLI and the tests all come through here.

Only the city office saves schemes, runs evaluations and publishes them; an actor of None is the
command line, which acts for the city office (as every `mtx` command does without `--user`). A run is never changed
after it is made, except to be published and, later, superseded; running the same scheme on the same
data with the same draws and seed returns the run already made (same hash, same result), unless that
run was superseded: then a new run is made, so that it can be published again.

Publishing is serialized per scheme name: the publisher locks the scheme's version rows (rows that
always exist, unlike a current run) before it reads which run is current, so that of two racing
publishers the second sees what the first wrote. The database's partial unique constraint refuses
a second current run whatever happens; a publisher that still loses the race gets a conflict (409),
never two current runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from mantianxing.core.audit import acting_as
from mantianxing.core.scoping import ScopeKind, is_city_office, scope_of
from mantianxing.core.services import stamp
from mantianxing.evaluation import inputs as period_inputs
from mantianxing.evaluation.fingerprint import MAX_SEED, METHOD, default_seed, run_digest
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


class PublishConflict(ValidationError):
    """The run cannot be published as asked (superseded already, or a racing publisher won): HTTP 409."""


def _require_city_office(user: Actor | None, what: str) -> None:
    if user is not None and not is_city_office(user):
        raise PermissionDenied(f"只有市专班可以{what}。")


def runs_visible_to(user: Actor | None) -> Any:
    """Every run for the city (the office and read-only city roles), superseded ones included; for a
    district, the current published run of each scheme and period only."""
    scope = scope_of(user)
    if scope is None or scope.kind not in (ScopeKind.CITY, ScopeKind.UNIT):
        raise PermissionDenied("您的角色不能查看评价结果。")
    runs = Run.objects.select_related("plan", "scheme", "supersedes")
    return runs if scope.kind is ScopeKind.CITY else runs.current()


def sees_superseded(user: Actor | None) -> bool:
    """The city's roles see superseded runs (and the links to them); a district sees the current ones."""
    scope = scope_of(user)
    return scope is not None and scope.kind is ScopeKind.CITY


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
    user: Actor | None,
    period: str,
    scheme: Scheme,
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int | None = None,
    today: date | None = None,
) -> Run:
    """Rank the scheme's units for `period` on today's data, with `draws` Monte Carlo draws.

    `seed` None takes the seed from the scheme and the inputs (see `fingerprint.py`).
    """
    _require_city_office(user, "进行评价")
    if not 0 <= draws <= MAX_DRAWS:
        raise period_inputs.InputError(f"稳健性抽样次数应在 0 到 {MAX_DRAWS} 之间。")
    if seed is not None and not 0 <= seed <= MAX_SEED:
        raise period_inputs.InputError(f"随机种子应为 0 到 {MAX_SEED} 之间的整数。")
    body = scheme.body
    asked = period_inputs.period_for(period, body, today)
    plan, inputs = period_inputs.gather(body, asked, today)
    inputs_sha256 = digest(inputs)
    seed = default_seed(body, inputs) if seed is None else seed
    run_sha256 = run_digest(body, inputs, draws, seed, METHOD)
    same = (
        Run.objects.filter(sha256=run_sha256, superseded_by__isnull=True)
        .select_related("plan", "scheme")
        .order_by("created_at")
        .first()
    )
    if same is not None:
        return same
    run = Run(
        period=asked.label,
        period_first=asked.first,
        period_last=asked.last,
        plan=plan,
        scheme=scheme,
        scheme_name=scheme.name,
        scheme_body=body,
        scheme_sha256=scheme.sha256,
        inputs=inputs,
        inputs_sha256=inputs_sha256,
        sha256=run_sha256,
        draws=draws,
        seed=seed,
        method=METHOD,
    )
    run.result = evaluate(body, inputs)
    run.robustness = robustness_of(run) if draws else None
    with acting_as(user):
        stamp(run, user)  # type: ignore[arg-type]
        run.save()
    return run


def robustness_of(run: Run) -> dict[str, Any]:
    """The Monte Carlo summary, its units in the run's rank order with the run's rank beside."""
    summary = simulate(run.scheme_body, run.inputs, run.draws, seed=run.seed)
    by_unit = {row["unit"]: row for row in summary["units"]}
    summary["units"] = [{"rank": row["rank"], **by_unit[row["unit"]]} for row in run.result]
    return summary


def publish(user: Actor | None, run: Run) -> Run:
    """Publish `run`; the run of the same scheme name and period published before is superseded by it.

    Publishing the current run again changes nothing; a superseded run cannot be published again
    (run the evaluation again and publish the new run).
    """
    _require_city_office(user, "发布评价结果")
    try:
        with transaction.atomic():
            # The lock that serializes publishers of this scheme name (see the module's docstring).
            list(Scheme.objects.select_for_update().filter(name=run.scheme_name).order_by("pk").values("pk"))
            # Only the run's row: the joined plan and scheme rows would hold up publishers of other schemes.
            run = Run.objects.select_for_update(of=("self",)).select_related("plan", "scheme").get(pk=run.pk)
            if run.superseded_by_id is not None:
                raise PublishConflict(
                    f"评价运行 #{run.pk} 已被 #{run.superseded_by_id} 替代，不能再次发布；"
                    "如需恢复，请重新评价后发布新的运行。"
                )
            if run.published_at is not None:
                return run
            earlier = (
                Run.objects.select_for_update()
                .current()
                .filter(scheme_name=run.scheme_name, period=run.period)
                .first()
            )
            with acting_as(user):
                # The earlier run gives way first: the unique constraint allows one current run at a time.
                if earlier is not None:
                    earlier.superseded_by = run
                    stamp(earlier, user)  # type: ignore[arg-type]
                    earlier.save(update_fields=["superseded_by", "updated_at", "updated_by"])
                run.published_at = timezone.now()
                run.published_by = user  # type: ignore[assignment]
                stamp(run, user)  # type: ignore[arg-type]
                run.save(update_fields=["published_at", "published_by", "updated_at", "updated_by"])
    except IntegrityError:
        raise PublishConflict(
            f"同一方案（{run.scheme_name}）、同一评价期（{run.period}）的另一次评价刚刚发布，请刷新后重试。"
        ) from None
    return run


@dataclass(frozen=True)
class Verification:
    reproduced: bool  # the stored inputs, ranked again, give the stored result
    hashes_match: bool  # the stored scheme, inputs, draws, seed and rules still hash to the stored hashes
    data_unchanged: bool | None  # today's data gives the same inputs (None: could not be gathered)
    robustness_reproduced: bool | None = None  # the draws run again give the stored summary (None: no draws)


def verify(run: Run, today: date | None = None) -> Verification:
    """Check a run, current or superseded: rank its stored inputs again, draw its robustness again with
    its draws and seed, re-hash everything, and compare with today's data."""
    hashes_match = (
        digest(run.scheme_body) == run.scheme_sha256
        and digest(run.inputs) == run.inputs_sha256
        and run_digest(run.scheme_body, run.inputs, run.draws, run.seed, run.method) == run.sha256
    )
    reproduced = canonical(evaluate(run.scheme_body, run.inputs)) == canonical(run.result)
    robustness_reproduced = (
        canonical(robustness_of(run)) == canonical(run.robustness) if run.draws and run.robustness else None
    )
    try:
        period = period_inputs.period_for(run.period, run.scheme_body, today)
        _plan, current = period_inputs.gather(run.scheme_body, period, today)
        data_unchanged: bool | None = digest(current) == run.inputs_sha256
    except period_inputs.InputError:
        data_unchanged = None
    return Verification(reproduced, hashes_match, data_unchanged, robustness_reproduced)
