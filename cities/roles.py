"""The staff and partner roles the portal ships: Django groups with exactly the permissions
their work needs.

A role's permissions span apps (partners read every city's public data), and the core names
no app, so each app declares its share of each role in its own `roles.py` (and names its own
staff groups there), registered with the core (`PortalApp.role_shares`); the app's data
migration installs a frozen copy of that share with `roles_install`, which sets the group's
permissions of that one app and leaves the other apps' shares alone. Staff-facing names and
what each role may do are tabulated in the README.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# The names of the groups every app has a share of.
DATA_STEWARDS = "Data stewards"
PARTNERS = "Partners (API reads)"


@dataclass(frozen=True)
class RoleShare:
    """The permissions (codenames of `app_label`) a group holds in one app."""

    group: str
    app_label: str
    codenames: tuple[str, ...]


def view_codenames(*model_names: str) -> tuple[str, ...]:
    return tuple(f"view_{model_name}" for model_name in model_names)


def upload_codenames(*model_names: str) -> tuple[str, ...]:
    """What offering files whose rows become these models needs: to see and add the rows."""
    return (*view_codenames(*model_names), *(f"add_{model_name}" for model_name in model_names))


def roles_install(*, apps: Any, shares: Iterable[RoleShare]) -> None:
    """Create each share's group and give it exactly the share's permissions of its app.

    `apps` is a migration's app registry (or django.apps.apps). Permissions are created first:
    Django only creates them after the last migration, and a data migration runs before."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # create_permissions skips an app whose models module it cannot see; a migration's
        # historical app configs have none.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for share in shares:
        group, _ = group_model.objects.get_or_create(name=share.group)
        wanted = list(
            permission_model.objects.filter(content_type__app_label=share.app_label, codename__in=share.codenames)
        )
        missing = set(share.codenames) - {permission.codename for permission in wanted}
        if missing:
            raise LookupError(f"{share.group}: no permissions {sorted(missing)} in {share.app_label}")
        others = group.permissions.exclude(content_type__app_label=share.app_label)
        group.permissions.set([*others, *wanted])


_CORE_TABLES = ("city", "organization", "partnership", "grant", "dataset", "ingestionrun")

# The core's share of a city's data stewards (a group each city app names and declares): they
# offer their city's files only (`cities.permissions.may_upload_to`).
CITY_DATA_STEWARD_UPLOADS = (*view_codenames("dataset", "ingestionrun"), "add_ingestionrun")

# The core's share: data stewards keep the catalogue and offer its files (the core's tables
# and the cities' boundaries); partners read.
ROLE_SHARES = (
    RoleShare(
        DATA_STEWARDS,
        "cities",
        (
            *view_codenames(*_CORE_TABLES),
            *upload_codenames("city", "organization", "partnership", "grant", "boundary"),
            "change_dataset",
            "add_dataset",
            "add_ingestionrun",
        ),
    ),
    RoleShare(PARTNERS, "cities", view_codenames("city", "organization", "partnership", "grant", "dataset")),
)
