"""Addresses of the core's API under /api/v1/: cities, organisations, partnerships, grants, datasets
and ingestion runs."""

from __future__ import annotations

from django.urls import path, re_path
from rest_framework.routers import DefaultRouter

from cities.api import views

# Addresses take a slug or an id through Django's path converters, which the schema states
# exactly; no format suffixes (`/cities/boston.json`), JSON being the API's format.
router = DefaultRouter(use_regex_path=False)
router.include_format_suffixes = False
# The root lists every app's resources (`views.api_root`), not only the core's.
router.include_root_view = False
router.register("cities", views.CityViewSet, basename="city")
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("grants", views.GrantViewSet, basename="grant")
router.register("datasets", views.DatasetViewSet, basename="dataset")
router.register("ingestion-runs", views.IngestionRunViewSet, basename="ingestionrun")

urlpatterns = [
    path("", views.api_root, name="api-root"),
    *router.urls,
    # A partnership's natural id has two parts, the city's and the organisation's slugs,
    # which a router's single lookup cannot say.
    path("partnerships/", views.PartnershipViewSet.as_view({"get": "list"}), name="partnership-list"),
    path(
        "partnerships/<slug:city>/<slug:organization>/",
        views.PartnershipViewSet.as_view({"get": "retrieve"}),
        name="partnership-detail",
    ),
    # Only addresses ending in a slash, so that Django still redirects `/cities` to `/cities/`;
    # any character before it, a newline included.
    re_path(r"^(?P<unmatched_path>(?s:.*)/)$", views.api_not_found, name="api-not-found"),
]
