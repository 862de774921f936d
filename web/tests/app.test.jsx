import { describe, expect, it } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import { App } from '../src/App.jsx';
import { createAlatarClient } from '../src/api/client.js';
import { signedInSession, stubFetch } from './helpers.jsx';
import { Session } from '../src/api/session.js';
import { memoryStorage } from './helpers.jsx';

const factoryWith = (handlers) => {
    const { fetchImpl } = stubFetch(handlers);
    return (opts) => createAlatarClient({ ...opts, fetchImpl, url: 'http://localhost/graphql' });
};

describe('App', () => {
    it('sends a signed-out visitor to the login page', async () => {
        window.history.replaceState(null, '', '/history');
        render(<App session={new Session(memoryStorage())} clientFactory={factoryWith({})} />);
        expect(await screen.findByRole('button', { name: 'Log in' })).toBeTruthy();
        expect(window.location.pathname).toBe('/login');
    });

    it('returns to the login page, saying so, when the session has expired on the server', async () => {
        window.history.replaceState(null, '', '/');
        const session = signedInSession();
        render(
            <App
                session={session}
                clientFactory={factoryWith({ Me: () => ({ errors: [{ message: 'expired', extensions: { code: 'UNAUTHENTICATED' } }] }) })}
            />,
        );
        expect(await screen.findByText('Your session has ended')).toBeTruthy();
        await waitFor(() => expect(window.location.pathname).toBe('/login'));
        expect(session.token()).toBeNull();
    });

    it('shows the signed-in shell with navigation', async () => {
        window.history.replaceState(null, '', '/');
        render(
            <App
                session={signedInSession()}
                clientFactory={factoryWith({ Me: () => ({ data: { me: { id: 'U1', email: 'a@b.c', createdAt: '2026-01-01T00:00:00Z', preferences: { llmModel: 'm', timezone: 'UTC', language: 'en' }, stores: [] } } }) })}
            />,
        );
        expect(await screen.findByText('Link a store first')).toBeTruthy();
        expect(screen.getAllByRole('link', { name: /History/ }).length).toBeGreaterThan(0);
    });
});
