"""Addresses of the Boston summer jobs public pages: home, neighbourhoods, file formats, positions,
offers."""

from __future__ import annotations

from django.urls import path

from youthjobs import views

app_name = "youthjobs"

urlpatterns = [
    path("", views.home, name="home"),
    path("neighbourhoods.geojson", views.neighbourhoods, name="neighbourhoods"),
    path("file-formats/", views.file_formats, name="file-formats"),
    path("positions/", views.positions, name="positions"),
    path("offers/", views.offer_find, name="offer-find"),
    path("offers/<str:token>/", views.offer, name="offer"),
]
