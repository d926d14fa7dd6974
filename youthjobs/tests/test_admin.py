"""The summer jobs admin as staff use it: applicants only with the summer jobs permission."""

from __future__ import annotations

from django.urls import reverse

from youthjobs.tests.factories import ApplicantFactory, EligibilityFactory


def test_boston_staff_see_applicants_with_their_eligibility(client, boston_staff) -> None:
    eligibility = EligibilityFactory(eligible=False, reasons=["No work permit."], applicant__last_name="Youth 00042")
    client.force_login(boston_staff)

    listing = client.get(reverse("admin:youthjobs_applicant_changelist"), {"eligibility__eligible__exact": "0"})
    page = client.get(reverse("admin:youthjobs_applicant_change", args=[eligibility.applicant.pk]))

    assert listing.status_code == 200
    assert "Youth 00042" in listing.content.decode()
    assert "No work permit." in page.content.decode()


def test_other_cities_staff_cannot_see_applicants(client, dc_staff) -> None:
    applicant = ApplicantFactory()
    client.force_login(dc_staff)

    assert client.get(reverse("admin:youthjobs_applicant_changelist")).status_code == 403
    assert client.get(reverse("admin:youthjobs_applicant_change", args=[applicant.pk])).status_code == 403


def test_applicants_cannot_be_edited_in_the_admin(client, boston_staff) -> None:
    applicant = ApplicantFactory(first_name="Synthetic")
    client.force_login(boston_staff)

    client.post(reverse("admin:youthjobs_applicant_change", args=[applicant.pk]), {"first_name": "Changed"})

    applicant.refresh_from_db()
    assert applicant.first_name == "Synthetic"
