/* Progressive enhancement of the complaint form (templates/complaints/complaint_form.html).
   Every feature works without this file: the page's buttons re-render it on the server. */
(function () {
  "use strict";

  var form = document.getElementById("complaint-form");
  if (!form || !window.fetch) { return; }
  form.classList.add("js-enhanced");

  // ------------------------------------------------------------ department -> province -> district
  var urlPattern = form.getAttribute("data-ubigeo-url");
  var department = document.getElementById("id_department");
  var province = document.getElementById("id_province");
  var district = document.getElementById("id_place_district");

  function clearList(select) {
    while (select.options.length > 1) { select.remove(1); }  // keep the "choose" option
    select.value = "";
  }

  function fillList(select, code) {
    clearList(select);
    if (!code) { return Promise.resolve(); }
    select.setAttribute("aria-busy", "true");
    return fetch(urlPattern.replace("CODE", encodeURIComponent(code)), {
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (response.ok) { document.dispatchEvent(new CustomEvent("reta:server-activity")); }
      return response.ok ? response.json() : { children: [] };
    }).then(function (data) {
      data.children.forEach(function (child) { select.add(new Option(child.name, child.code)); });
    }).catch(function () {
      // Offline or failed: the "Update" buttons come back so the server can do it.
      form.classList.remove("js-enhanced");
    }).then(function () {
      select.removeAttribute("aria-busy");
    });
  }

  if (urlPattern && department && province && district) {
    department.addEventListener("change", function () {
      clearList(district);
      fillList(province, department.value);
    });
    province.addEventListener("change", function () {
      fillList(district, province.value);
    });
  }

  // ------------------------------------------------------------ origin: show the fields that apply
  var origins = form.querySelectorAll("input[name='origin']");
  var details = form.querySelectorAll(".origin-detail");

  function showOriginDetails() {
    var chosen = form.querySelector("input[name='origin']:checked");
    var value = chosen ? chosen.value : "";
    details.forEach(function (detail) {
      var applies = detail.getAttribute("data-origin") === value;
      var hasError = detail.classList.contains("field-error");
      var input = detail.querySelector("input");
      detail.hidden = !(applies || hasError || (input && input.value));
    });
  }
  origins.forEach(function (radio) { radio.addEventListener("change", showOriginDetails); });
  showOriginDetails();

  // ------------------------------------------------------------ Enter in a field does not send the form
  form.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === "Enter" && target.tagName === "INPUT" && target.type !== "submit" && target.type !== "button") {
      event.preventDefault();
    }
  });
})();
