"""Lessons and case studies: searching them."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet

from collaborative.models import Lesson


def lesson_list() -> QuerySet[Lesson]:
    return Lesson.objects.prefetch_related("cities", "datasets")


def lesson_search(*, text: str = "", city_slug: str = "", theme: str = "", app_label: str = "") -> QuerySet[Lesson]:
    """Lessons matching the words of `text` (PostgreSQL full-text search over title, summary
    and body, best first; a case-insensitive match elsewhere), filtered by city, theme and app."""
    lessons = lesson_list()
    if city_slug:
        lessons = lessons.filter(cities__slug=city_slug)
    if theme:
        lessons = lessons.filter(theme=theme)
    if app_label:
        lessons = lessons.filter(app_label=app_label)
    if text.strip():
        if connection.vendor == "postgresql":
            vector = (
                SearchVector("title", weight="A", config="english")
                + SearchVector("summary", weight="B", config="english")
                + SearchVector("body", config="english")
            )
            query = SearchQuery(text, search_type="websearch", config="english")
            lessons = (
                lessons.annotate(search=vector, rank=SearchRank(vector, query))
                .filter(search=query)
                .order_by("-rank", "-published_on")
            )
        else:
            words = Q()
            for word in text.split():
                words &= Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
            lessons = lessons.filter(words)
    return lessons.distinct()
