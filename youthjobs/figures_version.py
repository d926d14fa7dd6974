"""The public figures of Boston's summer jobs (the dashboard, the API's programme figures and
its seasons compared) are kept in the data cache (`cities.data_cache`) under the version of
the summer jobs data: computed once per version rather than on every request (a quarter of a
second at the demo's size). A write that can change them starts a new version once it
commits: every save or delete of a model they read (the admin, the services, a youth's answer
to an offer), and the services' bulk writes, which send no signal (`figures_changed`). The
ingestion machinery starts one for every run that changed summer jobs rows. An offer passing
its deadline changes them with no write at all (it stops holding a seat): `figures_cached`
keys them by how many such lapsed offers there are."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from cities.data_cache import data_cached, data_version_bump
from youthjobs.models import Applicant, DirectHire, Eligibility, MatchRun, Placement, Position, Season, Site

DATA_APP = "youthjobs"
FIGURE_MODELS = (Season, Site, Position, Applicant, Eligibility, DirectHire, MatchRun, Placement)
Value = TypeVar("Value")


def figures_cached(name: str, read: Callable[[], Value]) -> Value:
    """What `read()` returns for the current version of the summer jobs data and the offers
    lapsed by now (`name`: a key unique to what `read` reads)."""
    lapsed = Placement.objects.lapsed_offers().count()
    return data_cached(DATA_APP, f"{name}:lapsed-offers-{lapsed}", read)


def figures_changed() -> None:
    """The summer jobs data changed: its public figures are read again once this commits."""
    transaction.on_commit(partial(data_version_bump, DATA_APP))


def _saved_or_deleted(**_: Any) -> None:
    figures_changed()


def figures_watch() -> None:
    """Start a new version on every save and delete of the models the figures read."""
    for model in FIGURE_MODELS:
        uid = f"youthjobs.figures_version:{model.__name__}"
        post_save.connect(_saved_or_deleted, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(_saved_or_deleted, sender=model, dispatch_uid=f"{uid}:delete")
