"""Addresses of the DC housing API: projects, owners, subsidies, inspections, risk assessments,
market indicators and the expiry timeline."""

from __future__ import annotations

from rest_framework.routers import DefaultRouter

from housing.api import views

# As the core's router: no format suffixes (`?format=csv` chooses CSV), slugs for projects.
router = DefaultRouter(use_regex_path=False)
router.include_format_suffixes = False
router.register("projects", views.ProjectViewSet, basename="housing-project")
router.register("owners", views.OwnerViewSet, basename="housing-owner")
router.register("subsidies", views.SubsidyViewSet, basename="housing-subsidy")
router.register("inspections", views.InspectionViewSet, basename="housing-inspection")
router.register("risk-assessments", views.RiskAssessmentViewSet, basename="housing-riskassessment")
router.register("market-indicators", views.MarketIndicatorViewSet, basename="housing-marketindicator")
router.register("expiry-timeline", views.ExpiryTimelineViewSet, basename="housing-expirytimeline")

urlpatterns = router.urls
