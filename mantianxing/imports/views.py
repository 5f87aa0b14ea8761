"""The import pages: check a file, confirm it, browse the batches, download templates and exports.

Uploading is two steps. "检查" runs the pipeline as a dry run and shows what would happen; the file's
bytes are kept on the server under their sha256 and the session remembers which upload is whose, so
"确认导入" re-runs the pipeline from those bytes and never from anything the browser sends back.
The kept file is removed once it has been imported (a roster holds full ID numbers, which must not
stay on disk), and leftovers of abandoned uploads are swept after an hour (`sweep_uploads`, run by
any request now and then, see imports/apps.py). When another import holds
the import lock too long (imports/locking.py), the kept file stays and the page offers to try again.
"""

from __future__ import annotations

import logging
import os
import secrets
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from mantianxing.carriers.models import Building, Occupancy
from mantianxing.core.audit import FieldChange, ValueDescriber
from mantianxing.core.scoping import Scope, ScopedQuerySet, scope_of
from mantianxing.enterprises.models import Enterprise
from mantianxing.imports import cells
from mantianxing.imports.exports import export_ledger, write_template
from mantianxing.imports.forms import ImportUploadForm, importable_ledgers
from mantianxing.imports.ledgers import LEDGERS
from mantianxing.imports.models import ImportBatch, ImportChange, Ledger
from mantianxing.imports.pipeline import ImportBusy, ImportRefused, ImportResult, run_import, sha256_of
from mantianxing.imports.reading import FileUnusable
from mantianxing.people.models import EmploymentSpell, RosterFiling
from mantianxing.stats.models import MonthlyStatistics

log = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PENDING = "imports_pending"  # session key: upload token → what was checked
MAX_PENDING = 5  # uploads checked but not yet confirmed, per session
# Seconds an unconfirmed upload is kept: it may hold a whole roster's ID numbers (issue 12 §8).
UPLOAD_LIFETIME = 3600
SWEEP_EVERY = 60  # seconds between two sweeps in one process
_last_sweep = 0.0
BATCH_ROWS_SHOWN = 100

# The ledger models that point to the batch that last wrote a row, and what their __str__ reads.
WRITTEN_MODELS: tuple[tuple[type[Model], tuple[str, ...]], ...] = (
    (Building, ("unit",)),
    (Occupancy, ("building", "enterprise")),
    (Enterprise, ()),
    (EmploymentSpell, ("person", "enterprise")),
    (RosterFiling, ("enterprise",)),
    (MonthlyStatistics, ("enterprise",)),
)


# -- helpers shared with the API --------------------------------------------------------------------


def attachment(file_name: str, fallback: str) -> str:
    """Content-Disposition for a download with a Chinese name (RFC 6266 / 5987), with an ASCII
    fallback for the clients that do not read `filename*`."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name)}"


def export_names(ledger: str, today: date | None = None) -> tuple[str, str]:
    """The Chinese file name of a ledger export and its ASCII fallback: 楼宇台账-20261121.xlsx."""
    stamp = f"{today or timezone.localdate():%Y%m%d}"
    return f"{Ledger(ledger).label}-{stamp}.xlsx", f"{ledger}-{stamp}.xlsx"


def template_names(ledger: str) -> tuple[str, str]:
    return f"{Ledger(ledger).label}-导入模板.xlsx", f"{ledger}-template.xlsx"


def parse_month(value: str | None) -> date | None:
    """The ?month= of an export (2026-03, 2026年3月 …); raises cells.CellError when unreadable."""
    return cells.month(value) if value else None


def writer_scope(user: Any) -> Scope:
    """The scope of a user who may import at all; read-only roles and users without one get 403."""
    scope = scope_of(user)
    if scope is None or scope.read_only:
        raise PermissionDenied("您的角色只读或没有数据范围，不能导入数据。")
    return scope


# -- the kept uploads -------------------------------------------------------------------------------


def upload_dir() -> Path:
    return Path(settings.VAR_DIR) / "uploads"


def keep_upload(data: bytes, sha256: str) -> None:
    folder = upload_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # the owner's alone, as the file (mkstemp: 0600)
    _sweep(folder)
    target = folder / sha256
    if target.exists():
        target.touch()  # a fresh check keeps it from being swept
        return
    # Written under a temporary name and renamed, so a half-written file is never read.
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".upload-")
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
    os.replace(temporary, target)


def sweep_uploads(**_signal: Any) -> None:
    """Remove the uploads older than UPLOAD_LIFETIME; at most once a minute per process.

    Connected to `request_started`, so an abandoned roster is gone within the hour for as long as the
    app serves anyone, without a timer to install.
    """
    global _last_sweep
    now = time.monotonic()
    if now - _last_sweep < SWEEP_EVERY:
        return
    _last_sweep = now
    folder = upload_dir()
    if folder.is_dir():
        _sweep(folder)


def _sweep(folder: Path) -> None:
    limit = time.time() - UPLOAD_LIFETIME
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:  # another request swept it first
            continue


def _kept_bytes(sha256: str) -> bytes | None:
    try:
        data = (upload_dir() / sha256).read_bytes()
    except OSError:
        return None
    return data if sha256_of(data) == sha256 else None


def _forget_upload(sha256: str) -> None:
    (upload_dir() / sha256).unlink(missing_ok=True)


def _remember(request: HttpRequest, result: ImportResult, keep_valid: bool) -> str:
    pending: dict[str, dict[str, Any]] = request.session.get(PENDING, {})
    token = secrets.token_urlsafe(12)
    pending[token] = {
        "sha256": result.sha256,
        "ledger": result.ledger,
        "file_name": result.file,
        "keep_valid": keep_valid,
    }
    request.session[PENDING] = dict(list(pending.items())[-MAX_PENDING:])
    return token


def _pending(request: HttpRequest, token: str) -> dict[str, Any] | None:
    return request.session.get(PENDING, {}).get(token)


def _drop_pending(request: HttpRequest, token: str) -> None:
    pending = request.session.get(PENDING, {})
    if pending.pop(token, None) is not None:
        request.session[PENDING] = pending


# -- upload, check and confirm ---------------------------------------------------------------------


def ledger_guides(ledgers: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Each ledger's columns with how to fill them, from the ledger's own notes."""
    guides = []
    for value, label in ledgers:
        spec = LEDGERS[value]
        guides.append(
            {
                "value": value,
                "label": label,
                "columns": [(name, spec.notes.get(name, ""), name in spec.required) for name in spec.columns],
            }
        )
    return guides


def _upload_page(
    request: HttpRequest, form: ImportUploadForm, ledgers: list[tuple[str, str]]
) -> HttpResponse:
    context = {"form": form, "ledgers": ledgers, "guides": ledger_guides(ledgers)}
    return render(request, "imports/upload.html", context)


def _earlier_batches(request: HttpRequest, result: ImportResult) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.visible_to(request.user).filter(ledger=result.ledger, sha256=result.sha256)


def _preview(request: HttpRequest, result: ImportResult, token: str, keep_valid: bool) -> HttpResponse:
    context = {
        "result": result,
        "token": token,
        "keep_valid": keep_valid,
        "ledger_label": Ledger(result.ledger).label,
        # With errors and without keep_valid the pipeline writes nothing; say so and offer no button.
        "blocked": bool(result.errors) and not keep_valid,
        "can_confirm": result.imported > 0 and (not result.errors or keep_valid),
        "earlier": list(_earlier_batches(request, result)[:5]),
    }
    return render(request, "imports/preview.html", context)


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    """Step 1: the form, and on POST the dry run of the uploaded file."""
    scope = writer_scope(request.user)
    ledgers = importable_ledgers(scope.role)
    if request.method != "POST":
        wanted = request.GET.get("ledger")
        return _upload_page(request, ImportUploadForm(ledgers=ledgers, initial={"ledger": wanted}), ledgers)
    form = ImportUploadForm(request.POST, request.FILES, ledgers=ledgers)
    if not form.is_valid():
        return _upload_page(request, form, ledgers)
    upload_file = form.cleaned_data["file"]
    keep_valid: bool = form.cleaned_data["keep_valid"]
    data = upload_file.read()
    try:
        result = run_import(
            form.cleaned_data["ledger"],
            data,
            file_name=Path(upload_file.name).name,
            user=request.user,
            dry_run=True,
            keep_valid=keep_valid,
        )
    except (ImportRefused, FileUnusable) as error:
        form.add_error("file", str(error))
        return _upload_page(request, form, ledgers)
    keep_upload(data, result.sha256)
    return _preview(request, result, _remember(request, result, keep_valid), keep_valid)


def _busy(
    request: HttpRequest, error: ImportBusy, token: str, entry: dict[str, Any], step: str
) -> HttpResponse:
    """Another import ran too long: nothing was written; the same upload can be tried again."""
    context = {
        "message": str(error),
        "file_name": entry["file_name"],
        "token": token,
        "retry_url": reverse(f"imports:{step}"),
        "retry_label": "再次确认导入" if step == "confirm" else "重新检查",
    }
    return render(request, "imports/busy.html", context, status=409)


def _expired(request: HttpRequest) -> HttpResponse:
    messages.error(request, "上传的文件已失效（超过一小时或已经导入），请重新上传。")
    return redirect("imports:upload")


def _kept(request: HttpRequest) -> tuple[str, dict[str, Any], bytes] | None:
    """The upload the posted token names, if it is this session's and its bytes are still kept."""
    token = request.POST.get("upload", "")
    entry = _pending(request, token)
    data = _kept_bytes(entry["sha256"]) if entry else None
    return None if entry is None or data is None else (token, entry, data)


@login_required
@require_POST
def recheck(request: HttpRequest) -> HttpResponse:
    """Check the kept file again, now keeping the valid rows, without uploading it once more."""
    writer_scope(request.user)
    kept = _kept(request)
    if kept is None:
        return _expired(request)
    token, entry, data = kept
    try:
        result = run_import(
            entry["ledger"],
            data,
            file_name=entry["file_name"],
            user=request.user,
            dry_run=True,
            keep_valid=True,
        )
    except ImportBusy as error:
        return _busy(request, error, token, entry, "recheck")
    except (ImportRefused, FileUnusable) as error:
        messages.error(request, str(error))
        return redirect("imports:upload")
    entry["keep_valid"] = True
    pending = request.session[PENDING]
    pending[token] = entry
    request.session[PENDING] = pending
    return _preview(request, result, token, keep_valid=True)


@login_required
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    """Step 2: import the kept file for real, with the choices made when it was checked."""
    writer_scope(request.user)
    kept = _kept(request)
    if kept is None:
        return _expired(request)
    token, entry, data = kept
    keep_valid = bool(entry["keep_valid"])
    try:
        result = run_import(
            entry["ledger"], data, file_name=entry["file_name"], user=request.user, keep_valid=keep_valid
        )
    except ImportBusy as error:
        return _busy(request, error, token, entry, "confirm")
    except (ImportRefused, FileUnusable) as error:
        messages.error(request, str(error))
        return redirect("imports:upload")
    if result.errors and not keep_valid:
        # The stored data changed since the check and the file now has errors: nothing was written.
        return _preview(request, result, token, keep_valid)
    _drop_pending(request, token)
    _forget_upload(entry["sha256"])
    if result.imported and result.batch:
        messages.success(
            request,
            f"已导入 {result.imported} 行（数据 {result.rows} 行，跳过 {result.skipped} 行），批次 #{result.batch}。",
        )
        return redirect("imports:batch_detail", pk=result.batch)
    earlier = (
        ImportBatch.objects.visible_to(request.user).filter(pk=result.batch).first() if result.batch else None
    )
    context = {"result": result, "ledger_label": Ledger(result.ledger).label, "earlier_batch": earlier}
    return render(request, "imports/nothing_written.html", context)


# -- templates and exports -------------------------------------------------------------------------


def _xlsx_download(write: Any, file_name: str, fallback: str) -> FileResponse:
    # A temporary file rather than memory: a city-wide roster export runs to tens of MB.
    stream = tempfile.TemporaryFile()
    write(stream)
    stream.seek(0)
    response = FileResponse(stream, content_type=XLSX)
    response["Content-Disposition"] = attachment(file_name, fallback)
    return response


@login_required
def template(request: HttpRequest, ledger: str) -> HttpResponse:
    if ledger not in LEDGERS:
        raise Http404
    return _xlsx_download(lambda stream: write_template(ledger, stream), *template_names(ledger))


@login_required
def export(request: HttpRequest, ledger: str) -> HttpResponse:
    """The ledger in its template, limited to the user's scope (export_ledger applies it)."""
    if ledger not in LEDGERS:
        raise Http404
    try:
        month = parse_month(request.GET.get("month"))
    except cells.CellError as error:
        return HttpResponseBadRequest(f"month：{error}", content_type="text/plain; charset=utf-8")
    unit = request.GET.get("unit") or None

    def write(stream: Any) -> None:
        export_ledger(ledger, stream, user=request.user, unit=unit, month=month)

    return _xlsx_download(write, *export_names(ledger))


# -- batches ---------------------------------------------------------------------------------------


class BatchListView(LoginRequiredMixin, ListView):
    template_name = "imports/batch_list.html"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[ImportBatch]:
        batches = ImportBatch.objects.visible_to(self.request.user).select_related("created_by")
        self.ledger = self.request.GET.get("ledger", "")
        if self.ledger in Ledger.values:
            batches = batches.filter(ledger=self.ledger)
        else:
            self.ledger = ""
        return batches.defer("errors")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["ledger"] = self.ledger
        context["ledger_choices"] = Ledger.choices
        context["query_string"] = urlencode({"ledger": self.ledger} if self.ledger else {})
        return context


@dataclass
class WrittenRows:
    label: str
    count: int
    rows: list[tuple[str, str | None]]  # (text, link)


def _link(obj: Model) -> str | None:
    url_of = getattr(obj, "get_absolute_url", None)
    if url_of is None:
        return None
    try:
        return str(url_of())
    except NoReverseMatch:  # the model's page is not (yet) wired
        return None


def written_rows(batch: ImportBatch, user: Any) -> list[WrittenRows]:
    """The rows still pointing to the batch that the user may see, per ledger model."""
    sections = []
    for model, related in WRITTEN_MODELS:
        # Through ScopedQuerySet itself: not every model's manager offers visible_to (Occupancy's).
        rows = ScopedQuerySet(model).visible_to(user).filter(batch=batch)
        count = rows.count()
        if not count:
            continue
        shown = rows.select_related(*related).order_by("pk")[:BATCH_ROWS_SHOWN]
        sections.append(
            WrittenRows(str(model._meta.verbose_name), count, [(str(row), _link(row)) for row in shown])
        )
    return sections


@dataclass
class ChangedRow:
    label: str  # the model's name
    text: str
    link: str | None
    action: str
    fields: list[FieldChange]


def batch_changes(batch: ImportBatch) -> tuple[int, list[ChangedRow]]:
    """How many stored rows the batch changed or deleted, and the first of them with their fields.

    Not filtered by scope: a batch is seen by those who share its importer's scope, and an import
    changes only rows inside the importer's scope.
    """
    changes = ImportChange.objects.filter(batch=batch).select_related("content_type").order_by("pk")
    shown = list(changes[:BATCH_ROWS_SHOWN])
    ids: dict[Any, list[int]] = {}
    for change in shown:
        ids.setdefault(change.content_type, []).append(change.object_id)
    objects: dict[tuple[int, int], Model] = {}
    for content_type, pks in ids.items():
        model = content_type.model_class()
        if model is not None:
            for obj in model._base_manager.filter(pk__in=pks):
                objects[content_type.pk, obj.pk] = obj
    describe = ValueDescriber()
    rows: list[ChangedRow] = []
    for change in shown:
        model = change.content_type.model_class()
        obj = objects.get((change.content_type_id, change.object_id))
        rows.append(
            ChangedRow(
                str(model._meta.verbose_name) if model else change.content_type.model,
                str(obj) if obj is not None else f"#{change.object_id}（已删除）",
                _link(obj) if obj is not None else None,
                change.get_action_display(),
                describe.fields(model, change.changes) if model else [],
            )
        )
    return changes.count(), rows


@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(
        ImportBatch.objects.visible_to(request.user).select_related("created_by"), pk=pk
    )
    context = {
        "batch": batch,
        "sections": written_rows(batch, request.user),
        "rows_shown": BATCH_ROWS_SHOWN,
        "changed": batch_changes(batch),
    }
    return render(request, "imports/batch_detail.html", context)
