"""Owners of the subsidised stock, derived from the projects' HUD owner names.

The Catalog names an owner on each project; an owner with many projects is one `Owner` row,
matched by the name in lower case with surrounding spaces removed (HUD spells one owner's name
alike across its filings; different spellings stay different owners rather than being guessed
together).
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Sum

from housing.models import Owner, Project


def owner_name_key(name: str) -> str:
    return name.strip().lower()


@transaction.atomic
def owners_refresh() -> dict[str, int]:
    """Make the owners and each project's link to its owner match the projects' owner names.
    Idempotent: unchanged data changes no row. Returns how many owners there are and how many
    projects changed owner."""
    published = (
        Project.objects.exclude(owner_name="")
        .order_by("-source_updated_on", "nlihc_id")
        .values_list("owner_name", "owner_type")
    )
    # The most recently updated project's spelling and type speak for the owner.
    owners: dict[str, tuple[str, str]] = {}
    for name, owner_type in published:
        owners.setdefault(owner_name_key(name), (name.strip(), owner_type))
    stored = {
        key: (name, owner_type) for key, name, owner_type in Owner.objects.values_list("name_key", "name", "owner_type")
    }
    changed = [
        Owner(name_key=key, name=name, owner_type=owner_type)
        for key, (name, owner_type) in owners.items()
        if stored.get(key) != (name, owner_type)
    ]
    Owner.objects.bulk_create(
        changed, update_conflicts=True, unique_fields=["name_key"], update_fields=["name", "owner_type"]
    )
    Owner.objects.exclude(name_key__in=owners.keys()).delete()

    owner_ids = dict(Owner.objects.values_list("name_key", "pk"))
    projects_by_owner: defaultdict[int | None, list[int]] = defaultdict(list)
    for project_pk, name, linked_owner_id in Project.objects.values_list("pk", "owner_name", "owner_id"):
        wanted = owner_ids.get(owner_name_key(name))
        if wanted != linked_owner_id:
            projects_by_owner[wanted].append(project_pk)
    for wanted, project_pks in projects_by_owner.items():
        Project.objects.filter(pk__in=project_pks).update(owner_id=wanted)
    owner_totals_refresh()
    return {"owners": len(owner_ids), "projects_changed": sum(map(len, projects_by_owner.values()))}


def owner_totals_refresh() -> None:
    """Each owner's project count, assisted units and project ids, as its linked projects
    are now. Writes only the owners where one of them changed."""
    totals = {
        row["owner"]: (row["projects"], row["units"])
        for row in Project.objects.exclude(owner=None)
        .order_by()
        .values("owner")
        .annotate(projects=Count("pk"), units=Sum("units_assisted_max"))
    }
    project_ids: defaultdict[int, list[str]] = defaultdict(list)
    for owner_id, nlihc_id in Project.objects.exclude(owner=None).order_by("nlihc_id").values_list("owner", "nlihc_id"):
        project_ids[owner_id].append(nlihc_id)
    changed = []
    for owner in Owner.objects.only("pk", "project_count", "assisted_units", "project_ids"):
        wanted = (*totals.get(owner.pk, (0, None)), project_ids.get(owner.pk, []))
        if (owner.project_count, owner.assisted_units, owner.project_ids) != wanted:
            owner.project_count, owner.assisted_units, owner.project_ids = wanted
            changed.append(owner)
    Owner.objects.bulk_update(changed, ["project_count", "assisted_units", "project_ids"], batch_size=500)
