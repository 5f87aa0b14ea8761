"""The upload page's forms: which ledger, which file, and whether to keep the valid rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from mantianxing.imports.ledgers import LEDGERS
from mantianxing.imports.limits import max_upload_bytes
from mantianxing.imports.models import Ledger

# What reading.py can open (it decides the format by the file name).
ACCEPTED_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")


def importable_ledgers(role: str | None) -> list[tuple[str, str]]:
    """(value, label) of the ledgers a role may write, in the order of `Ledger`."""
    return [
        (value, str(label))
        for value, label in Ledger.choices
        if role is not None and role in getattr(LEDGERS[value].model, "scope_writers", frozenset())
    ]


def upload_problem(name: str, size: int | None) -> str | None:
    """Why an uploaded file is refused before it is read, or None. Shared with the API."""
    if Path(name).suffix.lower() not in ACCEPTED_EXTENSIONS:
        return str(_("只能导入 Excel（.xlsx、.xls）、WPS/LibreOffice（.ods）或 CSV 文件。"))
    if size is not None and size > max_upload_bytes():
        return str(
            _("文件超过 %(mb)d MB，请分成几个文件导入。") % {"mb": max_upload_bytes() // (1024 * 1024)}
        )
    if size == 0:
        return str(_("文件是空的。"))
    return None


class ImportUploadForm(forms.Form):
    ledger = forms.ChoiceField(label=_("台账"))
    file = forms.FileField(
        label=_("文件"),
        help_text=_("Excel（.xlsx、.xls）、.ods 或 CSV；表头可在前 30 行内，可带标题行、序号列和合计行。"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}),
    )
    keep_valid = forms.BooleanField(label=_("保留正确的行（有错误时仍导入正确的行）"), required=False)

    def __init__(self, *args: Any, ledgers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ledger"].choices = ledgers

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if problem := upload_problem(upload.name or "", upload.size):
            raise forms.ValidationError(problem)
        return upload
