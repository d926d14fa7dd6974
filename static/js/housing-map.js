// The DC housing dashboard's map: the projects the page lists, as circles coloured by risk
// level and sized by assisted homes, over ward or neighbourhood cluster boundaries.
//
// Everything comes from the portal itself: the points from the dashboard's map-points
// endpoint (for the page's filters), the boundaries from the portal's boundary files,
// Leaflet from its static files. There is no tile layer, so no request leaves the site.
// Without JavaScript the map stays hidden and the projects' table says the same.
//
// Markup: <figure id="project-map-figure" hidden><div id="project-map"
//   data-boundaries-wards="URL" data-boundaries-clusters="URL" data-points-url="URL"
//   data-selected-ward="Ward 1" data-selected-cluster=""></div>
//   <p id="project-map-status" role="status"></p></figure>
// Its words come from the page, in the page's language: data-text-* attributes (with
// {units}, {level} or {count} for a number or name) and data-level-* for the levels' names.
// The points' format: {"project_url": ".../{id}/", "levels": {"high": "High", ...},
//   "columns": ["id", "name", "lat", "lng", "level", "units"], "points": [[...], ...]}.
// Once drawn, the map's element says how many points it drew (data-markers-drawn), or
// "failed" when they could not be loaded.
(function () {
  "use strict";

  var container = document.getElementById("project-map");
  if (!container || typeof window.L === "undefined") {
    return;
  }
  var L = window.L;

  // The colours of the risk levels (the stylesheet's legend uses the same), each at least
  // 3:1 against the pale boundaries they sit on.
  var LEVEL_COLOURS = { high: "#b3261e", medium: "#a85d00", low: "#2d6a9f", "": "#5f6b76" };
  var DC_BOUNDS = L.latLngBounds([38.791, -77.12], [38.996, -76.909]);
  var MIN_RADIUS = 4;
  var MAX_RADIUS = 22;

  var status = document.getElementById("project-map-status");
  // Numbers as the page's language writes them.
  var numbers = new Intl.NumberFormat((document.documentElement.lang || "en") + "-US");

  function text(name, values) {
    var words = container.getAttribute("data-text-" + name) || "";
    Object.keys(values || {}).forEach(function (key) {
      words = words.replace("{" + key + "}", values[key]);
    });
    return words;
  }

  function levelName(level) {
    return container.getAttribute("data-level-" + (level || "none"));
  }
  var selected = {
    wards: container.getAttribute("data-selected-ward"),
    clusters: container.getAttribute("data-selected-cluster"),
  };

  var figure = document.getElementById("project-map-figure");
  figure.hidden = false;

  var map = L.map(container, {
    zoomSnap: 0.25,
    minZoom: 10,
    maxZoom: 17,
    maxBounds: DC_BOUNDS.pad(0.5),
    attributionControl: true,
  });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(text("attribution"));
  // Boundaries under the circles, always: a late boundary file must not cover the markers.
  map.createPane("boundaries").style.zIndex = 350;

  // Rows of the endpoint's columns, as objects named for them.
  function pointsOf(data) {
    var position = {};
    data.columns.forEach(function (column, index) {
      position[column] = index;
    });
    return data.points.map(function (row) {
      var level = row[position.level];
      return {
        name: row[position.name],
        lat: row[position.lat],
        lng: row[position.lng],
        level: level,
        levelLabel: levelName(level) || data.levels[level] || data.levels[""],
        units: row[position.units],
        url: data.project_url.replace("{id}", encodeURIComponent(row[position.id])),
      };
    });
  }

  // The largest project sets the scale; area, not radius, grows with the number of homes.
  function radiusScale(points) {
    var largest = points.reduce(function (most, point) {
      return Math.max(most, point.units || 0);
    }, 1);
    return function (units) {
      if (!units) {
        return MIN_RADIUS;
      }
      return MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * Math.sqrt(units / largest);
    };
  }

  function popupOf(point) {
    var wrapper = document.createElement("div");
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = point.name;
    var facts = document.createElement("p");
    facts.textContent =
      (point.units ? text("units", { units: numbers.format(point.units) }) : text("units-unknown")) +
      " · " +
      text("risk", { level: point.levelLabel });
    wrapper.appendChild(link);
    wrapper.appendChild(facts);
    return wrapper;
  }

  function markersOf(points) {
    var radiusOf = radiusScale(points);
    return L.featureGroup(
      points.map(function (point) {
        return L.circleMarker([point.lat, point.lng], {
          radius: radiusOf(point.units),
          color: "#ffffff",
          weight: 1,
          fillColor: LEVEL_COLOURS[point.level] || LEVEL_COLOURS[""],
          fillOpacity: 0.85,
          className: "project-marker project-marker--" + (point.level || "none"),
        }).bindPopup(popupOf(point));
      })
    );
  }

  function boundaryStyle(kind) {
    return function (feature) {
      var isSelected = feature.properties.name === selected[kind];
      return {
        color: isSelected ? "#12355b" : "#6b7785",
        weight: isSelected ? 3 : 1.25,
        fillColor: isSelected ? "#d8e3f0" : "#eef1f5",
        fillOpacity: isSelected ? 0.7 : 0.5,
        className: "boundary boundary--" + kind,
      };
    };
  }

  function boundaryLayer(kind) {
    var layer = L.geoJSON(null, {
      pane: "boundaries",
      style: boundaryStyle(kind),
      onEachFeature: function (feature, shape) {
        var label = feature.properties.name;
        if (feature.properties.neighbourhoods) {
          label += ": " + feature.properties.neighbourhoods;
        }
        // A text node, never a string: Leaflet puts strings into the page as HTML.
        shape.bindTooltip(document.createTextNode(label), { sticky: true });
      },
    });
    // Each file is fetched the first time its layer is shown.
    layer.once("add", function () {
      fetch(container.getAttribute("data-boundaries-" + kind), { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(response.status);
          }
          return response.json();
        })
        .then(function (data) {
          layer.addData(data);
          container.setAttribute("data-boundaries-drawn", kind);
        })
        .catch(function () {
          container.setAttribute("data-boundaries-drawn", "none");
        });
    });
    return layer;
  }

  var layers = { wards: boundaryLayer("wards"), clusters: boundaryLayer("clusters") };
  L.control
    .layers(Object.fromEntries([[text("wards"), layers.wards], [text("clusters"), layers.clusters]]), null, {
      // Open on a wide screen; on a phone a button, so the choice does not cover the map.
      collapsed: window.matchMedia("(max-width: 40rem)").matches,
    })
    .addTo(map);
  (selected.clusters ? layers.clusters : layers.wards).addTo(map);

  map.fitBounds(DC_BOUNDS);

  fetch(container.getAttribute("data-points-url"), { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) {
        throw new Error(response.status);
      }
      return response.json();
    })
    .then(function (data) {
      var points = pointsOf(data);
      var markers = markersOf(points).addTo(map);
      if (points.length) {
        map.fitBounds(markers.getBounds().pad(0.15), { maxZoom: 15 });
      }
      status.textContent =
        points.length === 1 ? text("project-count") : text("projects-count", { count: numbers.format(points.length) });
      container.setAttribute("data-markers-drawn", String(points.length));
    })
    .catch(function () {
      status.textContent = text("failed");
      container.setAttribute("data-markers-drawn", "failed");
    });
})();
