from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote, unquote

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

from apps.core import services


class RejectNullCharactersMiddleware:
    """Refuse a request carrying a NUL character in its address or its fields.

    No text a person types contains one, and Postgres cannot store it: one check
    here instead of a database error in whichever view the value reaches.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for data in (request.GET, request.POST)
            for key, values in data.lists()
        ):
            return HttpResponseBadRequest("That request contained a character that cannot be stored (NUL).")
        return self.get_response(request)


# drafts.js reads this cookie to drop this device's copies of the forms the server accepted.
SENT_DRAFTS_COOKIE = "second_round_sent_drafts"
SENT_DRAFTS_MAX_AGE = 7 * 24 * 3600


class SentDraftMiddleware:
    """A form that was sent and accepted ends its draft, whatever view took it.

    drafts.js adds the form's draft key (`draft_key`) to a post when a button
    sends it. Our views answer a refused form with 400 or 409 and the form as
    typed, so an answer below 400 means the form went through: its draft on the
    server is removed, and a cookie tells the browser to drop its own copy on the
    next page (a copy dropped before the answer came would be lost if it never came).
    A button that only shows the form back (a preview, a check) saves nothing:
    its view marks the answer with `keep_draft` and the draft stays.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method != "POST" or response.status_code >= 400 or getattr(response, "keeps_draft", False):
            return response
        key = request.POST.get("draft_key", "")
        if not key or not request.user.is_authenticated:
            return response
        services.draft_discard(user=request.user, keys=[key])
        sent = [item for item in unquote(request.COOKIES.get(SENT_DRAFTS_COOKIE, "")).split("\n") if item]
        sent = [*[item for item in sent if item != key], key][-20:]
        response.set_cookie(
            SENT_DRAFTS_COOKIE,
            quote("\n".join(sent), safe=""),
            max_age=SENT_DRAFTS_MAX_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
        return response


def keep_draft(response: HttpResponse) -> HttpResponse:
    """Mark an answer to a post that saved nothing, so the form's draft is not ended by it."""
    response.keeps_draft = True
    return response
