/* Reading the QR code of a paper form with the phone's camera: a small progressive enhancement.
 *
 * <input type="text" name="paper_serial" data-qr-scan> gets a "Leer código QR" button when the
 * browser has the BarcodeDetector API with QR support and a camera (getUserMedia over HTTPS).
 * Elsewhere nothing changes: typing always works, and the server checks the serial either way.
 *
 * Optional attributes (the template passes translated text):
 *   data-qr-scan-label   button text          (default "Leer código QR")
 *   data-qr-cancel-label cancel button text   (default "Cancelar")
 *   data-qr-help-label   shown while reading  (default "Apunte la cámara al código QR del formulario.")
 *   data-qr-error-label  camera unavailable   (default "No se pudo usar la cámara. Escriba el número de serie.")
 *   data-qr-done-label   announced when read  (default "Código leído:")
 *   data-qr-prefix       accepted prefix      (default "RETA-"; other codes are ignored)
 * No library, no CDN, no inline script or style attribute in the page (the CSP forbids them).
 */
(function () {
  "use strict";

  var inputs = document.querySelectorAll("input[data-qr-scan]");
  if (!inputs.length) return;
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;

  function text(input, name, fallback) {
    return input.getAttribute("data-qr-" + name) || fallback;
  }

  function enhance(input) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button-small qr-scan-button";
    button.textContent = text(input, "scan-label", "Leer código QR");
    if (input.id) button.setAttribute("aria-controls", input.id);
    input.insertAdjacentElement("afterend", button);

    var status = document.createElement("p");
    status.className = "help qr-scan-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    button.insertAdjacentElement("afterend", status);

    var panel = null;
    var stream = null;
    var timer = null;
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    var prefix = text(input, "prefix", "RETA-");

    function stop() {
      if (timer) window.clearTimeout(timer);
      timer = null;
      if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
      if (panel) panel.remove();
      panel = null;
      button.disabled = false;
    }

    function found(value) {
      input.value = value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
      stop();
      status.textContent = text(input, "done-label", "Código leído:") + " " + value;
      input.focus();
    }

    function scan(video) {
      if (!stream) return;
      detector.detect(video).then(function (codes) {
        for (var i = 0; i < codes.length; i++) {
          var value = (codes[i].rawValue || "").trim();
          if (value && (!prefix || value.toUpperCase().indexOf(prefix) === 0)) {
            found(value);
            return;
          }
        }
        timer = window.setTimeout(function () { scan(video); }, 250);
      }).catch(function () {
        timer = window.setTimeout(function () { scan(video); }, 500);
      });
    }

    function start() {
      if (panel) return;
      button.disabled = true;
      status.textContent = text(input, "help-label", "Apunte la cámara al código QR del formulario.");
      panel = document.createElement("div");
      panel.className = "qr-scan-panel";
      var video = document.createElement("video");
      video.setAttribute("playsinline", "");
      video.setAttribute("aria-hidden", "true");
      video.muted = true;
      video.style.display = "block";
      video.style.width = "100%";
      video.style.maxWidth = "22rem";
      video.style.marginTop = ".4rem";
      var cancel = document.createElement("button");
      cancel.type = "button";
      cancel.className = "button-small";
      cancel.textContent = text(input, "cancel-label", "Cancelar");
      cancel.addEventListener("click", function () {
        stop();
        status.textContent = "";
        input.focus();
      });
      panel.appendChild(video);
      panel.appendChild(cancel);
      status.insertAdjacentElement("afterend", panel);
      cancel.focus();
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (media) {
        if (!panel) { media.getTracks().forEach(function (track) { track.stop(); }); return; }
        stream = media;
        video.srcObject = media;
        return video.play().then(function () { scan(video); });
      }).catch(function () {
        stop();
        status.textContent = text(input, "error-label", "No se pudo usar la cámara. Escriba el número de serie.");
        input.focus();
      });
    }

    button.addEventListener("click", start);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && panel) {
        stop();
        status.textContent = "";
        input.focus();
      }
    });
    window.addEventListener("pagehide", stop);
  }

  window.BarcodeDetector.getSupportedFormats().then(function (formats) {
    if (formats.indexOf("qr_code") === -1) return;
    inputs.forEach(enhance);
  }).catch(function () { /* no detector after all: typing still works */ });
})();
