from django.http import Http404


def _pending(request, **kwargs):
    raise Http404


contact_list = contact_create = contact_quick_add = contact_detail = contact_edit = contact_delete = _pending
contact_vcard = interaction_create = application_people = application_person_remove = _pending
interview_people = application_interaction_create = _pending
