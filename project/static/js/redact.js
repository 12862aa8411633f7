/* Redaction page: draw rectangles on the exhibit image with the mouse (or a pen or finger).
 *
 * Each rectangle is kept in the ORIGINAL image's pixels (the image as shown upright, which is what the
 * server calls its coordinates): the position on screen is scaled by the image's natural size over its
 * displayed size, rounded outwards so a rectangle never covers less than what was drawn. The list goes
 * into the hidden "regions" field as JSON: [{"x":..,"y":..,"w":..,"h":..}, ...]. Lines typed in the
 * textarea (x,y,w,h) are drawn too, dashed, so both ways can be checked on the image before saving.
 * Suggested rectangles (the checkboxes named "accepted", each valued x,y,w,h) are outlined in blue with
 * their number; a ticked one is shaded like a drawn one. The form sends the ticked ones itself.
 * No inline script or style: this file is loaded with "defer" and draws on a canvas.
 */
(function () {
  "use strict";

  var stage = document.getElementById("redact-stage");
  if (!stage) {
    return;
  }
  var image = document.getElementById("redact-image");
  var canvas = document.getElementById("redact-canvas");
  var field = document.getElementById("regions");
  var typed = document.getElementById("typed_regions");
  var list = document.getElementById("redact-list");
  var clearButton = document.getElementById("redact-clear");
  var help = document.getElementById("redact-draw-help");
  var mismatch = document.getElementById("redact-mismatch");
  var width = parseInt(stage.getAttribute("data-width"), 10);
  var height = parseInt(stage.getAttribute("data-height"), 10);
  var suggestions = Array.prototype.slice.call(document.querySelectorAll("input[name='accepted']"));
  var LINE = /^\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*$/;
  var MIN_DRAG = 3; // screen pixels: a shorter drag is a click, not a rectangle

  var drawn = readField();
  var start = null;
  var current = null;

  function isRegion(value) {
    return value !== null && typeof value === "object" &&
      ["x", "y", "w", "h"].every(function (key) { return Number.isInteger(value[key]); });
  }

  function readField() {
    try {
      var value = JSON.parse(field.value || "[]");
      return Array.isArray(value) ? value.filter(isRegion) : [];
    } catch (error) {
      return [];
    }
  }

  function regionsIn(lines) {
    return lines.map(function (line) {
      var match = LINE.exec(line);
      return match ? {x: +match[1], y: +match[2], w: +match[3], h: +match[4]} : null;
    }).filter(Boolean);
  }

  function typedRegions() {
    return typed ? regionsIn(typed.value.split(/\r?\n/)) : [];
  }

  function paintSuggestions(context, line) {
    context.save();
    context.setLineDash([]);
    context.font = Math.round(line * 8) + "px sans-serif";
    context.textBaseline = "top";
    suggestions.forEach(function (box, index) {
      var region = regionsIn([box.value])[0];
      if (!region) {
        return;
      }
      if (box.checked) {
        context.fillStyle = "rgba(0, 0, 0, 0.75)";
        context.fillRect(region.x, region.y, region.w, region.h);
      }
      context.strokeStyle = "#1d4ed8";
      context.lineWidth = line * 1.5;
      context.strokeRect(region.x, region.y, region.w, region.h);
      context.fillStyle = "#1d4ed8";
      context.fillRect(region.x, region.y, line * 9, line * 9);
      context.fillStyle = "#ffffff";
      context.fillText(String(index + 1), region.x + line, region.y + line / 2);
    });
    context.restore();
  }

  function clamp(value, low, high) {
    return Math.min(Math.max(value, low), high);
  }

  // Where the pointer is, in original image pixels (fractional; rounded when the rectangle is made).
  function pointFrom(event) {
    var box = canvas.getBoundingClientRect();
    return {
      x: clamp((event.clientX - box.left) * width / box.width, 0, width),
      y: clamp((event.clientY - box.top) * height / box.height, 0, height),
      screenX: event.clientX,
      screenY: event.clientY
    };
  }

  function rectangleBetween(a, b) {
    var left = Math.floor(Math.min(a.x, b.x));
    var top = Math.floor(Math.min(a.y, b.y));
    var right = Math.ceil(Math.max(a.x, b.x));
    var bottom = Math.ceil(Math.max(a.y, b.y));
    return {x: left, y: top, w: Math.max(1, right - left), h: Math.max(1, bottom - top)};
  }

  function paint() {
    var ratio = window.devicePixelRatio || 1;
    canvas.width = Math.max(1, Math.round(image.clientWidth * ratio));
    canvas.height = Math.max(1, Math.round(image.clientHeight * ratio));
    var context = canvas.getContext("2d");
    context.setTransform(canvas.width / width, 0, 0, canvas.height / height, 0, 0);
    var line = Math.max(width / image.clientWidth, 1) * 2;
    context.lineWidth = line;
    context.fillStyle = "rgba(0, 0, 0, 0.75)";
    paintSuggestions(context, line);
    context.strokeStyle = "#f0a202";
    drawn.forEach(function (region) {
      context.fillRect(region.x, region.y, region.w, region.h);
      context.strokeRect(region.x, region.y, region.w, region.h);
    });
    context.setLineDash([line * 3, line * 2]);
    typedRegions().forEach(function (region) {
      context.fillRect(region.x, region.y, region.w, region.h);
      context.strokeRect(region.x, region.y, region.w, region.h);
    });
    if (start && current) {
      var pending = rectangleBetween(start, current);
      context.strokeStyle = "#a4161a";
      context.strokeRect(pending.x, pending.y, pending.w, pending.h);
    }
  }

  function describe(region) {
    return region.x + "," + region.y + "," + region.w + "," + region.h;
  }

  function renderList() {
    list.textContent = "";
    drawn.forEach(function (region, index) {
      var item = document.createElement("li");
      item.appendChild(document.createTextNode(
        "x " + region.x + ", y " + region.y + ", " + region.w + " x " + region.h + " pixels (" + describe(region) + ") "
      ));
      var remove = document.createElement("button");
      remove.type = "button";
      remove.textContent = "Remove";
      remove.setAttribute("aria-label", "Remove rectangle " + (index + 1) + " (" + describe(region) + ")");
      remove.addEventListener("click", function () {
        drawn.splice(index, 1);
        update();
        (list.querySelector("button") || typed || image).focus();
      });
      item.appendChild(remove);
      list.appendChild(item);
    });
    clearButton.hidden = drawn.length === 0;
  }

  function update() {
    field.value = drawn.length ? JSON.stringify(drawn) : "";
    renderList();
    paint();
  }

  function cancelDrag() {
    start = null;
    current = null;
    paint();
  }

  function onDown(event) {
    if (event.button !== 0) {
      return;
    }
    event.preventDefault();
    try {
      canvas.setPointerCapture(event.pointerId); // keep the drag when the pointer leaves the image
    } catch (error) {
      // no capture: the drag still ends on pointerup over the canvas
    }
    start = pointFrom(event);
    current = start;
  }

  function onMove(event) {
    if (start) {
      current = pointFrom(event);
      paint();
    }
  }

  function onUp(event) {
    if (!start) {
      return;
    }
    var end = pointFrom(event);
    var moved = Math.abs(end.screenX - start.screenX) >= MIN_DRAG && Math.abs(end.screenY - start.screenY) >= MIN_DRAG;
    if (moved) {
      drawn.push(rectangleBetween(start, end));
    }
    start = null;
    current = null;
    update();
  }

  function enable() {
    if (image.naturalWidth !== width || image.naturalHeight !== height) {
      // The browser shows the file differently from the server's upright reading: drawing would misplace.
      mismatch.hidden = false;
      return;
    }
    canvas.hidden = false;
    help.hidden = false;
    stage.classList.add("is-drawable");
    canvas.addEventListener("pointerdown", onDown);
    canvas.addEventListener("pointermove", onMove);
    canvas.addEventListener("pointerup", onUp);
    canvas.addEventListener("pointercancel", cancelDrag);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && start) {
        cancelDrag();
      }
    });
    window.addEventListener("resize", paint);
    if (typed) {
      typed.addEventListener("input", paint);
    }
    suggestions.forEach(function (box) {
      box.addEventListener("change", paint);
    });
    clearButton.addEventListener("click", function () {
      drawn = [];
      update();
    });
    update();
  }

  if (image.complete && image.naturalWidth) {
    enable();
  } else {
    image.addEventListener("load", enable);
  }
}());
