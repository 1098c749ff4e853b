from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Explain an expired or missing form token in plain words."""
    return render(request, "403_csrf.html", status=403)


def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from the root so that it may look after every page."""
    response = render(request, "sw.js", content_type="application/javascript")
    response["Cache-Control"] = "no-cache"
    return response
