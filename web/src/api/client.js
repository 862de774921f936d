// The GraphQL client: urql over HTTP for queries and mutations, graphql-ws (graphql-transport-ws) for
// subscriptions. The bearer token goes in the Authorization header and in connection_init's payload
// ({token}, docs/api.md); any UNAUTHENTICATED error or an auth close code drops the session and calls onUnauthenticated.
import { Client, cacheExchange, fetchExchange, mapExchange, subscriptionExchange } from '@urql/core';
import { createClient as createWsClient } from 'graphql-ws';

// Close codes graphql-ws servers use for a refused connection_init (4401 Unauthorized, 4403 Forbidden).
const kAuthCloseCodes = new Set([4401, 4403]);

export function isUnauthenticated(error) {
    if (!error) return false;
    const errors = error.graphQLErrors ?? [];
    if (errors.some((e) => e?.extensions?.code === 'UNAUTHENTICATED')) return true;
    return error.response?.status === 401;
}

export function websocketUrl(httpUrl, base) {
    const url = new URL(httpUrl, base);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    return url.toString();
}

export function createAlatarClient({ session, onUnauthenticated, url = '/graphql', wsImpl, fetchImpl } = {}) {
    const base = typeof window !== 'undefined' ? window.location.href : 'http://localhost/';
    const signOut = () => {
        if (session.token() === null && !session.user()) {
            onUnauthenticated?.();
            return;
        }
        session.clear();
        onUnauthenticated?.();
    };

    const ws = createWsClient({
        url: websocketUrl(url, base),
        lazy: true,
        retryAttempts: 5,
        connectionParams: () => {
            const token = session.token();
            return token ? { token } : {};
        },
        shouldRetry: (event) => !(event && kAuthCloseCodes.has(event.code)),
        on: {
            closed: (event) => {
                if (event && kAuthCloseCodes.has(event.code)) signOut();
            },
        },
        ...(wsImpl ? { webSocketImpl: wsImpl } : {}),
    });

    const client = new Client({
        url,
        fetch: fetchImpl,
        requestPolicy: 'cache-and-network',
        preferGetMethod: false,
        fetchOptions: () => {
            const token = session.token();
            return { headers: token ? { Authorization: `Bearer ${token}` } : {} };
        },
        exchanges: [
            mapExchange({
                onError(error) {
                    if (isUnauthenticated(error)) signOut();
                },
            }),
            cacheExchange,
            fetchExchange,
            subscriptionExchange({
                forwardSubscription(request) {
                    const input = { ...request, query: request.query || '' };
                    return {
                        subscribe(sink) {
                            const unsubscribe = ws.subscribe(input, sink);
                            return { unsubscribe };
                        },
                    };
                },
            }),
        ],
    });
    client.dispose = () => ws.dispose();
    return client;
}
