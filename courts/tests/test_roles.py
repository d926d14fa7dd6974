"""St. Louis's shipped roles at work: both moderate stories and browse citations; only the
defendant-details role sees who a citation is about; neither reaches another city's data."""

from __future__ import annotations

from django.urls import reverse

from courts.models import Story
from courts.roles import ST_LOUIS_DEFENDANT_STAFF, ST_LOUIS_STAFF
from courts.tests.factories import CitationFactory, StoryFactory


def test_st_louis_staff_moderate_stories_without_seeing_defendants(client, member_of) -> None:
    citation = CitationFactory(first_name="Quinta", last_name="Imaginary")
    story = StoryFactory()
    client.force_login(member_of(ST_LOUIS_STAFF))

    published = client.post(
        reverse("admin:courts_story_changelist"), {"action": "publish", "_selected_action": [story.pk]}, follow=True
    )
    citation_page = client.get(reverse("admin:courts_citation_change", args=[citation.pk])).content.decode()

    assert published.status_code == 200
    story.refresh_from_db()
    assert story.status == Story.Status.APPROVED
    assert citation.citation_number in citation_page
    assert "Quinta" not in citation_page and "Imaginary" not in citation_page


def test_st_louis_staff_with_defendant_details_see_who_a_citation_is_about(client, member_of) -> None:
    citation = CitationFactory(first_name="Quinta", last_name="Imaginary")
    client.force_login(member_of(ST_LOUIS_DEFENDANT_STAFF))

    page = client.get(reverse("admin:courts_citation_change", args=[citation.pk])).content.decode()

    assert "Quinta" in page and "Imaginary" in page


def test_st_louis_roles_are_refused_other_cities_and_uploads(client, member_of) -> None:
    for group in (ST_LOUIS_STAFF, ST_LOUIS_DEFENDANT_STAFF):
        client.force_login(member_of(group))
        for name in (
            "admin:youthjobs_applicant_changelist",
            "admin:youthjobs_matchrun_add",
            "admin:housing_projectnote_add",
            "admin:cities_ingestionrun_changelist",
        ):
            assert client.get(reverse(name)).status_code == 403, (group, name)
