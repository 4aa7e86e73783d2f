"""Bundled open data for the whole country: 342 municipalities in 42 jeugdregio's, and loaders.

``geodata/data/national/`` holds (SOURCES.md there): CBS municipalities of 2025 with population
on 1 January 2024, a population-weighted point and the youth-care region (CBS jeugdregio 2025);
the PC4 areas with population and age bands (same date); the 293 DUO (V)SO school locations with
cluster 4 or a residential (RP-) code; the CBS jeugdregio polygons. There are no municipality
boundaries in that data: each zone's polygon is an approximate cell (the Voronoi cell of its point
among its jeugdregio's points, clipped to the jeugdregio), so regions and the country outline are
exact and a municipality's shape is not. Use ``travel.method: straight_line`` with it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geodata import DISPLAY_CRS, data_dir

COUNTS = {"population": "Int64", "age_0_14": "Int64", "age_15_24": "Int64"}


def national_dir() -> Path:
    return data_dir() / "national"


def _csv(file: str, dtypes: dict) -> pd.DataFrame:
    return pd.read_csv(
        national_dir() / file,
        dtype={"gm_code": str, **dtypes},
        keep_default_na=False,
        na_values=[""],
    )


@cache
def _municipalities() -> gpd.GeoDataFrame:
    table = _csv("municipalities.csv", {"population_date": str, "region_code": str, **COUNTS})
    cells = gpd.read_file(national_dir() / "zones.geojson")[["gm_code", "geometry"]]
    merged = cells.merge(table, on="gm_code", validate="1:1")
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=cells.crs).to_crs(DISPLAY_CRS)


def load_municipalities() -> gpd.GeoDataFrame:
    """The 342 municipalities of 2025, one row each, in the columns of the bundled zones.

    ``gm_code``, ``name`` (CBS spelling), ``province``, ``region`` (jeugdregio name, CBS 2025),
    ``region_code`` (``JZ01`` … ``JZ43``), ``population`` (1 January 2024), ``population_date``,
    ``lat``/``lon`` (population-weighted mean of the PC4 points), ``age_0_14``/``age_15_24``
    (PC4 bands summed), ``geometry`` (the approximate cell, module docstring).
    """
    return _municipalities().copy()


def load_pc4() -> pd.DataFrame:
    """PC4 areas with a municipality and a point: ``pc4``, ``gm_code``, ``lat``, ``lon``,
    ``population``, ``age_0_14``, ``age_15_24`` (CBS-rounded to 5, empty where secret)."""
    return _csv("pc4_2024.csv", {"pc4": str, **COUNTS})


def load_schools() -> pd.DataFrame:
    """(V)SO school locations with cluster 4 or an RP- code (DUO): ``school_id``, ``name``,
    ``gm_code``, ``municipality``, ``region``, ``cluster``, ``duo_onderwijs``, ``cluster4``,
    ``rp_vso``, ``lat``, ``lon``, ``coord_precision``, ``pupils_2023``."""
    table = _csv("schools.csv", {"school_id": str, "cluster": str, "pupils_2023": "Int64"})
    text = [c for c in table.columns if c not in ("lat", "lon", "pupils_2023")]
    table[text] = table[text].fillna("")
    return table


def load_regions() -> gpd.GeoDataFrame:
    """The 42 jeugdregio polygons of 2025: ``region_code``, ``region``, ``geometry``."""
    return gpd.read_file(national_dir() / "jeugdregio_2025.geojson").to_crs(DISPLAY_CRS)
