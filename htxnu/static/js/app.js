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
