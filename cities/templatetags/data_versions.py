"""`{% data_versions "housing.projects" "housing.subsidies" %}`: the line under a dashboard or
figure saying which version of which data it was computed from, with a link to each dataset."""

from __future__ import annotations

from typing import Any

from django import template

from cities.open_data import current_versions

register = template.Library()


@register.inclusion_tag("cities/includes/data_versions.html")
def data_versions(*schema_slugs: str) -> dict[str, Any]:
    """The current version of each dataset read with one of these ingestion schemas."""
    return {"versions": current_versions(schema_slugs)}
