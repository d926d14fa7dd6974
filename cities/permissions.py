"""Who may see and change what.

The core's data is public: anyone may read it. Writing through the API (offering a file
to a dataset) needs the model's `add` permission, given to partners' and staff accounts,
and, per dataset, the permission to add the rows its files become (`may_upload_to`).
Lists that may name people need the model's `view` permission even to read.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissions
from rest_framework.request import Request

from cities.ingestion import registered_schemas
from cities.models import Dataset


class ReadOnlyUnlessModelPermission(DjangoModelPermissions):
    def has_permission(self, request: Request, view: Any) -> bool:
        # A method the view does not offer is answered 405 by the view, not 401/403 here.
        if request.method in SAFE_METHODS or request.method not in view.allowed_methods:
            return True
        return super().has_permission(request, view)


class ViewRequiresModelPermission(DjangoModelPermissions):
    """For lists that may name people: even reading needs the model's `view` permission, so an
    anonymous client gets 401 and a token without the permission 403."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }


def may_upload_to(user: Any, dataset: Dataset) -> bool:
    """Whether `user` may offer a file to `dataset`: `cities.add_ingestionrun`, and the `add`
    permission of the model the dataset's rows become (`courts.add_citation`,
    `housing.add_project`, `cities.add_grant`), so a city's data steward uploads only their
    own app's files: Boston's cannot overwrite DC's."""
    schema = registered_schemas().get(dataset.schema)
    needed = ["cities.add_ingestionrun"]
    if schema is not None:
        needed.append(f"{schema.model._meta.app_label}.add_{schema.model._meta.model_name}")
    return bool(user.has_perms(needed))


def signed_in_user(request: HttpRequest) -> User:
    """The staff member behind an admin request, recorded as the author of what they do. The
    admin lets only signed-in staff reach its views; anyone else is refused all the same."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user
