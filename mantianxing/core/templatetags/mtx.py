from __future__ import annotations

from django import template

from mantianxing.core.audit import ACTION_LABELS

register = template.Library()


@register.filter
def action_label(action: int) -> str:
    """A history entry's action in Chinese (django-auditlog ships no Chinese labels)."""
    return ACTION_LABELS.get(action, str(action))
