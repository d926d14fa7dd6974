"""The St. Louis data in the admin as staff use it: defendants' details only with the
courts permission, ingested rows read-only, stories moderated."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from courts.models import Story
from courts.reminders import reminder_subscribe
from courts.tests.factories import CitationFactory, StoryFactory, ViolationFactory

DEFENDANT_PERSONAL_VALUES = ("Quinta", "Imaginary", "12 Invented Lane")


@pytest.fixture
def citation(db):
    citation = CitationFactory(first_name="Quinta", last_name="Imaginary", last_name_key="IMAGINARY")
    ViolationFactory(citation=citation)
    return citation


@pytest.fixture
def clerk_without_defendants(db, django_user_model):
    """Staff who may browse citations but not see who they are about."""
    user = django_user_model.objects.create_user(username="clerk", password="a-clerk-password-1", is_staff=True)
    for codename in ("view_citation", "view_violation"):
        user.user_permissions.add(Permission.objects.get(content_type__app_label="courts", codename=codename))
    return user


def test_st_louis_staff_see_the_defendants_details(client, st_louis_staff, citation):
    client.force_login(st_louis_staff)

    page = client.get(reverse("admin:courts_citation_change", args=[citation.pk])).content.decode()

    assert "Quinta" in page and "Imaginary" in page and citation.licence_number in page


def test_st_louis_staff_find_a_citation_by_last_name(client, st_louis_staff, citation):
    client.force_login(st_louis_staff)

    page = client.get(reverse("admin:courts_citation_changelist"), {"q": "imaginary"}).content.decode()

    assert citation.citation_number in page


def test_staff_without_the_courts_permission_never_see_defendants(client, clerk_without_defendants, citation):
    client.force_login(clerk_without_defendants)

    change = client.get(reverse("admin:courts_citation_change", args=[citation.pk]))
    by_name = client.get(reverse("admin:courts_citation_changelist"), {"q": "Imaginary"})

    assert change.status_code == 200 and citation.citation_number in change.content.decode()
    for personal in ("Quinta", "Imaginary", citation.licence_number, citation.address):
        assert personal not in change.content.decode()
    assert citation.citation_number not in by_name.content.decode()


def test_staff_of_other_cities_cannot_open_citations(client, dc_staff, citation):
    client.force_login(dc_staff)

    assert client.get(reverse("admin:courts_citation_change", args=[citation.pk])).status_code == 403


def test_ingested_rows_cannot_be_edited_in_the_admin(client, st_louis_staff, citation):
    client.force_login(st_louis_staff)

    response = client.post(
        reverse("admin:courts_citation_change", args=[citation.pk]), {"citation_number": "1", "first_name": "X"}
    )

    assert response.status_code == 403
    citation.refresh_from_db()
    assert citation.first_name == "Quinta"


def test_staff_publish_a_story_and_a_second_publish_changes_nothing(client, st_louis_staff):
    stories = [StoryFactory(), StoryFactory()]
    client.force_login(st_louis_staff)
    changelist = reverse("admin:courts_story_changelist")

    response = client.post(changelist, {"action": "publish", "_selected_action": [stories[0].pk]}, follow=True)
    again = client.post(changelist, {"action": "publish", "_selected_action": [stories[0].pk]}, follow=True)

    assert "1 story published." in response.content.decode()
    assert "0 stories published." in again.content.decode()
    assert list(Story.objects.published()) == [stories[0]]
    stories[1].refresh_from_db()
    assert stories[1].status == Story.Status.PENDING


def test_reminder_contacts_are_shown_only_with_the_courts_permission(
    client, st_louis_staff, django_user_model, citation
):
    subscription = reminder_subscribe(
        citation=citation, channel="sms", address="314-555-0187", today=date(2026, 11, 25)
    )
    viewer = django_user_model.objects.create_user(username="viewer", password="a-viewer-password-1", is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(content_type__app_label="courts", codename="view_remindersubscription")
    )
    url = reverse("admin:courts_remindersubscription_change", args=[subscription.pk])

    client.force_login(viewer)
    hidden = client.get(url).content.decode()
    client.force_login(st_louis_staff)
    shown = client.get(url).content.decode()

    assert "+13145550187" not in hidden and "+13145550187" in shown


def test_staff_publish_an_edited_story_from_its_page_and_the_residents_words_are_kept(client, st_louis_staff):
    story = StoryFactory(body="Judge Quinta Imaginary fined me twice for one ticket in Ferguson.")
    client.force_login(st_louis_staff)
    page = reverse("admin:courts_story_change", args=[story.pk])

    form = client.get(page).content.decode()
    response = client.post(
        page,
        {"published_text": "A judge fined me twice for one ticket in Ferguson.", "_publish": "Publish"},
        follow=True,
    )
    stories = client.get(reverse("courts:stories")).content.decode()

    assert 'value="Publish"' in form and 'value="Do not publish"' in form and "Save and continue" not in form
    story.refresh_from_db()
    assert story.status == Story.Status.APPROVED
    assert story.body == "Judge Quinta Imaginary fined me twice for one ticket in Ferguson."
    assert "A judge fined me twice" in stories and "Quinta" not in stories
    assert "1 story published." in response.content.decode()


def test_staff_do_not_publish_a_story_from_its_page_and_a_bare_save_changes_nothing(client, st_louis_staff):
    story = StoryFactory()
    client.force_login(st_louis_staff)
    page = reverse("admin:courts_story_change", args=[story.pk])

    bare = client.post(page, {"published_text": "Changed"})
    story.refresh_from_db()
    assert bare.status_code == 403 and story.status == Story.Status.PENDING and story.published_text == ""

    response = client.post(page, {"published_text": story.body, "_refuse": "Do not publish"}, follow=True)

    story.refresh_from_db()
    assert story.status == Story.Status.REJECTED and story.published_text == ""
    assert "1 story not published." in response.content.decode()
