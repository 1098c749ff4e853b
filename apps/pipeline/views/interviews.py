from django.http import Http404


def _pending(request, **kwargs):
    raise Http404


interview_create = interview_edit = interview_cancel = _pending
