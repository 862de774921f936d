// jsdom lacks a few browser APIs Polaris touches.
import { afterEach } from 'vitest';
import { cleanup, configure } from '@testing-library/react';

// Generous waits: the CI machine is shared and slow at times; nothing here measures time.
configure({ asyncUtilTimeout: 15_000 });

const browserLike = typeof window !== 'undefined';

afterEach(() => {
    if (!browserLike) return;
    cleanup();
    window.sessionStorage.clear();
    window.history.replaceState(null, '', '/');
});

if (browserLike && !window.matchMedia) {
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
if (browserLike) {
    window.ResizeObserver ??= NoopObserver;
    window.IntersectionObserver ??= NoopObserver;
    window.scrollTo = () => {};
}
