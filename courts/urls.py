from __future__ import annotations

from django.urls import path

from courts import views

app_name = "courts"

urlpatterns = [
    path("", views.home, name="home"),
    path("find-my-ticket/", views.find_ticket, name="find-ticket"),
    path("find-my-ticket/reminders/", views.reminder_new, name="reminder-new"),
    path("find-my-ticket/watch/", views.citation_watch_new, name="watch-new"),
    path("courts/", views.court_list, name="court-list"),
    path("courts/<slug:slug>/", views.court_detail, name="court"),
    path("stories/", views.story_list, name="stories"),
    path("stories/new/", views.story_new, name="story-new"),
    path("municipal-boundaries.geojson", views.boundaries, name="boundaries"),
]
