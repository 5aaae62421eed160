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
