from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.http import url_has_allowed_host_and_scheme


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


def posted_id(value: object) -> int:
    """An object id taken from a form field: a positive whole number, or a 404.

    A malformed id names no object, which is what a 404 says.
    """
    from django.http import Http404

    text = str(value or "")
    if not (text.isascii() and text.isdigit()):
        raise Http404("No such object.")
    return int(text)


# Dates a job search can involve: anything else is a typo (and the far ends of
# the calendar break date arithmetic).
EARLIEST_DATE = dt.date(1990, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)


def check_sane_date(value: dt.date | None) -> dt.date | None:
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(f"Choose a date between {EARLIEST_DATE.year} and {LATEST_DATE.year}.")
    return value


def next_path(request, default: str) -> str:
    """Where a posted form asked to go back to (its `next` field), if that is a path on this site;
    otherwise `default`."""
    candidate = request.POST.get("next", "")
    # A path on this site only: a bare word would be taken for a view name by redirect().
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default
