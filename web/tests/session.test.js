import { describe, expect, it, vi } from 'vitest';
import { Session } from '../src/api/session.js';
import { memoryStorage } from './helpers.jsx';

const payload = (expiresAt) => ({ token: 'abc', expiresAt, user: { id: 'U1', email: 'm@shop.test' } });

describe('Session', () => {
    it('keeps the token in memory and in storage, so a reload of the tab stays signed in', () => {
        const storage = memoryStorage();
        const s = new Session(storage);
        expect(s.token()).toBeNull();
        s.set(payload('2999-01-01T00:00:00Z'));
        expect(s.token()).toBe('abc');
        const reloaded = new Session(storage);
        expect(reloaded.token()).toBe('abc');
        expect(reloaded.user().email).toBe('m@shop.test');
    });

    it('drops an expired token on load and when it expires while in use', () => {
        const storage = memoryStorage();
        let now = Date.parse('2026-01-01T00:00:00Z');
        const s = new Session(storage, () => now);
        s.set(payload('2026-01-01T01:00:00Z'));
        expect(s.token()).toBe('abc');
        now = Date.parse('2026-01-01T02:00:00Z');
        expect(s.token()).toBeNull();
        expect(storage.getItem('alatar.session')).toBeNull();

        storage.setItem('alatar.session', JSON.stringify(payload('2025-01-01T00:00:00Z')));
        expect(new Session(storage, () => now).token()).toBeNull();
    });

    it('notifies listeners on sign-in and sign-out, and clear removes the stored copy', () => {
        const storage = memoryStorage();
        const s = new Session(storage);
        const seen = vi.fn();
        s.subscribe(seen);
        s.set(payload('2999-01-01T00:00:00Z'));
        s.clear();
        expect(seen).toHaveBeenCalledTimes(2);
        expect(seen.mock.calls[1][0]).toBeNull();
        expect(storage.getItem('alatar.session')).toBeNull();
    });

    it('ignores a corrupt stored value', () => {
        const storage = memoryStorage();
        storage.setItem('alatar.session', '{not json');
        expect(new Session(storage).token()).toBeNull();
    });
});
