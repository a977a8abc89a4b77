/* The display board: live by server-sent events, polling when they fail, speaking each call
   in Vietnamese when the browser has a Vietnamese voice and chiming otherwise. The page is
   drawn by the server; this script only keeps it current. */
(function () {
  "use strict";
  var root = document.getElementById("board");
  if (!root) { return; }
  var lastId = parseInt(root.dataset.lastEvent || "0", 10);
  var modeEl = document.getElementById("board-mode");
  var soundButton = document.getElementById("sound-toggle");
  var POLL_MS = 2000, REFRESH_MS = 30000, REOPEN_MS = 30000, HIGHLIGHT_MS = 15000, RECENT = 6;
  var source = null, pollTimer = null, reopenTimer = null, failures = 0;
  var soundOn = false, voice = null;

  function setMode(text, mode) {
    modeEl.textContent = text;
    root.dataset.mode = mode;
  }

  function findVoice() {
    var voices = window.speechSynthesis ? window.speechSynthesis.getVoices() : [];
    for (var i = 0; i < voices.length; i++) {
      if ((voices[i].lang || "").toLowerCase().indexOf("vi") === 0) { return voices[i]; }
    }
    return null;
  }
  if (window.speechSynthesis) {
    voice = findVoice();
    window.speechSynthesis.onvoiceschanged = function () { voice = findVoice(); };
  }

  function chime() {
    var audio = new Audio(root.dataset.chime);
    var played = audio.play();
    if (played && played.catch) { played.catch(function () {}); }
  }

  function say(text) {
    var utterance = new window.SpeechSynthesisUtterance(text);
    utterance.voice = voice;
    utterance.lang = voice.lang || "vi-VN";
    utterance.rate = 0.9;
    window.speechSynthesis.speak(utterance);
  }

  function announce(event) {
    root.dataset.announced = String(event.id);
    root.dataset.announcedWith = !soundOn ? "none" : (voice ? "voice" : "chime");
    if (!soundOn) { return; }
    chime();
    if (voice) { window.setTimeout(function () { say(event.text); }, 900); }
  }

  function setCounter(counterId, number, service, flash) {
    var cell = root.querySelector('[data-counter="' + counterId + '"]');
    if (!cell) { return; }
    cell.querySelector('[data-role="number"]').textContent = number;
    cell.querySelector('[data-role="service"]').textContent = service;
    if (flash) {
      cell.classList.add("flash");
      window.setTimeout(function () { cell.classList.remove("flash"); }, HIGHLIGHT_MS);
    }
  }

  function addRecent(event) {
    var list = document.getElementById("recent-list");
    var empty = list.querySelector(".empty");
    if (empty) { empty.remove(); }
    var old = list.querySelectorAll(".latest");
    for (var i = 0; i < old.length; i++) { old[i].classList.remove("latest"); }
    var item = document.createElement("li");
    item.className = "latest";
    item.dataset.event = String(event.id);
    var number = document.createElement("span");
    number.className = "recent-number";
    number.textContent = event.number;
    var arrow = document.createElement("span");
    arrow.className = "recent-arrow";
    arrow.setAttribute("aria-hidden", "true");
    arrow.textContent = "→";
    var counter = document.createElement("span");
    counter.className = "recent-counter";
    counter.textContent = "Quầy " + event.counter;
    item.append(number, " ", arrow, " ", counter);
    list.prepend(item);
    while (list.children.length > RECENT) { list.lastElementChild.remove(); }
  }

  function setWaiting(counts) {
    var items = root.querySelectorAll("#waiting-list [data-service]");
    for (var i = 0; i < items.length; i++) {
      var n = counts[items[i].dataset.service];
      items[i].querySelector('[data-role="count"]').textContent = n === undefined ? 0 : n;
    }
  }

  function applyEvent(event) {
    if (event.id <= lastId) { return; }
    lastId = event.id;
    root.dataset.lastEvent = String(lastId);
    setCounter(event.counter_id, event.number, event.service, true);
    addRecent(event);
    document.getElementById("announce").textContent = event.text;
    if (event.waiting) { setWaiting(event.waiting); }
    announce(event);
  }

  function applyState(state) {
    var missed = state.recent.filter(function (e) { return e.id > lastId; }).reverse();
    missed.forEach(applyEvent);
    state.counters.forEach(function (c) {
      if (c.current) { setCounter(c.id, c.current.number, c.current.service, false); }
    });
    var counts = {};
    state.waiting.forEach(function (w) { counts[w.service_id] = w.count; });
    setWaiting(counts);
  }

  function fetchState() {
    return window.fetch(root.dataset.stateUrl, { cache: "no-store", credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(applyState);
  }

  function poll() {
    fetchState().then(
      function () { if (pollTimer) { setMode("Cập nhật định kỳ", "polling"); } },
      function () { setMode("Mất kết nối, đang thử lại…", "offline"); }
    );
  }

  function startPolling() {
    if (pollTimer) { return; }
    pollTimer = window.setInterval(poll, POLL_MS);
    poll();
  }

  function stopPolling() {
    if (pollTimer) { window.clearInterval(pollTimer); pollTimer = null; }
  }

  function openStream() {
    if (!window.EventSource) { startPolling(); return; }
    if (source) { source.close(); }
    source = new window.EventSource(root.dataset.streamUrl + "&after=" + lastId);
    source.addEventListener("open", function () {
      failures = 0;
      stopPolling();
      setMode("Trực tiếp", "live");
    });
    source.addEventListener("call", function (message) {
      applyEvent(JSON.parse(message.data));
    });
    source.addEventListener("error", function () {
      failures += 1;
      if (source.readyState === window.EventSource.CLOSED || failures >= 3) {
        // The stream is refused or keeps breaking: poll, and try the stream again later.
        source.close();
        source = null;
        startPolling();
        window.clearTimeout(reopenTimer);
        reopenTimer = window.setTimeout(openStream, REOPEN_MS);
      } else {
        setMode("Đang kết nối lại…", "reconnecting");
      }
    });
  }

  function setSound(on) {
    soundOn = on;
    soundButton.setAttribute("aria-pressed", on ? "true" : "false");
    soundButton.textContent = on ? "Tắt âm thanh" : "Bật âm thanh";
    if (on) { chime(); }
  }
  soundButton.addEventListener("click", function () { setSound(!soundOn); });
  if (new URLSearchParams(window.location.search).get("am-thanh") === "1") { setSound(true); }

  // Waiting counts change with every ticket taken: refresh them now and then.
  window.setInterval(function () { if (!pollTimer) { fetchState().catch(function () {}); } }, REFRESH_MS);
  if (new URLSearchParams(window.location.search).get("che-do") === "tham-do") {
    startPolling();  // forced polling (a proxy that cannot stream)
  } else {
    openStream();
  }
})();
