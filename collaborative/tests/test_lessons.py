"""Lessons: Markdown rendered safely, unsafe text refused, searched and filtered."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from cities.models import City
from collaborative.markdown import UnsafeMarkdown, markdown_render
from collaborative.models import Lesson

pytestmark = pytest.mark.django_db


def test_markdown_is_rendered() -> None:
    html = markdown_render("# Title\n\nSome **bold** [link](https://example.org)")
    assert "<strong>bold</strong>" in html and '<a href="https://example.org">' in html


@pytest.mark.parametrize(
    "text", ["Hi <script>alert(1)</script>", '<img src="x" onerror="alert(1)">', "<iframe src='x'></iframe>"]
)
def test_markdown_with_unsafe_html_is_refused(text: str) -> None:
    with pytest.raises(UnsafeMarkdown):
        markdown_render(text)


def test_a_lesson_with_a_script_is_refused_in_the_admin(client, django_user_model, ecosystem_data) -> None:
    client.force_login(django_user_model.objects.create_superuser("editor", password="an-editor-password-1"))
    response = client.post(
        reverse("admin:collaborative_lesson_add"),
        {
            "title": "Bad",
            "slug": "bad",
            "summary": "s",
            "body": "Hello <script>steal()</script>",
            "theme": "sustaining",
            "published_on": "2018-06-01",
        },
    )
    assert "not allowed" in response.content.decode()
    assert not Lesson.objects.filter(slug="bad").exists()


def test_lessons_are_searched_and_filtered(client, ecosystem_data) -> None:
    page = client.get(reverse("collaborative:lesson-list"), {"q": "mapping ecosystem"}).content.decode()
    assert "map the ecosystem before you build" in page
    assert "one shared catalogue" not in page
    by_city = client.get(reverse("collaborative:lesson-list"), {"city": "washington-dc"}).content.decode()
    assert "one shared catalogue" in by_city and "map the ecosystem" not in by_city
    by_theme = client.get(reverse("collaborative:lesson-list"), {"theme": "sustaining"}).content.decode()
    assert "one shared catalogue" in by_theme


def test_lesson_page_renders_markdown_and_lists_what_it_cites(client, ecosystem_data) -> None:
    lesson = Lesson.objects.create(
        title="Data walks",
        slug="data-walks",
        summary="Walking residents through the data.",
        body="Residents **read the maps** together.",
        theme=Lesson.Theme.ENGAGING_RESIDENTS,
        figures_cited="40 residents took part (sample)",
        published_on=date(2018, 1, 1),
    )
    lesson.cities.set(City.objects.filter(slug="st-louis"))
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert "<strong>read the maps</strong>" in page
    assert "40 residents took part" in page
    assert client.get(reverse("collaborative:lesson-detail", kwargs={"slug": "nope"})).status_code == 404
