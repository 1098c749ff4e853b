"""Tags, a star, and doing one thing to several applications at once."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from apps.core.models import DeletedItem
from apps.pipeline import services
from apps.pipeline.models import Application, Stage, StageChange, Tag
from tests.helpers import count_queries
from tests.pipeline.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

LIST = reverse("pipeline:application_list")
BULK = reverse("pipeline:applications_bulk")


def make(owner, company, **fields):
    return services.application_create(owner=owner, company_name=company, role_title="Engineer", **fields)


# --- Tags -------------------------------------------------------------------------------------


def test_tags_typed_with_commas_are_tidied_and_shared_whatever_their_case(owner):
    first = make(owner, "Acme", tags=["Remote", " fintech ", "remote"])
    second = make(owner, "Globex", tags=["REMOTE"])

    assert sorted(first.tags.values_list("name", flat=True)) == ["Remote", "fintech"]
    assert list(second.tags.values_list("name", flat=True)) == ["Remote"]
    assert Tag.objects.filter(owner=owner).count() == 2


def test_a_tag_too_long_or_too_many_is_refused_with_the_reason(owner):
    application = make(owner, "Acme")

    with pytest.raises(Exception, match="under 40 characters"):
        services.application_set_tags(application=application, names=["x" * 41])
    with pytest.raises(Exception, match="Up to 12 tags"):
        services.application_set_tags(application=application, names=[f"t{n}" for n in range(13)])
    assert not application.tags.exists()


def test_the_add_and_edit_forms_keep_tags_and_star(visitors, owner):
    visitors.owner.post(
        reverse("pipeline:application_create"),
        {
            "company_name": "Acme",
            "role_title": "SRE",
            "stage": Stage.APPLIED,
            "tags": "remote, dream job",
            "starred": "on",
        },
    )
    application = Application.objects.get(owner=owner)
    edit = visitors.owner.get(reverse("pipeline:application_edit", args=[application.pk])).content.decode()

    assert application.starred
    assert sorted(application.tags.values_list("name", flat=True)) == ["dream job", "remote"]
    assert 'value="dream job, remote"' in edit  # in the order of their names


def test_the_list_filters_by_tag_and_by_star_and_shows_both(visitors, owner):
    make(owner, "Acme", tags=["remote"], starred=True)
    make(owner, "Globex", tags=["onsite"])
    make(owner, "Initech")

    by_tag = visitors.owner.get(LIST, {"tag": "REMOTE", "columns": ["role", "tags"]}).content.decode()
    starred = visitors.owner.get(LIST, {"starred": "on"}).content.decode()

    assert "Acme" in by_tag and "Globex" not in by_tag and "Initech" not in by_tag
    assert 'class="badge rounded-pill text-bg-light tag">remote<' in by_tag
    assert "Acme" in starred and "Globex" not in starred
    assert 'aria-label="Starred">★' in starred


def test_tags_cost_the_list_one_query_however_many_rows(visitors, owner, stranger):
    for number in range(3):
        make(stranger, f"S{number}", tags=["a", "b"])
    for number in range(40):
        make(owner, f"O{number}", tags=["a", "b", f"c{number}"])

    assert count_queries(visitors.stranger, LIST + "?columns=tags") == count_queries(
        visitors.owner, LIST + "?columns=tags"
    )


def test_starring_from_the_application_page(visitors, owner):
    application = make(owner, "Acme")
    star = reverse("pipeline:application_star", args=[application.pk])

    visitors.owner.post(star, {"starred": "on"})
    application.refresh_from_db()
    assert application.starred
    visitors.owner.post(star, {})
    application.refresh_from_db()
    assert not application.starred
    assert visitors.stranger.post(star, {"starred": "on"}).status_code == 404


# --- Several at once --------------------------------------------------------------------------


def bulk(client, ids, action, **fields):
    return client.post(BULK, {"ids": ids, "action": action, "next": f"{LIST}?stage=active", **fields})


def test_moving_several_keeps_each_ones_history_and_returns_to_the_list_as_filtered(visitors, owner):
    chosen = [make(owner, name) for name in ("A", "B")]
    other = make(owner, "C")

    answer = bulk(visitors.owner, [a.pk for a in chosen], "move", stage=Stage.SCREENING)

    assert answer["Location"] == f"{LIST}?stage=active"
    assert set(Application.objects.filter(stage=Stage.SCREENING).values_list("company__name", flat=True)) == {
        "A",
        "B",
    }
    assert StageChange.objects.filter(application__in=chosen, to_stage=Stage.SCREENING).count() == 2
    other.refresh_from_db()
    assert other.stage == Stage.APPLIED
    assert "Done (move to): 2 applications." in [str(m) for m in get_messages(answer.wsgi_request)]


def test_archive_star_and_tag_several(visitors, owner):
    chosen = [make(owner, name, tags=["old"]) for name in ("A", "B")]
    ids = [a.pk for a in chosen]

    bulk(visitors.owner, ids, "star")
    bulk(visitors.owner, ids, "tag", tag=" Follow up ")
    bulk(visitors.owner, ids, "archive")

    for application in Application.objects.filter(pk__in=ids):
        assert application.starred and application.archived
        assert sorted(application.tags.values_list("name", flat=True)) == ["Follow up", "old"]


def test_deleting_several_comes_back_as_one_with_undo(visitors, owner):
    chosen = [make(owner, name) for name in ("A", "B", "C")]

    answer = bulk(visitors.owner, [a.pk for a in chosen], "delete")

    item = DeletedItem.objects.get()
    assert not Application.objects.filter(owner=owner).exists()
    assert "Deleted 3 applications." in " ".join(str(m) for m in get_messages(answer.wsgi_request))
    restored = visitors.owner.post(reverse("deleted_item_restore", args=[item.pk]))
    assert restored["Location"] == LIST
    assert Application.objects.filter(owner=owner).count() == 3


def test_someone_elses_ids_are_passed_over_unseen(visitors, owner, stranger):
    mine = make(owner, "Mine")
    theirs = ApplicationFactory(owner=stranger)

    bulk(visitors.owner, [mine.pk, theirs.pk], "delete")

    assert Application.objects.filter(pk=theirs.pk).exists()
    assert not Application.objects.filter(pk=mine.pk).exists()


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"ids": [], "action": "archive"}, "Tick the applications to change first."),
        ({"action": "move", "stage": ""}, "Choose the stage to move them to."),
        ({"action": "explode"}, "Choose what to do with them."),
        ({"action": "tag", "tag": "  "}, "Type the one tag to add."),
        ({"ids": ["1; drop table", "x"], "action": "archive"}, "Tick the applications to change first."),
    ],
)
def test_a_bulk_request_that_makes_no_sense_says_why_and_changes_nothing(visitors, owner, fields, message):
    application = make(owner, "Acme")
    data = {"ids": [application.pk], "next": LIST, **fields}

    answer = visitors.owner.post(BULK, data)

    assert answer.status_code == 302
    assert message in " ".join(str(m) for m in get_messages(answer.wsgi_request))
    application.refresh_from_db()
    assert (application.stage, application.archived) == (Stage.APPLIED, False)


def test_the_list_offers_ticks_and_the_bulk_bar(visitors, owner):
    application = make(owner, "Acme")

    page = visitors.owner.get(LIST).content.decode()

    assert 'id="bulk-form"' in page
    assert f'name="ids" value="{application.pk}" form="bulk-form"' in page


# --- Export as filtered -----------------------------------------------------------------------


def exported_companies(client, query="") -> list[str]:
    answer = client.get(reverse("pipeline:export_csv") + query)
    lines = answer.content.decode("utf-8-sig").splitlines()[1:]
    return sorted(line.split(",")[0] for line in lines)


def test_export_takes_the_list_as_filtered_on_screen(visitors, owner):
    make(owner, "Acme", tags=["remote"])
    make(owner, "Globex")
    archived = make(owner, "Initech")
    services.application_set_archived(application=archived, archived=True)

    page = visitors.owner.get(LIST, {"tag": "remote"}).content.decode()

    export_link = '<a class="btn btn-outline-secondary" href="/applications/export.csv?tag=remote">'
    assert f"{export_link}Export these</a>" in page
    assert exported_companies(visitors.owner, "?tag=remote") == ["Acme"]
    # With no filter at all, every application, archived ones too, as before.
    assert exported_companies(visitors.owner) == ["Acme", "Globex", "Initech"]


def test_tagging_many_costs_the_same_queries_as_tagging_a_few(owner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(applications) -> int:
        with CaptureQueriesContext(connection) as captured:
            services.applications_bulk(
                owner=owner, ids=[a.pk for a in applications], action="tag", tag="batch"
            )
        return len(captured)

    few = [make(owner, f"F{n}") for n in range(3)]
    many = [make(owner, f"M{n}") for n in range(30)]
    queries(few[:1])  # the tag is made once, by the first

    assert queries(few) == queries(many)
    assert Application.objects.filter(tags__name="batch").count() == 33
