from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cities.services import demo_staff_login_create


class Command(BaseCommand):
    help = "Create or reset the embedded mode's staff login and print it (never for a deployment)."

    def handle(self, *args: Any, **options: Any) -> None:
        password = demo_staff_login_create(username="staff")
        self.stdout.write(
            self.style.SUCCESS(
                "\nStaff login for http://127.0.0.1:8000/admin/\n  username: staff\n  password: " + password + "\n"
            )
        )
