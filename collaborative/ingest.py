"""The ecosystem maps' datasets, read by the core's ingestion machinery: one file of the
organisations on each city's map, one of the ties between them."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from cities.datasets import CITY, ORGANIZATION
from cities.ingestion import BOOLEAN, DATE, Column, DatasetSchema, register_schema
from collaborative.models import Contribution, EcosystemMember, Relationship


@register_schema
class EcosystemMembersSchema(DatasetSchema):
    slug = "collaborative.ecosystem_members"
    model = EcosystemMember
    description = "The organisations on each city's ecosystem map and what each contributes there."
    key = ("city", "organization")
    columns = (
        Column("city", references=CITY),
        Column("organization", references=ORGANIZATION),
        *(Column(f"contributes_{contribution.value}", kind=BOOLEAN) for contribution in Contribution),
        Column("source", max_length=500),
    )


@register_schema
class RelationshipsSchema(DatasetSchema):
    slug = "collaborative.relationships"
    model = Relationship
    description = "Typed ties between the organisations of a city's ecosystem, with their period and source."
    key = ("city", "source_organization", "target_organization", "kind")
    columns = (
        Column("city", references=CITY),
        Column("source_organization", references=ORGANIZATION),
        Column("target_organization", references=ORGANIZATION),
        Column("kind", choices=tuple(Relationship.Kind.values)),
        Column("since", kind=DATE, required=False),
        Column("until", kind=DATE, required=False),
        Column("source", max_length=500),
    )

    def row_rules(self, frame: pd.DataFrame) -> Iterable[tuple[pd.Series, str, str]]:
        yield (
            frame["source_organization"] == frame["target_organization"],
            "target_organization",
            "an organisation cannot have a tie to itself",
        )
        yield frame["until"] < frame["since"], "until", "the tie ends before it starts"
