import re
from html import unescape

import pytest
from django.urls import reverse

from apps.decide.models import DecisionWeights
from apps.pipeline.models import Stage
from tests.decide.factories import DecisionWeightsFactory, candidate
from tests.helpers import assert_redirects_to_login, count_queries
from tests.pipeline.factories import ApplicationFactory, CompanyFactory

pytestmark = pytest.mark.django_db

URL = reverse("decide:compare")
HTMX = {"HX-Request": "true"}
WEIGHTS = {"job": "3", "company": "3", "manager": "3", "gut": "3"}


def _text(response) -> str:
    """The page as a person reads it: tags gone, entities decoded, spaces squeezed."""
    html = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(unescape(html).split())


@pytest.fixture
def two_offers(owner):
    acme = candidate(
        owner,
        "Acme",
        {"job_score": 3, "manager_score": 5, "manager_note": "She gave straight answers about the reorg"},
        salary_min=50000,
        salary_max=60000,
        salary_currency="GBP",
    )
    globex = candidate(
        owner,
        "Globex",
        {"job_score": 5, "job_note": "The platform team is where I want to be", "manager_score": 2},
    )
    return acme, globex


def test_the_owner_sees_their_comparison_a_stranger_sees_none_of_it_and_a_visitor_is_sent_to_log_in(
    visitors, two_offers
):
    assert_redirects_to_login(visitors.anonymous.get(URL))
    assert_redirects_to_login(visitors.anonymous.post(URL, WEIGHTS))

    theirs = visitors.stranger.get(URL)
    mine = visitors.owner.get(URL)

    assert theirs.status_code == 200
    assert "Acme" not in theirs.content.decode()
    assert "Nothing to choose between yet" in _text(theirs)
    assert mine.status_code == 200
    assert "Acme" in mine.content.decode() and "Globex" in mine.content.decode()


def test_the_page_says_who_leads_and_why_in_the_persons_own_words(visitors, two_offers):
    page = _text(visitors.owner.get(URL))

    # Equal weights: Acme (3 + 5) / 2 = 4.0, Globex (5 + 2) / 2 = 3.5; the manager gives Acme its lead.
    assert (
        "Acme leads on your weights (4.0 vs 3.5 for Globex), mostly on the manager (5 vs 2): "
        "She gave straight answers about the reorg"
    ) in page
    assert "50,000\N{EN DASH}60,000 GBP" in page
    assert "Salary not known" in page
    assert "Leads on your weights" in page


def test_saving_weights_without_javascript_redirects_back_with_the_new_leader(visitors, two_offers):
    response = visitors.owner.post(URL, {"job": "5", "company": "3", "manager": "1", "gut": "3"})

    assert response.status_code == 302
    assert response["Location"] == URL
    page = _text(visitors.owner.get(URL))
    assert "Your weights are saved." in page
    # Globex (5 x 5 + 1 x 2) / 6 = 4.5, Acme (5 x 3 + 1 x 5) / 6 = 3.3.
    assert (
        "Globex leads on your weights (4.5 vs 3.3 for Acme), mostly on the job (5 vs 3): "
        "The platform team is where I want to be"
    ) in page
    saved = DecisionWeights.objects.get(owner=visitors.owner_user)
    assert (saved.job, saved.company, saved.manager, saved.gut) == (5, 3, 1, 3)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({"job": "7"}, "Give a whole number from 0 to 5."),
        ({"job": "-1"}, "Give a whole number from 0 to 5."),
        ({"job": "lots"}, "Give a whole number from 0 to 5."),
        ({"job": "2.5"}, "Give a whole number from 0 to 5."),
        ({"job": ""}, "Give a weight for the job, from 0 to 5."),
        (
            {"job": "0", "company": "0", "manager": "0", "gut": "0"},
            "Give at least one question a weight of 1 or more.",
        ),
    ],
)
def test_bad_weights_are_refused_on_the_page_keeping_what_was_typed(visitors, two_offers, typed, message):
    DecisionWeightsFactory(owner=visitors.owner_user, job=2)
    sent = {**WEIGHTS, "manager": "4", **typed}

    response = visitors.owner.post(URL, sent)

    assert response.status_code == 400
    assert message in _text(response)
    html = response.content.decode()
    assert f'name="job" id="id_job" value="{sent["job"]}"' in html
    assert 'name="manager" id="id_manager" value="{}"'.format(sent["manager"]) in html
    # The table stays on the saved weights, and nothing changed.
    assert "Acme" in html
    assert DecisionWeights.objects.get(owner=visitors.owner_user).job == 2


def test_an_htmx_update_sends_the_table_with_the_sentence_and_the_form_out_of_band(visitors, two_offers):
    response = visitors.owner.post(
        URL, {"job": "5", "company": "3", "manager": "1", "gut": "3"}, headers=HTMX
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="comparison"')
    assert 'id="decide-verdict"' in html and 'id="decide-weights"' in html
    assert html.count('hx-swap-oob="true"') == 2
    assert "Globex leads on your weights" in _text(response)
    assert response["HX-Push-Url"] == URL


def test_a_refused_htmx_update_swaps_in_the_form_with_its_error(visitors, two_offers):
    response = visitors.owner.post(URL, {**WEIGHTS, "gut": "9"}, headers=HTMX)

    assert response.status_code == 400
    assert response["HX-Retarget"] == "#decide-weights"
    assert response["HX-Reswap"] == "outerHTML"
    html = response.content.decode()
    assert html.lstrip().startswith('<form id="decide-weights"')
    assert 'value="9"' in html
    assert "Give a whole number from 0 to 5." in _text(response)
    assert not DecisionWeights.objects.exists()


def test_an_htmx_get_is_answered_with_the_table_alone(visitors, two_offers):
    response = visitors.owner.get(URL, headers=HTMX)

    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<div id="comparison"')
    assert "<nav" not in response.content.decode()


def test_with_nothing_at_the_last_stages_the_page_says_which_stages_show_and_links_to_the_board(visitors):
    candidate(visitors.owner_user, "Acme", {"job_score": 4}, stage=Stage.SECOND_INTERVIEW)

    response = visitors.owner.get(URL)

    page = _text(response)
    assert "Nothing to choose between yet" in page
    assert "Final round, Reference check, Offer or Accepted" in page
    assert f'href="{reverse("pipeline:board")}"' in response.content.decode()
    assert 'id="decide-weights"' not in response.content.decode()


def test_one_candidate_says_there_is_nothing_to_weigh_it_against(visitors):
    candidate(visitors.owner_user, "Acme", {"job_score": 4}, stage=Stage.FINAL_ROUND)

    page = _text(visitors.owner.get(URL))

    assert "Only Acme is at the final round or later, so there is nothing to weigh it against yet" in page
    assert "On your weights it scores 4.0 of 5." in page


def test_an_application_without_a_reflection_says_so_instead_of_showing_zeros(visitors, two_offers):
    ApplicationFactory(
        owner=visitors.owner_user,
        company=CompanyFactory(owner=visitors.owner_user, name="Initech"),
        stage=Stage.OFFER,
    )

    page = _text(visitors.owner.get(URL))

    assert "No reflection yet" in page
    assert "Not counted yet: Initech (no reflection yet)." in page
    assert " 0 of 5" not in page


def test_with_more_than_three_the_person_ticks_which_to_compare(visitors, two_offers):
    initech = candidate(visitors.owner_user, "Initech", {"job_score": 1})
    umbrella = candidate(visitors.owner_user, "Umbrella", {"job_score": 2})

    page = visitors.owner.get(URL).content.decode()
    assert page.count('type="checkbox" name="compare"') == 4
    assert page.count(" checked>") == 4

    response = visitors.owner.post(URL, {**WEIGHTS, "choosing": "on", "compare": [initech.pk, umbrella.pk]})
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?compare={initech.pk}&compare={umbrella.pk}"

    chosen = visitors.owner.get(response["Location"])
    table = chosen.content.decode().split('id="comparison"')[1]
    assert "Initech" in table and "Umbrella" in table
    assert "Acme" not in table and "Globex" not in table
    assert "Umbrella leads on your weights (2.0 vs 1.0 for Initech)" in _text(chosen)


def test_ticking_none_is_refused_and_keeps_the_weights_typed(visitors, two_offers):
    for name in ("Initech", "Umbrella"):
        candidate(visitors.owner_user, name, {"job_score": 1})

    response = visitors.owner.post(URL, {**WEIGHTS, "job": "4", "choosing": "on"})

    assert response.status_code == 400
    assert "Tick at least one application to compare." in _text(response)
    assert 'name="job" id="id_job" value="4"' in response.content.decode()
    assert " checked>" not in response.content.decode()


def test_someone_elses_application_in_the_address_or_the_form_shows_nothing_of_theirs(visitors, two_offers):
    theirs = candidate(visitors.stranger_user, "Hooli", {"job_score": 5})

    shown = visitors.owner.get(f"{URL}?compare={theirs.pk}")
    posted = visitors.owner.post(URL, {**WEIGHTS, "choosing": "on", "compare": [theirs.pk]}, headers=HTMX)

    for response in (shown, posted):
        assert response.status_code == 200
        assert "Hooli" not in response.content.decode()
        assert "Acme" in response.content.decode()


def test_a_malformed_id_is_a_clear_error_not_a_server_error(visitors, two_offers):
    response = visitors.owner.post(URL, {**WEIGHTS, "compare": ["1; drop table"]})

    assert response.status_code == 400
    assert "Tick the applications from the list." in _text(response)


def test_notes_are_shown_as_text_never_as_markup(visitors):
    candidate(
        visitors.owner_user, "Acme", {"manager_score": 5, "manager_note": "<script>alert(1)</script> great"}
    )
    candidate(visitors.owner_user, "Globex", {"manager_score": 1})

    html = visitors.owner.get(URL).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; great" in html


def test_the_navigation_links_to_the_page(visitors):
    html = visitors.owner.get(reverse("home")).content.decode()

    assert f'href="{URL}"' in html


def test_the_page_costs_the_same_queries_with_two_applications_or_many(visitors):
    owner = visitors.owner_user
    candidate(owner, "Acme", {"job_score": 4, "job_note": "fine"})
    candidate(owner, "Globex", {"job_score": 3})
    small = count_queries(visitors.owner, URL)

    for number in range(10):
        candidate(
            owner, f"Company {number}", *[{"job_score": 3, "gut_note": "hm", "good_signs": ["ran_long"]}] * 3
        )
    DecisionWeightsFactory(owner=owner)
    large = count_queries(visitors.owner, URL)

    assert small == large


def test_a_tie_is_said_as_a_tie(visitors):
    candidate(visitors.owner_user, "Acme", {"job_score": 5, "manager_score": 3})
    candidate(visitors.owner_user, "Globex", {"job_score": 3, "manager_score": 5})

    page = _text(visitors.owner.get(URL))

    assert "Acme and Globex are level on your weights (4.0 each)." in page
    assert "Leads on your weights" not in page


def test_a_question_weighted_0_is_left_out_and_a_score_only_there_does_not_count(visitors):
    DecisionWeightsFactory(owner=visitors.owner_user, job=3, company=3, manager=0, gut=3)
    candidate(visitors.owner_user, "Acme", {"job_score": 4})
    candidate(visitors.owner_user, "Globex", {"manager_score": 5})

    page = _text(visitors.owner.get(URL))

    assert "What did I make of my potential manager? · weight 0, left out" in page
    assert "Nothing scored yet on the questions you weigh" in page
    assert "Acme is the only one with scores so far (4.0 on your weights)" in page
    assert "Not counted yet: Globex (nothing scored on the questions you weigh)." in page


def test_absurd_values_in_the_address_or_the_form_are_never_a_server_error(visitors, two_offers):
    huge = "9" * 5000

    shown = visitors.owner.get(f"{URL}?compare={huge}&compare=-1&compare=abc")
    posted = visitors.owner.post(URL, {**WEIGHTS, "job": huge})

    assert shown.status_code == 200
    assert "Acme" in shown.content.decode()
    assert posted.status_code == 400
    assert "Give a whole number from 0 to 5." in _text(posted)
