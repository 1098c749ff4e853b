"""The insights page: patterns across the user's reflections."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.journal.charts import scores_chart
from apps.journal.insights import good_signs_versus_progress, recurring_mistakes, scores_by_round

# Past this many points the chart's marks touch on a phone; older interviews
# still count in the other sections.
CHART_MAX_POINTS = 50


@login_required
def insights(request: HttpRequest) -> HttpResponse:
    scores = scores_by_round(user=request.user, latest=CHART_MAX_POINTS)
    context = {
        "mistakes": recurring_mistakes(user=request.user),
        "scores": scores,
        "chart": scores_chart(scores),
        "chart_is_cut": len(scores) == CHART_MAX_POINTS,
        "good_signs": good_signs_versus_progress(user=request.user),
    }
    return render(request, "journal/insights.html", context)
