"""The comparison page: applications at the final round or later, side by side, on the person's weights."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from django_htmx.http import push_url, reswap, retarget

from apps.core.forms import add_service_errors
from apps.decide import selectors, services
from apps.decide.forms import WeightsForm, readable_ids
from apps.decide.models import DecisionWeights
from apps.decide.selectors import Comparison

PAGE = "decide/compare.html"


def _address(comparison: Comparison) -> str:
    """The page's address with the ticked applications, when the person chose some."""
    url = reverse("decide:compare")
    if comparison.choosing and len(comparison.chosen_ids) < len(comparison.eligible):
        url += "?" + urlencode({"compare": sorted(comparison.chosen_ids)}, doseq=True)
    return url


def _save_weights(request: HttpRequest, form: WeightsForm) -> DecisionWeights | None:
    if not form.is_valid():
        return None
    try:
        return services.decision_weights_save(owner=request.user, **form.weights())
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def _refused(request: HttpRequest, form: WeightsForm, now: dt.datetime) -> HttpResponse:
    """The form again, with what was typed and why it was refused; the table stays on the saved weights.

    For htmx only the form is swapped, in place of itself (the form aims its answers at the table).
    """
    comparison = selectors.decision_comparison(user=request.user, now=now, chosen=form.ticked_ids())
    context = {"comparison": comparison, "form": form}
    if request.htmx:
        response = render(request, "decide/_weights.html", context, status=400)
        return reswap(retarget(response, "#decide-weights"), "outerHTML")
    return render(request, PAGE, context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def compare(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    if request.method == "GET":
        chosen = readable_ids(request.GET.getlist("compare"))
        comparison = selectors.decision_comparison(user=request.user, now=now, chosen=chosen)
        form = WeightsForm.for_weights(comparison.weights, chosen=comparison.chosen_ids)
        context = {"comparison": comparison, "form": form}
        return render(request, "decide/_table.html" if request.htmx else PAGE, context)

    form = WeightsForm(request.POST)
    saved = _save_weights(request, form)
    if saved is None:
        return _refused(request, form, now)
    comparison = selectors.decision_comparison(
        user=request.user, now=now, weights=selectors.Weights.of(saved), chosen=form.cleaned_data["compare"]
    )
    if not request.htmx:
        messages.success(request, "Your weights are saved.")
        return redirect(_address(comparison))
    # The table, with the sentence above it and the form (cleared of any earlier error) out of band.
    form = WeightsForm.for_weights(comparison.weights, chosen=comparison.chosen_ids)
    context = {"comparison": comparison, "form": form, "out_of_band": True}
    return push_url(render(request, "decide/_table.html", context), _address(comparison))
