"""`manage.py demo_staff_login`: the embedded mode's staff login, created or reset and printed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cities.services import demo_staff_login_create


class Command(BaseCommand):
    help = "Create or reset the embedded mode's staff login and print it (never for a deployment)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="the port `make run` serves on")

    def handle(self, *args: Any, **options: Any) -> None:
        password = demo_staff_login_create(username="staff")
        self.stdout.write(
            self.style.SUCCESS(
                f"\nStaff login for http://127.0.0.1:{options['port']}/admin/\n"
                f"  username: staff\n  password: {password}\n"
            )
        )
