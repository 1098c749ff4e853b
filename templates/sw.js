{% load static %}// Second Round's service worker: lets the reflection form reopen without a
// connection. Only reflection pages and static files are kept, and they are
// always fetched fresh when the network answers (network first).
"use strict";

const CACHE = "second-round-offline-v1";
const REFLECTION_PAGE = /^\/interviews\/\d+\/reflect\/$/;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const wanted = (request.mode === "navigate" && REFLECTION_PAGE.test(url.pathname)) || url.pathname.startsWith("{% get_static_prefix %}");
  if (!wanted) return;
  event.respondWith(networkFirst(request));
});

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) cache.put(request, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(request, { ignoreSearch: false });
    if (cached) return cached;
    throw error;
  }
}
