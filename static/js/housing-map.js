// The DC housing dashboard's map: the projects the page lists, as circles coloured by risk
// level and sized by assisted homes, over ward or neighbourhood cluster boundaries. Where the
// view holds too many projects to draw one by one, the server groups them into clusters on a
// grid (a circle sized by its projects, with their number on it); a click on one zooms in.
//
// Everything comes from the portal itself: what the view shows from the dashboard's map-points
// endpoint (for the page's filters, the view's box and zoom, asked again after each move),
// the boundaries from the portal's boundary files, Leaflet from its static files. There is no
// tile layer, so no request leaves the site. Without JavaScript the map stays hidden and the
// projects' table says the same.
//
// Markup: <figure id="project-map-figure" hidden><div id="project-map"
//   data-boundaries-wards="URL" data-boundaries-clusters="URL" data-points-url="URL"
//   data-selected-ward="Ward 1" data-selected-cluster=""></div>
//   <p id="project-map-status" role="status"></p></figure>
// Its words come from the page, in the page's language: data-text-* attributes (with
// {units}, {level} or {count} for a number or name) and data-level-* for the levels' names;
// the clusters' words from the JavaScript catalogue.
// An answer (see housing.dashboard.map_view_gzip): {"kind": "projects" or "clusters",
//   "total": N, "in_view": N, "extent": [south, west, north, east], "levels": {...},
//   "project_url": ".../{id}/", "columns": [...], "rows": [[...], ...]}.
// Once drawn, the map's element says how many projects its view holds (data-markers-drawn),
// what it drew (data-drawn-kind: "projects" or "clusters") and for which view (data-view-bbox,
// data-view-zoom), or "failed" when they could not be loaded. It is aria-busy from a move
// until the view the map settled on is drawn.
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
  var CLUSTER_MIN_RADIUS = 12;
  var CLUSTER_MAX_RADIUS = 30;
  // A popup opened near an edge pans the map until it clears the zoom buttons (left) and the
  // boundaries' control (right).
  var POPUP_OPTIONS = { maxWidth: 200, autoPanPaddingTopLeft: [54, 10], autoPanPaddingBottomRight: [54, 10] };
  // A move asks again once the map has stopped for this long (milliseconds).
  var MOVE_SETTLE_MS = 150;
  var gettext = window.gettext || function (words) { return words; };
  var ngettext = window.ngettext || function (singular, plural, count) { return count === 1 ? singular : plural; };
  var interpolate =
    window.interpolate ||
    function (format, values) {
      var next = 0;
      return format.replace(/%s/g, function () {
        return values[next++];
      });
    };

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

  // A projects answer's rows, as objects named for its columns.
  function pointsOf(data) {
    var position = {};
    data.columns.forEach(function (column, index) {
      position[column] = index;
    });
    return data.rows.map(function (row) {
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

  // The project whose popup is open. A popup opened near the edge pans the map, and the view
  // it pans to is fetched and drawn again: the new marker of the same project reopens it.
  var openProject = null;

  function markersOf(points) {
    var radiusOf = radiusScale(points);
    return points.map(function (point) {
      return L.circleMarker([point.lat, point.lng], {
        radius: radiusOf(point.units),
        color: "#ffffff",
        weight: 1,
        fillColor: LEVEL_COLOURS[point.level] || LEVEL_COLOURS[""],
        fillOpacity: 0.85,
        className: "project-marker project-marker--" + (point.level || "none"),
      })
        .bindPopup(popupOf(point), POPUP_OPTIONS)
        .on("popupopen", function () {
          openProject = point.url;
        })
        .on("popupclose", function () {
          openProject = null;
        });
    });
  }

  // A clusters answer's rows, as objects: position, projects, assisted homes, projects per level.
  function clustersOf(data) {
    var position = {};
    data.columns.forEach(function (column, index) {
      position[column] = index;
    });
    return data.rows.map(function (row) {
      var byLevel = {};
      data.level_order.forEach(function (level, index) {
        byLevel[level] = row[position.by_level][index];
      });
      return {
        lat: row[position.lat],
        lng: row[position.lng],
        projects: row[position.projects],
        units: row[position.units],
        byLevel: byLevel,
        levels: data.level_order,
      };
    });
  }

  // The level most of a cluster's projects have (the riskier of a tie), for its colour.
  function mainLevel(cluster) {
    return cluster.levels.reduce(function (main, level) {
      return cluster.byLevel[level] > cluster.byLevel[main] ? level : main;
    }, cluster.levels[0]);
  }

  // Each level's share of a cluster, in words: "%s" is the number of its projects.
  var LEVEL_SHARES = {
    high: gettext("%s at high risk"),
    medium: gettext("%s at medium risk"),
    low: gettext("%s at low risk"),
    "": gettext("%s not assessed"),
  };

  // "412 projects (40 at high risk, 120 at medium risk, 252 at low risk); 9,120 assisted homes"
  function clusterDescription(cluster) {
    var shares = cluster.levels
      .filter(function (level) {
        return cluster.byLevel[level] > 0;
      })
      .map(function (level) {
        return interpolate(LEVEL_SHARES[level], [numbers.format(cluster.byLevel[level])]);
      });
    return interpolate(
      ngettext("%s project (%s); %s assisted homes", "%s projects (%s); %s assisted homes", cluster.projects),
      [numbers.format(cluster.projects), shares.join(", "), numbers.format(cluster.units)]
    );
  }

  function zoomInto(cluster) {
    map.setView([cluster.lat, cluster.lng], Math.min(map.getZoom() + 2, map.getMaxZoom()));
  }

  function clusterMarkersOf(clusters) {
    var largest = clusters.reduce(function (most, cluster) {
      return Math.max(most, cluster.projects);
    }, 1);
    var markers = [];
    clusters.forEach(function (cluster) {
      var radius =
        CLUSTER_MIN_RADIUS + (CLUSTER_MAX_RADIUS - CLUSTER_MIN_RADIUS) * Math.sqrt(cluster.projects / largest);
      var level = mainLevel(cluster);
      var description = clusterDescription(cluster);
      var circle = L.circleMarker([cluster.lat, cluster.lng], {
        radius: radius,
        color: "#ffffff",
        weight: 2,
        fillColor: LEVEL_COLOURS[level] || LEVEL_COLOURS[""],
        fillOpacity: 0.8,
        className: "project-cluster project-cluster--" + (level || "none"),
      });
      circle.on("click", function () {
        zoomInto(cluster);
      });
      // The count on the circle, covering it: a focusable marker, so a keyboard can zoom in too.
      var count = document.createElement("span");
      count.textContent = numbers.format(cluster.projects);
      var label = L.marker([cluster.lat, cluster.lng], {
        icon: L.divIcon({ html: count, className: "project-cluster-count", iconSize: [2 * radius, 2 * radius] }),
        title: description,
        alt: description,
        keyboard: true,
      });
      // A text node, never a string: Leaflet puts strings into the page as HTML.
      label.bindTooltip(document.createTextNode(description), {
        direction: "top",
        offset: [0, -radius],
        className: "project-cluster-tooltip",
      });
      label.on("click", function () {
        zoomInto(cluster);
      });
      markers.push(circle, label);
    });
    return markers;
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

  var drawn = L.layerGroup().addTo(map);
  // Answers may arrive out of order after quick moves: only the latest request's is drawn.
  var latestRequest = 0;
  var fittedToSelection = false;

  function viewAddress(view) {
    var address = new URL(container.getAttribute("data-points-url"), window.location.href);
    address.searchParams.set("bbox", view.bbox);
    address.searchParams.set("zoom", view.zoom);
    return address.toString();
  }

  function draw(data, view) {
    var reopen = openProject;
    drawn.clearLayers();
    var points = data.kind === "clusters" ? [] : pointsOf(data);
    var markers = data.kind === "clusters" ? clusterMarkersOf(clustersOf(data)) : markersOf(points);
    markers.forEach(function (marker) {
      drawn.addLayer(marker);
    });
    points.forEach(function (point, index) {
      if (point.url === reopen) {
        // Where it already was, without panning again: a pan the map's bounds undo would
        // otherwise fetch, draw and reopen without end.
        var popup = markers[index].getPopup();
        popup.options.autoPan = false;
        markers[index].openPopup();
        popup.options.autoPan = true;
      }
    });
    status.textContent =
      data.in_view === 1 ? text("project-count") : text("projects-count", { count: numbers.format(data.in_view) });
    if (data.kind === "clusters") {
      status.textContent += " " + gettext("Zoom in or select a group to see its projects.");
    }
    container.setAttribute("data-drawn-kind", data.kind);
    container.setAttribute("data-view-bbox", view.bbox);
    container.setAttribute("data-view-zoom", view.zoom);
    container.setAttribute("data-markers-drawn", String(data.in_view));
  }

  function load() {
    container.setAttribute("aria-busy", "true");
    latestRequest += 1;
    var request = latestRequest;
    var view = { bbox: map.getBounds().toBBoxString(), zoom: String(map.getZoom()) };
    fetch(viewAddress(view), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (data) {
        if (request !== latestRequest) {
          return;
        }
        draw(data, view);
        // Once, the view moves to the selection's projects; the move asks for that view.
        if (!fittedToSelection && data.extent) {
          fittedToSelection = true;
          var extent = L.latLngBounds([data.extent[0], data.extent[1]], [data.extent[2], data.extent[3]]);
          map.fitBounds(extent.pad(0.15), { maxZoom: 15 });
          return;
        }
        container.setAttribute("aria-busy", "false");
      })
      .catch(function () {
        if (request !== latestRequest) {
          return;
        }
        status.textContent = text("failed");
        container.setAttribute("data-markers-drawn", "failed");
        container.setAttribute("aria-busy", "false");
      });
  }

  // Leaflet ends every pan and every zoom with "moveend".
  var settling = null;
  map.on("movestart", function () {
    container.setAttribute("aria-busy", "true");
  });
  map.on("moveend", function () {
    container.setAttribute("aria-busy", "true");
    window.clearTimeout(settling);
    settling = window.setTimeout(load, MOVE_SETTLE_MS);
  });
  load();
})();
