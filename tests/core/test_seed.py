"""`manage.py seed_demo`: exact sizes for the heavy user, a demo account that works, repeatable runs."""

from __future__ import annotations

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.time_zones import is_valid_time_zone
from apps.contacts.models import ApplicationReference, Contact, Interaction
from apps.core import seed
from apps.journal.models import Reflection
from apps.pipeline.models import Application, Interview, StageChange
from apps.prep.models import PrepPlan
from apps.reminders.models import Kind, Reminder, Status

pytestmark = pytest.mark.django_db

HEAVY = "x@example.com"
SMALL_SIZES = {"applications": 50, "interviews": 120, "reflections": 80, "contacts": 30, "reminders": 300}
PAGES = ["/", "/applications/board/", "/applications/", "/journal/", "/contacts/", "/reminders/"]


def seed_demo(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def small_heavy(*extra: str) -> str:
    sizes = [part for name, value in SMALL_SIZES.items() for part in (f"--{name}", str(value))]
    return seed_demo("--heavy", HEAVY, *sizes, *extra)


def counts_for(user: User) -> dict[str, int]:
    return {
        "applications": Application.objects.for_user(user).count(),
        "interviews": Interview.objects.for_user(user).count(),
        "reflections": Reflection.objects.for_user(user).count(),
        "contacts": Contact.objects.for_user(user).count(),
        "reminders": Reminder.objects.for_user(user).count(),
    }


def test_heavy_user_gets_exactly_the_sizes_asked_for_and_nobody_else_gets_anything(owner):
    output = small_heavy()

    heavy = User.objects.get(email=HEAVY)
    assert counts_for(heavy) == SMALL_SIZES
    assert counts_for(owner) == dict.fromkeys(SMALL_SIZES, 0)
    assert Application.objects.count() == SMALL_SIZES["applications"]
    assert Reminder.objects.count() == SMALL_SIZES["reminders"]
    assert "created in" in output


def test_heavy_users_data_hangs_together():
    small_heavy()
    heavy = User.objects.get(email=HEAVY)
    applications = Application.objects.for_user(heavy)

    # Every application's history starts with a first step and ends in its current stage.
    for application in applications.prefetch_related("stage_changes"):
        history = list(application.stage_changes.all())
        assert history[0].from_stage == ""
        assert history[-1].to_stage == application.stage
    assert StageChange.objects.for_user(heavy).count() >= SMALL_SIZES["applications"]
    # Nothing dated in the future except what is genuinely coming up.
    now = timezone.now()
    assert not applications.filter(created_at__gt=now).exists()
    assert not Interaction.objects.for_user(heavy).filter(happened_at__gt=now).exists()
    reminders = Reminder.objects.for_user(heavy)
    assert reminders.values("kind").distinct().count() >= 5
    assert reminders.values("status").distinct().count() >= 4
    assert not reminders.filter(status__in=[Status.DONE, Status.DISMISSED], closed_at__isnull=True).exists()
    assert reminders.filter(kind=Kind.NUDGE).exists()
    assert Contact.objects.for_user(heavy).filter(application_links__isnull=False).exists()
    assert EmailAddress.objects.filter(user=heavy, verified=True, primary=True).exists()


def test_an_existing_heavy_user_is_kept_unless_replaced():
    small_heavy()
    first_ids = set(Application.objects.values_list("pk", flat=True))

    kept = small_heavy()
    assert "kept" in kept
    assert set(Application.objects.values_list("pk", flat=True)) == first_ids

    small_heavy("--replace")
    assert User.objects.filter(email=HEAVY).count() == 1
    assert Application.objects.count() == SMALL_SIZES["applications"]
    assert not Application.objects.filter(pk__in=first_ids).exists()


def test_more_reflections_than_interviews_is_refused():
    with pytest.raises(CommandError, match="reflection"):
        seed_demo("--heavy", HEAVY, "--applications", "5", "--interviews", "3", "--reflections", "4")
    assert not User.objects.filter(email=HEAVY).exists()


def test_nothing_asked_for_is_an_error():
    with pytest.raises(CommandError):
        seed_demo()


def test_heavy_users_pages_render():
    small_heavy()
    client = Client()
    client.force_login(User.objects.get(email=HEAVY))
    application = Application.objects.first()

    for url in [*PAGES, f"/applications/{application.pk}/"]:
        assert client.get(url).status_code == 200, url


def test_demo_account_can_log_in_and_its_pages_render():
    seed_demo("--demo")
    client = Client()

    assert client.login(email=seed.DEMO_EMAIL, password=seed.DEFAULT_PASSWORD)
    for url in PAGES:
        assert client.get(url).status_code == 200, url
    round_two = Interview.objects.get(application__company__name="Brightwater Health", round_number=2)
    brief = client.get(f"/interviews/{round_two.pk}/prep/").content.decode()
    # Round one's reflection says the billing story was told to Daniel, who is on this panel too.
    assert "Moving billing off the legacy system" in brief and "already told" in brief


def test_demo_tells_a_believable_story():
    seed_demo("--demo")
    demo = User.objects.get(email=seed.DEMO_EMAIL)
    now = timezone.now()

    applications = Application.objects.for_user(demo)
    assert 10 <= applications.count() <= 14
    assert applications.filter(stage__in=["rejected", "withdrawn", "no_reply"]).count() >= 2
    interviews = Interview.objects.for_user(demo)
    assert interviews.filter(starts_at__gt=now, starts_at__lt=now + seed.DAY * 7).count() >= 3
    assert Reflection.objects.for_user(demo).exclude(good_signs=[]).exists()
    assert demo.lessons.exists()
    plan = PrepPlan.objects.get(
        interview__round_number=2, interview__application__owner=demo, interview__starts_at__gt=now
    )
    assert set(plan.areas) == {"interest", "skills", "fit", "reservations", "availability"}
    assert plan.questions_to_ask.count() >= 3
    assert plan.research.exists()
    assert plan.plan_stories.exists()
    assert Contact.objects.for_user(demo).filter(kind="referee").count() >= 2
    assert ApplicationReference.objects.for_user(demo).exists()
    assert Interaction.objects.for_user(demo).filter(is_debrief=True).exists()
    # The services scheduled reminders as they would for a person: some due now, some coming.
    reminders = Reminder.objects.for_user(demo)
    assert reminders.filter(due_at__lte=now, status=Status.PENDING).exists()
    assert reminders.filter(due_at__gt=now, status=Status.PENDING).exists()


def test_running_demo_twice_leaves_one_demo_account():
    seed_demo("--demo")
    second = seed_demo("--demo")

    assert User.objects.filter(email=seed.DEMO_EMAIL).count() == 1
    assert "Replaced" in second
    demo = User.objects.get(email=seed.DEMO_EMAIL)
    assert Application.objects.count() == Application.objects.for_user(demo).count()


def test_ordinary_users_each_get_a_small_pipeline_and_can_log_in():
    seed_demo("--users", "3")

    users = User.objects.filter(email__in=[f"user{n}@example.com" for n in (1, 2, 3)])
    assert users.count() == 3
    for user in users:
        assert Application.objects.for_user(user).exists()
        assert is_valid_time_zone(user.time_zone)
        assert EmailAddress.objects.filter(user=user, verified=True, primary=True).exists()
    assert Client().login(email="user2@example.com", password=seed.DEFAULT_PASSWORD)


def test_ordinary_users_are_topped_up_not_duplicated():
    seed_demo("--users", "2")
    output = seed_demo("--users", "3")

    assert User.objects.filter(email__startswith="user").count() == 3
    assert "1 new of 3" in output


def test_time_zone_mix_lists_only_zones_the_app_accepts():
    assert all(is_valid_time_zone(zone) for zone, _ in seed.TIME_ZONES)
