from django.http import Http404


def _pending(request, **kwargs):
    raise Http404


brief = brief_print = brief_part = _pending
