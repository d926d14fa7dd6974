"""Stories as residents send and read them: consent, moderation, anonymity, escaping, spam."""

from __future__ import annotations

import pytest
from django.urls import reverse

from courts.models import Story
from courts.tests.factories import MunicipalityFactory, StoryFactory

pytestmark = pytest.mark.django_db
NEW = reverse("courts:story-new")
LIST = reverse("courts:stories")
STORY = "A parking ticket turned into a warrant and I spent a night in jail over $40."


def send(client, address: str = "203.0.113.7", **fields):
    return client.post(NEW, {"body": STORY, "consent": "on", **fields}, REMOTE_ADDR=address, follow=True)


def test_a_story_with_consent_waits_for_review_before_it_is_shown(client):
    town = MunicipalityFactory(name="Ferguson")

    response = send(client, municipality=str(town.pk))

    assert response.status_code == 200 and "We got your story" in response.content.decode()
    assert response.redirect_chain == [(reverse("courts:story-thanks"), 302)]
    story = Story.objects.get()
    assert (story.status, story.municipality, story.body) == (Story.Status.PENDING, town, STORY)
    assert STORY not in client.get(LIST).content.decode()


def test_a_story_needs_no_town(client):
    send(client)

    assert Story.objects.get().municipality is None


def test_a_story_without_consent_is_refused_and_not_kept(client):
    response = client.post(NEW, {"body": STORY}, REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 400
    assert "publish your story without your name" in response.content.decode()
    assert not Story.objects.exists()


def test_a_published_story_with_html_is_shown_escaped_and_without_a_name(client):
    StoryFactory(body='<script>alert("x")</script> <b>bold</b> and more words here', status=Story.Status.APPROVED)
    StoryFactory(body="A story still waiting for review, not to be shown.")

    page = client.get(LIST).content.decode()

    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt;" in page
    assert "<script>alert" not in page
    assert "still waiting" not in page


def test_a_robot_filling_the_trap_is_thanked_and_nothing_is_kept(client):
    response = send(client, website="http://spam.example")

    assert response.status_code == 200 and "We got your story" in response.content.decode()
    assert not Story.objects.exists()


def test_sending_stories_is_rate_limited_per_client(client, settings):
    settings.COURTS_STORY_ATTEMPTS = 2
    answers = [send(client).status_code for _ in range(3)]

    assert answers == [200, 200, 429]
    assert Story.objects.count() == 2
    assert send(client, address="198.51.100.1").status_code == 200


def test_back_or_reload_after_a_story_never_sends_it_again(client):
    send(client)

    thanks = client.get(reverse("courts:story-thanks"))

    assert thanks.status_code == 200 and reverse("courts:stories") in thanks.content.decode()
    assert Story.objects.count() == 1


def test_a_story_refused_for_its_own_errors_is_not_counted_against_the_limit(client, settings):
    settings.COURTS_STORY_ATTEMPTS = 2
    refused = [client.post(NEW, {"body": STORY}, REMOTE_ADDR="203.0.113.7").status_code for _ in range(3)]
    refused += [send(client, body="Too short").status_code for _ in range(3)]

    answers = [send(client).status_code for _ in range(3)]

    assert refused == [400] * 6
    assert answers == [200, 200, 429] and Story.objects.count() == 2
