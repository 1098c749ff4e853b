"""The inbox page: the person's forwarding address and what arrived at it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from apps.core.forms import posted_id
from apps.inbox import selectors, services
from apps.inbox.models import InboundMessage


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    context = {
        "address": services.address_for(request.user),
        "inbound": selectors.latest_messages(user=request.user),
        "applications": list(selectors.open_applications(user=request.user)),
    }
    return render(request, "inbox/inbox.html", context)


@login_required
@require_POST
def inbox_address(request: HttpRequest) -> HttpResponse:
    """A new address (the old one stops working), or who may send to it."""
    if "regenerate" in request.POST:
        services.address_regenerate(user=request.user)
        messages.success(request, "Your address is new. Mail to the old one is refused from now on.")
    else:
        any_sender = request.POST.get("any_sender") == "1"
        services.address_set_any_sender(user=request.user, any_sender=any_sender)
        messages.success(
            request,
            "Mail from any sender is now taken."
            if any_sender
            else "Only mail from your own addresses is taken.",
        )
    return redirect("inbox:inbox")


@login_required
@require_POST
def inbox_message(request: HttpRequest, pk: int) -> HttpResponse:
    """Try a failed message again, or say which application an invitation is for."""
    message = get_object_or_404(InboundMessage.objects.for_user(request.user), pk=pk)
    try:
        if request.POST.get("action") == "retry":
            services.retry(message=message)
            messages.success(request, "It will be read again in a moment.")
        elif request.POST.get("action") in ("choose", "confirm"):
            application = get_object_or_404(
                selectors.open_applications(user=request.user), pk=posted_id(request.POST.get("application"))
            )
            if request.POST["action"] == "choose":
                message = services.choose_application(message=message, application=application)
            else:
                message = services.suggestion_confirm(message=message, application=application)
            messages.success(request, message.outcome.splitlines()[0] if message.outcome else "Done.")
        else:
            return HttpResponse("Unknown action.", status=400)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("inbox:inbox")
