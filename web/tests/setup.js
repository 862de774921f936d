// jsdom lacks a few browser APIs Polaris touches.
import { afterEach } from 'vitest';
import { cleanup } from '@testing-library/react';

afterEach(() => {
    cleanup();
    window.sessionStorage.clear();
    window.history.replaceState(null, '', '/');
});

if (!window.matchMedia) {
    window.matchMedia = (query) => ({
        matches: false,
        media: query,
        onchange: null,
        addListener() {},
        removeListener() {},
        addEventListener() {},
        removeEventListener() {},
        dispatchEvent() { return false; },
    });
}
class NoopObserver {
    observe() {}
    unobserve() {}
    disconnect() {}
    takeRecords() { return []; }
}
window.ResizeObserver ??= NoopObserver;
window.IntersectionObserver ??= NoopObserver;
window.scrollTo = () => {};
