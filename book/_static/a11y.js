/* Accessibility repairs to the theme (sphinx-book-theme / pydata-sphinx-theme), run on every
   page, and the scrolling boxes for wide tables (below).
   axe-core rule label-content-name-mismatch (WCAG 2.5.3, "label in name"): several controls
   show text that their aria-label leaves out, so a speech-input user cannot say what they see.
   Each repair makes the accessible name contain the visible text. */
(function () {
  "use strict";
  function visibleText(el) {
    var parts = [(el.innerText || "").trim()];
    // Font Awesome draws icons as <svg><title>…</title></svg>; only the displayed one counts.
    el.querySelectorAll("svg title").forEach(function (t) {
      var svg = t.closest("svg");
      if (svg && svg.getClientRects().length) parts.push(t.textContent.trim());
    });
    return parts.filter(Boolean).join(" ").replace(/\s+/g, " ");
  }
  function nameWithText(el) {
    var label = el.getAttribute("aria-label") || "";
    var text = visibleText(el);
    if (!text || label.toLowerCase().indexOf(text.toLowerCase()) !== -1) return;
    var base = el.dataset.cstoLabel || label;
    el.dataset.cstoLabel = base;
    el.setAttribute("aria-label", text.toLowerCase().indexOf(base.toLowerCase()) === 0 ? text : base + ": " + text);
  }
  function repair() {
    document.querySelectorAll(".search-button__button, .theme-switch-button").forEach(nameWithText);
    // Folded code cells: the summary's own text ("Show code cell source") is the better name.
    document.querySelectorAll('summary[aria-label="Toggle hidden content"]').forEach(function (s) {
      s.removeAttribute("aria-label");
    });
  }

  // Tables of data scroll in a box of their own (course.css, .csto-table-scroll), so a wide
  // table never widens the page. pandas tables, and the tables the book writes from the data
  // (table.csto-table: the answer key, the claims key), are wrapped here; Markdown tables already sit
  // in the theme's scrolling container. A box that scrolls is a named region in the Tab order,
  // so keyboard users can scroll it with the arrow keys (axe-core: scrollable-region-focusable),
  // and the column that names each row stays in view while it scrolls sideways.
  var DATA_TABLES = "div.cell_output table.dataframe, table.csto-table";
  var BOXES = ".csto-table-scroll, .pst-scrollable-table-container";
  var LONG_TEXT = 32; // characters: longer cell text wraps, shorter stays on one line

  function wrapTables() {
    document.querySelectorAll(DATA_TABLES).forEach(function (table) {
      if (table.parentElement.classList.contains("csto-table-scroll")) return;
      var box = document.createElement("div");
      box.className = "csto-table-scroll";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
      Array.prototype.forEach.call(table.querySelectorAll("td, th"), function (cell) {
        if (cell.textContent.trim().length > LONG_TEXT) cell.classList.add("csto-long");
      });
    });
  }

  // The cells of each row by the column they start in (rowspan and colspan taken into account).
  function grid(table) {
    var rows = Array.prototype.slice.call(table.rows), taken = [], out = [];
    rows.forEach(function (row, r) {
      var cells = {}, col = 0;
      out.push(cells);
      Array.prototype.forEach.call(row.cells, function (cell) {
        while (taken[r] && taken[r][col]) col++;
        cells[col] = cell;
        for (var dr = 0; dr < cell.rowSpan; dr++) {
          for (var dc = 0; dc < cell.colSpan; dc++) {
            (taken[r + dr] = taken[r + dr] || [])[col + dc] = true;
          }
        }
        col += cell.colSpan;
      });
    });
    return out;
  }

  // The column that names each row: pandas's index (the first column, <th> cells), unless it
  // is only 0, 1, 2..., in which case the first column of data does better.
  function keyColumn(table) {
    // Rows without cells, if any, are skipped: they have no first cell to look at.
    var body = Array.prototype.filter.call(table.rows, function (row) {
      return row.parentElement.tagName === "TBODY" && row.cells.length > 0;
    });
    if (!body.length || body[0].cells.length < 2) return -1;
    var numbered = body.every(function (row) {
      return row.cells[0].tagName === "TH" && /^\d+$/.test(row.cells[0].textContent.trim());
    });
    return numbered ? 1 : 0;
  }

  function stick(box, table, on) {
    table.querySelectorAll(".csto-sticky-col").forEach(function (c) { c.classList.remove("csto-sticky-col"); });
    var head = table.tHead;
    if (head) head.classList.remove("csto-sticky-head");
    if (!on) return;
    var cells = grid(table), key = keyColumn(table);
    if (key >= 0) {
      var wide = cells.map(function (row) { return row[key]; }).filter(function (cell) { return cell && cell.colSpan === 1; });
      var widest = Math.max.apply(null, wide.map(function (cell) { return cell.offsetWidth; }).concat([0]));
      // Only where it leaves enough of the box for the columns that scroll past it.
      if (widest && widest <= 0.6 * box.clientWidth) wide.forEach(function (cell) { cell.classList.add("csto-sticky-col"); });
    }
    if (head && box.scrollHeight > box.clientHeight + 1) {
      head.classList.add("csto-sticky-head");
      var top = 0;
      Array.prototype.forEach.call(head.rows, function (row) {
        Array.prototype.forEach.call(row.cells, function (cell) { cell.style.top = top + "px"; });
        top += row.offsetHeight;
      });
    }
  }

  function tableName(table, used) {
    var caption = table.caption && table.caption.textContent.trim();
    var headers = Array.prototype.map.call(table.querySelectorAll("thead th, tr:first-child > th"), function (th) {
      return th.textContent.trim();
    }).filter(function (text, i, all) { return text && all.indexOf(text) === i; });
    var name = "Table" + (caption ? ": " + caption : headers.length ? " of " + headers.slice(0, 4).join(", ") + (headers.length > 4 ? ", …" : "") : "");
    var base = name, n = 2;
    while (used[name]) name = base + " (" + n++ + ")";
    used[name] = true;
    return name + " (scrollable)";
  }

  function updateBoxes() {
    var used = {};
    document.querySelectorAll(BOXES).forEach(function (box) {
      var table = box.querySelector("table");
      if (!table) return;
      var across = box.scrollWidth > box.clientWidth + 1, down = box.scrollHeight > box.clientHeight + 1;
      if (across || down) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", tableName(table, used));
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
      stick(box, table, across || down);
    });
  }

  var resizing = 0;
  function measureAgain() {
    clearTimeout(resizing);
    resizing = setTimeout(updateBoxes, 150);
  }
  window.addEventListener("resize", measureAgain);
  // A table in a folded output or solution has no size until it is unfolded.
  document.addEventListener("toggle", measureAgain, true);

  window.addEventListener("load", function () {
    wrapTables();
    updateBoxes();
    repair();
    // The icons are swapped in after load, and the colour-mode icon changes on every click.
    setTimeout(repair, 200);
    document.querySelectorAll(".theme-switch-button").forEach(function (b) {
      b.addEventListener("click", function () { setTimeout(repair, 50); });
    });
  });
})();
