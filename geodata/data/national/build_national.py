"""Rebuild the bundled national tables from the project's reference data (not run by jzplan).

Run by hand: ``python geodata/data/national/build_national.py /work/shared/data/nl/national``.
It reads the reference folder's ``municipalities_2025.csv``, ``pc4_2024.csv``,
``schools_vso_cluster4.csv`` and ``cbs_jeugdregio_2025.topojson`` and writes, next to itself,
the files SOURCES.md describes: the columns jzplan reads, the jeugdregio polygons as GeoJSON,
and a zone cell per municipality (the Voronoi cell of its population-weighted point among the
points of its own jeugdregio, clipped to that jeugdregio's polygon: the reference data has no
municipality polygons, so the cells are an approximation whose union per region is the CBS
jeugdregio and whose union over all is the country).
"""

from __future__ import annotations

import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

HERE = Path(__file__).resolve().parent
METRIC = "EPSG:28992"
POPULATION_DATE = "2024-01-01"


def municipalities(src: Path) -> pd.DataFrame:
    table = pd.read_csv(src / "municipalities_2025.csv", dtype={"gm_code": str})
    pc4 = pc4_table(src)
    bands = pc4.groupby("gm_code")[["age_0_14", "age_15_24"]].sum(min_count=0).reset_index()
    out = table.rename(
        columns={
            "population_2024": "population",
            "jeugdregio_name": "region",
            "jeugdregio_code": "region_code",
        }
    )[["gm_code", "name", "province", "region", "region_code", "population", "lat", "lon"]]
    out.insert(6, "population_date", POPULATION_DATE)
    out = out.merge(bands, on="gm_code", how="left", validate="1:1")
    return out.astype({"age_0_14": "Int64", "age_15_24": "Int64"})


def pc4_table(src: Path) -> pd.DataFrame:
    table = pd.read_csv(src / "pc4_2024.csv", dtype={"pc4": str, "gm_code": str})
    table = table[table["gm_code"].notna() & table["lat"].notna()]
    table = table.rename(columns={"pop_2024": "population"})
    columns = ["pc4", "gm_code", "lat", "lon", "population", "age_0_14", "age_15_24"]
    return table[columns].astype({"population": "Int64", "age_0_14": "Int64", "age_15_24": "Int64"})


def schools(src: Path) -> pd.DataFrame:
    table = pd.read_csv(src / "schools_vso_cluster4.csv", dtype=str)
    out = table.rename(
        columns={"vestigingscode": "school_id", "jeugdregio_name": "region"}
    )[["school_id", "name", "gm_code", "municipality", "region", "cluster", "duo_onderwijs",
       "cluster4", "rp_vso", "lat", "lon", "coord_precision", "pupils_2023"]]  # fmt: skip
    out["coord_precision"] = out["coord_precision"].str.split(" ").str[0]
    return out.sort_values("school_id")


def regions(src: Path) -> gpd.GeoDataFrame:
    shapes = gpd.read_file(src / "cbs_jeugdregio_2025.topojson").set_crs("EPSG:4326")
    shapes["geometry"] = shapes.geometry.make_valid()
    code = shapes["statcode"].str.replace("2025", "", regex=False)
    return gpd.GeoDataFrame(
        {"region_code": code, "region": shapes["statnaam"]}, geometry=shapes.geometry
    ).sort_values("region_code")


def cells(zones: pd.DataFrame, shapes: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A cell per municipality: Voronoi of its region's points, clipped to the region."""
    points = gpd.GeoDataFrame(
        zones[["gm_code", "region_code"]],
        geometry=gpd.points_from_xy(zones["lon"], zones["lat"]),
        crs="EPSG:4326",
    ).to_crs(METRIC)
    polygons = shapes.to_crs(METRIC).set_index("region_code").geometry
    rows = []
    for code, part in points.groupby("region_code"):
        region = polygons[code]
        if len(part) == 1:
            rows.append((part["gm_code"].iloc[0], region))
            continue
        diagram = shapely.voronoi_polygons(
            shapely.MultiPoint(list(part.geometry)), extend_to=region.envelope.buffer(10_000)
        )
        for gm_code, point in zip(part["gm_code"], part.geometry, strict=True):
            cell = next(c for c in diagram.geoms if c.contains(point))
            rows.append((gm_code, _polygons(cell.intersection(region))))
    out = gpd.GeoDataFrame(rows, columns=["gm_code", "geometry"], crs=METRIC)
    return out.to_crs("EPSG:4326").sort_values("gm_code")


def _polygons(geometry):
    """The polygonal part of a clipped cell (a clip can leave slivers of lines or points)."""
    parts = [g for g in shapely.get_parts(shapely.make_valid(geometry)) if g.area > 0]
    return (
        parts[0]
        if len(parts) == 1
        else shapely.MultiPolygon([q for g in parts for q in shapely.get_parts(g)])
    )


def main(src: Path) -> None:
    zones = municipalities(src)
    shapes = regions(src)
    zones.to_csv(HERE / "municipalities.csv", index=False)
    pc4_table(src).to_csv(HERE / "pc4_2024.csv", index=False)
    schools(src).to_csv(HERE / "schools.csv", index=False)
    options = {"driver": "GeoJSON", "COORDINATE_PRECISION": 5}
    shapes.to_file(HERE / "jeugdregio_2025.geojson", **options)
    cells(zones, shapes).to_file(HERE / "zones.geojson", **options)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
