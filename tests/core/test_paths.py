"""`{% path_of %}` gives the very address `{% url %}` does, only faster."""

import pytest
from django.template import TemplateSyntaxError, engines
from django.urls import reverse, set_script_prefix

ROUTES = [
    "pipeline:application_detail",
    "pipeline:application_move",
    "reminders:action",
    "journal:reflection",
]


def render(text: str, **context) -> str:
    return engines["django"].from_string("{% load paths %}" + text).render(context)


@pytest.mark.parametrize("name", ROUTES)
@pytest.mark.parametrize("pk", [1, 7, 98765, 9_876_543_210])
def test_it_gives_the_address_reverse_gives(name, pk):
    assert render("{% path_of name pk %}", name=name, pk=pk) == reverse(name, args=[pk])


def test_it_follows_the_prefix_the_site_is_served_under():
    try:
        set_script_prefix("/tracker/")
        under_prefix = render("{% path_of 'pipeline:application_detail' 5 %}")
    finally:
        set_script_prefix("/")

    assert under_prefix == "/tracker/applications/5/"
    assert render("{% path_of 'pipeline:application_detail' 5 %}") == "/applications/5/"


@pytest.mark.parametrize("pk", ["5/../../admin", "", None])
def test_anything_but_an_id_is_refused_rather_than_put_in_an_address(pk):
    with pytest.raises((ValueError, TypeError, TemplateSyntaxError)):
        render("{% path_of 'pipeline:application_detail' pk %}", pk=pk)
