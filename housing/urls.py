"""Addresses of the DC housing public pages: dashboard, CSV exports, map points, boundaries, projects."""

from __future__ import annotations

from django.urls import path

from housing import views

app_name = "housing"

urlpatterns = [
    path("", views.home, name="home"),
    path("expiry-timeline.csv", views.expiry_timeline_csv, name="expiry-timeline-csv"),
    path("projects.csv", views.projects_csv, name="projects-csv"),
    path("map-points.json", views.map_points, name="map-points"),
    path("boundaries/<slug:kind>.geojson", views.boundaries, name="boundaries"),
    path("projects/<str:nlihc_id>/", views.project_detail, name="project"),
]
