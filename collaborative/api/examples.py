"""What the collaborative's API answers, as examples in the OpenAPI schema: rows of the demo
data (`manage.py load_demo_data`). A list's example is one of its rows, which drf-spectacular
puts in the page shape (`cities.api.pagination`); long lists inside a row (a map's
organisations) are cut to their first few items."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample

ECOSYSTEM_MEMBER = OpenApiExample(
    "Living Cities on Boston's map",
    value={
        "id": 8,
        "city": "boston",
        "organization": "living-cities",
        "kind": "funder",
        "contributions": ["funding"],
        "source": "Partnership listed in the portal's core data (cities/demo/partnerships.csv); role: funder",
    },
)

RELATIONSHIP = OpenApiExample(
    "MacArthur funds Living Cities",
    value={
        "id": 15,
        "city": "boston",
        "source_organization": "macarthur-foundation",
        "kind": "funds",
        "target_organization": "living-cities",
        "since": "2016-10-01",
        "until": "2018-03-31",
        "source": 'Living Cities blog, "The Civic Tech and Data Collaborative: who we are" '
        "(livingcities.org/blog/the-civic-tech-and-data-collaborative-who-we-are/)",
    },
)

ECOSYSTEM_SUMMARY = OpenApiExample(
    "Boston's map",
    value={"city": "boston", "name": "Boston", "organization_count": 12, "tie_count": 9, "density": 0.1364},
)

ECOSYSTEM = OpenApiExample(
    "Boston's map since 2017",
    value={
        "city": "boston",
        "name": "Boston",
        "organization_count": 12,
        "tie_count": 9,
        "density": 0.1364,
        "figures": {
            "organization_count": 12,
            "tie_count": 9,
            "density": 0.1364,
            "organizations": [
                {
                    "organization": "boston-dyee",
                    "name": "Department of Youth Engagement and Employment",
                    "kind": "government",
                    "degree": 5,
                    "betweenness": 0.3273,
                },
                {
                    "organization": "boston-doit",
                    "name": "City of Boston Department of Innovation and Technology",
                    "kind": "government",
                    "degree": 3,
                    "betweenness": 0.2182,
                },
                {
                    "organization": "mapc",
                    "name": "Metropolitan Area Planning Council",
                    "kind": "data_intermediary",
                    "degree": 3,
                    "betweenness": 0.1273,
                },
            ],
            "brokers": ["boston-dyee", "boston-doit", "mapc", "code-for-boston"],
            "isolates": ["bny-mellon", "living-cities", "macarthur-foundation"],
            "missing_kinds": ["community"],
            "unconnected_kind_pairs": [["civic_tech", "data_intermediary"]],
            "clusters": [
                [
                    "bcyf",
                    "boston-doit",
                    "boston-dyee",
                    "boston-indicators",
                    "code-for-america",
                    "code-for-boston",
                    "mapc",
                    "mit-researchers",
                    "nnip",
                ]
            ],
            "change": {
                "since": "2017-01-01",
                "ties_added": [],
                "ties_ended": [
                    {
                        "source_organization": "macarthur-foundation",
                        "kind": "funds",
                        "target_organization": "living-cities",
                        "since": "2016-10-01",
                        "until": "2018-03-31",
                    },
                    {
                        "source_organization": "living-cities",
                        "kind": "convenes",
                        "target_organization": "code-for-america",
                        "since": "2016-10-01",
                        "until": "2018-03-31",
                    },
                    {
                        "source_organization": "living-cities",
                        "kind": "convenes",
                        "target_organization": "nnip",
                        "since": "2016-10-01",
                        "until": "2018-03-31",
                    },
                ],
            },
        },
    },
)

CITY_IMPACT = OpenApiExample(
    "Boston",
    value={
        "city": "boston",
        "name": "Boston",
        "role": "core",
        "grant_total": "200000.00",
        "grant_count": 1,
        "app": "Boston summer jobs",
        "figures": [
            {"key": "youth-placed", "label": "Young people placed in a summer job", "value": "1,304"},
            {"key": "youth-completed", "label": "Young people who completed their job", "value": "1,070"},
        ],
    },
)

SURVEY_QUESTIONS_SHARED: dict[str, Any] = {
    "id": 1,
    "meeting": 1,
    "description": "Share the survey questions used in Pittsburgh",
    "owner": "wprdc",
    "due_on": "2017-06-01",
    "status": "done",
}

MEETING = OpenApiExample(
    "A peer-learning exchange",
    value={
        "id": 1,
        "kind": "peer_learning",
        "title": "Example: ecosystem mapping exchange",
        "starts_at": "2017-05-10T11:00:00-04:00",
        "ends_at": "2017-05-10T12:00:00-04:00",
        "location": "Video call",
        "cities": ["cleveland", "pittsburgh", "san-antonio", "seattle"],
        "organizations": ["code-for-america", "living-cities", "nnip", "wprdc"],
        "topics": ["ecosystem mapping", "surveys", "engaging low-income residents"],
        "resources": [
            "Guide to Civic Tech & Data Ecosystem Mapping "
            "https://www.urban.org/research/publication/guide-civic-tech-and-data-ecosystem-mapping"
        ],
        "is_example": True,
        "action_items": [SURVEY_QUESTIONS_SHARED],
    },
)

ACTION_ITEM = OpenApiExample(
    "An action item done",
    value=SURVEY_QUESTIONS_SHARED,
)

LESSON = OpenApiExample(
    "Map the ecosystem before you build",
    value={
        "slug": "example-map-before-you-build",
        "title": "Example: map the ecosystem before you build",
        "summary": "Who holds the data, who builds, who reaches residents: a map shows gaps before a project does.",
        "theme": "collective_action",
        "app_label": "",
        "cities": ["cleveland", "pittsburgh", "san-antonio", "seattle"],
        "datasets": ["ecosystem-relationships"],
        "figures_cited": ["Four learning partners received $10,000 each (Living Cities, CTDC about page)"],
        "published_on": "2018-06-01",
        "is_example": True,
        "body": "The learning partners started by **mapping** their local civic tech and data organisations.\n"
        "\n"
        "- Survey each partner about its ties\n"
        "- Look for organisations with no tie\n"
        "- Ask who brokers between government and the technologists\n"
        "\n"
        "Source: [Guide to Civic Tech & Data Ecosystem "
        "Mapping](https://www.urban.org/research/publication/guide-civic-tech-and-data-ecosystem-mapping), "
        "2018.",
        "body_html": "<p>The learning partners started by <strong>mapping</strong> their local civic tech and data "
        "organisations.</p>\n"
        "<ul>\n"
        "<li>Survey each partner about its ties</li>\n"
        "<li>Look for organisations with no tie</li>\n"
        "<li>Ask who brokers between government and the technologists</li>\n"
        "</ul>\n"
        "<p>Source: <a "
        'href="https://www.urban.org/research/publication/guide-civic-tech-and-data-ecosystem-mapping">Guide '
        "to Civic Tech &amp; Data Ecosystem Mapping</a>, 2018.</p>\n",
    },
)
