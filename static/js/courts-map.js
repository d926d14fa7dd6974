// St. Louis County's maps, drawn with the portal's own Leaflet and boundary file:
// - a court's place: the court as a marker over the towns' outlines (.court-map);
// - the dashboard's towns shaded by their citations (#municipality-map, counts from a
//   json_script keyed by the town's name in upper case; null where suppressed).
// There is no tile layer, so no request leaves the site. Without JavaScript the figure stays
// hidden; the address beside it says the same.
//
// Markup: <figure class="court-map-figure" hidden><div class="court-map" data-latitude="38.6"
//   data-longitude="-90.3" data-name="Ballwin Court" data-boundaries="URL"></div></figure>
(function () {
  // The page's language through Django's JavaScript catalogue (/jsi18n/, loaded by base.html);
  // English as written when it is missing.
  var gettext = window.gettext || function (text) { return text; };
  var ngettext = window.ngettext || function (singular, plural, count) { return count === 1 ? singular : plural; };
  var interpolate = window.interpolate || function (format, values) { return format.replace("%s", values[0]); };
  "use strict";

  if (typeof window.L === "undefined") {
    return;
  }
  var L = window.L;
  var boundaryRequests = {};

  function boundaries(url) {
    if (!boundaryRequests[url]) {
      boundaryRequests[url] = fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) {
          throw new Error("boundaries: HTTP " + response.status);
        }
        return response.json();
      });
    }
    return boundaryRequests[url];
  }

  // Five shades of one hue, light to dark, each darker one 3:1 or more against white.
  var SHADES = ["#dbe7f3", "#a9c6e3", "#6f9fcd", "#3a72ad", "#0b3d66"];
  var NO_DATA = "#eef0f2";

  function drawTownMap(container) {
    var counts = JSON.parse(document.getElementById(container.getAttribute("data-counts")).textContent);
    var values = Object.keys(counts)
      .map(function (name) {
        return counts[name];
      })
      .filter(function (value) {
        return typeof value === "number" && value > 0;
      });
    var largest = Math.max.apply(null, values.concat([1]));
    function shadeOf(count) {
      if (typeof count !== "number" || count <= 0) {
        return NO_DATA;
      }
      return SHADES[Math.min(SHADES.length - 1, Math.floor((Math.sqrt(count) / Math.sqrt(largest)) * SHADES.length))];
    }
    container.parentNode.hidden = false;
    var map = L.map(container, { zoomSnap: 0.25, minZoom: 9, maxZoom: 15, scrollWheelZoom: false });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution(gettext("Boundaries: St. Louis County via YourSTLCourts"));
    map.setView([38.64, -90.4], 10);
    boundaries(container.getAttribute("data-boundaries")).then(function (collection) {
      var layer = L.geoJSON(collection, {
        style: function (feature) {
          return {
            color: "#5f6b76",
            weight: 1,
            fillColor: shadeOf(counts[feature.properties.municipality]),
            fillOpacity: 0.85,
          };
        },
        onEachFeature: function (feature, shape) {
          var count = counts[feature.properties.municipality];
          var shown =
            count === undefined
              ? gettext("no court data")
              : count === null
                ? gettext("fewer than 10 citations")
                : interpolate(ngettext("%s citation", "%s citations", count), [count]);
          // A text node, never a string: Leaflet puts strings into the page as HTML.
          shape.bindTooltip(document.createTextNode(feature.properties.municipality + ": " + shown));
        },
      }).addTo(map);
      map.fitBounds(layer.getBounds());
      container.setAttribute("data-boundaries-drawn", "true");
    });
  }

  var townMapContainer = document.getElementById("municipality-map");
  if (townMapContainer) {
    drawTownMap(townMapContainer);
  }

  Array.prototype.forEach.call(document.querySelectorAll(".court-map"), function (container) {
    var latitude = parseFloat(container.getAttribute("data-latitude"));
    var longitude = parseFloat(container.getAttribute("data-longitude"));
    if (isNaN(latitude) || isNaN(longitude)) {
      return;
    }
    container.parentNode.hidden = false;
    var map = L.map(container, { zoomSnap: 0.5, minZoom: 9, maxZoom: 17, scrollWheelZoom: false });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution(gettext("Boundaries: St. Louis County via YourSTLCourts"));
    map.setView([latitude, longitude], 13);
    L.circleMarker([latitude, longitude], {
      radius: 9,
      color: "#0b3d66",
      weight: 3,
      fillColor: "#1f6fb2",
      fillOpacity: 0.9,
    })
      .addTo(map)
      .bindTooltip(document.createTextNode(container.getAttribute("data-name")), {
        permanent: true,
        direction: "top",
        offset: [0, -8],
      });
    boundaries(container.getAttribute("data-boundaries"))
      .then(function (collection) {
        L.geoJSON(collection, {
          style: { color: "#5f6b76", weight: 1, fillColor: "#e8edf2", fillOpacity: 0.5 },
          interactive: false,
        })
          .addTo(map)
          .bringToBack();
        container.setAttribute("data-boundaries-drawn", "true");
      })
      .catch(function () {
        container.setAttribute("data-boundaries-failed", "true");
      });
  });
})();
