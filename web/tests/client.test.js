import { describe, expect, it, vi } from 'vitest';
import { createAlatarClient, isUnauthenticated, websocketUrl } from '../src/api/client.js';
import { MeQuery } from '../src/api/documents.js';
import { signedInSession, stubFetch } from './helpers.jsx';

describe('GraphQL client auth handling', () => {
    it('sends the session token as a bearer token', async () => {
        const session = signedInSession();
        const { fetchImpl, calls } = stubFetch({ Me: () => ({ data: { me: null } }) });
        const client = createAlatarClient({ session, fetchImpl, url: 'http://localhost/graphql' });
        await client.query(MeQuery, {}).toPromise();
        expect(calls[0].headers.authorization).toBe('Bearer tok-1');
        client.dispose();
    });

    it('sends no Authorization header when signed out', async () => {
        const session = signedInSession();
        session.clear();
        const { fetchImpl, calls } = stubFetch({ Me: () => ({ data: { me: null } }) });
        const client = createAlatarClient({ session, fetchImpl, url: 'http://localhost/graphql' });
        await client.query(MeQuery, {}).toPromise();
        expect(calls[0].headers.authorization).toBeUndefined();
        client.dispose();
    });

    it('on UNAUTHENTICATED drops the session and sends the user back to log in', async () => {
        const session = signedInSession();
        const onUnauthenticated = vi.fn();
        const { fetchImpl } = stubFetch({
            Me: () => ({ data: { me: null }, errors: [{ message: 'session expired', extensions: { code: 'UNAUTHENTICATED' } }] }),
        });
        const client = createAlatarClient({ session, fetchImpl, onUnauthenticated, url: 'http://localhost/graphql' });
        await client.query(MeQuery, {}).toPromise();
        expect(session.token()).toBeNull();
        expect(onUnauthenticated).toHaveBeenCalledTimes(1);
        client.dispose();
    });

    it('keeps the session on other errors', async () => {
        const session = signedInSession();
        const onUnauthenticated = vi.fn();
        const { fetchImpl } = stubFetch({ Me: () => ({ errors: [{ message: 'no', extensions: { code: 'FORBIDDEN' } }] }) });
        const client = createAlatarClient({ session, fetchImpl, onUnauthenticated, url: 'http://localhost/graphql' });
        await client.query(MeQuery, {}).toPromise();
        expect(session.token()).toBe('tok-1');
        expect(onUnauthenticated).not.toHaveBeenCalled();
        client.dispose();
    });

    it('recognises UNAUTHENTICATED by code or HTTP 401 only', () => {
        expect(isUnauthenticated({ graphQLErrors: [{ extensions: { code: 'UNAUTHENTICATED' } }] })).toBe(true);
        expect(isUnauthenticated({ graphQLErrors: [], response: { status: 401 } })).toBe(true);
        expect(isUnauthenticated({ graphQLErrors: [{ extensions: { code: 'BAD_USER_INPUT' } }] })).toBe(false);
        expect(isUnauthenticated(undefined)).toBe(false);
    });

    it('derives the WebSocket URL from the page', () => {
        expect(websocketUrl('/graphql', 'https://alatar.example/history')).toBe('wss://alatar.example/graphql');
        expect(websocketUrl('/graphql', 'http://127.0.0.1:8080/')).toBe('ws://127.0.0.1:8080/graphql');
    });

    it('passes the token to graphql-ws in connection_init as {token} (docs/api.md)', async () => {
        const session = signedInSession();
        const sent = [];
        class FakeWebSocket {
            constructor(url, protocol) {
                this.url = url;
                this.protocol = protocol;
                this.readyState = 0;
                setTimeout(() => { this.readyState = 1; this.onopen?.({}); }, 0);
            }
            send(data) { sent.push(JSON.parse(data)); }
            close() {}
        }
        Object.assign(FakeWebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
        const client = createAlatarClient({ session, wsImpl: FakeWebSocket, url: 'http://localhost/graphql', fetchImpl: stubFetch({}).fetchImpl });
        const { AnalysisUpdatesSubscription } = await import('../src/api/documents.js');
        const sub = client.subscription(AnalysisUpdatesSubscription, { requestId: 'R1' }).subscribe(() => {});
        await vi.waitFor(() => expect(sent.length).toBeGreaterThan(0), { timeout: 15_000 });
        expect(sent[0]).toEqual({ type: 'connection_init', payload: { token: 'tok-1' } });
        sub.unsubscribe();
        client.dispose();
    });
});

describe('GraphQL client WebSocket auth', () => {
    it('signs out when the server refuses connection_init with 4403', async () => {
        const session = signedInSession();
        const onUnauthenticated = vi.fn();
        let socket;
        class FakeWebSocket {
            constructor() {
                socket = this;
                this.readyState = 0;
                setTimeout(() => { this.readyState = 1; this.onopen?.({}); }, 0);
            }
            send() {
                setTimeout(() => { this.readyState = 3; this.onclose?.({ code: 4403, reason: 'Forbidden', wasClean: true }); }, 0);
            }
            close() {}
        }
        Object.assign(FakeWebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
        const client = createAlatarClient({ session, onUnauthenticated, wsImpl: FakeWebSocket, url: 'http://localhost/graphql', fetchImpl: stubFetch({}).fetchImpl });
        const { AnalysisUpdatesSubscription } = await import('../src/api/documents.js');
        const sub = client.subscription(AnalysisUpdatesSubscription, { requestId: 'R1' }).subscribe(() => {});
        await vi.waitFor(() => expect(onUnauthenticated).toHaveBeenCalled(), { timeout: 15_000 });
        expect(socket).toBeDefined();
        expect(session.token()).toBeNull();
        sub.unsubscribe();
        client.dispose();
    });
});
