"""`{% path_of "app:name" pk %}`: `{% url %}` for the rows of a long list (apps/core/paths.py)."""

from __future__ import annotations

from django import template

from apps.core import paths

register = template.Library()
register.simple_tag(paths.path_of, name="path_of")
