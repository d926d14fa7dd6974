"""The project's address book: each app's pages and API, the schema and docs, the admin, health."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

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
    # The split view serves Swagger UI's start-up script as a file: no inline script under the CSP.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="cities/api_docs.html"),
        name="api-docs",
    ),
    path("healthz/", healthz, name="healthz"),
    # The language switcher's form posts to Django's set_language, which keeps the choice in a cookie.
    path("i18n/", include("django.conf.urls.i18n")),
    # The scripts' words in the page's language (locale/es/LC_MESSAGES/djangojs.po). Not
    # cached: the language comes from a cookie as well as Accept-Language.
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
]

# Under /api/ errors are JSON; elsewhere residents see the portal's own pages (templates/404.html, 500.html).
handler404 = "cities.views.page_not_found"
handler500 = "cities.views.server_error"
