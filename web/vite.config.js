import { defineConfig } from 'vite';

// Built into web/dist, which `alatar api` serves at / (hashed assets cached for a year, SPA fallback).
// JSX is compiled by Vite's own transformer with React's automatic runtime; no plugin needed.
export default defineConfig({
    build: { outDir: 'dist', sourcemap: true, chunkSizeWarningLimit: 2000 },
    server: {
        proxy: {
            '/graphql': { target: process.env.ALATAR_API_URL ?? 'http://127.0.0.1:8080', ws: true },
            '/healthz': { target: process.env.ALATAR_API_URL ?? 'http://127.0.0.1:8080' },
        },
    },
    test: {
        environment: 'jsdom',
        include: ['tests/**/*.test.{js,jsx}'],
        setupFiles: ['tests/setup.js'],
        css: false,
        testTimeout: 60_000,
    },
});
