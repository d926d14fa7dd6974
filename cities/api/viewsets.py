"""The views every app's API is built from: DRF's, whose lists also answer CSV
(`cities.api.csv`) and whose answers name the version of the data they come from
(`cities.data_version`). An API view derives from these, not from DRF's own, so that a new
list is downloadable as CSV and versioned without a line of its own
(`cities/tests/test_api_csv.py` checks every list of the URLconf)."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model
from rest_framework import mixins, viewsets

from cities.api.csv import CSVAnswers, StreamedListModelMixin
from cities.data_version import DataVersionAnswers

ModelT = TypeVar("ModelT", bound=Model)


class GenericViewSet(DataVersionAnswers, CSVAnswers, viewsets.GenericViewSet[ModelT]):
    """A viewset of a queryset; its `list`, if it writes its own, answers CSV from the
    serialized list it returns."""


class ListViewSet(StreamedListModelMixin[ModelT], GenericViewSet[ModelT]):
    """A list without details."""


class ReadOnlyModelViewSet(mixins.RetrieveModelMixin, StreamedListModelMixin[ModelT], GenericViewSet[ModelT]):
    """A list and its details."""


class ViewSet(DataVersionAnswers, CSVAnswers, viewsets.ViewSet):
    """A viewset of figures computed in memory rather than of a queryset."""


class APIView(DataVersionAnswers, CSVAnswers):
    """One address; with `answers_a_list = True` its GET is a list, which answers CSV too."""
