/* A form marked data-once submits once: the button is disabled and says so on the first submit.
   The server does not depend on it: the form carries an idempotency key, so a second submit that
   gets through (a reload, a back button) replays the first answer instead of charging again. */
(function () {
  "use strict";
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.submitted === "1") { event.preventDefault(); return; }
      form.dataset.submitted = "1";
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = true;
        button.setAttribute("aria-busy", "true");
        button.textContent = button.dataset.busy || "Please wait…";
      });
    });
  });
})();
