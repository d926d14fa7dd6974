"""Addresses of the collaborative's API: ecosystems and their members and ties, impact, meetings,
action items, lessons."""

from __future__ import annotations

from rest_framework.routers import DefaultRouter

from collaborative.api import views

# As the core's router: no format suffixes, slugs for cities.
router = DefaultRouter(use_regex_path=False)
router.include_format_suffixes = False
router.register("ecosystems", views.EcosystemViewSet, basename="collaborative-ecosystem")
router.register("ecosystem-members", views.EcosystemMemberViewSet, basename="collaborative-ecosystemmember")
router.register("impact", views.ImpactViewSet, basename="collaborative-impact")
router.register("meetings", views.MeetingViewSet, basename="collaborative-meeting")
router.register("action-items", views.ActionItemViewSet, basename="collaborative-actionitem")
router.register("lessons", views.LessonViewSet, basename="collaborative-lesson")
router.register("relationships", views.RelationshipViewSet, basename="collaborative-relationship")

urlpatterns = router.urls
