// A real client over a stubbed fetch: tests exercise the same exchanges the app uses.
import { render } from '@testing-library/react';
import { AppProvider } from '@shopify/polaris';
import en from '@shopify/polaris/locales/en.json';
import { Provider } from 'urql';
import { createAlatarClient } from '../src/api/client.js';
import { Session } from '../src/api/session.js';
import { RouterLink, RouterProvider } from '../src/router.jsx';

export function memoryStorage() {
    const m = new Map();
    return {
        getItem: (k) => (m.has(k) ? m.get(k) : null),
        setItem: (k, v) => m.set(k, String(v)),
        removeItem: (k) => m.delete(k),
    };
}

export function signedInSession() {
    const s = new Session(memoryStorage());
    s.set({ token: 'tok-1', expiresAt: new Date(Date.now() + 3600_000).toISOString(), user: { id: 'U1', email: 'a@b.c', stores: [] } });
    return s;
}

// handlers: { OperationName: (variables, headers) => ({data} | {errors}) | Promise<...> }
export function stubFetch(handlers) {
    const calls = [];
    const fetchImpl = async (_url, init) => {
        const body = JSON.parse(init.body);
        const headers = Object.fromEntries(new Headers(init.headers).entries());
        calls.push({ operationName: body.operationName, variables: body.variables, headers });
        const h = handlers[body.operationName];
        const payload = h ? await h(body.variables ?? {}, headers) : { errors: [{ message: `no stub for ${body.operationName}` }] };
        return new Response(JSON.stringify(payload), { status: 200, headers: { 'Content-Type': 'application/json' } });
    };
    return { fetchImpl, calls };
}

export function renderWithClient(ui, { handlers = {}, session = signedInSession(), onUnauthenticated, wsImpl } = {}) {
    const { fetchImpl, calls } = stubFetch(handlers);
    const client = createAlatarClient({ session, fetchImpl, onUnauthenticated, wsImpl, url: 'http://localhost/graphql' });
    const utils = render(
        <AppProvider i18n={en} linkComponent={RouterLink}>
            <RouterProvider>
                <Provider value={client}>{ui}</Provider>
            </RouterProvider>
        </AppProvider>,
    );
    return { ...utils, calls, client, session };
}
