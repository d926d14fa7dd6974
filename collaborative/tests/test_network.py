"""The network figures on small maps, without a database."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from collaborative.network import Node, Tie, network_figures

TODAY = date(2018, 1, 1)
NODES = [
    Node("city", "City Hall", "government"),
    Node("data", "Data Centre", "data_intermediary"),
    Node("brigade", "Brigade", "civic_tech"),
    Node("church", "Church", "community"),
    Node("alone", "Alone", "university"),
]


def test_the_broker_between_two_sides_has_the_highest_betweenness() -> None:
    ties = [Tie("city", "data", "shares_data"), Tie("data", "brigade", "shares_data")]
    figures = network_figures(NODES, ties, on=TODAY)
    assert figures.nodes[0].key == "data"
    assert figures.nodes[0].betweenness > 0
    assert [node.key for node in figures.brokers] == ["data"]
    assert {node.key: node.degree for node in figures.nodes}["data"] == 2


def test_isolates_missing_kinds_and_unconnected_kind_pairs() -> None:
    ties = [Tie("city", "data", "shares_data"), Tie("data", "brigade", "shares_data")]
    figures = network_figures(NODES, ties, on=TODAY)
    assert figures.isolates == ["alone", "church"]
    assert figures.missing_kinds == ["funder"]
    assert ("civic_tech", "government") in figures.unconnected_kind_pairs
    assert ("community", "civic_tech") in figures.unconnected_kind_pairs
    assert ("data_intermediary", "government") not in figures.unconnected_kind_pairs
    assert figures.clusters == [["brigade", "city", "data"]]


def test_density_counts_ties_either_way_once() -> None:
    ties = [Tie("city", "data", "funds"), Tie("data", "city", "shares_data")]
    figures = network_figures(NODES[:2], ties, on=TODAY)
    assert figures.tie_count == 1
    assert figures.density == 1.0


def test_ties_not_held_on_the_day_are_left_out_and_changes_are_listed() -> None:
    ties = [
        Tie("city", "data", "funds", since=date(2016, 1, 1), until=date(2017, 6, 30)),
        Tie("data", "brigade", "shares_data", since=date(2017, 3, 1)),
    ]
    figures = network_figures(NODES, ties, on=TODAY, changed_since=date(2017, 1, 1))
    assert figures.tie_count == 1
    assert figures.change is not None
    assert [tie.target for tie in figures.change.ties_added] == ["brigade"]
    assert [tie.target for tie in figures.change.ties_ended] == ["data"]
    assert figures.change.degree_before["city"] == 1


def test_an_empty_map_has_no_figures() -> None:
    figures = network_figures([], [], on=TODAY)
    assert (figures.organization_count, figures.tie_count, figures.density) == (0, 0, 0.0)


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=20))
def test_degrees_add_up_to_twice_the_ties(pairs: list[tuple[int, int]]) -> None:
    nodes = [Node(str(i), f"Org {i}", "government") for i in range(6)]
    figures = network_figures(nodes, [Tie(str(a), str(b), "advises") for a, b in pairs], on=TODAY)
    assert sum(node.degree for node in figures.nodes) == 2 * figures.tie_count
    assert all(0.0 <= node.betweenness <= 1.0 for node in figures.nodes)
