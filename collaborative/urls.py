"""Addresses of the collaborative's public pages: impact, adoption guides, lessons, peer learning
and its meetings feed, ecosystem maps and the partners' survey."""

from __future__ import annotations

from django.urls import path

from collaborative import views

app_name = "collaborative"

urlpatterns = [
    path("impact/", views.impact, name="impact"),
    path("adopt/", views.adopt_list, name="adopt-list"),
    path("adopt/<slug:app_label>/", views.adopt, name="adopt"),
    path("lessons/", views.lessons, name="lesson-list"),
    path("lessons/<slug:slug>/", views.lesson_detail, name="lesson-detail"),
    path("cities/<slug:slug>/impact/", views.impact, name="city-impact"),
    path("cities/<slug:slug>/learning/", views.learning, name="learning"),
    path("learning/meetings.ics", views.meetings_feed, name="meetings-feed"),
    path("cities/<slug:slug>/ecosystem/", views.ecosystem, name="ecosystem"),
    path("ecosystem-survey/<str:token>/", views.survey, name="survey"),
]
