"""The Boston summer jobs API: positions and the programme's figures for anyone; applicants
and placements (personal data) only for tokens holding the summer jobs staff permission;
match runs (parameters and aggregate figures) for tokens holding `youthjobs.view_matchrun`."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.exceptions import APIException, NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from cities.api.filters import unknown_query_parameters_refuse
from cities.api.schema import read_examples
from cities.api.viewsets import APIView, ListViewSet, ReadOnlyModelViewSet
from cities.permissions import ViewRequiresModelPermission
from youthjobs import selectors
from youthjobs.api import examples
from youthjobs.api.filters import ApplicantFilter, MatchRunFilter, PlacementFilter, PositionFilter
from youthjobs.api.serializers import (
    ApplicantSerializer,
    MatchRunSerializer,
    PlacementSerializer,
    PositionSerializer,
    ProgrammeFiguresSerializer,
    SeasonFiguresSerializer,
)
from youthjobs.models import Applicant, MatchRun, Placement, Position, Season
from youthjobs.season_comparison import public_seasons_compared


@extend_schema_view(
    list=extend_schema(
        examples=[examples.POSITION],
        parameters=[
            OpenApiParameter(
                "open_to_age",
                {"type": "integer", "minimum": 0, "maximum": 32767},
                description="Positions open to youth of this age: their minimum age is at most this.",
            )
        ],
    ),
    retrieve=extend_schema(examples=[examples.POSITION]),
)
class PositionViewSet(ReadOnlyModelViewSet[Position]):
    """Summer job positions with their site: category, seats, minimum age, hours and dates."""

    serializer_class = PositionSerializer
    filterset_class = PositionFilter
    lookup_field = "position_id"
    ordering_fields = ["position_id", "seats", "minimum_age", "category"]
    ordering = ["position_id"]

    def get_queryset(self) -> QuerySet[Position]:
        return Position.objects.select_related("site", "season")


@read_examples(examples.APPLICANT)
class ApplicantViewSet(ReadOnlyModelViewSet[Applicant]):
    """Youth applicants with their eligibility and its reasons. Personal data: a token needs
    `youthjobs.view_applicant` (summer jobs staff); any other gets 401 or 403."""

    serializer_class = ApplicantSerializer
    permission_classes = [ViewRequiresModelPermission]
    filterset_class = ApplicantFilter
    lookup_field = "applicant_id"
    ordering_fields = ["applicant_id"]
    ordering = ["applicant_id"]

    def get_queryset(self) -> QuerySet[Applicant]:
        return Applicant.objects.select_related("season", "eligibility")


@read_examples(examples.PLACEMENT)
class PlacementViewSet(ListViewSet[Placement]):
    """Placements of match runs with their explained scores. Needs `youthjobs.view_placement`."""

    serializer_class = PlacementSerializer
    permission_classes = [ViewRequiresModelPermission]
    filterset_class = PlacementFilter
    ordering_fields = ["score", "commute_minutes"]
    ordering = ["run", "applicant__applicant_id"]

    def get_queryset(self) -> QuerySet[Placement]:
        return Placement.objects.select_related("applicant", "position__site")


@extend_schema_view(
    list=extend_schema(examples=examples.MATCH_RUN_LIST),
    retrieve=extend_schema(examples=examples.MATCH_RUN_RETRIEVE),
)
class MatchRunViewSet(ReadOnlyModelViewSet[MatchRun]):
    """Match runs, newest first: the season and round, the mechanism and every parameter it
    ran with, its status and times, whether it was approved (and when) or superseded, and its
    figures: youth considered and placed, seats, commutes, scores, the gain over the former
    greedy lottery, and by neighbourhood, age band and gender with each count under 10 given
    as "fewer than 10". No youth, placement or staff member is named. Needs
    `youthjobs.view_matchrun`."""

    serializer_class = MatchRunSerializer
    permission_classes = [ViewRequiresModelPermission]
    filterset_class = MatchRunFilter
    lookup_value_converter = "int"
    ordering_fields = ["id", "created_at", "started_at", "finished_at", "round"]
    ordering = ["-created_at"]

    def get_queryset(self) -> QuerySet[MatchRun]:
        return selectors.match_runs_published()


class SeasonNotMatched(APIException):
    status_code = 409
    default_detail = "The season has no approved match run yet."
    default_code = "season_not_matched"


class ProgrammeFiguresView(APIView):
    """A season's figures, as on the public dashboard: aggregates only, each count under 10
    given as "fewer than 10". The current season by default; `?season=2017` for another,
    which must have an approved match run."""

    permission_classes = [AllowAny]
    serializer_class = ProgrammeFiguresSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "season",
                {"type": "string", "pattern": "^[0-9]{4}$"},
                description="The season's year (default: the current season).",
            )
        ],
        responses={
            200: ProgrammeFiguresSerializer,
            404: OpenApiResponse(description="No such season, or no applicants in it, has been loaded yet."),
            409: OpenApiResponse(description="The season asked for has no approved match run: no placement figures."),
        },
        examples=[examples.PROGRAMME_FIGURES],
    )
    def get(self, request: Request) -> Response:
        unknown_query_parameters_refuse(request, taken={"season"})
        year = request.query_params.get("season")
        if year is None:
            season = selectors.current_season()
            if season is None:
                raise NotFound("No season has been loaded yet.")
        else:
            season = Season.objects.filter(year=year).first()
            if season is None:
                raise NotFound(f"There is no season {year!r}; give a season's year, e.g. ?season=2018.")
            if not selectors.season_has_approved_run(season):
                raise SeasonNotMatched(f"Season {year} has no approved match run yet, so it has no placement figures.")
        figures = selectors.programme_figures(season)
        if not figures["applicants"]:
            raise NotFound("The season has no applicants yet.")
        return Response(ProgrammeFiguresSerializer(figures).data)


class SeasonsComparedView(APIView):
    """Every season side by side, oldest first: applicants, eligible, positions, sites,
    seats, placed, completed, by neighbourhood (with seats per applicant), age band and
    gender, categories offered and chosen, commutes and returning youth. Aggregates only,
    each count under 10 given as "fewer than 10"; a season with no approved run has null
    placement figures (`matched` false)."""

    permission_classes = [AllowAny]
    serializer_class = SeasonFiguresSerializer
    answers_a_list = True

    @extend_schema(responses={200: SeasonFiguresSerializer(many=True)}, examples=[examples.SEASON_FIGURES])
    def get(self, request: Request) -> Response:
        unknown_query_parameters_refuse(request)
        # drf-stubs type a serializer's instance as one object even with many=True.
        seasons = SeasonFiguresSerializer(public_seasons_compared(), many=True)  # type: ignore[arg-type]
        return Response(seasons.data)
