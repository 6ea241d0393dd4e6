// Optional autosave for quiz attempts: posts a question's answer when it changes.
// Without this script the "Lagre svarene" button saves the same way.
(function () {
  "use strict";
  var form = document.querySelector("form.quiz-form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = form.querySelector(".quiz-save-status");
  var revision = form.querySelector("input[name=revision]");
  var csrf = form.querySelector("input[name=csrf_token]");
  var queue = Promise.resolve();
  var pending = 0;

  function save(fieldset) {
    var data = new FormData();
    if (csrf) { data.append("csrf_token", csrf.value); }
    var names = {};
    fieldset.querySelectorAll("input, select").forEach(function (el) { names[el.name] = true; });
    var posted = new FormData(form);
    Object.keys(names).forEach(function (name) {
      var values = posted.getAll(name);
      if (values.length === 0) { data.append(name, ""); }
      values.forEach(function (v) { data.append(name, v); });
    });
    data.append("revision", revision.value);
    return fetch(form.getAttribute("data-autosave"), {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) {
        if (response.ok) {
          revision.value = body.revision;
          status.textContent = body.message;
        } else {
          status.textContent = body.error;
        }
      });
    }).catch(function () {
      status.textContent = form.getAttribute("data-offline") || "";
    });
  }

  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("fieldset");
    if (!fieldset) { return; }
    pending += 1;
    queue = queue.then(function () { return save(fieldset); })
      .then(function () { pending -= 1; });
  });

  // A submit while an autosave is still on its way would carry the old revision and be
  // refused as outdated: wait for the saves, then submit with the new revision.
  form.addEventListener("submit", function (event) {
    if (pending === 0) { return; }
    event.preventDefault();
    var submitter = event.submitter;
    queue.then(function () {
      if (form.requestSubmit && submitter) { form.requestSubmit(submitter); }
      else { form.submit(); }
    });
  });
})();
