"""A bulletin's two files, named and typed the same for the CLI, the web page and the API."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from mantianxing.bulletins.document import bulletin_docx
from mantianxing.bulletins.gather import Bulletin
from mantianxing.bulletins.workbook import bulletin_workbook

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KINDS = {"docx": DOCX, "xlsx": XLSX}


@dataclass(frozen=True)
class BulletinFile:
    name: str
    content_type: str
    content: bytes

    def response(self) -> HttpResponse:
        response = HttpResponse(self.content, content_type=self.content_type)
        response["Content-Disposition"] = content_disposition_header(True, self.name)
        return response


def render(b: Bulletin, kind: str) -> BulletinFile:
    """The bulletin as `docx` or `xlsx`."""
    content = bulletin_docx(b) if kind == "docx" else bulletin_workbook(b)
    return BulletinFile(f"{b.file_stem}.{kind}", KINDS[kind], content)
