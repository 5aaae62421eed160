// Small helpers for HTX Nữ pages; everything works without them, they only save taps.
// No inline handlers (onclick=…): the Content-Security-Policy refuses them, so pages say
// what they want with data attributes and these listeners act on them.

// Add a picked person (from an HTMX search result) to the form's list of named attendees.
function htxPick(name, id, label) {
  var list = document.getElementById("picked");
  if (!list || list.querySelector('input[name="' + name + '"][value="' + id + '"]')) return;
  var li = document.createElement("li");
  var labelEl = document.createElement("label");
  var input = document.createElement("input");
  input.type = "checkbox";
  input.checked = true;
  input.name = name;
  input.value = id;
  labelEl.appendChild(input);
  labelEl.appendChild(document.createTextNode(" " + label));
  li.appendChild(labelEl);
  list.appendChild(li);
}

document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-pick]");
  if (button) htxPick(button.dataset.pick, button.dataset.id, button.dataset.label);
});

// A button or a form with data-confirm asks first; cancelling stops the submission.
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
});
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.matches("form[data-confirm]") && !window.confirm(form.dataset.confirm)) event.preventDefault();
});

// A form with data-autosubmit applies as soon as one of its fields changes.
document.addEventListener("change", function (event) {
  if (event.target.matches("input.date-native")) return;  // its dd/mm/yyyy field changes next
  var form = event.target.closest("form[data-autosubmit]");
  if (form) form.submit();
});

// A form answered with 422 (or 409, a conflict) carries its own errors and the values
// typed: htmx swaps only 2xx by default, so without this the officer would see nothing.
// Other errors keep htmx's default (no swap) and show the page's general error line.
if (window.htmx) {
  htmx.config.responseHandling = [
    {code: "204", swap: false},
    {code: "[23]..", swap: true},
    {code: "409|422", swap: true, error: false},
    {code: "[45]..", swap: false, error: true},
    {code: "...", swap: false},
  ];
}
document.addEventListener("htmx:responseError", function () {
  var line = document.getElementById("request-error");
  if (line) line.hidden = false;
});
document.addEventListener("htmx:beforeRequest", function () {
  var line = document.getElementById("request-error");
  if (line) line.hidden = true;
});

// Date fields (registry.forms.DateInput): typed as dd/mm/yyyy; the calendar button beside
// one opens the browser's own date picker on a hidden native date input, and the day
// picked is written back as dd/mm/yyyy. The button is hidden until this script runs.
function htxShowDateButtons(root) {
  root.querySelectorAll(".date-button[hidden]").forEach(function (button) { button.hidden = false; });
}
document.addEventListener("DOMContentLoaded", function () { htxShowDateButtons(document); });
document.addEventListener("htmx:load", function (event) { htxShowDateButtons(event.target); });
document.addEventListener("click", function (event) {
  var button = event.target.closest(".date-button");
  if (!button) return;
  var text = button.parentElement.querySelector("input.date-text");
  var native = button.parentElement.querySelector("input.date-native");
  var day = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text.value);
  native.value = day ? day[3] + "-" + day[2].padStart(2, "0") + "-" + day[1].padStart(2, "0") : "";
  try {
    native.showPicker();
  } catch (error) {
    native.focus();
    native.click();
  }
});
document.addEventListener("change", function (event) {
  if (!event.target.matches("input.date-native")) return;
  var parts = event.target.value.split("-");
  if (parts.length !== 3) return;
  var text = event.target.parentElement.querySelector("input.date-text");
  text.value = parts[2] + "/" + parts[1] + "/" + parts[0];
  text.dispatchEvent(new Event("change", {bubbles: true}));
});
