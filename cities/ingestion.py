"""The ingestion machinery: the one path by which a file becomes rows in the portal.

A dataset's schema (a `DatasetSchema` subclass, registered with `@register_schema`)
names its columns, their types, the natural key and the model the rows become. A run:

1. refuses a file that is too large, binary, empty, undecodable or not CSV (a byte order
   mark, UTF-8's or UTF-16's, sets the encoding; otherwise it is the schema's);
2. reads every value as text with pandas (no type guessing), then converts and
   validates each column in one vectorised step, resolving references to other
   tables (a city's slug to its id) through one dictionary lookup per column;
3. refuses duplicated natural keys inside the file, naming both rows;
4. writes only when no row has an error, in one transaction: on PostgreSQL a COPY
   into a temporary staging table and one INSERT ... ON CONFLICT DO UPDATE that
   touches only rows whose values changed; elsewhere (SQLite in the embedded mode)
   `bulk_create(update_conflicts=True)` of the new and changed rows.

Row numbers in errors count the header as row 1, as a spreadsheet shows them. A schema may
read GeoJSON instead (`file_format = GEOJSON`): each feature is a row, its properties the
columns and its geometry the column "geometry"; errors then name the feature (the first is 1).
Values of columns marked `personal`, of references to people's records and of the key of a
dataset of people are never repeated in an error message.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import IO, Any, ClassVar, cast

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute
import pyarrow.csv as pa_csv
import shapely
import shapely.errors
import shapely.geometry
from charset_normalizer import from_bytes
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import URLValidator
from django.db import connection, models, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone
from encrypted_fields.fields import EncryptedFieldMixin
from pyproj import Transformer
from pyproj.exceptions import CRSError

from cities.data_cache import data_version_bump
from cities.enqueue import enqueue_on_commit
from cities.models import Dataset, IngestionRun

logger = logging.getLogger(__name__)

MAX_ERRORS_KEPT = 500
# The column that carries each row's number in the file (the header is row 1) through
# validation and any reshaping, so that errors name the row a person can find.
FILE_ROW = "__file_row__"
CSV = "csv"
GEOJSON = "geojson"
GEOMETRY = "geometry"
# Every value is read as text first; reshaped frames use the same type.
TEXT_DTYPE = pd.StringDtype("pyarrow")
# About 10 cm: finer than any boundary is drawn, and much smaller than the published files.
GEOMETRY_DECIMALS = 6
_SNIFF_BYTES = 64 * 1024
# A byte order mark says the file's encoding whatever the schema's is (UTF-32's marks first:
# UTF-32 LE's begins with UTF-16 LE's).
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

TEXT, INTEGER, DECIMAL, FLOAT, DATE, BOOLEAN = "text", "integer", "decimal", "float", "date", "boolean"
# The field of every ingested model naming the run that last wrote the record
# (`cities.models.ingestion_run_field`).
RUN_FIELD = "ingestion_run"
# Text that is a web address (http or https only): residents follow these links.
URL = "url"
_TRUE_WORDS = frozenset({"true", "t", "yes", "y", "1"})
_FALSE_WORDS = frozenset({"false", "f", "no", "n", "0"})


class IngestionError(Exception):
    """A file that cannot be read at all: the run fails with this message and no rows."""


@dataclass(frozen=True)
class Reference:
    """A column that names a row of another model by one of its unique fields."""

    model: type[models.Model]
    by: str
    noun: str
    # The referenced rows are people's records (a citation): their keys are personal too.
    personal: bool = False


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = TEXT
    field: str | None = None
    required: bool = True
    max_length: int | None = None
    choices: tuple[str, ...] | None = None
    # Names what the choices are ("programme"), for long lists: an error then says "is not a
    # known programme" instead of repeating every choice in every row's message.
    choices_noun: str | None = None
    date_format: str = "%Y-%m-%d"
    decimal_places: int = 2
    references: Reference | None = None
    personal: bool = False

    @property
    def model_field(self) -> str:
        return self.field or self.name

    @property
    def attname(self) -> str:
        return f"{self.model_field}_id" if self.references else self.model_field


@dataclass(frozen=True)
class RowError:
    row: int | None
    column: str | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class WriteCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class DatasetSchema:
    """How the files of one dataset are read. Subclasses set the class attributes."""

    slug: ClassVar[str]
    model: ClassVar[type[models.Model]]
    columns: ClassVar[tuple[Column, ...]]
    key: ClassVar[tuple[str, ...]]
    encoding: ClassVar[str] = "utf-8"
    file_format: ClassVar[str] = CSV
    description: ClassVar[str] = ""
    # Header names the file is known to repeat (a real export's quirk). Each row's copies
    # must hold the same value, or the row is refused; the first copy is used.
    repeated_columns: ClassVar[tuple[str, ...]] = ()
    # A Celery task (dotted path) sent once a run that changed rows is committed, so an
    # app can recompute what depends on the data (the core imports no app).
    after_ingestion_task: ClassVar[str] = ""
    # The coordinate reference system of a GeoJSON file that does not name its own (a `crs`
    # member), such as "EPSG:2249" (Massachusetts State Plane, feet). Geometries are stored in
    # longitude/latitude (WGS 84), as GeoJSON has them since RFC 7946.
    source_crs: ClassVar[str] = ""
    # False for records about people that are never published, not even to permitted
    # accounts without their personal columns (`cities.open_data`: DCAT-US "non-public").
    records_published: ClassVar[bool] = True

    def file_columns(self, header: list[str]) -> list[str]:
        """The columns of the file to read, given its header; those the file lacks make it
        refused. By default the schema's own columns; a schema that reshapes the file
        (one column per year into one row per year) names what it reads instead."""
        return [column.name for column in self.columns]

    def reshape(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Turn the file's text frame into one row per record, keeping its FILE_ROW column
        so that errors still name the file's rows. By default the file is already so."""
        return frame

    def row_rules(self, frame: pd.DataFrame) -> Iterable[tuple[pd.Series, str, str]]:
        """Rules across columns, on converted values: (rows that break it, column, message)."""
        return ()

    @classmethod
    def private_columns(cls) -> frozenset[str]:
        """The columns whose values an error never quotes: personal ones, references to
        people's records, and the key of a dataset of people (a citation number is half of
        a lookup's proof)."""
        holds_people = any(column.personal for column in cls.columns)
        return frozenset(
            column.name
            for column in cls.columns
            if column.personal
            or (column.references is not None and column.references.personal)
            or (holds_people and column.name in cls.key)
        )

    @classmethod
    def column(cls, name: str) -> Column:
        return next(column for column in cls.columns if column.name == name)

    @classmethod
    def documentation(cls) -> list[dict[str, str]]:
        """The file format, column by column, for people who prepare files."""
        rows = []
        for column in cls.columns:
            kind = column.kind
            if column.kind == DATE:
                kind = f"date ({column.date_format.replace('%Y', 'YYYY').replace('%m', 'MM').replace('%d', 'DD')})"
            elif column.kind == URL:
                kind = "a web address (http:// or https://)"
            elif column.references:
                kind = f"{column.references.noun} ({column.references.by})"
            elif column.choices:
                kind = ("a " + column.choices_noun + ": " if column.choices_noun else "") + "one of "
                kind += ", ".join(column.choices)
            rows.append(
                {
                    "name": column.name,
                    "kind": kind,
                    "required": "yes" if column.required else "no",
                    "key": "yes" if column.name in cls.key else "",
                }
            )
        return rows


_schemas: dict[str, type[DatasetSchema]] = {}


def register_schema(schema: type[DatasetSchema]) -> type[DatasetSchema]:
    if schema.slug in _schemas and _schemas[schema.slug] is not schema:
        raise ValueError(f"two ingestion schemas are named {schema.slug!r}")
    _schemas[schema.slug] = schema
    return schema


def registered_schemas() -> dict[str, type[DatasetSchema]]:
    return dict(_schemas)


def schema_for(dataset: Dataset) -> DatasetSchema:
    try:
        return _schemas[dataset.schema]()
    except KeyError:
        raise IngestionError(f"dataset {dataset.slug!r} has no ingestion schema; it is only catalogued") from None


# ---------------------------------------------------------------- reading


def _check_size(size: int) -> None:
    if size > settings.INGESTION_MAX_FILE_BYTES:
        limit_mb = settings.INGESTION_MAX_FILE_BYTES / 1024 / 1024
        raise IngestionError(f"the file is {size / 1024 / 1024:.1f} MB; the limit is {limit_mb:.0f} MB")
    if size == 0:
        raise IngestionError("the file is empty")


def _text_encoding(head: bytes, schema: DatasetSchema) -> str:
    """The encoding to read a file that begins with `head`: its byte order mark's, else the
    schema's."""
    for mark, encoding in _BYTE_ORDER_MARKS:
        if head.startswith(mark):
            return encoding
    return schema.encoding


def _undecodable(head: bytes, schema: DatasetSchema) -> IngestionError:
    """The error for a file that is not text in an accepted encoding: what it seems to be
    (charset-normalizer's guess) and what is accepted."""
    guess = from_bytes(head[:_SNIFF_BYTES]).best()
    found = f"probably {guess.encoding}" if guess is not None else "binary data"
    if guess is not None and guess.encoding.startswith(("utf_16", "utf_32")):
        found = f"{guess.encoding} without a byte order mark"
    accepted = dict.fromkeys(
        [codecs.lookup(schema.encoding).name, "utf-8 with a byte order mark", "utf-16 with a byte order mark"]
    )
    return IngestionError(
        f"the file is not text in an accepted encoding: found {found}; accepted: {', '.join(accepted)}"
    )


def _decoded_head(head: bytes, encoding: str, schema: DatasetSchema) -> str:
    """The first bytes of a file as text; a character cut by the end of `head` waits."""
    # A NUL byte is no character of text in an 8-bit encoding: UTF-16 without its mark, or binary.
    if b"\x00" in head and not encoding.startswith(("utf-16", "utf-32")):
        raise _undecodable(head, schema)
    try:
        return codecs.getincrementaldecoder(encoding)().decode(head, final=False)
    except UnicodeDecodeError:
        raise _undecodable(head, schema) from None


def _read_frame(stream: IO[bytes], schema: DatasetSchema, size: int) -> pd.DataFrame:
    """The file's columns that the schema reads, every value as text, and FILE_ROW: each
    row's number in the file (the header is row 1). A byte order mark (UTF-8, UTF-16) sets
    the encoding; otherwise the file is in the schema's."""
    _check_size(size)
    if schema.file_format == GEOJSON:
        return _read_geojson_frame(stream, schema)
    head = stream.read(_SNIFF_BYTES)
    stream.seek(0)
    encoding = _text_encoding(head, schema)
    header_line = _decoded_head(head, encoding, schema).split("\n", 1)[0].lstrip("\ufeff").rstrip("\r")
    if not header_line.strip():
        raise IngestionError("the file is empty")
    header = [name.strip() for name in next(csv.reader([header_line]))]
    wanted = schema.file_columns(header)
    _check_header(header, schema, wanted)
    # Arrow reads the whole file on both cores, every value as text (no type guessing,
    # nothing turned into NaN); the names are the stripped header, a repeated column's
    # later copies are named apart, and columns the schema does not read are skipped.
    names = _distinct_names(header)
    to_read = [name for name in names if _original_name(name) in wanted]
    try:
        table = pa_csv.read_csv(
            stream,
            read_options=pa_csv.ReadOptions(column_names=names, skip_rows=1, encoding=encoding),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(to_read, pa.string()),
                include_columns=to_read,
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except UnicodeDecodeError:
        # Arrow transcodes non-UTF-8 files through Python's codec, which raises this itself.
        raise _undecodable(_undecodable_part(stream, encoding), schema) from None
    except pa.ArrowInvalid as error:
        if "UTF8" in str(error) or "decode" in str(error).lower():
            raise _undecodable(_undecodable_part(stream, encoding), schema) from None
        stream.seek(0)
        raise IngestionError(
            f"the file is not valid CSV: {_first_misshapen_row(stream, encoding, len(header))}"
        ) from None
    if table.num_rows == 0:
        raise IngestionError("the file has a header but no data rows")
    frame = table.to_pandas(types_mapper=lambda _: TEXT_DTYPE)
    frame[FILE_ROW] = np.arange(2, len(frame) + 2)
    return frame


def _read_geojson_frame(stream: IO[bytes], schema: DatasetSchema) -> pd.DataFrame:
    """A GeoJSON FeatureCollection as a text frame: one row per feature, its properties as
    columns, its geometry (coordinates rounded to GEOMETRY_DECIMALS) as compact GeoJSON text
    in GEOMETRY, and FILE_ROW the feature's number (the first is 1)."""
    data = stream.read()
    try:
        document = json.loads(data.decode(_text_encoding(data, schema)))
    except UnicodeDecodeError:
        raise _undecodable(data, schema) from None
    except json.JSONDecodeError as error:
        raise IngestionError(f"the file is not valid JSON: {error.msg} (line {error.lineno})") from None
    features = document.get("features") if isinstance(document, dict) else None
    if document.get("type") != "FeatureCollection" or not isinstance(features, list):
        raise IngestionError("the file is not a GeoJSON FeatureCollection")
    if not features:
        raise IngestionError("the file has no features")
    to_longitude_latitude = _reprojection(document, schema)
    rows = []
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or not isinstance(feature.get("properties") or {}, dict):
            raise IngestionError(f"feature {number} is not a GeoJSON Feature with properties")
        row = {name: _property_text(value) for name, value in (feature.get("properties") or {}).items()}
        geometry = feature.get("geometry")
        if geometry and to_longitude_latitude is not None:
            geometry = geometry_reprojected(geometry, to_longitude_latitude)
        row[GEOMETRY] = compact_geometry(geometry) if geometry else ""
        rows.append(row)
    header = list(dict.fromkeys(name for row in rows for name in row))
    wanted = schema.file_columns(header)
    _check_header(header, schema, wanted)
    frame = pd.DataFrame({name: [row.get(name, "") for row in rows] for name in wanted}, dtype=TEXT_DTYPE)
    frame[FILE_ROW] = np.arange(1, len(rows) + 1)
    return frame


LONGITUDE_LATITUDE = "EPSG:4326"
# The names GeoJSON files give longitude/latitude in their (obsolete) `crs` member.
_LONGITUDE_LATITUDE_NAMES = ("EPSG:4326", "urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:EPSG::4326")


def _reprojection(document: dict[str, Any], schema: DatasetSchema) -> Transformer | None:
    """The transformation of the file's coordinates into longitude/latitude: from the CRS its
    `crs` member names, else the schema's `source_crs`; None when they are longitude/latitude."""
    crs = document.get("crs")
    named = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
    source = named if isinstance(named, str) and named else schema.source_crs
    if not source or source in _LONGITUDE_LATITUDE_NAMES:
        return None
    try:
        return Transformer.from_crs(source, LONGITUDE_LATITUDE, always_xy=True)
    except CRSError:
        raise IngestionError(f"the file's coordinate reference system {source!r} is not one we know") from None


def geometry_reprojected(geometry: Any, transformer: Transformer) -> dict[str, Any]:
    """A GeoJSON geometry with every coordinate transformed (x, y order: easting, northing in;
    longitude, latitude out)."""
    try:
        shape = shapely.geometry.shape(geometry)
    except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.GEOSException):
        raise IngestionError("a feature's geometry is not a GeoJSON geometry") from None
    moved = shapely.transform(shape, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))
    return cast(dict[str, Any], json.loads(shapely.to_geojson(moved)))


def _property_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, separators=(",", ":"))


def compact_geometry(geometry: Any) -> str:
    """A GeoJSON geometry as compact text with its coordinates rounded to GEOMETRY_DECIMALS."""
    if not isinstance(geometry, dict) or "type" not in geometry:
        raise IngestionError("a feature's geometry is not a GeoJSON geometry")

    def rounded(coordinates: Any) -> Any:
        if isinstance(coordinates, list) and coordinates and isinstance(coordinates[0], int | float):
            return [round(value, GEOMETRY_DECIMALS) for value in coordinates]
        if isinstance(coordinates, list):
            return [rounded(part) for part in coordinates]
        raise IngestionError("a feature's geometry has coordinates that are not numbers")

    if geometry["type"] == "GeometryCollection":
        parts = [json.loads(compact_geometry(part)) for part in geometry.get("geometries", [])]
        return json.dumps({"type": "GeometryCollection", "geometries": parts}, separators=(",", ":"))
    compact = {"type": geometry["type"], "coordinates": rounded(geometry.get("coordinates"))}
    return json.dumps(compact, separators=(",", ":"))


_COPY_MARK = " (copy "


def _distinct_names(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    names = []
    for name in header:
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name}{_COPY_MARK}{seen[name]})")
    return names


def _original_name(name: str) -> str:
    return name.split(_COPY_MARK)[0]


def _undecodable_part(stream: IO[bytes], encoding: str) -> bytes:
    """The bytes around the first place the file stops being text in `encoding`, for
    `_undecodable`'s guess (the file's start may be plain ASCII)."""
    stream.seek(0)
    data = stream.read()
    try:
        data.decode(encoding)
    except UnicodeDecodeError as error:
        return data[max(0, error.start - _SNIFF_BYTES // 2) : error.start + _SNIFF_BYTES // 2]
    return data[:_SNIFF_BYTES]


def _first_misshapen_row(stream: IO[bytes], encoding: str, width: int) -> str:
    """Arrow's parse errors quote the row (which may hold personal data) and give no row
    number, so the slow path finds the row itself and describes it by its shape only."""
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    for number, row in enumerate(csv.reader(text), start=1):
        if number > 1 and len(row) != width:
            return f"row {number} has {len(row)} values where the header has {width}"
    return "its rows do not match its header"


def _check_header(header: list[str], schema: DatasetSchema, wanted: list[str]) -> None:
    if len(header) < 2 and len(wanted) > 1:
        raise IngestionError("the file is not a CSV with the expected columns (found no commas in the header)")
    doubled = sorted({name for name in wanted if header.count(name) > 1 and name not in schema.repeated_columns})
    if doubled:
        raise IngestionError("the header names these columns more than once: " + ", ".join(doubled))
    missing = [name for name in wanted if name not in header]
    if missing:
        raise IngestionError("the file lacks these columns: " + ", ".join(missing))


# ---------------------------------------------------------------- validating


@dataclass
class _Validation:
    frame: pd.DataFrame
    file_rows: np.ndarray
    private_columns: frozenset[str] = frozenset()
    errors: list[RowError] = field(default_factory=list)
    bad_rows: set[int] = field(default_factory=set)

    def flag(self, mask: pd.Series, column: str | None, message: str) -> None:
        for position in mask.to_numpy(dtype=bool, na_value=False).nonzero()[0].tolist():
            self.flag_row(position, column, message)

    def flag_values(self, mask: pd.Series, column: Column, values: pd.Series, problem: str) -> None:
        """Flag rows whose value has a problem, quoting the value unless it is private."""
        positions = mask.to_numpy(dtype=bool, na_value=False).nonzero()[0].tolist()
        shown = values.iloc[positions].tolist()
        for position, value in zip(positions, shown, strict=True):
            quoted = "the value" if column.name in self.private_columns else repr(str(value)[:60])
            self.flag_row(position, column.name, f"{quoted} {problem}")

    def flag_row(self, position: int, column: str | None, message: str) -> None:
        row = int(self.file_rows[position])
        self.errors.append(RowError(row=row, column=column, message=message))
        self.bad_rows.add(row)


def _convert_column(raw: pd.Series, column: Column, check: _Validation) -> pd.Series:
    values = raw.str.strip()
    empty = values == ""
    if column.required:
        check.flag(empty, column.name, "a value is required")
    present = ~empty

    if column.references is not None:
        reference = column.references
        known = dict(reference.model._default_manager.values_list(reference.by, "pk"))
        ids = values.map(known)
        check.flag_values(present & ids.isna(), column, values, f"is not a known {reference.noun}")
        return ids.astype("Int64")
    if column.kind == URL:
        check.flag_values(present & ~values.map(_is_web_address).astype(bool), column, values, "is not a web address")
    if column.kind in (TEXT, URL):
        if column.max_length is not None:
            check.flag(values.str.len() > column.max_length, column.name, f"longer than {column.max_length} characters")
        if column.choices is not None:
            unknown = present & ~values.isin(column.choices)
            problem = f"is not a known {column.choices_noun}" if column.choices_noun else "is not one of "
            check.flag_values(
                unknown, column, values, problem + ("" if column.choices_noun else ", ".join(column.choices))
            )
        return values
    if column.kind == INTEGER:
        good = values.str.fullmatch(r"[+-]?\d{1,18}")
        check.flag_values(present & ~good, column, values, "is not a whole number")
        return pd.to_numeric(values.where(good, None), errors="coerce").astype("Int64")
    if column.kind == DECIMAL:
        good = values.str.fullmatch(rf"[+-]?\d{{1,15}}(\.\d{{1,{column.decimal_places}}})?")
        problem = f"is not a number with at most {column.decimal_places} decimal places"
        check.flag_values(present & ~good, column, values, problem)
        return values.where(present & good, None)
    if column.kind == FLOAT:
        numbers = pd.to_numeric(values.where(present, None), errors="coerce")
        check.flag_values(present & numbers.isna(), column, values, "is not a number")
        return numbers
    if column.kind == DATE:
        dates = pd.to_datetime(values.where(present, None), format=column.date_format, errors="coerce")
        example = pd.Timestamp("2016-09-30").strftime(column.date_format)
        check.flag_values(present & dates.isna(), column, values, f"is not a date written like {example}")
        return dates
    if column.kind == BOOLEAN:
        lowered = values.str.lower()
        truth = lowered.isin(_TRUE_WORDS)
        check.flag_values(present & ~truth & ~lowered.isin(_FALSE_WORDS), column, values, "is not true or false")
        return truth.where(present, None)
    raise ValueError(f"unknown column kind {column.kind!r}")


def _flag_duplicate_keys(frame: pd.DataFrame, schema: DatasetSchema, check: _Validation) -> None:
    key_columns = [schema.column(name).name for name in schema.key]
    complete = frame[key_columns].notna().all(axis=1) & (frame[key_columns].astype(str) != "").all(axis=1)
    keys = frame.loc[complete, key_columns]
    doubled = keys.duplicated(keep=False)
    if not doubled.any():
        return
    positions = pd.Series(keys.index[doubled.to_numpy()], index=keys.index[doubled.to_numpy()])
    first = positions.groupby([keys.loc[doubled, name] for name in key_columns], sort=False).transform("min")
    private = any(name in check.private_columns for name in key_columns)
    for position, first_position in first.items():
        if position == first_position:
            continue
        if private:
            described = "this row's key"
        else:
            described = "key " + ", ".join(f"{name}={frame.at[position, name]!r}" for name in key_columns)
        first_row = int(check.file_rows[int(first_position)])
        check.flag_row(int(position), key_columns[0], f"{described} is already on row {first_row}")


_WEB_ADDRESS = URLValidator(schemes=["http", "https"])


def _is_web_address(text: str) -> bool:
    """Whether residents may be sent to `text`: an http or https address Django's URL
    validator accepts (no javascript:, no spaces, a real host)."""
    try:
        _WEB_ADDRESS(text)
    except ValidationError:
        return False
    return True


def validate_frame(frame: pd.DataFrame, schema: DatasetSchema) -> _Validation:
    """Convert every column of a text frame to its type; collect every row's errors.

    The frame is the file as read (with FILE_ROW, or rows numbered from 2 without it);
    repeated columns are checked and the schema's reshape applied here."""
    frame = frame.reset_index(drop=True)
    if FILE_ROW not in frame.columns:
        frame[FILE_ROW] = np.arange(2, len(frame) + 2)
    disagreeing = _repeated_columns_disagree(frame, schema)
    copies = [name for name in frame.columns if _COPY_MARK in name]
    frame = schema.reshape(frame.drop(columns=copies)).reset_index(drop=True)
    check = _Validation(
        frame=pd.DataFrame(index=frame.index),
        file_rows=frame[FILE_ROW].to_numpy(),
        private_columns=schema.private_columns(),
    )
    for row, name in disagreeing:
        check.errors.append(RowError(row=row, column=name, message=f"the copies of the {name} column differ"))
        check.bad_rows.add(row)
    for column in schema.columns:
        check.frame[column.name] = _convert_column(frame[column.name], column, check)
    _flag_duplicate_keys(check.frame, schema, check)
    for broken, column_name, message in schema.row_rules(check.frame):
        check.flag(broken.fillna(False).astype(bool), column_name, message)
    check.errors.sort(key=lambda error: (error.row or 0, error.column or ""))
    return check


def _repeated_columns_disagree(frame: pd.DataFrame, schema: DatasetSchema) -> list[tuple[int, str]]:
    """(file row, column) wherever a repeated column's copies differ."""
    found = []
    for name in schema.repeated_columns:
        for copy in [column for column in frame.columns if column != name and _original_name(column) == name]:
            differ = frame[name].str.strip() != frame[copy].str.strip()
            found += [(int(row), name) for row in frame.loc[differ, FILE_ROW]]
    return found


# ---------------------------------------------------------------- writing


def _write_postgresql(frame: pd.DataFrame, schema: DatasetSchema, run_id: int) -> WriteCounts:
    created, changed = copy_upsert(
        model=schema.model,
        fields=[column.attname for column in schema.columns],
        key=[schema.column(name).attname for name in schema.key],
        rows_csv=_copy_csv(frame, schema),
        stage_name=f"ingest_stage_{run_id}",
        written_by_run=run_id,
    )
    return WriteCounts(created=created, updated=changed, unchanged=len(frame) - created - changed)


COPY_BLOCK_BYTES = 1 << 20


def copy_in(cursor: Any, *, statement: str, stream: IO[bytes] | IO[str]) -> None:
    """PostgreSQL only: run `statement` (a `COPY ... FROM STDIN`) on a database cursor, feeding
    it `stream` a block at a time, so a large file is never held whole in memory."""
    with cursor.copy(statement) as copy:
        while block := stream.read(COPY_BLOCK_BYTES):
            copy.write(block)


def copy_out(cursor: Any, *, query: str, params: Sequence[Any], stream: IO[bytes]) -> None:
    """PostgreSQL only: write the rows of `query` (with its `params`, bound by the driver) to
    `stream` as CSV through COPY, a block at a time."""
    # The driver's own cursor: the one Django wraps it in under DEBUG (recording queries) takes
    # no parameters for COPY.
    driver_cursor = cursor.cursor if isinstance(cursor, CursorWrapper) else cursor
    with driver_cursor.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)", params) as copy:
        for block in copy:
            stream.write(block)


def copy_upsert(
    *,
    model: type[models.Model],
    fields: list[str],
    key: list[str],
    rows_csv: IO[bytes],
    stage_name: str,
    written_by_run: int | None = None,
) -> tuple[int, int]:
    """PostgreSQL only: COPY `rows_csv` (CSV without header, the columns `fields` in order,
    as `arrow_csv` writes it) into a temporary staging table, then upsert it into `model`'s
    table by `key` (which needs a unique constraint) in one statement that touches only
    rows whose values changed. Writers of one table take turns. Returns (created, updated).

    With `written_by_run`, every row created or changed gets that run in its `RUN_FIELD`
    column in the same statement (one constant, not compared: an unchanged row keeps the
    run that last wrote it).
    """
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    stage = quote(stage_name)
    columns = ", ".join(quote(name) for name in fields)
    updated = [name for name in fields if name not in key]
    stamped = [quote(f"{RUN_FIELD}_id")] if written_by_run is not None else []
    stamp_values = ["%s"] if written_by_run is not None else []
    parameters = [written_by_run] if written_by_run is not None else []
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [model._meta.db_table])
        cursor.execute(f"DROP TABLE IF EXISTS {stage}")
        cursor.execute(f"CREATE TEMPORARY TABLE {stage} ON COMMIT DROP AS SELECT {columns} FROM {table} WITH NO DATA")
        copy_in(cursor, statement=f"COPY {stage} ({columns}) FROM STDIN WITH (FORMAT csv)", stream=rows_csv)
        if updated:
            assignments = ", ".join(
                f"{name} = EXCLUDED.{name}" for name in [*(quote(name) for name in updated), *stamped]
            )
            current = ", ".join(f"t.{quote(name)}" for name in updated)
            offered = ", ".join(f"EXCLUDED.{quote(name)}" for name in updated)
            conflict = f"DO UPDATE SET {assignments} WHERE ROW({current}) IS DISTINCT FROM ROW({offered})"
        else:
            conflict = "DO NOTHING"
        inserted_columns = ", ".join([columns, *stamped])
        selected = ", ".join([columns, *stamp_values])
        cursor.execute(
            f"WITH upserted AS (INSERT INTO {table} AS t ({inserted_columns}) SELECT {selected} FROM {stage} "
            f"ON CONFLICT ({', '.join(quote(name) for name in key)}) {conflict} "
            "RETURNING (xmax = 0) AS inserted) "
            "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM upserted",
            parameters,
        )
        created, changed = cursor.fetchone()
        cursor.execute(f"DROP TABLE {stage}")
    return created, changed


def arrow_csv(table: pa.Table) -> io.BytesIO:
    """Rows as CSV for COPY: every text quoted (so "" stays an empty string), every missing
    value unquoted and empty (so it is NULL)."""
    buffer = io.BytesIO()
    pa_csv.write_csv(table, buffer, pa_csv.WriteOptions(include_header=False))
    buffer.seek(0)
    return buffer


def _copy_csv(frame: pd.DataFrame, schema: DatasetSchema) -> io.BytesIO:
    """The converted rows as CSV for COPY, in the model's types."""
    arrays = {}
    for column in schema.columns:
        values = pa.array(frame[column.name], from_pandas=True)
        if column.kind == DATE and not column.references:
            values = values.cast(pa.date32())
        elif column.kind == TEXT and not column.references and _nullable(schema, column):
            values = pa.compute.if_else(pa.compute.equal(values, ""), pa.scalar(None, values.type), values)
        arrays[column.attname] = values
    return arrow_csv(pa.table(arrays))


def _nullable(schema: DatasetSchema, column: Column) -> bool:
    return bool(schema.model._meta.get_field(column.model_field).null)


def _python_values(frame: pd.DataFrame, schema: DatasetSchema) -> list[dict[str, Any]]:
    """The rows as the ORM would hand them back, so they compare with stored rows."""
    converted: dict[str, list[Any]] = {}
    for column in schema.columns:
        values = frame[column.name]
        if column.references is not None or column.kind == INTEGER:
            converted[column.attname] = [None if pd.isna(value) else int(value) for value in values]
        elif column.kind == DECIMAL:
            converted[column.attname] = [None if pd.isna(value) else Decimal(value) for value in values]
        elif column.kind == DATE:
            converted[column.attname] = [None if pd.isna(value) else value.date() for value in values]
        elif column.kind == FLOAT:
            converted[column.attname] = [None if pd.isna(value) else float(value) for value in values]
        elif column.kind == BOOLEAN:
            converted[column.attname] = [None if value is None or pd.isna(value) else bool(value) for value in values]
        else:
            nullable = _nullable(schema, column)
            converted[column.attname] = [None if (nullable and value == "") else value for value in values]
    names = list(converted)
    return [dict(zip(names, row, strict=True)) for row in zip(*converted.values(), strict=True)]


def _write_with_orm(frame: pd.DataFrame, schema: DatasetSchema, *, run_id: int | None = None) -> WriteCounts:
    model = schema.model
    key = [schema.column(name).attname for name in schema.key]
    rows = _python_values(frame, schema)
    attnames = list(rows[0])
    stored = {tuple(values[name] for name in key): values for values in model._default_manager.values(*attnames)}
    to_write = []
    counts = WriteCounts()
    for row in rows:
        current = stored.get(tuple(row[name] for name in key))
        if current is None:
            counts.created += 1
        elif current == row:
            counts.unchanged += 1
            continue
        else:
            counts.updated += 1
        to_write.append(model(**row, **{f"{RUN_FIELD}_id": run_id}))
    updated = [column.model_field for column in schema.columns if column.name not in schema.key]
    if updated and run_id is not None:
        updated.append(RUN_FIELD)
    if to_write and updated:
        model._default_manager.bulk_create(
            to_write,
            update_conflicts=True,
            unique_fields=[schema.column(name).model_field for name in schema.key],
            update_fields=updated,
            batch_size=500,
        )
    elif to_write:
        # Every column is the key (a link table): a stored row is unchanged, so only new rows
        # are written, and Django refuses update_conflicts with nothing to update.
        model._default_manager.bulk_create(to_write, batch_size=500)
    return counts


def write_frame(frame: pd.DataFrame, schema: DatasetSchema, run_id: int) -> WriteCounts:
    if connection.vendor == "postgresql" and not _encrypts_values(schema):
        return _write_postgresql(frame, schema, run_id)
    return _write_with_orm(frame, schema, run_id=run_id)


def _encrypts_values(schema: DatasetSchema) -> bool:
    """Whether a column is stored encrypted (contact details): COPY would write its text as it
    is, and ciphertexts, never equal twice, would make every row look changed. The ORM
    encrypts on the way in and compares the decrypted values."""
    return any(
        isinstance(schema.model._meta.get_field(column.model_field), EncryptedFieldMixin) for column in schema.columns
    )


# ---------------------------------------------------------------- runs


def _checksum(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def ingestion_run_create(
    *, dataset: Dataset, stream: IO[bytes], file_name: str, requested_by: Any = None
) -> IngestionRun:
    """Store an offered file as a queued run (`cities.services.ingestion_run_offer` also
    sends it to a worker; `ingest_path` executes it at once).

    Refuses (IngestionError) a dataset without a schema, an empty file and one over the
    size limit, before anything is stored.
    """
    schema_for(dataset)
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    _check_size(size)
    with transaction.atomic():
        run = IngestionRun(
            dataset=dataset,
            file_name=Path(file_name).name[:255],
            file_checksum=_checksum(stream),
            file_size=size,
            requested_by=requested_by if getattr(requested_by, "pk", None) else None,
        )
        run.file.save(Path(file_name).name, File(stream), save=False)
        run.save()
    return run


def ingestion_run_execute(*, run_id: int) -> IngestionRun:
    """Ingest a stored run's file. Idempotent and safe to run twice at once:

    - a finished run is returned as it is;
    - the work happens inside one transaction that holds the run's row lock, and the run
      is marked finished in that same transaction, so data and counts commit together;
    - a second execution of the same run (a redelivered task) waits for the lock, then
      finds the run finished; a run whose worker died rolled back and is simply done again.
    """
    IngestionRun.objects.filter(pk=run_id, status=IngestionRun.Status.QUEUED).update(
        status=IngestionRun.Status.RUNNING, started_at=timezone.now()
    )
    with transaction.atomic():
        run = IngestionRun.objects.select_for_update().select_related("dataset").get(pk=run_id)
        if run.is_finished:
            return run
        if run.started_at is None:
            run.started_at = timezone.now()
        _ingest(run)
    logger.info(
        "ingestion run %s of %s: %s, read=%s created=%s updated=%s unchanged=%s rejected=%s",
        run.pk,
        run.dataset.slug,
        run.status,
        run.rows_read,
        run.rows_created,
        run.rows_updated,
        run.rows_unchanged,
        run.rows_rejected,
    )
    return run


def _ingest(run: IngestionRun) -> None:
    try:
        schema = schema_for(run.dataset)
        with run.file.open("rb") as stream:
            frame = _read_frame(stream, schema, run.file_size)
        run.rows_read = len(frame)
        check = validate_frame(frame, schema)
        if check.errors:
            run.rows_rejected = len(check.bad_rows)
            _finish(run, IngestionRun.Status.FAILED, check.errors)
            return
        counts = write_frame(check.frame, schema, run.pk)
        run.rows_created, run.rows_updated, run.rows_unchanged = counts.created, counts.updated, counts.unchanged
        _finish(run, IngestionRun.Status.SUCCEEDED, [])
        if counts.created + counts.updated:
            _data_changed(schema)
    except IngestionError as error:
        _finish(run, IngestionRun.Status.FAILED, [RowError(row=None, column=None, message=str(error))])


def _data_changed(schema: DatasetSchema) -> None:
    """Once a run that changed rows commits, what was cached of its app's data is stale (the
    app is the first part of the schema's slug: boundary layers count for the app that
    publishes them), and the app's own follow-up task, if any, is sent."""
    transaction.on_commit(partial(data_version_bump, schema.slug.partition(".")[0]))
    if schema.after_ingestion_task:
        enqueue_on_commit(schema.after_ingestion_task)


def _finish(run: IngestionRun, status: str, errors: list[RowError]) -> None:
    run.status = status
    run.finished_at = timezone.now()
    run.error_count = len(errors)
    run.errors = [error.as_dict() for error in errors[:MAX_ERRORS_KEPT]]
    run.save(
        update_fields=[
            "status",
            "started_at",
            "finished_at",
            "rows_read",
            "rows_created",
            "rows_updated",
            "rows_unchanged",
            "rows_rejected",
            "error_count",
            "errors",
        ]
    )


def ingest_path(*, dataset: Dataset, path: Path, requested_by: Any = None) -> IngestionRun:
    """Ingest a file on disk now, in this process (the `ingest` command, demo data)."""
    with path.open("rb") as stream:
        run = ingestion_run_create(dataset=dataset, stream=stream, file_name=path.name, requested_by=requested_by)
    return ingestion_run_execute(run_id=run.pk)
