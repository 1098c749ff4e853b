from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from apps.core import drafts, selectors, services, trash
from apps.core.models import DeletedItem, FormDraft, SavedView


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


# --- Saved views of a list page --------------------------------------------------------


def _saved_views_answer(request: HttpRequest, page: str, query: str, **extra) -> HttpResponse:
    """The saved views bar again (htmx), or the list page itself with the view applied."""
    if request.htmx:
        context = {"page_key": page, "query": query, **extra}
        status = 400 if extra.get("errors") else 200
        return render(request, "components/_saved_views.html", context, status=status)
    address = reverse(services.SAVED_VIEW_PAGES.get(page, "pipeline:application_list"))
    return redirect(f"{address}?{query}" if query else address)


@login_required
@require_POST
def saved_view_save(request: HttpRequest) -> HttpResponse:
    page, name = request.POST.get("page", ""), request.POST.get("name", "")
    query = request.POST.get("query", "")
    if page not in services.SAVED_VIEW_PAGES:
        return HttpResponseBadRequest("Views can be saved on the applications list only.")
    try:
        view, replaced = services.saved_view_save(user=request.user, page=page, name=name, query=query)
    except ValidationError as error:
        problems = [problem for field_problems in error.message_dict.values() for problem in field_problems]
        if not request.htmx:
            # Without script, the form again on a page of its own, with the name as typed.
            context = {"page_key": page, "query": query, "name": name, "errors": problems}
            return render(request, "core/saved_view_refused.html", context, status=400)
        return _saved_views_answer(request, page, query, name=name, errors=problems)
    done = f"{'Replaced' if replaced else 'Saved'} your view “{view.name}”."
    if not request.htmx:
        messages.success(request, done)
    return _saved_views_answer(request, view.page, view.query, done=done)


@login_required
@require_POST
def saved_view_delete(request: HttpRequest, pk: int) -> HttpResponse:
    view = get_object_or_404(SavedView.objects.filter(user=request.user), pk=pk)
    services.saved_view_delete(view=view)
    done = f"Deleted your view “{view.name}”."
    if not request.htmx:
        messages.success(request, done)
    return _saved_views_answer(request, view.page, request.POST.get("query", ""), done=done)


# --- Recently deleted ------------------------------------------------------------------

# Where a thing brought back is shown; several brought back at once, their list.
RESTORED_PAGES = {"pipeline.application": "pipeline:application_detail"}
RESTORED_LISTS = {"pipeline.application": "pipeline:application_list"}


@login_required
def deleted_items(request: HttpRequest) -> HttpResponse:
    """What the person deleted in the last month, each with a button to bring it back."""
    items = DeletedItem.objects.filter(user=request.user).only("pk", "label", "deleted_at")[:100]
    return render(request, "core/deleted_items.html", {"items": items, "kept_days": trash.KEPT_FOR.days})


@login_required
@require_POST
def deleted_item_restore(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(DeletedItem.objects.filter(user=request.user), pk=pk)
    try:
        trash.bring_back(item=item)
    except ValidationError as refusal:
        messages.error(request, f"“{item.label}” did not come back. {' '.join(refusal.messages)}")
        if request.htmx:
            return HttpResponseClientRedirect(reverse("deleted_items"))
        return redirect("deleted_items")
    messages.success(request, f"“{item.label}” is back, with everything it held.")
    if item.object_id:
        page = reverse(RESTORED_PAGES[item.model_label], args=[item.object_id])
    else:
        page = reverse(RESTORED_LISTS[item.model_label])
    return HttpResponseClientRedirect(page) if request.htmx else redirect(page)
