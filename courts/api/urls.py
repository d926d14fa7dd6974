"""Addresses of the St. Louis courts API: courts, municipalities, judges, staff citations, the ticket
lookup and the court statistics."""

from __future__ import annotations

from django.urls import path
from rest_framework.routers import DefaultRouter

from courts.api import views

router = DefaultRouter(use_regex_path=False)
router.include_format_suffixes = False
router.register("courts", views.CourtViewSet, basename="courts-court")
router.register("municipalities", views.MunicipalityViewSet, basename="courts-municipality")
router.register("judges", views.JudgeViewSet, basename="courts-judge")
router.register("citations", views.CitationViewSet, basename="courts-citation")

urlpatterns = [
    path("lookup/", views.TicketLookupView.as_view(), name="courts-lookup"),
    path("court-statistics/", views.CourtStatisticsView.as_view(), name="courts-court-statistics"),
    *router.urls,
]
