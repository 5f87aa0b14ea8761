from __future__ import annotations

from django import template

from mantianxing.audit.exports import model_name

register = template.Library()


@register.filter
def model_label(content_type: object) -> str:
    """A content type as its model's Chinese name."""
    return model_name(content_type)
