"""Addresses of the St. Louis courts' public pages: home, find my ticket, reminders, watches,
courts, residents' stories and the municipal boundaries."""

from __future__ import annotations

from django.urls import path

from courts import views

app_name = "courts"

urlpatterns = [
    path("", views.home, name="home"),
    path("find-my-ticket/", views.find_ticket, name="find-ticket"),
    path("find-my-ticket/yours/", views.tickets, name="tickets"),
    path("find-my-ticket/reminders/", views.reminder_new, name="reminder-new"),
    path("find-my-ticket/reminders/set/", views.reminder_set, name="reminder-set"),
    path("find-my-ticket/watch/", views.citation_watch_new, name="watch-new"),
    path("find-my-ticket/watch/set/", views.watch_set, name="watch-set"),
    path("courts/", views.court_list, name="court-list"),
    path("courts/<slug:slug>/", views.court_detail, name="court"),
    path("stories/", views.story_list, name="stories"),
    path("stories/new/", views.story_new, name="story-new"),
    path("stories/thanks/", views.story_thanks, name="story-thanks"),
    path("municipal-boundaries.geojson", views.boundaries, name="boundaries"),
]
