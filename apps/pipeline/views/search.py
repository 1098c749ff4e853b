"""The keep-searching page: what is moving, what has gone quiet, and the next step for each."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.pipeline.keep_searching import pulse


@login_required
def keep_searching(request: HttpRequest) -> HttpResponse:
    return render(request, "pipeline/keep_searching.html", {"pulse": pulse(user=request.user)})
