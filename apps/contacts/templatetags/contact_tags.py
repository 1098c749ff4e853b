"""People pieces shown on other apps' pages (the application page, the interview form)."""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from apps.contacts import selectors
from apps.contacts.models import Contact, ContactKind

register = template.Library()


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    contact: Contact | None
    participant_id: int | None = None


@register.simple_tag
def people_of(target, target_kind: str) -> list[Person]:
    # .all() uses what the page prefetched (participants__contact, contact_links__contact).
    if target_kind == "interview":
        return [Person(p.name, p.get_role_display(), p.contact, p.pk) for p in target.participants.all()]
    return [
        Person(link.contact.name, link.get_role_display(), link.contact)
        for link in target.contact_links.all()
    ]


@register.simple_tag(takes_context=True)
def your_contacts(context: template.Context) -> list[Contact] | None:
    """The user's contacts for the pickers, or None when they know too many for a menu (the pickers
    then take a typed name). One query per request however many pickers a page has."""
    request = context["request"]
    if not hasattr(request, "_your_contacts"):
        request._your_contacts = selectors.contacts_for_picker(user=request.user)
    return request._your_contacts


@register.simple_tag
def contact_kinds() -> list[tuple[str, str]]:
    return list(ContactKind.choices)
