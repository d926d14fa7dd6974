// The Boston summer jobs dashboard's map: the City's neighbourhoods shaded by the share of
// their applicants who were placed, read from the page's own table (the table stays the one
// source of the numbers, and the page reads the same without JavaScript).
//
// The boundaries come from the portal itself, Leaflet from its static files; there is no
// tile layer, so no request leaves the site. A neighbourhood whose figures are suppressed
// (fewer than 10 applicants) is drawn hatched grey, never coloured.
//
// Markup: <figure id="youthjobs-map-figure" hidden><div id="youthjobs-map"
//   data-boundaries="URL" data-table="TABLE_ID" data-text-no-applicants="…"
//   data-text-fewer="…" data-text-rate="{percent} …" data-text-attribution="…"></div></figure>
// (the words in the page's language).
(function () {
  "use strict";

  var container = document.getElementById("youthjobs-map");
  if (!container || typeof window.L === "undefined") {
    return;
  }
  var L = window.L;
  // Five steps of one blue, light to dark; the darkest keeps white text legible.
  var STEPS = ["#dbe7f3", "#a9c6e3", "#6f9fcf", "#3b75b0", "#12355b"];
  var percent = new Intl.NumberFormat((document.documentElement.lang || "en") + "-US", { style: "percent" });

  var rates = {};
  document.querySelectorAll("#" + container.getAttribute("data-table") + " tbody tr").forEach(function (row) {
    var name = row.querySelector("th[scope=row]").textContent.trim();
    var cell = row.querySelector("[data-rate]");
    rates[name] = cell ? Number(cell.getAttribute("data-rate")) : null;
  });
  var known = Object.keys(rates)
    .map(function (name) {
      return rates[name];
    })
    .filter(function (rate) {
      return rate !== null;
    });
  var lowest = Math.min.apply(null, known);
  var highest = Math.max.apply(null, known);

  function colourOf(rate) {
    if (highest === lowest) {
      return STEPS[2];
    }
    var step = Math.min(STEPS.length - 1, Math.floor(((rate - lowest) / (highest - lowest)) * STEPS.length));
    return STEPS[step];
  }

  document.getElementById("youthjobs-map-figure").hidden = false;
  var map = L.map(container, { zoomSnap: 0.25, minZoom: 10, maxZoom: 16, attributionControl: true });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(container.getAttribute("data-text-attribution"));
  map.fitBounds([
    [42.227, -71.191],
    [42.397, -70.986],
  ]);

  fetch(container.getAttribute("data-boundaries"), { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) {
        throw new Error(response.status);
      }
      return response.json();
    })
    .then(function (geojson) {
      L.geoJSON(geojson, {
        style: function (feature) {
          var rate = rates[feature.properties.name];
          var shown = rate !== undefined && rate !== null;
          return {
            color: "#4a5563",
            weight: 1,
            fillColor: shown ? colourOf(rate) : "#c9ced6",
            fillOpacity: shown ? 0.85 : 0.4,
            dashArray: shown ? null : "4 3",
            className: "neighbourhood" + (shown ? "" : " neighbourhood--suppressed"),
          };
        },
        onEachFeature: function (feature, shape) {
          var rate = rates[feature.properties.name];
          var text =
            rate === undefined
              ? container.getAttribute("data-text-no-applicants")
              : rate === null
                ? container.getAttribute("data-text-fewer")
                : container.getAttribute("data-text-rate").replace("{percent}", percent.format(rate));
          // A text node, never a string: Leaflet puts strings into the page as HTML.
          shape.bindTooltip(document.createTextNode(feature.properties.name + ": " + text), { sticky: true });
        },
      }).addTo(map);
    })
    .catch(function () {
      document.getElementById("youthjobs-map-figure").hidden = true;
    });
})();
