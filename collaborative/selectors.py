"""Reads of the collaborative for its pages and API, each in a fixed number of queries.

Selectors raise `City.DoesNotExist` for an unknown slug; the view decides it is a 404."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from cities.models import City, Organization
from collaborative.models import EcosystemMember, Relationship, SurveyInvitation
from collaborative.network import NetworkFigures, Node, Tie, network_figures


@dataclass(frozen=True)
class OrganizationRow:
    name: str
    kind_label: str
    contributions: list[str]
    degree: int
    betweenness: float


@dataclass(frozen=True)
class TieChangeRow:
    source: str
    kind_label: str
    target: str
    on: date | None


def _kind_label(kind: str) -> str:
    return str(Organization.Kind(kind).label) if kind in Organization.Kind.values else kind


@dataclass(frozen=True)
class EcosystemMap:
    city: City
    members: list[EcosystemMember]
    relationships: list[Relationship]
    figures: NetworkFigures
    on: date

    @property
    def organization_names(self) -> dict[str, str]:
        return {member.organization.slug: member.organization.name for member in self.members}

    def organization_rows(self) -> list[OrganizationRow]:
        """The organisations, most central first, in words."""
        members = {member.organization.slug: member for member in self.members}
        return [
            OrganizationRow(
                name=node.name,
                kind_label=_kind_label(node.kind),
                contributions=[str(choice.label) for choice in members[node.key].contributions],
                degree=node.degree,
                betweenness=node.betweenness,
            )
            for node in self.figures.nodes
        ]

    def broker_names(self, count: int = 3) -> list[str]:
        return [f"{node.name} ({node.betweenness})" for node in self.figures.brokers[:count]]

    def isolate_names(self) -> list[str]:
        return [self.organization_names[key] for key in self.figures.isolates]

    def missing_kind_labels(self) -> list[str]:
        return [_kind_label(kind) for kind in self.figures.missing_kinds]

    def unconnected_kind_labels(self) -> list[str]:
        return [f"{_kind_label(a)} and {_kind_label(b)}" for a, b in self.figures.unconnected_kind_pairs]

    def cluster_names(self) -> list[list[str]]:
        return [[self.organization_names[key] for key in cluster] for cluster in self.figures.clusters]

    def changes(self) -> tuple[list[TieChangeRow], list[TieChangeRow]]:
        """The ties that began and those that ended since the chosen date, in words."""
        change = self.figures.change
        if change is None:
            return [], []
        names = self.organization_names
        kinds = {kind: str(label) for kind, label in Relationship.Kind.choices}
        began = [TieChangeRow(names[t.source], kinds[t.kind], names[t.target], t.since) for t in change.ties_added]
        ended = [TieChangeRow(names[t.source], kinds[t.kind], names[t.target], t.until) for t in change.ties_ended]
        return began, ended

    def graph_elements(self) -> list[dict[str, dict[str, str]]]:
        """The map on its day in Cytoscape.js's element format, for the picture beside the tables."""
        nodes = [
            {
                "data": {
                    "id": member.organization.slug,
                    "label": member.organization.name,
                    "kind": member.organization.kind,
                }
            }
            for member in self.members
        ]
        edges = [
            {
                "data": {
                    "id": f"tie-{relationship.pk}",
                    "source": relationship.source_organization.slug,
                    "target": relationship.target_organization.slug,
                    "label": relationship.get_kind_display(),
                }
            }
            for relationship in self.relationships
            if (relationship.since is None or relationship.since <= self.on)
            and (relationship.until is None or relationship.until >= self.on)
        ]
        return nodes + edges


def ecosystem_members(*, city: City) -> QuerySet[EcosystemMember]:
    return EcosystemMember.objects.filter(city=city).select_related("organization").order_by("organization__name")


def ecosystem_relationships(*, city: City) -> QuerySet[Relationship]:
    """The city's published ties (survey answers waiting for review are left out)."""
    return (
        Relationship.objects.published()
        .filter(city=city)
        .select_related("source_organization", "target_organization")
        .order_by("source_organization__name", "kind", "target_organization__name")
    )


def _build_map(
    *,
    city: City,
    members: list[EcosystemMember],
    relationships: list[Relationship],
    on: date,
    changed_since: date | None,
) -> EcosystemMap:
    figures = network_figures(
        [Node(key=m.organization.slug, name=m.organization.name, kind=m.organization.kind) for m in members],
        [
            Tie(
                source=r.source_organization.slug,
                target=r.target_organization.slug,
                kind=r.kind,
                since=r.since,
                until=r.until,
            )
            for r in relationships
        ],
        on=on,
        changed_since=changed_since,
    )
    return EcosystemMap(city=city, members=members, relationships=relationships, figures=figures, on=on)


def ecosystem_map(*, slug: str, on: date | None = None, changed_since: date | None = None) -> EcosystemMap:
    """A city's ecosystem map as it stood `on` a day (today by default): its organisations,
    its published ties (all of them, ended ones too, for the record) and the network figures
    of the ties held that day; with the changes since `changed_since` when given."""
    city = City.objects.get(slug=slug)
    return _build_map(
        city=city,
        members=list(ecosystem_members(city=city)),
        relationships=list(ecosystem_relationships(city=city)),
        on=on or timezone.localdate(),
        changed_since=changed_since,
    )


def ecosystem_maps(*, on: date | None = None) -> list[EcosystemMap]:
    """Every city's map, by city name, in three queries."""
    members_by_city: dict[int, list[EcosystemMember]] = defaultdict(list)
    for member in ecosystem_member_list().order_by("organization__name"):
        members_by_city[member.city_id].append(member)
    relationships_by_city: dict[int, list[Relationship]] = defaultdict(list)
    for relationship in relationship_list():
        relationships_by_city[relationship.city_id].append(relationship)
    day = on or timezone.localdate()
    return [
        _build_map(
            city=city,
            members=members_by_city[city.pk],
            relationships=relationships_by_city[city.pk],
            on=day,
            changed_since=None,
        )
        for city in City.objects.order_by("name")
    ]


# ---------------------------------------------------------------- the API's lists


def ecosystem_member_list() -> QuerySet[EcosystemMember]:
    return EcosystemMember.objects.select_related("city", "organization")


def relationship_list() -> QuerySet[Relationship]:
    """Published ties only."""
    return Relationship.objects.published().select_related("city", "source_organization", "target_organization")


def survey_organizations(*, invitation: SurveyInvitation) -> QuerySet[Organization]:
    """The organisations a surveyed organisation may name a tie to: the others on its city's map."""
    return (
        Organization.objects.filter(ecosystem_memberships__city=invitation.city)
        .exclude(pk=invitation.organization_id)
        .distinct()
        .order_by("name")
    )
