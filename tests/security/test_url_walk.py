"""Walk every URL pattern in the URLconf as a stranger and as a logged-out visitor.

Each pattern is sorted into exactly one group:

- OBJECT_ROUTES take the id of someone's object. The walk fills them with the
  victim's objects (and, where a route takes two ids, mixes in the attacker's
  own): the signed-in stranger must get a 404 whatever the method, with or
  without htmx, and nothing may change; a visitor is sent to log in.
- Routes without parameters (lists, forms that create, settings) and
  SELF_SCOPED routes act on the signed-in person's own data only: the stranger
  never sees the victim's marker there, and a visitor is sent to log in.
- PUBLIC routes are open to anyone on purpose, each with its reason.
- TOKEN_ROUTES are opened by a secret in the address (the calendar feed, the
  one-click reminder links): a wrong token is refused, never a server error.
- The admin is for staff only.

Static files are served by WhiteNoise before the URLconf is consulted, so they
are not patterns here; they are public by nature.

A new pattern with parameters the walk cannot fill fails
`test_the_walk_knows_how_to_fill_every_url_pattern`: add it to a group below.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.prep.guide import PRACTICE_QUESTIONS
from apps.reminders import links
from apps.reminders.models import Reminder, Status
from tests.helpers import Visitors
from tests.security.world import World

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
# Each request is tried both ways: htmx views branch on the header.
HEADER_SETS: tuple[dict[str, str], ...] = ({}, HTMX)

# --- The URLconf, flattened ---------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One URL pattern with the patterns of the includes it sits in."""

    pieces: tuple[str, ...]
    name: str
    params: tuple[str, ...]

    @property
    def pattern(self) -> str:
        return "".join(self.pieces)

    @property
    def label(self) -> str:
        return f"{self.name or '(unnamed)'} {self.pattern}"

    def url(self, **values: object) -> str:
        """The path with each parameter replaced by its value (quoted), for routes and regexes alike."""
        assert set(values) == set(self.params), f"{self.label} takes {self.params}, got {sorted(values)}"

        def value(name: str) -> str:
            return quote(str(values[name]), safe="-_.~:")

        path = ""
        for piece in self.pieces:
            piece = re.sub(r"<(?:\w+:)?(\w+)>", lambda match: value(match[1]), piece)
            piece = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda match: value(match[1]), piece)
            path += piece.removeprefix("^").removesuffix("$")
        return "/" + path


def _params(entry: URLPattern | URLResolver) -> tuple[str, ...]:
    converters = getattr(entry.pattern, "converters", {})
    groups = entry.pattern.regex.groupindex
    return tuple(dict.fromkeys([*converters, *groups]))


def _walk(resolver: URLResolver, pieces: tuple[str, ...] = (), namespace: str = "") -> Iterator[Route]:
    for entry in resolver.url_patterns:
        piece = str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace) if part)
            for route in _walk(entry, (*pieces, piece), inner):
                yield Route(route.pieces, route.name, (*_params(entry), *route.params))
        else:
            name = f"{namespace}:{entry.name or ''}" if namespace else entry.name or ""
            yield Route((*pieces, piece), name, _params(entry))


ROUTES: list[Route] = list(_walk(get_resolver()))

# --- How to fill each kind of route ---------------------------------------------------------------


@dataclass(frozen=True)
class Fill:
    """Values for a route's parameters. `mixed` when some ids are the attacker's own."""

    values: dict[str, object]
    mixed: bool = False


FillFor = Callable[[World, World], list[Fill]]


def _pk(attribute: str) -> FillFor:
    return lambda victim, attacker: [Fill({"pk": getattr(victim, attribute).pk})]


BRIEF_PARTS = ("format", "areas", "panel", "stories", "questions", "research", "exercise")

# Routes that take the id of someone's object, and whose object each id is.
OBJECT_ROUTES: dict[str, FillFor] = {
    "dashboard_follow_up": _pk("application"),
    "pipeline:application_detail": _pk("application"),
    "pipeline:application_edit": _pk("application"),
    "pipeline:application_move": _pk("application"),
    "pipeline:application_move_menu": _pk("application"),
    "pipeline:application_archive": _pk("application"),
    "pipeline:interview_create": _pk("application"),
    "pipeline:interview_edit": _pk("interview"),
    "pipeline:interview_cancel": _pk("interview"),
    "pipeline:import_review": _pk("application_import"),
    "pipeline:interview_ics": _pk("interview"),
    # The journal is keyed by interview: one reflection per interview.
    "journal:reflect": _pk("interview"),
    "journal:autosave": _pk("interview"),
    "journal:reflection": _pk("interview"),
    "journal:lesson_create": _pk("interview"),
    "journal:lesson_practised": _pk("lesson"),
    "reminders:action": _pk("reminder"),
    "reminders:note": _pk("reminder"),
    "inbox:message": _pk("inbound"),
    "saved_view_delete": _pk("saved_view"),
    "deleted_item_restore": _pk("deleted_item"),
    "pipeline:application_delete": _pk("application"),
    "pipeline:application_star": _pk("application"),
    "pipeline:application_move_undo": _pk("application"),
    "pipeline:stage_change_edit": lambda victim, attacker: [
        Fill({"pk": victim.application.pk, "change_pk": victim.application.stage_changes.first().pk}),
        # My own application's address with their history line: still not theirs to read.
        Fill(
            {"pk": attacker.application.pk, "change_pk": victim.application.stage_changes.first().pk},
            mixed=True,
        ),
    ],
    "contacts:contact": _pk("contact"),
    "contacts:contact_edit": _pk("contact"),
    "contacts:contact_delete": _pk("contact"),
    "contacts:contact_vcard": _pk("contact"),
    "contacts:interaction_create": _pk("contact"),
    "contacts:referee": _pk("contact"),
    "contacts:application_people": _pk("application"),
    "contacts:application_interaction_create": _pk("application"),
    "contacts:references": _pk("application"),
    "contacts:application_person_remove": lambda victim, attacker: [
        Fill({"pk": victim.application.pk, "contact_pk": victim.contact.pk}),
        # One id of the attacker's own is no key to the other.
        Fill({"pk": attacker.application.pk, "contact_pk": victim.contact.pk}, mixed=True),
        Fill({"pk": victim.application.pk, "contact_pk": attacker.contact.pk}, mixed=True),
    ],
    "contacts:interview_people": _pk("interview"),
    "contacts:debrief": _pk("interview"),
    "prep:door": _pk("interview"),
    "contacts:thank_you": _pk("interview"),
    "contacts:thank_you_note": _pk("participant"),
    "contacts:thank_you_sent": _pk("participant"),
    "contacts:debrief_check": _pk("interview"),
    "contacts:reference_advance": _pk("reference"),
    # Prep plans are keyed by interview, made the first time the brief opens.
    "prep:brief": _pk("interview"),
    "prep:print": _pk("interview"),
    "prep:part": lambda victim, attacker: [
        Fill({"pk": victim.interview.pk, "part": part}) for part in BRIEF_PARTS
    ],
    "prep:story_edit": _pk("story"),
    "prep:story_delete": _pk("story"),
    "prep:practice_answer": _pk("practice_answer"),
}

# Routes whose parameters name nobody's data: they act on the signed-in person's own.
SELF_SCOPED: dict[str, Callable[[], dict[str, object]]] = {
    # A question from the built-in library, the same for everyone.
    "prep:practice_library": lambda: {"key": PRACTICE_QUESTIONS[0].key},
    # Names suggested under a filter box: from the person's own companies and recruiters.
    "pipeline:suggest": lambda: {"what": "companies"},
    # The rest of one board column: a stage, and the person's own applications in it.
    "pipeline:board_column": lambda: {"key": "applied"},
}

# Open to anyone on purpose. Values fill the parameters some of them take.
PUBLIC: dict[str, str] = {
    "home": "the landing page for visitors; the signed-in person's own dashboard otherwise",
    "service_worker": "sw.js, the offline script every page registers; it holds no data",
    "account_login": "logging in",
    "account_logout": "logging out; it shows no data",
    "account_signup": "creating an account",
    "account_inactive": "the notice shown to a switched-off account",
    "account_email_verification_sent": "the 'check your inbox' notice after signing up",
    "account_confirm_email": "the link in the confirmation email; the key in it is the secret",
    "account_confirm_login_code": "the login-by-code step; without a pending login it sends you back",
    "account_reset_password": "asking for a password reset email (rate-limited)",
    "account_reset_password_done": "the 'check your inbox' notice after asking for a reset",
    "account_reset_password_from_key": "the link in the reset email; the key in it is the secret",
    "account_reset_password_from_key_done": "the notice after a new password is set",
    "bench_bare": "only when BENCH_BARE_PAGE is on, for bench/load.py: the base template with no data",
}
PUBLIC_PARAMS: dict[str, str] = {"key": "3a-not-a-real-key", "uidb36": "zz"}
# Patterns present only in some configurations.
OPTIONAL = {"bench_bare"}

# Opened by a secret in the address; see the token tests at the end.
TOKEN_ROUTES: dict[str, str] = {
    "pipeline:calendar_feed": "calendar apps fetch the feed without a session; the token is the key",
    "reminders:reminder_link": "opened from an email, often not logged in; the token is signed",
}

ADMIN_NAMESPACE = "admin:"


def _admin_params(victim: World) -> dict[str, object]:
    # The victim's own account is what a stranger would most like to open in the admin.
    return {
        "object_id": victim.user.pk,
        "id": victim.user.pk,
        "content_type_id": ContentType.objects.get_for_model(User).pk,
        "app_label": "accounts",
        "url": "not-a-page/",
    }


ADMIN_PARAMS = {"object_id", "id", "content_type_id", "app_label", "url"}


def _is_admin(route: Route) -> bool:
    return route.name.startswith(ADMIN_NAMESPACE)


def _is_own_data(route: Route) -> bool:
    """Signed-in pages that take no one's id: lists, create forms, settings."""
    grouped = route.name in OBJECT_ROUTES or route.name in PUBLIC or route.name in TOKEN_ROUTES
    return not grouped and not _is_admin(route) and (not route.params or route.name in SELF_SCOPED)


def _own_data_values(route: Route) -> dict[str, object]:
    return SELF_SCOPED[route.name]() if route.name in SELF_SCOPED else {}


def _ids(routes: list[Route]) -> list[str]:
    return [route.name or route.pattern for route in routes]


OBJECT_WALK = [route for route in ROUTES if route.name in OBJECT_ROUTES]
OWN_DATA_WALK = [route for route in ROUTES if _is_own_data(route)]
PUBLIC_WALK = [route for route in ROUTES if route.name in PUBLIC]
ADMIN_WALK = [route for route in ROUTES if _is_admin(route)]

# --- Helpers ----------------------------------------------------------------------------------------

# What a stranger or visitor may send, empty or filled in: a view that saved
# before it looked the object up would show itself with a valid-looking body.
POST_BODIES: tuple[dict[str, str], ...] = (
    {},
    {
        "stage": "offer",
        "note": "walk",
        "archived": "on",
        "status": "heads_up_sent",
        "text": "A lesson from the walk",
        "practised": "yes",
        "name": "Walk Person",
        "kind": "interviewer",
        "action": "create",
        "version": "0",
        "account": "walk",
        "summary": "walk",
        "channel": "call",
        "direction": "outgoing",
        "date": "2020-01-02",
        "time": "09:00",
        "company_name": "Walk Ltd",
        "role_title": "Walker",
        "round_number": "2",
        "start_time": "10:00",
        "end_time": "11:00",
        "format": "video",
        "outcome": "pending",
        "how_it_went": "It went fine.",
        "enthusiasm": "keen",
        "send_as_is": "on",
        "title": "A walk story",
        "answer": "walk answer",
        "question": "Why walk?",
        "undo": "1",
    },
)


def _requests(client: Client, url: str) -> Iterator[tuple[str, HttpResponse]]:
    """GET and POST (each body), each with and without htmx: every way a page can be asked for."""
    for headers in HEADER_SETS:
        yield f"GET {url} {headers}", client.get(url, headers=headers)
        for body in POST_BODIES:
            yield (
                f"POST {url} {headers} {'filled' if body else 'empty'}",
                client.post(url, body, headers=headers),
            )


def _snapshot() -> dict[str, list[dict]]:
    """Every row the app keeps, to prove that refused requests changed nothing."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for config in apps.get_app_configs()
        if config.name.startswith("apps.")
        for model in config.get_models()
    }


def _body(response: HttpResponse) -> str:
    """What the client received, downloads included: streamed, and unpacked when it is a ZIP."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if raw.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            raw = b"".join(archive.read(member) for member in archive.namelist())
    return raw.decode(errors="replace")


def _leaks(response: HttpResponse, victim: World) -> bool:
    content = _body(response)
    return victim.marker in content or victim.user.email in content


def _is_login_redirect(response: HttpResponse, login_url: str | None = None) -> bool:
    return response.status_code == 302 and urlsplit(response["Location"]).path == (
        login_url or resolve_url(settings.LOGIN_URL)
    )


def _assert_sent_to_log_in(client: Client, url: str, victim: World) -> None:
    for request, response in _requests(client, url):
        assert response.status_code < 500, request
        assert response.status_code != 200, (
            f"{request} answered a visitor with a page. If it is public on purpose, add it to PUBLIC in "
            "tests/security/test_url_walk.py with the reason."
        )
        assert _is_login_redirect(response) or response.status_code in (404, 405), (
            f"{request} -> {response.status_code}"
        )
        assert not _leaks(response, victim), request


# --- The walk knows every pattern -----------------------------------------------------------------


def test_the_walk_knows_how_to_fill_every_url_pattern():
    unknown = []
    for route in ROUTES:
        if route.name in PUBLIC:
            fillable = set(PUBLIC_PARAMS)
        elif _is_admin(route):
            fillable = ADMIN_PARAMS
        elif route.name in TOKEN_ROUTES or route.name in OBJECT_ROUTES or route.name in SELF_SCOPED:
            continue  # filled by their own tables and tests
        else:
            fillable = set()
        unknown += [f"{route.label}: <{param}>" for param in route.params if param not in fillable]

    assert not unknown, (
        "These URL patterns take parameters the security walk cannot fill:\n  "
        + "\n  ".join(unknown)
        + "\nTeach tests/security/test_url_walk.py about them: add the route to OBJECT_ROUTES (the id of "
        "someone's object, and whose), SELF_SCOPED, PUBLIC or TOKEN_ROUTES (each with a reason)."
    )


def test_the_walk_tables_name_only_patterns_that_exist():
    names = {route.name for route in ROUTES}
    tables = [*OBJECT_ROUTES, *SELF_SCOPED, *TOKEN_ROUTES, *(set(PUBLIC) - OPTIONAL)]

    assert [name for name in tables if name not in names] == []


def test_the_walk_covers_the_whole_urlconf():
    # Every pattern lands in exactly one group, so none is skipped unnoticed.
    groups = [OBJECT_WALK, OWN_DATA_WALK, PUBLIC_WALK, ADMIN_WALK]
    token_routes = [route for route in ROUTES if route.name in TOKEN_ROUTES]

    assert sum(len(group) for group in groups) + len(token_routes) == len(ROUTES)
    assert len(OBJECT_WALK) == len(OBJECT_ROUTES)


# --- Other people's objects ------------------------------------------------------------------------


@pytest.mark.parametrize("route", OBJECT_WALK, ids=_ids(OBJECT_WALK))
def test_a_stranger_gets_404_for_every_way_of_asking_for_someone_elses_object(
    route: Route, visitors: Visitors, victim: World, attacker: World
):
    fills = OBJECT_ROUTES[route.name](victim, attacker)
    before = _snapshot()

    for fill in fills:
        url = route.url(**fill.values)
        statuses: set[int] = set()
        for request, response in _requests(visitors.stranger, url):
            assert response.status_code in (404, 405), f"{request} -> {response.status_code}"
            assert not _leaks(response, victim), request
            statuses.add(response.status_code)
        # 405 only says the method is wrong; one of GET or POST must reach the ownership check.
        assert 404 in statuses, f"{url} never reached the ownership check"

    assert _snapshot() == before, "a refused request changed something"
    # The same addresses do open for their owner, so the 404s above are about ownership.
    for fill in fills:
        if fill.mixed:
            continue
        url = route.url(**fill.values)
        owner_statuses = {visitors.owner.get(url).status_code, visitors.owner.post(url).status_code}
        assert owner_statuses - {404, 405}, f"{url} is not found for its owner either: {owner_statuses}"


@pytest.mark.parametrize("route", OBJECT_WALK, ids=_ids(OBJECT_WALK))
def test_a_visitor_is_sent_to_log_in_for_every_object_page(
    route: Route, visitors: Visitors, victim: World, attacker: World
):
    before = _snapshot()

    for fill in OBJECT_ROUTES[route.name](victim, attacker):
        _assert_sent_to_log_in(visitors.anonymous, route.url(**fill.values), victim)

    assert _snapshot() == before


# --- Each person's own pages ----------------------------------------------------------------------


@pytest.mark.parametrize("route", OWN_DATA_WALK, ids=_ids(OWN_DATA_WALK))
def test_signed_in_pages_never_show_another_users_data(route: Route, visitors: Visitors, victim: World):
    url = route.url(**_own_data_values(route))

    for request, response in _requests(visitors.stranger, url):
        assert response.status_code < 500, request
        assert not _leaks(response, victim), f"{request} shows the owner's data to a stranger"


@pytest.mark.parametrize("route", OWN_DATA_WALK, ids=_ids(OWN_DATA_WALK))
def test_signed_in_pages_send_a_visitor_to_log_in(route: Route, visitors: Visitors, victim: World):
    _assert_sent_to_log_in(visitors.anonymous, route.url(**_own_data_values(route)), victim)


# The pages where the owner's data is listed: the marker shows there for the owner,
# so its absence for the stranger above means something.
LISTS = [
    "home",
    "pipeline:application_list",
    "pipeline:board",
    "pipeline:export_csv",
    "journal:journal",
    "journal:lessons",
    "contacts:contacts",
    "prep:stories",
    "prep:practice",
    "reminders:reminders",
    "portability:export_json",
    "portability:export_zip",
    "inbox:inbox",
]


@pytest.mark.parametrize("name", LISTS)
def test_the_owner_sees_their_own_marker_on_list_pages(name: str, visitors: Visitors, victim: World):
    response = visitors.owner.get(reverse(name))

    assert response.status_code == 200
    assert victim.marker in _body(response)


# --- Public pages --------------------------------------------------------------------------------


@pytest.mark.parametrize("route", PUBLIC_WALK, ids=_ids(PUBLIC_WALK))
def test_public_pages_answer_anyone_without_error_or_anyone_elses_data(
    route: Route, visitors: Visitors, victim: World
):
    url = route.url(**{param: PUBLIC_PARAMS[param] for param in route.params})

    # The stranger last: a POST to the logout page signs them out.
    for client in (visitors.anonymous, visitors.stranger):
        for request, response in _requests(client, url):
            assert response.status_code < 500, request
            assert not _leaks(response, victim), request


# --- The admin -------------------------------------------------------------------------------------


@pytest.mark.parametrize("route", ADMIN_WALK, ids=_ids(ADMIN_WALK))
def test_the_admin_is_closed_to_people_who_are_not_staff(route: Route, visitors: Visitors, victim: World):
    params = _admin_params(victim)
    url = route.url(**{param: params[param] for param in route.params})
    # Refusals lead to the admin's login, or (logging out) to its index, which leads there too.
    admin_doors = {reverse("admin:login"), reverse("admin:index")}

    for client in (visitors.anonymous, visitors.stranger):
        for request, response in _requests(client, url):
            assert response.status_code < 500, request
            assert not _leaks(response, victim), request
            if route.name == "admin:login":
                continue  # the admin's login form is the way in, for staff
            sent_to_door = response.status_code == 302 and urlsplit(response["Location"]).path in admin_doors
            assert sent_to_door or response.status_code in (404, 405), f"{request} -> {response.status_code}"


# --- Secret addresses --------------------------------------------------------------------------------

# Path segments as a client would send them, percent-encoding included.
GARBAGE_SEGMENTS = [
    pytest.param("not-a-token", id="word"),
    pytest.param("0" * 43, id="token-shaped"),
    pytest.param("a" * 5000, id="5000-chars"),
    pytest.param("%F0%9F%98%80", id="emoji"),
    pytest.param("%E2%80%AEtxt.exe", id="right-to-left-override"),
    pytest.param("%FF%FE", id="not-utf8"),
    pytest.param("%27%20OR%201%3D1%20--", id="sql"),
    pytest.param("%3Cscript%3Ealert(1)%3C%2Fscript%3E", id="script"),
    pytest.param("..%2F..%2Fsettings.py", id="dot-dot-slash"),
    pytest.param("W1sxLDIsImRvbmUiXV0:1uAbCd:abcdef", id="signed-looking"),
]
# Once a 500 (Postgres refuses NUL in text); now refused before any view runs.
NUL_SEGMENT = pytest.param("a%00b", id="nul-byte")


def _victim_token_variants(victim: World) -> list[str]:
    """Near misses of the victim's real calendar token: one character off, cut short, other case."""
    token = victim.user.calendar_token
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    return [flipped, token[:-1], token + "x", token.swapcase()]


@pytest.mark.parametrize("segment", [*GARBAGE_SEGMENTS, NUL_SEGMENT])
def test_a_calendar_feed_with_a_wrong_token_is_not_found(segment: str, visitors: Visitors, victim: World):
    for client in (visitors.anonymous, visitors.stranger):
        for method in (client.get, client.head):
            response = method(f"/calendar/{segment}.ics")
            # A NUL in the address is refused as a bad request before any lookup.
            assert response.status_code in ((400,) if "%00" in segment else (404,)), response.status_code
            assert not _leaks(response, victim)


def test_a_calendar_token_one_character_off_opens_nobodys_feed(visitors: Visitors, victim: World):
    for token in _victim_token_variants(victim):
        response = visitors.stranger.get(reverse("pipeline:calendar_feed", args=[token]))
        assert response.status_code == 404, token
        assert not _leaks(response, victim)


@pytest.mark.parametrize("segment", [*GARBAGE_SEGMENTS, pytest.param("a%00b", id="nul-byte")])
def test_a_reminder_link_with_a_garbage_token_is_refused_and_changes_nothing(
    segment: str, visitors: Visitors, victim: World
):
    before = _snapshot()

    url = f"/r/{segment}/"
    for client in (visitors.anonymous, visitors.stranger):
        for response in (client.get(url), client.head(url), client.post(url, {"undo": "1"})):
            assert response.status_code in (400, 404), response.status_code
            assert not _leaks(response, victim)

    assert _snapshot() == before


def test_a_reminder_link_acts_on_its_own_reminder_only_whoever_follows_it(
    visitors: Visitors, victim: World, attacker: World
):
    # The token is the key, not the session: a signed-in stranger holding the victim's
    # link (a forwarded email) can tick that one reminder, and nothing else moves.
    url = links.action_path(victim.reminder, links.DONE)

    assert visitors.stranger.get(url).status_code == 200  # opening it only asks
    response = visitors.stranger.post(url)

    assert response.status_code == 200
    victim.reminder.refresh_from_db()
    attacker.reminder.refresh_from_db()
    assert victim.reminder.status == Status.DONE
    assert attacker.reminder.status == Status.PENDING
    assert Reminder.objects.filter(status=Status.DONE).count() == 1


def test_a_reminder_link_names_its_action_so_done_cannot_be_turned_into_undo_elsewhere(
    visitors: Visitors, victim: World
):
    # Only the done page offers Undo: a snooze or open link posted back is not ours.
    for action in (links.SNOOZE, links.OPEN):
        response = visitors.stranger.post(links.action_path(victim.reminder, action), {"undo": "1"})
        assert response.status_code == 400

    victim.reminder.refresh_from_db()
    assert victim.reminder.status == Status.PENDING


def test_an_expired_reminder_link_acts_for_nobody(visitors: Visitors, victim: World):
    with time_machine.travel(timezone.now() - links.LINK_MAX_AGE - dt.timedelta(days=1)):
        url = links.action_path(victim.reminder, links.DONE)

    for client in (visitors.anonymous, visitors.stranger, visitors.owner):
        assert client.get(url).status_code == 410

    victim.reminder.refresh_from_db()
    assert victim.reminder.status == Status.PENDING
