"""Addresses of the Boston summer jobs API: positions, applicants, placements, match runs, programme
figures."""

from __future__ import annotations

from django.urls import path
from rest_framework.routers import DefaultRouter

from youthjobs.api import views

router = DefaultRouter(use_regex_path=False)
router.include_format_suffixes = False
router.register("positions", views.PositionViewSet, basename="youthjobs-position")
router.register("applicants", views.ApplicantViewSet, basename="youthjobs-applicant")
router.register("placements", views.PlacementViewSet, basename="youthjobs-placement")
router.register("match-runs", views.MatchRunViewSet, basename="youthjobs-matchrun")

urlpatterns = [
    path("figures/", views.ProgrammeFiguresView.as_view(), name="youthjobs-figures"),
    path("seasons/", views.SeasonsComparedView.as_view(), name="youthjobs-seasons"),
    *router.urls,
]
