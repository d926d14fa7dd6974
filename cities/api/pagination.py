"""Pages of every API list: 50 rows unless the client asks for up to 500."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from functools import cached_property, partial
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

from cities.data_cache import data_cached

MAX_PAGE_SIZE = 500


# A whole number of 1 or more in ASCII digits. Matched as text, since a page number may
# have more digits than int() reads (Django's paginator answers those 404).
WHOLE_NUMBER = re.compile(r"[1-9][0-9]*")


def _refused(name: str, expected: str) -> ValidationError:
    return ValidationError({name: [f"Enter a whole number {expected}."]})


class DataVersionCountPaginator(Paginator[Any]):
    """Django's paginator over rows that change only with a new version of `app`'s data: their
    exact count, read once per version and per filter (`cities.data_cache`) rather than on
    every page. `COUNT(*)` is a scan of every row selected: 2,000,000 citations, say.

    Which rows are on a page is kept the same way, as their primary keys: ordering 200,000
    projects by a column of another table, or skipping to the 1,000th page of citations, sorts
    or walks every row before it. The rows themselves are read fresh, by primary key."""

    def __init__(self, object_list: QuerySet[Any], per_page: int, *, app: str) -> None:
        super().__init__(object_list, per_page)
        self.rows = object_list
        self.app = app

    @cached_property
    def count(self) -> int:
        # The rows selected, whatever their order: one count for every ordering of a filter.
        try:
            sql, parameters = self.rows.order_by().query.sql_with_params()
        except EmptyResultSet:
            # A filter no row can pass (an empty choice of values): counted without a query.
            return self.rows.count()
        selected = hashlib.sha256(repr((sql, parameters)).encode()).hexdigest()
        return data_cached(self.app, f"api-list-count:{selected}", self.rows.count)

    def page(self, number: int | str) -> Page[Any]:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        try:
            sql, parameters = self.rows.query.sql_with_params()
        except EmptyResultSet:
            return Page(self.rows[bottom:top], number, self)
        ordered = hashlib.sha256(repr((sql, parameters, bottom, top)).encode()).hexdigest()
        # Not yet kept: the page's rows as always, one query, and their keys kept.
        rows_read: list[Any] = []

        def keys_read() -> list[Any]:
            rows_read.extend(self.rows[bottom:top])
            return [row.pk for row in rows_read]

        keys = data_cached(self.app, f"api-list-page:{ordered}", keys_read)
        if rows_read:
            return Page(rows_read, number, self)
        by_key = {row.pk: row for row in self.rows.filter(pk__in=keys).order_by()}
        return Page([by_key[key] for key in keys if key in by_key], number, self)


class PortalPagination(PageNumberPagination):
    """DRF's page numbers, except that a malformed `page` or `page_size` is refused with 400
    instead of being read as the first page or the default size. A page past the last is 404.

    A view whose rows are written only by its app's ingestion and by services that start a
    new version of the app's data (`data_version_bump`) names the app in
    `count_cached_by_data_version` ("housing"): its count is then cached under that version."""

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(
        self, queryset: QuerySet[Any] | Sequence[Any], request: Request, view: Any = None
    ) -> list[Any] | None:
        self.query_parameters_check(request)
        app = getattr(view, "count_cached_by_data_version", None)
        if app is not None and isinstance(queryset, QuerySet):
            # DRF calls it as the class, with the rows and the page size only.
            self.django_paginator_class = partial(DataVersionCountPaginator, app=app)  # type: ignore[assignment]
        return super().paginate_queryset(queryset, request, view)

    def query_parameters_check(self, request: Request) -> None:
        """Refuses a malformed `page` or `page_size` with 400 naming it; also where no page is
        cut (a CSV download), so that a value refused in JSON is refused there too."""
        page = request.query_params.get(self.page_query_param)
        if page is not None and WHOLE_NUMBER.fullmatch(page) is None:
            raise _refused(self.page_query_param, "of 1 or more")
        self.get_page_size(request)

    def get_page_size(self, request: Request) -> int | None:
        size = request.query_params.get(self.page_size_query_param)
        if size is None:
            return self.page_size
        if (
            WHOLE_NUMBER.fullmatch(size) is None
            # Its length first: int() refuses thousands of digits.
            or len(size) > len(str(self.max_page_size))
            or int(size) > self.max_page_size
        ):
            raise _refused(self.page_size_query_param, f"from 1 to {self.max_page_size}")
        return int(size)

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        # The examples drf-spectacular wraps a list's one example row in: a page of one row
        # (DRF's own describe page 3 of 123 rows of `/accounts/`).
        paginated = super().get_paginated_response_schema(schema)
        properties = paginated["properties"]
        properties["count"]["example"] = 1
        properties["next"]["example"] = None
        properties["previous"]["example"] = None
        return paginated

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters
