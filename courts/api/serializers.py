"""What the St. Louis courts API shows.

Courts, municipalities and judges are public. A citation is shown only to the resident who
proved it (the lookup: no name, address, birth date or licence in the answer) or to a token
with `courts.view_defendant_details`, which also sees who the citation is about.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from courts.dashboard import Cell, CourtRow
from courts.guidance import GuidanceStep
from courts.lookup import LOOKUP_TEXT_FIELDS, LookupKind
from courts.models import Citation, Court, CourtDate, Judge, Municipality, Violation
from courts.selectors import TicketResult, ViolationResult


class MunicipalitySerializer(serializers.ModelSerializer[Municipality]):
    courts: serializers.SlugRelatedField[Court] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )

    class Meta:
        model = Municipality
        # The published source's id, stable across loads, instead of the database's.
        fields = ["source_id", "name", "payment_url", "population", "courts"]


class CourtSerializer(serializers.ModelSerializer[Court]):
    phone = serializers.CharField(source="phone_display", read_only=True)
    rights_url = serializers.CharField(read_only=True)
    municipalities: serializers.SlugRelatedField[Municipality] = serializers.SlugRelatedField(
        slug_field="name", many=True, read_only=True
    )

    class Meta:
        model = Court
        fields = [
            "slug",
            "name",
            "phone",
            "website",
            "payment_system",
            "address",
            "city",
            "state",
            "zip_code",
            "latitude",
            "longitude",
            "hours",
            "citation_expires_after_days",
            "rights_format",
            "rights_url",
            "municipalities",
        ]


class JudgeSerializer(serializers.ModelSerializer[Judge]):
    court: serializers.SlugRelatedField[Court] = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Judge
        fields = ["source_id", "name", "court"]


def _text(name: str, help_text: str) -> serializers.CharField:
    """A search's text field with the lookup's own rules (`courts.lookup.LOOKUP_TEXT_FIELDS`),
    the page's form's too. Spaces are kept: the lookup itself ignores them."""
    rules = LOOKUP_TEXT_FIELDS[name]
    return serializers.CharField(
        max_length=rules.max_length, trim_whitespace=False, validators=rules.validators(), help_text=help_text
    )


class _TicketLookupSerializer(serializers.Serializer[dict[str, Any]]):
    date_of_birth = serializers.DateField()


class CitationLookupSerializer(_TicketLookupSerializer):
    kind = serializers.ChoiceField(choices=[LookupKind.CITATION])
    citation_number = _text("citation_number", "As printed on the ticket; spaces and dashes are ignored.")


class LicenceLookupSerializer(_TicketLookupSerializer):
    kind = serializers.ChoiceField(choices=[LookupKind.LICENCE])
    licence_number = _text("licence_number", "Only its letters and digits count.")
    licence_state = _text("licence_state", "The two letters of the state, like MO or IL.")


class NameLookupSerializer(_TicketLookupSerializer):
    kind = serializers.ChoiceField(choices=[LookupKind.NAME])
    last_name = _text("last_name", "Only its letters and digits count.")
    municipality = serializers.IntegerField(
        source="municipality_id",
        min_value=1,
        max_value=2**31 - 1,
        help_text="The municipality's id (`/api/v1/courts/municipalities/`).",
    )


class LookupKindSerializer(serializers.Serializer[dict[str, Any]]):
    kind = serializers.ChoiceField(choices=LookupKind.ALL)


# Each kind of search with exactly the fields it needs, so that the schema (one of these,
# told apart by `kind`) says what the API accepts.
TICKET_LOOKUP_SERIALIZERS: dict[str, type[serializers.Serializer[dict[str, Any]]]] = {
    LookupKind.CITATION: CitationLookupSerializer,
    LookupKind.LICENCE: LicenceLookupSerializer,
    LookupKind.NAME: NameLookupSerializer,
}


def ticket_lookup_serializer(data: Any) -> serializers.Serializer[dict[str, Any]]:
    """The serializer for a search's body: its kind's, or one that refuses the kind."""
    kind = data.get("kind") if isinstance(data, Mapping) else None
    serializer_class = TICKET_LOOKUP_SERIALIZERS.get(kind) if isinstance(kind, str) else None
    return (serializer_class or LookupKindSerializer)(data=data)


class GuidanceStepSerializer(serializers.Serializer[GuidanceStep]):
    situation = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField()
    link = serializers.CharField()


class ViolationResultSerializer(serializers.Serializer[ViolationResult]):
    violation_number = serializers.CharField(source="violation.violation_number")
    description = serializers.CharField(source="violation.description")
    status = serializers.CharField(source="violation.status")
    status_label = serializers.CharField(source="violation.get_status_display")
    fine_amount = serializers.DecimalField(
        max_digits=9, decimal_places=2, source="violation.fine_amount", allow_null=True
    )
    court_cost = serializers.DecimalField(
        max_digits=9, decimal_places=2, source="violation.court_cost", allow_null=True
    )
    amount_owed = serializers.DecimalField(max_digits=9, decimal_places=2)
    can_pay_online = serializers.BooleanField(source="violation.can_pay_online")
    warrant = serializers.SerializerMethodField()
    guidance = GuidanceStepSerializer(many=True)

    def get_warrant(self, result: ViolationResult) -> dict[str, str] | None:
        return {"number": result.warrant_number, "status": "outstanding"} if result.warrant_number else None


class CourtDateSerializer(serializers.ModelSerializer[CourtDate]):
    time = serializers.TimeField(source="time_of_day", allow_null=True)

    class Meta:
        model = CourtDate
        fields = ["day", "time"]


class TicketSerializer(serializers.Serializer[TicketResult]):
    citation_number = serializers.CharField(source="citation.citation_number")
    citation_date = serializers.DateField(source="citation.citation_date", allow_null=True)
    municipality = serializers.CharField(source="citation.municipality.name", allow_null=True, default=None)
    court = CourtSerializer(allow_null=True)
    payment_url = serializers.CharField()
    court_date = CourtDateSerializer(source="next_court_date", allow_null=True)
    total_owed = serializers.DecimalField(max_digits=10, decimal_places=2)
    violations = ViolationResultSerializer(many=True)


class StaffViolationSerializer(serializers.ModelSerializer[Violation]):
    # Text, not an enum: the schema would otherwise name a second "status" enum beside the
    # core's ingestion run status.
    status = serializers.CharField(read_only=True, help_text="The court's words: " + ", ".join(Violation.Status.values))
    warrant_number = serializers.CharField(source="warrant.warrant_number", default=None, allow_null=True)

    class Meta:
        model = Violation
        fields = [
            "violation_number",
            "description",
            "status",
            "status_date",
            "fine_amount",
            "court_cost",
            "can_pay_online",
            "warrant_number",
        ]


class StaffCitationSerializer(serializers.ModelSerializer[Citation]):
    court: serializers.SlugRelatedField[Court] = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    municipality: serializers.SlugRelatedField[Municipality] = serializers.SlugRelatedField(
        slug_field="name", read_only=True
    )
    violations = StaffViolationSerializer(many=True, read_only=True)
    court_dates = CourtDateSerializer(many=True, read_only=True)

    class Meta:
        model = Citation
        fields = [
            "citation_number",
            "citation_date",
            "first_name",
            "last_name",
            "date_of_birth",
            "address",
            "city",
            "state",
            "licence_number",
            "licence_state",
            "court",
            "municipality",
            "synthetic",
            "court_dates",
            "violations",
        ]


@extend_schema_field({"type": "number", "nullable": True})
class SuppressibleCount(serializers.Field[Cell, None, float | int | Decimal | None, CourtRow]):
    """A count or amount, or null where it rests on fewer than 10 citations."""

    def to_representation(self, value: Cell) -> float | int | Decimal | None:
        return None if value.suppressed else value.value


class CourtStatisticsSerializer(serializers.Serializer[CourtRow]):
    court = serializers.CharField(source="court.slug", help_text="The court's slug.")
    court_name = serializers.CharField(source="court.name")
    citations = SuppressibleCount(help_text="Null where fewer than 10 citations.")
    violations = SuppressibleCount()
    fines = SuppressibleCount()
    court_costs = SuppressibleCount()
    warrants = SuppressibleCount()
    warrant_share = serializers.FloatField(allow_null=True)
