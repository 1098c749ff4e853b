"""URLs that fail on purpose, so the error pages can be seen as a user sees them."""

from django.core.exceptions import BadRequest, PermissionDenied
from django.urls import include, path


def _server_error(request):
    raise RuntimeError("a bug, on purpose")


def _forbidden(request):
    raise PermissionDenied


def _bad_request(request):
    raise BadRequest


urlpatterns = [
    path("boom/", _server_error),
    path("forbidden/", _forbidden),
    path("bad/", _bad_request),
    path("", include("config.urls")),
]
