// A city's ecosystem map as a network picture, drawn by Cytoscape.js from the portal's own
// static files. The page's tables say the same; without JavaScript the figure stays hidden.
//
// Markup: <figure id="ecosystem-graph-figure" hidden><div id="ecosystem-graph"></div></figure>
// and <script type="application/json" id="ecosystem-elements">[{"data": {...}}, ...]</script>
// (Cytoscape's element format: nodes {id, label, kind}, edges {id, source, target, label}).
// Labels are drawn on the canvas as text, never parsed as HTML. Once drawn, the graph's
// element says how many nodes it drew (data-nodes-drawn).
(function () {
  "use strict";

  var figure = document.getElementById("ecosystem-graph-figure");
  var container = document.getElementById("ecosystem-graph");
  var source = document.getElementById("ecosystem-elements");
  if (!figure || !container || !source || typeof window.cytoscape === "undefined") {
    return;
  }
  var elements = JSON.parse(source.textContent);
  // One colour per kind of organisation, each at least 3:1 against the white background.
  var KIND_COLOURS = {
    government: "#2d6a9f",
    civic_tech: "#7b3f9e",
    data_intermediary: "#1f7a4d",
    university: "#8a5a00",
    funder: "#b3261e",
    community: "#c2410c",
    private: "#5f6b76",
    national_partner: "#334155"
  };

  figure.hidden = false;
  var graph = window.cytoscape({
    container: container,
    elements: elements,
    style: [
      {
        selector: "node",
        style: {
          label: "data(label)",
          "background-color": function (node) {
            return KIND_COLOURS[node.data("kind")] || "#5f6b76";
          },
          "font-size": 10,
          "text-wrap": "wrap",
          "text-max-width": 110,
          "text-valign": "bottom"
        }
      },
      {
        selector: "edge",
        style: {
          width: 1.5,
          "line-color": "#94a3b8",
          "target-arrow-color": "#94a3b8",
          "target-arrow-shape": "triangle",
          "curve-style": "bezier"
        }
      }
    ],
    layout: { name: "cose", animate: false }
  });
  container.setAttribute("data-nodes-drawn", String(graph.nodes().length));
})();
