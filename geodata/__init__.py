"""Bundled open data for the three youth-care regions, and its loaders.

The files in ``geodata/data`` are copies of the project's reference data: CBS/PDOK municipality
boundaries 2025, region membership, CBS population on 1 January 2024 (one date for every
municipality), CBS postcode-4 areas with age bands (same date), DUO secondary and special-secondary
school locations (addresses of 22 November 2024), the lengths and tolls of Zeeland's fixed links,
and named places (care locations, courts). ``geodata/data/SOURCES.md`` keeps their provenance,
licences, reference dates and what was changed. Loaders return GeoDataFrames in EPSG:4326 for
display, or plain tables with ``lat``/``lon`` in WGS 84 degrees; use :data:`METRIC_CRS` (RD New)
for distances and areas.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import geopandas as gpd
import pandas as pd

DISPLAY_CRS = "EPSG:4326"
METRIC_CRS = "EPSG:28992"  # Amersfoort / RD New
ATTRIBUTION = "Boundaries: CBS / PDOK gebiedsindelingen 2025 (via cartomap/nl), CC BY 4.0"

#: The kinds of school in ``schools.csv`` (SOURCES.md §5): regular secondary (``vo``, also when
#: it offers practical education), practical-only (``practical``, DUO type PRO), special secondary
#: for cluster 4 (``vso_cluster4``) and clusters 1-3 (``vso_other``), and the school on a
#: JeugdzorgPlus site (``jzplus_school``: the Olivijncollege on the Almata site, Ossendrecht).
SCHOOL_KINDS = ("vo", "practical", "vso_cluster4", "vso_other", "jzplus_school")

#: Flags of ``schools.csv`` rows that need care (SOURCES.md §5): empty for none.
SCHOOL_FLAGS = ("", "no_coordinate", "coordinate_copied", "moved_later", "duplicate_geocode")
#: Flags whose rows have no usable coordinate: never used for a distance.
UNLOCATED = ("no_coordinate", "moved_later")


def data_dir() -> Path:
    return Path(str(resources.files("geodata") / "data"))


def sources_file() -> Path:
    return data_dir() / "SOURCES.md"


def _csv(file: str, dtypes: dict | None = None) -> pd.DataFrame:
    """A bundled table; ``gm_code`` and the columns in ``dtypes`` keep their text (``0826``)."""
    dtypes = {"gm_code": str, **(dtypes or {})}
    return pd.read_csv(data_dir() / file, dtype=dtypes, keep_default_na=False, na_values=[""])


def load_population() -> pd.DataFrame:
    """CBS population per municipality on 1 January 2024 (85984NED), one row per municipality.

    Columns: ``gm_code``, ``name``, ``population`` (inhabitants), ``population_date`` (ISO date,
    the same for every row), ``men``, ``women``, ``dwellings``, ``land_area_ha``,
    ``water_area_ha``, ``source``.
    """
    return _csv("population.csv", {"population_date": str})


_PC4_COUNTS = (
    "population",
    "age_0_14",
    "age_15_24",
    "age_25_44",
    "age_45_64",
    "age_65plus",
    "households",
)


@cache
def _pc4() -> pd.DataFrame:
    table = _csv(
        "pc4_2024.csv",
        {"pc4": str, "reference_date": str, "note": str, **dict.fromkeys(_PC4_COUNTS, "Int64")},
    )
    return table.assign(note=table["note"].fillna(""))


def load_pc4() -> pd.DataFrame:
    """CBS postcode-4 areas of the 27 municipalities on 1 January 2024, one row per PC4.

    Columns: ``pc4``, ``gm_code`` (the municipality with the largest share of the PC4's area),
    ``overlap_share`` (that share, 0-1), ``lat``/``lon`` (a point inside the PC4, WGS 84),
    ``area_km2``, ``population`` and the age bands ``age_0_14``, ``age_15_24``, ``age_25_44``,
    ``age_45_64``, ``age_65plus`` (inhabitants, CBS-rounded to 5; empty where CBS keeps the value
    secret), ``households``, ``reference_date``, ``note``.
    """
    return _pc4().copy()


def municipality_age_bands() -> pd.DataFrame:
    """The PC4 age bands summed per municipality: ``gm_code``, ``age_0_14``, ``age_15_24``.

    A secret (empty) PC4 value counts 0. The sums are of the PC4 areas assigned to a
    municipality, so they can differ slightly from the municipality's own CBS total (the largest
    gap is Rucphen, -0.73 %, SOURCES.md §2).
    """
    sums = _pc4().groupby("gm_code")[["age_0_14", "age_15_24"]].sum(min_count=0)
    return sums.reset_index()


@cache
def _municipalities() -> gpd.GeoDataFrame:
    shapes = gpd.read_file(data_dir() / "municipalities.geojson")
    table = _csv("municipalities.csv")
    population = load_population()
    merged = shapes[["gm_code", "geometry"]].merge(table, on="gm_code", validate="1:1")
    merged = merged.merge(
        population[["gm_code", "population", "population_date", "source"]].rename(
            columns={"source": "population_source"}
        ),
        on="gm_code",
        how="left",
        validate="1:1",
    )
    merged = merged.merge(municipality_age_bands(), on="gm_code", how="left", validate="1:1")
    merged = merged.rename(columns={"centroid_lat": "lat", "centroid_lon": "lon"})
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=shapes.crs).to_crs(DISPLAY_CRS)


def load_municipalities(crs: str = DISPLAY_CRS) -> gpd.GeoDataFrame:
    """Municipalities of WBW, WBO and Zeeland with region, representative point and population.

    ``lat``/``lon`` is a point always inside the polygon (shapely ``representative_point``), not the
    centroid, so a zone's point never falls in the sea. ``population`` and ``population_date``
    come from :func:`load_population` (one date); ``age_0_14`` and ``age_15_24`` from
    :func:`municipality_age_bands` (same date).
    """
    return _municipalities().copy().to_crs(crs)


def load_regions() -> pd.DataFrame:
    """Region membership, including former members marked ``in_scope=False``."""
    return pd.read_csv(data_dir() / "regions.csv", dtype={"gm_code": str})


def load_places() -> pd.DataFrame:
    """Named places (care locations, courts) with source and coordinate precision."""
    places = pd.read_csv(data_dir() / "places.csv", dtype={"gm_code": str})
    lat = places["lat"].fillna(places["muni_lat"])
    lon = places["lon"].fillna(places["muni_lon"])
    return places.assign(lat=lat, lon=lon)


@cache
def _schools() -> pd.DataFrame:
    numbers = {"lat", "lon", "pupils_2023"}
    columns = pd.read_csv(data_dir() / "schools.csv", nrows=0).columns
    text = [c for c in columns if c not in numbers]
    table = _csv("schools.csv", {**dict.fromkeys(text, str), "pupils_2023": "Int64"})
    table[text] = table[text].fillna("")
    unknown = set(table["kind"]) - set(SCHOOL_KINDS)
    if unknown:
        raise ValueError(f"schools.csv: unknown kind(s) {sorted(unknown)}")
    return table


def load_schools(located: bool = False) -> pd.DataFrame:
    """Secondary and special-secondary school locations (DUO, 22 November 2024), one per row.

    Columns: ``school_id`` (DUO BRIN + vestiging number, e.g. ``02RH15``), ``brin``, ``name``,
    ``kind`` (one of :data:`SCHOOL_KINDS`), ``sector`` (VO or VSO), ``duo_type``, ``offers_pro``,
    ``cluster`` (VSO cluster 1-4), ``duo_onderwijs`` (DUO education codes), ``rp_vso`` (an
    ``RP-VSO`` code, residentially placed pupils: ``yes``/``no``), ``gm_code``, ``municipality``,
    ``region``, ``address``, ``lat``/``lon`` (BAG address point, WGS 84), ``pupils_2023`` (school
    year 2023-24), ``flag`` (one of :data:`SCHOOL_FLAGS`), ``later_duo_name``, ``note``.

    With ``located=True`` only the rows whose coordinate is where the school is, the ones a
    distance is computed to: all but the ``no_coordinate`` row (no coordinate) and the two
    ``moved_later`` rows (their coordinate is the November 2024 address; a later DUO file gives
    another, not geocoded).
    """
    table = _schools().copy()
    if located:
        keep = table["lat"].notna() & table["lon"].notna() & ~table["flag"].isin(UNLOCATED)
        table = table[keep].reset_index(drop=True)
    return table


def load_fixed_links() -> pd.DataFrame:
    """Tunnel, bridge and dams of Zeeland with length, road number, toll status and sources.

    Columns as in ``fixed_links.csv`` (``link_id``, ``name``, ``type``, ``road``, ``connects_a``,
    ``connects_b``, ``length_m``, ``length_note``, ``toll``, ``toll_note``, ``source_title``,
    ``source_url``, ``source_date``, ``cross_check``) plus ``length_km`` (empty where no length
    was found).
    """
    table = _csv("fixed_links.csv", dict.fromkeys(("link_id", "toll", "source_date"), str))
    text = [c for c in table.columns if c != "length_m"]
    table[text] = table[text].fillna("")
    return table.assign(length_km=table["length_m"] / 1000.0)
