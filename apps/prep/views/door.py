"""The minute before walking in: one phone screen of who, where, when, and what to remember."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.pipeline.selectors import owned_interview
from apps.prep import selectors


@login_required
def door(request: HttpRequest, pk: int) -> HttpResponse:
    interview = owned_interview(user=request.user, pk=pk)
    context = {
        "interview": interview,
        "application": interview.application,
        "door": selectors.at_the_door(user=request.user, interview=interview),
    }
    return render(request, "prep/door.html", context)
