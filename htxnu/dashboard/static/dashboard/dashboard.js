// Dashboards: download a chart as PNG (drawn from its SVG on a canvas, in the browser:
// nothing leaves the page). The switches apply as soon as one changes (data-autosubmit, app.js).
(function () {
  function download(svg, name) {
    var width = svg.viewBox.baseVal.width || svg.clientWidth;
    var height = svg.viewBox.baseVal.height || svg.clientHeight;
    var source = new XMLSerializer().serializeToString(svg);
    var image = new Image();
    image.onload = function () {
      var canvas = document.createElement("canvas");
      canvas.width = width * 2;
      canvas.height = height * 2;
      var context = canvas.getContext("2d");
      context.scale(2, 2);
      context.drawImage(image, 0, 0, width, height);
      canvas.toBlob(function (blob) {
        var link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = name + ".png";
        document.body.appendChild(link);
        link.click();
        setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
      }, "image/png");
    };
    image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(source);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-png]");
    if (!button) return;
    var svg = button.closest("figure").querySelector("svg");
    if (svg) download(svg, button.getAttribute("data-png"));
  });
})();
