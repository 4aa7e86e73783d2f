/* jzplan map: wires the JSON payload built by reports/map_data.py to Leaflet.
 * Every HTML string in the payload is already escaped; this file never builds HTML from
 * user data. Sites and flows are per year; the year buttons swap which year is shown. */
function jzplanMap(map, groups, data) {
  "use strict";
  var state = { year: data.year, metric: data.metric };
  var siteLayers = {};
  var flowLayers = {};
  var colours = data.colours;
  var named = { region: [], link: [], town: [] };  // name markers, in the order they are placed
  var AROUND = ["below", "above", "right", "left"];  // where a town or link name may go, in turn
  var CENTRED = ["centre", "above", "below"];  // and a region name

  // the basemap: land below everything (web tiles, when switched on, cover it), the fixed links
  // above the choropleth, place names above the lines and below the site symbols
  [["jz-land", 150], ["jz-links", 420], ["jz-labels", 450]].forEach(function (pane) {
    map.createPane(pane[0]).style.zIndex = pane[1];
  });
  map.getPane("jz-labels").style.pointerEvents = "none";
  map.getContainer().style.background = data.basemap.land ? colours.water : colours.noLand;
  var land = data.zones.features.filter(function (feature) {
    return feature.geometry.type !== "Point";
  }).map(function (feature) {
    return { type: "Feature", properties: { kind: "land" }, geometry: feature.geometry };
  });
  L.geoJSON({ type: "FeatureCollection", features: land }, {
    style: function () {
      return { stroke: false, fillColor: colours.land, fillOpacity: 1, pane: "jz-land" };
    },
    interactive: false,
  }).addTo(groups.basemap);
  data.basemap.links.forEach(function (link) {
    L.polyline(link.latlngs, {
      color: colours.link, weight: 2.5, opacity: 0.9, dashArray: "6 4", pane: "jz-links",
      className: "jz-link",
    }).bindTooltip(link.tip, { sticky: true, className: "jz-tip" }).addTo(groups.basemap);
    var marker = L.marker(link.label.latlng, {
      icon: L.divIcon({ className: "jz-link-label", html: link.label.html, iconSize: null }),
      pane: "jz-labels", interactive: false, keyboard: false,
    }).addTo(groups.basemap);
    named.link.push({ marker: marker, places: AROUND });
  });
  data.basemap.towns.forEach(function (town) {
    var marker = L.marker(town.latlng, {
      icon: L.divIcon({ className: "jz-town", html: town.html, iconSize: null }),
      pane: "jz-labels", interactive: false, keyboard: false,
    }).addTo(groups.towns);
    named.town.push({ marker: marker, places: AROUND });
  });

  var zones = L.geoJSON(data.zones, {
    style: function () {
      return { color: "#4d4d4d", weight: 0.8, fillOpacity: 0.78, fillColor: "#f4f4f4" };
    },
    pointToLayer: function (feature, latlng) {
      return L.circleMarker(latlng, { radius: 9 });
    },
    onEachFeature: function (feature, layer) {
      layer.bindTooltip(function () { return feature.properties.tip[state.year] || ""; },
        { sticky: true, className: "jz-tip" });
      layer.bindPopup(function () { return feature.properties.popup[state.year] || ""; },
        { maxWidth: 360, className: "jz-popup-wrap" });
      layer.on("mouseover", function () { layer.setStyle({ weight: 2.5, color: "#000" }); });
      layer.on("mouseout", function () { layer.setStyle({ weight: 0.8, color: "#4d4d4d" }); });
    },
  }).addTo(groups.zones);

  L.geoJSON(data.regions, {
    style: function () { return { color: "#111", weight: 3.2, opacity: 0.9, fill: false }; },
    interactive: false,
  }).addTo(groups.regions);
  data.regionLabels.forEach(function (label) {
    var marker = L.marker(label.latlng, {
      icon: L.divIcon({ className: "jz-region-label", html: label.html, iconSize: null }),
      interactive: false,
      keyboard: false,
    }).addTo(groups.regions);
    named.region.push({ marker: marker, places: CENTRED });
  });

  data.years.forEach(function (year) {
    var flows = L.layerGroup();
    (data.flows[year] || []).forEach(function (flow) {
      L.polyline(flow.path, {
        color: flow.colour,
        opacity: 0.8,
        weight: flow.weight,
        dashArray: flow.suppressed ? "4 4" : null,
        lineJoin: "round",
        className: "jz-flow",
      }).bindTooltip(flow.tip, { sticky: true, className: "jz-tip" }).addTo(flows);
    });
    flowLayers[year] = flows;
    var sites = L.layerGroup();
    (data.sites[year] || []).forEach(function (site) {
      var size = site.icon.size;
      var icon = L.divIcon({
        className: "jz-site " + (site.active ? "jz-site-active" : "jz-site-idle"),
        html: site.icon.html,
        iconSize: size,
        iconAnchor: [size[0] / 2, size[1] / 2],
      });
      L.marker([site.lat, site.lon], {
        icon: icon,
        title: site.name,
        alt: site.name,
        riseOnHover: true,
        zIndexOffset: site.active ? 1000 : 0,
      })
        .bindPopup(site.popup, { maxWidth: 460, className: "jz-popup-wrap" })
        .bindTooltip(site.tip, { className: "jz-tip", direction: "top", offset: [0, -size[1] / 2] })
        .addTo(sites);
    });
    siteLayers[year] = sites;
  });

  Object.keys(data.rings).forEach(function (type) {
    var ring = data.rings[type];
    ring.circles.forEach(function (latlng) {
      L.circle(latlng, {
        radius: ring.km * 1000, color: ring.colour, weight: 1.6, dashArray: "6 5",
        fill: false, interactive: false,
      }).addTo(groups.rings[type]);
    });
  });

  // a named place at or next to a site sits below the site's symbol, never under it
  data.places.forEach(function (place) {
    var offset = place.offset || [0, 0];
    L.marker([place.lat, place.lon], {
      icon: L.divIcon({
        className: "jz-place", html: place.html, iconSize: [14, 14],
        iconAnchor: [7 - offset[0], 7 - offset[1]],
      }),
      keyboard: false,
    }).bindTooltip(place.tip, { className: "jz-tip" }).addTo(groups.places);
  });

  function control(position, className, html) {
    var Box = L.Control.extend({
      options: { position: position },
      onAdd: function () {
        var div = L.DomUtil.create("div", "jz-box " + className);
        div.innerHTML = html;
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
      },
    });
    var box = new Box();
    box.addTo(map);
    return box.getContainer();
  }

  control("topleft", "jz-title", data.title);
  var panel = control("topleft", "jz-panel", "");
  var yearRow = L.DomUtil.create("div", "jz-years", panel);
  var yearLabel = L.DomUtil.create("div", "jz-h", yearRow);
  yearLabel.textContent = data.labels.year;
  var buttons = {};
  data.years.forEach(function (year) {
    var button = L.DomUtil.create("button", "jz-year", yearRow);
    button.type = "button";
    button.textContent = year;
    button.setAttribute("data-year", year);
    button.addEventListener("click", function () { setYear(year); });
    buttons[year] = button;
  });
  var totals = L.DomUtil.create("div", "jz-totals", panel);
  var metricRow = L.DomUtil.create("fieldset", "jz-metrics", panel);
  var legend = L.DomUtil.create("legend", "jz-h", metricRow);
  legend.textContent = data.labels.colourBy;
  var radios = {};
  Object.keys(data.metrics).forEach(function (metric) {
    var label = L.DomUtil.create("label", "", metricRow);
    var input = L.DomUtil.create("input", "", label);
    input.type = "radio";
    input.name = "jz-metric";
    input.value = metric;
    input.addEventListener("change", function () { setMetric(metric); });
    label.appendChild(document.createTextNode(" " + data.metrics[metric]));
    radios[metric] = input;
  });
  var classes = L.DomUtil.create("div", "jz-classes jz-legend", panel);
  var legendBox = control("bottomleft", "jz-legend", "");
  var symbols = L.DomUtil.create("div", "jz-symbols", legendBox);
  symbols.innerHTML = data.symbols;
  map.attributionControl.addAttribution(data.attribution);

  function restyle() {
    zones.setStyle(function (feature) {
      return { fillColor: feature.properties.fill[state.metric][state.year] };
    });
    classes.innerHTML = data.legend[state.metric];
  }

  function setYear(year) {
    state.year = year;
    data.years.forEach(function (y) {
      var on = y === year;
      [[groups.sites, siteLayers[y]], [groups.flows, flowLayers[y]]].forEach(function (pair) {
        if (on && !pair[0].hasLayer(pair[1])) { pair[0].addLayer(pair[1]); }
        if (!on && pair[0].hasLayer(pair[1])) { pair[0].removeLayer(pair[1]); }
      });
      buttons[y].classList.toggle("jz-on", on);
      buttons[y].setAttribute("aria-pressed", on ? "true" : "false");
    });
    totals.innerHTML = data.totals[year] || "";
    restyle();
  }

  function setMetric(metric) {
    state.metric = metric;
    radios[metric].checked = true;
    restyle();
  }

  setMetric(state.metric);
  setYear(state.year);

  // Names are placed so that none overlaps another at this zoom: at the national zoom 42 region
  // names and 342 town names cannot all be read. Region names go first, then fixed links, then
  // towns, larger first (reports/map_data.py and basemap.py order them), each in the first of its
  // places where it overlaps no name placed before it. A name that fits nowhere is hidden and
  // stays a hover away (a zone's tooltip names its municipality and region, a link's line its
  // link) until zooming in makes room. Boxes are worked out from the map's own projection, not
  // read from the page, so a zoom still animating cannot mislead them.
  var PLACES = {  // a name's box from its point: top-left corner for a box w wide, h high (map.css)
    centre: function (w, h) { return [-w / 2, -h / 2]; },
    below: function (w) { return [-w / 2, 4]; },
    above: function (w, h) { return [-w / 2, -h - 4]; },
    right: function (w, h) { return [6, -h / 2]; },
    left: function (w, h) { return [-w - 6, -h / 2]; },
  };

  function declutter() {
    var names = named.region.concat(named.link, named.town).filter(function (name) {
      return map.hasLayer(name.marker);
    });
    var sizes = names.map(function (name) {  // every read first: one layout, not one per name
      var span = name.marker.getElement().firstElementChild;
      return { x: span.offsetLeft, y: span.offsetTop, w: span.offsetWidth, h: span.offsetHeight };
    });
    var kept = [];
    names.forEach(function (name, i) {
      var size = sizes[i];
      var at = map.latLngToContainerPoint(name.marker.getLatLng());
      var free = name.places.map(function (place) {
        var corner = PLACES[place](size.w, size.h);
        var left = at.x + size.x + corner[0];
        var top = at.y + size.y + corner[1];
        return { place: place, left: left, top: top, right: left + size.w, bottom: top + size.h };
      }).filter(function (box) {
        return kept.every(function (other) {
          return box.right + 2 <= other.left || other.right + 2 <= box.left
            || box.bottom + 2 <= other.top || other.bottom + 2 <= box.top;
        });
      })[0];
      var element = name.marker.getElement();
      element.classList.remove("jz-crowded", "jz-at-above", "jz-at-below", "jz-at-right",
        "jz-at-left");
      if (!free) {
        element.classList.add("jz-crowded");
      } else {
        kept.push(free);
        if (free.place !== name.places[0]) { element.classList.add("jz-at-" + free.place); }
      }
    });
  }

  map.on("zoomend overlayadd overlayremove", declutter);
  declutter();
}
