// Small helpers for HTX Nữ pages; everything works without them, they only save taps.

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
