"""The St. Louis court datasets on the ingestion machinery: how the YourSTLCourts and
GlobalHack V files become rows, each quirk of those files handled by name.

Quirks (all seen in shared/data/stlouis, see SOURCES.txt there):
- ids are numbers written as text; they are kept as text (`source_id`), which is how the
  machinery resolves references;
- courts.csv writes "-1" for "citations never expire" (75 courts): it becomes empty;
- courts 47 and 72 are named by other files but absent from courts.csv: the judge of court
  47 (`JUDGES_OF_UNPUBLISHED_COURTS`) is not loaded, and the 13 citations of court 72
  (`UNPUBLISHED_COURT_IDS`) keep their municipality with no court;
- 17 violations name 9 citations that citations.csv lacks (`ORPHANED_CITATION_NUMBERS`, the
  STLCourts project dropped them from the GlobalHack sample): they are not loaded;
- citations carry their court date and time in one column ("2015-11-29 12:20:00", local
  time, empty for 69): read by a second schema into `CourtDate` rows;
- violations' status_date is midnight in St. Louis written in UTC ("05:00:00" in summer,
  "06:00:00" in winter): the day is kept;
- warrants are the violations' warrant_status ("1") and warrant_number: read by a third
  schema into `Warrant` rows, a number without warrant_status 1 being refused;
- the fine schedule writes fines with four decimals ("70.5000") and "None" for no court
  cost; its TOTAL column is always empty or "None" and is not read;
- the court survey's header has spaces and question marks, names municipalities in
  several spellings (matched to ours ignoring case, "Bellerive" is Bellerive Acres), and
  answers in free text: "yes..." is yes, "no"/"not listed" no, blank unknown; a row the
  surveyors did not fill in at all leaves every measure unknown;
- the FAQ is JSON whose answers hold HTML links: `faq_csv` flattens it to one row per
  question with the links as plain text, and that CSV is what the run ingests;
- the municipal boundaries (GeoJSON, names in upper case) hold 36 separate polygons all
  named UNINCORPORATED: the polygons of one name become one MultiPolygon area.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from django.utils.text import slugify

from cities.datasets import BoundarySchema
from cities.ingestion import (
    BOOLEAN,
    DATE,
    DECIMAL,
    FILE_ROW,
    FLOAT,
    INTEGER,
    TEXT_DTYPE,
    URL,
    Column,
    DatasetSchema,
    IngestionError,
    Reference,
    register_schema,
)
from courts.lookup import KEY_CHARACTERS
from courts.models import (
    Citation,
    Court,
    CourtDate,
    CourtQuestion,
    CourtSurvey,
    FineScheduleEntry,
    Judge,
    Municipality,
    MunicipalityCourt,
    Violation,
    Warrant,
)

COURT = Reference(model=Court, by="source_id", noun="court")
MUNICIPALITY = Reference(model=Municipality, by="source_id", noun="municipality")
MUNICIPALITY_NAME = Reference(model=Municipality, by="name", noun="municipality")
CITATION = Reference(model=Citation, by="citation_number", noun="citation", personal=True)
VIOLATION = Reference(model=Violation, by="source_id", noun="violation")

DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"

JUDGES_OF_UNPUBLISHED_COURTS = (("48", "47"),)
UNPUBLISHED_COURT_IDS = ("72",)
ORPHANED_CITATION_NUMBERS = (
    "253941947",
    "261099426",
    "267856271",
    "422651011",
    "497772522",
    "71010054",
    "819160596",
    "88417602",
    "936909312",
)
SURVEY_ALIASES = {"BELLERIVE": "Bellerive Acres"}

Rules = Iterable[tuple[pd.Series, str, str]]


def _stripped(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column].str.strip()


def _emptied(values: pd.Series, where: pd.Series) -> pd.Series:
    return values.mask(where.fillna(False).astype(bool), "")


def lookup_key(values: pd.Series) -> pd.Series:
    """Names and licence numbers as lookups compare them: upper case, letters and digits
    only (O'Hara, o hara and OHARA are one name). `courts.lookup.lookup_key_of` is its twin
    for one value."""
    return values.str.upper().str.replace(KEY_CHARACTERS.pattern, "", regex=True)


def _text(values: Iterable[object], index: pd.Index) -> pd.Series:
    return pd.Series(list(values), index=index, dtype=TEXT_DTYPE)


class CourtDataSchema(DatasetSchema):
    """A St. Louis file the public dashboard counts: once a run changed rows, the dashboard's
    figures are recomputed (rather than waiting for its cache to expire)."""

    after_ingestion_task = "courts.tasks.dashboard_refresh_task"


def _coordinate_rules(frame: pd.DataFrame) -> Rules:
    yield frame["latitude"].abs() > 90, "latitude", "the latitude must lie between -90 and 90"
    yield frame["longitude"].abs() > 180, "longitude", "the longitude must lie between -180 and 180"


@register_schema
class MunicipalitiesSchema(CourtDataSchema):
    slug = "courts.municipalities"
    model = Municipality
    description = "Municipalities of St. Louis City and County with their ticket payment page (municipalities.csv)."
    key = ("municipality_id",)
    columns = (
        Column("municipality_id", field="source_id", max_length=10),
        Column("municipality_name", field="name", max_length=100),
        Column("payment_url", URL, required=False, max_length=300),
    )


@register_schema
class CourtsSchema(CourtDataSchema):
    slug = "courts.courts"
    model = Court
    description = "Municipal courts with contacts, payment system, place and rights information (courts.csv)."
    key = ("court_id",)
    columns = (
        Column("court_id", field="source_id", max_length=10),
        Column("court_name", field="name", max_length=100),
        Column("slug", max_length=110),
        Column("phone", max_length=20),
        Column("extension", field="phone_extension", required=False, max_length=10),
        Column("website", URL, required=False, max_length=300),
        Column("payment_system", required=False, max_length=60),
        Column("address", max_length=200),
        Column("city", max_length=60),
        Column("state", max_length=2),
        Column("zip_code", max_length=5),
        Column("latitude", FLOAT),
        Column("longitude", FLOAT),
        Column("citation_expires_after_days", INTEGER, required=False),
        Column("rights_type", field="rights_format", choices=tuple(Court.RightsFormat.values)),
        Column("rights_value", field="rights_location", required=False, max_length=300),
        Column("zone_id", field="time_zone", max_length=40),
    )

    def file_columns(self, header: list[str]) -> list[str]:
        return [column.name for column in self.columns if column.name != "slug"]

    def reshape(self, frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.copy()
        frame["slug"] = _text((slugify(name) for name in _stripped(frame, "court_name")), frame.index)
        expiry = "citation_expires_after_days"
        frame[expiry] = _emptied(frame[expiry], _stripped(frame, expiry) == "-1")
        return frame

    def row_rules(self, frame: pd.DataFrame) -> Rules:
        yield from _coordinate_rules(frame)
        yield frame["citation_expires_after_days"] < 0, "citation_expires_after_days", "must be -1 (never) or more"
        doubled = frame["slug"].duplicated(keep=False) & (frame["slug"] != "")
        yield doubled, "court_name", "another court has a name that makes the same web address"

    @classmethod
    def documentation(cls) -> list[dict[str, str]]:
        return [row for row in super().documentation() if row["name"] != "slug"]


@register_schema
class MunicipalityCourtsSchema(CourtDataSchema):
    slug = "courts.municipality_courts"
    model = MunicipalityCourt
    description = "Which court serves which municipality (municipality_court.csv)."
    key = ("municipality_id", "court_id")
    columns = (
        Column("municipality_id", field="municipality", references=MUNICIPALITY),
        Column("court_id", field="court", references=COURT),
    )


@register_schema
class JudgesSchema(DatasetSchema):
    slug = "courts.judges"
    model = Judge
    description = "The judges of each municipal court (judges.csv)."
    key = ("id",)
    columns = (
        Column("id", field="source_id", max_length=10),
        Column("judge", field="name", max_length=100),
        Column("court_id", field="court", references=COURT),
    )

    def reshape(self, frame: pd.DataFrame) -> pd.DataFrame:
        unpublished = pd.Series(False, index=frame.index)
        for judge_id, court_id in JUDGES_OF_UNPUBLISHED_COURTS:
            unpublished |= (_stripped(frame, "id") == judge_id) & (_stripped(frame, "court_id") == court_id)
        return frame[~unpublished]


SURVEY_COLUMNS = {
    "Municipality": "surveyed_name",
    "Municipal Court": "court_note",
    "Municipal Website": "municipal_website",
    "Municipal Court Website": "court_website",
    "Court Docket Time/Place Listed?": "docket_listed",
    "Court Clerk Phone Number Listed on Muni Site?": "clerk_phone_listed",
    "Online Payment System Provider": "payment_provider",
    "Mention of Dress Code?": "dress_code_mentioned",
    "Fine Schedule Listed?": "fine_schedule_listed",
    "Municipal Codes Listed?": "municipal_codes",
    "Order Seen Stated?": "order_of_cases",
    "Directions to Court Listed?": "directions_listed",
}
NOT_GIVEN = ("none", "n/a")


@register_schema
class CourtSurveySchema(CourtDataSchema):
    slug = "courts.court_survey"
    model = CourtSurvey
    description = "GlobalHack V's 2015 survey of what each municipality publishes about its court."
    key = ("surveyed_name",)
    columns = (
        Column("surveyed_name", max_length=100),
        Column("municipality", required=False, references=MUNICIPALITY_NAME),
        Column("court_note", required=False, max_length=40),
        Column("municipal_website", required=False, max_length=200),
        Column("court_website", required=False, max_length=200),
        Column("docket_listed", BOOLEAN, required=False),
        Column("docket_note", required=False, max_length=200),
        Column("clerk_phone_listed", BOOLEAN, required=False),
        Column("payment_provider", required=False, max_length=100),
        Column("dress_code_mentioned", BOOLEAN, required=False),
        Column("fine_schedule_listed", BOOLEAN, required=False),
        Column("municipal_codes", required=False, max_length=200),
        Column("order_of_cases", required=False, max_length=200),
        Column("directions_listed", BOOLEAN, required=False),
    )

    def file_columns(self, header: list[str]) -> list[str]:
        return list(SURVEY_COLUMNS)

    def reshape(self, frame: pd.DataFrame) -> pd.DataFrame:
        raw = frame.rename(columns=SURVEY_COLUMNS)
        text = {name: _stripped(raw, name) for name in SURVEY_COLUMNS.values()}
        surveyed = text["docket_listed"] != ""
        out = pd.DataFrame({FILE_ROW: raw[FILE_ROW]}, index=raw.index)
        out["surveyed_name"] = text["surveyed_name"]
        known = {name.upper(): name for name in Municipality.objects.values_list("name", flat=True)}
        known.update({alias: name for alias, name in SURVEY_ALIASES.items() if name.upper() in known})
        out["municipality"] = _text((known.get(name.upper(), "") for name in text["surveyed_name"]), raw.index)
        out["court_note"] = text["court_note"]
        for name in ("municipal_website", "court_website", "payment_provider"):
            out[name] = _emptied(text[name], text[name].str.lower().isin(NOT_GIVEN))
        docket = text["docket_listed"]
        out["docket_listed"] = _answer(docket.str.lower().str.startswith("yes"), docket != "")
        plain = docket.str.lower().isin(["yes", "not listed", ""])
        out["docket_note"] = _emptied(docket, plain)
        clerk = text["clerk_phone_listed"]
        out["clerk_phone_listed"] = _answer(clerk.str.lower() != "not listed", clerk != "")
        for name in ("dress_code_mentioned", "fine_schedule_listed"):
            out[name] = _answer(text[name].str.lower() == "yes", surveyed | (text[name] != ""))
        for name in ("municipal_codes", "order_of_cases"):
            out[name] = text[name]
        directions = text["directions_listed"]
        directions_given = directions.str.lower().str.startswith("yes") | directions.str.contains("link to", case=False)
        out["directions_listed"] = _answer(directions_given, directions != "")
        return out.astype({name: TEXT_DTYPE for name in out.columns if name != FILE_ROW})


def _answer(yes: pd.Series, answered: pd.Series) -> pd.Series:
    """ "true"/"false" where the survey answered, "" (unknown) where it did not."""
    words = yes.fillna(False).map({True: "true", False: "false"}).astype(TEXT_DTYPE)
    return _emptied(words, ~answered.fillna(False).astype(bool))


FOUR_PLACES_OF_CENTS = re.compile(r"(?P<amount>\d+\.\d\d)00")


@register_schema
class FineScheduleSchema(DatasetSchema):
    slug = "courts.fine_schedule"
    model = FineScheduleEntry
    description = "GlobalHack V's fine schedule: the fine for each kind of violation."
    key = ("Violation",)
    columns = (
        Column("Violation", field="violation", max_length=100),
        Column("FINE", DECIMAL, field="fine", required=False),
        Column("COURT COSTS", DECIMAL, field="court_cost", required=False),
    )

    def reshape(self, frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.copy()
        for name in ("FINE", "COURT COSTS"):
            values = _stripped(frame, name)
            frame[name] = values.str.replace(FOUR_PLACES_OF_CENTS, lambda match: match["amount"], regex=True)
            frame[name] = _emptied(frame[name], values == "None")
        return frame


@register_schema
class CitationsSchema(CourtDataSchema):
    slug = "courts.citations"
    model = Citation
    description = "Citations (tickets) with the person cited, their court and municipality (citations.csv)."
    key = ("citation_number",)
    columns = (
        Column("citation_number", max_length=20),
        Column("citation_date", DATE, required=False),
        Column("first_name", max_length=60, personal=True),
        Column("last_name", max_length=60, personal=True),
        Column("last_name_key", max_length=60, personal=True),
        Column("date_of_birth", DATE, required=False, personal=True),
        Column("defendant_address", field="address", required=False, max_length=200, personal=True),
        Column("defendant_city", field="city", required=False, max_length=60, personal=True),
        Column("defendant_state", field="state", required=False, max_length=2),
        Column("drivers_license_number", field="licence_number", required=False, max_length=20, personal=True),
        Column("licence_number_key", required=False, max_length=20, personal=True),
        Column("drivers_license_state", field="licence_state", required=False, max_length=2),
        Column("court_id", field="court", required=False, references=COURT),
        Column("municipality_id", field="municipality", required=False, references=MUNICIPALITY),
    )

    def file_columns(self, header: list[str]) -> list[str]:
        return [column.name for column in self.columns if not column.name.endswith("_key")]

    def reshape(self, frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.copy()
        frame["last_name_key"] = lookup_key(frame["last_name"])
        frame["licence_number_key"] = lookup_key(frame["drivers_license_number"])
        frame["court_id"] = _emptied(frame["court_id"], _stripped(frame, "court_id").isin(UNPUBLISHED_COURT_IDS))
        return frame

    def row_rules(self, frame: pd.DataFrame) -> Rules:
        yield (frame["last_name_key"] == "") & (frame["last_name"] != ""), "last_name", "has no letter or digit"

    @classmethod
    def documentation(cls) -> list[dict[str, str]]:
        return [row for row in super().documentation() if not row["name"].endswith("_key")]


COURT_DATE_TIME = re.compile(r"(?P<day>\d{4}-\d\d-\d\d) (?P<hour>\d\d):(?P<minute>\d\d)(?::\d\d)?")


@register_schema
class CourtDatesSchema(DatasetSchema):
    slug = "courts.court_dates"
    model = CourtDate
    description = "Each citation's court date and local time (the court_date column of citations.csv)."
    key = ("citation_number", "day")
    columns = (
        Column("citation_number", field="citation", references=CITATION),
        Column("day", DATE),
        Column("minute_of_day", INTEGER, required=False),
    )

    def file_columns(self, header: list[str]) -> list[str]:
        return ["citation_number", "court_date"]

    def reshape(self, frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame[_stripped(frame, "court_date") != ""]
        if frame.empty:
            raise IngestionError("no citation in the file has a court date")
        parts = _stripped(frame, "court_date").str.extract(COURT_DATE_TIME)
        minutes = parts["hour"].astype("Int64") * 60 + parts["minute"].astype("Int64")
        out = pd.DataFrame({"citation_number": frame["citation_number"], FILE_ROW: frame[FILE_ROW]})
        # A value that is not a date and time is passed on whole, so that the date check
        # names its row and quotes it.
        out["day"] = parts["day"].fillna(_stripped(frame, "court_date")).astype(TEXT_DTYPE)
        out["minute_of_day"] = minutes.astype("string").fillna("").astype(TEXT_DTYPE)
        return out

    def row_rules(self, frame: pd.DataFrame) -> Rules:
        yield frame["minute_of_day"] >= 24 * 60, "court_date", "the time of day must be before 24:00"


def _without_orphans(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[~_stripped(frame, "citation_number").isin(ORPHANED_CITATION_NUMBERS)]


@register_schema
class ViolationsSchema(CourtDataSchema):
    slug = "courts.violations"
    model = Violation
    description = "The violations on each citation, with status, fine and court cost (violations.csv)."
    key = ("id",)
    columns = (
        Column("id", field="source_id", max_length=20),
        Column("citation_number", field="citation", references=CITATION),
        Column("violation_number", max_length=20),
        Column("violation_description", field="description", max_length=100),
        Column("status", choices=tuple(Violation.Status.values)),
        Column("status_date", DATE, date_format=DATETIME_FORMAT),
        Column("fine_amount", DECIMAL, required=False),
        Column("court_cost", DECIMAL, required=False),
        Column("can_pay_online", BOOLEAN),
    )

    def reshape(self, frame: pd.DataFrame) -> pd.DataFrame:
        return _without_orphans(frame)

    def row_rules(self, frame: pd.DataFrame) -> Rules:
        for name in ("fine_amount", "court_cost"):
            yield pd.to_numeric(frame[name], errors="coerce") < 0, name, "an amount cannot be negative"


WARRANT_OUTSTANDING = "1"


@register_schema
class WarrantsSchema(CourtDataSchema):
    slug = "courts.warrants"
    model = Warrant
    description = "Warrants: the violations with warrant_status 1 and their warrant_number (violations.csv)."
    key = ("warrant_number",)
    columns = (
        Column("warrant_number", max_length=20, personal=True),
        Column("id", field="violation", references=VIOLATION),
        Column("warrant_status", field="status", choices=(Warrant.Status.OUTSTANDING.value,)),
    )

    def file_columns(self, header: list[str]) -> list[str]:
        return ["id", "citation_number", "warrant_status", "warrant_number"]

    def reshape(self, frame: pd.DataFrame) -> pd.DataFrame:
        frame = _without_orphans(frame)
        flagged = _stripped(frame, "warrant_status")
        frame = frame[(flagged == WARRANT_OUTSTANDING) | (_stripped(frame, "warrant_number") != "")].copy()
        if frame.empty:
            raise IngestionError("no violation in the file has a warrant (warrant_status 1)")
        flagged = _stripped(frame, "warrant_status")
        # Any other warrant_status beside a number is passed on, so that the row is refused
        # and its value quoted: a number without the flag is a contradiction, not a warrant.
        frame["warrant_status"] = flagged.mask(flagged == WARRANT_OUTSTANDING, Warrant.Status.OUTSTANDING.value)
        return frame.drop(columns=["citation_number"])


@register_schema
class CourtQuestionsSchema(DatasetSchema):
    slug = "courts.questions"
    model = CourtQuestion
    description = "Questions and answers about tickets and courts; the FAQ's JSON flattened by courts.ingest.faq_csv."
    key = ("topic", "position")
    columns = (
        Column("topic", choices=tuple(CourtQuestion.Topic.values)),
        Column("position", INTEGER),
        Column("question", max_length=300),
        Column("answer"),
    )


FAQ_TOPICS = {"ticket-faq": "ticket", "courts-faq": "courts", "legal-faq": "legal", "payment-faq": "payment"}
LINK = re.compile(r"<a\s[^>]*?href\s*=\s*\"(?P<href>[^\"]*)\"[^>]*>(?P<text>.*?)</a>", re.IGNORECASE | re.DOTALL)
TAG = re.compile(r"<[^>]+>")


# The FAQ was written for YourSTLCourts' own app: its links to that app's pages and its "list
# below" point nowhere on this site, so they are marked (in brackets, ours) rather than left
# to send a resident looking for them.
NOT_LINKED_MARK = "[a YourSTLCourts page, not linked here]"
MISSING_LIST_MARK = "[that list is not part of these answers]"
LISTED_BELOW = re.compile(r"\b(listed below)\b", re.IGNORECASE)


def faq_plain_text(answer: str) -> str:
    """An FAQ answer without HTML: a link to a web address becomes "text (address)"; the
    source's links to pages of its own app (href "\\" and such) become their text followed by
    NOT_LINKED_MARK, and "listed below" (a list the source filled in) by MISSING_LIST_MARK."""

    def link_text(match: re.Match[str]) -> str:
        text, href = TAG.sub("", match["text"]).strip(), match["href"].strip()
        if href.startswith(("http://", "https://")):
            return f"{text} ({href})"
        words = text.rstrip(".,;:")
        return f"{words} {NOT_LINKED_MARK}{text[len(words) :]}"

    text = TAG.sub("", LINK.sub(link_text, answer))
    text = LISTED_BELOW.sub(rf"\1 {MISSING_LIST_MARK}", text)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def faq_csv(path: Path) -> bytes:
    """The YourSTLCourts FAQ (JSON: topic -> [{q, a, ...}]) as the CSV `CourtQuestionsSchema`
    reads, one row per question in the file's order. Raises IngestionError for a file that
    is not such JSON or names a topic we do not know."""
    try:
        topics = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise IngestionError(f"the FAQ is not JSON text: {error}") from None
    if not isinstance(topics, dict):
        raise IngestionError("the FAQ must be an object of topics")
    rows = []
    for name, questions in topics.items():
        if name not in FAQ_TOPICS or not isinstance(questions, list):
            raise IngestionError(f"the FAQ names an unknown topic {name!r}")
        for position, entry in enumerate(questions, start=1):
            if not isinstance(entry, dict):
                raise IngestionError(f"question {position} of {name} is not an object")
            question = faq_plain_text(str(entry.get("q", "")))
            rows.append((FAQ_TOPICS[name], position, question, faq_plain_text(str(entry.get("a", "")))))
    # An input of the ingestion, not an export: written as the text says (no formula
    # neutralising, `cities.csv_export`), by the library that reads it back.
    frame = pd.DataFrame(rows, columns=["topic", "position", "question", "answer"])
    return str(frame.to_csv(index=False)).encode("utf-8")


MUNICIPAL_BOUNDARIES_LAYER = "stl-municipalities"


@register_schema
class MunicipalBoundariesSchema(BoundarySchema):
    slug = "courts.municipal_boundaries"
    description = (
        "St. Louis County municipal boundaries (GeoJSON), one area per municipality, coded by its name in upper "
        "case; the polygons of one name (the unincorporated county) become one area."
    )
    layer = MUNICIPAL_BOUNDARIES_LAYER
    code_property = "municipality"
    name_property = "municipality"

    def reshape(self, frame: pd.DataFrame) -> pd.DataFrame:
        areas = super().reshape(frame)
        areas["code"] = areas["code"].str.strip().str.upper()
        areas["name"] = areas["code"].str.title()
        return self.merge_repeated_codes(areas)
