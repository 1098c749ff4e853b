"""`manage.py seed_demo`: made-up users for demos and benchmarks.

    manage.py seed_demo --demo                      the demo account (rebuilt each time)
    manage.py seed_demo --users 1000                user1..user1000@example.com, small pipelines
    manage.py seed_demo --heavy heavy@example.com   one user with a very long search

The parts can be combined in one run. Every account's address is confirmed.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.accounts.models import User
from apps.core import seed


class Command(BaseCommand):
    help = "Create demo and benchmark users: --demo, --users N, --heavy EMAIL (combinable)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--demo", action="store_true", help=f"Rebuild the demo account {seed.DEMO_EMAIL}."
        )
        parser.add_argument("--users", type=int, default=0, help="How many ordinary users to add.")
        parser.add_argument("--heavy", metavar="EMAIL", help="Create one heavy user with this address.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete an existing heavy user of that address first (without it, an existing one is kept).",
        )
        parser.add_argument(
            "--password", default=seed.DEFAULT_PASSWORD, help="Password of every account made."
        )
        parser.add_argument(
            "--seed", type=int, default=seed.DEFAULT_SEED, help="Random seed, for repeatable data."
        )
        defaults = seed.Sizes()
        for name in ("applications", "interviews", "reflections", "contacts", "reminders"):
            parser.add_argument(
                f"--{name}", type=int, default=getattr(defaults, name), help=f"The heavy user's {name}."
            )

    def handle(self, *args: object, **options: object) -> None:
        if not (options["demo"] or options["users"] or options["heavy"]):
            raise CommandError("Say what to create: --demo, --users N and/or --heavy EMAIL.")
        if options["users"] < 0:
            raise CommandError("--users cannot be negative.")
        if options["heavy"]:
            self._heavy(options)
        if options["users"]:
            self._users(options)
        if options["demo"]:
            self._demo(options)

    def _heavy(self, options: dict) -> None:
        email = User.objects.normalize_email(options["heavy"])
        sizes = seed.Sizes(**{name: options[name] for name in seed.Sizes.__dataclass_fields__})
        try:
            sizes.check()
        except ValueError as error:
            raise CommandError(str(error)) from error
        if User.objects.filter(email__iexact=email).exists():
            if not options["replace"]:
                self.stdout.write(
                    f"Heavy user {email} already exists: kept as it is (--replace rebuilds it)."
                )
                return
            started = time.perf_counter()
            seed.account_delete(email=email)
            self.stdout.write(
                f"Deleted the existing heavy user {email} in {time.perf_counter() - started:.1f} s."
            )
        report = seed.seed_heavy_user(
            email=email, password=options["password"], sizes=sizes, seed=options["seed"]
        )
        self.stdout.write(
            self.style.SUCCESS(f"Heavy user {email} created in {report.seconds:.1f} s: {report.summary()}.")
        )

    def _users(self, options: dict) -> None:
        report = seed.seed_users(count=options["users"], password=options["password"], seed=options["seed"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Ordinary users: {report.counts['users']:,} new of {options['users']:,} asked "
                f"(the others already existed), in {report.seconds:.1f} s: {report.summary()}."
            )
        )

    def _demo(self, options: dict) -> None:
        user, replaced = seed.seed_demo_account(password=options["password"])
        what = "Replaced the demo account" if replaced else "Created the demo account"
        self.stdout.write(
            self.style.SUCCESS(f"{what}: log in as {user.email} with the password {options['password']!r}.")
        )
