"""The public St. Louis pages: find my ticket, the courts, stories. Thin views over
`courts.lookup`, `courts.selectors` and `courts.stories`."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from cities.boundaries import boundary_document_view
from cities.client_address import client_address
from cities.http import private_response
from cities.rate_limits import Limit, RateLimit, rate_limit_give_back, rate_limit_take
from courts import dashboard, selectors
from courts.boundaries import municipal_boundaries_document
from courts.forms import ReminderForm, StoryForm, TicketLookupForm, WatchForm
from courts.lookup import LookupKind, citations_proven, ticket_lookup
from courts.models import Citation, Court, Story
from courts.reminders import citation_watch, reminder_subscribe
from courts.stories import StoryRefused, story_submit

NO_MATCH = _(
    "We could not find a ticket that matches all of these details. Check each one and try "
    "again, or call the court named on your ticket."
)


def _lookup_forms(bound: TicketLookupForm | None = None) -> list[tuple[str, TicketLookupForm]]:
    """The three searches' forms, (kind, form): the one just sent bound, with its errors."""
    forms = []
    for kind in LookupKind.ALL:
        if bound is not None and bound.data.get("kind") == kind:
            forms.append((kind, bound))
        else:
            forms.append((kind, TicketLookupForm(auto_id=f"id_{kind}_%s", initial={"kind": kind})))
    return forms


def home(request: HttpRequest) -> HttpResponse:
    """The St. Louis court operations dashboard, with the way into find my ticket."""
    figures = dashboard.dashboard_cached()
    context = {"dashboard": figures, "map_counts": dashboard.map_counts(figures.municipalities)}
    return render(request, "courts/dashboard.html", context)


@require_http_methods(["GET", "POST"])
def find_ticket(request: HttpRequest) -> HttpResponse:
    """The search form; a POST searches and redirects to the tickets found, or back to
    the form saying nothing matched, so that Back and Reload never send it again. Results and
    what was typed never enter the URL: what the client proved is kept in its session, and
    every answer is private (never cached)."""
    if request.method == "GET":
        if not request.session.pop(NO_MATCH_SESSION_KEY, False):
            return render(request, "courts/find_ticket.html", {"forms": _lookup_forms()})
        # The answer to this client's own search: never stored by a cache.
        context = {"forms": _lookup_forms(), "no_match": NO_MATCH, "watch_form": WatchForm(auto_id="id_watch_%s")}
        return private_response(render(request, "courts/find_ticket.html", context))
    kind = request.POST.get("kind", "")
    form = TicketLookupForm(request.POST, auto_id=f"id_{kind}_%s" if kind in LookupKind.ALL else "id_%s")
    # A form refused for its own errors searched nothing and shows nothing: it is not counted.
    if not form.is_valid():
        return private_response(render(request, "courts/find_ticket.html", {"forms": _lookup_forms(form)}, status=400))
    lookup = form.lookup_request()
    outcome = ticket_lookup(request=lookup, client=client_address(request))
    if outcome.refused is not None:
        return _too_many_tries(request, outcome.refused, outcome.refused_by)
    citations = outcome.citations
    if not citations:
        request.session[NO_MATCH_SESSION_KEY] = True
        return redirect("courts:find-ticket")
    # What this client proved, so that it may see its tickets and ask for reminders without
    # proving it again; only for half an hour, the session holding nothing else of a resident's.
    request.session[PROVEN_SESSION_KEY] = [citation.pk for citation in citations]
    request.session.set_expiry(PROVEN_FOR_SECONDS)
    return redirect("courts:tickets")


PROVEN_SESSION_KEY = "courts_proven_citations"
PROVEN_FOR_SECONDS = 30 * 60
NO_MATCH_SESSION_KEY = "courts_no_match"
# What the last reminder request set, for its confirmation page: a citation id, a channel
# and whether it waits for a new court date; never the phone number or email.
REMINDER_SET_SESSION_KEY = "courts_reminder_set"


def _proven_citations(request: HttpRequest) -> list[Citation]:
    proven = request.session.get(PROVEN_SESSION_KEY, [])
    return citations_proven(citation_ids=proven) if proven else []


def tickets(request: HttpRequest) -> HttpResponse:
    """The tickets this client proved in its last search (kept in its session for half an
    hour), what they say and what to do; after that, the way back to the search."""
    citations = _proven_citations(request)
    if not citations:
        return private_response(render(request, "courts/reminder_expired.html"))
    return _ticket_results(request, citations)


def _ticket_results(
    request: HttpRequest, citations: list[Citation], reminder_form: ReminderForm | None = None, status: int = 200
) -> HttpResponse:
    today = timezone.localdate()
    tickets = selectors.ticket_results(citations=citations, today=today)
    forms = {
        ticket.citation.pk: reminder_form
        if reminder_form is not None and reminder_form.data.get("citation") == str(ticket.citation.pk)
        else ReminderForm(initial={"citation": ticket.citation.pk}, auto_id=f"id_reminder_{ticket.citation.pk}_%s")
        for ticket in tickets
    }
    context = {
        "tickets": [(ticket, forms[ticket.citation.pk]) for ticket in tickets],
        "today": today,
        "questions": selectors.court_questions(),
    }
    return private_response(render(request, "courts/ticket_results.html", context, status=status))


def _too_many_tries(request: HttpRequest, limit: RateLimit, action: str) -> HttpResponse:
    """429: the clear "wait N minutes" page, with Retry-After."""
    response = render(request, "courts/too_many_tries.html", {"limit": limit, "action": action}, status=429)
    response["Retry-After"] = str(limit.retry_after_seconds)
    return private_response(response)


def _reminder_limit(scope: str) -> Limit:
    return Limit(
        scope=scope, attempts=settings.COURTS_LOOKUP_ATTEMPTS, window_seconds=settings.COURTS_LOOKUP_WINDOW_SECONDS
    )


@require_http_methods(["GET", "POST"])
def reminder_new(request: HttpRequest) -> HttpResponse:
    """Reminders for a citation this client proved in its lookup (kept in its session). A
    successful POST redirects to its confirmation; a GET (Back, a bookmark) goes to the
    tickets."""
    if request.method == "GET":
        return redirect("courts:tickets")
    # Counted only once it succeeded: every refusal below gives its count back.
    taken = rate_limit_take(limit=_reminder_limit("reminder"), subject=client_address(request))
    if not taken.allowed:
        return _too_many_tries(request, taken, "reminders")
    citations = _proven_citations(request)
    if not citations:
        rate_limit_give_back(taken)
        return private_response(render(request, "courts/reminder_expired.html", status=403))
    form = ReminderForm(request.POST, auto_id=f"id_reminder_{request.POST.get('citation', '')}_%s")
    if not form.is_valid():
        rate_limit_give_back(taken)
        return _ticket_results(request, citations, form, status=400)
    citation = next((citation for citation in citations if citation.pk == form.cleaned_data["citation"]), None)
    if citation is None:
        rate_limit_give_back(taken)
        return private_response(render(request, "courts/reminder_expired.html", status=403))
    try:
        subscription = reminder_subscribe(
            citation=citation,
            channel=form.cleaned_data["channel"],
            address=form.cleaned_data["address"],
            today=timezone.localdate(),
        )
    except ValidationError as error:
        rate_limit_give_back(taken)
        form.add_error(None, error)
        return _ticket_results(request, citations, form, status=400)
    request.session[REMINDER_SET_SESSION_KEY] = {
        "citation": citation.pk,
        "channel": subscription.channel,
        "new_date": subscription.new_date_after is not None,
    }
    return redirect("courts:reminder-set")


def reminder_set(request: HttpRequest) -> HttpResponse:
    """What the last reminder request of this client set, with the way back to its tickets."""
    done = request.session.get(REMINDER_SET_SESSION_KEY) or {}
    citation = next((c for c in _proven_citations(request) if c.pk == done.get("citation")), None)
    if citation is None:
        return redirect("courts:tickets")
    context = {"citation": citation, "channel": done["channel"], "new_date": done["new_date"]}
    return private_response(render(request, "courts/reminder_thanks.html", context))


@require_http_methods(["GET", "POST"])
def citation_watch_new(request: HttpRequest) -> HttpResponse:
    """Watch for a citation not in the data yet; a success redirects to its
    confirmation, a GET to the search."""
    if request.method == "GET":
        return redirect("courts:find-ticket")
    # Counted only once it succeeded: a refusal gives its count back.
    taken = rate_limit_take(limit=_reminder_limit("watch"), subject=client_address(request))
    if not taken.allowed:
        return _too_many_tries(request, taken, "reminders")
    form = WatchForm(request.POST, auto_id="id_watch_%s")
    if form.is_valid():
        try:
            citation_watch(
                citation_number=form.cleaned_data["citation_number"],
                date_of_birth=form.cleaned_data["date_of_birth"],
                channel=form.cleaned_data["channel"],
                address=form.cleaned_data["address"],
                today=timezone.localdate(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("courts:watch-set")
    rate_limit_give_back(taken)
    context = {"forms": _lookup_forms(), "watch_form": form}
    return private_response(render(request, "courts/find_ticket.html", context, status=400))


def watch_set(request: HttpRequest) -> HttpResponse:
    return render(request, "courts/reminder_thanks.html", {"watching": True})


def court_list(request: HttpRequest) -> HttpResponse:
    return render(request, "courts/court_list.html", {"courts": selectors.court_list()})


def court_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        page = selectors.court_page(slug=slug)
    except Court.DoesNotExist:
        raise Http404("No court has this address.") from None
    return render(request, "courts/court_detail.html", {"page": page, "court": page.court})


# The municipal boundaries for the maps (the dataset stl-municipal-boundaries).
boundaries = boundary_document_view(municipal_boundaries_document)


STORIES_PER_PAGE = 20


def story_list(request: HttpRequest) -> HttpResponse:
    """Published stories, newest first, without any name."""
    stories = Story.objects.published().select_related("municipality").order_by("-submitted_at")
    page = Paginator(stories, STORIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "courts/story_list.html", {"page": page})


def _story_limit() -> Limit:
    return Limit(
        scope="story", attempts=settings.COURTS_STORY_ATTEMPTS, window_seconds=settings.COURTS_STORY_WINDOW_SECONDS
    )


@require_http_methods(["GET", "POST"])
def story_new(request: HttpRequest) -> HttpResponse:
    """A story is counted against its client's limit only once kept (or a robot thanked):
    a story the form or the service refused, with its errors shown, is given its count back."""
    if request.method == "GET":
        return render(request, "courts/story_form.html", {"form": StoryForm()})
    taken = rate_limit_take(limit=_story_limit(), subject=client_address(request))
    if not taken.allowed:
        return _too_many_tries(request, taken, "stories")
    form = StoryForm(request.POST)
    if not form.is_valid():
        rate_limit_give_back(taken)
        return render(request, "courts/story_form.html", {"form": form}, status=400)
    # A robot is thanked like a person, so that it learns nothing, and nothing is kept.
    if not form.is_from_a_robot:
        try:
            story_submit(
                body=form.cleaned_data["body"],
                consent=form.cleaned_data["consent"],
                municipality_id=form.cleaned_data["municipality"],
            )
        except StoryRefused as refusal:
            rate_limit_give_back(taken)
            form.add_error(None, str(refusal))
            return render(request, "courts/story_form.html", {"form": form}, status=400)
    return redirect("courts:story-thanks")


def story_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "courts/story_thanks.html")


def privacy_section() -> SafeString:
    """This app's section of the portal's privacy page (`cities.registry.PortalApp`)."""
    return render_to_string(
        "courts/_privacy.html", {"lookup_window_minutes": settings.COURTS_LOOKUP_WINDOW_SECONDS // 60}
    )
