from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from apps.core import keyset
from apps.core.forms import add_service_errors, next_path
from apps.pipeline import selectors, services
from apps.pipeline.forms import (
    DEFAULT_COLUMNS,
    LIST_COLUMNS,
    ApplicationFilterForm,
    ApplicationForm,
    ArchiveForm,
    BulkForm,
    MoveForm,
    moment_of,
)
from apps.pipeline.models import Application, Interview, Stage

PAGE_SIZE = 50


def _owned_application(request: HttpRequest, pk: int) -> Application:
    return get_object_or_404(
        Application.objects.for_user(request.user)
        .select_related("company")
        .prefetch_related("contact_links__contact"),
        pk=pk,
    )


@login_required
def board(request: HttpRequest) -> HttpResponse:
    if request.htmx:
        return _board_part(request)
    context = {"columns": selectors.board_columns(user=request.user, now=timezone.now()), "stages": Stage}
    return render(request, "pipeline/board.html", context)


def _board_part(request: HttpRequest, *, move_status: dict | None = None, status: int = 200) -> HttpResponse:
    """The board in place of the one on the page; `move_status` says, beside it, what a move did."""
    context = {
        "columns": selectors.board_columns(user=request.user, now=timezone.now()),
        "stages": Stage,
        "move_status": move_status,
    }
    return render(request, "pipeline/board.html#board", context, status=status)


@login_required
def board_column(request: HttpRequest, key: str) -> HttpResponse:
    """The next cards of one board column: in place of its "more" button by htmx, or as a page."""
    cards = selectors.board_column_cards(user=request.user, key=key, now=timezone.now(), query=request.GET)
    if cards is None:
        raise Http404("The board has no such column.")
    context = {"page": cards, "column": cards.column, "columns": [cards.column], "stages": Stage}
    template = "pipeline/board_column.html#cards" if request.htmx else "pipeline/board_column.html"
    return render(request, template, context)


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    form = ApplicationFilterForm(request.GET or None)
    filters = form.filters()
    # The columns chosen travel in the query string (and so in a saved view); none chosen, the usual ones.
    chosen = form.cleaned_data.get("columns") if form.is_bound and form.is_valid() else None
    column_keys = [key for key in LIST_COLUMNS if key in (chosen or DEFAULT_COLUMNS)]
    applications = selectors.application_search(user=request.user, filters=filters, now=timezone.now())
    column, descending = selectors.sort_column(filters.sort)
    page = keyset.page(
        # Their tags in one more query, whatever the number of rows.
        applications.prefetch_related("tags"),
        column=column,
        descending=descending,
        query=request.GET,
        size=PAGE_SIZE,
        sort=filters.sort,
    )
    context = {
        "form": form,
        "page": page,
        "sort": filters.sort,
        "page_size": PAGE_SIZE,
        "columns": [(key, LIST_COLUMNS[key]) for key in column_keys],
        "column_keys": column_keys,
        "column_labels": LIST_COLUMNS,
        "sortable": selectors.SORTS,
        "bulk_actions": services.BULK_ACTIONS,
        "stages": Stage,
        "has_filters": filters != selectors.ApplicationFilters(),
        # The export takes the list as filtered on screen.
        "export_query": form.export_query(),
    }
    if request.htmx and page.continued:
        # "Show more": the next rows, to go under those already shown.
        return render(request, "pipeline/application_list.html#more_rows", context)
    context["total"] = applications.count()
    if request.htmx:
        return render(
            request, "pipeline/application_list.html#results", context, status=400 if form.errors else 200
        )
    context["has_recruiters"] = selectors.has_recruiters(user=request.user)
    return render(request, "pipeline/application_list.html", context, status=400 if form.errors else 200)


@login_required
def application_create(request: HttpRequest) -> HttpResponse:
    initial = {"stage": request.GET["stage"]} if request.GET.get("stage") in Stage.values else {}
    form = ApplicationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(owner=request.user, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{application} is in your pipeline.")
            return redirect("pipeline:application_detail", pk=application.pk)
    return render(
        request, "pipeline/application_form.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _owned_application(request, pk)
    return _detail_page(request, application, MoveForm(initial={"stage": application.stage}))


def _detail_page(request: HttpRequest, application: Application, move_form: MoveForm) -> HttpResponse:
    """The application page; with a refused move form, its errors and what was typed, as a 400."""
    # Each interview's reflection (journal app) and people (contacts app) are shown
    # beside it: fetched together, so a long history costs no more queries.
    interviews = list(
        application.interviews.select_related("reflection").prefetch_related("participants__contact")
    )
    has_round_two = any(i.round_number >= 2 and not i.is_cancelled for i in interviews)
    now = timezone.now()
    # The odds are about what comes next: shown once, on the soonest later round still to come.
    odds_interview = _next_later_round(interviews, now=now)
    context = {
        "application": application,
        "timeline": selectors.application_timeline(application=application),
        "interviews": interviews,
        "move_form": move_form,
        "offer_round_two": application.stage == Stage.SECOND_INTERVIEW and not has_round_two,
        "odds_interview_id": odds_interview.pk if odds_interview else None,
        "round_two_odds": selectors.round_two_odds(user=request.user) if odds_interview else None,
        "general_round_two_odds": selectors.GENERAL_ROUND_TWO_ODDS,
        "now": now,
    }
    status = 400 if move_form.errors else 200
    return render(request, "pipeline/application_detail.html", context, status=status)


def _next_later_round(interviews: list[Interview], *, now: dt.datetime) -> Interview | None:
    """The soonest round two or later that is still to come and not cancelled."""
    ahead = [i for i in interviews if i.round_number >= 2 and not i.is_cancelled and i.starts_at > now]
    return min(ahead, key=lambda interview: interview.starts_at, default=None)


@login_required
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _owned_application(request, pk)
    initial = {name: getattr(application, name) for name in services.APPLICATION_FIELDS}
    initial.update(
        company_name=application.company.name,
        role_title=application.role_title,
        tags=", ".join(tag.name for tag in application.tags.all()),
    )
    form = ApplicationForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_update(application=application, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your changes are saved.")
            return redirect("pipeline:application_detail", pk=application.pk)
    return render(
        request,
        "pipeline/application_form.html",
        {"form": form, "application": application},
        status=400 if form.errors else 200,
    )


@login_required
def application_move_menu(request: HttpRequest, pk: int) -> HttpResponse:
    """The stages a card can move to: into the card's menu by htmx, or as a page without script."""
    owned = Application.objects.for_user(request.user).select_related("company")
    application = get_object_or_404(owned, pk=pk)
    context = {"application": application, "stages": Stage, "inline": bool(request.htmx)}
    template = "pipeline/_move_menu.html" if request.htmx else "pipeline/move_menu.html"
    return render(request, template, context)


@login_required
@require_POST
def application_move(request: HttpRequest, pk: int) -> HttpResponse:
    application = _owned_application(request, pk)
    detail_url = reverse("pipeline:application_detail", args=[application.pk])
    form = MoveForm(request.POST)
    move = None
    if form.is_valid():
        try:
            move = services.application_move_stage(
                application=application,
                to_stage=form.cleaned_data["stage"],
                note=form.cleaned_data["note"],
                now=moment_of(form.cleaned_data["moved_on"]),
            )
        except ValidationError as error:
            add_service_errors(form, error)
    if move is None:
        if request.htmx:
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return HttpResponseClientRedirect(next_path(request, detail_url))
        # The page again, with the reason beside the form and the stage, day and note as typed.
        return _detail_page(request, application, form)
    next_url = next_path(request, detail_url)
    if move.round_two_missing:
        # Offer the obvious next step: the round-2 interview, pre-filled.
        messages.success(request, _move_confirmation(request, move, next_url=next_url))
        messages.info(request, "When is the second interview? Add it now, or skip this for later.")
        schedule_url = reverse("pipeline:interview_create", args=[application.pk]) + "?round=2"
        return HttpResponseClientRedirect(schedule_url) if request.htmx else redirect(schedule_url)
    if request.htmx and request.htmx.target == "board":
        # Said beside the board that comes back, not queued for a later page where it would be stale.
        moved = {"move": move, "next": next_url} if move.moved else None
        return _board_part(request, move_status=moved)
    if move.moved:
        # Dated to an earlier day: a moment is given for it (today's moves are "now").
        dated = moment_of(form.cleaned_data["moved_on"]) is not None
        messages.success(request, _move_confirmation(request, move, next_url=next_url, dated=dated))
    if request.htmx:
        return HttpResponseClientRedirect(next_url)
    return redirect(next_url)


def _move_confirmation(
    request: HttpRequest, move: services.StageMove, *, next_url: str, dated: bool = False
) -> str:
    """The confirmation with its Undo button, for the next page's messages.

    The Undo is a form of its own, so it works there without script; Django's messages keep
    text marked safe (as rendered templates are) as it is. A move `dated` in the past says its
    day instead: it is older than an undo reaches.
    """
    context = {"application": move.application, "change": move.change, "next": next_url, "inline": False}
    template = "pipeline/_move_dated.html" if dated else "pipeline/_move_confirmation.html"
    return render_to_string(template, context, request=request)


@login_required
@require_POST
def application_move_undo(request: HttpRequest, pk: int) -> HttpResponse:
    """Take back a move just made: from the board's confirmation (htmx) or a message's Undo button."""
    application = _owned_application(request, pk)
    on_board = bool(request.htmx) and request.htmx.target == "board"
    try:
        change_id = int(request.POST.get("change", ""))
    except ValueError:
        change_id = None
    try:
        undone = services.stage_move_undo(application=application, change_id=change_id)
    except services.UndoRefused as refusal:
        # 409: the request was fine, the board or the page it came from is out of date.
        reason = " ".join(refusal.messages)
        if on_board:
            return _board_part(request, move_status={"text": reason, "refused": True}, status=409)
        context = {"application": application, "stages": Stage, "inline": False, "refusal": reason}
        return render(request, "pipeline/move_menu.html", context, status=409)
    back = undone.application
    text = f"Undone: {back.company.name} is back in {back.get_stage_display()}."
    if on_board:
        return _board_part(request, move_status={"text": text})
    messages.success(request, text)
    next_url = next_path(request, reverse("pipeline:application_detail", args=[application.pk]))
    if request.htmx:
        return HttpResponseClientRedirect(next_url)
    return redirect(next_url)


@login_required
@require_POST
def application_archive(request: HttpRequest, pk: int) -> HttpResponse:
    application = _owned_application(request, pk)
    form = ArchiveForm(request.POST)
    form.is_valid()  # a checkbox: absent means False, never invalid
    archived = form.cleaned_data.get("archived", False)
    services.application_set_archived(application=application, archived=archived)
    messages.success(
        request,
        f"{application} is archived: it has left the board and the list."
        if archived
        else f"{application} is back in your pipeline.",
    )
    return redirect("pipeline:application_detail", pk=application.pk)


@login_required
@require_POST
def application_star(request: HttpRequest, pk: int) -> HttpResponse:
    """Star or unstar: one of the few the person most wants."""
    application = _owned_application(request, pk)
    services.application_set_starred(application=application, starred=request.POST.get("starred") == "on")
    return redirect(next_path(request, reverse("pipeline:application_detail", args=[application.pk])))


@login_required
@require_POST
def applications_bulk(request: HttpRequest) -> HttpResponse:
    """Do one thing to the applications ticked on the list, then show the list as it was filtered."""
    back = next_path(request, reverse("pipeline:application_list"))
    form = BulkForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
        return redirect(back)
    data = form.cleaned_data
    try:
        done = services.applications_bulk(
            owner=request.user, ids=data["ids"], action=data["action"], stage=data["stage"], tag=data["tag"]
        )
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect(back)
    if done.deleted:
        message = render_to_string("pipeline/_deleted_message.html", {"item": done.deleted}, request=request)
    else:
        what = services.BULK_ACTIONS[data["action"]].lower()
        message = f"Done ({what}): {done.count} application{'s' if done.count != 1 else ''}."
    messages.success(request, message)
    return redirect(back)
