// A court's place on a map of St. Louis County's municipal boundaries: the court as a
// marker over the towns' outlines, drawn with the portal's own Leaflet and boundary file.
// There is no tile layer, so no request leaves the site. Without JavaScript the figure stays
// hidden; the address beside it says the same.
//
// Markup: <figure class="court-map-figure" hidden><div class="court-map" data-latitude="38.6"
//   data-longitude="-90.3" data-name="Ballwin Court" data-boundaries="URL"></div></figure>
(function () {
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

  Array.prototype.forEach.call(document.querySelectorAll(".court-map"), function (container) {
    var latitude = parseFloat(container.getAttribute("data-latitude"));
    var longitude = parseFloat(container.getAttribute("data-longitude"));
    if (isNaN(latitude) || isNaN(longitude)) {
      return;
    }
    container.parentNode.hidden = false;
    var map = L.map(container, { zoomSnap: 0.5, minZoom: 9, maxZoom: 17, scrollWheelZoom: false });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Boundaries: St. Louis County via YourSTLCourts");
    map.setView([latitude, longitude], 13);
    L.circleMarker([latitude, longitude], {
      radius: 9,
      color: "#0b3d66",
      weight: 3,
      fillColor: "#1f6fb2",
      fillOpacity: 0.9,
    })
      .addTo(map)
      .bindTooltip(container.getAttribute("data-name"), { permanent: true, direction: "top", offset: [0, -8] });
    boundaries(container.getAttribute("data-boundaries"))
      .then(function (collection) {
        L.geoJSON(collection, {
          style: { color: "#5f6b76", weight: 1, fillColor: "#e8edf2", fillOpacity: 0.5 },
          interactive: false,
        })
          .addTo(map)
          .bringToBack();
      })
      .catch(function () {
        container.setAttribute("data-boundaries-failed", "true");
      });
  });
})();
