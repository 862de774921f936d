import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import { renderWithClient, signedInSession, memoryStorage } from './helpers.jsx';
import { OAuthCallbackPage } from '../src/screens/OAuthCallbackPage.jsx';
import { Session } from '../src/api/session.js';
import { normaliseShopDomain, rememberOAuthIntent } from '../src/api/oauth.js';

const query = 'code=c1&hmac=h&host=x&shop=demo.myshopify.test&state=st9&timestamp=1';

describe('OAuth callback', () => {
    it('finishes linking with the whole query string and forgets the state', async () => {
        window.history.replaceState(null, '', `/auth/shopify/callback?${query}`);
        rememberOAuthIntent('st9', 'link');
        const { calls } = renderWithClient(<OAuthCallbackPage session={signedInSession()} />, {
            handlers: {
                CompleteShopifyOAuth: () => ({
                    data: { completeShopifyOAuth: { id: 'S1', shopDomain: 'demo.myshopify.test', name: 'Demo', status: 'ACTIVE', scopes: [], linkedAt: '2026-01-01T00:00:00Z' } },
                }),
            },
        });
        await waitFor(() => expect(window.location.pathname).toBe('/stores'));
        expect(window.location.search).toBe('?linked=demo.myshopify.test');
        expect(calls[0].variables).toEqual({ input: { query } });
        expect(window.sessionStorage.getItem('alatar.oauth.st9')).toBeNull();
    });

    it('signs in for "Log in with Shopify"', async () => {
        window.history.replaceState(null, '', `/auth/shopify/callback?${query}`);
        rememberOAuthIntent('st9', 'login');
        const session = new Session(memoryStorage());
        renderWithClient(<OAuthCallbackPage session={session} />, {
            session,
            handlers: {
                LoginWithShopify: () => ({ data: { loginWithShopify: { token: 'shop-token', expiresAt: '2999-01-01T00:00:00Z', user: { id: 'U2', email: null, createdAt: '2026-01-01T00:00:00Z', preferences: { llmModel: 'm', timezone: 'UTC', language: 'en' }, stores: [] } } } }),
            },
        });
        await waitFor(() => expect(session.token()).toBe('shop-token'));
        expect(window.location.pathname).toBe('/');
    });

    it('shows the error when Shopify’s answer is refused', async () => {
        window.history.replaceState(null, '', `/auth/shopify/callback?${query}`);
        rememberOAuthIntent('st9', 'link');
        renderWithClient(<OAuthCallbackPage session={signedInSession()} />, {
            handlers: { CompleteShopifyOAuth: () => ({ errors: [{ message: 'The OAuth state is unknown or expired', extensions: { code: 'BAD_USER_INPUT' } }] }) },
        });
        expect(await screen.findByText('The OAuth state is unknown or expired')).toBeTruthy();
        expect(window.location.pathname).toBe('/auth/shopify/callback');
    });

    it('normalises what merchants type as a shop domain', () => {
        expect(normaliseShopDomain(' https://Demo.MyShopify.com/admin ')).toBe('demo.myshopify.com');
        expect(normaliseShopDomain('demo.myshopify.test')).toBe('demo.myshopify.test');
    });
});
