"""The collaborative's public pages and the partners' survey: thin views over its selectors
and services."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from cities.models import City
from cities.registry import FEWER_THAN_SMALL_CELL
from collaborative import selectors, services
from collaborative.adoption import adoption_apps, adoption_guide
from collaborative.forms import ReportedTieFormSet, SurveyCommentForm
from collaborative.impact import collaborative_impact
from collaborative.learning import learning_history, meeting_list, meetings_calendar
from collaborative.lessons import lesson_list, lesson_search
from collaborative.markdown import markdown_render
from collaborative.models import Contribution, Lesson
from collaborative.services import ReportedTie, SurveyError


def _date_param(request: HttpRequest, name: str) -> tuple[date | None, str]:
    """A date from the query string, and a message when it is not one (then ignored)."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None, ""
    try:
        return date.fromisoformat(raw), ""
    except ValueError:
        return None, gettext("“%(raw)s” is not a date written like 2017-01-31; no change is shown.") % {"raw": raw}


def ecosystem(request: HttpRequest, slug: str) -> HttpResponse:
    changed_since, date_error = _date_param(request, "since")
    on, on_error = _date_param(request, "on")
    try:
        ecosystem_map = selectors.ecosystem_map(slug=slug, on=on, changed_since=changed_since)
    except City.DoesNotExist:
        raise Http404("No city has this address.") from None
    return render(
        request,
        "collaborative/ecosystem.html",
        {
            "city": ecosystem_map.city,
            "map": ecosystem_map,
            "contributions": list(Contribution),
            "date_error": date_error or on_error,
            "since": request.GET.get("since", ""),
            "on": request.GET.get("on", ""),
        },
    )


def impact(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    try:
        rows = collaborative_impact(city_slug=slug)
    except City.DoesNotExist:
        raise Http404("No city has this address.") from None
    return render(
        request,
        "collaborative/impact.html",
        {"impact": rows, "single": rows[0].city if slug else None, "fewer": FEWER_THAN_SMALL_CELL},
    )


def learning(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        history = learning_history(slug=slug, now=timezone.now())
    except City.DoesNotExist:
        raise Http404("No city has this address.") from None
    return render(request, "collaborative/learning.html", {"history": history, "city": history.city})


def meetings_feed(request: HttpRequest) -> HttpResponse:
    """Coming meetings as an iCalendar feed; `?city=<slug>` keeps one city's."""
    meetings = meeting_list().coming(after=timezone.now())
    if city := request.GET.get("city"):
        meetings = meetings.filter(cities__slug=city).distinct()
    document = meetings_calendar(meetings=list(meetings), site_url=request.build_absolute_uri(reverse("cities:home")))
    return HttpResponse(document, content_type="text/calendar; charset=utf-8")


def lessons(request: HttpRequest) -> HttpResponse:
    query = {name: request.GET.get(name, "").strip() for name in ("q", "city", "theme", "app")}
    results = lesson_search(text=query["q"], city_slug=query["city"], theme=query["theme"], app_label=query["app"])
    return render(
        request,
        "collaborative/lesson_list.html",
        {
            "lessons": results,
            "query": query,
            "cities": City.objects.order_by("name"),
            "themes": Lesson.Theme.choices,
        },
    )


def lesson_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        lesson = lesson_list().get(slug=slug)
    except Lesson.DoesNotExist:
        raise Http404("No lesson has this address.") from None
    return render(
        request, "collaborative/lesson_detail.html", {"lesson": lesson, "body_html": markdown_render(lesson.body)}
    )


def adopt_list(request: HttpRequest) -> HttpResponse:
    return render(request, "collaborative/adopt_list.html", {"adoptable": adoption_apps()})


def adopt(request: HttpRequest, app_label: str) -> HttpResponse:
    try:
        guide = adoption_guide(app_label=app_label)
    except LookupError:
        raise Http404("No app has this address.") from None
    return render(request, "collaborative/adopt.html", {"guide": guide})


def survey(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.survey_invitation_for_token(token=token)
    except SurveyError as error:
        return render(request, "collaborative/survey_closed.html", {"message": str(error)}, status=400)
    organizations = selectors.survey_organizations(invitation=invitation)
    form_kwargs = {"organizations": organizations}
    if request.method == "POST":
        ties_form = ReportedTieFormSet(request.POST, form_kwargs=form_kwargs)
        comment_form = SurveyCommentForm(request.POST)
        if ties_form.is_valid() and comment_form.is_valid():
            ties = [
                ReportedTie(target=data["target"], kind=data["kind"], since=data.get("since"))
                for data in ties_form.cleaned_data
                if data.get("target")
            ]
            try:
                services.survey_answer_record(token=token, ties=ties, comment=comment_form.cleaned_data["comment"])
            except SurveyError as error:
                return render(request, "collaborative/survey_closed.html", {"message": str(error)}, status=400)
            return render(request, "collaborative/survey_thanks.html", {"invitation": invitation})
        status = 400
    else:
        ties_form = ReportedTieFormSet(form_kwargs=form_kwargs)
        comment_form = SurveyCommentForm()
        status = 200
    return render(
        request,
        "collaborative/survey.html",
        {"invitation": invitation, "ties_form": ties_form, "comment_form": comment_form},
        status=status,
    )
