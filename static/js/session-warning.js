/* The complaint form's idle warning (issue 10.1): a few minutes before the session's idle limit,
   say so; "Stay signed in" asks the server (any signed-in request is activity) and starts again.
   Without JavaScript nothing is lost either: a form sent after expiry is kept for its user. */
(function () {
  "use strict";
  function start() {
    var form = document.getElementById("complaint-form");
    var box = document.getElementById("session-warning");
    if (!form || !box) { return; }
    var idle = parseInt(form.getAttribute("data-idle-seconds"), 10) * 1000;
    var before = parseInt(form.getAttribute("data-warning-seconds"), 10) * 1000;
    var url = form.getAttribute("data-keepalive-url");
    var warnText = document.getElementById("session-warning-text");
    var expiredText = document.getElementById("session-expired-text");
    var button = document.getElementById("session-keepalive");
    var timers = [];
    if (!(idle > 0)) { return; }
    function show(expired) {
      box.hidden = false;
      warnText.hidden = expired;
      expiredText.hidden = !expired;
      button.hidden = expired;
    }
    function arm() {
      timers.forEach(clearTimeout);
      box.hidden = true;
      timers = [
        setTimeout(function () { show(false); }, Math.max(idle - before, 0)),
        setTimeout(function () { show(true); }, idle)
      ];
    }
    button.addEventListener("click", function () {
      fetch(url, { credentials: "same-origin", redirect: "manual" }).then(function (response) {
        if (response.status === 204) { arm(); } else { show(true); }
      }, function () { show(true); });
    });
    /* The place lists' requests reach the server too: they count as activity. */
    document.addEventListener("reta:server-activity", arm);
    arm();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
