"""Names suggested under a filter box as it is typed (htmx fills the box's <datalist>)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from apps.pipeline import selectors

FINDERS = {
    "companies": selectors.company_names_like,
    "recruiters": selectors.recruiter_names_like,
}


@login_required
def suggest(request: HttpRequest, what: str) -> HttpResponse:
    finder = FINDERS.get(what)
    if finder is None:
        raise Http404("Nothing is suggested for that.")
    # Each box sends its own field; any one of them is what was typed.
    typed = next((value for value in request.GET.values() if value.strip()), "")[:200]
    names = finder(user=request.user, typed=typed)
    return render(request, "components/_suggestions.html", {"names": names})
