"""Who may see and change what.

The core's data is public: anyone may read it. Writing through the API (offering a file
to a dataset) needs the model's `add` permission, given to partners' and staff accounts.
City apps add their personal-data permissions here as they come.
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


# --- youthjobs: personal data behind its model's view permission.
class ModelViewPermission(DjangoModelPermissions):
    """Reading needs the model's `view` permission as well (personal data: youth applicants,
    placements); the anonymous and ordinary partner tokens are refused with 401/403."""

    perms_map = {**DjangoModelPermissions.perms_map, "GET": ["%(app_label)s.view_%(model_name)s"]}
    perms_map["HEAD"] = perms_map["GET"]
    perms_map["OPTIONS"] = perms_map["GET"]


# --- end youthjobs
