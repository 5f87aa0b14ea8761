"""Model fields for identifiers, normalised before they are validated or stored."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from mantianxing.lib.identifiers import normalize_uscc, uscc_error


def validate_uscc(value: str) -> None:
    if value and (error := uscc_error(value)):
        raise ValidationError(error, code="invalid_uscc")


class USCCField(models.CharField):
    """A unified social credit code: full-width, spaces and case are normalised, then checked by stdnum."""

    default_validators = [validate_uscc]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 18)
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return normalize_uscc(value) if isinstance(value, str) else value
