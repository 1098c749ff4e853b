from django.http import Http404

# Being written; interim so that the URLs import.
application_list = board = application_create = application_detail = application_edit = None
application_move = application_archive = None


def _pending(request, **kwargs):
    raise Http404


application_list = board = application_create = application_detail = application_edit = _pending
application_move = application_archive = _pending
