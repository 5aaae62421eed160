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
