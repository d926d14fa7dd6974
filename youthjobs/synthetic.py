"""The seeded generator of Boston summer jobs data: realistic, clearly synthetic youth,
sites and positions on Boston's real geography, written as the programme's own CSV files
and loaded through the ingestion machinery like any partner's file.

Applicant records are private, so no real file exists; everything here is made up, and
marked so (`is_synthetic`, ids starting with SYN-, names "Synthetic Youth 00042", e-mail
addresses at example.org, phone numbers in the 555-01xx range reserved for fiction).

What is real and what is assumed:
- sites are the real job sites of the DYEE 2017 and SuccessLink 2018 position files
  (shared/data/boston), with their names, addresses, locations, job titles and categories.
  A programme of N youth needs about N/8 sites (about 1,000 for 8,000 youth, as Boston has),
  more than the files list, so real sites are replicated under new ids: the first copy of a
  site stands where the site is; further copies ("…, site 2") stand at random points of the
  real site's neighbourhood;
- seats: one seat per youth in all, shared out in proportion to the real open positions of
  each copied job (at least one);
- minimum ages: 14, except categories where employers in the files ask for older youth
  (`CATEGORY_MINIMUM_AGE`); one position in ten, drawn at random, asks for 18;
- homes: drawn inside the City's neighbourhood polygons with `YOUTH_SHARE_BY_NEIGHBOURHOOD`,
  our approximation of where Boston's young residents (and SYEP applicants) live, heavy in
  Dorchester, Roxbury, Mattapan, Hyde Park and East Boston; 2% of applicants live just
  outside the City (Revere, Chelsea, Brookline, Milton…) and are refused as such;
- ages 14-24 on the first day with `AGE_SHARE` (most applicants are 14-18); 1% are 13 or 25,
  to exercise eligibility; 5% of minors have no work permit yet;
- interests: up to three categories, drawn in proportion to how often each category
  appears in the real position files, so that demand resembles supply but does not equal it;
- a transit pass: 30% at 14, rising 4 points a year of age;
- direct hires: 4% of eligible-looking youth, returning youth or an employer's pick, to a
  position open to their age, at most half of its seats.
The same seed, youth count and season give the same files, byte for byte.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from youthjobs.geography import area_of, neighbourhoods_load, points_in, zip_areas_load
from youthjobs.models import JOB_CATEGORIES, Gender

YOUTH_SHARE_BY_NEIGHBOURHOOD = {
    "Dorchester": 0.25,
    "Roxbury": 0.13,
    "Mattapan": 0.07,
    "Hyde Park": 0.07,
    "East Boston": 0.08,
    "Jamaica Plain": 0.05,
    "South End": 0.04,
    "Roslindale": 0.04,
    "South Boston": 0.04,
    "Brighton": 0.04,
    "Allston": 0.02,
    "Charlestown": 0.02,
    "West Roxbury": 0.03,
    "Mission Hill": 0.02,
    "Fenway": 0.02,
    "Chinatown": 0.01,
    "North End": 0.01,
    "Back Bay": 0.01,
    "Beacon Hill": 0.01,
    "West End": 0.01,
    "Downtown": 0.01,
    "South Boston Waterfront": 0.01,
}
# Points just outside the City, in towns whose youth sometimes apply: (longitude, latitude, ZIP).
OUTSIDE_BOSTON = (
    (-71.0120, 42.4084, "02151"),  # Revere
    (-71.0328, 42.3918, "02150"),  # Chelsea
    (-71.1212, 42.3318, "02445"),  # Brookline
    (-71.0662, 42.2495, "02186"),  # Milton
    (-71.0878, 42.3876, "02143"),  # Somerville
)
AGE_SHARE = {14: 0.14, 15: 0.16, 16: 0.16, 17: 0.14, 18: 0.11, 19: 0.08, 20: 0.06, 21: 0.05, 22: 0.04, 23: 0.03}
AGE_SHARE[24] = 1 - sum(AGE_SHARE.values())
GENDER_SHARE = {
    Gender.FEMALE: 0.52,
    Gender.MALE: 0.45,
    Gender.NONBINARY: 0.015,
    Gender.UNDISCLOSED: 0.015,
}
CATEGORY_MINIMUM_AGE = {
    "Child Care/Day Care Facility": 16,
    "Health Care": 16,
    "Maintenance/Landscaping": 16,
    "Construction or Building Trades": 18,
    "Law, Government, or Public Service": 16,
}
YOUTH_PER_SITE = 8
SEASON_YEAR = "2026"
SEASON_STARTS_ON = date(2026, 7, 6)
SEASON_ENDS_ON = date(2026, 8, 14)
OFFER_DAYS = 7

POSITIONS_2017 = Path("boston") / "dyee_summer_positions_2017.csv"
POSITIONS_2018 = Path("boston") / "successlink_positions_2018.csv"


@dataclass(frozen=True)
class SyntheticFiles:
    """The generated CSV files, in the order they must be ingested."""

    seasons: bytes
    sites: bytes
    positions: bytes
    applicants: bytes
    direct_hires: bytes

    def in_order(self) -> list[tuple[str, bytes]]:
        return [
            ("seasons", self.seasons),
            ("sites", self.sites),
            ("positions", self.positions),
            ("applicants", self.applicants),
            ("direct_hires", self.direct_hires),
        ]


def real_jobs(data_dir: Path) -> pd.DataFrame:
    """The real jobs with a location: site name, address, neighbourhood as written, point,
    title, category (only the categories of `JOB_CATEGORIES`) and open positions."""
    jobs_2017 = pd.read_csv(data_dir / POSITIONS_2017, dtype=str, keep_default_na=False)
    jobs_2018 = pd.read_csv(data_dir / POSITIONS_2018, dtype=str, keep_default_na=False)
    jobs = pd.concat(
        [
            jobs_2017.rename(columns={"name": "site_name", "job_title": "title", "job_category": "category"}),
            jobs_2018,
        ],
        ignore_index=True,
    )[["site_name", "address", "latitude", "longitude", "title", "category", "open_positions"]]
    jobs["latitude"] = pd.to_numeric(jobs["latitude"], errors="coerce")
    jobs["longitude"] = pd.to_numeric(jobs["longitude"], errors="coerce")
    jobs["open_positions"] = pd.to_numeric(jobs["open_positions"], errors="coerce").fillna(1).clip(lower=1)
    jobs["site_name"] = jobs["site_name"].str.strip()
    jobs["title"] = jobs["title"].str.strip().str.slice(0, 200)
    located = jobs["latitude"].between(42.2, 42.45) & jobs["longitude"].between(-71.2, -70.9)
    return jobs[located & jobs["category"].isin(JOB_CATEGORIES)].reset_index(drop=True)


def _csv(frame: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, float_format="%.6f")
    return buffer.getvalue().encode()


def _sites_and_positions(
    *, jobs: pd.DataFrame, site_count: int, seat_total: int, data_dir: Path, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame]:
    neighbourhoods = neighbourhoods_load()
    real_sites = (
        jobs.groupby(["site_name", "latitude", "longitude"], sort=True)
        .size()
        .reset_index()[["site_name", "latitude", "longitude"]]
    )
    real_sites["neighbourhood"] = area_of(
        longitude=real_sites["longitude"].to_numpy(), latitude=real_sites["latitude"].to_numpy(), areas=neighbourhoods
    )
    real_sites = real_sites[real_sites["neighbourhood"] != ""].reset_index(drop=True)
    template = np.arange(site_count) % len(real_sites)
    rng.shuffle(template)
    copy_number = pd.Series(template).groupby(template).cumcount().to_numpy() + 1
    sites = real_sites.iloc[template].reset_index(drop=True)
    sites["template"] = template
    moved = copy_number > 1
    for index in np.flatnonzero(moved):
        point = points_in(geometry=neighbourhoods.geometry(sites.at[index, "neighbourhood"]), count=1, rng=rng)[0]
        sites.at[index, "longitude"], sites.at[index, "latitude"] = point
    sites["site_id"] = [f"SYN-S{number:04d}" for number in range(1, site_count + 1)]
    sites["name"] = [
        name if copy == 1 else f"{name}, site {copy}"
        for name, copy in zip(sites["site_name"], copy_number, strict=True)
    ]
    first_address = jobs.groupby("site_name")["address"].first()
    sites["address"] = np.where(moved, "", sites["site_name"].map(first_address).fillna(""))

    jobs_by_site = jobs.merge(real_sites.reset_index(names="template"), on=["site_name", "latitude", "longitude"])
    positions = sites[["site_id", "template"]].merge(jobs_by_site, on="template").sort_values(["site_id", "title"])
    positions = positions.drop_duplicates(["site_id", "title", "category"]).reset_index(drop=True)
    # A few real jobs list hundreds of openings (a city-wide programme); capped so that no
    # single copied job takes a large share of the seats.
    weights = positions["open_positions"].clip(upper=25).to_numpy(dtype=float)
    seats = np.maximum(1, np.floor(weights / weights.sum() * seat_total)).astype(int)
    shortfall = seat_total - seats.sum()
    if shortfall > 0:
        np.add.at(seats, rng.choice(len(seats), size=shortfall, p=weights / weights.sum()), 1)
    positions["seats"] = seats
    minimum_age = positions["category"].map(CATEGORY_MINIMUM_AGE).fillna(14).astype(int).to_numpy()
    positions["minimum_age"] = np.where(rng.random(len(positions)) < 0.1, 18, minimum_age)
    positions["position_id"] = [f"SYN-P{number:05d}" for number in range(1, len(positions) + 1)]
    return sites, positions


def synthetic_applicants(
    *,
    youth: int,
    categories: pd.Series,
    data_dir: Path,
    starts_on: date,
    rng: np.random.Generator,
    season_year: str = SEASON_YEAR,
    id_prefix: str = "SYN",
) -> pd.DataFrame:
    """`youth` synthetic applicants of a season (ids `id_prefix`-00001…), the applicants
    file's columns, drawn as the module says from `rng`."""
    neighbourhoods = neighbourhoods_load()
    names = list(YOUTH_SHARE_BY_NEIGHBOURHOOD)
    shares = np.array(list(YOUTH_SHARE_BY_NEIGHBOURHOOD.values()))
    outside = rng.random(youth) < 0.02
    home_of = rng.choice(len(names), size=youth, p=shares / shares.sum())
    homes = np.empty((youth, 2))
    for index, name in enumerate(names):
        chosen = (home_of == index) & ~outside
        homes[chosen] = points_in(geometry=neighbourhoods.geometry(name), count=int(chosen.sum()), rng=rng)
    towns = rng.integers(0, len(OUTSIDE_BOSTON), size=int(outside.sum()))
    town_points = np.array([town[:2] for town in OUTSIDE_BOSTON], dtype=float)[towns]
    homes[outside] = town_points + rng.normal(0, 0.002, size=town_points.shape)
    home_zip = area_of(longitude=homes[:, 0], latitude=homes[:, 1], areas=zip_areas_load())
    home_zip[outside] = np.array([town[2] for town in OUTSIDE_BOSTON])[towns]
    # A few points of the neighbourhoods fall between ZIP polygons (water, slivers): the
    # nearest ZIP area's code is theirs.
    home_zip = _fill_nearest_zip(home_zip=home_zip, homes=homes, data_dir=data_dir)

    ages = rng.choice(list(AGE_SHARE), size=youth, p=list(AGE_SHARE.values()))
    out_of_range = rng.random(youth) < 0.01
    ages = np.where(out_of_range, rng.choice([13, 25], size=youth), ages)
    # Born on a random day of the year that makes them `age` on the first day.
    days_before = rng.integers(0, 365, size=youth)
    born = [
        starts_on.replace(year=starts_on.year - int(age)) - timedelta(days=int(days))
        for age, days in zip(ages, days_before, strict=True)
    ]

    popularity = categories.value_counts()
    category_names = popularity.index.to_numpy()
    category_shares = (popularity + 3).to_numpy(dtype=float)
    category_shares /= category_shares.sum()
    interest_count = rng.choice([1, 2, 3], size=youth, p=[0.1, 0.2, 0.7])
    interests = [
        list(rng.choice(category_names, size=3, replace=False, p=category_shares)[:count]) + [""] * (3 - count)
        for count in interest_count
    ]
    numbers = range(1, youth + 1)
    has_phone = rng.random(youth) < 0.7
    minors = ages < 18
    return pd.DataFrame(
        {
            "applicant_id": [f"{id_prefix}-{number:05d}" for number in numbers],
            "season": season_year,
            "first_name": "Synthetic",
            "last_name": [f"Youth {number:05d}" for number in numbers],
            "date_of_birth": [day.isoformat() for day in born],
            "gender": rng.choice(list(GENDER_SHARE), size=youth, p=list(GENDER_SHARE.values())),
            "email": [f"youth{number:05d}@example.org" for number in numbers],
            "phone": [
                f"+1617555{100 + number % 100:04d}" if phone else ""
                for number, phone in zip(numbers, has_phone, strict=True)
            ],
            "home_zip": home_zip,
            "home_latitude": homes[:, 1],
            "home_longitude": homes[:, 0],
            "has_transit_pass": rng.random(youth) < 0.30 + 0.04 * (np.clip(ages, 14, 24) - 14),
            "has_work_permit": ~minors | (rng.random(youth) >= 0.05),
            "first_interest": [row[0] for row in interests],
            "second_interest": [row[1] for row in interests],
            "third_interest": [row[2] for row in interests],
            "is_synthetic": True,
        }
    )


def _fill_nearest_zip(*, home_zip: np.ndarray, homes: np.ndarray, data_dir: Path) -> np.ndarray:
    areas = zip_areas_load()
    for index in np.flatnonzero(home_zip == ""):
        point = shapely.Point(homes[index])
        distances = [geometry.distance(point) for geometry in areas.geometries]
        home_zip[index] = areas.names[int(np.argmin(distances))]
    return home_zip


def synthetic_files(*, youth: int, seed: int, data_dir: Path, seats: int | None = None) -> SyntheticFiles:
    """The files of a synthetic season of `youth` applicants and `seats` seats (by default
    one per youth) at about seats/8 sites, from `seed`. Raises ValueError for fewer than
    10 youth or seats."""
    seat_total = youth if seats is None else seats
    if min(youth, seat_total) < 10:
        raise ValueError("generate at least 10 youth and 10 seats")
    rng = np.random.default_rng(seed)
    jobs = real_jobs(data_dir)
    sites, positions = _sites_and_positions(
        jobs=jobs, site_count=max(10, seat_total // YOUTH_PER_SITE), seat_total=seat_total, data_dir=data_dir, rng=rng
    )
    applicants = synthetic_applicants(
        youth=youth, categories=jobs["category"], data_dir=data_dir, starts_on=SEASON_STARTS_ON, rng=rng
    )
    season = pd.DataFrame(
        {
            "year": [SEASON_YEAR],
            "starts_on": [SEASON_STARTS_ON.isoformat()],
            "ends_on": [SEASON_ENDS_ON.isoformat()],
            "offer_days": [OFFER_DAYS],
        }
    )
    positions_file = pd.DataFrame(
        {
            "position_id": positions["position_id"],
            "season": SEASON_YEAR,
            "site_id": positions["site_id"],
            "title": positions["title"],
            "category": positions["category"],
            "seats": positions["seats"],
            "minimum_age": positions["minimum_age"],
            "hours_per_week": 25,
            "starts_on": SEASON_STARTS_ON.isoformat(),
            "ends_on": SEASON_ENDS_ON.isoformat(),
            "is_synthetic": True,
        }
    )
    sites_file = sites[["site_id", "name", "address", "latitude", "longitude"]].assign(is_synthetic=True)
    return SyntheticFiles(
        seasons=_csv(season),
        sites=_csv(sites_file),
        positions=_csv(positions_file),
        applicants=_csv(applicants),
        direct_hires=_csv(_direct_hires(applicants=applicants, positions=positions, rng=rng)),
    )


def _direct_hires(*, applicants: pd.DataFrame, positions: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """4% of applicants who look eligible, each to a position open to their age, using at
    most half of a position's seats."""
    born = pd.to_datetime(applicants["date_of_birth"])
    age = SEASON_STARTS_ON.year - born.dt.year - (born.dt.strftime("%m%d") > SEASON_STARTS_ON.strftime("%m%d"))
    looks_eligible = age.between(14, 24) & applicants["has_work_permit"]
    chosen = applicants[looks_eligible].sample(frac=0.04, random_state=rng).index
    room = (positions["seats"] // 2).to_numpy().copy()
    rows = []
    for index in chosen:
        open_to = np.flatnonzero((room > 0) & (positions["minimum_age"].to_numpy() <= age[index]))
        if len(open_to) == 0:
            continue
        pick = int(rng.choice(open_to))
        room[pick] -= 1
        kind = "returning" if rng.random() < 0.6 else "employer_pick"
        rows.append((applicants.at[index, "applicant_id"], positions.at[pick, "position_id"], kind))
    return pd.DataFrame(rows, columns=["applicant_id", "position_id", "kind"])
