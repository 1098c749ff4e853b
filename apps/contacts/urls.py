from django.urls import path

from apps.contacts import urls_debrief, urls_references, urls_thank_you
from apps.contacts.views import contacts

app_name = "contacts"

urlpatterns = [
    path("contacts/", contacts.contact_list, name="contacts"),
    path("contacts/new/", contacts.contact_create, name="contact_create"),
    path("contacts/suggest/", contacts.contact_suggest, name="suggest"),
    path("contacts/<int:pk>/", contacts.contact_detail, name="contact"),
    path("contacts/<int:pk>/edit/", contacts.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/delete/", contacts.contact_delete, name="contact_delete"),
    path("contacts/<int:pk>.vcf", contacts.contact_vcard, name="contact_vcard"),
    path("contacts/<int:pk>/interactions/new/", contacts.interaction_create, name="interaction_create"),
    path("applications/<int:pk>/people/", contacts.application_people, name="application_people"),
    path(
        "applications/<int:pk>/people/<int:contact_pk>/remove/",
        contacts.application_person_remove,
        name="application_person_remove",
    ),
    path("interviews/<int:pk>/people/", contacts.interview_people, name="interview_people"),
    path(
        "applications/<int:pk>/interactions/new/",
        contacts.application_interaction_create,
        name="application_interaction_create",
    ),
    *urls_debrief.urlpatterns,
    *urls_references.urlpatterns,
    *urls_thank_you.urlpatterns,
]
