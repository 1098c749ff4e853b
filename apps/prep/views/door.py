"""The minute before walking in: one phone screen of who, where, when, and what to remember."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.prep import selectors
from apps.prep.views.plan import _owned_interview


@login_required
def door(request: HttpRequest, pk: int) -> HttpResponse:
    interview = _owned_interview(request, pk)
    context = {
        "interview": interview,
        "application": interview.application,
        "door": selectors.at_the_door(user=request.user, interview=interview),
    }
    return render(request, "prep/door.html", context)
