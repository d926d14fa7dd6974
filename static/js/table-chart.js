// Draws a bar chart from the data table a page already shows, so the table stays the one
// source of the numbers and the page reads the same without JavaScript.
//
// Markup: <div class="chart" data-chart-for="TABLE_ID" data-format="usd" hidden></div>
// (numbers written in the page's language with US conventions, as the tables write them)
// and a table whose body rows have a <th scope="row"> label, a cell with data-value and,
// optionally, data-group on the <tr> (one coloured series and legend entry per group).
// Rows without a data-value cell (group headings) are left out.
(function () {
  // The page's language through Django's JavaScript catalogue (/jsi18n/, loaded by base.html);
  // English as written when it is missing.
  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (format, values) { return format.replace("%s", values[0]); };
  "use strict";

  if (typeof window.Chart === "undefined") {
    return;
  }

  var PALETTE_PROPERTIES = ["--core", "--learning", "--link", "--muted"];

  var LOCALE = (document.documentElement.lang || "en") + "-US";

  function formatter(format) {
    if (format === "usd") {
      var dollars = new Intl.NumberFormat(LOCALE, { style: "currency", currency: "USD", maximumFractionDigits: 0 });
      return function (value) {
        return dollars.format(value);
      };
    }
    var plain = new Intl.NumberFormat(LOCALE);
    return function (value) {
      return plain.format(value);
    };
  }

  function readTable(table) {
    var labels = [];
    var groups = [];
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var label = row.querySelector("th[scope=row]");
      var cell = row.querySelector("[data-value]");
      if (!label || !cell) {
        return;
      }
      labels.push(label.textContent.trim());
      groups.push({ name: row.getAttribute("data-group") || "", value: Number(cell.getAttribute("data-value")) });
    });
    return { labels: labels, groups: groups };
  }

  // One series per group, with nulls elsewhere, so each bar keeps its own column and the
  // legend names the groups.
  function seriesOf(rows) {
    var names = [];
    rows.groups.forEach(function (row) {
      if (names.indexOf(row.name) === -1) {
        names.push(row.name);
      }
    });
    var style = getComputedStyle(document.documentElement);
    return names.map(function (name, index) {
      var colour = style.getPropertyValue(PALETTE_PROPERTIES[index % PALETTE_PROPERTIES.length]).trim();
      return {
        label: name,
        data: rows.groups.map(function (row) {
          return row.name === name ? row.value : null;
        }),
        backgroundColor: colour,
        borderColor: colour,
      };
    });
  }

  function draw(container) {
    var table = document.getElementById(container.getAttribute("data-chart-for"));
    if (!table) {
      return;
    }
    var rows = readTable(table);
    var format = formatter(container.getAttribute("data-format"));
    var caption = table.caption ? table.caption.textContent.trim() : gettext("Chart");
    var series = seriesOf(rows);

    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", interpolate(gettext("%s: a bar chart of the numbers in the table beside it."), [caption]));
    container.appendChild(canvas);
    container.hidden = false;
    container.parentElement.classList.add("is-charted");

    var reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    // The chart's text in the page's own font and a colour that keeps its contrast.
    var style = getComputedStyle(document.documentElement);
    window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    window.Chart.defaults.color = style.getPropertyValue("--muted").trim();
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: rows.labels, datasets: series },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: reduceMotion ? false : { duration: 400 },
        scales: {
          x: { stacked: true, grid: { display: false } },
          y: { stacked: true, beginAtZero: true, ticks: { callback: format, maxTicksLimit: 6 } },
        },
        plugins: {
          legend: { display: series.length > 1, position: "bottom" },
          title: { display: true, text: caption, font: { size: 15 } },
          tooltip: {
            callbacks: {
              label: function (context) {
                return context.dataset.label + ": " + format(context.parsed.y);
              },
            },
          },
        },
      },
    });
  }

  document.querySelectorAll("[data-chart-for]").forEach(draw);
})();
