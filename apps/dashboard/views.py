from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from apps.accounts.selectors import email_confirmed
from apps.dashboard import charts, numbers, selectors
from apps.dashboard.forms import PeriodForm
from apps.pipeline import services as pipeline
from apps.pipeline.models import Application


def home(request: HttpRequest) -> HttpResponse:
    """What to do today for a signed-in user; a short introduction for anyone else."""
    if not request.user.is_authenticated:
        return render(request, "core/landing.html")
    board = selectors.dashboard(user=request.user, now=timezone.now())
    context = {
        "board": board,
        "funnel_svg": charts.funnel_svg(board.glance.funnel),
        "address_confirmed": email_confirmed(request.user),
    }
    return render(request, "dashboard/home.html", context)


@login_required
def numbers_page(request: HttpRequest) -> HttpResponse:
    """The search in numbers, for the whole search or a period of it."""
    form = PeriodForm(request.GET or None)
    now = timezone.now()
    period = form.period_chosen(timezone.localdate(now))
    figures = numbers.search_numbers(user=request.user, now=now, period=period)
    context = {"form": form, "numbers": figures, "funnel_svg": charts.funnel_svg(figures.funnel)}
    return render(request, "dashboard/numbers.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    """One click on a stale application: a reminder to chase it, due now."""
    application = get_object_or_404(
        Application.objects.for_user(request.user).select_related("company"), pk=pk
    )
    pipeline.application_follow_up_now(application=application)
    messages.success(request, f"Added to today: follow up {application.company.name}.")
    return redirect("home")
