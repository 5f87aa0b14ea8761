"""The one import pipeline every ledger goes through, from the CLI, the web page and the API.

    read the sheet (reading.py)
    → take the import lock, in one transaction with everything below (locking.py)
    → parse and validate each row (the ledger's `parse_row`)
    → reject duplicates of a key → plan the writes against what is stored (`plan`)
    → with no errors (or --keep-valid) and something to write: record the batch, write in bulk,
      log each stored row's changed fields (changelog.py), send `batch_written`.

Only reading the file happens before the lock: whatever reads the database to check or plan runs
inside the locked transaction, so what is written is planned from what is stored at that moment,
and two imports at once give what one after the other gives. When another import holds the lock
for longer than MTX_IMPORT_LOCK_TIMEOUT, `ImportBusy` says so and nothing is written.

A row is counted as *imported* when it creates or changes something; a valid row that changes
nothing is *skipped*, so importing the same file twice writes nothing the second time (and then no
batch is recorded: the result names the batch that first imported the file). Invalid rows are
skipped too, and with errors nothing is written unless the valid rows are to be kept. A dry run
reports the same counts, writes nothing and records no batch.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, ClassVar, Generic, TypeVar

from django.db.models import Model
from django.utils.translation import gettext as _

from mantianxing.core.audit import acting_as
from mantianxing.core.middleware import current_request_id
from mantianxing.core.scoping import Scope, ScopeKind, scope_of
from mantianxing.imports.cells import CellError
from mantianxing.imports.changelog import Change, record_changes
from mantianxing.imports.locking import LockTimeout, import_transaction, lock_timeout
from mantianxing.imports.models import ImportBatch, Ledger
from mantianxing.imports.reading import FileUnusable, read_sheet
from mantianxing.imports.signals import batch_written
from mantianxing.lib.identifiers import mask_id_numbers

R = TypeVar("R")  # a parsed row of one ledger


class ImportRefused(Exception):
    """The import cannot be run at all (unknown ledger, a role that may not import it): exit 2."""


class ImportBusy(ImportRefused):
    """Another import held the import lock for too long: nothing was written (exit 2, HTTP 409)."""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __post_init__(self) -> None:
        # Every row error passes here, whichever ledger quoted a cell: no stored error, page or API
        # answer holds a full ID number.
        object.__setattr__(self, "message", mask_id_numbers(self.message))


class RowInvalid(Exception):
    """Raised by a ledger's parse_row: the row is rejected for these reasons."""

    def __init__(self, *errors: tuple[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors  # (column, message) pairs


@dataclass
class ImportResult:
    ledger: str
    file: str
    sha256: str
    rows: int = 0
    valid: int = 0
    imported: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    batch: int | None = None

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "ledger": self.ledger,
            "file": self.file,
            "sha256": self.sha256,
            "rows": self.rows,
            "valid": self.valid,
            "imported": self.imported,
            "skipped": self.skipped,
            "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in self.errors],
            "batch": self.batch,
        }


@dataclass(slots=True)
class Parsed(Generic[R]):
    """One valid row: its spreadsheet row number, its key (for duplicates) and its values."""

    row: int
    key: Any
    record: R


class Plan:
    """What a ledger would write: the rows that change something, and how to write them."""

    def changed_rows(self) -> set[int]:
        raise NotImplementedError

    def write(self, batch: ImportBatch, user_id: int | None) -> None:
        raise NotImplementedError

    def changes(self) -> Iterable[Change]:
        """The stored rows `write` changes or deletes, with their fields before and after."""
        return ()


class LedgerImport(Generic[R]):
    """One ledger's import: its template, how a row is read and checked, and how it is written."""

    ledger: ClassVar[Ledger]
    model: ClassVar[type[Model]]
    columns: ClassVar[tuple[str, ...]]
    required: ClassVar[tuple[str, ...]]
    aliases: ClassVar[dict[str, Sequence[str]]] = {}
    key_columns: ClassVar[tuple[str, ...]]  # the columns named when a key repeats
    notes: ClassVar[dict[str, str]] = {}  # how to fill each column, for the template's guide sheet

    def __init__(self, user: Any) -> None:
        self.user = user
        self.scope: Scope | None = scope_of(user) if user is not None else None
        self.errors: list[RowError] = []

    # -- to be written by each ledger -------------------------------------------------------
    def prepare(self) -> None:
        """Load what the rows are checked against (units, existing keys), in a few queries."""

    def parse_row(self, values: tuple[Any, ...]) -> tuple[Any, R]:
        """The row's key and record; raises RowInvalid or CellError (for the column being read)."""
        raise NotImplementedError

    def plan(self, parsed: list[Parsed[R]]) -> Plan:
        raise NotImplementedError

    # -- scope -----------------------------------------------------------------------------
    @property
    def is_city(self) -> bool:
        return self.scope is None or self.scope.kind is ScopeKind.CITY

    def check_allowed(self) -> None:
        """Refuse the whole import to a user whose role may not write this ledger."""
        if self.user is None:
            return  # the command line without --user acts for the city office
        scope = self.scope
        writers = getattr(self.model, "scope_writers", frozenset())
        if scope is None or scope.read_only or scope.role not in writers:
            raise ImportRefused(_("您的角色不能导入%(ledger)s。") % {"ledger": Ledger(self.ledger).label})

    def outside_scope(
        self, *, unit_id: int | None = None, building_id: int | None = None, enterprise_id: int | None = None
    ) -> bool:
        """Does a row reaching this unit / building / enterprise fall outside the user's scope?"""
        if self.is_city:
            return False
        assert self.scope is not None
        target = {
            ScopeKind.UNIT: unit_id,
            ScopeKind.BUILDING: building_id,
            ScopeKind.ENTERPRISE: enterprise_id,
        }.get(self.scope.kind)
        return target is None or target != self.scope.target_id

    def keyed_row_rejected(self, item: Parsed[Any], stored: dict[str, Any] | None, noun: str) -> bool:
        """Scope of a row of a ledger keyed by a code (buildings, enterprises); rejects it if outside.

        New rows must be in the user's unit (so a building operator or an enterprise creates none);
        stored rows must be the user's; only the city office moves a row to another unit.
        """
        unit_id = item.record["unit_id"]
        if stored is None:
            if self.outside_scope(unit_id=unit_id):
                self.reject(
                    item.row, "所在区县", _("超出您的数据范围：不能在此新建%(noun)s。") % {"noun": noun}
                )
                return True
        elif self.outside_scope(
            unit_id=stored["unit_id"], **{f"{self.model._meta.model_name}_id": stored["pk"]}
        ):
            message = _("%(noun)s“%(key)s”不在您的数据范围内。") % {"noun": noun, "key": item.key}
            self.reject(item.row, self.key_columns[0], message)
            return True
        elif stored["unit_id"] != unit_id and not self.is_city:
            self.reject(item.row, "所在区县", _("只有市专班可以把%(noun)s改到其他区县。") % {"noun": noun})
            return True
        return False

    # -- the run ---------------------------------------------------------------------------
    def parse_all(self, rows: Iterable[tuple[int, tuple[Any, ...]]], result: ImportResult) -> list[Parsed[R]]:
        parsed: list[Parsed[R]] = []
        first_row_of: dict[Any, int] = {}
        parse_row = self.parse_row
        count = 0
        for number, values in rows:
            count += 1
            try:
                key, record = parse_row(values)
            except RowInvalid as invalid:
                self.errors.extend(RowError(number, column, message) for column, message in invalid.errors)
                continue
            earlier = first_row_of.setdefault(key, number)
            if earlier != number:
                self.errors.append(
                    RowError(
                        number,
                        self.key_columns[0],
                        _("与第 %(row)d 行重复（%(columns)s 相同），以先出现的一行为准。")
                        % {"row": earlier, "columns": "、".join(self.key_columns)},
                    )
                )
                continue
            parsed.append(Parsed(number, key, record))
        result.rows += count
        return parsed

    def reject(self, row: int, column: str, message: str) -> None:
        """Record an error found after parsing (against other rows or stored data)."""
        self.errors.append(RowError(row, column, message))


def read_fields(fields: Sequence[tuple[str, str, Callable[[], Any]]]) -> dict[str, Any]:
    """Run each (attribute, column, parser) of a row; every bad cell is reported, not just the first."""
    record: dict[str, Any] = {}
    errors: list[tuple[str, str]] = []
    for attribute, column, parse in fields:
        try:
            record[attribute] = parse()
        except RowInvalid as invalid:
            errors.extend(invalid.errors)
        except CellError as error:
            errors.append((column, str(error)))
    if errors:
        raise RowInvalid(*errors)
    return record


def required(value: Any) -> Any:
    """The value, or a cell error when it is empty."""
    if value is None or value == "":
        raise CellError(_("不能为空。"))
    return value


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def ledger_import(ledger: str, user: Any) -> LedgerImport[Any]:
    from mantianxing.imports.ledgers import LEDGERS

    try:
        return LEDGERS[ledger](user)
    except KeyError:
        raise ImportRefused(
            _("未知的台账“%(ledger)s”，可选：%(choices)s。")
            % {"ledger": ledger, "choices": "、".join(LEDGERS)}
        ) from None


def run_import(
    ledger: str,
    source: str | Path | bytes | IO[bytes],
    *,
    file_name: str | None = None,
    user: Any = None,
    dry_run: bool = False,
    keep_valid: bool = False,
) -> ImportResult:
    """Import one file into one ledger. Raises ImportRefused or FileUnusable when it cannot run.

    `user` is the acting user whose scope every row must fall in; None is the command line acting
    for the city office.
    """
    spec = ledger_import(ledger, user)
    spec.check_allowed()
    data = _read_bytes(source)
    name = file_name or (Path(source).name if isinstance(source, str | Path) else "upload.xlsx")
    result = ImportResult(ledger=ledger, file=name, sha256=sha256_of(data))
    sheet = read_sheet(data, name, spec.columns, aliases=spec.aliases, required=spec.required)
    try:
        with import_transaction():
            _check_and_write(spec, sheet.rows, result, user, dry_run=dry_run, keep_valid=keep_valid)
    except LockTimeout:
        raise ImportBusy(
            _(
                "另一项数据导入正在进行，本次%(ledger)s导入没有执行，也没有写入任何数据，请稍后再试。"
                "（各台账的导入逐一进行，以免相互覆盖；已等待 %(seconds)s 秒。）"
            )
            % {"ledger": Ledger(ledger).label, "seconds": f"{lock_timeout():g}"}
        ) from None
    return result


def _check_and_write(
    spec: LedgerImport[Any],
    rows: Iterable[tuple[int, tuple[Any, ...]]],
    result: ImportResult,
    user: Any,
    *,
    dry_run: bool,
    keep_valid: bool,
) -> None:
    """Check, plan and (unless a dry run or refused) write, inside the locked transaction."""
    ledger = result.ledger
    spec.prepare()
    parsed = spec.parse_all(rows, result)
    plan = spec.plan(parsed)
    errors = sorted(
        spec.errors, key=lambda e: (e.row, spec.columns.index(e.column) if e.column in spec.columns else 99)
    )
    result.errors = errors
    bad_rows = {e.row for e in errors}
    result.valid = result.rows - len(bad_rows)
    changed = plan.changed_rows() - bad_rows
    if errors and not keep_valid:
        result.skipped = result.rows
        return
    result.imported = len(changed)
    result.skipped = result.rows - result.imported
    if dry_run:
        return
    if not changed:
        result.batch = (
            ImportBatch.objects.filter(ledger=ledger, sha256=result.sha256)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        return
    user_id = getattr(user, "pk", None)
    with acting_as(user):
        batch = ImportBatch.objects.create(
            ledger=ledger,
            file_name=result.file,
            sha256=result.sha256,
            created_by_id=user_id,
            run_id=current_request_id() or "",
            rows=result.rows,
            valid=result.valid,
            imported=result.imported,
            skipped=result.skipped,
            errors=[{"row": e.row, "column": e.column, "message": e.message} for e in errors],
        )
        plan.write(batch, user_id)
        record_changes(batch, plan.changes())
        batch_written.send(ImportBatch, batch=batch)
    result.batch = batch.pk


def _read_bytes(source: str | Path | bytes | IO[bytes]) -> bytes:
    if isinstance(source, bytes):
        return source
    if isinstance(source, str | Path):
        try:
            return Path(source).read_bytes()
        except OSError as error:
            raise FileUnusable(
                _("无法读取文件“%(name)s”：%(reason)s") % {"name": source, "reason": error.strerror}
            ) from None
    return source.read()
