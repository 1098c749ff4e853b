from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from apps.contacts import selectors, services
from apps.contacts.forms import AttachContactForm, ContactForm, InteractionForm, QuickContactForm
from apps.contacts.models import Contact, ContactKind, InterviewParticipant
from apps.contacts.vcard import contact_vcard as build_vcard
from apps.core.forms import add_service_errors, posted_id
from apps.pipeline.models import Application, Interview


def _owned_contact(request: HttpRequest, pk: int) -> Contact:
    return get_object_or_404(Contact.objects.for_user(request.user), pk=pk)


@login_required
def contact_list(request: HttpRequest) -> HttpResponse:
    query, kind = request.GET.get("q", "").strip()[:200], request.GET.get("kind", "")
    if kind not in {"", "recruiters", *ContactKind.values}:
        kind = ""
    contacts = selectors.contact_search(user=request.user, query=query, kind=kind)
    context = {
        "page": Paginator(contacts, 30).get_page(request.GET.get("page")),
        "query": query,
        "kind": kind,
        "kinds": ContactKind.choices,
    }
    template = "contacts/contacts.html#results" if request.htmx else "contacts/contacts.html"
    return render(request, template, context)


def _save_contact(
    request: HttpRequest, form: ContactForm, contact: Contact | None
) -> tuple[Contact | None, list]:
    """Save unless the email is already someone else's and the person has not confirmed."""
    data = {name: form.cleaned_data[name] for name in services.CONTACT_FIELDS}
    duplicates = services.contacts_with_email(owner=request.user, email=data["email"], exclude=contact)
    if duplicates and not form.cleaned_data["confirm_duplicate"]:
        return None, duplicates
    try:
        if contact is None:
            return services.contact_create(owner=request.user, **data), []
        return services.contact_update(contact=contact, **data), []
    except ValidationError as error:
        add_service_errors(form, error)
        return None, []


def _contact_form_page(request: HttpRequest, contact: Contact | None) -> HttpResponse:
    form = ContactForm(request.POST or None, instance=contact if request.method != "POST" else None)
    duplicates: list = []
    if request.method == "POST" and form.is_valid():
        saved, duplicates = _save_contact(request, form, contact)
        if saved is not None:
            messages.success(request, f"{saved.name} is saved.")
            return redirect("contacts:contact", pk=saved.pk)
        if duplicates:
            # Shown again with a warning; sending it once more creates the contact.
            data = request.POST.copy()
            data["confirm_duplicate"] = "on"
            form = ContactForm(data)
            form.is_valid()
    status = 400 if (form.errors or duplicates) else 200
    return render(
        request,
        "contacts/contact_form.html",
        {"form": form, "contact": contact, "duplicates": duplicates},
        status=status,
    )


@login_required
def contact_create(request: HttpRequest) -> HttpResponse:
    return _contact_form_page(request, None)


@login_required
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _contact_form_page(request, _owned_contact(request, pk))


@login_required
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _owned_contact(request, pk)
    context = {
        "contact": contact,
        **selectors.contact_history(contact=contact),
        "interaction_form": InteractionForm(zone=request.user.zone),
    }
    return render(request, "contacts/contact_detail.html", context)


@login_required
def contact_delete(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _owned_contact(request, pk)
    if request.method == "POST":
        services.contact_delete(contact=contact)
        messages.success(
            request, f"{contact.name} is deleted. Interviews they took part in still show their name."
        )
        return redirect("contacts:contacts")
    return render(
        request,
        "contacts/contact_delete.html",
        {"contact": contact, **selectors.contact_history(contact=contact)},
    )


@login_required
def contact_vcard(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _owned_contact(request, pk)
    response = HttpResponse(build_vcard(contact), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(contact.name) or "contact"}.vcf"'
    return response


def _log_interaction(request: HttpRequest, *, contact: Contact | None, application: Application | None):
    form = InteractionForm(request.POST, zone=request.user.zone)
    if not form.is_valid():
        return form, None
    try:
        interaction = services.interaction_log(
            owner=request.user, contact=contact, application=application, **form.service_fields()
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return form, None
    return form, interaction


@login_required
@require_POST
def interaction_create(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _owned_contact(request, pk)
    application = None
    if request.POST.get("application"):
        application = get_object_or_404(
            Application.objects.for_user(request.user), pk=posted_id(request.POST["application"])
        )
    form, interaction = _log_interaction(request, contact=contact, application=application)
    if interaction is None:
        context = {"contact": contact, **selectors.contact_history(contact=contact), "interaction_form": form}
        return render(request, "contacts/contact_detail.html", context, status=400)
    messages.success(request, "Logged.")
    return redirect("contacts:contact", pk=contact.pk)


@login_required
def application_interaction_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Log a call, an email or feedback on an application (from the recruiter, usually)."""
    application = get_object_or_404(
        Application.objects.for_user(request.user).select_related("company"), pk=pk
    )
    people = Contact.objects.for_user(request.user).filter(application_links__application=application)
    form = InteractionForm(zone=request.user.zone)
    if request.method == "POST":
        contact = None
        if request.POST.get("contact"):
            contact = get_object_or_404(
                Contact.objects.for_user(request.user), pk=posted_id(request.POST["contact"])
            )
        form, interaction = _log_interaction(request, contact=contact, application=application)
        if interaction is not None:
            messages.success(request, "Logged on the application's history.")
            return redirect("pipeline:application_detail", pk=application.pk)
    context = {"application": application, "form": form, "people": people}
    return render(request, "contacts/interaction_form.html", context, status=400 if form.errors else 200)


# --- People on an application or an interview (htmx partials; plain forms too) ----------


@login_required
def contact_suggest(request: HttpRequest) -> HttpResponse:
    """Who a name typed in a people picker may be (htmx fills the box's <datalist>)."""
    typed = request.GET.get("contact_name", "")[:400]
    names = selectors.contact_labels_like(user=request.user, typed=typed)
    return render(request, "components/_suggestions.html", {"names": names})


def _attach_from_post(request: HttpRequest, attach) -> dict | None:
    """Attach the person a people form names: someone new (quick add) or a contact.

    Returns the form's errors, or None when the person was attached.
    """
    if request.POST.get("action") == "create":
        form = QuickContactForm(request.POST)
        if form.is_valid():
            try:
                attach(services.contact_create(owner=request.user, **form.cleaned_data))
            except ValidationError as error:
                # The model's own checks (an address longer than it can store) answer like the form's.
                add_service_errors(form, error)
            else:
                return None
    else:
        form = AttachContactForm(request.POST, user=request.user)
        if form.is_valid():
            attach(form.cleaned_data["contact"])
            return None
    return form.errors


def _people_page(request: HttpRequest, context: dict, back: str) -> HttpResponse:
    """The people partial for htmx (and GET); a redirect back for a plain form post.

    A refusal in a plain post of something typed (someone new, or a name typed in place of the
    menu) gets a page of its own instead, with the error and the text as typed: a redirect would
    lose them. A contact chosen from the menu has nothing typed to lose, so its refusal goes
    back with the reason.
    """
    status = 400 if context.get("form_errors") else 200
    typed = request.POST.get("action") == "create" or request.POST.get("contact_name", "").strip()
    if request.method == "POST" and not request.htmx:
        if status == 400 and typed:
            return render(request, "contacts/people.html", {**context, "back": back}, status=status)
        if status == 400:
            problems = "; ".join(error for errors in context["form_errors"].values() for error in errors)
            messages.error(request, f"That person was not added: {problems}")
        return redirect(back)
    return render(request, "contacts/_people.html", context, status=status)


@login_required
def application_people(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(
        Application.objects.for_user(request.user).select_related("company"), pk=pk
    )
    errors = None
    if request.method == "POST":
        errors = _attach_from_post(
            request,
            lambda contact: services.application_add_contact(application=application, contact=contact),
        )
    context = {"target": application, "target_kind": "application", "form_errors": errors}
    return _people_page(
        request, context, reverse("pipeline:application_detail", args=[application.pk]) + "#people"
    )


@login_required
@require_POST
def application_person_remove(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    application = get_object_or_404(Application.objects.for_user(request.user), pk=pk)
    services.application_remove_contact(application=application, contact=_owned_contact(request, contact_pk))
    context = {"target": application, "target_kind": "application"}
    return _people_page(
        request, context, reverse("pipeline:application_detail", args=[application.pk]) + "#people"
    )


@login_required
def interview_people(request: HttpRequest, pk: int) -> HttpResponse:
    interview = get_object_or_404(
        Interview.objects.for_user(request.user).select_related("application__company"), pk=pk
    )
    errors = None
    if request.method == "POST" and request.POST.get("action") == "remove":
        participant = get_object_or_404(
            InterviewParticipant.objects.filter(interview=interview),
            pk=posted_id(request.POST.get("participant")),
        )
        services.interview_remove_participant(participant=participant)
    elif request.method == "POST":
        errors = _attach_from_post(
            request, lambda contact: services.interview_add_participant(interview=interview, contact=contact)
        )
    context = {"target": interview, "target_kind": "interview", "form_errors": errors}
    back = (
        reverse("pipeline:application_detail", args=[interview.application_id]) + f"#interview-{interview.pk}"
    )
    return _people_page(request, context, back)
