from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from cities.views import healthz

urlpatterns = [
    path("cities/washington-dc/housing/", include("housing.urls")),
    path("cities/st-louis/courts/", include("courts.urls")),
    path("cities/boston/summer-jobs/", include("youthjobs.urls")),
    path("api/v1/youthjobs/", include("youthjobs.api.urls")),
    path("", include("collaborative.urls")),
    path("", include("cities.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/housing/", include("housing.api.urls")),
    path("api/v1/courts/", include("courts.api.urls")),
    path("api/v1/collaborative/", include("collaborative.api.urls")),
    path("api/v1/", include("cities.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("healthz/", healthz, name="healthz"),
]
