// The quoteapi widget in one line of HTML:
//
//   <script src="https://QUOTEAPI-HOST/embed.js" data-speaker="John Kirby" async></script>
//
// puts an iframe of QUOTEAPI-HOST/embed right after the script tag. Its data-*
// attributes become the widget's filters (data-q, data-speaker, data-speaker-id,
// data-outlet, data-kind, data-from, data-to, data-sort, data-page-size); data-height
// fixes the iframe's height in pixels (otherwise it grows to fit the quotes) and
// data-title names the frame for screen readers. The host page's origin must be one of
// the server's QUOTEAPI_CORS_ORIGINS, or the browser refuses to show the frame.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src) return;
  var base = new URL(script.src);
  var src = new URL("/embed", base);
  var data = script.dataset;
  var own = { height: true, title: true };
  Object.keys(data).forEach(function (key) {
    if (own[key] || !data[key]) return;
    // data-speaker-id arrives as speakerId; the widget's parameter is speaker_id.
    var name = key.replace(/[A-Z]/g, function (c) {
      return "_" + c.toLowerCase();
    });
    src.searchParams.set(name, data[key]);
  });

  var frame = document.createElement("iframe");
  frame.src = src.href;
  frame.title = data.title || "Quote search";
  frame.loading = "lazy";
  frame.referrerPolicy = "origin";
  frame.className = "quoteapi-widget";
  frame.style.width = "100%";
  frame.style.maxWidth = "48rem";
  frame.style.border = "1px solid #d0d4da";
  frame.style.borderRadius = "6px";
  frame.style.display = "block";
  var fixed = parseInt(data.height, 10);
  frame.style.height = (fixed > 0 ? fixed : 420) + "px";
  script.parentNode.insertBefore(frame, script.nextSibling);

  if (fixed > 0) return;
  // The widget reports its height; only messages from this frame and its origin count.
  window.addEventListener("message", function (event) {
    var message = event.data;
    if (event.source !== frame.contentWindow || event.origin !== base.origin) return;
    if (!message || message.quoteapi !== "height" || typeof message.height !== "number") return;
    frame.style.height = Math.min(Math.max(message.height, 120), 4000) + "px";
  });
})();
