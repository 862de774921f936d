import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { renderWithClient } from './helpers.jsx';
import { AuthPage } from '../src/screens/AuthPage.jsx';
import { AskPage } from '../src/screens/AskPage.jsx';
import { HistoryPage, kPageSize } from '../src/screens/HistoryPage.jsx';
import { SettingsPage } from '../src/screens/SettingsPage.jsx';
import { StoresPage } from '../src/screens/StoresPage.jsx';
import { Session } from '../src/api/session.js';
import { memoryStorage } from './helpers.jsx';

const user = (stores = []) => ({
    id: 'U1', email: 'm@shop.test', createdAt: '2026-01-01T00:00:00Z',
    preferences: { llmModel: 'm1', timezone: 'UTC', language: 'en' }, stores,
});
const store = { id: 'S1', shopDomain: 'demo.myshopify.test', name: 'Demo', currency: 'USD', status: 'ACTIVE', linkedAt: '2026-01-01T00:00:00Z', lastSyncedAt: null, scopes: [] };

describe('AuthPage', () => {
    it('logs in, keeps the session and goes on', async () => {
        const session = new Session(memoryStorage());
        const { calls } = renderWithClient(<AuthPage session={session} mode="login" />, {
            session,
            handlers: { Login: () => ({ data: { login: { token: 't', expiresAt: '2999-01-01T00:00:00Z', user: user([store]) } } }) },
        });
        fireEvent.change(screen.getByLabelText(/Email/), { target: { value: 'm@shop.test' } });
        fireEvent.change(screen.getByLabelText(/Password/), { target: { value: 'correct horse battery' } });
        fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
        await waitFor(() => expect(session.token()).toBe('t'));
        expect(calls[0].variables).toEqual({ input: { email: 'm@shop.test', password: 'correct horse battery' } });
        expect(window.location.pathname).toBe('/');
    });

    it('shows the server error when the credentials are wrong', async () => {
        const session = new Session(memoryStorage());
        renderWithClient(<AuthPage session={session} mode="register" />, {
            session,
            handlers: { Register: () => ({ errors: [{ message: 'That email is already registered', extensions: { code: 'CONFLICT' } }] }) },
        });
        fireEvent.change(screen.getByLabelText(/Email/), { target: { value: 'm@shop.test' } });
        fireEvent.change(screen.getByLabelText(/Password/), { target: { value: 'correct horse battery' } });
        fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
        expect(await screen.findByText(/already registered/)).toBeTruthy();
        expect(session.token()).toBeNull();
    });

    it('tells the user when the session expired', () => {
        window.history.replaceState(null, '', '/login?expired=1');
        const session = new Session(memoryStorage());
        renderWithClient(<AuthPage session={session} mode="login" />, { session });
        expect(screen.getByText('Your session has ended')).toBeTruthy();
    });
});

describe('AskPage', () => {
    it('asks to link a store when there is none', async () => {
        renderWithClient(<AskPage />, { handlers: { Me: () => ({ data: { me: user() } }) } });
        expect(await screen.findByText('Link a store first')).toBeTruthy();
    });

    it('fills the prompt from an example and submits it for the linked store', async () => {
        const { calls } = renderWithClient(<AskPage />, {
            handlers: {
                Me: () => ({ data: { me: user([store]) } }),
                SubmitAnalysisRequest: () => ({ data: { submitAnalysisRequest: { id: 'R9', status: 'QUEUED', prompt: 'x' } } }),
            },
        });
        fireEvent.click(await screen.findByRole('button', { name: 'Why did sales drop last week?' }));
        fireEvent.click(screen.getByRole('button', { name: 'Ask' }));
        await waitFor(() => expect(window.location.pathname).toBe('/requests/R9'));
        const submit = calls.find((c) => c.operationName === 'SubmitAnalysisRequest');
        expect(submit.variables).toEqual({ prompt: 'Why did sales drop last week?', storeId: 'S1' });
    });

    it('shows an error state when the account cannot be loaded', async () => {
        renderWithClient(<AskPage />, { handlers: { Me: () => ({ errors: [{ message: 'database unavailable', extensions: { code: 'INTERNAL' } }] }) } });
        expect(await screen.findByText('database unavailable')).toBeTruthy();
    });
});

describe('StoresPage', () => {
    it('lists linked stores and starts the OAuth round trip for a new one', async () => {
        const assign = vi.fn();
        const original = window.location;
        Object.defineProperty(window, 'location', { configurable: true, value: { ...original, assign, pathname: '/stores', search: '', origin: original.origin, href: original.href } });
        try {
            const { calls } = renderWithClient(<StoresPage />, {
                handlers: {
                    Me: () => ({ data: { me: user([store]) } }),
                    StartShopifyOAuth: () => ({ data: { startShopifyOAuth: { authorizationUrl: 'http://sim/authorize?state=st1', state: 'st1' } } }),
                },
            });
            expect(await screen.findByText('Demo')).toBeTruthy();
            fireEvent.change(screen.getByLabelText('Shop domain'), { target: { value: ' https://New.myshopify.test/ ' } });
            fireEvent.click(screen.getByRole('button', { name: 'Link store' }));
            await waitFor(() => expect(assign).toHaveBeenCalledWith('http://sim/authorize?state=st1'));
            expect(calls.find((c) => c.operationName === 'StartShopifyOAuth').variables).toEqual({ shop: 'new.myshopify.test' });
            expect(window.sessionStorage.getItem('alatar.oauth.st1')).toBe('link');
        } finally {
            Object.defineProperty(window, 'location', { configurable: true, value: original });
        }
    });

    it('has an empty state', async () => {
        renderWithClient(<StoresPage />, { handlers: { Me: () => ({ data: { me: user() } }) } });
        expect(await screen.findByText('No stores linked yet')).toBeTruthy();
    });
});

describe('HistoryPage', () => {
    const node = (i) => ({ id: `R${i}`, prompt: `Question ${i}`, status: 'COMPLETED', progress: 1, createdAt: '2026-01-01T00:00:00Z', completedAt: null, store: null });
    const page = (from, n, hasNext) => ({
        data: {
            listAnalysisRequests: {
                totalCount: 12,
                pageInfo: { hasNextPage: hasNext, endCursor: `c${from + n}` },
                edges: Array.from({ length: n }, (_, i) => ({ cursor: `c${from + i}`, node: node(from + i) })),
            },
        },
    });

    it('pages forward with the end cursor and filters by status', async () => {
        const { calls } = renderWithClient(<HistoryPage />, {
            handlers: { ListAnalysisRequests: (v) => (v.after ? page(10, 2, false) : page(0, 10, true)) },
        });
        expect(await screen.findByText('Question 0')).toBeTruthy();
        fireEvent.click(screen.getByRole('button', { name: 'Next' }));
        expect(await screen.findByText('Question 11')).toBeTruthy();
        expect(calls.at(-1).variables).toMatchObject({ first: kPageSize, after: 'c10' });
        fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'FAILED' } });
        await waitFor(() => expect(calls.at(-1).variables).toMatchObject({ status: 'FAILED', after: null }));
    });

    it('has an empty state', async () => {
        renderWithClient(<HistoryPage />, {
            handlers: { ListAnalysisRequests: () => ({ data: { listAnalysisRequests: { totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, edges: [] } } }) },
        });
        expect(await screen.findByText('No questions yet')).toBeTruthy();
    });
});

describe('SettingsPage', () => {
    it('shows the current model and saves a new one', async () => {
        const { calls } = renderWithClient(<SettingsPage />, {
            handlers: {
                Settings: () => ({
                    data: {
                        me: { id: 'U1', preferences: { llmModel: 'm1', timezone: 'UTC', language: 'en' } },
                        availableModels: [{ id: 'm1', name: 'Model One', free: true }, { id: 'm2', name: 'Model Two', free: false }],
                    },
                }),
                UpdatePreferences: (v) => ({ data: { updatePreferences: { llmModel: v.input.llmModel, timezone: v.input.timezone, language: 'en' } } }),
            },
        });
        const select = await screen.findByLabelText('Model');
        await waitFor(() => expect(select.value).toBe('m1'));
        fireEvent.change(select, { target: { value: 'm2' } });
        fireEvent.click(screen.getByRole('button', { name: 'Save' }));
        expect(await screen.findByText('Settings saved')).toBeTruthy();
        expect(calls.find((c) => c.operationName === 'UpdatePreferences').variables).toEqual({ input: { llmModel: 'm2', timezone: 'UTC' } });
    });
});

