"""Queries per page, counted in-process: the database queries one GET of each page costs.

    echo '{"users": ["heavy@example.com"], "pages": ["/", "<one application>"]}' \\
        | DATABASE_URL=postgres://postgres@127.0.0.1:5432/second_round_bench .venv/bin/python bench/queries.py

load.py runs this in a subprocess, with the server's settings plus `testserver` in
ALLOWED_HOSTS, before it starts gunicorn: counting never competes with timing. For each user
it resolves the pages whose address depends on the user (the first application on the list,
the prep brief of an interview that has a plan), GETs each page once so that the process's
own one-off work (caches filled on first use) is not counted, then counts the queries of a
second GET with CaptureQueriesContext. Equal counts at 10 and at 2,000 applications mean no
page runs a query per row.

It writes one JSON object on stdout,
{email: {page name: {"path": "/...", "status": 200, "queries": 12, "tables": [...]}}}, where
"tables" names the table each query reads first (so a difference can be traced) and a page
that cannot be resolved for a user (no application, no prep plan) has "path" null.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The page names and the rule for "one application" live in load.py (this file's folder is
# on sys.path when it runs as a script), so the two files cannot drift apart.
from load import APPLICATION_LINK, APPLICATION_PAGE, PREP_PAGE  # noqa: E402

# The table a query reads or writes first: enough to say which query a page gained.
QUERIED_TABLE = re.compile(r'(?:FROM|UPDATE|INTO) "([^"]+)"')


def application_path(client) -> str | None:
    """The first application on the user's list, found the way load.py finds it."""
    found = APPLICATION_LINK.search(client.get("/applications/").content.decode())
    return found.group(1) if found else None


def prep_path(user) -> str | None:
    """The brief of the user's first interview that has a prep plan (opening one without makes it)."""
    from django.urls import reverse

    from apps.pipeline.models import Interview

    interview = (
        Interview.objects.for_user(user).filter(prep_plan__isnull=False).order_by("starts_at", "pk").first()
    )
    return reverse("prep:brief", args=[interview.pk]) if interview else None


def counted_get(client, path: str) -> dict[str, object]:
    """Status, query count and the queries' tables of one GET of `path`, after a warm-up GET."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    tables = [QUERIED_TABLE.search(query["sql"]) for query in captured.captured_queries]
    return {
        "status": response.status_code,
        "queries": len(captured),
        "tables": [found.group(1) if found else "(other)" for found in tables],
    }


def count_for_user(email: str, pages: list[str]) -> dict[str, dict[str, object]]:
    from django.test import Client

    from apps.accounts.models import User

    user = User.objects.get(email__iexact=email)
    client = Client()
    client.force_login(user)
    counts: dict[str, dict[str, object]] = {}
    for page in pages:
        if page == APPLICATION_PAGE:
            path = application_path(client)
        elif page == PREP_PAGE:
            path = prep_path(user)
        else:
            path = page
        counted = counted_get(client, path) if path else {"status": None, "queries": None, "tables": []}
        counts[page] = {"path": path, **counted}
    return counts


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    request = json.load(sys.stdin)
    result = {email: count_for_user(email, request["pages"]) for email in request["users"]}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
