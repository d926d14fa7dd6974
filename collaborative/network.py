"""Figures of one ecosystem map, after the "Analyze your ecosystem map" section of the
collaborative's mapping guide: who is most connected (degree), who brokers between parts
of the network (betweenness), who stands alone, which kinds of organisation are missing
or not tied to the kinds they should work with, the clusters, and what changed since a date.

Plain dataclasses in and out, no Django: the selectors build the input from the ORM.
Ties are directed in the data ("funds", "shares data with") but an organisation brokers
whichever way a tie points, so the figures read the undirected graph.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import networkx as nx

# Kind pairs the guide asks about: the three sectors of the collaborative (government, civic
# technologists, data intermediaries) with each other, and with the residents' organisations.
KEY_KIND_PAIRS: tuple[tuple[str, str], ...] = (
    ("data_intermediary", "government"),
    ("civic_tech", "government"),
    ("civic_tech", "data_intermediary"),
    ("community", "civic_tech"),
    ("community", "data_intermediary"),
    ("community", "government"),
)
# The kinds a local ecosystem of the collaborative is expected to hold.
EXPECTED_KINDS: tuple[str, ...] = ("government", "civic_tech", "data_intermediary", "community", "funder")


@dataclass(frozen=True)
class Node:
    key: str
    name: str
    kind: str


@dataclass(frozen=True)
class Tie:
    source: str
    target: str
    kind: str
    since: date | None = None
    until: date | None = None

    def held_on(self, day: date) -> bool:
        return (self.since is None or self.since <= day) and (self.until is None or self.until >= day)


@dataclass(frozen=True)
class NodeFigures:
    key: str
    name: str
    kind: str
    degree: int
    betweenness: float


@dataclass(frozen=True)
class Change:
    """Ties that began or ended after `since`, and organisations that gained or lost every tie."""

    since: date
    ties_added: list[Tie]
    ties_ended: list[Tie]
    degree_before: dict[str, int]


@dataclass(frozen=True)
class NetworkFigures:
    organization_count: int
    tie_count: int
    density: float
    nodes: list[NodeFigures]
    isolates: list[str]
    missing_kinds: list[str]
    unconnected_kind_pairs: list[tuple[str, str]]
    clusters: list[list[str]]
    change: Change | None = None
    brokers: list[NodeFigures] = field(default_factory=list)


def _graph(nodes: Sequence[Node], ties: Sequence[Tie]) -> nx.Graph:
    graph = nx.Graph()
    for node in nodes:
        graph.add_node(node.key)
    for tie in ties:
        if tie.source in graph and tie.target in graph and tie.source != tie.target:
            graph.add_edge(tie.source, tie.target)
    return graph


def network_figures(
    nodes: Sequence[Node], ties: Sequence[Tie], *, on: date, changed_since: date | None = None
) -> NetworkFigures:
    """The figures of the map as it stood `on` a day (ties held that day), and, when
    `changed_since` is given, the ties that began or ended between that date and `on`.

    Node figures are sorted by betweenness then degree (most central first), then name;
    `brokers` are the nodes with a betweenness above zero. Clusters are the connected parts
    with more than one organisation, largest first, each sorted by key; isolates are sorted."""
    current = [tie for tie in ties if tie.held_on(on)]
    graph = _graph(nodes, current)
    betweenness = nx.betweenness_centrality(graph, normalized=True) if graph.number_of_nodes() else {}
    figures = sorted(
        (
            NodeFigures(
                key=node.key,
                name=node.name,
                kind=node.kind,
                degree=int(graph.degree(node.key)),
                betweenness=round(betweenness.get(node.key, 0.0), 4),
            )
            for node in nodes
        ),
        key=lambda figure: (-figure.betweenness, -figure.degree, figure.name),
    )
    kind_of = {node.key: node.kind for node in nodes}
    tied_kinds = {frozenset((kind_of[a], kind_of[b])) for a, b in graph.edges}
    present_kinds = set(kind_of.values())
    return NetworkFigures(
        organization_count=graph.number_of_nodes(),
        tie_count=graph.number_of_edges(),
        density=round(nx.density(graph), 4) if graph.number_of_nodes() > 1 else 0.0,
        nodes=figures,
        isolates=sorted(nx.isolates(graph)),
        missing_kinds=[kind for kind in EXPECTED_KINDS if kind not in present_kinds],
        unconnected_kind_pairs=[
            pair for pair in KEY_KIND_PAIRS if set(pair) <= present_kinds and frozenset(pair) not in tied_kinds
        ],
        clusters=sorted(
            (sorted(part) for part in nx.connected_components(graph) if len(part) > 1),
            key=lambda part: (-len(part), part),
        ),
        change=_change(nodes, ties, since=changed_since, until=on) if changed_since is not None else None,
        brokers=[figure for figure in figures if figure.betweenness > 0],
    )


def _change(nodes: Sequence[Node], ties: Sequence[Tie], *, since: date, until: date) -> Change:
    before = _graph(nodes, [tie for tie in ties if tie.held_on(since)])
    return Change(
        since=since,
        ties_added=[tie for tie in ties if tie.since is not None and since < tie.since <= until],
        ties_ended=[tie for tie in ties if tie.until is not None and since <= tie.until < until],
        degree_before={key: int(degree) for key, degree in before.degree},
    )
