"""Addresses of the core's public pages: home, privacy, cities, datasets, message opt-out."""

from __future__ import annotations

from django.urls import path

from cities import open_data_views, views

app_name = "cities"

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("cities/<slug:slug>/", views.city_detail, name="city-detail"),
    path("datasets/", views.dataset_list, name="dataset-list"),
    path("datasets/<slug:slug>/", views.dataset_detail, name="dataset-detail"),
    path("data.json", open_data_views.data_json, name="data-json"),
    path("datasets/<slug:slug>/table-schema.json", open_data_views.dataset_table_schema, name="dataset-table-schema"),
    path("datasets/<slug:slug>/file/", open_data_views.dataset_file, name="dataset-file"),
    path("datasets/<slug:slug>/records.csv", open_data_views.dataset_records_csv, name="dataset-records-csv"),
    path(
        "datasets/<slug:slug>/records.geojson",
        open_data_views.dataset_records_geojson,
        name="dataset-records-geojson",
    ),
    path("messages/stop/<str:token>/", views.message_opt_out, name="message-opt-out"),
    path("messages/sms/status/", views.sms_status, name="sms-status"),
    path("messages/sms/inbound/", views.sms_inbound_message, name="sms-inbound"),
]
