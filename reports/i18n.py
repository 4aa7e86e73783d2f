"""Every fixed label of the maps and reports, in English and Dutch.

Templates look labels up by key through :class:`Labels`, which raises on a missing key, so a label
can never silently fall back to English in the Dutch output. Names of place types, needs and cost
components fall back to the raw key only for values that the run folder invents.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

LANGS = ("en", "nl")

EN: dict[str, str] = {
    # map
    "scenario": "Scenario",
    "solver": "Solver",
    "created": "Created",
    "public_note": "Public version: figures below {threshold} beds are shown as <{threshold}.",
    "year": "Year",
    "colour_by": "Colour municipalities by",
    "metric_demand": "Demand (beds)",
    "metric_distance": "Mean travel distance (km)",
    "metric_within": "Placed within the distance limit (% of beds)",
    "no_placements": "no placements",
    "no_demand": "no demand",
    "suppressed": "suppressed",
    "sites_legend": "Sites (symbol size follows places)",
    "idle_site": "candidate site, not used this year",
    "named_place": "named place (school, court, care)",
    "place_letter_school": "S",
    "place_letter_court": "C",
    "place_letter_care": "+",
    "place_letter_other": "•",
    "place_kind_school": "school",
    "place_kind_court": "district court",
    "place_kind_care": "youth care location",
    "place_kind_other": "other named place",
    "flows_legend": "Flows municipality → site (average occupied beds; width and shade)",
    "flows_legend_public": "Flows region → site (average occupied beds; width and shade)",
    "layer_zones": "Municipalities (colour)",
    "layer_regions": "Region borders",
    "layer_sites": "Sites",
    "layer_flows": "Flows municipality → site",
    "layer_flows_public": "Flows region → site",
    "layer_places": "Named places (schools, courts, care)",
    "layer_ring": "Distance limit {type} ({km} km)",
    "demand": "Demand",
    "placed": "Placed",
    "unmet": "Unmet",
    "mean_distance": "Mean distance",
    "within_limit": "Within limit",
    "beds_unit": "beds",
    "bed_unit": "bed",
    "km_unit": "km",
    "groups": "groups",
    "groups_beds": "groups (places)",
    "total_beds": "Total places",
    "change": "Change",
    "added": "added",
    "removed": "removed",
    "education": "Education",
    "school": "School",
    "on_site": "on site",
    "to_school": "to school",
    "no_school": "no school listed",
    "education_types": "Education suits",
    "total": "Total",
    "attribution_boundaries": "Boundaries: CBS / Kadaster via PDOK (CC BY 4.0)",
    "no_basemap": "offline map, no background tiles",
    "map_title": "JeugdzorgPlus plan map",
    "layer_basemap": "Basemap: land and fixed links",
    "layer_towns": "Place names",
    "layer_tiles": "OpenStreetMap tiles (needs internet)",
    "basemap_legend": "Basemap (open data in the run folder)",
    "land": "land (municipality boundaries)",
    "water": "water, and land outside the regions",
    "fixed_link": "fixed link of the travel model",
    "fixed_link_note": "fixed link of the travel model",
    "extra_minutes": "+{minutes} min",
    "links_used": "Fixed links on the way:",
    "attribution_basemap": "Basemap drawn from the run folder (no tiles)",
    "million_eur": "M EUR",
    "sites_opened": "Sites opened in {year}",
    "sites_closed": "Sites closed in {year}",
    "sites_converted": "Sites converting groups in {year} (groups)",
    "none_changed": "none",
    "unmet_need": "Unmet demand, {need} need (bed-years)",
    "costs_suppressed_note": "Cost cells that are a price times a small count (unmet demand, "
    "overflow, restrictiveness) are suppressed, with a second cell of the year where needed; "
    "the chart draws them as 0.",
    "public_folder_note": "Every file of this public run folder is suppressed the same way "
    "(public.json lists what was done to each file).",
    "factsheet_title": "Fact sheet",
    "factsheet_link": "Fact sheet of {name}",
    "factsheets_title": "Fact sheets per municipality",
    "factsheets_note": "One printable page per municipality: its demand, where its youth are "
    "placed and how far, its expected advance, and the plan's main figures.",
    "population": "Population",
    "back_to_report": "← Report",
    "factsheet_demand": "Demand by need and year (average occupied beds)",
    "factsheet_placements": "Where its youth are placed, and how far",
    "place_type": "Place type",
    "beds_heading": "Beds",
    "distance_km": "Distance (km)",
    "minutes_heading": "Travel time (min)",
    "fixed_links_heading": "Fixed links on the way",
    "unmet_beds_heading": "Unmet (beds)",
    "factsheet_advance": "Expected advance (EUR)",
    "factsheet_advance_note": "The municipality's share of the plan's places at the day tariff, "
    "by the settlement key (advances.csv), exact to the cent.",
    "factsheet_plan": "The plan's main figures (all municipalities)",
    "cost_heading": "Cost (EUR)",
    "solver_proven": "proven optimal",
    "solver_stopped": "stopped before proving optimality; gap {gap}",
    "unknown": "unknown",
    "needs_title": "Needs and place types",
    "need_secure_note": "secure: a youth with a closed-care authorisation (machtiging gesloten "
    "jeugdhulp) who needs a closed setting",
    "need_hybrid_note": "hybrid: a youth with a closed-care authorisation who can live in an "
    "open setting with closed care at hand",
    "need_open_note": "open: a youth without a closed-care authorisation",
    "types_note": "Place types: small-scale closed, hybrid and small-scale open places; a need "
    "may be placed in a more restrictive type, at a penalty.",
    # report
    "report_title": "JeugdzorgPlus plan report",
    "open_map": "Open the interactive map",
    "description": "Description",
    "key_figures": "Key figures",
    "total_cost": "Total cost (EUR, all years)",
    "objective": "Objective (discounted EUR)",
    "cash_total": "Cash, discounted (EUR)",
    "weights_total": "Policy weights, discounted (EUR; not money)",
    "rank": "Rank by {metric}",
    "rank_cash": "cash",
    "rank_objective": "objective",
    "unmet_total": "Unmet demand (bed-years)",
    "sites_used": "Sites used",
    "mean_travel": "Mean travel distance (km)",
    "places_unit": "places",
    "places_by_type": "Planned places by place type",
    "places_chart": "Planned places per year by place type, with the reference figures",
    "benchmarks": "Plan against the reference figures",
    "benchmark": "Reference",
    "reference_value": "Reference value",
    "plan_value": "Plan",
    "difference": "Difference",
    "assessment": "Assessment",
    "bm_purchase": "Places purchased in {year}",
    "bm_hybrid_reserve": "Hybrid reserve places",
    "bm_max_closed": "Closed places in {year}, at most",
    "bm_closed_used": "Closed beds used in {year}",
    "meets": "meets the reference",
    "exceeds": "exceeds the reference",
    "above": "above the reference",
    "below": "below the reference",
    "equal": "equal to the reference",
    "not_comparable": "no plan figure to compare",
    "costs": "Costs per year by component",
    "costs_chart": "Cost per year by component (million EUR)",
    "component": "Component",
    "discounted_total": "Total, discounted (EUR)",
    "travel": "Travel per region",
    "travel_note": "All years together, weighted by beds (bed-years); the limit is the "
    "place type's maximum distance.",
    "region": "Region",
    "all_regions": "All regions",
    "bed_years": "Beds (bed-years)",
    "p90_km": "90th percentile (km)",
    "max_km": "Maximum (km)",
    "mean_minutes": "Mean travel time (min)",
    "education_access": "Education access per site",
    "site": "Site",
    "municipality": "Municipality",
    "types_run": "Types in the plan",
    "school_distance": "Distance to school (km)",
    "covers_types": "Education suits all types run",
    "yes": "yes",
    "no": "no",
    "unmet_title": "Unmet demand",
    "no_unmet": "All demand is placed in every year.",
    "need": "Need",
    "reason": "Reason",
    "reasons": "Reasons (numbered as in the table)",
    "explanations": "Explanations",
    "explanations_public": "Explanations are left out of the public version because they may "
    "quote small figures.",
    "solver_title": "Solver",
    "status": "Status",
    "gap": "MIP gap",
    "termination": "Termination",
    "time_limit": "Time limit (s)",
    "solve_seconds": "Solve time (s)",
    "build_seconds": "Model build time (s)",
    "versions": "Versions",
    "assumptions": "Assumptions",
    "assumptions_note": "Every number the scenario used, with its source or assumption.",
    "assumptions_quoted": "Numbers are grouped by the scenario mapping that holds them; its source "
    "and assumption are quoted as the scenario file writes them.",
    "parameter": "Parameter",
    "value": "Value",
    "unit": "Unit",
    "source": "Source",
    "assumption": "Assumption",
    "generated": "Generated from the run folder",
    "cells_note": "Figures below {threshold} beds are shown as <{threshold}; some other figures "
    "are suppressed so that they cannot be recovered from totals.",
    # command line (jzplan run and compare)
    "cli_regions": "Scenario {name}: regions",
    "cli_demand": "Demand, average occupied beds per region and year (all needs)",
    "cli_sites": "Sites (types allowed / with education access; groups in the start year)",
    "cli_places": "Places per type and year",
    "cli_col_region": "region",
    "cli_col_municipalities": "municipalities",
    "cli_col_population": "population",
    "cli_col_site_id": "site id",
    "cli_col_name": "name",
    "cli_col_allowed_types": "allowed types",
    "cli_col_education_types": "education types",
    "cli_col_existing": "existing {type}",
    "cli_col_year": "year",
    "cli_solving": "Solving with HiGHS…",
    "cli_gap": "gap {gap} after {seconds} s",
    "cli_solver": "Solver: {status}; objective EUR {objective} (build {build} s, solve {solve} s)",
    "cli_cash": "Cash EUR {cash} discounted (EUR {undiscounted} undiscounted); policy weights "
    "EUR {weights} (not money)",
    "cli_viability": "viability:",
    "cli_unmet": "unmet:",
    "cli_folder": "Run folder: {folder} (plan.csv, map.html, report.html, plan.xlsx, "
    "municipalities/ with a fact sheet per municipality)",
    "cli_public": "Public run: every file in the folder shows counts below {threshold} as "
    "<{threshold} (public.json lists what was done to each file; explanations and inputs/user/ "
    "are left out). Keep the exact run elsewhere: a public folder cannot be rendered again.",
    "cli_infeasible": "scenario {name} is infeasible:",
    "cli_compare_solving": "Solving {name} ({i} of {n})…",
    "cli_done": "done",
    "cli_compare_done": "{name}: EUR {objective} objective, cash EUR {cash}, {status}",
    "cli_comparison": "Comparison: {path}",
    "cli_alternatives_solving": "Solving the optimum and its alternatives…",
    "cli_written": "written {folder}",
    "cli_no_alternative": "No other plan lies within the slack.",
    # comparison
    "compare_title": "Scenario comparison",
    "metric": "Figure",
    "cost_year": "Cost {year} (EUR)",
    "beds_year_type": "Places {year} {type}",
    "max_travel": "Maximum travel distance (km)",
    "unmet_beds": "Unmet demand (bed-years)",
    "tradeoff_chart": "Total cost against mean travel distance",
    "tradeoff_x": "Mean travel distance (km)",
    "tradeoff_y": "Total cost (million EUR)",
    "map_link": "Map",
    "map": "map",
    # service level
    "service_title": "Service level",
    "capacity_rule": "Capacity rule",
    "refusal_target": "Refusal target",
    "no_target": "none",
    "service_rule_level": "Places are sized so that in every pool a referred youth finds every "
    "place taken at most {target} of the time (the admission duty).",
    "service_rule_occupancy": "Places were sized by a flat occupancy target per place type, not "
    "by a refusal target. The tables show the refusal probability that this sizing leaves.",
    "service_rule_other": "Capacity rule of the scenario: {rule}.",
    "service_meaning": "The refusal probability is the chance that a youth referred to a pool "
    "finds all its places taken, so that they cannot be admitted there at that moment and must "
    "go elsewhere. For each pool it follows from the pool's places and the load the plan sends "
    "there (youths are routed to pools as the plan places them, all needs together), by the "
    "Erlang loss model (Erlang B); how long stays last does not change it.",
    "highest_refusal_title": "Per year",
    "highest_refusal": "Highest refusal probability of any pool",
    "pools_above": "Pools above the target",
    "pools_title": "Per pool",
    "pool": "Pool",
    "sites": "Sites",
    "place_types": "Place types",
    "places": "Places",
    "offered_load": "Offered load (average occupied beds)",
    "refusal": "Refusal probability",
    "within_target": "Within the target",
    "no_service": "This run folder has no refusal probabilities (service.csv is empty).",
    # reserve and advances
    "reserve_title": "What the reserve places buy",
    "reserve_note": "A reserve is a minimum-places rule that the scenario marks as a reserve. "
    "The scenario is solved twice, with and without its reserve rules; for the place types of "
    "each rule the table compares the two plans' places, the load placed in those types and the "
    "refusal probability a youth placed there faces (load-weighted over their pools, as in the "
    "service level section). The cost is the difference of the two objectives.",
    "reserve_rule": "Reserve rule",
    "reserve_places": "Places the rule asks for",
    "load": "Load (average occupied beds)",
    "with_reserve": "with reserve",
    "without_reserve": "without reserve",
    "objective_with": "Objective with the reserve rules (discounted)",
    "objective_without": "Objective without the reserve rules (discounted)",
    "reserve_cost": "What the reserve costs (with − without)",
    "reserve_nothing": "The reserve changes nothing: the admission duty already needs these "
    "places. The plans with and without the reserve rules have the same places and cost the same.",
    "reserve_nothing_occupancy": "The reserve changes nothing: the occupancy target already needs "
    "these places. The plans with and without the reserve rules have the same places and cost the "
    "same.",
    "reserve_costs": "The reserve costs {cost} over the planning years (discounted): the plan "
    "with the reserve rules against the same scenario planned without them.",
    "reserve_unsolved": "Without its reserve rules the scenario could not be planned, so what the "
    "reserve costs is not known; the columns without the reserve are left empty.",
    "no_reserve": "The scenario marks no minimum-places rule as a reserve.",
    # staff
    "staff_title": "Staff",
    "staff_note": "Staff the plan's groups need, in FTE: groups × FTE per group of the place "
    "type ({per_group}).",
    "no_staff": "This run folder has no staff figures.",
    "advances_title": "Expected advance per municipality (EUR)",
    "advances_note": "The plan's places of each type × day tariff (running cost per place-year "
    "divided by the days of the settlement year) × the days of the year, split by the population "
    "key; amounts are exact to the cent and add up to each year's total.",
    "no_advances": "No advances: a zone has no population for the key.",
    # education (models.education): schools.csv in the report
    "schools_title": "Education",
    "schools_note": "Plan pupils per school and year: the plan's youths taught there on an "
    "average day (average occupied beds). A school with a minimum teaches at least that many "
    "while in use, or the plan closes it (with its closing cost); a school on a care site's "
    "grounds closes with that site.",
    "school_kind_col": "Kind",
    "capacity_col": "Capacity (pupils)",
    "minimum_col": "Viability threshold (pupils)",
    "school_not_used": "not in use",
    "school_stopped": "closed",
    "school_started": "started",
    "school_line": "{school}: plan pupils {pupils}; viability threshold {threshold}. {verdict}",
    "school_line_closes": "The plan closes it in {year}; its youths go to the other schools "
    "in the table.",
    "school_line_keeps": "The plan keeps it at or above the threshold in every year it is in use.",
    "school_no_threshold": "none set",
    "no_schools": "This run folder has no school table.",
    "layer_schools": "Schools with plan pupils (circle size follows the pupils)",
}

NL: dict[str, str] = {
    "scenario": "Scenario",
    "solver": "Oplosser",
    "created": "Gemaakt",
    "public_note": "Publieke versie: aantallen onder {threshold} bedden staan er als <{threshold}.",
    "year": "Jaar",
    "colour_by": "Kleur gemeenten naar",
    "metric_demand": "Vraag (bedden)",
    "metric_distance": "Gemiddelde reisafstand (km)",
    "metric_within": "Geplaatst binnen de afstandsgrens (% van bedden)",
    "no_placements": "geen plaatsingen",
    "no_demand": "geen vraag",
    "suppressed": "afgeschermd",
    "sites_legend": "Locaties (grootte volgt plaatsen)",
    "idle_site": "kandidaatlocatie, dit jaar niet gebruikt",
    "named_place": "bekende plek (school, rechtbank, zorg)",
    "place_letter_school": "S",
    "place_letter_court": "R",
    "place_letter_care": "+",
    "place_letter_other": "•",
    "place_kind_school": "school",
    "place_kind_court": "rechtbank",
    "place_kind_care": "jeugdzorglocatie",
    "place_kind_other": "andere bekende plek",
    "flows_legend": "Stromen gemeente → locatie (gemiddeld bezette bedden; dikte en tint)",
    "flows_legend_public": "Stromen regio → locatie (gemiddeld bezette bedden; dikte en tint)",
    "layer_zones": "Gemeenten (kleur)",
    "layer_regions": "Regiogrenzen",
    "layer_sites": "Locaties",
    "layer_flows": "Stromen gemeente → locatie",
    "layer_flows_public": "Stromen regio → locatie",
    "layer_places": "Bekende plekken (scholen, rechtbanken, zorg)",
    "layer_ring": "Afstandsgrens {type} ({km} km)",
    "demand": "Vraag",
    "placed": "Geplaatst",
    "unmet": "Niet geplaatst",
    "mean_distance": "Gemiddelde afstand",
    "within_limit": "Binnen grens",
    "beds_unit": "bedden",
    "bed_unit": "bed",
    "km_unit": "km",
    "groups": "groepen",
    "groups_beds": "groepen (plaatsen)",
    "total_beds": "Plaatsen totaal",
    "change": "Wijziging",
    "added": "erbij",
    "removed": "eraf",
    "education": "Onderwijs",
    "school": "School",
    "on_site": "op het terrein",
    "to_school": "naar school",
    "no_school": "geen school opgegeven",
    "education_types": "Onderwijs past bij",
    "total": "Totaal",
    "attribution_boundaries": "Grenzen: CBS / Kadaster via PDOK (CC BY 4.0)",
    "no_basemap": "offline kaart, zonder achtergrondkaart",
    "map_title": "Kaart JeugdzorgPlus-plan",
    "layer_basemap": "Achtergrond: land en vaste verbindingen",
    "layer_towns": "Plaatsnamen",
    "layer_tiles": "OpenStreetMap-tegels (internet nodig)",
    "basemap_legend": "Achtergrond (open data uit de runmap)",
    "land": "land (gemeentegrenzen)",
    "water": "water, en land buiten de regio's",
    "fixed_link": "vaste verbinding van het reismodel",
    "fixed_link_note": "vaste verbinding van het reismodel",
    "extra_minutes": "+{minutes} min",
    "links_used": "Vaste verbindingen onderweg:",
    "attribution_basemap": "Achtergrond getekend uit de runmap (geen tegels)",
    "million_eur": "mln EUR",
    "sites_opened": "Locaties geopend in {year}",
    "sites_closed": "Locaties beëindigd in {year}",
    "sites_converted": "Locaties die groepen ombouwen in {year} (groepen)",
    "none_changed": "geen",
    "unmet_need": "Niet-geplaatste vraag, zorgbehoefte {need} (bedjaren)",
    "costs_suppressed_note": "Kostencellen die een prijs maal een klein aantal zijn "
    "(niet-geplaatste vraag, uitwijk, zwaarte van de plaatsing) zijn afgeschermd, zo nodig met een "
    "tweede cel van dat jaar; de grafiek tekent ze als 0.",
    "public_folder_note": "Elk bestand in deze publieke runmap is op dezelfde manier afgeschermd "
    "(public.json zegt per bestand wat er is gedaan).",
    "factsheet_title": "Factsheet",
    "factsheet_link": "Factsheet van {name}",
    "factsheets_title": "Factsheets per gemeente",
    "factsheets_note": "Eén printbare pagina per gemeente: de vraag, waar de jeugdigen worden "
    "geplaatst en hoe ver weg, het verwachte voorschot en de kerncijfers van het plan.",
    "population": "Inwoners",
    "back_to_report": "← Rapport",
    "factsheet_demand": "Vraag per zorgbehoefte en jaar (gemiddeld bezette bedden)",
    "factsheet_placements": "Waar de jeugdigen worden geplaatst, en hoe ver weg",
    "place_type": "Plaatsvorm",
    "beds_heading": "Bedden",
    "distance_km": "Afstand (km)",
    "minutes_heading": "Reistijd (min)",
    "fixed_links_heading": "Vaste verbindingen onderweg",
    "unmet_beds_heading": "Niet geplaatst (bedden)",
    "factsheet_advance": "Verwacht voorschot (EUR)",
    "factsheet_advance_note": "Het aandeel van de gemeente in de plaatsen van het plan tegen het "
    "dagtarief, volgens de verdeelsleutel (advances.csv), op de cent exact.",
    "factsheet_plan": "Kerncijfers van het plan (alle gemeenten)",
    "cost_heading": "Kosten (EUR)",
    "solver_proven": "bewezen optimaal",
    "solver_stopped": "gestopt voordat optimaliteit bewezen was; gat {gap}",
    "unknown": "onbekend",
    "needs_title": "Zorgbehoeften en plaatsvormen",
    "need_secure_note": "gesloten: een jeugdige met een machtiging gesloten jeugdhulp die een "
    "gesloten verblijf nodig heeft",
    "need_hybrid_note": "hybride: een jeugdige met een machtiging gesloten jeugdhulp die open "
    "kan wonen, met gesloten zorg dichtbij",
    "need_open_note": "open: een jeugdige zonder machtiging gesloten jeugdhulp",
    "types_note": "Plaatsvormen: kleinschalig gesloten, hybride en kleinschalig open plaatsen; een "
    "zorgbehoefte mag in een zwaardere plaatsvorm worden geplaatst, tegen een boete.",
    "report_title": "Rapport JeugdzorgPlus-plan",
    "open_map": "Open de interactieve kaart",
    "description": "Beschrijving",
    "key_figures": "Kerncijfers",
    "total_cost": "Totale kosten (EUR, alle jaren)",
    "objective": "Doelfunctie (contante waarde, EUR)",
    "cash_total": "Geld, contante waarde (EUR)",
    "weights_total": "Beleidsgewichten, contante waarde (EUR; geen geld)",
    "rank": "Rangorde naar {metric}",
    "rank_cash": "geld",
    "rank_objective": "doelfunctie",
    "unmet_total": "Niet-geplaatste vraag (bedjaren)",
    "sites_used": "Gebruikte locaties",
    "mean_travel": "Gemiddelde reisafstand (km)",
    "places_unit": "plaatsen",
    "places_by_type": "Geplande plaatsen per plaatsvorm",
    "places_chart": "Geplande plaatsen per jaar en plaatsvorm, met de referentiecijfers",
    "benchmarks": "Plan tegenover de referentiecijfers",
    "benchmark": "Referentie",
    "reference_value": "Referentiewaarde",
    "plan_value": "Plan",
    "difference": "Verschil",
    "assessment": "Beoordeling",
    "bm_purchase": "Ingekochte plaatsen in {year}",
    "bm_hybrid_reserve": "Hybride reserveplaatsen",
    "bm_max_closed": "Gesloten plaatsen in {year}, hoogstens",
    "bm_closed_used": "Gebruikte gesloten bedden in {year}",
    "meets": "voldoet aan de referentie",
    "exceeds": "overschrijdt de referentie",
    "above": "boven de referentie",
    "below": "onder de referentie",
    "equal": "gelijk aan de referentie",
    "not_comparable": "geen plancijfer om te vergelijken",
    "costs": "Kosten per jaar en kostenpost",
    "costs_chart": "Kosten per jaar en kostenpost (miljoen EUR)",
    "component": "Kostenpost",
    "discounted_total": "Totaal, contante waarde (EUR)",
    "travel": "Reisafstand per regio",
    "travel_note": "Alle jaren samen, gewogen naar bedden (bedjaren); de grens is de maximale "
    "afstand van de plaatsvorm.",
    "region": "Regio",
    "all_regions": "Alle regio's",
    "bed_years": "Bedden (bedjaren)",
    "p90_km": "90e percentiel (km)",
    "max_km": "Maximum (km)",
    "mean_minutes": "Gemiddelde reistijd (min)",
    "education_access": "Onderwijs per locatie",
    "site": "Locatie",
    "municipality": "Gemeente",
    "types_run": "Plaatsvormen in het plan",
    "school_distance": "Afstand tot school (km)",
    "covers_types": "Onderwijs past bij alle plaatsvormen",
    "yes": "ja",
    "no": "nee",
    "unmet_title": "Niet-geplaatste vraag",
    "no_unmet": "In elk jaar is alle vraag geplaatst.",
    "need": "Zorgbehoefte",
    "reason": "Reden",
    "reasons": "Redenen (genummerd als in de tabel)",
    "explanations": "Toelichting",
    "explanations_public": "De toelichting ontbreekt in de publieke versie, omdat die kleine "
    "aantallen kan noemen.",
    "solver_title": "Oplosser",
    "status": "Uitkomst",
    "gap": "MIP-gat",
    "termination": "Stopreden",
    "time_limit": "Tijdslimiet (s)",
    "solve_seconds": "Rekentijd (s)",
    "build_seconds": "Bouwtijd model (s)",
    "versions": "Versies",
    "assumptions": "Aannames",
    "assumptions_note": "Elk getal dat het scenario gebruikt, met bron of aanname.",
    "assumptions_quoted": "De getallen staan bij elkaar per onderdeel van het scenario; bron en "
    "aanname zijn geciteerd zoals het scenariobestand ze schrijft (in de taal van dat bestand).",
    "parameter": "Parameter",
    "value": "Waarde",
    "unit": "Eenheid",
    "source": "Bron",
    "assumption": "Aanname",
    "generated": "Gemaakt uit de runmap",
    "cells_note": "Aantallen onder {threshold} bedden staan er als <{threshold}; enkele andere "
    "aantallen zijn afgeschermd zodat ze niet uit totalen terug te rekenen zijn.",
    # opdrachtregel (jzplan run en compare)
    "cli_regions": "Scenario {name}: regio's",
    "cli_demand": "Vraag, gemiddeld bezette bedden per regio en jaar (alle zorgbehoeften)",
    "cli_sites": "Locaties (toegestane plaatsvormen / met onderwijs; groepen in het startjaar)",
    "cli_places": "Plaatsen per plaatsvorm en jaar",
    "cli_col_region": "regio",
    "cli_col_municipalities": "gemeenten",
    "cli_col_population": "inwoners",
    "cli_col_site_id": "locatiecode",
    "cli_col_name": "naam",
    "cli_col_allowed_types": "toegestane plaatsvormen",
    "cli_col_education_types": "plaatsvormen met onderwijs",
    "cli_col_existing": "bestaand {type}",
    "cli_col_year": "jaar",
    "cli_solving": "Rekenen met HiGHS…",
    "cli_gap": "gat {gap} na {seconds} s",
    "cli_solver": "Oplosser: {status}; doelfunctie EUR {objective} (bouwen {build} s, rekenen "
    "{solve} s)",
    "cli_cash": "Geld EUR {cash} contante waarde (EUR {undiscounted} niet verdisconteerd); "
    "beleidsgewichten EUR {weights} (geen geld)",
    "cli_viability": "levensvatbaarheid:",
    "cli_unmet": "niet geplaatst:",
    "cli_folder": "Runmap: {folder} (plan.csv, map.html, report.html, plan.xlsx, "
    "municipalities/ met een factsheet per gemeente)",
    "cli_public": "Publieke run: elk bestand in de map toont aantallen onder {threshold} als "
    "<{threshold} (public.json zegt per bestand wat er is gedaan; de toelichting en inputs/user/ "
    "zijn weggelaten). Bewaar de exacte run elders: een publieke map kan niet opnieuw worden "
    "opgemaakt.",
    "cli_infeasible": "scenario {name} is onoplosbaar:",
    "cli_compare_solving": "Rekenen aan {name} ({i} van {n})…",
    "cli_done": "klaar",
    "cli_compare_done": "{name}: doelfunctie EUR {objective}, geld EUR {cash}, {status}",
    "cli_comparison": "Vergelijking: {path}",
    "cli_alternatives_solving": "Rekenen aan het optimum en de alternatieven…",
    "cli_written": "geschreven: {folder}",
    "cli_no_alternative": "Binnen de marge ligt geen ander plan.",
    "compare_title": "Scenariovergelijking",
    "metric": "Kengetal",
    "cost_year": "Kosten {year} (EUR)",
    "beds_year_type": "Plaatsen {year} {type}",
    "max_travel": "Maximale reisafstand (km)",
    "unmet_beds": "Niet-geplaatste vraag (bedjaren)",
    "tradeoff_chart": "Totale kosten tegenover gemiddelde reisafstand",
    "tradeoff_x": "Gemiddelde reisafstand (km)",
    "tradeoff_y": "Totale kosten (miljoen EUR)",
    "map_link": "Kaart",
    "map": "kaart",
    # opnameplicht
    "service_title": "Opnameplicht",
    "capacity_rule": "Capaciteitsregel",
    "refusal_target": "Norm voor de kans op weigering",
    "no_target": "geen",
    "service_rule_level": "De plaatsen zijn zo bemeten dat een aangemelde jeugdige in elke pool "
    "hoogstens {target} van de tijd alle plaatsen bezet vindt (de opnameplicht).",
    "service_rule_occupancy": "De plaatsen zijn bemeten met een vaste bezettingsnorm per "
    "plaatsvorm, niet met een norm voor de kans op weigering. De tabellen tonen de kans op "
    "weigering die deze bemeting overlaat.",
    "service_rule_other": "Capaciteitsregel van het scenario: {rule}.",
    "service_meaning": "De kans op weigering is de kans dat een jeugdige die bij een pool wordt "
    "aangemeld alle plaatsen daar bezet vindt, zodat hij of zij er op dat moment niet terecht kan "
    "en elders moet worden opgenomen. Per pool volgt die uit de plaatsen van de pool en de "
    "belasting die het plan ernaartoe stuurt (jeugdigen gaan naar de pool waar het plan hen "
    "plaatst, alle zorgbehoeften samen), volgens het Erlang-verliesmodel (Erlang B); hoe lang een "
    "verblijf duurt verandert er niets aan.",
    "highest_refusal_title": "Per jaar",
    "highest_refusal": "Hoogste kans op weigering van een pool",
    "pools_above": "Pools boven de norm",
    "pools_title": "Per pool",
    "pool": "Pool",
    "sites": "Locaties",
    "place_types": "Plaatsvormen",
    "places": "Plaatsen",
    "offered_load": "Aangeboden belasting (gemiddeld bezette bedden)",
    "refusal": "Kans op weigering",
    "within_target": "Binnen de norm",
    "no_service": "Deze runmap bevat geen kansen op weigering (service.csv is leeg).",
    # reserve en voorschotten
    "reserve_title": "Wat de reserveplaatsen opleveren",
    "reserve_note": "Een reserve is een regel voor een minimumaantal plaatsen die het scenario "
    "als reserve aanwijst. Het scenario wordt twee keer doorgerekend, met en zonder de "
    "reserveregels; voor de plaatsvormen van elke regel vergelijkt de tabel de plaatsen van beide "
    "plannen, de belasting in die plaatsvormen en de kans op weigering voor een jeugdige die daar "
    "geplaatst wordt (gewogen naar belasting over hun pools, zoals bij de opnameplicht). De kosten "
    "zijn het verschil tussen de twee doelfuncties.",
    "reserve_rule": "Reserveregel",
    "reserve_places": "Plaatsen die de regel vraagt",
    "load": "Belasting (gemiddeld bezette bedden)",
    "with_reserve": "met reserve",
    "without_reserve": "zonder reserve",
    "objective_with": "Doelfunctie met de reserveregels (contante waarde)",
    "objective_without": "Doelfunctie zonder de reserveregels (contante waarde)",
    "reserve_cost": "Wat de reserve kost (met − zonder)",
    "reserve_nothing": "De reserve verandert niets: de opnameplicht vraagt deze plaatsen al. De "
    "plannen met en zonder de reserveregels hebben dezelfde plaatsen en kosten hetzelfde.",
    "reserve_nothing_occupancy": "De reserve verandert niets: de bezettingsnorm vraagt deze "
    "plaatsen al. De plannen met en zonder de reserveregels hebben dezelfde plaatsen en kosten "
    "hetzelfde.",
    "reserve_costs": "De reserve kost {cost} over de planjaren (contante waarde): het plan met "
    "de reserveregels tegenover hetzelfde scenario zonder die regels.",
    "reserve_unsolved": "Zonder de reserveregels is het scenario niet door te rekenen; wat de "
    "reserve kost is dus onbekend en de kolommen zonder reserve blijven leeg.",
    "no_reserve": "Het scenario wijst geen regel voor een minimumaantal plaatsen als reserve aan.",
    # personeel
    "staff_title": "Personeel",
    "staff_note": "Personeel dat de groepen van het plan nodig hebben, in fte: groepen × fte per "
    "groep van de plaatsvorm ({per_group}).",
    "no_staff": "Deze runmap bevat geen personeelscijfers.",
    "advances_title": "Verwacht voorschot per gemeente (EUR)",
    "advances_note": "De plaatsen van het plan per soort × dagtarief (exploitatiekosten per "
    "plaatsjaar gedeeld door de dagen van het afrekenjaar) × de dagen van het jaar, verdeeld naar "
    "de verdeelsleutel op inwonertal; bedragen zijn op de cent exact en tellen op tot het totaal "
    "van elk jaar.",
    "no_advances": "Geen voorschotten: een gemeente heeft geen inwonertal voor de sleutel.",
    # onderwijs (models.education): schools.csv in het rapport
    "schools_title": "Onderwijs",
    "schools_note": "Leerlingen van het plan per school en jaar: de jongeren van het plan die er "
    "op een gemiddelde dag les krijgen (gemiddeld bezette bedden). Een school met een minimum "
    "heeft er zoveel zolang ze in gebruik is, of het plan sluit haar (met de sluitingskosten); "
    "een school op het terrein van een zorglocatie sluit met die locatie.",
    "school_kind_col": "Soort",
    "capacity_col": "Capaciteit (leerlingen)",
    "minimum_col": "Ondergrens levensvatbaarheid (leerlingen)",
    "school_not_used": "niet in gebruik",
    "school_stopped": "gesloten",
    "school_started": "gestart",
    "school_line": "{school}: leerlingen van het plan {pupils}; ondergrens {threshold}. {verdict}",
    "school_line_closes": "Het plan sluit de school in {year}; haar jongeren gaan naar de "
    "andere scholen in de tabel.",
    "school_line_keeps": "Het plan houdt de school op of boven de ondergrens in elk jaar dat ze "
    "in gebruik is.",
    "school_no_threshold": "geen opgegeven",
    "no_schools": "Deze runmap bevat geen scholentabel.",
    "layer_schools": "Scholen met leerlingen van het plan (grootte volgt de leerlingen)",
}

NAMES: dict[str, dict[str, str]] = {
    "en": {
        "type.closed": "small-scale closed",
        "school_kind.vo": "regular secondary",
        "school_kind.practical": "practical education",
        "school_kind.vso_cluster4": "special secondary, cluster 4",
        "school_kind.vso_other": "special secondary, clusters 1-3",
        "school_kind.jzplus_school": "JeugdzorgPlus school",
        "school_kind.on_site": "education on the site",
        "school_kind.own": "the site's own school",
        "type.hybrid": "hybrid",
        "type.open": "open",
        "need.secure": "secure",
        "need.hybrid": "hybrid",
        "need.open": "open",
        "cost.running": "running",
        "cost.site": "sites",
        "cost.setup": "setup",
        "cost.friction": "friction (closing groups)",
        "cost.travel": "travel",
        "cost.school_transport": "school transport",
        "cost.restrictiveness": "restrictiveness",
        "cost.overflow": "overflow placements",
        "cost.unmet_penalty": "unmet demand penalty",
        "cost.exit": "exit (redundancy, site exit, write-off)",
        "cost.project": "project costs",
        "cost.education": "schools (yearly, closing, set-up)",
        "rule.service_level": "service level (Erlang loss model)",
        "rule.occupancy": "flat occupancy target",
        "cost.total": "total",
        "status.optimal": "optimal",
        "status.feasible": "feasible, not proven optimal",
        "status.infeasible": "infeasible",
        "status.unbounded": "unbounded",
        "status.no_solution": "no solution",
        "status.error": "solver error",
        "kind.cash": "cash",
        "kind.weight": "policy weight",
        "place.jeugdzorgplus_gesloten": "JeugdzorgPlus, closed",
        "place.jeugdzorgplus_gesloten_former": "former JeugdzorgPlus location",
        "place.jeugdzorg_residential": "residential youth care",
        "place.district_court": "district court (Rechtbank Zeeland-West-Brabant)",
        "place.vo": "secondary school",
        "place.vso_cluster4": "special secondary school, cluster 4",
        "place.jzplus_school": "JeugdzorgPlus school",
    },
    "nl": {
        "type.closed": "gesloten",
        "school_kind.vo": "regulier voortgezet onderwijs",
        "school_kind.practical": "praktijkonderwijs",
        "school_kind.vso_cluster4": "voortgezet speciaal onderwijs, cluster 4",
        "school_kind.vso_other": "voortgezet speciaal onderwijs, cluster 1-3",
        "school_kind.jzplus_school": "JeugdzorgPlus-school",
        "school_kind.on_site": "onderwijs op de locatie",
        "school_kind.own": "eigen school van de locatie",
        "type.hybrid": "hybride",
        "type.open": "open",
        "need.secure": "gesloten",
        "need.hybrid": "hybride",
        "need.open": "open",
        "cost.running": "exploitatie",
        "cost.site": "locaties",
        "cost.setup": "opstart",
        "cost.friction": "frictie (groepen sluiten)",
        "cost.travel": "reizen",
        "cost.school_transport": "leerlingenvervoer",
        "cost.restrictiveness": "zwaarte van de plaatsing",
        "cost.overflow": "uitwijkplaatsingen",
        "cost.unmet_penalty": "boete niet-geplaatste vraag",
        "cost.exit": "afbouw (ontslag, locatie, afschrijving)",
        "cost.project": "projectkosten",
        "cost.education": "scholen (jaarlijks, sluiting, opstart)",
        "rule.service_level": "opnameplicht (Erlang-verliesmodel)",
        "rule.occupancy": "vaste bezettingsnorm",
        "cost.total": "totaal",
        "status.optimal": "optimaal",
        "status.feasible": "toegelaten, optimaliteit niet bewezen",
        "status.infeasible": "onoplosbaar",
        "status.unbounded": "onbegrensd",
        "status.no_solution": "geen oplossing",
        "status.error": "fout van de oplosser",
        "kind.cash": "geld",
        "kind.weight": "beleidsgewicht",
        "place.jeugdzorgplus_gesloten": "JeugdzorgPlus, gesloten",
        "place.jeugdzorgplus_gesloten_former": "voormalige JeugdzorgPlus-locatie",
        "place.jeugdzorg_residential": "residentiële jeugdzorg",
        "place.district_court": "rechtbank (Rechtbank Zeeland-West-Brabant)",
        "place.vo": "school voor voortgezet onderwijs",
        "place.vso_cluster4": "school voor voortgezet speciaal onderwijs, cluster 4",
        "place.jzplus_school": "JeugdzorgPlus-school",
    },
}

# what a plan optimises and its trips (reports/trips.py); the alternatives side by side
# (reports/compare.py, reports/compare_map.py)
EN.update(
    {
        "trips_title": "Objective and trips of placed youth",
        "trips_note": "Per home region and year: the longest trip, the p90 trip (the smallest "
        "distance that at least 90 % of the placed bed-years travel at most) and the share of "
        "bed-years within the place type's distance limit, weighted by average occupied beds.",
        "objective_used": "Objective",
        "objective_cost": "least cost (cash and policy weights, discounted)",
        "objective_worst_trip": "least worst trip within a cost ceiling, then least cost",
        "objective_p90_trip": "least p90 trip within a cost ceiling, then least cost",
        "objective_alternative": "near-optimal alternative within a cost slack",
        "differ_sites": "differs most from the earlier plans in the site-type-years it runs",
        "differ_worst_trip": "least worst trip among plans differing from the earlier ones",
        "cost_slack": "Slack over the least cost",
        "cost_ceiling": "Cost ceiling (objective, discounted)",
        "least_cost": "Least-cost plan (objective, discounted)",
        "extra_cost": "Costs more than the least-cost plan",
        "trip_minimised": "Trip minimised (km)",
        "trip_proven": "proven least",
        "trip_not_proven": "not proven least",
        "differs_from_nearest": "Site-type-years different from the closest earlier plan",
        "longest_trip": "Longest trip (km)",
        "p90_trip": "p90 trip (km)",
        "all_years": "all years",
        "cmp_extra_eur": "Costs more than the optimum (objective, EUR)",
        "cmp_extra_share": "Costs more than the optimum (%)",
        "cmp_p90_trip": "p90 trip (km)",
        "cmp_objective": "Objective of the plan",
        "cmp_sites_running": "Sites running in {year}",
        "cmp_differs": "Site-type-years different from the closest earlier plan",
        "compare_map": "The plans on one map",
        "compare_map_note": "Each plan is a layer: switch plans on and off in the layer control "
        "(top right). A marker shows the plan's number at each site it uses; hover for the "
        "places per type and year.",
        "compare_map_title": "Plans compared",
        "plan_layer": "Plan {n}: {name}",
        "plan_sites_tip": "{plan} at {site}",
    }
)
NL.update(
    {
        "trips_title": "Doel en reisafstanden van geplaatste jongeren",
        "trips_note": "Per herkomstregio en jaar: de langste reis, de p90-reis (de kleinste "
        "afstand die ten minste 90 % van de geplaatste bedjaren hoogstens reist) en het aandeel "
        "bedjaren binnen de afstandsgrens van de plaatsvorm, gewogen naar gemiddeld bezette "
        "bedden.",
        "objective_used": "Doel van de berekening",
        "objective_cost": "laagste kosten (geld en beleidsgewichten, contante waarde)",
        "objective_worst_trip": "kortste langste reis binnen een kostenplafond, dan de laagste "
        "kosten",
        "objective_p90_trip": "kortste p90-reis binnen een kostenplafond, dan de laagste kosten",
        "objective_alternative": "bijna-optimaal alternatief binnen een kostenmarge",
        "differ_sites": "wijkt het meest af van de eerdere plannen in locatie-type-jaren",
        "differ_worst_trip": "kortste langste reis onder de plannen die van de eerdere afwijken",
        "cost_slack": "Marge boven de laagste kosten",
        "cost_ceiling": "Kostenplafond (doelfunctie, contante waarde)",
        "least_cost": "Plan met de laagste kosten (doelfunctie, contante waarde)",
        "extra_cost": "Duurder dan het plan met de laagste kosten",
        "trip_minimised": "Geminimaliseerde reis (km)",
        "trip_proven": "bewezen kortst",
        "trip_not_proven": "niet bewezen kortst",
        "differs_from_nearest": "Locatie-type-jaren anders dan het dichtstbijzijnde eerdere plan",
        "longest_trip": "Langste reis (km)",
        "p90_trip": "p90-reis (km)",
        "all_years": "alle jaren",
        "cmp_extra_eur": "Duurder dan het optimum (doelfunctie, EUR)",
        "cmp_extra_share": "Duurder dan het optimum (%)",
        "cmp_p90_trip": "p90-reis (km)",
        "cmp_objective": "Doel van het plan",
        "cmp_sites_running": "Locaties in gebruik in {year}",
        "cmp_differs": "Locatie-type-jaren anders dan het dichtstbijzijnde eerdere plan",
        "compare_map": "De plannen op één kaart",
        "compare_map_note": "Elk plan is een laag: zet plannen aan en uit met de laagkeuze "
        "(rechtsboven). Een markering toont het nummer van het plan bij elke locatie die het "
        "gebruikt; wijs aan voor de plaatsen per soort en jaar.",
        "compare_map_title": "Plannen vergeleken",
        "plan_layer": "Plan {n}: {name}",
        "plan_sites_tip": "{plan} in {site}",
    }
)

# the staged plan over demand paths (reports/staged.py)
EN.update(
    {
        "staged_title": ("Demand paths: what is bought now, and what each path then needs"),
        "staged_intro": (
            "This plan holds over {n} demand paths. The groups, places and sites of {years} are "
            "decided now and are the same on every path; the later years are decided per path, "
            "once it is known which path demand follows. Minimised: {risk}. The other sections of"
            " this report, the map and the fact sheets show path {path} (the most probable)."
        ),
        "staged_risk_expected": ("the expected cost over the paths"),
        "staged_risk_cvar": (
            "(1 − {weight}) × the expected cost + {weight} × the mean cost of the worst {tail} % "
            "of the probability (CVaR)"
        ),
        "staged_risk_regret": (
            "the largest regret of any path (its cost under this plan less the cost of the plan "
            "made knowing its demand), then the expected cost"
        ),
        "staged_engine": ("Solved by {engine} ({method}, {ranks} rank(s))."),
        "staged_paths": ("The demand paths"),
        "staged_path": ("Path"),
        "staged_probability": ("Probability"),
        "staged_demand": ("Demand per year (beds)"),
        "staged_cost": ("Cost under this plan"),
        "staged_cash": "of which cash (undiscounted)",
        "staged_vss_unknown": (
            "The plan made for the average demand was not evaluated over every path within the "
            "time limit: its cost, and the saving, are unknown."
        ),
        "staged_own_unproven": (
            "The cost if the path were known is the best plan found within the time limit, not "
            "proven optimal, for: {paths}; regret and EVPI are then estimates."
        ),
        "staged_own": ("Cost if the path were known"),
        "staged_regret": ("Regret"),
        "staged_decided": ("Decided now (the same on every path)"),
        "staged_groups": ("Groups"),
        "staged_recourse": ("Places per path in the later years"),
        "staged_sites": ("Sites with groups"),
        "staged_values": ("What planning for the paths is worth"),
        "staged_expected": ("Expected cost of this plan"),
        "staged_ws": ("Expected cost if the path were known in advance"),
        "staged_evpi": ("Value of knowing the path (EVPI)"),
        "staged_eev": ("Expected cost of the plan made for the average demand"),
        "staged_vss": ("Saved by planning for the paths (VSS)"),
        "staged_cvar": ("Mean cost of the worst {tail} % of the probability (CVaR)"),
        "staged_bound": ("Proven lower bound"),
        "staged_gap": ("Gap"),
        "staged_vss_none": (
            "The plan made for the average demand cannot serve every path within the limits: "
            "planning for the paths is then not a saving but a necessity."
        ),
        "staged_costs_note": (
            "Costs are the plan's objective over the planning years, discounted: cash and the "
            "policy weights together (see Costs)."
        ),
    }
)
NL.update(
    {
        "staged_title": ("Vraagpaden: wat nu wordt ingekocht, en wat elk pad daarna vraagt"),
        "staged_intro": (
            "Dit plan houdt stand over {n} vraagpaden. De groepen, plaatsen en locaties van "
            "{years} worden nu besloten en zijn op elk pad gelijk; de latere jaren worden per pad"
            " besloten, zodra bekend is welk pad de vraag volgt. Geminimaliseerd: {risk}. De "
            "andere onderdelen van dit rapport, de kaart en de factsheets tonen pad {path} (het "
            "meest waarschijnlijke)."
        ),
        "staged_risk_expected": ("de verwachte kosten over de paden"),
        "staged_risk_cvar": (
            "(1 − {weight}) × de verwachte kosten + {weight} × de gemiddelde kosten van de "
            "slechtste {tail} % van de kans (CVaR)"
        ),
        "staged_risk_regret": (
            "de grootste spijt van enig pad (zijn kosten onder dit plan min de kosten van het "
            "plan dat met kennis van zijn vraag is gemaakt), daarna de verwachte kosten"
        ),
        "staged_engine": ("Opgelost met {engine} ({method}, {ranks} rank(s))."),
        "staged_paths": ("De vraagpaden"),
        "staged_path": ("Pad"),
        "staged_probability": ("Kans"),
        "staged_demand": ("Vraag per jaar (bedden)"),
        "staged_cost": ("Kosten onder dit plan"),
        "staged_cash": "waarvan kasgeld (niet verdisconteerd)",
        "staged_vss_unknown": (
            "Het plan voor de gemiddelde vraag is binnen de tijdslimiet niet over elk pad "
            "doorgerekend: zijn kosten, en de besparing, zijn onbekend."
        ),
        "staged_own_unproven": (
            "De kosten als het pad bekend was zijn het beste plan binnen de tijdslimiet, niet "
            "bewezen optimaal, voor: {paths}; spijt en EVPI zijn dan schattingen."
        ),
        "staged_own": ("Kosten als het pad bekend was"),
        "staged_regret": ("Spijt"),
        "staged_decided": ("Nu besloten (op elk pad gelijk)"),
        "staged_groups": ("Groepen"),
        "staged_recourse": ("Plaatsen per pad in de latere jaren"),
        "staged_sites": ("Locaties met groepen"),
        "staged_values": ("Wat plannen voor de paden waard is"),
        "staged_expected": ("Verwachte kosten van dit plan"),
        "staged_ws": ("Verwachte kosten als het pad vooraf bekend was"),
        "staged_evpi": ("Waarde van kennis van het pad (EVPI)"),
        "staged_eev": ("Verwachte kosten van het plan voor de gemiddelde vraag"),
        "staged_vss": ("Besparing door te plannen voor de paden (VSS)"),
        "staged_cvar": ("Gemiddelde kosten van de slechtste {tail} % van de kans (CVaR)"),
        "staged_bound": ("Bewezen ondergrens"),
        "staged_gap": ("Gap"),
        "staged_vss_none": (
            "Het plan voor de gemiddelde vraag kan niet elk pad binnen de grenzen bedienen: "
            "plannen voor de paden is dan geen besparing maar een noodzaak."
        ),
        "staged_costs_note": (
            "Kosten zijn de doelfunctie van het plan over de planjaren, verdisconteerd: kasgeld "
            "en de beleidsgewichten samen (zie Kosten)."
        ),
    }
)

# jzplan run on a staged plan (optimizer/cli/staged.py)
EN.update(
    {
        "cli_staged_head": (
            "Staged plan over {n} demand paths ({engine}, {method}, {ranks} rank(s)); decided "
            "now: {years}; minimised: {risk}"
        ),
        "cli_staged_table": "Cost per demand path under the staged plan (EUR)",
        "cli_staged_values": (
            "Expected cost EUR {expected}; bound EUR {bound} (gap {gap} %); value of the "
            "stochastic solution (VSS) {vss}; expected value of perfect information (EVPI) EUR "
            "{evpi}. Below, and on the pages by default: path {path} (the most probable; the "
            "first of equals)."
        ),
        "cli_staged_vss_infeasible": "n/a: the plan for the average demand cannot serve every path",
        "cli_staged_vss_not_found": "unknown: the plan for the average demand was not evaluated "
        "within the time limit",
        "cli_staged_vss_found": "–",
        "cli_staged_unknown": "unknown",
    }
)
NL.update(
    {
        "cli_staged_head": (
            "Gefaseerd plan over {n} vraagpaden ({engine}, {method}, {ranks} rank(s)); nu "
            "besloten: {years}; geminimaliseerd: {risk}"
        ),
        "cli_staged_table": "Kosten per vraagpad onder het gefaseerde plan (EUR)",
        "cli_staged_values": (
            "Verwachte kosten EUR {expected}; ondergrens EUR {bound} (gap {gap} %); waarde van "
            "de stochastische oplossing (VSS) {vss}; verwachte waarde van volledige informatie "
            "(EVPI) EUR {evpi}. Hieronder, en standaard op de pagina's: pad {path} (het meest "
            "waarschijnlijke; bij gelijke kans het eerste)."
        ),
        "cli_staged_vss_infeasible": "n.v.t.: het plan voor de gemiddelde vraag kan niet elk "
        "pad bedienen",
        "cli_staged_vss_not_found": "onbekend: het plan voor de gemiddelde vraag is binnen de "
        "tijdslimiet niet doorgerekend",
        "cli_staged_vss_found": "–",
        "cli_staged_unknown": "onbekend",
    }
)

TABLES = {"en": EN, "nl": NL}

#: The workbook's sheet names per language.
SHEET_NAMES: dict[str, dict[str, str]] = {
    "en": {},  # the English names are the keys themselves
    "nl": {
        "plan": "plan",
        "assignments": "plaatsingen",
        "unmet": "niet geplaatst",
        "costs": "kosten",
        "service": "opnameplicht",
        "municipalities": "gemeenten",
        "advances": "voorschotten",
        "assumptions": "aannames",
        "paths": "vraagpaden",
    },
}

#: Workbook header words in Dutch, by the contract's English words (``Column.words``).
COLUMN_WORDS_NL: dict[str, str] = {
    # paths.csv (a staged run)
    "demand path": "vraagpad",
    "probability": "kans",
    "description": "beschrijving",
    "provenance": "herkomst",
    "shares decisions until": "deelt besluiten tot",
    "demand by year": "vraag per jaar",
    "cost under the plan": "kosten onder het plan",
    "of which cash": "waarvan kasgeld",
    "own optimum": "eigen optimum",
    "regret": "spijt",
    "added groups": "groepen erbij",
    "assigned": "geplaatst",
    "assumption": "aanname",
    "beds": "bedden",
    "component": "kostenpost",
    "converted groups": "omgebouwde groepen",
    "cost": "kosten",
    "cost, discounted": "kosten, contante waarde",
    "demand": "vraag",
    "distance": "afstand",
    "distance limit": "afstandsgrens",
    "expected advance": "verwacht voorschot",
    "fte": "fte",
    "groups": "groepen",
    "kind": "soort",
    "mean distance, beds-weighted": "gemiddelde afstand, gewogen naar bedden",
    "municipality": "gemeente",
    "municipality code": "gemeentecode",
    "need": "zorgbehoefte",
    "offered load": "aangeboden belasting",
    "parameter": "parameter",
    "place type": "plaatsvorm",
    "placed": "geplaatst",
    "places": "plaatsen",
    "pool": "pool",
    "reason": "reden",
    "refusal probability": "kans op weigering",
    "region": "regio",
    "removed groups": "groepen eraf",
    "site id": "locatiecode",
    "site name": "locatienaam",
    "sites": "locaties",
    "source": "bron",
    "target": "norm",
    "travel time": "reistijd",
    "types": "plaatsvormen",
    "unit": "eenheid",
    "unmet": "niet geplaatst",
    "value": "waarde",
    "variant": "variant",
    "within distance limit (share of beds)": "binnen de afstandsgrens (aandeel van de bedden)",
    "within limit (yes/no)": "binnen de grens (ja/nee)",
    "year": "jaar",
}

#: How a unit is shown in a Dutch header, by the contract's unit name ('' for none).
UNIT_HEADERS_NL: dict[str, str] = {
    "beds": "gemiddeld bezette bedden",
    "places": "plaatsen",
    "groups": "aantal",
    "places/group": "plaatsen per groep",
    "eur": "EUR",
    "cents": "cent",
    "fte": "fte",
    "km": "km",
    "minutes": "min",
    "seconds": "s",
    "1": "",
    "year": "",
    "years": "jaren",
    "fte/group": "fte per groep",
    "degrees": "graden",
    "persons": "inwoners",
    "levels": "niveaus",
}


#: The units of the assumptions table (optimizer/units.py RULES) in Dutch.
PARAMETER_UNITS_NL: dict[str, str] = {
    "EUR per place per year": "EUR per plaats per jaar",
    "EUR per place per day": "EUR per plaats per dag",
    "EUR per site closed": "EUR per gesloten locatie",
    "EUR": "EUR",
    "share (0-1)": "aandeel (0-1)",
    "EUR per bed-year": "EUR per bedjaar",
    "EUR per removed group per year": "EUR per afgebouwde groep per jaar",
    "EUR per group": "EUR per groep",
    "EUR per bed-km per year": "EUR per bed-km per jaar",
    "EUR per bed-year per level": "EUR per bedjaar per niveau",
    "EUR per year": "EUR per jaar",
    "groups per year": "groepen per jaar",
    "years": "jaren",
    "FTE per group": "fte per groep",
    "FTE per year": "fte per jaar",
    "share of the age band (0-1)": "aandeel van de leeftijdsgroep (0-1)",
    "average occupied beds": "gemiddeld bezette bedden",
    "youths admitted per year": "opgenomen jeugdigen per jaar",
    "days": "dagen",
    "km": "km",
    "inhabitants": "inwoners",
    "minutes": "minuten",
    "km per hour": "km per uur",
    "ratio (road km / straight km)": "verhouding (km over de weg / km hemelsbreed)",
    "places per group": "plaatsen per groep",
    "groups": "groepen",
    "share of places (0-1)": "aandeel van de plaatsen (0-1)",
    "per year (fraction)": "per jaar (fractie)",
    "probability (0-1)": "kans (0-1)",
    "relative gap (fraction)": "relatief gat (fractie)",
    "seconds": "seconden",
    "year": "jaar",
    "beds": "bedden",
    "places": "plaatsen",
    "degrees latitude (WGS 84)": "graden noorderbreedte (WGS 84)",
    "degrees longitude (WGS 84)": "graden oosterlengte (WGS 84)",
}


class Labels(Mapping[str, str]):
    """Fixed labels of one language; a missing key raises KeyError instead of showing English."""

    def __init__(self, lang: str = "en") -> None:
        if lang not in TABLES:
            raise ValueError(f"unknown language {lang!r}; choose from {', '.join(LANGS)}")
        self.lang = lang
        self._table = TABLES[lang]
        self._names = NAMES[lang]

    def __getitem__(self, key: str) -> str:
        return self._table[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)

    def __call__(self, key: str, **values: object) -> str:
        """The label with ``{name}`` placeholders filled in."""
        return self._table[key].format(**values)

    def sheet(self, name: str) -> str:
        """A workbook sheet's name in this language (the English name is the key)."""
        return name if self.lang == "en" else SHEET_NAMES[self.lang][name]

    def column(self, words: str, unit: str, english_unit: str) -> str:
        """A workbook header: the column's words and its unit, in this language; a column or unit
        without a Dutch text raises KeyError (never an English header in a Dutch workbook)."""
        if self.lang == "en":
            words, shown = words, english_unit
        else:
            words, shown = COLUMN_WORDS_NL[words], UNIT_HEADERS_NL[unit] if unit else ""
        return f"{words} ({shown})" if shown else words

    def name(self, kind: str, key: str) -> str:
        """Display name of a place type, need or cost component; unknown keys stay as they are."""
        return self._names.get(f"{kind}.{key}", key)
