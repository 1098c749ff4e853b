from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    """The dashboard for a signed-in user; a short introduction for anyone else."""
    if request.user.is_authenticated:
        return render(request, "dashboard/home.html")
    return render(request, "core/landing.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Explain an expired or missing form token in plain words."""
    return render(request, "403_csrf.html", status=403)
