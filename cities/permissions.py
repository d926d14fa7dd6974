"""Who may see and change what.

The core's data is public: anyone may read it. Writing through the API (offering a file
to a dataset) needs the model's `add` permission, given to partners' and staff accounts.
Lists that may name people need the model's `view` permission even to read.
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissions
from rest_framework.request import Request


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
