/* Hearth's service worker, served from /sw.js so its scope is the whole site.
   Minimal on purpose (the offline work extends it): it shows a pushed message
   and opens its link when tapped. A push carries JSON {title, body, url}; the
   text is what may be read on a lock screen, so the server keeps it free of
   diagnoses and medicines. */
self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

function sameSite(url) {
  try {
    var target = new URL(url || "/", self.location.origin);
    return target.origin === self.location.origin ? target.href : self.location.origin + "/";
  } catch (error) {
    return self.location.origin + "/";
  }
}

self.addEventListener("push", function (event) {
  var data = {};
  if (event.data) {
    try {
      data = event.data.json();
    } catch (error) {
      data = { body: event.data.text() };
    }
  }
  var url = sameSite(data.url);
  var urgent = Boolean(data.urgent);
  // One notification per alert: a repeat page about the same alert replaces
  // the old one and rings again (renotify) instead of piling up.
  var tag = data.tag || (urgent ? "page:" + url : undefined);
  var options = {
    body: data.body || "",
    tag: tag,
    renotify: Boolean(tag),
    // A high alert (pages from monitoring are urgent) stays on the screen
    // until the nurse acts, and vibrates hard enough to wake her at 3 a.m.
    requireInteraction: urgent,
    silent: false,
    data: { url: url }
  };
  if (urgent) {
    options.vibrate = [400, 150, 400, 150, 400, 150, 800];
  }
  event.waitUntil(self.registration.showNotification(data.title || "Hearth", options));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var url = (event.notification.data && event.notification.data.url) || sameSite("/");
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
      for (var i = 0; i < windows.length; i += 1) {
        if (windows[i].url === url && "focus" in windows[i]) {
          return windows[i].focus();
        }
      }
      return self.clients.openWindow(url);
    })
  );
});
