"""The reminders page a section at a time: a long search keeps every reminder in reach."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.reminders.models import Kind, Reminder, Status
from apps.reminders.selectors import CLOSED_LIMIT, LIST_LIMIT
from tests.pipeline.factories import ApplicationFactory, CompanyFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def make_reminders(owner, count: int, *, status=Status.PENDING, days_from_now: int = -1, start: int = 0):
    """`count` reminders a minute apart, each about an application named by its number."""
    company = CompanyFactory(owner=owner, name=f"Firm {status} {days_from_now}")
    base = timezone.now() + dt.timedelta(days=days_from_now)
    applications = ApplicationFactory.create_batch(count, owner=owner, company=company)
    rows = []
    for number, application in enumerate(applications, start=start):
        application.role_title = f"Role {number:04d}"
        application.save(update_fields=["role_title"])
        due = base + dt.timedelta(minutes=number)
        rows.append(
            Reminder(
                owner=owner,
                kind=Kind.FOLLOW_UP,
                due_at=due,
                next_try_at=due,
                application=application,
                status=status,
                closed_at=due if status in (Status.DONE, Status.DISMISSED) else None,
                dedupe_key=f"page-{status}-{days_from_now}-{number}",
            )
        )
    return Reminder.objects.bulk_create(rows)


def roles(html: str) -> list[str]:
    return re.findall(r"Role \d{4}", html)


def more_link(html: str) -> str:
    """The address of a section's "Show more" (the htmx one), unescaped."""
    found = re.search(r'hx-get="([^"]*section=[^"]*)"', html)
    return found.group(1).replace("&amp;", "&") if found else ""


def test_due_reminders_come_a_page_at_a_time_with_none_twice_and_none_missed(visitors):
    make_reminders(visitors.owner_user, LIST_LIMIT * 2 + 3)

    page = visitors.owner.get(reverse("reminders:reminders")).content.decode()
    seen = roles(page)
    link = more_link(page)
    while link:
        # Each "Show more" answers the next reminders of that section only, and its own button.
        part = visitors.owner.get(link, headers=HTMX).content.decode()
        assert "<h1" not in part
        seen += roles(part)
        link = more_link(part)

    assert seen == [f"Role {number:04d}" for number in range(LIST_LIMIT * 2 + 3)]


def test_the_first_page_of_a_section_stops_at_its_limit_and_offers_the_rest(visitors):
    make_reminders(visitors.owner_user, LIST_LIMIT + 1)

    page = visitors.owner.get(reverse("reminders:reminders")).content.decode()

    assert len(roles(page)) == LIST_LIMIT
    assert "Show more" in page


def test_a_short_section_has_no_show_more(visitors):
    make_reminders(visitors.owner_user, 3)

    page = visitors.owner.get(reverse("reminders:reminders")).content.decode()

    assert len(roles(page)) == 3
    assert "Show more" not in page


def test_without_script_show_more_opens_the_page_from_there_with_the_other_sections_from_their_top(
    visitors,
):
    make_reminders(visitors.owner_user, LIST_LIMIT + 2)
    make_reminders(visitors.owner_user, 2, days_from_now=3, start=500)
    first = visitors.owner.get(reverse("reminders:reminders")).content.decode()
    plain_link = re.search(r'href="(/reminders/\?section=due[^"#]*)', first).group(1).replace("&amp;", "&")

    page = visitors.owner.get(plain_link).content.decode()

    assert roles(page) == [f"Role {n:04d}" for n in (LIST_LIMIT, LIST_LIMIT + 1, 500, 501)]
    assert "Back to the first" in page


def test_each_section_pages_on_its_own(visitors):
    make_reminders(visitors.owner_user, CLOSED_LIMIT + 2, status=Status.DONE, days_from_now=-5, start=100)
    make_reminders(visitors.owner_user, LIST_LIMIT + 1, days_from_now=2, start=300)

    page = visitors.owner.get(reverse("reminders:reminders")).content.decode()
    links = re.findall(r'hx-get="([^"]*section=(\w+)[^"]*)"', page)
    closed_link = next(link for link, section in links if section == "closed").replace("&amp;", "&")
    closed_rest = roles(visitors.owner.get(closed_link, headers=HTMX).content.decode())

    assert {section for _, section in links} == {"upcoming", "closed"}
    # Recently done runs newest first: the rest are the two oldest.
    assert closed_rest == ["Role 0101", "Role 0100"]


def test_a_position_from_one_section_never_moves_another(visitors):
    make_reminders(visitors.owner_user, LIST_LIMIT + 2)
    page = visitors.owner.get(reverse("reminders:reminders")).content.decode()
    token = re.search(r"after=([^&\"#]+)", more_link(page)).group(1)

    # The due section's position handed to "coming up": that section starts from its top.
    answer = visitors.owner.get(
        f"{reverse('reminders:reminders')}?section=upcoming&after={token}", headers=HTMX
    )

    assert answer.status_code == 200
    assert roles(answer.content.decode()) == []


@pytest.mark.parametrize(
    "query", ["section=due&after=not-a-token", "section=nonsense", "section=closed&after=", "after=%FF%FE"]
)
def test_a_broken_position_starts_the_list_from_its_top(visitors, query):
    make_reminders(visitors.owner_user, 3)

    address = f"{reverse('reminders:reminders')}?{query}"
    page = visitors.owner.get(address)

    assert page.status_code == 200
    assert roles(page.content.decode())[:3] == ["Role 0000", "Role 0001", "Role 0002"]
    assert visitors.owner.get(address, headers=HTMX).status_code == 200


def test_someone_elses_position_shows_only_my_own_reminders(visitors):
    make_reminders(visitors.owner_user, LIST_LIMIT + 2)
    page = visitors.owner.get(reverse("reminders:reminders")).content.decode()

    answer = visitors.stranger.get(more_link(page), headers=HTMX).content.decode()

    assert roles(answer) == []


def test_the_page_costs_the_same_queries_for_thirty_reminders_as_for_three_hundred(visitors):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert visitors.owner.get(reverse("reminders:reminders")).status_code == 200
        return len(captured)

    make_reminders(visitors.owner_user, 10)
    make_reminders(visitors.owner_user, 10, status=Status.FAILED, days_from_now=-2, start=100)
    make_reminders(visitors.owner_user, 10, days_from_now=2, start=200)
    small = queries()
    make_reminders(visitors.owner_user, 90, start=1000, days_from_now=-3)
    make_reminders(visitors.owner_user, 90, status=Status.FAILED, days_from_now=-4, start=2000)
    make_reminders(visitors.owner_user, 90, days_from_now=4, start=3000)
    make_reminders(visitors.owner_user, 90, status=Status.DONE, days_from_now=-6, start=4000)

    assert queries() == small


def test_a_reminder_done_by_htmx_keeps_pointing_back_at_the_page_it_is_on(visitors):
    (reminder,) = make_reminders(visitors.owner_user, 1)

    answer = visitors.owner.post(
        reverse("reminders:action", args=[reminder.pk]),
        {"action": "done", "next": "/applications/"},
        headers=HTMX,
    ).content.decode()

    assert 'name="next" value="/applications/"' in answer
    assert 'value="reopen"' in answer
