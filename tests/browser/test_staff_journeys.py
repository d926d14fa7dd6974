"""Staff journeys of the portal's promises to its staff (issue 11), in Chromium: DC housing
staff's notes and agenda, API tokens for partners, the audit trail, and offered files. Each
starts at `/admin/` and follows only the links and buttons a person sees."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from cities.models import ApiToken, IngestionRun
from cities.roles import PARTNERS
from housing.models import Project, ProjectNote, RiskRefresh, WatchlistEntry
from housing.roles import DC_STAFF
from tests.accounts import STAFF_PASSWORD
from tests.browser.conftest import Site
from tests.browser.test_youthjobs_admin import after_response_work_finished, open_run, wait_for
from youthjobs.models import MatchRun, Placement, PlacementState
from youthjobs.roles import BOSTON_SUPERVISORS

pytestmark = pytest.mark.browser


def autocomplete_options(page: Page, field: str, typed: str, *, first: str):
    """Open the admin's autocomplete of `field`, type part of a name, wait until it offers
    `first` first (the answers to shorter prefixes arrive before), and return the options
    in the order offered."""
    page.locator(f".field-{field} .select2-selection").click()
    page.locator(".select2-search__field").press_sequentially(typed)
    options = page.locator(".select2-results__option")
    expect(options.first).to_have_text(first)
    return options


def api_get(site: Site, path: str, key: str) -> tuple[int, dict]:
    """What a partner's program gets from the API with its key."""
    response = requests.get(site.url + path, headers={"Authorization": f"Token {key}"}, timeout=30)
    return response.status_code, response.json()


@pytest.fixture
def dc_site(site: Site) -> Site:
    # Each file's commit ran the risk assessment it enqueues, so every project has its first
    # assessment (a baseline) before the first meeting.
    site.load("dc without profiles")
    return site


def test_dc_staff_read_when_the_risk_was_last_refreshed_what_it_changed_and_from_which_files(
    dc_site: Site, member_of
) -> None:
    staff = member_of(DC_STAFF)
    latest = RiskRefresh.objects.latest_finished()
    assert latest is not None

    page = dc_site.signed_in_page(staff.username)
    page.get_by_role("link", name="Risk refreshes").click()
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(RiskRefresh.objects.count())
    newest = rows.first
    expect(newest.locator(".field-projects_assessed")).to_have_text(str(latest.projects_assessed))
    expect(newest.locator(".field-assessments_changed")).to_have_text(str(latest.assessments_changed))

    newest.locator("th a").click()
    files = page.locator(".field-files_read")
    runs = list(latest.ingestion_runs.select_related("dataset"))
    assert runs, "a refresh records the files it read"
    for run in runs:
        expect(files).to_contain_text(f"{run.dataset.title}: run {run.pk}, ingested ")
    expect(page.locator(".field-took")).to_contain_text(" s")
    # The record of a run: nothing to change or delete.
    expect(page.get_by_role("button", name="Save")).to_have_count(0)
    expect(page.get_by_role("link", name="Delete")).to_have_count(0)


def test_dc_staff_strike_a_note_add_one_by_autocomplete_and_read_the_first_agenda(dc_site: Site, member_of) -> None:
    staff = member_of(DC_STAFF)
    wrong = ProjectNote.objects.create(
        project=Project.objects.get(nlihc_id="NL000001"), text="Called the wrong owner.", author=staff
    )

    page = dc_site.signed_in_page(staff.username)
    # A note entered in error is kept, struck through.
    page.get_by_role("link", name="Project notes").click()
    page.locator("#result_list tbody tr", has_text="Called the wrong owner.").locator("input.action-select").check()
    page.get_by_role("combobox", name="Action").select_option(
        label="Mark the selected notes as entered in error (kept, struck through)"
    )
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("1 note marked as entered in error.")
    row = page.locator("#result_list tbody tr", has_text="Called the wrong owner.")
    expect(row.locator("s")).to_have_text("Called the wrong owner.")
    expect(row).to_contain_text("(entered in error)")
    wrong.refresh_from_db()
    assert wrong.entered_in_error_by == staff and wrong.entered_in_error_at is not None

    # A new note: the project found by part of its name, the best name match offered first.
    page.get_by_role("link", name="Add project note").click()
    options = autocomplete_options(page, "project", "park", first="Park Southern Apts (NL000227)")
    # A name that only contains the word comes after every name that starts with it.
    expect(options.filter(has_text="Benning Park Terrace")).to_have_count(1)
    offered = options.all_inner_texts()
    assert offered.index("Park Southern Apts (NL000227)") < next(
        index for index, text in enumerate(offered) if text.startswith("Benning Park Terrace")
    )
    options.first.click()
    page.get_by_label("Text").fill("Met the tenants' association.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    added = ProjectNote.objects.get(text="Met the tenants' association.")
    assert (added.project.name, added.author) == ("Park Southern Apts", staff)

    # Staff watch that project, then the first meeting's agenda lists it with their reason,
    # and no project merely because it was assessed for the first time.
    page.locator("#site-name a").click()
    page.get_by_role("link", name="Watchlist", exact=True).click()
    page.get_by_role("link", name="Add watchlist entry").click()
    autocomplete_options(page, "project", "Park Southern", first="Park Southern Apts (NL000227)").first.click()
    page.get_by_label("Reason").fill("Owner may sell in the spring")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    assert WatchlistEntry.objects.get().added_by == staff

    page.locator("#site-name a").click()
    page.get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_role("link", name="Add meeting").click()
    page.get_by_label("Held on").fill(f"{timezone.localdate():%Y-%m-%d}")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("link", name="Agenda").click()
    expect(page.locator("#content")).to_contain_text("the first meeting's baseline")
    rows = page.locator("#agenda tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Park Southern Apts")
    expect(rows.first).to_contain_text("On the watchlist: Owner may sell in the spring")
    expect(rows.first).to_contain_text("Met the tenants' association.")
    expect(page.get_by_text("Risk rose")).to_have_count(0)


def test_staff_make_a_partners_token_shown_once_then_end_it(site: Site, member_of, django_user_model) -> None:
    django_user_model.objects.create_superuser(username="head-of-data", password=STAFF_PASSWORD)
    partner = member_of(PARTNERS, is_staff=False)

    page = site.signed_in_page("head-of-data")
    page.get_by_role("link", name="API tokens").click()
    page.get_by_role("link", name="Add API token").click()
    page.get_by_label("User").select_option(label=partner.username)
    page.get_by_label("Label").fill("Partner dashboard")
    page.get_by_role("button", name="Make the token").click()

    expect(page.get_by_text("it is not kept and will not be shown again")).to_be_visible()
    key = page.get_by_label("Key").input_value()
    token = ApiToken.objects.get()
    assert key.startswith(token.prefix) and len(key) > len(token.prefix)
    assert (token.user, token.label, token.expires_at) == (partner, "Partner dashboard", None)
    assert api_get(site, "/api/v1/cities/", key)[0] == 200

    # From now on only the prefix: in the list and on the token's page.
    page.get_by_role("link", name="All tokens").click()
    expect(page.locator("#result_list")).to_contain_text(token.prefix)
    assert key not in page.content()
    page.get_by_role("link", name=token.prefix).click()
    expect(page.locator(".field-prefix")).to_contain_text(token.prefix)
    assert key not in page.content()

    # Staff end the token now: the partner's program is refused from then on.
    expiry = page.locator(".field-expires_at")
    expiry.get_by_role("link", name="Today").click()
    expiry.get_by_role("link", name="Now").click()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(page.locator("#result_list tbody tr", has_text=token.prefix)).to_contain_text("expired")
    token.refresh_from_db()
    assert token.expires_at is not None and token.expires_at <= timezone.now()
    assert api_get(site, "/api/v1/cities/", key) == (401, {"detail": "Token expired."})


@pytest.fixture
def boston_run_waiting(site: Site) -> Site:
    """A small season (150 youth) and its optimal run, waiting for a supervisor's approval."""
    site.load("boston 150 run waiting")
    return site


def test_a_supervisors_approval_and_placement_change_show_in_their_history(boston_run_waiting: Site, member_of) -> None:
    supervisor = member_of(BOSTON_SUPERVISORS)

    page = boston_run_waiting.signed_in_page(supervisor.username)
    open_run(page, "Waiting for approval")
    page.get_by_role("button", name="Approve this run and make the offers").click()
    expect(page.locator(".messagelist")).to_contain_text("offers made")
    run = MatchRun.objects.get()
    assert run.approved_by == supervisor

    page.get_by_role("link", name="History").click()
    approval = page.locator("#audit-trail tbody tr", has_text=f"approved by: None → {supervisor.username}")
    expect(approval).to_have_count(1)
    expect(approval.locator("td").first).to_have_text(supervisor.username)

    # A placement withdrawn with a reason: its History says who, what and why.
    open_run(page, "Approved")
    page.get_by_role("link", name="Review its placements").click()
    page.locator("#result_list tbody tr", has_text="Offered").first.locator("th a").click()
    applicant_id = page.locator(".field-applicant .readonly").inner_text()
    page.get_by_role("link", name="Change the placement").click()
    page.get_by_label("Change its state to").select_option(label=str(PlacementState.WITHDRAWN.label))
    page.get_by_label("Reason").fill("The youth took a job at the family shop")
    page.get_by_role("button", name="Change the placement").click()
    expect(page.locator(".messagelist")).to_contain_text("The placement was changed")
    placement = Placement.objects.get(run=run, applicant__applicant_id=applicant_id)
    assert placement.state == PlacementState.WITHDRAWN

    page.get_by_role("link", name="History").click()
    change = page.locator("#audit-trail tbody tr", has_text="The youth took a job at the family shop")
    expect(change).to_have_count(1)
    expect(change.locator("td").first).to_have_text(supervisor.username)
    expect(change).to_contain_text(f"→ {PlacementState.WITHDRAWN.label}")
    # The offers went out after the answer; the flush must not race them.
    wait_for(after_response_work_finished)


def test_an_offered_file_is_downloaded_from_its_run_and_its_records_are_read_only(
    site: Site, django_user_model, tmp_path
) -> None:
    django_user_model.objects.create_superuser(username="head-of-data", password=STAFF_PASSWORD)
    catalog = (Path(settings.CIVIC_DATA_DIR) / "dc" / "prescat_project.csv").read_bytes().splitlines(keepends=True)
    offered = tmp_path / "two-projects.csv"
    offered.write_bytes(b"".join(catalog[:3]))

    page = site.signed_in_page("head-of-data")
    page.get_by_role("link", name="Datasets").first.click()
    page.get_by_role("link", name="DC Preservation Catalog: projects", exact=True).click()
    page.get_by_role("link", name="Upload a file").click()
    page.get_by_label("File").set_input_files(str(offered))
    page.get_by_role("button", name="Upload and ingest").click()
    expect(page.locator(".messagelist .success")).to_contain_text("The file two-projects.csv was ingested: 2 created")
    assert IngestionRun.objects.get(file_name="two-projects.csv").status == IngestionRun.Status.SUCCEEDED

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the offered file (two-projects.csv)").click()
    download = download_info.value
    assert download.suggested_filename == "two-projects.csv"
    assert Path(download.path()).read_bytes() == offered.read_bytes()

    # A project the file made: the file is its source, so even a superuser cannot save it.
    page.locator("#site-name a").click()
    page.get_by_role("link", name="Subsidised housing projects").click()
    first = Project.objects.order_by("nlihc_id").first()
    assert first is not None
    page.get_by_role("link", name=first.nlihc_id, exact=True).click()
    expect(page.locator(".field-name")).to_contain_text(first.name)
    expect(page.get_by_role("button", name="Save")).to_have_count(0)
    expect(page.locator("input[type=submit]")).to_have_count(0)
