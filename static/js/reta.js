/* Small progressive enhancements only: every page works without this file. */
(function () {
  "use strict";
  // The language switch submits itself when a language is chosen.
  document.querySelectorAll(".language-switch select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
