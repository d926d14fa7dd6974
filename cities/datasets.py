"""The core's own datasets: the collaborative's cities, partners, grants and catalogue."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import ClassVar

import pandas as pd

from cities.ingestion import (
    BOOLEAN,
    DATE,
    DECIMAL,
    FILE_ROW,
    GEOJSON,
    GEOMETRY,
    TEXT_DTYPE,
    Column,
    DatasetSchema,
    Reference,
    register_schema,
    registered_schemas,
)
from cities.models import Boundary, City, Dataset, Grant, Organization, Partnership

CITY = Reference(model=City, by="slug", noun="city")
ORGANIZATION = Reference(model=Organization, by="slug", noun="organisation")


@register_schema
class CitiesSchema(DatasetSchema):
    slug = "cities.cities"
    model = City
    description = "The collaborative's cities: one row per city."
    key = ("slug",)
    columns = (
        Column("slug", max_length=60),
        Column("name", max_length=100),
        Column("state", max_length=2),
        Column("role", choices=tuple(City.Role.values)),
        Column("focus", max_length=200),
        Column("description", required=False),
    )


@register_schema
class OrganizationsSchema(DatasetSchema):
    slug = "cities.organizations"
    model = Organization
    description = "Partner organisations: one row per organisation."
    key = ("slug",)
    columns = (
        Column("slug", max_length=100),
        Column("name", max_length=200),
        Column("kind", choices=tuple(Organization.Kind.values)),
        Column("home_city", required=False, references=CITY),
        Column("website", required=False, max_length=200),
        Column("description", required=False),
    )


@register_schema
class PartnershipsSchema(DatasetSchema):
    slug = "cities.partnerships"
    model = Partnership
    description = "Which organisation works with which city, and in what role."
    key = ("organization", "city")
    columns = (
        Column("organization", references=ORGANIZATION),
        Column("city", references=CITY),
        Column("role", choices=tuple(Partnership.Role.values)),
        Column("contribution", required=False, max_length=300),
    )


@register_schema
class GrantsSchema(DatasetSchema):
    slug = "cities.grants"
    model = Grant
    description = "Grants to the cities: one row per grant, amounts in US dollars."
    key = ("reference",)
    columns = (
        Column("reference", max_length=60),
        Column("funder", references=ORGANIZATION),
        Column("city", references=CITY),
        Column("amount", kind=DECIMAL, decimal_places=2),
        Column("purpose", max_length=300),
        Column("starts_on", kind=DATE),
        Column("ends_on", kind=DATE),
    )

    def row_rules(self, frame: pd.DataFrame) -> Iterable[tuple[pd.Series, str, str]]:
        amounts = pd.to_numeric(frame["amount"], errors="coerce")
        yield amounts <= 0, "amount", "the amount must be more than zero"
        yield frame["ends_on"] < frame["starts_on"], "ends_on", "the grant ends before it starts"


@register_schema
class DatasetsSchema(DatasetSchema):
    slug = "cities.datasets"
    model = Dataset
    description = "The catalogue: every dataset the cities publish, with its provenance."
    key = ("slug",)
    columns = (
        Column("slug", max_length=100),
        Column("title", max_length=200),
        Column("city", required=False, references=CITY),
        Column("publisher", required=False, references=ORGANIZATION),
        Column("description", required=False),
        Column("source", max_length=500),
        Column("source_url", required=False, max_length=500),
        Column("licence", required=False, max_length=200),
        Column("update_frequency", choices=tuple(Dataset.Frequency.values)),
        Column("schema", required=False, max_length=100),
        Column("contains_personal_data", kind=BOOLEAN),
    )

    def row_rules(self, frame: pd.DataFrame) -> Iterable[tuple[pd.Series, str, str]]:
        unknown = (frame["schema"] != "") & ~frame["schema"].isin(list(registered_schemas()))
        yield unknown, "schema", "names no ingestion schema of the portal"


class BoundarySchema(DatasetSchema):
    """A GeoJSON boundary file: each feature becomes a `Boundary` of the schema's layer.
    Subclasses (in the city apps, registered there) name the layer and the properties that
    hold each area's code, name and, optionally, a detail such as its neighbourhoods."""

    file_format = GEOJSON
    model = Boundary
    # The code first: a duplicate is named by the column a person can fix.
    key = ("code", "layer")
    columns = (
        Column("layer", max_length=60),
        Column("code", max_length=60),
        Column("name", max_length=200),
        Column("detail", required=False, max_length=500),
        Column(GEOMETRY),
    )
    layer: ClassVar[str]
    code_property: ClassVar[str]
    name_property: ClassVar[str]
    detail_property: ClassVar[str] = ""

    def _properties(self) -> list[str]:
        return list(
            dict.fromkeys(name for name in (self.code_property, self.name_property, self.detail_property) if name)
        )

    def file_columns(self, header: list[str]) -> list[str]:
        return [*self._properties(), GEOMETRY]

    def reshape(self, frame: pd.DataFrame) -> pd.DataFrame:
        reshaped = pd.DataFrame(
            {
                "layer": self.layer,
                "code": frame[self.code_property],
                "name": frame[self.name_property],
                "detail": frame[self.detail_property] if self.detail_property else "",
                GEOMETRY: frame[GEOMETRY],
            },
            dtype=TEXT_DTYPE,
        )
        reshaped[FILE_ROW] = frame[FILE_ROW]
        return reshaped

    @staticmethod
    def merge_repeated_codes(areas: pd.DataFrame) -> pd.DataFrame:
        """The reshaped areas with the polygons of one code (a file publishing an area in
        pieces, one feature each) made one MultiPolygon area, on the first piece's row."""
        repeated = areas["code"].duplicated(keep=False) & (areas["code"] != "")
        if not repeated.any():
            return areas
        merged = [
            group.iloc[[0]].assign(**{GEOMETRY: _multipolygon(group[GEOMETRY].tolist())})
            for _, group in areas[repeated].groupby("code", sort=False)
        ]
        return pd.concat([areas[~repeated], *merged]).astype({GEOMETRY: TEXT_DTYPE}).sort_values(FILE_ROW)

    @classmethod
    def documentation(cls) -> list[dict[str, str]]:
        described = {cls.code_property: "the area's code", cls.name_property: "the area's name"}
        if cls.detail_property:
            described[cls.detail_property] = "a detail shown with the name"
        rows = [
            {
                "name": f"properties.{name}",
                "kind": kind,
                "required": "no" if name == cls.detail_property else "yes",
                "key": "yes" if name == cls.code_property else "",
            }
            for name, kind in described.items()
        ]
        rows.append({"name": "geometry", "kind": "a GeoJSON geometry", "required": "yes", "key": ""})
        return rows


def _multipolygon(geometries: list[str]) -> str:
    """Polygons and multipolygons (GeoJSON text) as one MultiPolygon. A part that is not
    JSON is passed on whole, so that the geometry check names its row."""
    polygons: list[object] = []
    for text in geometries:
        try:
            geometry = json.loads(text)
        except json.JSONDecodeError:
            return text
        if geometry.get("type") == "Polygon":
            polygons.append(geometry["coordinates"])
        elif geometry.get("type") == "MultiPolygon":
            polygons.extend(geometry["coordinates"])
        else:
            return text
    return json.dumps({"type": "MultiPolygon", "coordinates": polygons}, separators=(",", ":"))
