// The session token: kept in memory for every request, mirrored into sessionStorage so a reload of the same tab
// stays signed in. sessionStorage (not localStorage, not a cookie) because it is scoped to one tab and cleared when
// the tab closes, is never sent automatically (so no CSRF), and the API takes a bearer token. See web/README.md.
const kStorageKey = 'alatar.session';

export class Session {
    constructor(storage = safeSessionStorage(), now = () => Date.now()) {
        this.storage_ = storage;
        this.now_ = now;
        this.listeners_ = new Set();
        this.current_ = this.load_();
    }

    token() {
        if (this.current_ && this.expired_(this.current_)) this.clear();
        return this.current_ ? this.current_.token : null;
    }

    user() {
        return this.current_ ? this.current_.user : null;
    }

    // payload: an AuthPayload ({token, expiresAt, user}).
    set(payload) {
        this.current_ = { token: payload.token, expiresAt: payload.expiresAt, user: payload.user ?? null };
        try {
            this.storage_?.setItem(kStorageKey, JSON.stringify(this.current_));
        } catch {
            // Storage full or denied (private mode): the in-memory copy still works for this page.
        }
        this.emit_();
    }

    clear() {
        const had = this.current_ !== null;
        this.current_ = null;
        try {
            this.storage_?.removeItem(kStorageKey);
        } catch {
            // Nothing to remove.
        }
        if (had) this.emit_();
    }

    subscribe(listener) {
        this.listeners_.add(listener);
        return () => this.listeners_.delete(listener);
    }

    expired_(s) {
        const at = Date.parse(s.expiresAt);
        return Number.isFinite(at) && at <= this.now_();
    }

    load_() {
        try {
            const raw = this.storage_?.getItem(kStorageKey);
            if (!raw) return null;
            const parsed = JSON.parse(raw);
            if (typeof parsed?.token !== 'string' || this.expired_(parsed)) {
                this.storage_.removeItem(kStorageKey);
                return null;
            }
            return parsed;
        } catch {
            return null;
        }
    }

    emit_() {
        for (const l of this.listeners_) l(this.current_);
    }
}

function safeSessionStorage() {
    try {
        return typeof window !== 'undefined' ? window.sessionStorage : null;
    } catch {
        return null;
    }
}
