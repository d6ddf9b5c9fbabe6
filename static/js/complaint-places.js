/* Progressive enhancement of the places of the route (templates/complaints/_places_fields.html):
   department -> province -> district of each row fill in place. Without this file the rows'
   "Update" buttons re-render the page on the server. */
(function () {
  "use strict";
  var form = document.getElementById("complaint-form");
  var section = document.getElementById("places");
  if (!form || !section || !window.fetch) { return; }
  var urlPattern = form.getAttribute("data-ubigeo-url");
  if (!urlPattern) { return; }

  function fill(select, code) {
    while (select.options.length > 1) { select.remove(1); }
    select.value = "";
    if (!code) { return; }
    select.setAttribute("aria-busy", "true");
    fetch(urlPattern.replace("CODE", encodeURIComponent(code)), {
      credentials: "same-origin", headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.ok ? response.json() : { children: [] };
    }).then(function (data) {
      data.children.forEach(function (child) { select.add(new Option(child.name, child.code)); });
    }).catch(function () {
      section.classList.remove("places-enhanced");  // the buttons come back
    }).then(function () { select.removeAttribute("aria-busy"); });
  }

  section.classList.add("places-enhanced");
  section.querySelectorAll("[data-place-row]").forEach(function (row) {
    var department = row.querySelector("select[name$='-department']");
    var province = row.querySelector("select[name$='-province']");
    var district = row.querySelector("select[name$='-district']");
    if (!department || !province || !district) { return; }
    department.addEventListener("change", function () {
      fill(district, "");
      fill(province, department.value);
    });
    province.addEventListener("change", function () { fill(district, province.value); });
  });
})();
