// Cierto's service worker: makes the app installable and, with no connection, shows a clear
// offline page instead of the browser's error. It caches only the static shell below and never
// touches anything that changes data: activations, returns and every other POST go to the
// network or fail there — nothing is queued on the phone, because the database must settle who
// holds an item at the moment it is taken.
const SHELL = 'cierto-shell-v2';
const OFFLINE = '/offline.html';
const SHELL_FILES = [OFFLINE, '/offline.js', '/favicon.svg', '/icons/icon-192.png', '/manifest.webmanifest'];

self.addEventListener('install', event => {
    event.waitUntil(caches.open(SHELL).then(cache => cache.addAll(SHELL_FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', event => {
    event.waitUntil(caches.keys()
        .then(keys => Promise.all(keys.filter(key => key !== SHELL).map(key => caches.delete(key))))
        .then(() => self.clients.claim()));
});

self.addEventListener('fetch', event => {
    const request = event.request;
    if (request.method !== 'GET') {
        return; // never intercepted, never stored: the browser sends it or reports the failure
    }

    if (request.mode === 'navigate') {
        // Pages always come from the server (they are live); the offline page only when it cannot be reached.
        event.respondWith(fetch(request).catch(() => caches.match(OFFLINE)));
        return;
    }

    const url = new URL(request.url);
    if (url.origin === self.location.origin && SHELL_FILES.includes(url.pathname)) {
        event.respondWith(caches.match(request).then(cached => cached || fetch(request)));
    }
});
