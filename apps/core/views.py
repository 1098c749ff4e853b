from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.views.decorators.http import require_http_methods

from apps.core import drafts, selectors, services
from apps.core.models import FormDraft


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Explain an expired or missing form token in plain words."""
    return render(request, "403_csrf.html", status=403)


def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from the root so that it may look after every page."""
    response = render(request, "sw.js", content_type="application/javascript")
    response["Cache-Control"] = "no-cache"
    return response


def _saved_at(draft: FormDraft) -> str:
    return formats.time_format(timezone.localtime(draft.updated_at), "H:i")


@login_required
@require_http_methods(["GET", "POST"])
def form_drafts(request: HttpRequest) -> JsonResponse:
    """The draft store static/js/drafts.js keeps unsent forms in: GET the drafts of a page's forms
    (?key=…&key=…), POST one form's values as they are typed. Answers JSON."""
    if request.method == "GET":
        found = selectors.drafts_for(user=request.user, keys=request.GET.getlist("key"))
        return JsonResponse(
            {
                "drafts": {
                    key: {"fields": draft.fields, "origin": draft.origin, "saved_at": _saved_at(draft)}
                    for key, draft in found.items()
                }
            }
        )
    key = request.POST.get("key", "")
    mine = drafts.values_from_json(request.POST.get("draft_fields", ""))
    base = drafts.values_from_json(request.POST.get("draft_base", "")) or {}
    origin = drafts.values_from_json(request.POST.get("draft_origin", "")) or {}
    kinds = drafts.kinds_from_json(request.POST.get("draft_kinds", ""))
    if not key or len(key) > FormDraft._meta.get_field("key").max_length or mine is None or kinds is None:
        return JsonResponse(
            {"error": "This draft could not be kept on the server. Your text is still on this device."},
            status=400,
        )
    kept = services.draft_keep(user=request.user, key=key, mine=mine, base=base, origin=origin, kinds=kinds)
    return JsonResponse(
        {
            "fields": kept.draft.fields,
            "saved_at": _saved_at(kept.draft),
            "conflicts": [
                {"name": conflict.name, "theirs": conflict.theirs, "mine": conflict.mine}
                for conflict in kept.conflicts
            ],
        },
        status=409 if kept.conflicts else 200,
    )
