"""Bundled open data for the three youth-care regions, and its loaders.

The files in ``geodata/data`` are copies of the project's reference data (CBS/PDOK municipality
boundaries 2025, region membership, population with per-municipality reference dates, named places);
``geodata/data/SOURCES.md`` keeps their provenance and licence notes. Loaders return GeoDataFrames
in EPSG:4326 for display; use :data:`METRIC_CRS` (RD New) for distances and areas.
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


def data_dir() -> Path:
    return Path(str(resources.files("geodata") / "data"))


def sources_file() -> Path:
    return data_dir() / "SOURCES.md"


@cache
def _municipalities() -> gpd.GeoDataFrame:
    shapes = gpd.read_file(data_dir() / "municipalities.geojson")
    table = pd.read_csv(data_dir() / "municipalities.csv", dtype={"gm_code": str})
    population = pd.read_csv(data_dir() / "population.csv", dtype={"gm_code": str})
    merged = shapes[["gm_code", "geometry"]].merge(table, on="gm_code", validate="1:1")
    merged = merged.merge(
        population[["gm_code", "population", "population_date", "source"]].rename(
            columns={"source": "population_source"}
        ),
        on="gm_code",
        how="left",
        validate="1:1",
    )
    merged = merged.rename(columns={"centroid_lat": "lat", "centroid_lon": "lon"})
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=shapes.crs).to_crs(DISPLAY_CRS)


def load_municipalities(crs: str = DISPLAY_CRS) -> gpd.GeoDataFrame:
    """Municipalities of WBW, WBO and Zeeland with region, representative point and population.

    ``lat``/``lon`` is a point always inside the polygon (shapely ``representative_point``), not the
    centroid, so a zone's point never falls in the sea.
    """
    return _municipalities().copy().to_crs(crs)


def load_regions() -> pd.DataFrame:
    """Region membership, including former members marked ``in_scope=False``."""
    return pd.read_csv(data_dir() / "regions.csv", dtype={"gm_code": str})


def load_places() -> pd.DataFrame:
    """Named places (care locations, schools, courts) with source and coordinate precision."""
    places = pd.read_csv(data_dir() / "places.csv", dtype={"gm_code": str})
    lat = places["lat"].fillna(places["muni_lat"])
    lon = places["lon"].fillna(places["muni_lon"])
    return places.assign(lat=lat, lon=lon)
