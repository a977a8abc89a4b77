// The kiosk goes back to its start screen when nobody touches it: after data-idle-seconds a
// warning counts data-warn-seconds down, with a button to stay (WCAG 2.2.1); any touch, key
// or scroll starts the count again. The next person never sees the last one's dossier.
(function () {
  "use strict";
  var body = document.body;
  var start = body.getAttribute("data-start") || "/kiosk/";
  var idle = parseInt(body.getAttribute("data-idle-seconds"), 10) || 60;
  var warn = parseInt(body.getAttribute("data-warn-seconds"), 10) || 20;
  var box = document.getElementById("idle-warning");
  var seconds = document.getElementById("idle-seconds");
  var stay = document.getElementById("idle-stay");
  var idleTimer = null, tick = null, left = warn;

  function reset() {
    window.location.replace(start);
  }
  function countDown() {
    left -= 1;
    seconds.textContent = String(left);
    if (left <= 0) { clearInterval(tick); reset(); }
  }
  function warnNow() {
    left = warn;
    seconds.textContent = String(left);
    box.hidden = false;
    stay.focus();
    tick = setInterval(countDown, 1000);
  }
  function awake() {
    clearTimeout(idleTimer);
    clearInterval(tick);
    if (!box.hidden) { box.hidden = true; }
    idleTimer = setTimeout(warnNow, idle * 1000);
  }
  ["pointerdown", "keydown", "scroll", "input"].forEach(function (name) {
    window.addEventListener(name, awake, { passive: true });
  });
  stay.addEventListener("click", awake);
  awake();
})();
