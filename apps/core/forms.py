from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's validation errors beside the fields they concern.

    Errors about a field the form does not have are shown at the top of the form.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field_name, errors in error.error_dict.items():
        target = field_name if field_name in form.fields else None
        for message in errors:
            form.add_error(target, message)
