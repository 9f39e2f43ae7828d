// Exam page: autosave with sequence numbers, and a timer read from the server.
// Without this script the exam still works: every page is a plain form.
(function () {
  "use strict";
  var form = document.getElementById("exam-form");
  var timer = document.getElementById("timer");
  if (!form || !timer) return;

  // The plain-form advice is for browsers without this script.
  var noScript = document.getElementById("exam-no-script");
  if (noScript) noScript.hidden = true;
  var statusEl = document.getElementById("save-status");
  var announce = document.getElementById("timer-announce");
  var saveUrl = form.dataset.saveUrl;
  var statusUrl = timer.dataset.statusUrl;
  var seq = parseInt(form.dataset.seq, 10) || 0;
  var dirty = false, inFlight = false, debounce = null, retryDelay = 1000, closed = false;

  function setStatus(text, state) {
    statusEl.textContent = text;
    statusEl.dataset.state = state;
  }

  // --- autosave --------------------------------------------------------------
  function payload() {
    var data = new FormData(form);
    data.delete("go");
    seq += 1;
    data.set("seq", String(seq));
    return data;
  }

  function save() {
    if (inFlight || closed) return;
    if (!dirty) return;
    inFlight = true;
    dirty = false;
    setStatus("Saving…", "saving");
    fetch(saveUrl, {
      method: "POST",
      body: payload(),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        return response.json().then(function (body) { return { status: response.status, body: body }; });
      })
      .then(function (result) {
        inFlight = false;
        var body = result.body;
        if (result.status === 409) {
          closed = true;
          setStatus(body.message || "Time is up: answers are no longer accepted.", "closed");
          return;
        }
        if (result.status >= 400) {
          setStatus(body.message || "Not saved — check your answer.", "error");
          return;
        }
        if (typeof body.seq === "number" && body.seq > seq) seq = body.seq;
        if (!body.applied) {
          // A newer save reached the server first; send ours again as the newest.
          dirty = true;
          schedule(200);
          return;
        }
        retryDelay = 1000;
        if (typeof body.remaining_seconds === "number") syncClock(body.remaining_seconds);
        var answered = document.getElementById("answered-count");
        if (answered && typeof body.answered_on_page === "number") {
          // The save counts its own page; the page was served with the others' count.
          answered.textContent = Number(answered.dataset.elsewhere || 0) + body.answered_on_page;
        }
        setStatus(dirty ? "Saving…" : "Saved", dirty ? "saving" : "saved");
        if (dirty) schedule(300);
        else continueHandIn();
      })
      .catch(function () {
        inFlight = false;
        dirty = true;
        setStatus("Not saved — retrying", "retrying");
        schedule(retryDelay);
        retryDelay = Math.min(retryDelay * 2, 15000);
      });
  }

  function schedule(delay) {
    clearTimeout(debounce);
    debounce = setTimeout(save, delay);
  }

  function changed() {
    if (closed) return;
    dirty = true;
    setStatus("Not saved yet", "pending");
    schedule(1000);
  }

  // A hand-in (file upload or removal) is its own form post: save the answers
  // first so leaving the page for it loses nothing.
  var pendingHandIn = null;
  Array.prototype.forEach.call(document.querySelectorAll("form.hand-in-form"), function (handIn) {
    handIn.addEventListener("submit", function (event) {
      if (!dirty && !inFlight) return;
      event.preventDefault();
      pendingHandIn = handIn;
      setStatus("Saving before the hand-in…", "saving");
      schedule(0);
    });
  });
  function continueHandIn() {
    if (pendingHandIn && !dirty && !inFlight) {
      var target = pendingHandIn;
      pendingHandIn = null;
      target.submit();
    }
  }

  form.addEventListener("change", changed);
  form.addEventListener("input", changed);
  window.addEventListener("online", function () { if (dirty) schedule(0); });
  form.addEventListener("submit", function () { dirty = false; closed = true; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty || inFlight) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // --- timer: an end time from the server's remaining seconds, never a tick count --
  var endsAt = Date.now() + (parseInt(timer.dataset.remaining, 10) || 0) * 1000;
  var announced = {};

  function syncClock(remainingSeconds) {
    endsAt = Date.now() + remainingSeconds * 1000;
  }

  function format(seconds) {
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    var mm = (h ? String(m).padStart(2, "0") : String(m));
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }

  function render() {
    var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
    timer.textContent = format(left);
    [30, 10, 5, 1].forEach(function (minutes) {
      if (left <= minutes * 60 && left > minutes * 60 - 60 && !announced[minutes]) {
        announced[minutes] = true;
        announce.textContent = minutes === 1 ? "One minute left." : minutes + " minutes left.";
      }
    });
    if (left === 0 && !announced.end) {
      announced.end = true;
      announce.textContent = "Time is up.";
      timer.closest(".exam-bar").classList.add("exam-bar--ended");
    }
  }

  function poll() {
    fetch(statusUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (body) {
        syncClock(body.remaining_seconds);
        if (body.seq > seq) seq = body.seq;
        if (!body.accepts_answers) {
          closed = true;
          setStatus("Time is up: answers are no longer accepted.", "closed");
        }
      })
      .catch(function () { /* offline: the local end time keeps counting */ });
  }

  render();
  setInterval(render, 1000);
  setInterval(poll, 30000);
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { render(); poll(); }
  });
})();
